"""Rendering: golden DOT and Mermaid for every model, and what the real engine makes of them.

The DOT and Mermaid text is compared with golden files (``pytest --update-golden``
rewrites them; review the diff). SVG, PNG and PDF come from the real engines and
are parsed: SVG as XML, PNG by its header, PDF by its font objects.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import struct
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logicmodel.loader import load, load_text
from logicmodel.render import RenderOptions, format_of, render, scene_for
from logicmodel.render.dot import to_dot
from logicmodel.render.engine import find_engine, run_engine
from logicmodel.render.mermaid import to_mermaid
from logicmodel.render.text import dot_string, wrap
from logicmodel.render.themes import THEMES, ThemeError, get_theme
from tests.conftest import MODELS, ROOT, needs_dot

MODEL_FILES = sorted(MODELS.glob("*.yaml"))
SVG_NS = "{http://www.w3.org/2000/svg}"
FLAGSHIP = MODELS / "devolved_budgets.yaml"




@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.stem)
def test_golden_dot_and_mermaid_for_every_model(path: Path,
                                                golden: Callable[[str, str], None]) -> None:
    model = load(path)
    golden(f"{path.stem}.dot", render(model, "dot").data.decode())
    golden(f"{path.stem}.paper.dot", render(model, "dot", RenderOptions(view="paper")).data
           .decode())
    golden(f"{path.stem}.mmd", render(model, "mermaid").data.decode())


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("theme", sorted(THEMES))
def test_svg_from_the_embedded_engine_is_clean_and_complete(path: Path, theme: str) -> None:
    model = load(path)
    first = render(model, "svg", RenderOptions(theme=theme))
    assert first.engine is not None
    assert first.engine.name == "embedded"
    data = first.data
    assert data == render(model, "svg", RenderOptions(theme=theme)).data  # byte-identical
    text = data.decode()
    assert "graphviz version" not in text
    assert "/work" not in text
    assert str(Path.home()) not in text
    root = ET.fromstring(data)
    assert root.find(f"{SVG_NS}title").text == model.title  # type: ignore[union-attr]
    assert "Logic model with" in (root.find(f"{SVG_NS}desc").text or "")  # type: ignore[union-attr]
    assert not text.count("foreignObject")
    assert "<script" not in text
    assert "<image" not in text
    # every node is drawn, with every word of its label in plain <text> elements
    drawn = " ".join(t.text or "" for t in root.iter(f"{SVG_NS}text"))
    for n in model.nodes:
        for word in n.label.split():
            assert word.replace("'", "'") in drawn, (n.id, word)
    groups = {g.findtext(f"{SVG_NS}title"): g for g in root.iter(f"{SVG_NS}g")
              if g.get("class") == "node"}
    # tooltips say what an element is, never a generated id
    for n in model.nodes:
        assert any(t.startswith(" ".join(n.label.split()) + " (") for t in groups), n.id
    titles = [t.text or "" for t in root.iter(f"{SVG_NS}title")]
    assert not [t for t in titles if re.fullmatch(r"[a-z]{1,2}[0-9]+(->[a-z]{1,2}[0-9]+)?", t)]
    assert "<!-- n0 -->" not in text
    # the figure's own graph (its background's tooltip) is titled by the model's title
    # (the flagship's has an apostrophe, which the engine writes as &#39;), the key's "Key"
    graphs = [g.findtext(f"{SVG_NS}title") for g in root.iter(f"{SVG_NS}g")
              if g.get("class") == "graph"]
    assert graphs[0] == model.title
    assert graphs[1:] == ["Key"]


def test_titles_worked_out_before_the_layout_are_those_the_engine_writes() -> None:
    """The titles' replacements are worked out while the engine lays out, keyed by the
    ids as the engine will write them: every box's, link's and heading's is found so
    (only the key's samples, which have none of their own, are looked up afterwards)."""
    from logicmodel.render.dot import element_titles
    from logicmodel.render.svg import retitle_svg, title_table

    model = load(MODELS / "devolved_budgets.yaml")
    scene = scene_for(model, RenderOptions())
    titles = element_titles(scene)
    table = title_table(titles)
    source = to_dot(scene, get_theme("paper"))
    raw = run_engine(find_engine("embedded"), source, "svg").output
    written = set(re.findall(rb"<title>([^<]*)</title>", raw))
    assert any(b"&#45;&gt;" in w for w in written)  # the links' ids, as the engine writes them
    ours = {w for w in written
            if w.decode().replace("&#45;", "-").replace("&gt;", ">") in titles}
    assert ours
    assert ours <= set(table), sorted(ours - set(table))[:5]
    assert retitle_svg(raw, titles, table) == retitle_svg(raw, titles)


def _box_width(group: ET.Element) -> float:
    xs: list[float] = []
    for el in group:
        if el.tag in (f"{SVG_NS}polygon", f"{SVG_NS}path", f"{SVG_NS}polyline"):
            pts = el.get("points") or el.get("d") or ""
            xs += [float(x) for x in re.findall(r"(-?\d+(?:\.\d+)?),", pts)]
    return max(xs) - min(xs) if xs else 0.0


# Arial (= Helvetica) advance widths in 1/1000 em, from the fonts' metrics: an
# independent check that the engine sized each box for the font the SVG names.
_ARIAL = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
    "abcdefghijklmnopqrstuvwxyz{|}~",
    [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
     *[556] * 10, 278, 278, 584, 584, 584, 556, 1015,
     667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722,
     667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333,
     556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333,
     500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584], strict=True))


def _arial_pt(line: str, size: float) -> float:
    return sum(_ARIAL.get(c, 1000) for c in line) * size / 1000


def test_labels_are_wrapped_and_fit_inside_their_boxes() -> None:
    """Every label of a stage is wrapped to the stage's widest line at the theme's width in
    characters (one box width to a stage), and fits inside its box."""
    model = load(FLAGSHIP)
    root = ET.fromstring(render(model, "svg").data)
    theme = get_theme("paper")
    scene = scene_for(model, RenderOptions())
    widest: dict[str, float] = {}
    stage_of: dict[str, str] = {}
    for n in scene.nodes:
        kind = model.layout.kind_name(n.kind).lower()
        stage_of[f"{' '.join(n.label.split())} ({kind})"] = scene.stage[n.id]
        line = max(_arial_pt(x, theme.fontsize) for x in wrap(n.label, theme.wrap))
        widest[scene.stage[n.id]] = max(widest.get(scene.stage[n.id], 0.0), line)
    checked = 0
    for g in root.iter(f"{SVG_NS}g"):
        title = g.findtext(f"{SVG_NS}title") or ""
        if g.get("class") != "node" or not title.endswith(_KIND_SUFFIXES):
            continue
        lines = [t.text or "" for t in g.iter(f"{SVG_NS}text")]
        size = float(next(g.iter(f"{SVG_NS}text")).get("font-size", "10"))
        room = widest[stage_of[title]] * size / theme.fontsize
        assert all(_arial_pt(line, size) <= room + 0.5 or " " not in line
                   for line in lines), (title, lines)
        needed = max(_arial_pt(line, size) for line in lines)
        assert _box_width(g) >= needed, (title, lines)
        checked += 1
    assert checked == len(scene.nodes)


_KIND_SUFFIXES = tuple(f" ({k})" for k in (
    "context", "input", "activity", "output", "mechanism", "outcome", "impact", "condition"))


def test_wrap_keeps_manual_line_breaks_and_breaks_long_words() -> None:
    assert wrap("First line\nsecond line that is rather long", 12) == [
        "First line", "second line", "that is", "rather long"]
    assert wrap("x" * 30, 12) == ["x" * 12, "x" * 18]
    assert wrap("https://example.org/" + "a" * 40, 12)[0] == "https://exam"


@pytest.mark.parametrize("width", range(8, 40))  # (a tie longer than twice it is cut)
def test_wrap_never_breaks_at_a_no_break_space_and_draws_it_as_a_space(width: int) -> None:
    """The key ties a marker's letter to its word and a variant's sign to its words."""
    text = ("Markers (A\u00a0assumption, B\u00a0barrier, E\u00a0enabler): "
            "(\u0394\u00a0and its number)")
    lines = wrap(text, width)
    assert " ".join(lines) == text.replace("\u00a0", " ")
    for tied in ("A assumption", "B barrier", "E enabler", "(\u0394 and"):
        assert any(tied in line for line in lines), (tied, lines)
    assert wrap("plain words", width) == wrap("plain words".replace(" ", "  "), width)


@pytest.mark.parametrize("label", [
    "Improved worker-family relationship", "Devolved budget (\u00a3400k-\u00a3600k per council)",
    "Pre-school well-being check-ups for 3-5-year-olds", "Ages 11\u201316 in years 7-11",
])
@pytest.mark.parametrize("width", [8, 12, 18, 24])
def test_wrap_breaks_at_spaces_never_inside_hyphenated_words_or_ranges(label: str,
                                                                       width: int) -> None:
    lines = wrap(label, width)
    assert " ".join(lines) == label  # every break is at a space
    assert [w for line in lines for w in line.split()] == label.split()


HOSTILE = r'''logicmodel: 1
title: 'Hostile "title" \N'
nodes:
  - id: a
    kind: activity
    label: 'He said "hi" \N \G \l trailing\'
  - id: b
    kind: output
    label: '<b>x</b>] [URL="javascript:alert(1)" image="/etc/passwd" label=<y>'
  - id: c
    kind: outcome
    horizon: short
    label: "Budget\"] --> X[\"pwned\nclick n1 href \"javascript:alert(1)\"\n%%{init: {}}%%"
links:
  - {from: a, to: b}
  - {from: b, to: c}
'''


def _engine_json(dot: str) -> dict[str, list[dict[str, str]]]:
    """What the engine reads from ``dot`` (the figure and its key), as one JSON object."""
    text = run_engine(find_engine("embedded"), dot, "json").output.decode()
    decoder, out, at = json.JSONDecoder(), {"objects": [], "edges": []}, 0
    while at < len(text.rstrip()):
        doc, at = decoder.raw_decode(text, at)
        while at < len(text) and text[at].isspace():
            at += 1
        for part in out:
            out[part] += doc.get(part, [])
    return out


def test_user_text_stays_text_in_dot_svg_and_mermaid() -> None:
    doc = load_text(HOSTILE)
    assert doc.model is not None, doc.diagnostics
    model = doc.model
    dot = render(model, "dot").data.decode()
    # the engine reads the DOT back: exactly our nodes, with the labels as written
    parsed = _engine_json(dot)
    labels = {o["name"]: o["label"] for o in parsed["objects"] if "label" in o}
    for i, n in enumerate(model.nodes):
        # the words as written, in lines broken at some of the spaces between them
        words = n.label.split()
        as_written = set()
        for breaks in itertools.product((" ", "\n"), repeat=len(words) - 1):
            text = "".join(w + b for w, b in zip(words, [*breaks, ""], strict=True))
            as_written.add(dot_string(text)[1:-1].replace('\\"', '"'))
        assert labels[f"n{i}"] in as_written
    names = [o["name"] for o in parsed["objects"]]
    assert not [x for x in names if not re.fullmatch(r"(n|h|k|ka|kt|km|kp|ki|%)\d+|kh|", x)], names
    assert "image" not in {k for o in parsed["objects"] for k in o}
    svg = render(model, "svg").data  # passes check_svg, or render() raises LM607
    # the text survives only as text: in <text> (quotes escaped) and in tooltips
    untitled = re.sub(rb"<title>[^<]*</title>", b"", svg)
    assert b"javascript:" not in untitled.replace(b"javascript:alert(1)&quot;", b"")
    assert b"/etc/passwd" in b"".join(re.findall(rb"<title>[^<]*</title>", svg))
    assert b"<a " not in svg
    assert b"xlink:href" not in svg
    mmd = render(model, "mermaid").data.decode()
    assert not any(line.lstrip().startswith(("click", "%%")) for line in mmd.splitlines())
    # the styles are ours: generated ids and the theme's CSS, never user text
    ours = re.compile(r"  (classDef [a-z_]+ [-a-z:#0-9,. ]+|class [a-z0-9,]+ [a-z_]+"
                      r"|style (s\d+|key|kb|kl|km) [-a-z:#0-9,. ]+|linkStyle \d+ [-a-z:#0-9,. ]+)")
    assert all(ours.fullmatch(line) for line in mmd.splitlines()
               if line.lstrip().startswith(("classDef", "class ", "style", "linkStyle")))
    assert "%%" not in mmd  # no directive, anywhere
    assert len(re.findall(r"^    n\d+", mmd, re.M)) == 3
    assert len(re.findall(r"^  n\d+ -+> n\d+$", mmd, re.M)) == 2


def test_dot_string_escapes_quotes_backslashes_and_newlines() -> None:
    assert dot_string('a "b" \\N\nc') == '"a \\"b\\" \\\\N\\nc"'
    assert dot_string("trailing\\") == '"trailing\\\\"'


def test_columns_follow_stages_and_file_order_and_feedback_does_not_constrain() -> None:
    model = load(FLAGSHIP)
    dot = render(model, "dot").data.decode()
    headings = re.findall(r'^  h(\d+) \[label="([^"]+)"', dot, re.M)
    assert [h for _, h in headings][:3] == ["Context", "Inputs", "Activities"]
    ids = {n.id: f"n{i}" for i, n in enumerate(model.nodes)}
    for k, stage in enumerate(["context", "input", "activity"]):
        group = re.search(rf"^  {{ rank=same; h{k}; ([^}}]*)}}", dot, re.M)
        assert group is not None
        expected = [ids[n.id] for n in model.nodes
                    if n.kind == stage][: len(group.group(1).split("; ")) - 1]
        assert group.group(1).split("; ")[: len(expected)] == expected
    feedback = [lk for lk in model.links if lk.feedback]
    for lk in feedback:
        line = re.search(rf"^  {ids[lk.source]} -> {ids[lk.target]} \[(.*)\]$", dot, re.M)
        if line is not None:
            assert 'constraint="false"' in line.group(1)
        else:  # back along a link forward: written as that link runs, drawn back
            back = [a for a in re.findall(rf"^  {ids[lk.target]} -> {ids[lk.source]} "
                                          r"\[(.*)\]$", dot, re.M) if 'class="lm-back"' in a]
            assert len(back) == 1
            assert 'dir="back"' in back[0]


def test_pathways_differ_by_dash_pattern_as_well_as_colour() -> None:
    model = load(FLAGSHIP)
    for theme in THEMES.values():
        styles = {(p.color, p.style) for p in theme.pathways}
        assert len({s for _, s in styles}) >= 3
        assert len(styles) == len(theme.pathways)
    dot = render(model, "dot").data.decode()
    assert 'style="solid"' in dot
    assert 'style="dashed"' in dot
    kinds = {k: (v["shape"], v["style"], v.get("peripheries", "1"))
             for k, v in get_theme("paper").kinds.items()}
    assert len(set(kinds.values())) == len(kinds)  # every kind has its own shape/border


def test_legend_lists_only_the_encodings_used() -> None:
    flagship = render(load(FLAGSHIP), "dot").data.decode()
    assert "Feedback link" in flagship
    assert "Pathway: Resources dedicated" in flagship
    assert "A1  Social workers are best placed to know what families" in flagship
    assert "Markers beside a link or [in a box]: A assumption, B barrier, E enabler" in (
        flagship.replace("\\l", " "))
    plain = load_text("logicmodel: 1\ntitle: T\nnodes:\n  - {id: a, kind: activity, label: A}\n"
                      "  - {id: b, kind: output, label: B}\nlinks:\n  - {from: a, to: b}\n")
    assert plain.model is not None
    dot = render(plain.model, "dot").data.decode()
    assert 'label="Link\\l"' in dot  # no pathway drawn: nothing for a link to be "other" than
    for absent in ("Other link", "Feedback", "Pathway:", "Markers", "Mechanism", "Impact"):
        assert absent not in dot


def test_pathway_view_fades_or_hides_the_rest() -> None:
    model = load(FLAGSHIP)
    faded = scene_for(model, RenderOptions(pathways=["worker_family_relationship"]))
    assert "ctx_hardship" in faded.faded_nodes
    assert "mech_relationship" not in faded.faded_nodes
    hidden = scene_for(model, RenderOptions(pathways=["worker_family_relationship"],
                                            others="hide"))
    on_route = model.route(model.pathways[1]).nodes
    assert [n.id for n in hidden.nodes] == [n.id for n in model.nodes if n.id in on_route]
    stages = scene_for(model, RenderOptions(view="paper"))
    assert stages.compact
    assert stages.direction == "TB"


def test_theme_overrides_are_allowlisted_and_checked() -> None:
    theme = get_theme("paper").with_overrides({"graph": {"nodesep": "0.5"}})
    model = load(FLAGSHIP)
    assert 'nodesep="0.5"' in render(model, "dot", RenderOptions(
        attrs={"graph": {"nodesep": "0.5"}})).data.decode()
    assert theme.overrides["graph"]["nodesep"] == "0.5"
    for bad in ({"node": {"image": "x.png"}}, {"edge": {"URL": "javascript:x"}},
                {"node": {"fontsize": "1e9"}}, {"node": {"color": 'red" URL="x'}},
                {"cluster": {"color": "red"}}):
        with pytest.raises(ThemeError):
            get_theme("paper").with_overrides(bad)


def test_png_resolution_follows_dpi() -> None:
    model = load(MODELS / "devolved_budgets.yaml")

    def width(dpi: float) -> int:
        data = render(model, "png", RenderOptions(dpi=dpi)).data
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        return int(struct.unpack(">I", data[16:20])[0])

    low, high = width(50), width(100)
    assert abs(high - 2 * low) <= 2


@needs_dot
def test_pdf_from_system_dot_embeds_its_fonts_and_is_byte_identical() -> None:
    model = load(FLAGSHIP)
    first = render(model, "pdf", RenderOptions(engine="dot"))
    assert first.engine is not None
    assert first.engine.name == "dot"
    assert first.data.startswith(b"%PDF")
    assert b"/FontFile2" in first.data
    assert first.data == render(model, "pdf", RenderOptions(engine="dot")).data
    assert not re.search(rb"/CreationDate \(D:20[1-9]", first.data)  # no date of the run


def test_mermaid_has_stage_subgraphs_and_generated_ids() -> None:
    model = load(FLAGSHIP)
    mmd = to_mermaid(scene_for(model, RenderOptions()), get_theme("paper"))
    assert mmd.startswith("---\nconfig:\n  theme: base\n")
    assert "\n---\nflowchart LR\n" in mmd
    assert mmd.count("  subgraph s") == 9
    assert '["Mechanisms"]' in mmd
    assert f"n{len(model.nodes) - 1}" in mmd  # one generated id per box, from n0
    assert "ctx_hardship" not in mmd
    assert "Social workers#quot; practical" not in mmd  # apostrophes are fine in quotes


MERMAID_STEPS = """\
logicmodel: 1
title: Steps
nodes:
  - {id: a, kind: activity, label: A}
  - {id: b, kind: activity, label: B}
  - {id: c, kind: activity, label: C}
  - {id: o, kind: output, label: O}
  - {id: lone, kind: outcome, horizon: short, label: Alone}
links:
  - {from: a, to: b}
  - {from: b, to: c}
  - {from: c, to: o}
  - {from: o, to: a, feedback: true}
"""


def test_mermaid_steps_lengths_feedback_and_ties() -> None:
    from logicmodel.render.mermaid import steps

    doc = load_text(MERMAID_STEPS)
    assert doc.model is not None, doc.diagnostics
    scene = scene_for(doc.model, RenderOptions())
    # a chain inside a stage takes steps inside its column; the next stage starts after it
    assert steps(scene) == {"a": 0, "b": 1, "c": 2, "o": 3, "lone": 4}
    mmd = to_mermaid(scene, get_theme("paper"))
    lines = mmd.splitlines()
    assert "  n0 --> n1" in lines
    assert "  n2 --> n3" in lines
    # the feedback link is written target first, as long as the steps it spans, its
    # second arrowhead hidden; the unlinked box is held in its column by an invisible link
    assert "  n0 <-...-> n3" in lines
    assert "  linkStyle 3 stroke:#8c8c8c,stroke-width:1px,stroke-dasharray:2 3,marker-end:none" \
        in lines
    assert "  n0 ~~~~~~ n4" in lines
    assert "  s2 ~~~ key" in lines


def test_format_from_suffix() -> None:
    assert [format_of(p) for p in ("a.svg", "b.PNG", "c.pdf", "d.gv", "e.dot", "f.mmd")] == [
        "svg", "png", "pdf", "dot", "dot", "mermaid"]


def test_dot_source_is_deterministic_and_free_of_paths() -> None:
    model = load(FLAGSHIP)
    scene = scene_for(model, RenderOptions())
    a, b = to_dot(scene, get_theme("color")), to_dot(scene_for(model, RenderOptions()),
                                                     get_theme("color"))
    assert a == b
    assert not re.search(r"/(work|home|tmp|usr|Users)/", a)


def test_notebook_shows_the_diagram() -> None:
    model = load(FLAGSHIP)
    bundle = model._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")
    assert "devolved" in bundle["text/plain"].lower()


@pytest.mark.parametrize("bad", [
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><image href="/etc/passwd"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a>'
    b"</svg>",
    b'<svg xmlns="http://www.w3.org/2000/svg"><path fill="url(https://x.test/f)"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><path fill="&#117;rl(https://x.test/f)"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><path fill="UR&#x4C;(https://x.test/f)"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><path fill="uRl( https://x.test/f)"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>(n)</text>'
    b'<path fill="URL(x.test)"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><g style="x"/></svg>',
    b'<?xml-stylesheet href="x.css"?><svg xmlns="http://www.w3.org/2000/svg"/>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>unclosed</svg>',
])
def test_svg_safety_check_refuses_active_content(bad: bytes) -> None:
    from logicmodel.render.svg import UnsafeSVG, check_svg

    with pytest.raises(UnsafeSVG):
        check_svg(bad)
    check_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><path fill="url(#g)"/>'
              b"<text>javascript: is fine as text</text></svg>")


@needs_dot
@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.stem)
def test_system_dot_svg_passes_the_same_checks(path: Path) -> None:
    model = load(path)
    first = render(model, "svg", RenderOptions(engine="dot", view="paper"))
    assert first.engine is not None
    assert first.engine.name == "dot"
    assert first.data == render(model, "svg", RenderOptions(engine="dot", view="paper")).data
    assert b"graphviz version" not in first.data


def test_large_mermaid_export_warns_lm606() -> None:
    lines = ["logicmodel: 1", "title: Big", "nodes:"]
    lines += [f"  - {{id: a{i}, kind: activity, label: A{i}}}" for i in range(30)]
    lines += [f"  - {{id: o{i}, kind: output, label: O{i}}}" for i in range(30)]
    lines += ["links:"] + [f"  - {{from: a{i}, to: o{j}}}" for i in range(30) for j in range(30)]
    doc = load_text("\n".join(lines) + "\n")
    assert doc.model is not None
    out = render(doc.model, "mermaid")
    assert out.warnings
    assert out.warnings[0].startswith("LM606 the Mermaid export has 900 links")


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    import os

    from logicmodel.render.output import OutputError, write_atomic

    target = tmp_path / "fig.svg"
    target.write_bytes(b"old")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["fig.svg"]  # no temp file left behind


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")),
    min_size=1, max_size=80).filter(lambda s: s.strip() != "")


@settings(max_examples=40, deadline=None)
@given(labels=st.lists(_TEXT, min_size=2, max_size=4))
def test_any_label_reaches_the_engine_as_text(labels: list[str]) -> None:
    kinds = ["activity", "output", "mechanism", "impact"]
    nodes = "\n".join(f"  - {{id: n{i}, kind: {kinds[i % 4]}, label: {json.dumps(label)}}}"
                      for i, label in enumerate(labels))
    links = "\n".join(f"  - {{from: n{i}, to: n{i + 1}}}" for i in range(len(labels) - 1))
    doc = load_text(f"logicmodel: 1\ntitle: T\nnodes:\n{nodes}\nlinks:\n{links}\n")
    if doc.model is None:  # labels the format itself refuses (e.g. too many lines)
        return
    model = doc.model
    dot = render(model, "dot").data.decode()
    parsed = _engine_json(dot)
    names = {o["name"] for o in parsed["objects"]}
    assert {f"n{i}" for i in range(len(model.nodes))} <= names
    assert all(re.fullmatch(r"(n|h|k|ka|kt|km|kp|ki|%)\d+|kh", x) for x in names), names
    assert len(parsed.get("edges", [])) >= len(model.links)
    check_svg_ok = render(model, "svg").data  # raises LM607 if anything unsafe came out
    assert check_svg_ok.startswith(b"<?xml")
    mmd = render(model, "mermaid").data.decode()
    assert len(re.findall(r"^    n\d+", mmd, re.M)) == len(model.nodes)
    _, front, body = mmd.split("---\n")
    assert all(re.fullmatch(r'config:|  theme: base|  fontFamily: "[A-Za-z, -]+"|'
                            r'  themeVariables:|    [A-Za-z]+: "[#0-9a-z.]+"', line)
               for line in front.splitlines()), front
    assert all(re.match(r"^(flowchart|  subgraph|    direction|    n\d|  end$|  n\d|  linkStyle"
                        r"|    subgraph k|      (direction|k[blt]\d)|    end$|  (s\d+|kb|kl) ~~~"
                        r"|  classDef|  class |  style)", line)
               for line in body.splitlines()), mmd


def test_timed_out_engine_is_killed_and_reaped(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    from logicmodel.render.engine import EngineError

    started: list[subprocess.Popen[bytes]] = []
    real = subprocess.Popen

    def spy(*args: object, **kwargs: object) -> subprocess.Popen[bytes]:
        proc = real(*args, **kwargs)  # type: ignore[call-overload]
        started.append(proc)
        return proc  # type: ignore[no-any-return]

    monkeypatch.setattr(subprocess, "Popen", spy)
    lines = ["digraph {"] + [f"  a{i} -> a{j}" for i in range(250) for j in range(i + 1, i + 30)]
    with pytest.raises(EngineError, match=r"longer than 0\.3 s") as err:
        run_engine(find_engine("embedded"), "\n".join([*lines, "}"]), "svg", timeout=0.3)
    assert err.value.code == "LM602"
    assert started
    assert started[-1].poll() is not None  # killed and reaped, not left running


def test_view_without_key() -> None:
    doc = load_text("logicmodel: 1\ntitle: T\nnodes:\n  - {id: a, kind: activity, label: A}\n"
                    "  - {id: b, kind: output, label: B}\nlinks:\n  - {from: a, to: b}\n"
                    "views:\n  - {id: bare, legend: false}\n")
    assert doc.model is not None
    dot = render(doc.model, "dot", RenderOptions(view="bare")).data.decode()
    assert "// key" not in dot
    assert "Other link" not in dot


def test_scene_with_nothing_to_draw_is_a_view_error() -> None:
    from logicmodel.render.views import ViewError, make_scene
    from logicmodel.schema import View

    model = load(MODELS / "girls_education_logframe.yaml")
    with pytest.raises(ViewError, match="leaves no node to draw"):
        make_scene(model, View(id="x", stages=["mechanism"]))


def test_url_in_label_text_is_not_mistaken_for_an_outside_resource() -> None:
    doc = load_text("logicmodel: 1\ntitle: T\nnodes:\n"
                    "  - {id: a, kind: activity, label: 'Read url(http://x.test) first'}\n")
    assert doc.model is not None
    assert b"url(http://x.test)" in render(doc.model, "svg").data


def test_boxes_grow_for_text_the_engine_cannot_measure() -> None:
    label = "日本語のラベルと中文标签"  # 12 wide characters: the engine measures them as spaces
    doc = load_text("logicmodel: 1\ntitle: T\nnodes:\n"
                    f"  - {{id: a, kind: activity, label: {label}}}\n")
    assert doc.model is not None
    root = ET.fromstring(render(doc.model, "svg").data)
    box = next(g for g in root.iter(f"{SVG_NS}g")
               if g.findtext(f"{SVG_NS}title") == f"{label} (activity)")
    lines = [t.text or "" for t in box.iter(f"{SVG_NS}text")]
    assert "".join(lines) == label
    size = float(next(box.iter(f"{SVG_NS}text")).get("font-size", "10"))
    assert _box_width(box) >= max(len(line) for line in lines) * size  # 1 em per character


@pytest.mark.parametrize("view", [None, "paper"])
@pytest.mark.parametrize("path", ["docs/examples/tinner2024_realist_cmo.yaml",
                                  "models/devolved_budgets.yaml", "models/parenting_realist.yaml"])
def test_a_long_mechanism_is_a_hexagon_not_a_tall_spike(path: str, view: str | None) -> None:
    """A hexagon's slanted sides are as high as its text: a long label wrapped narrow made
    one several times higher than wide; wrapped wider, none is more than 1.5 times."""
    import xml.etree.ElementTree as ET

    svg = render(load(ROOT / path), "svg", RenderOptions(view=view)).data
    ns = "{http://www.w3.org/2000/svg}"
    shapes = []
    for g in ET.fromstring(svg).iter(f"{ns}g"):
        if g.get("class") != "node":
            continue
        for poly in g.findall(f"{ns}polygon"):
            nums = [float(v) for v in re.findall(r"-?[0-9.]+", poly.get("points", ""))]
            if len(nums) == 14:  # six corners, the first repeated
                xs, ys = nums[0::2], nums[1::2]
                shapes.append((g.findtext(f"{ns}title"), (max(ys) - min(ys))
                               / (max(xs) - min(xs))))
    assert shapes, "the figure has mechanisms"
    assert all(aspect <= 0.75 for _, aspect in shapes), shapes


_COLUMN_FIGURES = [
    ("models/devolved_budgets.yaml", {}),
    ("models/devolved_budgets.yaml", {"fit": "page"}),               # stages as rows
    ("models/devolved_budgets.yaml", {"direction": "TB"}),
    ("models/devolved_budgets.yaml", {"view": "resources_pathway", "fit": "column",
                                      "min_font": 6}),
    ("docs/examples/wnep2015_wic_uwex.yaml", {}),
    ("docs/examples/wnep2015_wic_uwex.yaml", {"fit": "page"}),
    ("docs/examples/khan2017_ecd_pakistan.yaml", {"fit": "page"}),
    ("docs/examples/khan2017_ecd_pakistan.yaml", {"fit": "column", "min_font": 6}),
    ("docs/examples/tinner2024_realist_cmo.yaml", {"fit": "column", "min_font": 6}),
    ("docs/examples/white2009_binp_conditions.yaml", {"view": "paper"}),
]


def _stage_boxes(path: str, options: dict[str, object]
                 ) -> tuple[str, dict[tuple[str, str], list[tuple[str, float, float]]]]:
    """The figure's direction, and its boxes by stage and outline: (title, width, height),
    measured from the SVG (the outlines' extents)."""
    from logicmodel.render import render_all
    from logicmodel.render.columns import outline
    from tests.svg_geometry import _frames, node_boxes

    model = load(ROOT / path)
    opts = RenderOptions(**options)  # type: ignore[arg-type]
    [svg] = render_all(model, ["svg"], opts)
    scene = scene_for(model, opts)
    if opts.fit is not None:  # the layout the fit chose: read its direction off the DOT
        dot = render(model, "dot", opts).data.decode()
        direction = "TB" if 'rankdir="TB"' in dot.split("\n", 3)[1] else "LR"
    else:
        direction = scene.direction
    theme = get_theme("paper")
    stage = {}
    for n in scene.nodes:
        kind = model.layout.kind_name(n.kind).lower()
        stage[f"{' '.join(n.label.split())} ({kind})"] = (
            scene.stage[n.id], outline(theme.kinds[n.kind]).shape)
    groups: dict[tuple[str, str], list[tuple[str, float, float]]] = {}
    for b in node_boxes(_frames(svg.data)[0]):
        if b.text in stage:
            groups.setdefault(stage[b.text], []).append((b.text, b.x1 - b.x0, b.y1 - b.y0))
    assert sum(map(len, groups.values())) == len(scene.nodes)
    return direction, groups


@pytest.mark.parametrize(("path", "options"), _COLUMN_FIGURES)
def test_the_boxes_of_a_stage_are_one_width(path: str, options: dict[str, object]) -> None:
    """Boxes of one stage and outline (a column, or a row of stages drawn top to bottom)
    are drawn at one width, within 1 pt, as published logic models draw them; in rows
    they share one height too."""
    direction, groups = _stage_boxes(path, options)
    assert any(len(g) > 1 for g in groups.values()), "a stage with several boxes"
    for key, boxes in groups.items():
        widths = [w for _, w, _ in boxes]
        assert max(widths) - min(widths) <= 1.0, (key, boxes)
        if direction == "TB":
            heights = [h for _, _, h in boxes]
            assert max(heights) - min(heights) <= 1.0, (key, boxes)


@pytest.mark.parametrize(("path", "options"), _COLUMN_FIGURES)
def test_hexagons_and_octagons_are_never_spikes(path: str, options: dict[str, object]
                                               ) -> None:
    """Narrowed to fit, a long mechanism wrapped narrow stood several times higher than
    wide (khan2017 in a column: 2.1 times): none is taller than 0.7 of its width."""
    _, groups = _stage_boxes(path, options)
    for (_, shape), boxes in groups.items():
        if shape in ("hexagon", "octagon"):
            assert all(h <= 0.7 * w + 0.5 for _, w, h in boxes), boxes


CHAIN = '''logicmodel: 1
title: A chain of boxes of different sizes
assumptions:
  - {id: a1, label: Owners can release staff, risk: medium}
nodes:
  - {id: fund, kind: input, label: Fund}
  - id: issue
    kind: activity
    label: Issue vouchers for accredited training courses run by colleges in the region
  - {id: firms, kind: output, label: Firms complete training}
  - {id: adopt, kind: mechanism, label: Firms know how to use digital tools and can afford them}
  - {id: gain, kind: impact, label: Higher productivity}
links:
  - {from: fund, to: issue}
  - {from: issue, to: firms, assumptions: [a1]}
  - {from: firms, to: adopt}
  - {from: adopt, to: gain}
'''


@pytest.mark.parametrize(("direction", "fit"), [("TB", None), ("LR", None), ("TB", "84mm")])
def test_a_chain_of_boxes_is_drawn_with_its_links_straight(direction: str,
                                                           fit: str | None) -> None:
    # one box a stage: each link runs straight from box to box (pulled towards their
    # headings as hard as into line, the boxes sat against them, aligned on their left sides
    # or tops, and each link between boxes of different sizes slanted)
    doc = load_text(CHAIN)
    assert doc.model is not None, doc.diagnostics
    options = RenderOptions(direction=direction, fit=fit)  # type: ignore[arg-type]
    svg = render(doc.model, "svg", options).data
    ns = "{http://www.w3.org/2000/svg}"
    across = 0 if direction == "TB" else 1
    links = 0
    for g in ET.fromstring(svg).iter(f"{ns}g"):
        title = g.find(f"{ns}title")
        if g.get("class") != "edge" or title is None or "(link)" not in (title.text or ""):
            continue
        path = g.find(f"{ns}path")
        assert path is not None
        points = [float(v) for v in re.findall(r"-?[0-9.]+", path.get("d", ""))]
        start, end = points[across], points[-2 + across]
        assert abs(start - end) < 0.5, (title.text, start, end)
        links += 1
    assert links == 4


def test_box_labels_are_wrapped_evenly_in_the_figure() -> None:
    # at a page's size the flagship's labels left a word alone on their last line ("Reduced
    # need for / children to enter / care"); wrapped evenly, in as many lines, no box does but
    # where its words allow no other split ("Relationship-building / activities")
    svg = render(load(FLAGSHIP), "svg", RenderOptions(fit="174x230mm")).data.decode()
    labels = {}
    for g in re.findall(r'<g id="[^"]*" class="node">(.*?)</g>', svg, re.S):
        if "<polygon" in g or "<path" in g:
            lines = [html.unescape(t).strip()
                     for t in re.findall(r"<text[^>]*>([^<]*)</text>", g)]
            if lines[-1].startswith("["):  # its markers
                lines.pop()
            labels[" ".join(lines)] = lines
    for text in ("Reduced need for children to enter care",
                 "Identify eligible families or young people"):
        assert len(labels[text]) > 1, labels[text]
        assert len(labels[text][-1].split()) > 1, labels[text]
    # a word alone on the last line only where every split leaves a word alone: three words
    # or fewer (the fit chooses the width: the labels' lines depend on the layout it keeps)
    alone = {text for text, lines in labels.items()
             if len(lines) > 1 and len(lines[-1].split()) == 1}
    assert alone <= {"Relationship-building activities", "Improved worker-family relationship"}
    assert all(len(text.split()) <= 3 for text in alone)


def test_svg_boxes_go_back_to_the_models_order() -> None:
    from logicmodel.render.svg import _boxes_in_file_order

    def box(k: int) -> bytes:
        return (f'<!-- n{k} -->\n<g id="node{k + 1}" class="node">\n<title>n{k}</title>\n'
                f'<text>{k}</text>\n</g>\n').encode()

    head, tail = b'<svg>\n<g id="graph0" class="graph">\n', b"</g>\n</svg>\n"
    swapped = head + box(1) + box(0) + box(2) + tail
    assert _boxes_in_file_order(swapped) == head + box(0) + box(1) + box(2) + tail
    in_order = head + box(0) + box(1) + box(2) + tail
    assert _boxes_in_file_order(in_order) is in_order  # not copied: nothing to move
    assert _boxes_in_file_order(head + tail) == head + tail
