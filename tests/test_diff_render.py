"""`logicmodel diff --render`: the new version drawn with additions, changes and removals marked.

The DOT of the flagship model against its protocol version (both ways) is compared
with golden files; SVG, PNG and PDF come from the real engines and are parsed.
"""

from __future__ import annotations

import itertools
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from logicmodel.diff import diff_models
from logicmodel.loader import load
from logicmodel.render import RenderError, RenderOptions, render
from logicmodel.render.diff import (
    diff_scene,
    render_diff,
    render_diff_all,
    render_diff_to_files,
)
from tests.conftest import ROOT, CliResult, needs_dot

Cli = Callable[..., CliResult]
FLAGSHIP = "models/devolved_budgets.yaml"
PROTOCOL = "docs/examples/devolved_budgets_protocol.yaml"
BROKEN = "tests/negative/graph/devolved_budgets_typos.yaml"
SVG_NS = "{http://www.w3.org/2000/svg}"
MINUS = "\N{MINUS SIGN}"





def _mark(line: str) -> str | None:
    """The markers a DOT link line shows (its label, or its head or tail label), padding aside."""
    m = (re.search(r'(?:head|tail)label="([^"]*)"', line)
         or re.search(r'\blabel="([^"]*)"', line))
    text = m.group(1).replace("\\n", " ").strip() if m else ""
    return text or None


def _marks(dot: str) -> list[str]:
    return [m for line in dot.splitlines() if "->" in line and (m := _mark(line))]

def _nodes(dot: str) -> dict[str, str]:
    """The first line of each drawn node's label -> its attribute list, from the DOT text."""
    out = {}
    for m in re.finditer(r'^  (n\d+) \[label="([^"\\]*(?:\\.[^"\\]*)*)"(.*)\]$', dot, re.M):
        out[m.group(2).split("\\n")[0]] = m.group(3)
    return out


def _starting(nodes: dict[str, str], text: str) -> str:
    """The attributes of the one node whose label's first line starts with ``text``."""
    [found] = [attrs for first, attrs in nodes.items() if first.startswith(text)]
    return found


def _key(dot: str) -> list[str]:
    """The texts of the key: sample boxes and line entries."""
    boxes = re.findall(r'^  k\d+ \[[^\n]*?\blabel="([^"]*)"', dot, re.M)
    lines = re.findall(r'^  kt\d+ \[[^\n]*?\blabel="([^"]*)"', dot, re.M)
    return boxes + [t.replace("\\l", " ").strip() for t in lines]


@pytest.fixture(scope="module")
def protocol_and_final() -> tuple[object, object]:
    return load(ROOT / PROTOCOL), load(ROOT / FLAGSHIP)


def test_golden_dot_protocol_to_final(protocol_and_final: tuple[object, object],
                                      golden: Callable[[str, str], None]) -> None:
    old, new = protocol_and_final
    dot = render_diff(old, new, "dot").data.decode()  # type: ignore[arg-type]
    golden("diff/protocol_to_final.dot", dot)
    nodes = _nodes(dot)
    # added: "+" and a thick border; changed (an indicator of the impact): a delta
    assert 'penwidth="3"' in _starting(nodes, "+ Austerity: councils")
    assert "Δ Reduced need for" in nodes
    # the final version also sources its funding, budget rules and indicators (a delta)
    marked = [k for k in nodes if k[:2] in ("+ ", "Δ ", f"{MINUS} ")]
    assert [k for k in marked if k[0] == "+"] == ["+ Austerity: councils"]
    for text in ("Δ Reduced need for", "Δ Change Programme funding",
                 "Δ Devolved budget"):
        assert [k for k in marked if k.startswith(text)], text
    assert not [k for k in marked if k.startswith(MINUS)]
    # links: L03b added; L16 (evidence added) changed, keeping its marker A2
    assert _marks(dot).count("+") == 1
    assert "Δ A2" in _marks(dot)
    # L25, a feedback link, changed: drawn back along its link forward as a plain one is,
    # its sign a tail label (beside its line once laid out), not a label
    [back] = [line for line in dot.splitlines() if 'class="lm-back"' in line]
    assert 'label="   "' in back
    assert 'taillabel="Δ"' in back
    # a changed link: its line with a band beside it; an added one heavier
    assert 'color="black:gray78"' in dot
    assert 'penwidth="3.6"' in dot
    # the key lists what is used, and nothing else
    key = _key(dot)
    assert "+ Added" in key
    assert "Δ Changed" in key
    assert "Added link (+)" in key
    assert "Changed link (Δ)" in key
    assert not [k for k in key if "Removed" in k]
    assert "Pathway: Resources dedicated to the family's needs (Δ route changed)" in key
    assert "A5  Δ Budgets reach families near the care threshold" in dot  # risk changed


def test_golden_dot_final_to_protocol_shows_removals(protocol_and_final: tuple[object, object],
                                                     golden: Callable[[str, str], None]
                                                     ) -> None:
    protocol, final = protocol_and_final
    dot = render_diff(final, protocol, "dot").data.decode()  # type: ignore[arg-type]
    golden("diff/final_to_protocol.dot", dot)
    nodes = _nodes(dot)
    removed = _starting(nodes, f"{MINUS} Austerity: councils")
    # dotted, as the figure of the variants draws what a variant removes: a context's
    # border is dashed
    assert 'style="filled,dotted"' in removed
    assert 'color="gray50"' in removed
    assert _marks(dot).count(MINUS) == 1   # L03b, drawn from the old model
    assert sum(1 for line in dot.splitlines() if "->" in line and _mark(line) == MINUS
               and all(a in line for a in ('color="gray50"', 'style="dotted"',
                                           'penwidth="1.4"'))) == 1
    key = _key(dot)
    assert f"{MINUS} Removed" in key
    assert f"Removed link ({MINUS})" in key
    assert not [k for k in key if "Added" in k]


def test_removed_node_is_drawn_where_it_was(protocol_and_final: tuple[object, object]) -> None:
    protocol, final = protocol_and_final
    scene = diff_scene(final, protocol)  # type: ignore[arg-type]
    order = [n.id for n in scene.nodes]
    # in the final version ctx_austerity follows ctx_manager_control: the figure keeps it there
    assert order[order.index("ctx_austerity") - 1] == "ctx_manager_control"
    assert scene.stage["ctx_austerity"] == "context"
    assert order == [n.id for n in final.nodes]  # type: ignore[attr-defined]


SMALL_OLD = """\
logicmodel: 1
title: Home visiting
nodes:
  - {id: early, kind: outcome, horizon: short, label: Fewer missed appointments}
  - {id: nurses, kind: input, label: Funding}
  - {id: visits, kind: activity, label: Home visits}
  - {id: trust, kind: mechanism, label: Parent trusts the nurse}
  - {id: help, kind: outcome, horizon: short, label: Parents seek help early}
links:
  - {from: nurses, to: visits}
  - {from: visits, to: trust}
  - {from: trust, to: help}
  - {from: visits, to: early}
"""
SMALL_NEW = """\
logicmodel: 1
title: Home visiting
nodes:
  - {id: nurses, kind: input, label: Funding for nurses}
  - {id: visits, kind: activity, label: Home visits}
  - {id: help, kind: outcome, horizon: short, label: Parents seek help early}
  - {id: health, kind: impact, label: Healthier children}
links:
  - {from: nurses, to: visits}
  - {from: visits, to: help, assumptions: [home]}
  - {from: help, to: health}
assumptions:
  - {id: home, label: Parents are at home for the visits}
pathways:
  - {id: seek, label: Help-seeking, nodes: [visits, help, health]}
"""


def test_removed_stage_and_first_node_come_back() -> None:
    old, new = load(SMALL_OLD), load(SMALL_NEW)
    scene = diff_scene(old, new)
    # `early` was first in the old file: first in its column; the mechanisms column returns
    assert [n.id for n in scene.nodes] == ["early", "nurses", "visits", "trust", "help", "health"]
    assert scene.stages == ["input", "activity", "mechanism", "outcome_short", "impact"]
    signs = {n: m.sign for n, m in scene.node_highlight.items()}
    assert signs == {"nurses": "Δ", "health": "+", "early": MINUS, "trust": MINUS}
    links = {(lk.source, lk.target): m.sign for lk in scene.links
             if (m := scene.link_highlight.get(id(lk)))}
    assert links == {("visits", "help"): "+", ("help", "health"): "+",
                     ("visits", "trust"): MINUS, ("trust", "help"): MINUS,
                     ("visits", "early"): MINUS}
    dot = render_diff(old, new, "dot").data.decode()
    assert '"Mechanisms"' in dot
    assert 'style="filled,dotted"' in _nodes(dot)[f"{MINUS} Parent trusts the nurse"]
    # a removed outcome keeps its kind's rounded corners, with a dotted border
    early = next(v for k, v in _nodes(dot).items() if k.startswith(f"{MINUS} Fewer missed"))
    assert 'style="rounded,filled,dotted"' in early
    # added assumptions and pathways are marked in the key
    assert "A1  + Parents are at home for the visits" in dot
    assert "Pathway: Help-seeking (+ added)" in _key(dot)
    assert "+ A1" in _marks(dot)


def test_no_change_draws_the_plain_figure(protocol_and_final: tuple[object, object]) -> None:
    _, model = protocol_and_final
    plain = render(model, "dot").data.decode()  # type: ignore[arg-type]
    same = render_diff(model, model, "dot").data.decode()  # type: ignore[arg-type]
    assert same.splitlines()[1:] == plain.splitlines()[1:]
    assert same.splitlines()[0].endswith(': changes" {')


def test_removed_elements_show_no_markers(tmp_path: Path) -> None:
    old = load(ROOT / FLAGSHIP)
    lk = next(x for x in old.links if x.assumptions and x.id)  # a link with an A marker
    assert lk.id is not None
    final = (ROOT / FLAGSHIP).read_text(encoding="utf-8")
    pruned = tmp_path / "pruned.yaml"
    pruned.write_text(_drop_link(final, lk.id), encoding="utf-8")
    new = load(pruned)
    d = diff_models(old, new)
    assert [(c.section, c.id, c.kind) for c in d.changes] == [("links", lk.id, "removed")]
    dot = render_diff(old, new, "dot").data.decode()
    edge = next(line for line in dot.splitlines() if f'label="{MINUS}"' in line)
    assert "A" not in edge.split("label=")[1]
    # a removed plain link is no "Other link" of its own
    assert _key(dot).count("Other link") == 1


def _drop_link(text: str, link_id: str) -> str:
    """The flagship's text without the flow-style link ``link_id`` (it may span lines)."""
    start = text.index(f"  - {{id: {link_id},")
    end = text.index("\n  - ", start + 1)
    return text[:start] + text[end + 1:]


def test_color_theme_colours_the_borders_too(protocol_and_final: tuple[object, object]
                                             ) -> None:
    old, new = protocol_and_final
    dot = render_diff(old, new, "dot", RenderOptions(theme="color")).data.decode()  # type: ignore[arg-type]
    nodes = _nodes(dot)
    assert 'color="#009E73"' in _starting(nodes, "+ Austerity: councils")
    assert 'color="#E69F00"' in _starting(nodes, "Δ Reduced need for")


def test_svg_is_deterministic_safe_and_marks_the_changes(
        protocol_and_final: tuple[object, object]) -> None:
    protocol, final = protocol_and_final  # final -> protocol: removed and changed appear
    first = render_diff(final, protocol, "svg").data  # type: ignore[arg-type]
    assert first == render_diff(final, protocol, "svg").data  # type: ignore[arg-type]
    text = first.decode()
    assert "/work" not in text
    assert "<script" not in text
    root = ET.fromstring(first)
    desc = root.find(f"{SVG_NS}desc").text or ""  # type: ignore[union-attr]
    counts = diff_models(final, protocol).counts()  # type: ignore[arg-type]
    assert (f"compared with old: {counts['added']} added, {counts['removed']} removed, "
            f"{counts['changed']} changed. Changed: ") in desc
    assert ("Reduced need for children to enter care. Removed: Austerity: councils unused "
            "to giving money.") in desc
    drawn = [t.text or "" for t in root.iter(f"{SVG_NS}text")]
    assert any(line.startswith(f"{MINUS} Austerity: councils") for line in drawn)
    assert f"{MINUS} Removed" in drawn
    # removed nodes and links are drawn dashed
    dashed = [g for g in root.iter(f"{SVG_NS}g")
              if any(MINUS in (t.text or "") for t in g.iter(f"{SVG_NS}text"))
              and any(p.get("stroke-dasharray") for p in g.iter()
                      if p.tag in (f"{SVG_NS}path", f"{SVG_NS}polygon"))]
    assert len(dashed) >= 2  # one node, one link (and the key's sample)


def test_figure_names_no_absolute_path(protocol_and_final: tuple[object, object]) -> None:
    old, new = protocol_and_final
    d = diff_models(old, new, str(ROOT / PROTOCOL), FLAGSHIP)  # type: ignore[arg-type]
    svg = render_diff(old, new, "svg", d=d).data.decode()  # type: ignore[arg-type]
    assert "compared with devolved_budgets_protocol.yaml: 8 added" in svg
    assert str(ROOT) not in svg


def test_png_and_svg_from_the_library_write_all_or_nothing(
        protocol_and_final: tuple[object, object], tmp_path: Path) -> None:
    old, new = protocol_and_final
    outs = [tmp_path / "c.svg", tmp_path / "c.png"]
    render_diff_to_files(old, new, outs)  # type: ignore[arg-type]
    assert outs[0].read_bytes().startswith(b"<?xml")
    assert outs[1].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(RenderError) as exc:
        render_diff_to_files(old, new, [tmp_path / "d.svg", tmp_path / "d.mmd"])  # type: ignore[arg-type]
    assert exc.value.code == "LM609"
    assert not (tmp_path / "d.svg").exists()


# --- the command line ---------------------------------------------------------------


def test_cli_prints_the_diff_and_writes_every_figure(cli: Cli, tmp_path: Path) -> None:
    outs = [tmp_path / f"changes.{s}" for s in ("svg", "png", "dot")]
    r = cli("diff", PROTOCOL, FLAGSHIP, *[a for o in outs for a in ("--render", str(o))])
    assert r.code == 0, r.err
    assert r.out == cli("diff", PROTOCOL, FLAGSHIP).out  # the text diff is unchanged
    assert r.err.splitlines() == [f"wrote {o}" for o in outs]
    assert outs[0].read_bytes().startswith(b"<?xml")
    assert outs[1].read_bytes()[:4] == b"\x89PNG"
    old, new = load(ROOT / PROTOCOL), load(ROOT / FLAGSHIP)
    # one layout for every file: the DOT says what the SVG and PNG draw
    assert outs[2].read_bytes() == render_diff_all(old, new, ["svg", "png", "dot"])[2].data
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_cli_json_stays_json_and_exit_code_still_applies(cli: Cli, tmp_path: Path) -> None:
    r = cli("diff", PROTOCOL, FLAGSHIP, "--format", "json", "--exit-code",
            "--render", str(tmp_path / "c.dot"), "--theme", "color", "--direction", "TB")
    assert r.code == 1
    assert r.out.startswith("{")
    dot = (tmp_path / "c.dot").read_text()
    assert "rankdir=\"TB\"" in dot
    assert "#009E73" in dot


@needs_dot
def test_cli_pdf(cli: Cli, tmp_path: Path) -> None:
    r = cli("diff", PROTOCOL, FLAGSHIP, "--render", str(tmp_path / "c.pdf"))
    assert r.code == 0, r.err
    data = (tmp_path / "c.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/FontFile" in data
    r = cli("diff", PROTOCOL, FLAGSHIP, "--render", str(tmp_path / "d.pdf"))
    assert (tmp_path / "d.pdf").read_bytes() == data  # the same bytes every time


def test_invalid_model_reports_located_errors_and_writes_nothing(cli: Cli, tmp_path: Path
                                                                 ) -> None:
    old = tmp_path / "c.svg"
    old.write_text("old figure")
    r = cli("diff", PROTOCOL, BROKEN, "--render", str(old), "--render", str(tmp_path / "n.dot"))
    assert r.code == 1
    located = [line for line in r.err.splitlines() if re.match(rf"{BROKEN}:\d+:\d+: LM", line)]
    assert located
    assert old.read_text() == "old figure"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.svg"]


def test_mermaid_and_unknown_suffixes_are_usage_errors(cli: Cli, tmp_path: Path) -> None:
    for name, says in (("c.mmd", "cannot be drawn as Mermaid"),
                       ("c.jpg", "cannot tell the format")):
        r = cli("diff", PROTOCOL, FLAGSHIP, "--render", str(tmp_path / "ok.svg"),
                "--render", str(tmp_path / name))
        assert r.code == 2
        assert r.out == ""
        assert "logicmodel: LM609 " in r.err
        assert says in r.err
        assert ("hint: a diff figure can be .svg, .png, .pdf, .eps, .tif, .dot or .txt "
                "(the key as text)") in r.err
    assert list(tmp_path.iterdir()) == []


def test_unsafe_or_unwritable_outputs(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("keep")
    link = tmp_path / "c.svg"
    link.symlink_to(target)
    r = cli("diff", PROTOCOL, FLAGSHIP, "--render", str(link))
    assert r.code == 3
    assert "LM605" in r.err
    assert target.read_text() == "keep"
    if os.geteuid() != 0:  # root can write anywhere
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        r = cli("diff", PROTOCOL, FLAGSHIP, "--render", str(ro / "c.svg"))
        assert r.code == 3
        assert "LM604" in r.err


def test_missing_engine_is_lm601_and_writes_nothing(cli: Cli, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from logicmodel.render import engine as engine_module

    monkeypatch.setattr(engine_module, "_FOUND", {})
    monkeypatch.setattr(engine_module, "_embedded_path", lambda: None)
    # the DOT needs no engine, the SVG does: neither file is written
    r = cli("diff", PROTOCOL, FLAGSHIP, "--render", str(tmp_path / "c.dot"),
            "--render", str(tmp_path / "c.svg"))
    assert r.code == 3
    assert "LM601 the embedded layout engine (graphviz-pure) is not installed" in r.err
    assert list(tmp_path.iterdir()) == []


def test_git_revision_against_a_file(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "c.dot"
    r = cli("diff", f"HEAD:{PROTOCOL}", FLAGSHIP, "--render", str(out))
    assert r.code == 0, r.err
    assert r.out.startswith(f"--- HEAD:{PROTOCOL}\n")
    assert "+ Austerity: councils" in out.read_text()


@pytest.mark.parametrize("option", [("--theme", "color"), ("--fit", "174mm"),
                                    ("--min-font", "6"), ("--key", "none"),
                                    ("--timeout", "5")])
def test_figure_options_need_render(cli: Cli, option: tuple[str, str]) -> None:
    r = cli("diff", PROTOCOL, FLAGSHIP, *option)
    assert r.code == 2
    assert r.out == ""
    assert ("logicmodel diff: --theme, --direction, --compact, --fit, --min-font, --key, "
            "--dpi, --timeout and --engine are for --render FILE") in r.err


def test_render_is_refused_in_git_driver_mode(cli: Cli, tmp_path: Path) -> None:
    r = cli("diff", "--git-driver", FLAGSHIP, FLAGSHIP, "0" * 40, "100644", FLAGSHIP,
            "0" * 40, "100644", "--render", str(tmp_path / "c.svg"))
    assert r.code == 2
    assert "--render cannot be used with --git-driver" in r.err
    assert list(tmp_path.iterdir()) == []


def test_check_stays_lean() -> None:
    import subprocess
    import sys

    code = (f"import sys; from logicmodel.cli import main; main(['check', {FLAGSHIP!r}]); "
            "print(sorted(m for m in sys.modules if m.startswith('logicmodel.render') "
            "or m in ('networkx', 'graphviz')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def _edge_strokes(svg: bytes) -> dict[str, list[tuple[str, str, str]]]:
    """Each drawn link's title -> the (stroke, dash pattern, width) of its lines, from the SVG."""
    out = {}
    for g in ET.fromstring(svg).iter(f"{SVG_NS}g"):
        title = g.findtext(f"{SVG_NS}title") or ""
        if g.get("class") == "edge" and title.endswith("(link)"):
            out[title] = [(p.get("stroke") or "", p.get("stroke-dasharray") or "",
                           p.get("stroke-width") or "1") for p in g.iter(f"{SVG_NS}path")]
    return out


@pytest.mark.parametrize("theme", ["paper", "color"])
def test_a_pathway_keeps_its_style_in_diff_figures(theme: str) -> None:
    """A changed link on a pathway keeps its line, in its colour, dash pattern and width,
    with a light band beside it, dashed as the line is."""
    model = load(ROOT / FLAGSHIP)
    on_pathway = {lk.id for lk in model.links if lk.id in ("L09", "L12")}
    assert on_pathway == {"L09", "L12"}
    links = [lk.model_copy(update={"rationale": "Changed for the test."})
             if lk.id in on_pathway else lk for lk in model.links]
    changed = model.model_copy(update={"links": links})
    assert {c.id for c in diff_models(model, changed).changes} == on_pathway
    options = RenderOptions(theme=theme)
    plain = _edge_strokes(render(model, "svg", options).data)
    marked = _edge_strokes(render_diff(model, changed, "svg", options).data)
    assert plain.keys() == marked.keys()
    assert len({s[:2] for v in plain.values() for s in v}) >= 3  # plain and both pathways
    band = {"paper": "#c7c7c7", "color": "#f2c879"}[theme]
    banded = set()
    for title, lines in marked.items():
        if lines != plain[title]:
            banded.add(title)
            [line] = plain[title]
            assert lines == [line, (band, line[1], line[2])], title
    assert len(banded) == 2
    assert all(t.startswith("Buy goods and services quickly") for t in banded)


# --- fitted to a page (`--fit`, `--min-font`, `--key`, as `render`) -------------------------

MM = 72 / 25.4


def _final_smallest_pt(svg: bytes) -> float:
    """The smallest text of an SVG at its printed size (width over viewBox width)."""
    from logicmodel.render.svg import measure_svg

    width, _, smallest = measure_svg(svg)
    m = re.search(rb'viewBox="[0-9.]+ [0-9.]+ ([0-9.]+) ', svg)
    assert m is not None
    return float(smallest * width / float(m.group(1)))


def _size_mm(svg: bytes) -> tuple[float, float]:
    root = ET.fromstring(svg)
    return (float(root.get("width", "").removesuffix("pt")) / MM,
            float(root.get("height", "").removesuffix("pt")) / MM)


def test_fit_draws_the_figure_at_the_width_asked_with_readable_text(cli: Cli,
                                                                     tmp_path: Path) -> None:
    # unfitted it is 552 x 150 mm with 10 pt text: 3 pt at 174 mm
    png, svg = tmp_path / "d.png", tmp_path / "d.svg"
    r = cli("diff", PROTOCOL, FLAGSHIP, "--render", str(png), "--render", str(svg),
            "--fit", "174mm")
    assert r.code == 0, r.err
    # it fits: no LM619; 174 mm wide, it is taller than a page (LM625, a note)
    assert r.err.splitlines()[:2] == [f"wrote {png}", f"wrote {svg}"]
    assert [line[:17] for line in r.err.splitlines()[2:]] == ["logicmodel: LM625"]
    width, _ = _size_mm(svg.read_bytes())
    assert width == pytest.approx(174, abs=0.05)
    assert _final_smallest_pt(svg.read_bytes()) >= 7.0
    from PIL import Image

    with Image.open(png) as im:
        dpi = im.info["dpi"]
        assert dpi[0] == pytest.approx(300, abs=0.01)
        assert im.size[0] / dpi[0] * 25.4 == pytest.approx(174, abs=0.2)
    # the stages turned to rows to fit (as `render --fit` turns them), and the DOT written
    # beside says so
    dot = cli("diff", PROTOCOL, FLAGSHIP, "--render", str(tmp_path / "d.dot"), "--fit", "174mm")
    assert 'rankdir="TB"' in (tmp_path / "d.dot").read_text()
    assert dot.code == 0
    # --dpi at final size
    r = cli("diff", PROTOCOL, FLAGSHIP, "--render", str(tmp_path / "e.png"), "--fit", "174mm",
            "--dpi", "150")
    with Image.open(tmp_path / "e.png") as im:
        assert im.size[0] / 150 * 25.4 == pytest.approx(174, abs=0.3)


def test_a_diff_figure_that_cannot_fit_says_what_it_needs(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "d.svg"
    r = cli("diff", PROTOCOL, FLAGSHIP, "--render", str(out), "--render",
            str(tmp_path / "d.pdf"), "--fit", "column")
    assert r.code == 0, r.err
    assert r.err.count("LM619") == 1  # once for the layout, not once per file
    assert ("logicmodel: LM619 the figure does not fit 84 x 230 mm with text of at least "
            "7 pt: it needs ") in r.err
    assert _final_smallest_pt(out.read_bytes()) >= 7.0 - 0.01  # never shrunk below it
    r = cli("diff", PROTOCOL, FLAGSHIP, "--render", str(out), "--fit", "column",
            "--min-font", "4")
    assert r.code == 0, r.err
    assert "LM619" not in r.err
    width, height = _size_mm(out.read_bytes())
    assert width <= 84.01
    assert height <= 230.01
    assert _final_smallest_pt(out.read_bytes()) >= 4.0 - 0.01


@pytest.mark.parametrize("bad", ["bogus", "174x230", "2mm"])
def test_a_fit_that_cannot_be_read_is_render_s_error_before_any_work(
        cli: Cli, tmp_path: Path, bad: str) -> None:
    out = tmp_path / "d.png"
    d = cli("diff", PROTOCOL, FLAGSHIP, "--render", str(out), "--fit", bad)
    r = cli("render", FLAGSHIP, "-o", str(out), "--fit", bad)
    assert d.code == r.code == 2
    assert d.out == ""
    assert d.err == r.err
    assert d.err.startswith("logicmodel: LM620 ")
    assert list(tmp_path.iterdir()) == []


def test_key_options(cli: Cli, tmp_path: Path) -> None:
    sizes = {}
    for key in ("below", "beside", "none", "caption"):
        out = tmp_path / f"{key}.svg"
        r = cli("diff", PROTOCOL, FLAGSHIP, "--render", str(out), "--key", key,
                "--direction", "TB")
        assert r.code == 0, r.err
        svg = out.read_bytes()
        sizes[key] = _size_mm(svg)
        drawn = {t.text for t in ET.fromstring(svg).iter(f"{SVG_NS}text")}
        assert ("Changed link (Δ)" in drawn) == (key in ("below", "beside")), key
    assert sizes["beside"][0] > sizes["below"][0]  # the key beside: wider, not as high
    assert sizes["beside"][1] < sizes["below"][1]
    assert sizes["none"] == sizes["caption"]
    assert sizes["none"][1] < sizes["below"][1]
    # the key as caption text, for a figure drawn without it
    txt = tmp_path / "key.txt"
    r = cli("diff", PROTOCOL, FLAGSHIP, "--render", str(tmp_path / "c.svg"), "--render",
            str(txt), "--key", "caption")
    assert r.code == 0, r.err
    caption = txt.read_text(encoding="utf-8")
    assert caption.startswith("Key. ")
    assert "added link (+)" in caption
    assert "changed link (Δ)" in caption


@pytest.mark.parametrize("options", [RenderOptions(direction="TB"),
                                     RenderOptions(direction="TB", compact=True),
                                     RenderOptions(fit="174mm"), RenderOptions()],
                         ids=["rows", "rows-compact", "fit-174mm", "columns"])
def test_a_changed_feedback_link_runs_back_beside_its_link_forward(
        protocol_and_final: tuple[object, object], options: RenderOptions) -> None:
    """With the stages as rows. Its sign, a label, had the engine send it round the stage
    between (a loop 4-8 times as long as in the plain figure, along the boxes' edges and
    across arrowheads)."""
    from tests.svg_geometry import returning_lines

    old, new = protocol_and_final
    plain = {r.link: r for r in returning_lines(render(new, "svg", options).data, 6)}  # type: ignore[arg-type]
    drawn = {r.link: r for r in returning_lines(
        render_diff(old, new, "svg", options).data, 6)}  # type: ignore[arg-type]
    link = ("Improved worker-family relationship → Worker and family decide what would help "
            "(feedback link)")
    assert drawn[link].length <= 1.15 * plain[link].length, (drawn[link], plain[link])
    # two lines, not one smudged one (5.9 pt apart, ink to ink, at 174 mm)
    assert drawn[link].middle >= 5.5


# --- how each mark is drawn: told apart by its line, sampled in the key as drawn ----------

def _strokes(g: ET.Element) -> tuple[tuple[str, str, str], ...]:
    """The (colour, dash pattern, width) of each line an edge group draws, in order."""
    return tuple((p.get("stroke") or "", p.get("stroke-dasharray") or "",
                  p.get("stroke-width") or "1") for p in g.findall(f"{SVG_NS}path"))


def _head(g: ET.Element) -> tuple[str, str] | None:
    """An edge group's arrowhead: its fill (none for an open head) and outline width."""
    head = g.find(f"{SVG_NS}polygon")
    return None if head is None else (head.get("fill") or "", head.get("stroke-width") or "1")


def _samples(svg: bytes) -> dict[str, ET.Element]:
    """The key's line samples, by the text beside each: the sample whose line ends nearest
    the left of the text, on its line."""
    root = ET.fromstring(svg)
    key = next(g for g in root.iter(f"{SVG_NS}g") if g.get("id") == "lm-key")
    edges = [g for g in key.iter(f"{SVG_NS}g") if "edge" in (g.get("class") or "")]
    ends = []
    for g in edges:
        d = g.find(f"{SVG_NS}path").get("d", "")  # type: ignore[union-attr]
        nums = [float(v) for v in re.findall(r"-?\d+\.?\d*", d)]
        ends.append((nums[-2], nums[-1], g))
    out = {}
    for t in key.iter(f"{SVG_NS}text"):
        x, y = float(t.get("x", "0")), float(t.get("y", "0"))
        near = [(x - ex, g) for ex, ey, g in ends if 0 < x - ex < 30 and abs(y - 2.4 - ey) < 4]
        if near:
            out[t.text or ""] = min(near, key=lambda n: n[0])[1]
    return out


def _marked_edges(old: object, new: object, svg: bytes) -> dict[str, list[ET.Element]]:
    """The figure's edge groups of each mark's links (mark name -> groups)."""
    scene = diff_scene(old, new)  # type: ignore[arg-type]
    labels = {n.id: " ".join(n.label.split()) for n in scene.nodes}
    names: dict[str, str] = {}
    for lk in scene.links:
        mark = scene.link_highlight.get(id(lk))
        if mark is not None:
            kind = "feedback link" if lk.feedback else "link"
            names[f"{labels[lk.source]} \u2192 {labels[lk.target]} ({kind})"] = mark.name
    out: dict[str, list[ET.Element]] = {}
    for g in ET.fromstring(svg).iter(f"{SVG_NS}g"):
        title = g.findtext(f"{SVG_NS}title") or ""
        if g.get("class") == "edge" and title in names:
            out.setdefault(names[title], []).append(g)
    return out


MARK_OPTIONS = [RenderOptions(), RenderOptions(theme="color"), RenderOptions(fit="174mm"),
                RenderOptions(theme="color", fit="84mm")]
MARK_IDS = ["paper", "color", "paper-174mm", "color-84mm"]


@pytest.mark.parametrize("options", MARK_OPTIONS, ids=MARK_IDS)
def test_each_mark_is_drawn_as_its_key_sample(protocol_and_final: tuple[object, object],
                                             options: RenderOptions) -> None:
    """Every line of an added or removed link has its key sample's strokes (colour, dash,
    width) and arrowhead; a changed one its sample's band, as wide, beside a line as wide,
    the sample being the first changed pathway's line as the figure draws it."""
    protocol, final = protocol_and_final
    forward = render_diff(protocol, final, "svg", options).data  # type: ignore[arg-type]
    back = render_diff(final, protocol, "svg", options).data  # type: ignore[arg-type]
    drawn = {**_marked_edges(protocol, final, forward),
             "Removed": _marked_edges(final, protocol, back)["Removed"]}
    samples = {**_samples(forward), **_samples(back)}
    assert {"Added", "Changed", "Removed"} <= drawn.keys()
    for name, text in (("Added", "Added link (+)"), ("Removed", f"Removed link ({MINUS})")):
        sample = samples[text]
        for g in drawn[name]:
            assert _strokes(g) == _strokes(sample), (name, g.findtext(f"{SVG_NS}title"))
            assert _head(g) == _head(sample), (name, g.findtext(f"{SVG_NS}title"))
    sample = _strokes(samples["Changed link (Δ)"])
    assert len(sample) == 2  # the line, and its band beside it
    line, band = sample
    lines = []
    for g in drawn["Changed"]:
        strokes = _strokes(g)
        assert len(strokes) == 2, g.findtext(f"{SVG_NS}title")
        theirs = [s for s in strokes if s[0] == band[0]]
        assert theirs, g.findtext(f"{SVG_NS}title")
        assert all(s[2] == band[2] for s in strokes), g.findtext(f"{SVG_NS}title")
        own = next(s for s in strokes if s[0] != band[0])
        assert theirs[0][1] == own[1]  # the band dashed as its line, which keeps its style
        lines.append(own)
    assert line in lines  # the sample is one of the lines drawn, as drawn


@pytest.mark.parametrize("theme", ["paper", "color"])
def test_marks_differ_from_each_other_and_feedback_by_their_lines(
        protocol_and_final: tuple[object, object], theme: str) -> None:
    """Added, changed and removed links, and feedback links, are told apart by their lines
    (not by their sign, nor by the fill of an arrowhead): each pair of their key samples
    differs in dash pattern, in the lines drawn (a band), or in width by a point or more."""
    protocol, final = protocol_and_final
    options = RenderOptions(theme=theme)
    samples = {**_samples(render_diff(protocol, final, "svg", options).data),  # type: ignore[arg-type]
               **_samples(render_diff(final, protocol, "svg", options).data)}  # type: ignore[arg-type]
    looks = {name: _strokes(samples[text]) for name, text in (
        ("added", "Added link (+)"), ("changed", "Changed link (Δ)"),
        ("removed", f"Removed link ({MINUS})"), ("feedback", "Feedback link"))}

    def apart(a: tuple[tuple[str, str, str], ...], b: tuple[tuple[str, str, str], ...]) -> bool:
        return (len(a) != len(b) or a[0][1] != b[0][1]
                or abs(float(a[0][2]) - float(b[0][2])) >= 1.0)

    for (m, a), (n, b) in itertools.combinations(looks.items(), 2):
        assert apart(a, b), (m, a, n, b)


def test_a_changed_feedback_link_leaves_the_figure_as_high_as_the_model(
        protocol_and_final: tuple[object, object]) -> None:
    """With the stages as columns, its sign drawn after the layout, not as a label (with
    one, the engine sent it round the outputs, under them all: 467 pt high, the model 411)."""
    protocol, final = protocol_and_final
    plain = _size_mm(render(final, "svg").data)  # type: ignore[arg-type]
    drawn = render_diff(protocol, final, "svg").data  # type: ignore[arg-type]
    assert _size_mm(drawn)[1] <= 1.10 * plain[1], (_size_mm(drawn), plain)
    # and its sign beside it, away from the arrowhead at the box it returns to
    from tests.test_render_collisions import astray

    assert astray(drawn) == []


@pytest.mark.parametrize("options", [*MARK_OPTIONS, RenderOptions(direction="TB")],
                         ids=[*MARK_IDS, "rows"])
def test_diff_figures_have_no_collisions(protocol_and_final: tuple[object, object],
                                         options: RenderOptions) -> None:
    """The signs clear of every line and beside their own (a changed feedback link's, with
    the stages as rows, was drawn by the engine a few points off the place found for it:
    across its line), the arrowheads apart or shared."""
    from tests.svg_geometry import collisions, headless_ends, past_the_tip, piled_heads
    from tests.test_render_collisions import astray

    protocol, final = protocol_and_final
    for old, new in ((protocol, final), (final, protocol)):
        svg = render_diff(old, new, "svg", options).data  # type: ignore[arg-type]
        assert [str(c) for c in collisions(svg)] == []
        assert astray(svg) == []
        assert (piled_heads(svg), headless_ends(svg), past_the_tip(svg)) == ([], [], [])


@pytest.mark.parametrize("theme", ["paper", "color"])
def test_the_diff_figures_signs_are_where_its_dot_file_draws_them(
        protocol_and_final: tuple[object, object], theme: str) -> None:
    """A sign moved beside its line in the SVG is drawn where the engine draws it from the
    DOT file (the PNG's), its padding gone: a moved "Δ", padded on its left only, stood
    half that padding (5.6 pt) left of its place in the SVG, nearer another link."""
    from logicmodel.render import _run_svg
    from logicmodel.render.diff import render_diff_all
    from logicmodel.render.engine import find_engine
    from logicmodel.render.svg import finish_svg
    from tests.test_render_files import _drawn

    protocol, final = protocol_and_final
    for old, new in ((protocol, final), (final, protocol)):
        svg, dot = render_diff_all(old, new, ["svg", "dot"],  # type: ignore[arg-type]
                                   RenderOptions(theme=theme))
        again = finish_svg(_run_svg(find_engine("embedded"), dot.data.decode(), 30).output,
                           "", "")
        ours = [d for d in _drawn(svg.data) if d[0] == "text"]
        theirs = [d for d in _drawn(again) if d[0] == "text"]
        assert [d[1] for d in ours] == [d[1] for d in theirs]
        for (_, text, a), (_, _, b) in zip(ours, theirs, strict=True):
            # (within a quarter point: the engine measures a tail label from its own end
            # of the line, which for a link leaving a box's side is a little off the path's)
            assert a == pytest.approx(b, abs=0.25), text
