"""Groups drawn as bands: checked on the geometry of real renders.

Each published example with rows is drawn by the embedded engine, and the SVG is
read back: every box of a band lies inside its band's rectangle, nested bands
inside theirs, the outer bands do not overlap and come in the declared order,
and the stage headings sit above (left to right) or beside (top to bottom) them.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

import logicmodel
from logicmodel.render import RenderOptions, render, render_all
from logicmodel.render.bands import group_type
from logicmodel.render.headings import CEILING_LABEL
from tests.browser import browser_fixture, needs_browser  # noqa: F401 - fixture
from tests.conftest import ROOT

EXAMPLES = ROOT / "docs" / "examples"
BANDED = ["khan2017_ecd_pakistan", "muext_bsf_uwex", "wnep2015_wic_uwex",
          "tinner2024_realist_cmo"]
SVG = "{http://www.w3.org/2000/svg}"
_NUM = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def inside(self, other: Box, slack: float = 0.5) -> bool:
        return (self.x0 >= other.x0 - slack and self.x1 <= other.x1 + slack
                and self.y0 >= other.y0 - slack and self.y1 <= other.y1 + slack)

    def overlaps(self, other: Box) -> bool:
        return (self.x0 < other.x1 and other.x0 < self.x1
                and self.y0 < other.y1 and other.y0 < self.y1)


def _box(group: ElementTree.Element) -> Box:
    xs: list[float] = []
    ys: list[float] = []
    for el in group:
        if el.tag == f"{SVG}text":
            continue
        nums = [float(v) for v in _NUM.findall(el.get("points") or el.get("d") or "")]
        xs += nums[0::2]
        ys += nums[1::2]
        if el.tag == f"{SVG}ellipse":
            cx, cy, rx, ry = (float(el.get(a, "0")) for a in ("cx", "cy", "rx", "ry"))
            xs += [cx - rx, cx + rx]
            ys += [cy - ry, cy + ry]
    if not xs:  # a heading: its text lines
        for el in group.iter(f"{SVG}text"):
            xs.append(float(el.get("x", "0")))
            ys.append(float(el.get("y", "0")))
    return Box(min(xs), min(ys), max(xs), max(ys))


def _shapes(svg: bytes) -> tuple[dict[str, Box], dict[str, Box], dict[str, Box]]:
    """Bands, boxes and headings by their titles (the label, then the kind in brackets)."""
    root = ElementTree.fromstring(svg)
    bands: dict[str, Box] = {}
    nodes: dict[str, Box] = {}
    headings: dict[str, Box] = {}
    for g in root.iter(f"{SVG}g"):
        title = g.findtext(f"{SVG}title") or ""
        if g.get("class") == "cluster" and title.endswith(" (band)"):
            bands[title.removesuffix(" (band)")] = _box(g)
        elif g.get("class") == "node" and title.endswith(" (stage)"):
            headings[title.removesuffix(" (stage)")] = _box(g)
        elif g.get("class") == "node" and title != "Key":
            nodes[title] = _box(g)
    return bands, nodes, headings


def _expected(model: logicmodel.LogicModel, node: object, types: list[str]) -> list[str]:
    """The labels of the bands a node must be drawn inside, outer first."""
    out = []
    for t in types:
        mine = [g for g in model.groups if group_type(g) == t and g.id in node.groups]
        if not mine:
            break
        out.append(mine[0].label)
    return out


def _title(model: logicmodel.LogicModel, node: object) -> str:
    kind = model.layout.kind_name(node.kind).lower()  # type: ignore[attr-defined]
    return f"{' '.join(node.label.split())} ({kind})"  # type: ignore[attr-defined]


@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize("name", BANDED)
def test_every_box_of_a_band_lies_inside_it_and_bands_keep_their_order(
        name: str, direction: str) -> None:
    model = logicmodel.load(EXAMPLES / f"{name}.yaml")
    types = list(dict.fromkeys(group_type(g) for g in model.groups))
    svg = render(model, "svg", RenderOptions(direction=direction)).data  # type: ignore[arg-type]
    bands, nodes, headings = _shapes(svg)
    inner = {g.label for g in model.groups if group_type(g) != types[0]}
    outer_labels = [g.label for g in model.groups if group_type(g) == types[0]
                    and g.label in bands]
    assert outer_labels, "no band drawn"
    checked = 0
    for node in model.nodes:
        want = _expected(model, node, types)
        box = nodes[_title(model, node)]
        for label in want:
            assert box.inside(bands[label]), f"{node.id} outside its band {label}"
            checked += 1
        for label, band in bands.items():
            if label not in want:
                assert not box.overlaps(band) or any(
                    bands[w].inside(band) for w in want if label not in inner), (
                    f"{node.id} drawn over the band {label}")
    assert checked
    # the outer bands: apart, in the declared order, across the same columns
    outer = [bands[label] for label in outer_labels]
    for a, b in itertools.pairwise(outer):
        assert not a.overlaps(b)
        if direction == "LR":
            assert a.y1 <= b.y0
            assert (a.x0, a.x1) == pytest.approx((b.x0, b.x1), abs=1.0)
        else:
            assert a.x1 <= b.x0
            assert (a.y0, a.y1) == pytest.approx((b.y0, b.y1), abs=1.0)
    # the stage headings above (LR) or left of (TB) every band
    for h in headings.values():
        for band in outer:
            assert (h.y1 < band.y0) if direction == "LR" else (h.x1 < band.x0)


def test_nested_bands_split_an_arm_by_actor_in_the_sources_order() -> None:
    model = logicmodel.load(EXAMPLES / "khan2017_ecd_pakistan.yaml")
    bands, _, _ = _shapes(render(model, "svg").data)
    intervention, mother = bands["Intervention"], bands["Mother"]
    gp = bands["Private GP and clinic assistant"]
    assert mother.inside(intervention)
    assert gp.inside(intervention)
    assert mother.y1 <= gp.y0  # Mother's row first, as in Box 2
    assert not bands["Both intervention and control arms"].overlaps(intervention)


@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_a_nested_band_starts_where_its_outer_bands_boxes_do(direction: str) -> None:
    # WNEP's outcomes column holds one band of its own (individuals and families) inside
    # the outer band, and no link: it sits at the outer band's start, level with the
    # first box of each other column, not floating in the middle of the band
    model = logicmodel.load(EXAMPLES / "wnep2015_wic_uwex.yaml")
    svg = render(model, "svg", RenderOptions(direction=direction)).data  # type: ignore[arg-type]
    bands, nodes, _ = _shapes(svg)
    outer, inner = bands["INDIVIDUAL & INTERPERSONAL LEVELS"], bands["Individuals & families"]
    assert inner.inside(outer)
    others = [b for b in nodes.values() if b.inside(outer) and not b.inside(inner)]
    assert others
    if direction == "LR":
        first = min(b.y0 for b in others)
        assert inner.y0 <= first + 1.0, (inner.y0, first)
    else:
        first = min(b.x0 for b in others)
        assert inner.x0 <= first + 1.0, (inner.x0, first)


def test_bands_none_and_one_type() -> None:
    model = logicmodel.load(EXAMPLES / "khan2017_ecd_pakistan.yaml")
    plain = render(model, "svg", RenderOptions(bands=["none"])).data
    assert b'class="cluster"' not in plain
    arms, _, _ = _shapes(render(model, "svg", RenderOptions(bands=["arm"])).data)
    assert sorted(arms) == ["Both intervention and control arms", "Intervention"]


def _banded_model(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "rows.yaml"
    path.write_text(
        "logicmodel: 2\ntitle: Rows\nexpects_impact: false\n"
        "groups:\n  - {id: north, label: North site, type: site}\n"
        "  - {id: south, label: South site, type: site}\n"
        "nodes:\n  - {id: a, kind: activity, label: Clinics open, groups: [north]}\n"
        "  - {id: b, kind: activity, label: Vans visit, groups: [south]}\n"
        "  - {id: c, kind: outcome, label: More checks, groups: [north]}\n" + extra +
        "links:\n  - {from: a, to: c}\n  - {from: b, to: c}\n", encoding="utf-8")
    return path


def test_a_node_in_two_bands_or_in_none_is_named(cli: object, tmp_path: Path) -> None:
    path = _banded_model(tmp_path,
                         "  - {id: d, kind: outcome, label: Both, groups: [north, south]}\n"
                         "  - {id: e, kind: outcome, label: Nowhere}\n")
    r = cli("render", str(path), "-o", str(tmp_path / "rows.svg"))  # type: ignore[operator]
    assert r.code == 0, r.err
    assert ("LM630 node `d` belongs to 2 groups of type `site` (`north`, `south`): "
            "drawn in the band of `north`") in r.err
    assert "LM631 1 node in no group of type `site` drawn in a band headed" in r.err
    assert "`e`" in r.err
    bands, nodes, _ = _shapes((tmp_path / "rows.svg").read_bytes())
    assert nodes["Both (outcome)"].inside(bands["North site"])
    assert nodes["Nowhere (outcome)"].inside(bands["(no site)"])
    assert not nodes["Nowhere (outcome)"].overlaps(bands["North site"])


def test_an_unknown_band_type_is_a_usage_error(cli: object, tmp_path: Path) -> None:
    path = _banded_model(tmp_path, "")
    out = tmp_path / "rows.svg"
    r = cli("render", str(path), "--bands", "sites", "-o", str(out))  # type: ignore[operator]
    assert r.code == 2
    assert "LM632 no group of the model has type `sites`" in r.err
    assert "`site`" in r.err
    assert not out.exists()


def test_a_view_chooses_its_bands(tmp_path: Path) -> None:
    path = _banded_model(tmp_path, "")
    text = path.read_text(encoding="utf-8") + "views:\n  - {id: flat, bands: [none]}\n"
    path.write_text(text, encoding="utf-8")
    model = logicmodel.load(path)
    assert b'class="cluster"' not in render(model, "svg", RenderOptions(view="flat")).data
    assert b"North site (band)" in render(model, "svg").data


@pytest.mark.parametrize("fit", ["174x230mm", "84mm"])
def test_bands_hold_when_fitted(fit: str) -> None:
    model = logicmodel.load(EXAMPLES / "khan2017_ecd_pakistan.yaml")
    result = render(model, "svg", RenderOptions(fit=fit))
    bands, nodes, _ = _shapes(result.data)
    assert "Intervention" in bands
    for node in model.nodes:
        for label in _expected(model, node, ["arm", "actor"]):
            assert nodes[_title(model, node)].inside(bands[label])


def test_models_without_groups_are_drawn_as_before() -> None:
    model = logicmodel.load(ROOT / "models" / "devolved_budgets.yaml")
    assert "subgraph cluster" not in render(model, "dot").data.decode()


def _texts(svg: bytes) -> dict[str, tuple[float, float]]:
    root = ElementTree.fromstring(svg)
    # a label's padding (spaces, drawn as no-break spaces) is not its text
    return {(el.text or "").replace("\xa0", " ").strip(): (float(el.get("x", "0")),
                                                          float(el.get("y", "0")))
            for el in root.iter(f"{SVG}text")}


def test_sections_head_their_columns() -> None:
    model = logicmodel.load(EXAMPLES / "muext_bsf_uwex.yaml")
    svg = render(model, "svg").data
    _, _, headings = _shapes(svg)
    texts = _texts(svg)
    for section, stages in (("Outputs", ["Activities", "Participation"]),
                            ("Outcomes \u2013 Impact", ["Short Term", "Long Term"])):
        x, y = texts[section]
        first, last = headings[stages[0]], headings[stages[-1]]
        assert first.x0 < x < last.x1, f"{section} is not over its columns"
        assert y < min(first.y0, last.y0), f"{section} is not above its headings"
    # top to bottom, a section is beside its rows' headings, on their left
    svg = render(model, "svg", RenderOptions(direction="TB")).data
    _, _, headings = _shapes(svg)
    x, y = _texts(svg)["Outputs"]
    assert x < headings["Activities"].x0
    assert headings["Activities"].y0 < y < headings["Participation"].y1


def _section_lines(svg: bytes) -> list[tuple[float, float, float, float]]:
    """The thin solid lines drawn under the figure: the sections' over several stages."""
    root = ElementTree.fromstring(svg)
    graph = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "graph")
    out = []
    for el in graph:
        if el.tag == f"{SVG}polyline" and not el.get("stroke-dasharray"):
            nums = [float(v) for v in re.findall(r"-?[0-9.]+", el.get("points", ""))]
            out.append((nums[0], nums[1], nums[2], nums[3]))
    return out


@pytest.mark.parametrize(("name", "direction", "sections"), [
    ("muext_bsf_uwex", "LR", [["Activities", "Participation"],
                              ["Short Term", "Medium Term", "Long Term"]]),
    ("muext_bsf_uwex", "TB", [["Activities", "Participation"],
                              ["Short Term", "Medium Term", "Long Term"]]),
    ("hiltensperger2024_toc_ceiling", "TB", [["Short-term", "Intermediate", "Long-term"]]),
    ("hiltensperger2024_toc_ceiling", "LR", [["Short-term", "Intermediate", "Long-term"]]),
])
def test_a_section_s_line_spans_its_stages_boxes_and_headings(
        name: str, direction: str, sections: list[list[str]]) -> None:
    """From the near edge of its first stage to the far edge of its last, as published
    models draw it (the engine's own line ran from the first stage's middle to the last's),
    and no further: clear of the stages beside it."""
    model = logicmodel.load(EXAMPLES / f"{name}.yaml")
    svg = render(model, "svg", RenderOptions(direction=direction)).data  # type: ignore[arg-type]
    _, nodes, headings = _shapes(svg)
    across = direction == "LR"
    stage_of = {_title(model, n): model.layout.heading(model.layout.stage_of(n))
                for n in model.nodes}
    lines = _section_lines(svg)
    assert len(lines) == len(sections)
    for (x0, y0, x1, y1), stages in zip(lines, sections, strict=True):
        inside = [headings[s] for s in stages] + [b for t, b in nodes.items()
                                                  if stage_of.get(t) in stages]
        outside = [b for t, b in [*nodes.items(), *headings.items()]
                   if (t in headings and t not in stages)
                   or (t in stage_of and stage_of[t] not in stages)]
        start, end = (x0, x1) if across else (y0, y1)
        assert (y0 == y1) if across else (x0 == x1)
        lo = min(b.x0 if across else b.y0 for b in inside)
        hi = max(b.x1 if across else b.y1 for b in inside)
        assert start == pytest.approx(lo, abs=0.6)
        assert end == pytest.approx(hi, abs=0.6)
        for b in outside:  # the stages beside it are not under it
            assert (b.x1 if across else b.y1) <= start or (b.x0 if across else b.y0) >= end
    # the engine's own line between the stages' middles is left undrawn
    assert b'stroke="#666666" stroke-width="0.8" d=' not in svg


def test_a_section_s_line_is_drawn_by_the_dot_file_too() -> None:
    model = logicmodel.load(EXAMPLES / "muext_bsf_uwex.yaml")
    svg, dot = render_all(model, ["svg", "dot"])
    assert render(model, "dot").data == dot.data, "the DOT file alone is laid out too"
    assert dot.data.count(b"setlinewidth(0.8) L 2 ") == 1
    assert len(_section_lines(svg.data)) == 2


def _ceiling(svg: bytes) -> tuple[float, float, float, float]:
    """The dashed line drawn under the figure (not a box's, a link's or the key's)."""
    root = ElementTree.fromstring(svg)
    graph = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "graph")
    lines = [el for el in graph if el.tag == f"{SVG}polyline" and el.get("stroke-dasharray")]
    assert len(lines) == 1, "one dashed line under the figure"
    nums = [float(v) for v in re.findall(r"-?[0-9.]+", lines[0].get("points", ""))]
    assert len(nums) == 4
    return nums[0], nums[1], nums[2], nums[3]


@pytest.mark.parametrize(("direction", "view"), [("LR", None), ("TB", None), (None, "paper")])
def test_the_ceiling_of_accountability_is_a_labelled_dashed_line_across_the_figure(
        direction: str | None, view: str | None) -> None:
    """As published theories of change draw it: between the long-term outcome and the impact,
    from one side of the figure to the other, its label on the side above it."""
    from tests.svg_geometry import collisions, text_boxes

    model = logicmodel.load(EXAMPLES / "hiltensperger2024_toc_ceiling.yaml")
    options = RenderOptions(direction=direction, view=view)  # type: ignore[arg-type]
    svg = render(model, "svg", options).data
    _, nodes, headings = _shapes(svg)
    long_term = next(b for t, b in nodes.items() if t.startswith("Improvement in well-being"))
    impact = next(b for t, b in nodes.items() if t.startswith("Improved well-being"))
    others = [b for t, b in nodes.items() if b is not impact and "(" in t
              and not t.startswith(CEILING_LABEL)]
    x0, y0, x1, y1 = _ceiling(svg)
    label = next(b for b in text_boxes(ElementTree.fromstring(svg)) if b.text == "Ceiling of")
    everything = [*nodes.values(), *headings.values()]
    if x0 == x1:   # stages as columns: a line down the figure, the label right of it at the top
        assert long_term.x1 < x0 < impact.x0
        assert all(b.x1 < x0 for b in others)
        assert y0 <= min(b.y0 for b in everything) + 1
        assert y1 >= max(b.y1 for b in everything) - 1
        assert x0 < label.x0 < x0 + 20
        assert label.y1 < min(h.y0 for h in headings.values())
    else:          # stages as rows: a line across it, the label under it on the left
        assert y0 == y1
        assert long_term.y1 < y0 < impact.y0
        assert all(b.y1 < y0 for b in others)
        assert x0 <= min(b.x0 for b in everything) + 1
        assert x1 >= max(b.x1 for b in everything) - 1
        assert y0 < label.y0 < y0 + 20
        assert label.x0 < min(h.x0 for h in headings.values())
    # it crosses the link into the impact, under it, and no text
    texts = "".join(ElementTree.tostring(el, encoding="unicode")
                    for el in ElementTree.fromstring(svg).iter(f"{SVG}text"))
    line = (f'<svg xmlns="http://www.w3.org/2000/svg"><g class="graph"><g class="edge">'
            f'<title>ceiling</title><path stroke="black" d="M{x0},{y0}L{x1},{y1}"/></g>'
            f"{texts}</g></svg>")
    assert collisions(line.encode()) == []
    svg_text = svg.decode()
    assert svg_text.index("stroke-dasharray") < svg_text.index('class="node"'), "drawn first"
    assert " ".join(t for t in _texts(svg) if "ceiling" in t.lower() or "accountab" in t) \
        == CEILING_LABEL
    assert "Outcomes" in _texts(svg)


@pytest.mark.parametrize("view", ["full", "paper"])
def test_with_stages_as_rows_the_ceiling_s_label_shares_the_sections_column(view: str) -> None:
    """The ceiling's label lies between two rows, under the section that ends at the first of
    them: in the section's column of labels, not in a column of its own left of it, which
    made the example's figure a sixth wider (168 mm for its boxes' 60)."""
    from tests.svg_geometry import text_boxes

    model = logicmodel.load(EXAMPLES / "hiltensperger2024_toc_ceiling.yaml")
    svg = render(model, "svg", RenderOptions(view=view, direction="TB")).data
    boxes = text_boxes(ElementTree.fromstring(svg))
    ceiling = next(b for b in boxes if b.text == "Ceiling of")
    section = next(b for b in boxes if b.text.strip() == "Outcomes")
    # one column: the two labels overlap across, the ceiling's under the section's
    assert ceiling.x0 < section.x1, (ceiling, section)
    assert section.x0 < ceiling.x1, (ceiling, section)
    assert ceiling.y0 > section.y1
    _, _, headings = _shapes(svg)
    assert max(ceiling.x1, section.x1) < min(h.x0 for h in headings.values())


def test_the_ceiling_is_drawn_in_the_bitmap_and_the_dot_file_too() -> None:
    """PNG from the same layout, and a DOT file that draws the line."""
    import io

    from PIL import Image

    model = logicmodel.load(EXAMPLES / "hiltensperger2024_toc_ceiling.yaml")
    svg, png, dot = render_all(model, ["svg", "png", "dot"], RenderOptions(dpi=144))
    alone = render(model, "dot").data
    assert alone == dot.data
    assert b"_background=" in alone
    x0, y0, _, y1 = _ceiling(svg.data)
    m = re.search(r'translate\(([0-9.]+) ([0-9.]+)\)', svg.data.decode())
    assert m is not None
    image = Image.open(io.BytesIO(png.data)).convert("L")
    tx, ty = float(m.group(1)), float(m.group(2))
    x = round(2 * (x0 + tx))  # 144 dpi: 2 pixels a point
    column = [min(image.getpixel((x + d, y)) for d in (-1, 0, 1))  # type: ignore[type-var]
              for y in range(round(2 * (y0 + ty)) + 4, round(2 * (y1 + ty)) - 4)]
    dark = sum(1 for v in column if isinstance(v, int) and v < 200)
    assert 0.4 * len(column) < dark < 0.95 * len(column), "a dashed line down the figure"


def test_models_without_sections_or_a_ceiling_get_no_row_above_the_headings() -> None:
    model = logicmodel.load(ROOT / "models" / "devolved_budgets.yaml")
    assert "// sections" not in render(model, "dot").data.decode()


_SITES = ("groups:\n  - {id: z, label: Zeta site, type: site}\n"
          "  - {id: a, label: Alpha site, type: site}\n"
          "  - {id: m, label: Mid site, type: site}\n")


@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize("shape", ["one column", "last column only"])
def test_bands_keep_the_declared_order_whatever_the_columns(
        shape: str, direction: str, tmp_path: Path) -> None:
    # boxes in the file in another order than their groups: the groups' order wins
    if shape == "one column":
        body = ("nodes:\n  - {id: x1, kind: activity, label: Alpha one, groups: [a]}\n"
                "  - {id: x2, kind: activity, label: Zeta one, groups: [z]}\n"
                "  - {id: x3, kind: activity, label: Mid one, groups: [m]}\n")
    else:
        body = ("nodes:\n  - {id: s, kind: input, label: Staff}\n"
                "  - {id: t, kind: activity, label: Training}\n"
                "  - {id: x1, kind: outcome, label: Alpha one, groups: [a]}\n"
                "  - {id: x2, kind: outcome, label: Zeta one, groups: [z]}\n"
                "  - {id: x3, kind: outcome, label: Mid one, groups: [m]}\n"
                "links:\n  - {from: s, to: t}\n  - {from: t, to: x1}\n"
                "  - {from: t, to: x2}\n  - {from: t, to: x3}\n")
    path = tmp_path / "sites.yaml"
    path.write_text("logicmodel: 2\ntitle: Sites\nexpects_impact: false\n" + _SITES + body,
                    encoding="utf-8")
    svg = render(logicmodel.load(path), "svg",
                 RenderOptions(direction=direction)).data  # type: ignore[arg-type]
    bands, nodes, _ = _shapes(svg)
    order = [bands[f"{name} site"] for name in ("Zeta", "Alpha", "Mid")]
    for a, b in itertools.pairwise(order):
        assert (a.y1 <= b.y0) if direction == "LR" else (a.x1 <= b.x0)
    for name in ("Zeta", "Alpha", "Mid"):
        assert nodes[f"{name} one ({'activity' if shape == 'one column' else 'outcome'})"
                     ].inside(bands[f"{name} site"])


@needs_browser
def test_the_viewer_draws_the_bands_and_their_boxes_still_answer(browser: Any,
                                                                  tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    model = logicmodel.load(EXAMPLES / "khan2017_ecd_pakistan.yaml")
    key = {n.id: f"n{i}" for i, n in enumerate(model.nodes)}
    out = tmp_path / "khan.html"
    out.write_bytes(render(model, "html").data)
    browser.get(out.as_uri())
    rect = ("const r = arguments[0].getBoundingClientRect();"
            "return [r.left, r.top, r.right, r.bottom];")
    bands = {}
    for g in browser.find_elements(By.CSS_SELECTOR, "g.cluster"):
        label = " ".join(t.text for t in g.find_elements(By.TAG_NAME, "text"))
        if label:
            bands[label] = Box(*browser.execute_script(rect, g))
    assert {"Intervention", "Mother", "Private GP and clinic assistant",
            "Both intervention and control arms"} <= set(bands)
    box = browser.find_element(By.CSS_SELECTOR, f'g[data-key="{key["changes_mother"]}"]')
    assert Box(*browser.execute_script(rect, box)).inside(bands["Mother"], slack=2)
    assert Box(*browser.execute_script(rect, box)).inside(bands["Intervention"], slack=2)
    box.click()
    panel = browser.find_element(By.ID, "lm-panel").text
    assert "Social influences; Knowledge; Beliefs about consequences" in panel
    assert "Mother" in panel
