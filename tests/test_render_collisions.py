"""No collisions: every marker clear of every line and beside its own, faint links under
the pathways, and pathway lines into one box joined under one arrowhead or with their
arrowheads apart.

Each figure is drawn by the real embedded engine and read back from its SVG
(tests/svg_geometry.py): every ``<text>`` as a box measured with the bundled font's
advance widths, every line of a link as segments (its Béziers flattened), widened by
half its stroke. A text box a line crosses or touches fails the test, and so does a
thin line (a plain or faded link) painted across a pathway's thick one. Each link's
markers must be nearer its own line than any other link's, and within ``BESIDE`` points
of it (of one of them, for a link drawn as several pathways' lines side by side). Every
line of such a link ends under an arrowhead: its own, or one its lines share.

The flagship is drawn in every view in the normal suite; the sweep over every model in
``models/`` and ``docs/`` (files and the models written in the pages), in every view,
pathway view and theme, is marked slow (CI runs it).
"""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from logicmodel.checking import check
from logicmodel.loader import load
from logicmodel.render import THEMES, RenderOptions, render
from logicmodel.schema import LogicModel
from tests.conftest import ROOT
from tests.svg_geometry import (
    SVG,
    arrowheads,
    collisions,
    faint_over_bold,
    headless_ends,
    heads_of_another_colour,
    link_clearances,
    link_segments,
    marker_distances,
    past_the_tip,
    piled_heads,
    returning_lines,
    text_boxes,
)

FLAGSHIP = ROOT / "models" / "devolved_budgets.yaml"
FENCE = re.compile(r"^```yaml[^\n]*\n(.*?)^```", re.S | re.M)
BESIDE = 4.5  # points from a marker's text to the edge of its own line, at most
INK = {"paper": "black", "color": "#333333"}  # each theme's boxes' outline, as the SVG has it


def figures(model: LogicModel) -> Iterator[tuple[str, RenderOptions]]:
    """Every figure of ``model`` a reader can ask for by name, in each theme.

    The whole model (and turned, as ``--fit`` may draw it), the paper view, each
    declared view and each pathway in focus with the rest faded; the whole model
    and the paper view with the key beside them.
    """
    for theme in THEMES:
        yield f"{theme}:full", RenderOptions(theme=theme)
        yield f"{theme}:paper", RenderOptions(theme=theme, view="paper")
        for view in model.views:
            if view.id != "paper":
                yield f"{theme}:{view.id}", RenderOptions(theme=theme, view=view.id)
        for p in model.pathways:
            yield f"{theme}:pathway={p.id}", RenderOptions(theme=theme, pathways=[p.id])
    yield "paper:full:TB", RenderOptions(direction="TB")
    yield "paper:full:compact", RenderOptions(compact=True)
    # the key beside the figure, as --key beside and --fit draw it
    yield "paper:full:key-beside", RenderOptions(key="beside")
    yield "paper:paper:key-beside", RenderOptions(view="paper", key="beside")


@cache
def doc_models() -> tuple[tuple[str, str], ...]:
    """(where, YAML text) of each model in docs/: the example files and the pages' models."""
    out = [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8"))
           for p in sorted((ROOT / "docs").rglob("*.yaml"))]
    for md in sorted((ROOT / "docs").rglob("*.md")):
        for i, m in enumerate(FENCE.finditer(md.read_text(encoding="utf-8"))):
            body = m.group(1)
            if re.match(r"(#[^\n]*\n)*logicmodel: [12]", body) and not body.startswith(
                    ("# from ", "# expect:")):
                out.append((f"{md.relative_to(ROOT)}#{i}", body))
    # only whole models that check without errors (fragments and broken examples aside)
    return tuple((w, t) for w, t in out
                 if t.lstrip().startswith(("logicmodel:", "#"))
                 and not any(d.severity.value == "error" for d in check(t if t.endswith("\n")
                                                                        else t + "\n")))


def all_models() -> list[tuple[str, LogicModel]]:
    models = [(str(p.relative_to(ROOT)), load(p))
              for p in sorted((ROOT / "models").glob("*.yaml"))]
    models += [(w, load(t if t.endswith("\n") else t + "\n")) for w, t in doc_models()]
    return models


def _faults(model: LogicModel, options: RenderOptions) -> list[str]:
    svg = render(model, "svg", options).data
    found = [str(c) for c in collisions(svg)]
    # feedback links too: the tail of one is declared before the pathways' (see dot.py)
    found += [f"{faint} painted over {bold}" for bold, faint in faint_over_bold(svg)]
    found += [f"arrowheads of {a} and {b} piled on each other" for a, b in piled_heads(svg)]
    found += [f"a line of {lk} ends {d:.0f} pt from its arrowheads"
              for lk, d in headless_ends(svg)]
    found += [f"a line of {lk} runs {d:.1f} pt past the arrowhead it ends under"
              for lk, d in past_the_tip(svg)]
    found += [f"the arrowhead of {a} claims {b}'s line for its pathway"
              for a, b in heads_of_another_colour(svg, INK[options.theme])]
    found += astray(svg)
    return found


def astray(svg: bytes) -> list[str]:
    """Each link's markers that are nearer another link's line than their own, or far
    from their own."""
    found = []
    for m in marker_distances(svg):
        if m.other <= m.own:
            found.append(f"{m.text!r} of {m.link} nearer {m.nearest}")
        elif m.own > BESIDE:
            found.append(f"{m.text!r} {m.own:.0f} pt from {m.link}")
    return found


@pytest.mark.parametrize(("name", "options"), list(figures(load(FLAGSHIP))),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_flagship_figure_has_no_collisions(name: str, options: RenderOptions) -> None:
    known = KNOWN.get("models/devolved_budgets.yaml", {}).get(name, [])
    assert _faults(load(FLAGSHIP), options) == known, name


@pytest.mark.slow
@pytest.mark.parametrize(("where", "model"), all_models(), ids=lambda v: v if isinstance(v, str)
                         else "")
def test_every_figure_in_the_repository_has_no_collisions(where: str,
                                                          model: LogicModel) -> None:
    faults = {name: f for name, options in figures(model) if (f := _faults(model, options))}
    assert faults == KNOWN.get(where, {}), where


# What is still wrong, figure by figure, so that a new collision fails and a fixed one is
# noticed: {model: {figure name: [faults]}}.
KNOWN: dict[str, dict[str, list[str]]] = {}


def test_the_sweep_covers_the_docs() -> None:
    wheres = [w for w, _ in doc_models()]
    assert any(w.startswith("docs/examples/") for w in wheres)
    assert any(".md#" in w for w in wheres), "the models written in the pages"


# --- the checker itself: it must see a collision when there is one ----------------------

_SVG = """<svg xmlns="http://www.w3.org/2000/svg"><g class="graph">
<g id="edge1" class="edge"><title>a -&gt; b</title>
<path fill="none" stroke="black" stroke-width="{w}" d="M0,0L{x},0"/></g>
<text text-anchor="start" x="{tx}" y="{ty}" font-size="10.00">A5 B6</text>
</g></svg>"""


def test_the_checker_sees_a_line_through_a_label() -> None:
    box = text_boxes(ET.fromstring(_SVG.format(w=1, x=30, tx=0, ty=3)))[0]
    assert 25 < box.x1 - box.x0 < 30      # "A5 B6" at 10 pt: 27.2 pt of Arial
    assert collisions(_SVG.format(w=1, x=30, tx=5, ty=3).encode())        # struck through
    assert collisions(_SVG.format(w=2.2, x=30, tx=5, ty=-3).encode())     # touched: 1.1 stroke
    assert not collisions(_SVG.format(w=1, x=30, tx=5, ty=-4).encode())   # just above
    assert not collisions(_SVG.format(w=1, x=4, tx=5, ty=3).encode())     # line ends before


def test_the_checker_sees_markers_astray() -> None:
    near = (b'<svg xmlns="http://www.w3.org/2000/svg"><g class="graph">'
            b'<g class="edge"><title>a \xe2\x86\x92 b (link)</title>'
            b'<path stroke="black" d="M0,0 L0,100"/>'
            b'<text x="%d" y="50" text-anchor="start" font-size="10">A1</text></g>'
            b'<g class="edge"><title>c \xe2\x86\x92 d (link)</title>'
            b'<path stroke="black" d="M60,0 L60,100"/></g></g></svg>')
    assert astray(near % 3) == []
    assert astray(near % 12) == ["'A1' 12 pt from a \u2192 b (link)"]
    assert astray(near % 40) == ["'A1' of a \u2192 b (link) nearer c \u2192 d (link)"]


def test_markers_beside_a_link_skipping_stages_and_a_slanting_one() -> None:
    """The ceiling's example (a link from the interventions past the short-term row) and
    the realist model (a barrier on a long slanting line): each marker 2 pt off its line,
    where the engine put them 8 and 11 pt off."""
    for path in (ROOT / "docs" / "examples" / "hiltensperger2024_toc_ceiling.yaml",
                 ROOT / "models" / "parenting_realist.yaml"):
        svg = render(load(path), "svg", RenderOptions(fit="page")).data
        found = marker_distances(svg)
        markers = [m for m in found if m.text in ("A1", "B1")]
        assert markers, path
        for m in markers:
            assert 1.5 <= m.own <= 2.5 < m.other, (path.name, m)
        assert astray(svg) == [], path.name


def test_the_checker_sees_a_faint_line_over_a_thick_one() -> None:
    svg = b"""<svg xmlns="http://www.w3.org/2000/svg">
<g class="edge"><title>bold</title><path stroke="black" stroke-width="2.2" d="M0,0L10,10"/></g>
<g class="edge"><title>faint</title><path stroke="gray" d="M0,10L10,0"/></g></svg>"""
    assert faint_over_bold(svg) == [("bold", "faint")]
    first, second = svg.split(b"</g>")[:2]
    under = second + b"</g>" + first.replace(b"<svg", b"<g").split(b">", 1)[1] + b"</g>"
    assert faint_over_bold(b'<svg xmlns="http://www.w3.org/2000/svg">' + under
                           + b"</svg>") == []


def test_figure_names_cover_views_pathways_and_themes() -> None:
    names = [n for n, _ in figures(load(FLAGSHIP))]
    assert {"paper:full", "color:paper", "paper:resources_pathway", "color:delivery",
            "paper:pathway=dedicated_resources"} <= set(names)
    assert len(names) == len(set(names))


def test_a_shared_link_is_both_pathways_lines_side_by_side() -> None:
    """In grey print: a solid line beside a dashed one, apart along their length."""
    svg = render(load(FLAGSHIP), "svg", RenderOptions(view="paper")).data
    root = ET.fromstring(svg)
    shared = "Devolved budget held by social workers \N{RIGHTWARDS ARROW} Buy goods and " \
             "services quickly (link)"
    paths = [g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"
             and (g.findtext(f"{SVG}title") or "") == shared]
    assert len(paths) == 2
    dashes = [g.find(f"{SVG}path").get("stroke-dasharray")  # type: ignore[union-attr]
              for g in paths]
    assert dashes[0] is None, "the first pathway's line is solid"
    assert dashes[1] is not None, "the second pathway's line is dashed"
    # halfway along, the two lines are clearly apart (more than their widths)
    a, b = ([s for s in link_segments(g) if s.half > 1] for g in paths)
    mid_a, mid_b = a[len(a) // 2], b[len(b) // 2]
    assert abs(mid_a.x0 - mid_b.x0) + abs(mid_a.y0 - mid_b.y0) > 4


def test_a_shared_link_s_lines_end_under_arrowheads_and_its_markers_beside_them() -> None:
    """The flagship's links on both pathways, at a page's width: each line a whole arrow
    (their ends 18-39 pt apart, where the solid line met the box with no arrowhead),
    and "A5 B6" 2 pt beside one of its lines (it was 5-11 pt off, in the gap)."""
    for view in ("full", "paper"):
        svg = render(load(FLAGSHIP), "svg", RenderOptions(view=view, fit="page")).data
        assert headless_ends(svg) == [], view
        heads = [h for h in arrowheads(svg) if h.thick]
        for link in ("Devolved budget held by social workers \N{RIGHTWARDS ARROW} Buy goods "
                     "and services quickly (link)",
                     "Risks to the child reduced \N{RIGHTWARDS ARROW} Children live safely at "
                     "home (link)",
                     "Children live safely at home \N{RIGHTWARDS ARROW} Reduced need for "
                     "children to enter care (link)"):
            tips = [h.tip for h in heads if h.link == link]
            # two whole arrows, however short the link
            assert len(tips) == 2, (view, link)
            assert math.dist(*tips) >= 12, (view, link, tips)
        assert piled_heads(svg) == [], view
        marks = [m for m in marker_distances(svg) if m.text == "A5 B6"]
        assert len(marks) == 1, view
        assert marks[0].lines == 2, view
        assert 1.5 <= marks[0].own <= 3.0 < marks[0].other, (view, marks[0])
        assert _faults(load(FLAGSHIP), RenderOptions(view=view, fit="page")) == [], view


def _lines_at(svg: bytes, link: str, x: float) -> list[float]:
    """Where each line (path) of the link drawn as ``link`` crosses the upright at ``x``."""
    from tests.svg_geometry import _frames, _points

    out = []
    for g in _frames(svg)[0].iter(f"{SVG}g"):
        if g.get("class") != "edge" or g.findtext(f"{SVG}title") != link:
            continue
        for el in g.iter(f"{SVG}path"):
            for line in _points(el.get("d", "")):
                for (ax, ay), (bx, by) in itertools.pairwise(line):
                    if min(ax, bx) <= x <= max(ax, bx) and ax != bx:
                        out.append(ay + (by - ay) * (x - ax) / (bx - ax))
                        break
    return out


def test_a_shared_link_s_markers_sit_between_its_lines_where_there_is_room() -> None:
    """The flagship's link on both pathways into the impact, stages as columns: "A5 B6"
    between its two lines, clear of both (it stood above them, as if the solid line's
    alone); the compact figure's lines, held apart by a taller blank label, leave it room
    there too (they stood close enough that it sat over both)."""
    from tests.svg_geometry import _frames

    link = ("Children live safely at home \N{RIGHTWARDS ARROW} Reduced need for children "
            "to enter care (link)")
    for options in (RenderOptions(), RenderOptions(theme="color"), RenderOptions(key="beside"),
                    RenderOptions(compact=True)):
        svg = render(load(FLAGSHIP), "svg", options).data
        box = next(b for b in text_boxes(_frames(svg)[0]) if b.text == "A5 B6")
        top, bottom = sorted(_lines_at(svg, link, (box.x0 + box.x1) / 2))
        assert top < box.y0, (options, top, box)
        assert box.y1 < bottom, (options, box, bottom)
        marks = [m for m in marker_distances(svg) if m.text == "A5 B6"]
        assert len(marks) == 1, options
        assert 1.4 <= marks[0].own <= BESIDE < marks[0].other, (options, marks[0])
        assert _faults(load(FLAGSHIP), options) == [], options


def test_short_shared_links_end_under_arrowheads_of_their_own() -> None:
    """The summary's shared links are short: with the second line's blank label of three
    spaces their lines ended 4-7 pt apart, where two arrowheads piled up, and were joined
    under one; with nine, each line ends under its own, as the key's sample draws them."""
    svg = render(load(SUMMARY), "svg", RenderOptions(view="paper", fit="page")).data
    assert headless_ends(svg) == []
    assert piled_heads(svg) == []
    root = ET.fromstring(svg)
    drawn: dict[str, int] = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "edge":
            title = g.findtext(f"{SVG}title") or ""
            drawn[title] = drawn.get(title, 0) + 1
    shared = {t for t, n in drawn.items() if n > 1}
    assert len(shared) >= 4
    heads: dict[str, int] = {}
    for h in arrowheads(svg):
        if h.link in shared:
            heads[h.link] = heads.get(h.link, 0) + 1
    assert heads == dict.fromkeys(shared, 2)


@pytest.mark.parametrize("theme", ["paper", "color"])
@pytest.mark.parametrize(("fit", "compact"), [("174mm", None), ("84mm", None), (None, True)])
def test_lines_under_one_arrowhead_stop_at_its_tip(theme: str, fit: str | None,
                                                   compact: bool | None) -> None:
    """The summary's pathway lines from two boxes into one, which meet under one
    arrowhead: the line without one ends by its tip, not on past it to the box (such
    lines stuck out 3 pt past and beside it)."""
    from tests.svg_geometry import _pathway_lines

    svg = render(load(SUMMARY), "svg", RenderOptions(theme=theme, fit=fit,
                                                     compact=compact)).data
    bare = [link for link, drawn in _pathway_lines(svg).items()
            for _, heads in drawn if not heads]
    assert bare, "some pathway lines meet under one arrowhead"
    assert past_the_tip(svg) == []
    assert headless_ends(svg) == []


def test_the_checker_sees_a_line_running_past_the_arrowhead_it_ends_under() -> None:
    head = ('<polygon stroke="black" stroke-width="2.2" '
            'points="-3,-17 0,-10 3,-17 -3,-17"/>')
    line = '<path stroke="black" stroke-width="2.2" d="M{x},-60C{x},-40 0,-20 0,{y}"/>'
    svg = ('<svg xmlns="http://www.w3.org/2000/svg"><g class="graph">'
           f'<g class="edge"><title>a (link)</title>{line.format(x=0, y=-17)}{head}</g>'
           f'<g class="edge"><title>a (link)</title>{line.format(x=-8, y="{y}")}</g>'
           '</g></svg>')
    assert past_the_tip(svg.format(y=-11).encode()) == []
    assert past_the_tip(svg.format(y=-7).encode()) == [("a (link)", 3.0)]


def test_the_checker_sees_a_line_ending_away_from_its_arrowhead() -> None:
    def line(end: float, head: bool) -> str:
        tip = ('<polygon stroke="black" stroke-width="2.2" '
               f'points="{end - 7},-2.5 {end},0 {end - 7},2.5 {end - 7},-2.5"/>' if head else "")
        return (f'<g class="edge"><title>a</title><path stroke="black" stroke-width="2.2" '
                f'd="M0,0L{end - 7 if head else end},0"/>{tip}</g>')
    svg = '<svg xmlns="http://www.w3.org/2000/svg">{}</svg>'
    assert headless_ends(svg.format(line(100, True) + line(100, True)).encode()) == []
    assert headless_ends(svg.format(line(103, False) + line(100, True)).encode()) == []
    assert headless_ends(svg.format(line(80, False) + line(100, True)).encode()) == [("a", 20.0)]



@pytest.mark.parametrize("model", ["devolved_budgets_summary.yaml", "parenting_realist.yaml"])
def test_compact_figures_keep_shared_links_arrowheads_apart(model: str) -> None:
    """Compact, a stage's boxes stand closer (nodesep 0.10 in, not 0.16): the summary's
    and the parenting model's shared links' two lines ended 6-8 pt apart, their
    arrowheads on each other; a taller blank label holds them as far apart as at full
    spacing, each line under its own head."""
    svg = render(load(ROOT / "models" / model), "svg", RenderOptions(compact=True)).data
    assert piled_heads(svg) == []
    assert headless_ends(svg) == []


# --- the figures of changes: the variants side by side, two versions, a diff ------------

SUMMARY = ROOT / "models" / "devolved_budgets_summary.yaml"
PROTOCOL = ROOT / "docs" / "examples" / "devolved_budgets_protocol.yaml"
SITES = ROOT / "tests" / "data" / "variants" / "sites.yaml"


def change_figures() -> Iterator[tuple[str, Callable[[], bytes]]]:
    """Every figure of a model's variants, versions and diff that the docs and README show."""
    from logicmodel.pipeline import open_model
    from logicmodel.render.diff import render_diff
    from logicmodel.render.multiples import render_multiples
    from logicmodel.versions.figure import render_versions

    def variants(path: Path, **options: Any) -> Callable[[], bytes]:
        def draw() -> bytes:
            doc = open_model(str(path)).document
            assert doc is not None
            return render_multiples(doc, ["svg"], RenderOptions(**options))[0].data
        return draw

    def versions(**options: Any) -> Callable[[], bytes]:
        def draw() -> bytes:
            doc = open_model(str(SUMMARY)).document
            assert doc is not None
            return render_versions(doc, "svg", RenderOptions(**options)).data
        return draw

    def diff(old: Path, new: Path, **options: Any) -> Callable[[], bytes]:
        return lambda: render_diff(load(old), load(new), "svg", RenderOptions(**options)).data

    yield "variants:page", variants(FLAGSHIP, fit="page")
    yield "variants:width", variants(FLAGSHIP, fit="180mm")
    yield "variants:page-caption", variants(FLAGSHIP, fit="page", key="caption")
    yield "variants:beside", variants(SITES, key="beside")
    yield "variants:delivery", variants(FLAGSHIP, fit="page", view="delivery", key="caption")
    yield "variants:color", variants(FLAGSHIP, theme="color")
    yield "variants:sites", variants(SITES)
    yield "versions", versions()
    yield "versions:page", versions(fit="page")
    yield "diff:protocol-to-final", diff(PROTOCOL, FLAGSHIP)
    yield "diff:final-to-protocol", diff(FLAGSHIP, PROTOCOL)
    yield "diff:color", diff(PROTOCOL, FLAGSHIP, theme="color")


@pytest.mark.parametrize(("name", "draw"), list(change_figures()),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_figures_of_changes_have_no_collisions(name: str, draw: Callable[[], bytes]) -> None:
    svg = draw()
    found = [str(c) for c in collisions(svg)]
    # (the panels of the variants lay out their own figure: a feedback link there is still
    # painted with its tail, after the pathways, and its title ends with the panel's name)
    found += [f"{faint} painted over {bold}" for bold, faint in faint_over_bold(svg)
              if name.startswith("diff") or "(feedback link)" not in faint]
    if name.startswith("diff"):  # drawn as the figures above are (the panels lay out their own)
        found += [f"arrowheads of {a} and {b} piled on each other"
                  for a, b in piled_heads(svg)]
    assert found == KNOWN_CHANGES.get(name, []), name


# What is still wrong in the figures of changes: {figure name: [faults]}. (A changed link's
# sign is its label; the engine drew the links between boxes of one stage through such
# labels once, and the sign beside a thicker arrow touched it: see dot.around_label and
# dot.marker_label.) A changed feedback link, with the stages as columns, is drawn back
# along its link forward, as a plain one is (its sign as a label had the engine send it
# round the outputs, 40 pt lower): the engine paints it with the box it returns to, which
# in the protocol's figure is declared before the box of a plain link crossing it (declared
# after them, that box's plain links come over the pathways' lines instead).
KNOWN_CHANGES: dict[str, list[str]] = {
    "diff:final-to-protocol": [
        "Therapeutic help without long waits → Resources dedicated to the family's needs "
        "(link) painted over Improved worker-family relationship → Worker and family decide "
        "what would help (feedback link)"],
}


def test_the_checker_sees_arrowheads_piled_on_each_other() -> None:
    def head(x: float, y: float) -> str:
        return (f'<g class="edge"><title>{x}</title><path stroke="black" stroke-width="2.2" '
                f'd="M{x - 30},{y}L{x - 7},{y}"/><polygon stroke="black" stroke-width="2.2" '
                f'points="{x - 7},{y - 2.5} {x},{y} {x - 7},{y + 2.5} {x - 7},{y - 2.5}"/></g>')
    box = ('<g class="node"><title>box</title><polygon stroke="black" '
           'points="103,-20 150,-20 150,20 103,20 103,-20"/></g>')
    svg = '<svg xmlns="http://www.w3.org/2000/svg">{}</svg>'
    assert piled_heads(svg.format(box + head(100, 0) + head(100, 3)).encode())  # 3 pt apart
    assert not piled_heads(svg.format(box + head(100, 0) + head(100, 0.2)).encode())  # one
    assert not piled_heads(svg.format(box + head(100, -12) + head(100, 12)).encode())  # apart


ROUND_CLEAR = 4.0  # points from a link round the far side of its stage to the boxes it passes


def _round_links(model: LogicModel, options: RenderOptions) -> list[tuple[str, list[str]]]:
    """Each link between boxes apart in one stage (drawn round the far side of the boxes
    between), by its SVG title, with the titles of the boxes between."""
    from logicmodel.render import scene_for

    scene = scene_for(model, options)
    kind_name = model.layout.kind_name
    title = {n.id: f"{' '.join(n.label.split())} ({kind_name(n.kind).lower()})"
             for n in scene.nodes}
    label = {n.id: " ".join(n.label.split()) for n in scene.nodes}
    stage: dict[str, list[str]] = {}
    for n in scene.nodes:
        stage.setdefault(scene.stage[n.id], []).append(n.id)
    out = []
    for lk in scene.links:
        ids = stage[scene.stage[lk.source]]
        if lk.feedback or scene.stage[lk.target] != scene.stage[lk.source]:
            continue
        a, b = sorted((ids.index(lk.source), ids.index(lk.target)))
        if b - a > 1:
            out.append((f"{label[lk.source]} \u2192 {label[lk.target]} (link)",
                        [title[n] for n in ids[a + 1:b]]))
    return out


@pytest.mark.parametrize(("path", "options"), [
    (FLAGSHIP, RenderOptions()),
    (FLAGSHIP, RenderOptions(view="paper", fit="page")),
    (FLAGSHIP, RenderOptions(view="resources_pathway", fit="84mm")),
    (ROOT / "docs" / "examples" / "white2009_binp_conditions.yaml", RenderOptions()),
    (ROOT / "docs" / "examples" / "white2009_binp_conditions.yaml", RenderOptions(fit="174mm")),
], ids=["flagship", "paper-page", "pathway-column", "white2009", "white2009-174mm"])
def test_a_link_round_its_stage_runs_clear_of_the_boxes_it_passes(
        path: Path, options: RenderOptions) -> None:
    # every box of a stage is as thick as the stage (one width to a column, one height to
    # a row): the engine routed such a link straight along their edges, where it read as
    # their outline (the flagship's pathway view in a column, white2009's octagons)

    model = load(path)
    links = _round_links(model, options)  # (a stage's boxes are in file order either way)
    assert links, "the figure has a link round its stage"
    clear = link_clearances(render(model, "svg", options).data)
    near = {(link, box): round(clear[link, box], 2) for link, boxes in links for box in boxes
            if clear.get((link, box), math.inf) < ROUND_CLEAR}
    assert not near


NEAR_SIDE = """\
logicmodel: 2
title: A link round the first stage
assumptions:
  - {id: a1, label: The first assumption}
nodes:
  - {id: c1, kind: context, label: First context}
  - {id: c2, kind: context, label: Second context}
  - {id: c3, kind: context, label: Third context box}
  - {id: i1, kind: input, label: Money}
  - {id: i2, kind: input, label: Staff}
  - {id: a, kind: activity, label: Do things}
links:
  - {from: c3, to: c1, assumptions: [a1]}
  - {from: c1, to: i1}
  - {from: c2, to: i2}
  - {from: c3, to: i2}
  - {from: i1, to: a}
  - {from: i2, to: a}
"""


@pytest.mark.parametrize(("source", "options"), [
    ("near", RenderOptions(direction="TB")),
    ("near", RenderOptions(direction="LR")),
    ("flagship", RenderOptions()),
    ("flagship", RenderOptions(view="paper")),
    ("flagship", RenderOptions(view="paper", fit="page")),
    ("flagship", RenderOptions(view="delivery", fit="page")),
], ids=["TB", "LR", "flagship", "paper", "paper-page", "delivery-page"])
def test_a_link_round_the_first_stage_runs_outside_it_and_crosses_no_link(
        source: str, options: RenderOptions) -> None:
    """Round the far side of the first stage's boxes, such a link ran among the links
    leaving the stage, crossed them and ended where another began (the flagship's Austerity
    -> Social workers' practical help, in every view); round the near side, which no link
    comes into the stage by (above the top row, left of the first column), it crosses
    none. Its markers stay beside it."""
    from logicmodel.loader import load_text
    from tests.svg_geometry import _intersect, node_boxes

    model = load(FLAGSHIP) if source == "flagship" else load_text(NEAR_SIDE).model
    assert model is not None
    svg = render(model, "svg", options).data
    root = ET.fromstring(svg)
    segments = link_segments(root)
    from logicmodel.render import scene_for

    scene = scene_for(model, options)
    first = [f"{' '.join(n.label.split())} ({model.layout.kind_name(n.kind).lower()})"
             for n in scene.nodes if scene.stage[n.id] == scene.stages[0]]
    boxes = [b for b in node_boxes(root) if b.text in first]
    assert len(boxes) == len(first)
    links = [(title, between) for title, between in _round_links(model, options)
             if any(title.startswith(f.rsplit(" (", 1)[0] + " \u2192") for f in first)]
    assert links
    rows = scene.direction == "TB"
    for title, _ in links:
        own = [sg for sg in segments if sg.link == title]
        assert own, title
        # outside the stage: above its top row, left of its first column (arrowhead aside)
        edge = min(b.y0 if rows else b.x0 for b in boxes)
        along = [max(sg.y0, sg.y1) if rows else max(sg.x0, sg.x1) for sg in own]
        assert max(along) <= edge + 3.0, (title, max(along), edge)
        crossed = {sg.link for sg in segments if sg.link != title
                   and any(_intersect(sg, mine) for mine in own)}
        assert not crossed, (title, crossed)
    for d in marker_distances(svg):
        assert d.own <= BESIDE, d


@pytest.mark.parametrize("options", [RenderOptions(), RenderOptions(fit="174x230mm"),
                                     RenderOptions(view="paper", fit="84mm")],
                         ids=["own", "page", "column"])
def test_two_links_round_a_figure_of_one_stage_run_either_side_of_it(
        options: RenderOptions) -> None:
    """In a figure of one stage (white2009's column of conditions), two links round the
    boxes between whose ways overlap ran round the same side, within 0.75 mm of each other
    over 14 mm: a reader could not tell which ended where. With no links on either side of
    the stage, the second runs round the other: the two lines stay far apart, one left of
    every box and one right of them."""
    from tests.svg_geometry import node_boxes

    model = load(ROOT / "docs" / "examples" / "white2009_binp_conditions.yaml")
    links = [title for title, _ in _round_links(model, options)]
    assert len(links) == 2
    root = ET.fromstring(render(model, "svg", options).data)
    segments = link_segments(root)
    boxes = node_boxes(root)
    left, right = min(b.x0 for b in boxes), max(b.x1 for b in boxes)
    xs = {t: [x for sg in segments if sg.link == t for x in (sg.x0, sg.x1)] for t in links}
    # round the left of the boxes or round their right, not both
    sides = sorted("?" if min(x) < left and max(x) > right else
                   "left" if min(x) < left else "right" if max(x) > right else "?"
                   for x in xs.values())
    assert sides == ["left", "right"], xs
    a, b = ([sg for sg in segments if sg.link == t] for t in links)
    assert min(math.dist(p, q) for s in a for t in b
               for p in ((s.x0, s.y0), (s.x1, s.y1)) for q in ((t.x0, t.y0), (t.x1, t.y1))) > 20


# --- a feedback link drawn back beside the link it returns along -------------------------------

APART = 6.0  # points at final size, ink to ink, that read as two lines in print
_RETURNING = [(path, name, options)
              for path in (FLAGSHIP, SUMMARY, PROTOCOL)
              for name, options in (
                  ("paper", RenderOptions(view="paper")),
                  ("fit=174mm", RenderOptions(fit="174mm")),
                  ("fit=84mm", RenderOptions(fit="84mm")),
                  ("TB", RenderOptions(direction="TB")),
                  # the stages as columns: the whole model, as drawn without --fit, and
                  # made to keep its columns at a page's width (it does not fit: drawn
                  # with its spacing tightened, at the size it needs)
                  ("full", RenderOptions()),
                  ("color", RenderOptions(theme="color")),
                  ("LR fit=174mm", RenderOptions(direction="LR", fit="174mm")))]


@pytest.mark.parametrize(("path", "name", "options"), _RETURNING,
                         ids=[f"{p.stem}:{n}" for p, n, _ in _RETURNING])
def test_a_feedback_link_runs_apart_from_the_link_it_returns_along(
        path: Path, name: str, options: RenderOptions) -> None:
    """The engine routes the two lines as one bundle, a ``nodesep`` apart (0 to 4 pt
    between the strokes in these figures, which print as one smudged line, and where
    the bundle runs along a stage, as it does to the flagship's mechanism, none); the
    link back is routed on its own beside the other (see render/dot.py): they run
    apart all the way (they ran within 6 pt of each other for 10-100% of it), and
    neither runs along a box it does not join (the bundle ran on the top of the
    flagship's first output with the stages as columns, and the link back on its
    summary's output)."""
    svg = render(load(path), "svg", options).data
    returning = returning_lines(svg, APART)
    assert returning, "the model's feedback link is drawn back along its link"
    clear = link_clearances(svg)
    for r in returning:
        assert r.middle >= APART, (r, name)
        assert r.near <= r.length / 10, (r, name)
        source, target = r.link.removesuffix(" (feedback link)").split(" \u2192 ")
        both = (r.link, f"{target} \u2192 {source} (link)")
        assert not {k: d for k, d in clear.items() if k[0] in both and d < 1}, name



@pytest.mark.parametrize("fit", [None, "page"])
def test_a_feedback_link_runs_apart_from_the_link_it_returns_along_in_the_versions_figure(
        fit: str | None) -> None:
    """The summary's full version drawn whole, each box tagged (--versions), its stages as
    columns even fitted to a page (it does not fit: drawn at the size it needs): the
    flagship's feedback link ran 3.0 pt (0.8 pt fitted) from the link it returns along;
    it is routed on its own beside it, as in the figure of the model."""
    from logicmodel.pipeline import open_model
    from logicmodel.versions.figure import render_versions

    doc = open_model(str(SUMMARY)).document
    assert doc is not None
    returning = returning_lines(render_versions(doc, "svg", RenderOptions(fit=fit)).data,
                                APART)
    assert returning
    for r in returning:
        assert r.middle >= APART, r
        assert r.near <= r.length / 10, r
