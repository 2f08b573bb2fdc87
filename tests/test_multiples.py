"""The figure of every variant side by side: `render MODEL --variants`.

Real renders of the flagship's three pilots through the command line and the
embedded engine; positions are read back from the SVG the engine drew.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from logicmodel.signs import CHANGED, REMOVED
from tests.conftest import ROOT, CliResult

Cli = Callable[..., CliResult]
FLAGSHIP = "models/devolved_budgets.yaml"
SITES = "tests/data/variants/sites.yaml"
SVG = "{http://www.w3.org/2000/svg}"
PANELS = ("base", "darlington", "hillingdon", "wigan")
DELTA, MINUS = CHANGED, REMOVED


def _numbers(el: ET.Element) -> list[tuple[float, float]]:
    """Every x,y pair of the shapes and text of one SVG group."""
    pairs: list[tuple[float, float]] = []
    for child in el.iter():
        for attr in ("points", "d"):
            text = child.get(attr)
            if text:
                pairs += [(float(x), float(y)) for x, y in
                          re.findall(r"(-?[0-9.]+),(-?[0-9.]+)", text)]
        if child.tag == f"{SVG}text":
            pairs.append((float(child.get("x", "0")), float(child.get("y", "0"))))
    return pairs


def _groups(svg: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {g.get("id", ""): g for g in root.iter(f"{SVG}g") if "." in g.get("id", "")}


def _texts(el: ET.Element) -> list[str]:
    """The text of a box, its lines joined (the first item), then each line."""
    lines = [t.text or "" for t in el.iter(f"{SVG}text")]
    return [" ".join(lines), *lines]


@pytest.fixture(scope="module")
def pilots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    from logicmodel.cli import main

    out = tmp_path_factory.mktemp("pilots")
    files = {s: out / f"pilots.{s}" for s in ("svg", "png", "pdf", "tif", "dot", "txt")}
    # a wide page's width: the panels fit it at 7 pt (a page's height they cannot, see below;
    # at 174 mm their text would be 6.8 pt, and the one drawing of every pilot fits at 7.7 pt)
    argv = ["render", str(ROOT / FLAGSHIP), "--variants", "--fit", "180mm", "--dpi", "150"]
    for f in files.values():
        argv += ["-o", str(f)]
    assert main(argv) == 0
    return {s: f.read_bytes() for s, f in files.items()}


def test_shared_elements_keep_their_place_in_every_panel(pilots: dict[str, bytes]) -> None:
    """Each variant's panel is the base's layout at one smaller scale: same places, same lines."""
    groups = _groups(pilots["svg"])
    shared = [g.split(".", 1)[1] for g in groups if g.startswith("base.")
              and not g.startswith("base.stage.")]
    assert len(shared) > 40  # boxes and links
    compared = 0
    for panel in PANELS[1:]:
        here = [i for i in shared if f"{panel}.{i}" in groups]
        scale, offset = _mapping(groups, panel, here)
        assert 0.2 < scale < 0.5, "the variants' panels are smaller than the base"
        for ident in here:
            if (panel, ident) == ("darlington", "L07"):
                # round Darlington's added box, straight across its empty place in the base
                # (see test_a_link_past_a_place_left_empty_is_drawn_straight)
                continue
            for (bx, by), (vx, vy) in zip(_outline(groups, "base", ident),
                                          _outline(groups, panel, ident), strict=True):
                assert abs(bx * scale + offset[0] - vx) < 1.5, f"{ident} moves in {panel}"
                assert abs(by * scale + offset[1] - vy) < 1.5, f"{ident} moves in {panel}"
            compared += 1
    assert compared > 120
    # the panels are really in different places
    origins = {_mapping(groups, p, ["ctx_hardship", "imp_less_care"])[1] for p in PANELS[1:]}
    assert len(origins) == 3


def _length(el: ET.Element) -> float:
    from tests.svg_geometry import _points

    return sum(math.dist(a, b) for line in _points(el.get("d", ""))
               for a, b in itertools.pairwise(line))


def _under_head(g: ET.Element, el: ET.Element) -> float:
    """How much of the end of ``el``, a path of the line ``g``, its arrowhead covers: from
    the arrowhead's base to the path's end, if the base is behind it."""
    head = g.find(f"{SVG}polygon")
    if head is None:
        return 0.0
    corners = [(float(x), float(y)) for x, y in
               re.findall(r"(-?[0-9.]+),(-?[0-9.]+)", head.get("points", ""))][:3]
    tip = max(corners, key=lambda p: min(math.dist(p, q) for q in corners if q != p))
    sides = [p for p in corners if p != tip]
    base = ((sides[0][0] + sides[1][0]) / 2, (sides[0][1] + sides[1][1]) / 2)
    end = _path_ends(el)[1]
    behind = (end[0] - base[0]) * (tip[0] - base[0]) + (end[1] - base[1]) * (tip[1] - base[1])
    return math.dist(base, end) if behind > 0 else 0.0


def test_a_dashed_line_holds_two_periods_of_its_pattern_in_every_panel(
        pilots: dict[str, bytes]) -> None:
    """A dashed (or dotted) line whose part clear of its arrowhead is too short for two
    periods of the engine's pattern (5 on, 2 off; dotted 1 on, 5 off) at the panels' scale
    is drawn as its dashes there, with two gaps, in the SVG and in the bitmap (the
    flagship's relationship pathway, from the mechanism to the family engaging, was 8.4 pt
    long at 180 mm, 1.3 periods, most of it under the arrowhead, and read as the solid
    pathway). Longer lines keep the engine's pattern."""
    groups = _groups(pilots["svg"])
    periods = {"5,2": 7.0, "1,5": 6.0}
    as_dashes, engines, short = [], 0, []
    for ident, g in groups.items():
        if g.get("class") != "edge" or not ident.startswith(PANELS):
            continue
        if _dashes(g) is not None:
            as_dashes.append(ident)
            assert len(_visible_paths(g)) == 3, ident  # two gaps: room for them here
            continue
        for el in _visible_paths(g):
            pattern = el.get("stroke-dasharray")
            if pattern:
                engines += 1
                seen = _length(el) - _under_head(g, el)
                if seen < 2 * periods[pattern]:
                    short.append((ident, round(seen, 1)))
    # under its arrowhead but for a point or so, too short for a dash, a gap and a dash: the
    # link from buying goods and services to the relationship-building activities
    assert [i for i, seen in short if seen > 1.5] == []
    assert {i for i, _ in short} == {f"{p}.L12" for p in PANELS[1:]}
    assert engines > 20
    # the relationship pathway's short lines in each pilot's panel (as in the base, at full
    # size, they hold more than two periods and are the engine's)
    for panel in PANELS[1:]:
        for ident in ("L23", "L29.2", "L27.2"):
            assert f"{panel}.{ident}" in as_dashes, (panel, ident)
    assert not [i for i in as_dashes if i.startswith("base.")]
    # the bitmap is the engine's drawing of the same DOT: ink on each dash, none in each gap
    root = ET.fromstring(pilots["svg"])
    k = float(root.get("width", "0").removesuffix("pt"))
    k /= float(root.get("viewBox", "").split()[2])
    tx, ty = (float(v) for v in re.findall(r"translate\(([-0-9.]+) ([-0-9.]+)\)",
                                           pilots["svg"].decode())[0])
    image = Image.open(io.BytesIO(pilots["png"])).convert("L")
    px = k * 150 / 72  # the fixture's --dpi

    def ink(x: float, y: float) -> int:
        return int(image.getpixel((int((x + tx) * px), int((y + ty) * px))))

    for panel in PANELS[1:]:
        ends = [_path_ends(el) for el in _visible_paths(groups[f"{panel}.L23"])]
        for (a, b) in ends[:-1]:  # the last dash runs under the arrowhead
            assert ink((a[0] + b[0]) / 2, (a[1] + b[1]) / 2) < 90, f"{panel}: a dash"
        for (_, b), (c, _) in itertools.pairwise(ends):
            # a gap of 0.6 pt is 1.2 pixels at 150 dpi, so where the pixels fall decides how
            # light it reads: the lightest along the line within a pixel and a half of the
            # gap's middle (the dashes either side are 2.5 pt long), well lighter than a dash
            step = math.dist(b, c) * px
            assert max(ink((b[0] + c[0]) / 2 + t / step * (c[0] - b[0]),
                           (b[1] + c[1]) / 2 + t / step * (c[1] - b[1]))
                       for t in (k / 4 - 1.5 for k in range(13))) > 130, f"{panel}: a gap"


def _centre(g: ET.Element) -> tuple[float, float]:
    shape = next(c for c in g if c.tag in (f"{SVG}polygon", f"{SVG}path", f"{SVG}ellipse"))
    xs, ys = zip(*_numbers(shape), strict=True)
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def _outline(groups: dict[str, ET.Element], panel: str, ident: str) -> list[tuple[float, float]]:
    """A box's centre, or a line's first and last points (arrowheads aside; a line drawn
    as its dashes from its first dash to its last)."""
    g = groups[f"{panel}.{ident}"]
    if g.get("class") == "edge":
        paths = list(g.iter(f"{SVG}path"))
        last = _visible_paths(g)[-1] if _dashes(g) else paths[0]
        return [_numbers(paths[0])[0], _numbers(last)[-1]]
    return [_centre(g)]


def _mapping(groups: dict[str, ET.Element], panel: str, ids: list[str]
             ) -> tuple[float, tuple[float, float]]:
    """The scale and offset that take the base's boxes onto ``panel``'s (from two far apart)."""
    boxes = [i for i in ids if groups[f"base.{i}"].get("class") == "node"]
    a, b = boxes[0], boxes[-1]
    (ax, ay), (bx, by) = _centre(groups[f"base.{a}"]), _centre(groups[f"base.{b}"])
    (cx, cy), (dx, dy) = _centre(groups[f"{panel}.{a}"]), _centre(groups[f"{panel}.{b}"])
    scale = (dy - cy) / (by - ay) if abs(by - ay) > abs(bx - ax) else (dx - cx) / (bx - ax)
    return scale, (round(cx - ax * scale, 1), round(cy - ay * scale, 1))


def test_each_variants_changes_are_marked_in_print(pilots: dict[str, bytes]) -> None:
    groups = _groups(pilots["svg"])
    # the base in full: every box with its label
    assert _texts(groups["base.in_budget"])[0].startswith("Devolved budget held")
    # in a variant's panel a box it keeps as the base has it is an outline without text
    assert _texts(groups["darlington.in_funding"]) == [""]
    # added: only in its own panel, with a heavier border and its marker, listed under it
    assert "darlington.act_allocate" in groups
    assert not any(f"{p}.act_allocate" in groups for p in ("base", "hillingdon", "wigan"))
    added = groups["darlington.act_allocate"]
    assert _texts(added)[0] == "+D3"
    assert float(next(iter(added.iter(f"{SVG}path"))).get("stroke-width", "1")) > 1.5
    listed = _listed(groups, pilots["svg"], "Darlington")
    assert "+D3 Allocate budgets to 30-50 families at random" in listed
    # changed: the delta and a heavier border; the list gives the variant's own label
    assert _texts(groups["darlington.in_budget"])[0] == f"{DELTA}D1"
    assert (f"{DELTA}D1 Devolved budget of up to £10,000 per family (also description, "
            "sources)") in listed
    assert _texts(groups["wigan.act_identify"])[0] == f"{DELTA}W2"
    # Wigan's reunification outcome is added in its panel only (a removed box is drawn as a
    # dotted ghost where the base has it: see the sites' test below)
    assert _texts(groups["wigan.lt_reunified"])[0] == "+W3"
    assert not any(f"{p}.lt_reunified" in groups for p in ("base", "darlington", "hillingdon"))
    assert "+W3 Children in care reunified with family" in _listed(groups, pilots["svg"], "Wigan")
    # a removed link is drawn dotted and listed by its ends; an unchanged one is not marked
    assert next(iter(groups["darlington.L07"].iter(f"{SVG}path"))).get("stroke-dasharray")
    assert not next(iter(groups["base.L07"].iter(f"{SVG}path"))).get("stroke-dasharray")
    assert (f"{MINUS} link from \u201cIdentify children at imminent risk of a care order\u201d "
            "(D2) to \u201cWorker and family decide what would help\u201d") in listed


def _listed(groups: dict[str, ET.Element], svg: bytes, label: str) -> str:
    """The list of changes under a variant's panel, its lines joined."""
    root = ET.fromstring(svg)
    for g in root.iter(f"{SVG}g"):
        if (g.findtext(f"{SVG}title") or "") == f"Changes in {label}":
            return re.sub(r" {2,}", " ", " ".join(
                (t.text or "").strip() for t in g.iter(f"{SVG}text")))
    raise AssertionError(f"no list of changes for {label}")


def _heading_lines(svg: bytes, label: str) -> list[list[str]]:
    """The lines of each heading of ``label``'s panel or list (its title is the heading)."""
    root = ET.fromstring(svg)
    return [[t.text or "" for t in g.iter(f"{SVG}text")] for g in root.iter(f"{SVG}g")
            if (g.findtext(f"{SVG}title") or "").startswith(f"{label}: ")
            and g.find(f"{SVG}text") is not None]


def _breaks_where_a_reader_pauses(headings: list[list[str]]) -> None:
    """A heading in lines breaks after the name, then between counts: never "2 / changed"."""
    assert headings
    for lines in headings:
        assert not any(re.search(r"\b[0-9]+$", x.strip()) for x in lines), lines
        if len(lines) > 1:
            assert lines[0].endswith(":"), lines


def test_titles_and_key_say_what_the_marks_mean(pilots: dict[str, bytes]) -> None:
    root = ET.fromstring(pilots["svg"])
    titles = {g.findtext(f"{SVG}title"): " ".join(t.text or "" for t in g.iter(f"{SVG}text"))
              for g in root.iter(f"{SVG}g")}
    assert "Darlington: 1 added, 2 changed, 1 removed" in titles.values()
    assert "Wigan: 1 added, 2 changed" in titles.values()
    assert "Base (the model without variants)" in titles.values()
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert {"+ Added in the variant", f"{DELTA} Changed in the variant"} <= set(texts)
    assert "Link removed in the variant (listed)" in " ".join(texts)  # in one line or two
    # no pilot removes a box, so the key has no sample of one (it shows the marks in use)
    assert f"{MINUS} Removed in the variant" not in texts
    # the stage headings once, with the base
    assert texts.count("Impact") == 1 + 1  # the heading, and the key's sample box
    caption = pilots["txt"].decode()
    assert caption.startswith("Panels: Base (the model without variants); Darlington: ")
    assert f"Changes: Darlington: {DELTA}D1 Devolved budget of up to £10,000 per family" in caption
    assert f"boxes marked {DELTA}, changed in the variant" in caption
    _breaks_where_a_reader_pauses(_heading_lines(pilots["svg"], "Darlington"))


def test_every_format_is_the_same_figure(pilots: dict[str, bytes]) -> None:
    from logicmodel.render.svg import measure_svg

    width, height, smallest = measure_svg(pilots["svg"])
    assert smallest == 8.0  # the compact layout, its printed size keeping 7 pt
    assert width <= 180 * 72 / 25.4 + 0.01  # as wide as its target at most
    with Image.open(io.BytesIO(pilots["png"])) as png:
        assert png.mode == "RGB"
        assert abs(png.size[0] - width / 72 * 150) < 3
        assert abs(png.size[1] - height / 72 * 150) < 3
    with Image.open(io.BytesIO(pilots["tif"])) as tif:
        assert abs(tif.size[0] - width / 72 * 150) < 3
    assert pilots["pdf"].startswith(b"%PDF")
    assert b"-n2" not in pilots["dot"]
    assert pilots["dot"].count(b'pos="') > 250


def _printed(svg: bytes) -> tuple[float, float, float]:
    """Width and height (mm) of the SVG as printed, and its smallest text there (pt)."""
    root = ET.fromstring(svg)
    width = float(root.get("width", "0").removesuffix("pt"))
    height = float(root.get("height", "0").removesuffix("pt"))
    box = [float(v) for v in root.get("viewBox", "").split()]
    sizes = [float(t.get("font-size", "14")) for t in root.iter(f"{SVG}text")
             if (t.text or "").strip()]
    return width * 25.4 / 72, height * 25.4 / 72, min(sizes) * width / box[2]


def _up(mm: float) -> int:
    """A size as LM619 gives it: in millimetres, rounded up."""
    return math.ceil(mm - 0.05)


def test_readable_at_a_page_width(pilots: dict[str, bytes]) -> None:
    """At most 180 mm wide, no text under 7 pt: what the panels need beyond a page is height."""
    width, _, smallest = _printed(pilots["svg"])
    assert width <= 180.0 + 0.05
    assert smallest >= 7.0 - 1e-3


def test_the_pilots_fit_a_page_on_one_drawing(cli: Cli, tmp_path: Path) -> None:
    """The panels cannot fit a page; one drawing of the base with every pilot's marks can.

    With the key in the caption, as a journal prints it: 174 x 230 mm, no text under 7 pt,
    every change of every pilot marked in the drawing and listed under it.
    """
    out = tmp_path / "c.svg"
    r = cli("render", FLAGSHIP, "--variants", "--fit", "page", "--key", "caption",
            "-o", str(out), "-o", str(tmp_path / "c.txt"))
    assert r.code == 0, r.err
    assert "LM619" not in r.err
    width, height, smallest = _printed(out.read_bytes())
    assert (width <= 174.0 + 0.05, height <= 230.0 + 0.05) == (True, True)
    assert smallest >= 7.0 - 1e-3
    groups = _groups(out.read_bytes())
    # one drawing: no small panels, each box once, with every pilot's codes in it
    assert not any(g.startswith(("darlington.", "base.")) for g in groups)
    codes = {k: _texts(groups[f"all.{k}"])[-1].split() for k in ("in_budget", "lt_reunified")}
    assert codes == {"in_budget": [f"{DELTA}D1", f"{DELTA}H1", f"{DELTA}W1"],
                     "lt_reunified": ["+W3"]}  # Wigan's own box
    assert _texts(groups["all.act_allocate"])[-1] == "+D3"  # Darlington's own box, heavier
    assert float(next(iter(groups["all.act_allocate"].iter(f"{SVG}path"))).get(
        "stroke-width", "1")) > 1.5
    # the line Darlington removes carries its code beside it, clear of every line
    assert _texts(groups["all.L07.code"])[0] == f"{MINUS}D4"
    from tests.svg_geometry import collisions, piled_heads
    assert collisions(out.read_bytes()) == []
    assert piled_heads(out.read_bytes()) == []  # lines into one box join under one head
    listed = _listed(groups, out.read_bytes(), "Hillingdon")
    assert f"{DELTA}H1 Devolved budget: no cap, approval above £500" in listed
    caption = (tmp_path / "c.txt").read_text(encoding="utf-8")
    assert caption.startswith("Variants: Base (the model without variants); Darlington: ")
    assert "The base is drawn once, with each variant's changes marked" in caption
    # the drawing shows every variant at once: its key speaks of "a variant" throughout
    assert "in the variant" not in caption
    # Darlington's list heading is too wide for its column: it breaks after the name
    darlington = _heading_lines(out.read_bytes(), "Darlington")
    assert [len(x) for x in darlington] == [2]
    _breaks_where_a_reader_pauses(darlington)
    assert f"boxes marked {DELTA}, changed in a variant" in caption
    assert "link added in a variant (+ beside it, or in its new box)" in caption


def test_the_delivery_view_fits_a_page(cli: Cli, tmp_path: Path) -> None:
    """Where the pilots differ, with the key in the caption: one page, no text under 7 pt."""
    out = tmp_path / "d.svg"
    r = cli("render", FLAGSHIP, "--variants", "--view", "delivery", "--key", "caption",
            "--fit", "page", "-o", str(out))
    assert r.code == 0, r.err
    assert "LM619" not in r.err
    width, height, smallest = _printed(out.read_bytes())
    assert (width <= 174.0 + 0.05, height <= 230.0 + 0.05) == (True, True)
    assert smallest >= 7.0


def test_golden_figure_of_the_pilots(pilots: dict[str, bytes],
                                     golden: Callable[[str, str], None]) -> None:
    golden("variants/devolved_budgets.pilots.dot", pilots["dot"].decode())
    golden("variants/devolved_budgets.pilots.txt", pilots["txt"].decode())


def test_fit_a_page_or_say_what_it_needs(cli: Cli, tmp_path: Path) -> None:
    r = cli("render", FLAGSHIP, "--variants", "--fit", "page", "-o", str(tmp_path / "p.png"))
    assert r.code == 0, r.err
    m = re.search(r"LM619 the figure does not fit 174 x 230 mm with text of at least 7 pt: "
                  r"it needs ([0-9]+) x ([0-9]+) mm", r.err)
    assert m, r.err
    with Image.open(tmp_path / "p.png") as png:
        assert abs(png.size[0] / 300 * 25.4 - int(m.group(1))) < 1.5
    # a smaller model fits, with its key in the caption
    small = cli("render", SITES, "--variants", "--fit", "page", "--key", "caption",
                "-o", str(tmp_path / "s.svg"))
    assert small.code == 0
    assert "LM619" not in small.err


@pytest.mark.parametrize("theme", ["paper", "color"])
def test_marks_are_not_colour_alone_in_either_theme(cli: Cli, tmp_path: Path,
                                                     theme: str) -> None:
    out = tmp_path / "s.svg"
    assert cli("render", SITES, "--variants", "--theme", theme, "-o", str(out)).code == 0
    groups = _groups(out.read_bytes())
    assert _texts(groups["north.lottery"])[0] == "+N3"
    assert _texts(groups["north.money"])[0] == f"{DELTA}N1"
    assert _texts(groups["south.needs"])[0] == f"{MINUS}S1"


def test_with_a_pathway_or_a_view(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "v.svg"
    r = cli("render", FLAGSHIP, "--variants", "--view", "delivery", "-o", str(out))
    assert r.code == 0, r.err
    groups = _groups(out.read_bytes())
    assert "darlington.act_allocate" in groups
    assert "base.lt_reunified" not in groups  # the view has no outcomes
    r = cli("render", FLAGSHIP, "--variants", "--pathway", "worker_family_relationship",
            "--hide-others", "-o", str(out))
    assert r.code == 0, r.err
    assert "base.out_material" not in _groups(out.read_bytes())


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--variant", "wigan"], 2,
     "logicmodel: LM640 --variants draws the base and every variant; leave out --variant wigan"),
    (["-o", "x.mmd"], 2,
     "logicmodel: LM609 the figure of the variants cannot be drawn as Mermaid"),
    (["-o", "x.html"], 2,
     "logicmodel: LM609 the figure of the variants cannot be drawn as HTML"),
    (["--view", "nope"], 2, "logicmodel: LM608 the model has no view `nope`"),
    (["--bands", "pilot"], 2,
     "logicmodel: LM640 the figure of the variants does not draw bands yet"),
])
def test_bad_combinations_are_refused(cli: Cli, tmp_path: Path, args: list[str], code: int,
                                      message: str) -> None:
    out = tmp_path / "ok.svg"
    argv = ["render", FLAGSHIP, "--variants", *args]
    if "-o" not in args:
        argv += ["-o", str(out)]
    r = cli(*argv, cwd=tmp_path if "-o" in args else None)
    assert r.code == code
    assert r.err.startswith(message), r.err
    assert "Traceback" not in r.err
    assert not out.exists()
    assert not list(tmp_path.iterdir())


def test_a_model_without_variants_is_refused(cli: Cli, tmp_path: Path) -> None:
    r = cli("render", "models/parenting_realist.yaml", "--variants", "-o",
            str(tmp_path / "x.svg"))
    assert (r.code, r.err.splitlines()[0]) == (2, "logicmodel: LM640 models/parenting_realist."
                                               "yaml has no variants to draw side by side")
    assert not list(tmp_path.iterdir())


def test_a_pathway_a_variant_lacks_names_the_variant(cli: Cli, tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text((ROOT / SITES).read_text() + "  - {id: west, remove: {pathways: [direct]}}\n")
    r = cli("render", str(model), "--variants", "--pathway", "direct", "-o",
            str(tmp_path / "x.svg"))
    assert (r.code, r.err) == (2, "logicmodel: LM608 variant `west`: the model has no pathway "
                                  "`direct` (it has: none)\n")
    assert not (tmp_path / "x.svg").exists()
    assert cli("render", str(model), "--variants", "-o", str(tmp_path / "x.svg")).code == 0


def test_an_overlay_is_drawn_beside_its_base(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "east.svg"
    r = cli("render", "tests/data/variants/overlay/east.yaml", "--variants", "-o", str(out))
    assert r.code == 0, r.err
    groups = _groups(out.read_bytes())
    assert "east.team" in groups
    assert "base.team" not in groups
    scale, (ox, oy) = _mapping(groups, "east", ["money", "fewer"])
    (bx, by), (ex, ey) = _centre(groups["base.spend"]), _centre(groups["east.spend"])
    assert abs(bx * scale + ox - ex) < 1.5
    assert abs(by * scale + oy - ey) < 1.5


@pytest.mark.parametrize(("style", "suffix"), [("markdown", "md"), ("latex", "tex"),
                                               ("csv", "csv")])
def test_golden_table_of_what_differs_across_the_pilots(
        cli: Cli, golden: Callable[[str, str], None], style: str, suffix: str) -> None:
    r = cli("export", FLAGSHIP, "--to", "variants", "--style", style)
    assert r.code == 0, r.err
    golden(f"variants/devolved_budgets.differences.{suffix}", r.out)


def test_a_variant_with_errors_is_refused_with_them(cli: Cli, tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text((ROOT / SITES).read_text() + (
        "  - id: west\n"
        "    change: {nodes: [{id: trust, kind: outcome, horizon: short}]}\n"))
    r = cli("render", str(model), "--variants", "-o", str(tmp_path / "x.svg"))
    assert r.code == 1
    assert "LM105 error: variant `west`: `trust` is an outcome, not a mechanism" in r.err
    assert r.err.endswith("(variant `west`) has errors; nothing was rendered\n")
    assert not (tmp_path / "x.svg").exists()


def test_a_box_whose_kind_a_variant_changes_stays_in_its_place(cli: Cli, tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text((ROOT / SITES).read_text() + (
        "  - id: west\n"
        "    label: West\n"
        "    change: {nodes: [{id: spend, kind: output}]}\n"
        "    add:\n"
        "      nodes: [{id: ctx, kind: context, label: A new context}]\n"
        "      links: [{id: L9, from: ctx, to: money}]\n"))
    out = tmp_path / "x.svg"
    r = cli("render", str(model), "--variants", "-o", str(out))
    assert r.code == 0, r.err
    groups = _groups(out.read_bytes())
    assert _texts(groups["west.spend"])[0] == f"{DELTA}W1"
    assert _texts(groups["west.ctx"])[0] == "+W2"
    # the headings are drawn once, with the base, for every stage any panel has
    assert "base.stage.context" in groups
    assert "west.stage.context" not in groups
    listed = _listed(groups, out.read_bytes(), "West")
    assert f"{DELTA}W1 Workers spend it with families (also kind)" in listed
    assert "+W2 A new context" in listed


_LINKS_VARIANT = """
  - id: east
    label: East
    change:
      links:
        - {id: L3, rationale: Trust lasts once money has come quickly}
    add:
      links:
        - {id: L6, from: money, to: trust}
"""


def test_an_added_and_a_changed_link_carry_their_own_signs(cli: Cli, tmp_path: Path) -> None:
    """Both are drawn heavier; the sign beside each tells them apart, clear of every line."""
    from tests.svg_geometry import collisions

    model = tmp_path / "links.yaml"
    model.write_text((ROOT / SITES).read_text(encoding="utf-8") + _LINKS_VARIANT,
                     encoding="utf-8")
    out = tmp_path / "l.svg"
    r = cli("render", str(model), "--variants", "-o", str(out), "-o", str(tmp_path / "l.txt"))
    assert r.code == 0, r.err
    svg = out.read_bytes()
    groups = _groups(svg)
    codes = {g.split(".")[1]: _texts(el)[0] for g, el in groups.items()
             if g.startswith("east.") and g.endswith(".code")}
    assert codes == {"L3": f"{DELTA}E1", "L6": "+E2"}
    listed = _listed(groups, svg, "East")
    assert ("+E2 link from \u201cA budget per family\u201d to \u201cFamilies trust their "
            "worker\u201d") in listed
    assert f"{DELTA}E1 link from \u201cFamilies trust their worker\u201d" in listed
    assert collisions(svg) == []
    # both lines are heavier than an unchanged one: the sign, not the line, tells them apart
    widths = {k: float(next(iter(groups[f"east.{k}"].iter(f"{SVG}path"))).get("stroke-width",
                                                                             "1"))
              for k in ("L6", "L3", "L1")}
    assert widths["L6"] == widths["L3"] > widths["L1"]
    key = (tmp_path / "l.txt").read_text(encoding="utf-8")
    assert "heavier lines, link added in the variant (+ beside it, or in its new box)" in key
    assert f"heavier lines, link changed in the variant ({DELTA} beside it)" in key


def _text_at(svg: bytes, text: str) -> tuple[float, float]:
    root = ET.fromstring(svg)
    for t in root.iter(f"{SVG}text"):
        if (t.text or "").strip() == text:
            return float(t.get("x", "0")), float(t.get("y", "0"))
    raise AssertionError(f"no text {text!r}")


@pytest.mark.parametrize("place", ["below", "beside"])
def test_the_key_goes_where_it_is_asked(cli: Cli, tmp_path: Path, place: str) -> None:
    out = tmp_path / "k.svg"
    r = cli("render", SITES, "--variants", "--key", place, "-o", str(out))
    assert r.code == 0, r.err
    svg = out.read_bytes()
    key_x, key_y = _text_at(svg, "+ Added in the variant")
    base_x = _text_at(svg, "Fewer children in care")[0]  # the base's last box
    list_y = _text_at(svg, "+N3 Families allocated at random")[1]  # under a panel
    if place == "beside":  # right of the panels, its top at the base's
        assert key_x > base_x + 100
        assert _text_at(svg, "Input")[1] < _text_at(svg, "North: 1 added, 2 changed")[1]
    else:
        assert key_y > list_y
        assert key_x < base_x


def _key_sample_lefts(svg: bytes) -> tuple[list[float], list[float]]:
    """Where each row of the key's sample boxes, and of its sample lines, starts."""
    from tests.svg_geometry import link_segments, node_boxes

    root = ET.fromstring(svg)
    for g in root.iter(f"{SVG}g"):  # the key's boxes and lines, read as the figure's
        g.set("class", g.get("class", "").removesuffix(" lm-key"))
    rows: dict[float, float] = {}  # a row's boxes are centred on one level
    for b in node_boxes(root):
        if b.text == "Key":
            y = round((b.y0 + b.y1) / 2)
            rows[y] = min(rows.get(y, math.inf), b.x0)
    boxes = list(rows.values())
    # each row of sample lines is level (a double line's two within 6 pt of each other)
    level = sorted((seg.y0, min(seg.x0, seg.x1)) for seg in link_segments(root)
                   if seg.link == "Key" and abs(seg.y0 - seg.y1) < 0.5
                   and abs(seg.x1 - seg.x0) > 0.5)
    lines: list[tuple[float, float]] = []  # (lowest y of the row, its left end)
    for y, x in level:
        if lines and y - lines[-1][0] < 6.0:
            lines[-1] = (lines[-1][0], min(lines[-1][1], x))
        else:
            lines.append((y, x))
    return boxes, [x for _, x in lines]


@pytest.mark.parametrize(("model", "args"), [
    (FLAGSHIP, ["--fit", "page", "--key", "beside"]),  # the one drawing, its key beside
    (FLAGSHIP, ["--fit", "180mm"]),                      # the panels, their key below
    (SITES, ["--key", "beside"]),
])
def test_the_keys_samples_start_at_one_left_edge(cli: Cli, tmp_path: Path, model: str,
                                                 args: list[str]) -> None:
    """As in the figure's own key: the rows of sample boxes start at one left edge (right of
    the heading, "Key"), and the rows of sample lines at one left edge (under it)."""
    out = tmp_path / "k.svg"
    r = cli("render", model, "--variants", *args, "-o", str(out))
    assert r.code == 0, r.err
    boxes, lines = _key_sample_lefts(out.read_bytes())
    assert len(boxes) >= 2
    assert len(lines) >= 2  # rows of sample lines
    # the boxes' outlines (a double border's outer line stands 4 pt further out)
    left = max({round(x, 1) for x in boxes}, key=[round(x, 1) for x in boxes].count)
    assert all(-4.5 < x - left < 1.0 for x in boxes), (left, boxes)  # within a point
    assert all(abs(x - lines[0]) < 0.5 for x in lines), lines
    assert lines[0] < left


def test_with_a_target_the_key_goes_where_the_figure_fits_best(cli: Cli, tmp_path: Path) -> None:
    """`--key figure` with --fit tries the key under the panels and beside them."""
    from logicmodel.pipeline import open_model
    from logicmodel.render import RenderOptions
    from logicmodel.render.multiples import render_multiples

    doc = open_model(str(ROOT / SITES)).document
    assert doc is not None
    sizes = {}
    for key in ("figure", "below", "beside"):
        fitted = render_multiples(doc, ["svg"], RenderOptions(fit="120x80mm", key=key))[0].fitted
        assert fitted is not None
        sizes[key] = fitted.min_font
    assert sizes["figure"] == max(sizes["below"], sizes["beside"])


CEILING = "tests/data/variants/ceiling.yaml"


@pytest.mark.parametrize("direction", ["TB", "LR"])
def test_the_ceiling_of_accountability_is_drawn_with_its_label(cli: Cli, tmp_path: Path,
                                                              direction: str) -> None:
    """The base's drawing has the ceiling's dashed line between the stages, and its label
    on the side above it, as the figure of the model has them."""
    from tests.svg_geometry import collisions, link_segments, node_boxes, text_boxes

    out = tmp_path / "c.svg"
    r = cli("render", CEILING, "--variants", "--direction", direction, "-o", str(out))
    assert r.code == 0, r.err
    svg = out.read_bytes()
    root = ET.fromstring(svg)
    line = [s for s in link_segments(root) if s.link == "Ceiling of accountability"]
    assert line
    boxes = {b.text: b for b in node_boxes(root)}
    below = boxes["Well-being scores improve (outcome), Base"]
    above = boxes["Improved well-being (impact), Base"]
    label = [b for b in text_boxes(root) if b.text in ("Ceiling of", "accountability")]
    assert len(label) == 2
    if direction == "TB":  # a level line between the rows (the SVG's y runs down)
        assert {round(s.y0, 1) for s in line} == {round(line[0].y0, 1)}
        assert below.y1 < line[0].y0 < above.y0
        assert all(line[0].y0 < b.y0 for b in label)  # the label under it, beside Impact
        # across the drawing: as far out as its boxes (the impact, widest, may be at its edge)
        assert min(s.x0 for s in line) < below.x0
        assert max(s.x1 for s in line) >= above.x1
    else:  # an upright line between the columns
        assert {round(s.x0, 1) for s in line} == {round(line[0].x0, 1)}
        assert below.x1 < line[0].x0 < above.x0
        assert all(line[0].x0 < b.x0 for b in label)  # over the first column above it
    drawn = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "ceiling")
    assert [p.get("stroke-dasharray") is not None for p in drawn.iter(f"{SVG}path")] == [True]
    assert collisions(svg) == []


def test_pathway_lines_into_one_box_join_under_one_arrowhead(pilots: dict[str, bytes]) -> None:
    """In the base and in every panel, as render draws the model: no arrowheads piled."""
    from tests.svg_geometry import arrowheads, headless_ends, past_the_tip, piled_heads

    svg = pilots["svg"]
    assert piled_heads(svg) == []
    # a shared link's lines under one arrowhead stop at its tip, not past it
    assert past_the_tip(svg) == []
    assert headless_ends(svg) == []
    # the three outputs' lines into the mechanism meet at one point under one arrowhead
    heads = [h for h in arrowheads(svg) if "→ Resources dedicated to the family's needs" in h.link
             and h.link.endswith(", Base")]
    assert len(heads) == 1, heads


SECTIONS = "tests/data/variants/sections.yaml"


@pytest.mark.parametrize(("direction", "arrangement"),
                         [("LR", "panels"), ("TB", "panels"), ("TB", "marked")])
def test_the_base_draws_the_sections_over_their_stages(cli: Cli, tmp_path: Path,
                                                      direction: str, arrangement: str) -> None:
    """The model's own sections (Outcomes over three stages, Programme over one) are drawn
    over the base's stage headings, in the panels and in the one drawing, as the figure
    of the model draws them: the name over a thin line spanning the stages' columns
    (beside it, stages as rows), in the headings' type."""
    from tests.svg_geometry import Box, collisions, text_boxes

    out, single = tmp_path / "v.svg", tmp_path / "m.svg"
    fit = ["--fit", "full", "--key", "caption"] if arrangement == "marked" else []
    r = cli("render", SECTIONS, "--variants", "--direction", direction, *fit, "-o", str(out))
    assert r.code == 0, r.err
    svg = out.read_bytes()
    assert (b"changes marked where they are" in svg) == (arrangement == "marked")
    r = cli("render", SECTIONS, "--direction", direction, "-o", str(single))
    assert r.code == 0, r.err
    root = ET.fromstring(svg)
    texts = {}
    for b in text_boxes(root):
        texts.setdefault(b.text, []).append(b)
    # each section once, in the base only, as the headings are
    assert len(texts["Outcomes"]) == len(texts["Programme"]) == 1
    heading = {name: texts[name][0] for name in ("Interventions", "Short-term", "Intermediate",
                                                 "Long-term")}
    outcomes, programme = texts["Outcomes"][0], texts["Programme"][0]

    def middle(b: Box) -> tuple[float, float]:
        return (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2

    groups = _groups(svg)
    line = [pts for g in root.iter(f"{SVG}g") if g.findtext(f"{SVG}title") == "Outcomes (section)"
            for el in g.iter(f"{SVG}path") for pts in [_numbers(el)]]
    assert len(line) == 1
    xs, ys = [x for x, _ in line[0]], [y for _, y in line[0]]
    if direction == "LR":  # over the columns: the name centred over the line that spans them
        assert outcomes.y1 < heading["Short-term"].y0
        assert max(ys) < heading["Short-term"].y0
        assert min(xs) <= heading["Short-term"].x0  # across the columns, edge to edge
        assert max(xs) >= heading["Long-term"].x1
        assert min(xs) < middle(outcomes)[0] < max(xs)
        assert heading["Interventions"].x0 - 30 < middle(programme)[0] \
            < heading["Interventions"].x1 + 30
        assert programme.y1 < heading["Interventions"].y0
    else:  # beside the rows: left of the headings, the line as high as its rows
        assert outcomes.x1 < heading["Short-term"].x0
        assert max(xs) < heading["Short-term"].x0
        assert min(ys) <= heading["Short-term"].y0  # across the rows, edge to edge
        assert max(ys) >= heading["Long-term"].y1
        assert min(ys) < middle(outcomes)[1] < max(ys)
        assert programme.x1 < heading["Interventions"].x0
        assert abs(middle(programme)[1] - middle(heading["Interventions"])[1]) < 12
    # in the style of the figure of the model: the headings' size, the same grey line
    single_root = ET.fromstring(single.read_bytes())

    def style(r: ET.Element, text: str) -> tuple[str | None, str | None]:
        el = next(t for t in r.iter(f"{SVG}text") if "".join(t.itertext()).strip() == text)
        return el.get("font-size"), el.get("fill")

    for name in ("Outcomes", "Programme"):
        assert style(root, name) == style(single_root, name) == style(root, "Short-term")
    strokes = {el.get("stroke") for g in groups.values()
               if g.findtext(f"{SVG}title", "").endswith("(section)")
               for el in g.iter() if el.get("stroke") not in (None, "none", "transparent")}
    assert strokes == {el.get("stroke") for g in single_root.iter(f"{SVG}g")
                       if g.findtext(f"{SVG}title", "").endswith("(section)")
                       for el in g.iter() if el.get("stroke") not in (None, "none", "transparent")}
    assert collisions(svg) == []


def _outside_frames(svg: bytes) -> list[tuple[str, float]]:
    """Each box drawn past the frame of the panel it stands in, and by how many points.

    The frames are the thin grey rounded boxes (gray70) round each panel; a box's
    extent is every outline it draws, a double border's outer line too.
    """
    root = ET.fromstring(svg)
    frames: list[tuple[float, float, float, float]] = []
    boxes: list[tuple[str, tuple[float, float, float, float]]] = []
    for g in root.iter(f"{SVG}g"):
        shapes = [el for el in g if el.tag in (f"{SVG}path", f"{SVG}polygon")]
        if g.get("class") != "node" or not shapes:
            continue
        xs = [x for el in shapes for x, _ in _numbers(el)]
        ys = [y for el in shapes for _, y in _numbers(el)]
        extent = (min(xs), min(ys), max(xs), max(ys))
        if shapes[0].get("stroke") == "#b3b3b3":
            frames.append(extent)
        else:
            boxes.append((g.findtext(f"{SVG}title") or "", extent))
    out = []
    for title, (x0, y0, x1, y1) in boxes:
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        for fx0, fy0, fx1, fy1 in frames:
            if fx0 <= cx <= fx1 and fy0 <= cy <= fy1:
                over = max(fx0 - x0, fy0 - y0, x1 - fx1, y1 - fy1)
                if over > 0.05:
                    out.append((title, round(over, 2)))
    return out


@pytest.mark.parametrize("args", [
    (FLAGSHIP,), (FLAGSHIP, "--direction", "LR"), (FLAGSHIP, "--fit", "page", "--key", "caption"),
    (SECTIONS, "--direction", "LR"), (SECTIONS, "--direction", "TB")])
def test_every_box_is_drawn_inside_its_panels_frame(cli: Cli, tmp_path: Path,
                                                    args: tuple[str, ...]) -> None:
    """A double border's outer line too: the impact's, at the edge of the base's layout,
    stood a point out of its frame."""
    out = tmp_path / "v.svg"
    r = cli("render", *args, "--variants", "-o", str(out))
    assert r.code == 0, r.err
    assert _outside_frames(out.read_bytes()) == []


def _strokes(groups: list[ET.Element]) -> list[tuple[str, str]]:
    """The lines drawn in ``groups``: each path's colour and dash pattern, in order (a double
    line is two paths and a transparent one between them, which is left out, as is the
    uncoloured tail of a line that ends under another's arrowhead, as is the tail, too short
    to see, of the line whose arrowhead lines of other colours end under, its colour the
    arrowhead's; a line too short for the
    engine's pattern is drawn as its dashes, read as that pattern, see :func:`_dashes`)."""
    return sorted(_dashes(g) or (el.get("stroke", ""), el.get("stroke-dasharray", ""))
                  for g in groups for el in _visible_paths(g)
                  if not (_dashes(g) and el is not _visible_paths(g)[0]))


def _visible_paths(g: ET.Element) -> list[ET.Element]:
    return [el for el in g.iter(f"{SVG}path")
            if el.get("stroke") not in (None, "none", "transparent")
            and _extent(el.get("d", "")) > 0.1]


def _extent(d: str) -> float:
    """How far a path's points spread, across or down (points)."""
    nums = [float(v) for v in re.findall(r"-?[\d.]+", d)]
    xs, ys = nums[0::2], nums[1::2]
    return max(max(xs) - min(xs), max(ys) - min(ys)) if xs else 0.0


def _path_ends(el: ET.Element) -> tuple[tuple[float, float], tuple[float, float]]:
    pairs = [(float(x), float(y)) for x, y in
             re.findall(r"(-?[0-9.]+),(-?[0-9.]+)", el.get("d", ""))]
    return pairs[0], pairs[-1]


def _dashes(g: ET.Element) -> tuple[str, str] | None:
    """(colour, the engine's pattern) of a line drawn as its dashes: one line of two
    pieces or more, each of one colour and no pattern, a gap of a few points between each
    and the next (the pieces' lengths to the gaps' as the engine's pattern has them: "5,2"
    or "1,5")."""
    paths = _visible_paths(g)
    if len(paths) < 2 or any(el.get("stroke-dasharray") for el in paths) \
            or len({el.get("stroke") for el in paths}) != 1:
        return None
    ends = [_path_ends(el) for el in paths]
    on = [math.dist(a, b) for a, b in ends]
    off = [math.dist(ends[i][1], ends[i + 1][0]) for i in range(len(ends) - 1)]
    if min(off) <= 0.05 or max(off) > 3:  # not one line's pieces (a double line's two)
        return None
    ratio = (sum(on) / len(on)) / (sum(off) / len(off))
    return paths[0].get("stroke", ""), "5,2" if ratio > 1 else "1,5"


def _shared_links(variant: str) -> list[tuple[str, str, str]]:
    """(key, source label, target label) of each link of ``variant`` on two pathways or more."""
    from logicmodel.pipeline import open_model
    from logicmodel.render import RenderOptions, scene_for

    model = open_model(str(ROOT / FLAGSHIP), variant=variant).model
    assert model is not None
    scene = scene_for(model, RenderOptions())
    label = {n.id: " ".join(n.label.split()) for n in scene.nodes}
    return [(str(lk.id or f"{lk.source}-{lk.target}"), label[lk.source], label[lk.target])
            for lk in scene.links if len(scene.link_pathways.get(id(lk), ())) > 1]


@pytest.mark.parametrize("theme", ["paper", "color"])
def test_shared_links_are_drawn_as_the_figure_of_each_variant_draws_them(
        cli: Cli, tmp_path: Path, theme: str) -> None:
    """A link on both pathways between stages is in every panel what it is in the figure
    of that variant (`render --variant NAME`): one line per pathway, each in its pathway's
    colour and dash pattern. Within a stage the panels draw one double line (the figure
    of the variant, its two lines side by side)."""
    panels = tmp_path / "panels.svg"
    assert cli("render", FLAGSHIP, "--variants", "--theme", theme, "-o", str(panels)).code == 0
    drawn = _groups(panels.read_bytes())
    between = 0
    for panel in PANELS:
        single = tmp_path / f"{panel}.svg"
        assert cli("render", FLAGSHIP, "--variant", panel, "--theme", theme,
                   "-o", str(single)).code == 0
        root = ET.fromstring(single.read_bytes())
        by_title: dict[str, list[ET.Element]] = {}
        for g in root.iter(f"{SVG}g"):
            if g.get("class") == "edge":
                by_title.setdefault(g.findtext(f"{SVG}title") or "", []).append(g)
        shared = _shared_links(panel)
        assert len(shared) == 4, shared  # L05, L26 (within a stage), L27, L29
        for key, source, target in shared:
            own = by_title[f"{source} \u2192 {target} (link)"]
            lines = [g for ident, g in drawn.items()
                     if re.fullmatch(re.escape(f"{panel}.{key}") + r"(\.[0-9]+)?", ident)]
            if key == "L26":  # within a stage: the panels' one double line
                assert (len(lines), len(own)) == (1, 2), f"{key} in {panel}"
                continue
            assert len(lines) == len(own), f"{key} in {panel}: {len(lines)} lines, not {len(own)}"
            assert _strokes(lines) == _strokes(own), f"{key} in {panel}"
            if len(own) > 1:
                between += 1
                # each pathway's own line: solid beside dashed, not one double line
                assert len({dash for _, dash in _strokes(own)}) == 2
    assert between == 3 * len(PANELS)


def test_the_one_drawing_draws_shared_links_as_the_figure_of_the_base(cli: Cli,
                                                                      tmp_path: Path) -> None:
    """Every variant's marks on one drawing (`--fit page --key caption`): its shared links
    between stages are the base's, drawn as `render` draws them (within a stage, one
    double line, as the panels draw it)."""
    one = tmp_path / "one.svg"
    assert cli("render", FLAGSHIP, "--variants", "--fit", "page", "--key", "caption",
               "-o", str(one)).code == 0
    assert b"each variant's changes marked where they are" in one.read_bytes()
    drawn = _groups(one.read_bytes())
    single = tmp_path / "base.svg"
    assert cli("render", FLAGSHIP, "--variant", "base", "-o", str(single)).code == 0
    by_title: dict[str, list[ET.Element]] = {}
    for g in ET.fromstring(single.read_bytes()).iter(f"{SVG}g"):
        if g.get("class") == "edge":
            by_title.setdefault(g.findtext(f"{SVG}title") or "", []).append(g)
    for key, source, target in _shared_links("base"):
        own = by_title[f"{source} \u2192 {target} (link)"]
        lines = [g for ident, g in drawn.items()
                 if re.fullmatch(re.escape(f"all.{key}") + r"(\.[0-9]+)?", ident)]
        if key == "L26":  # within a stage
            assert (len(lines), len(own)) == (1, 2), key
            continue
        assert (len(lines), _strokes(lines)) == (len(own), _strokes(own)), key
    from tests.svg_geometry import headless_ends, past_the_tip, piled_heads

    assert (piled_heads(one.read_bytes()), past_the_tip(one.read_bytes()),
            headless_ends(one.read_bytes())) == ([], [], [])


def _floor1(points: float) -> str:
    """Text size as the docs quote it: rounded down to a tenth (never overstated)."""
    return f"{math.floor(points * 10 + 1e-6) / 10:.1f}"


def test_the_sizes_the_variants_page_quotes_are_the_figures_own() -> None:
    """docs/variants.md quotes the pilots' figures' sizes: each as the renderer draws it now
    (sizes rounded up, as LM619 rounds them; text rounded down)."""
    from logicmodel.pipeline import open_model
    from logicmodel.render import RenderOptions, render
    from logicmodel.render.fit import MM, _up
    from logicmodel.render.multiples import render_multiples

    opened = open_model(str(ROOT / FLAGSHIP))
    assert opened.document is not None
    assert opened.model is not None

    def drawn(**options: str) -> tuple[float, float, float, float, bytes]:
        result = render_multiples(opened.document, ["svg"], RenderOptions(**options))[0]
        f = result.fitted
        assert f is not None
        assert f.fits, options
        return f.width_mm, f.height_mm, f.min_font, f.scale, result.data

    def mm(width: float, height: float) -> str:
        return f"{_up(width)} x {_up(height)} mm"

    one_drawing = b"each variant's changes marked where they are"
    quoted = " ".join((ROOT / "docs" / "variants.md").read_text(encoding="utf-8").split())
    w, h, font, scale, svg = drawn(fit="180mm")
    assert one_drawing not in svg
    claims = [f"at a wide page's width (180 mm, `--fit 180mm`) its text is at least "
              f"{_floor1(font)} pt",
              f"the panels need {mm(w, h)}"]
    # the base's frame, at the scale that draws the smallest text at 7 pt
    frame = next(g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == "node"
                 and g.findtext(f"{SVG}title") == "Base (the model without variants)")
    ys = [y for _, y in _numbers(frame)]
    claims.append(f"the flagship's base in full is "
                  f"{round((max(ys) - min(ys)) * 7 / (font / scale) / MM)} mm tall at 7 pt")
    w, h, font, _, svg = drawn(fit="174mm")
    assert one_drawing not in svg
    claims.append(f"At 174 mm, `--fit 174mm`, the panels' text is {_floor1(font)} pt")
    w, h, font, _, svg = drawn(fit="page", key="caption")
    assert one_drawing in svg
    claims.append(f"pilots fit a page with text of {_floor1(font)} pt ({mm(w, h)})")
    w, h, font, _, svg = drawn(fit="page", key="caption", view="delivery")
    assert one_drawing not in svg
    claims.append(f"it fits the page with text of {_floor1(font)} pt ({mm(w, h)})")
    paper = render(opened.model, "svg", RenderOptions(view="paper", fit="page")).fitted
    assert paper is not None
    claims.append(f"(the `paper` view is {mm(paper.width_mm, paper.height_mm)})")
    assert [c for c in claims if c not in quoted] == []


def test_a_link_past_a_place_left_empty_is_drawn_straight(pilots: dict[str, bytes]) -> None:
    # Darlington adds a box between the two activities L07 joins: the one layout routes
    # L07 round it, and the base and the panels without that box drew the detour round
    # an empty place (a loop over nothing); they draw L07 straight across it, its
    # arrowhead on the box, and Darlington's panel keeps the route round its box
    groups = _groups(pilots["svg"])

    def bend(panel: str) -> float:
        path = next(iter(groups[f"{panel}.L07"].iter(f"{SVG}path")))
        pts = [(float(x), float(y)) for x, y in
               re.findall(r"(-?[0-9.]+),(-?[0-9.]+)", path.get("d", ""))]
        (ax, ay), (bx, by) = pts[0], pts[-1]
        chord = math.hypot(bx - ax, by - ay)
        return max(abs((bx - ax) * (ay - y) - (ax - x) * (by - ay)) / chord for x, y in pts)

    for panel in ("base", "hillingdon", "wigan"):
        assert bend(panel) < 0.5, panel
        head = next(iter(groups[f"{panel}.L07"].iter(f"{SVG}polygon")))
        tip = max(_numbers(head), key=lambda q: q[0])
        box = _numbers(groups[f"{panel}.act_joint_plan"])
        assert abs(tip[0] - min(x for x, _ in box)) < 2.5, panel  # (within the outlines)
    assert bend("darlington") > 5


def test_a_feedback_link_runs_apart_from_the_link_it_returns_along_in_every_panel() -> None:
    """With the stages as columns (the figure of the variants drawn at its own size), the
    one layout routed the flagship's feedback link with the link forward it returns
    along as one bundle, 0.9 pt apart in each pilot's panel and 4.6 pt in the base's;
    it is laid out on its own way, as the figure of the model lays it out (see
    render/dot.py), and each panel draws it there."""
    from logicmodel.pipeline import open_model
    from logicmodel.render import RenderOptions
    from logicmodel.render.multiples import render_multiples
    from tests.svg_geometry import returning_lines

    opened = open_model(str(ROOT / FLAGSHIP))
    assert opened.document is not None
    svg = render_multiples(opened.document, ["svg"], RenderOptions())[0].data
    for panel in ("Base", "Darlington", "Hillingdon", "Wigan"):
        returning = returning_lines(svg, 6.0, panel)
        assert returning, panel
        for r in returning:
            assert r.middle >= 6.0, (r, panel)
            assert r.near <= r.length / 10, (r, panel)


# --- the key as render draws it, its samples as the figure draws its lines ---------------

SUMMARY = "models/devolved_budgets_summary.yaml"


@pytest.fixture(scope="module")
def at_a_page(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The flagship's and its short version's variants at a journal's text block (174 x 230
    mm): too tall for the panels, each is the one drawing of every variant's marks; and the
    flagship's panels at 180 mm."""
    from logicmodel.cli import main

    out = tmp_path_factory.mktemp("page")
    drawn = {}
    for name, model, fit in (("flagship", FLAGSHIP, "174x230mm"), ("summary", SUMMARY,
                                                                  "174x230mm"),
                             ("panels", FLAGSHIP, "180mm")):
        path = out / f"{name}.svg"
        assert main(["render", str(ROOT / model), "--variants", "--fit", fit,
                     "-o", str(path)]) == 0
        drawn[name] = path.read_bytes()
    return drawn


def _stroke(el: ET.Element) -> tuple[str, float, str]:
    """A line's ink: its colour, width and dashes."""
    return (el.get("stroke", ""), float(el.get("stroke-width", "1")),
            el.get("stroke-dasharray", ""))


def _key_lines(svg: bytes) -> dict[str, tuple[tuple[str, float, str], float]]:
    """Each sample line of the key: its text -> (its ink, from its arrow's tip to the text)."""
    root = ET.fromstring(svg)
    keyed = [g for g in root.iter(f"{SVG}g") if "lm-key" in g.get("class", "")]
    texts = [(float(t.get("x", "0")), float(t.get("y", "0")), t.text or "")
             for g in keyed if "node" in g.get("class", "") for t in g.iter(f"{SVG}text")]
    out = {}
    for g in keyed:
        path = g.find(f"{SVG}path")
        if "edge" not in g.get("class", "") or path is None:
            continue
        pts = _numbers(g)
        tip = max(x for x, _ in pts)
        y = sum(y for _, y in pts) / len(pts)
        # its text: the lines beside it, right of its tip, centred on it
        beside = [t for t in texts if t[0] > tip - 1 and abs(t[1] - 3 - y) < 13]
        x = min(t[0] for t in beside)
        lines = [t for t in beside if abs(t[0] - x) < 0.5]
        out[" ".join(t[2] for t in sorted(lines, key=lambda t: t[1]))] = (_stroke(path),
                                                                         x - tip)
    return out


def _sample(lines: dict[str, tuple[tuple[str, float, str], float]], start: str
            ) -> tuple[str, float, str]:
    return next(ink for text, (ink, _) in lines.items() if text.startswith(start))


def _key_share(svg: bytes) -> float:
    """How much of the figure's height the key takes."""
    root = ET.fromstring(svg)
    ys = [y for g in root.iter(f"{SVG}g") if "lm-key" in g.get("class", "")
          for _, y in _numbers(g)]
    height = float(root.get("viewBox", "0 0 0 0").split()[3])
    return (max(ys) - min(ys) + 10) / height


@pytest.mark.parametrize("name", ["flagship", "summary", "panels"])
def test_the_variants_key_is_the_figures_key(at_a_page: dict[str, bytes], name: str) -> None:
    """The key of the variants is render's: its heading, short samples with their text
    beside them, in as many columns as fit; it takes a fifth of the figure's height or less
    (the flagship's one drawing of every variant: 45% with the lists, its key 27%, before)."""
    svg = at_a_page[name]
    root = ET.fromstring(svg)
    keyed = [t.text for g in root.iter(f"{SVG}g") if "lm-key" in g.get("class", "")
             for t in g.iter(f"{SVG}text")]
    assert "Key" in keyed
    lines = _key_lines(svg)
    assert len(lines) >= 3
    # each text beside its sample, a few points from the arrow's tip (it was 33 units)
    assert all(0 < gap < 8 for _, gap in lines.values()), lines
    # as many samples to a row as fit: the lines' samples in fewer rows than samples
    rows = {round(float(t.get("y", "0"))) for g in root.iter(f"{SVG}g")
            if "lm-key" in g.get("class", "") and "node" in g.get("class", "")
            for t in g.iter(f"{SVG}text") if (t.text or "") in lines}
    assert len(rows) < len(lines)
    assert _key_share(svg) < 0.21, _key_share(svg)


def test_a_removed_line_is_sampled_as_drawn(at_a_page: dict[str, bytes]) -> None:
    """Darlington removes L07: drawn dotted and grey in the one drawing and in its panel,
    and sampled so in the key, not as the other links are (grey, solid, 1 pt, before)."""
    for name, ident, removed in (("flagship", "all.L07", "Link removed in a variant"),
                                 ("panels", "darlington.L07", "Link removed in the variant")):
        svg = at_a_page[name]
        lines = _key_lines(svg)
        sample, other = _sample(lines, removed), _sample(lines, "Other link")
        drawn = _stroke(next(_groups(svg)[ident].iter(f"{SVG}path")))
        assert sample != other
        assert sample[2], sample  # dotted
        assert sample[2] == drawn[2], (sample, drawn)  # as drawn
        assert sample[0] == drawn[0]
        if name == "flagship":  # at the drawing's scale (a panel is smaller)
            assert sample == drawn
        plain = _stroke(next(_groups(svg)[ident.replace("L07", "L01")].iter(f"{SVG}path")))
        assert drawn != plain


def test_a_changed_line_is_sampled_as_drawn(at_a_page: dict[str, bytes]) -> None:
    """Wigan changes the short version's two last links, each on both pathways: drawn
    heavier in their pathways' black, and sampled so (a thin grey line, as the other links,
    before, when the drawing drew them as the base does)."""
    svg = at_a_page["summary"]
    lines = _key_lines(svg)
    sample, other = _sample(lines, "Link changed in a variant"), _sample(lines, "Other link")
    assert sample != other
    groups = _groups(svg)
    for ident in ("all.lasting_change-at_home", "all.at_home-less_care"):
        solid, dashed = (_stroke(next(groups[i].iter(f"{SVG}path")))
                         for i in (ident, f"{ident}.2"))
        assert solid == sample
        assert dashed[:2] == sample[:2]
        assert dashed[2]  # its other pathway's dashes
    plain = _stroke(next(groups["all.problem-budgets"].iter(f"{SVG}path")))
    assert plain == other


def _key_groups(svg: bytes, kind: str) -> list[ET.Element]:
    """The key's groups of one kind ("node" or "edge")."""
    return [g for g in ET.fromstring(svg).iter(f"{SVG}g")
            if "lm-key" in g.get("class", "") and kind in g.get("class", "")]


def _head(g: ET.Element) -> tuple[str, str, str]:
    """A line's arrowhead: its fill, outline and outline's width."""
    head = next(g.iter(f"{SVG}polygon"))
    return head.get("fill", ""), head.get("stroke", ""), head.get("stroke-width", "1")


@pytest.fixture(scope="module", params=["paper", "color"])
def marked_at_a_page(request: pytest.FixtureRequest,
                     tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The flagship's one drawing of every variant at a page (``--fit page``), in a theme."""
    from logicmodel.cli import main

    out = tmp_path_factory.mktemp("marked") / f"{request.param}.svg"
    assert main(["render", str(ROOT / FLAGSHIP), "--variants", "--fit", "page", "--theme",
                 request.param, "-o", str(out)]) == 0
    return out.read_bytes()


def test_the_removed_lines_sample_is_the_drawn_line_long_enough_to_read_dotted(
        marked_at_a_page: bytes) -> None:
    """The key's sample of a removed link is Darlington's removed link (L07) as the one
    drawing of every variant draws it, line and arrowhead, and holds five periods of its
    dots at least (it held three, which read as stray specks, not as a dotted line)."""
    svg = marked_at_a_page
    drawn = _groups(svg)["all.L07"]
    line = _stroke(next(drawn.iter(f"{SVG}path")))
    assert line[2], line  # dotted
    samples = [g for g in _key_groups(svg, "edge")
               if _stroke(next(g.iter(f"{SVG}path"))) == line]
    assert len(samples) == 1, [_stroke(next(g.iter(f"{SVG}path")))
                               for g in _key_groups(svg, "edge")]
    assert _head(samples[0]) == _head(drawn)
    on, off = (float(v) for v in line[2].split(","))
    xs = [x for x, _ in _numbers(next(samples[0].iter(f"{SVG}path")))]
    assert max(xs) - min(xs) >= 5 * (on + off) - 0.5, (xs, line)


def _ink(g: ET.Element) -> list[tuple[str, ...]]:
    """How a key's sample box is drawn: each outline's kind, corners, fill, ink and dashes."""
    return [(el.tag, str(len(_numbers(el))), el.get("fill", ""), el.get("stroke", ""),
             el.get("stroke-width", "1"), el.get("stroke-dasharray", ""))
            for el in g if el.tag in (f"{SVG}polygon", f"{SVG}path", f"{SVG}ellipse")]


def test_the_changed_boxes_sample_is_no_kinds(marked_at_a_page: bytes) -> None:
    """A box a variant changes is drawn as the base's, of its kind, with the change's code in
    it: the key's sample of it is drawn as no kind's sample is (it was the Input's box)."""
    samples = {" ".join(t.text or "" for t in g.iter(f"{SVG}text")): _ink(g)
               for g in _key_groups(marked_at_a_page, "node")}
    changed = samples[f"{DELTA} Changed in a variant"]
    kinds = ("Context", "Input", "Activity", "Output", "Mechanism", "Outcome", "Impact")
    assert all(k in samples for k in kinds), samples.keys()
    assert [k for k in kinds if samples[k] == changed] == []


def _list_lines(svg: bytes) -> list[str]:
    """Every line of the lists of changes under the panels (or the one drawing)."""
    return [(t.text or "").strip() for g in ET.fromstring(svg).iter(f"{SVG}g")
            if (g.findtext(f"{SVG}title") or "").startswith("Changes in ")
            for t in g.iter(f"{SVG}text")]


def test_no_line_of_the_lists_ends_with_also(at_a_page: dict[str, bytes]) -> None:
    """"(also" is kept with the first of the fields it introduces: alone at the end of a
    line it read as cut off ("about 100 young people (also" / "description, sources")."""
    for name in ("flagship", "summary", "panels"):
        lines = _list_lines(at_a_page[name])
        assert lines, name
        assert [x for x in lines if x.endswith("(also")] == [], name
    assert any(re.search(r"\(also \w", x) for x in _list_lines(at_a_page["flagship"]))


def test_no_entry_of_the_lists_ends_in_a_word_alone(at_a_page: dict[str, bytes]) -> None:
    """An entry whose last line is one word, the line above three or more, read as a stray
    word: "+D3 Allocate budgets to 30-50 families at" / "random" is "... families" / "at
    random" (and "... evidence" / "status)", "... note on" / "sources)")."""
    for name in ("flagship", "summary", "panels"):
        for g in ET.fromstring(at_a_page[name]).iter(f"{SVG}g"):
            if not (g.findtext(f"{SVG}title") or "").startswith("Changes in "):
                continue
            entries: list[list[str]] = []
            for t in g.iter(f"{SVG}text"):  # an entry's later lines are indented
                line = t.text or ""
                if line.startswith(" ") and entries:
                    entries[-1].append(line)
                else:
                    entries.append([line])
            for entry in entries:
                if len(entry) > 1 and len(entry[-1].split()) == 1:
                    above = entry[-2].split()[1 if len(entry) == 2 else 0:]  # not its mark
                    assert len(above) < 3, (name, entry)
    assert "at random" in _list_lines(at_a_page["flagship"])


def test_the_lists_headings_share_a_baseline(at_a_page: dict[str, bytes]) -> None:
    """Darlington's heading takes two lines, the others one: their first lines are level,
    as are the lists under them (the one-line headings stood half a line lower)."""
    for name in ("flagship", "panels"):
        root = ET.fromstring(at_a_page[name])
        firsts = {}
        for g in root.iter(f"{SVG}g"):
            title = g.findtext(f"{SVG}title") or ""
            texts = list(g.iter(f"{SVG}text"))
            if title.split(":")[0] in ("Darlington", "Hillingdon", "Wigan") and texts \
                    and g.find(f"{SVG}polygon") is None and g.find(f"{SVG}path") is None:
                firsts[title] = float(texts[0].get("y", "0"))
        assert len(firsts) == 3, firsts
        assert max(firsts.values()) - min(firsts.values()) < 0.01, firsts
        assert len(_heading_lines(at_a_page[name], "Darlington")[0]) == 2


def test_a_variants_added_box_is_drawn_next_to_the_box_it_follows(cli: Cli,
                                                                 tmp_path: Path) -> None:
    """Darlington's figure draws "Allocate budgets" after "Identify children", which it
    follows, as the figure of the variants does, not last in its stage (its two links ran
    together, 330 and 236 pt long, side by side for 154 pt, with a hairpin under it)."""
    from tests.svg_geometry import running_together

    out = tmp_path / "d.svg"
    r = cli("render", FLAGSHIP, "--variant", "darlington", "--view", "paper",
            "--fit", "174x230mm", "-o", str(out))
    assert r.code == 0, r.err
    svg = out.read_bytes()
    identify = "Identify children at imminent risk of a care order"
    allocate = "Allocate budgets to 30-50 families at random"
    plan = "Worker and family decide what would help"
    into, out_of = f"{identify} \u2192 {allocate} (link)", f"{allocate} \u2192 {plan} (link)"
    for a, b in ((into, out_of), (out_of, into)):
        together = running_together(svg, a, b, 3.0)
        assert together.length < 40, together
        assert together.near == 0, together
    # the row as the figure of the variants has it
    root = ET.fromstring(svg)
    lefts = {}
    for g in root.iter(f"{SVG}g"):
        title = g.findtext(f"{SVG}title") or ""
        for label in (identify, allocate, plan, "Buy goods and services quickly"):
            if title.startswith(f"{label} (") and g.get("class") == "node":
                lefts[label] = min(x for x, _ in _numbers(g))
    assert sorted(lefts, key=lefts.__getitem__) == [identify, allocate, plan,
                                                    "Buy goods and services quickly"]


@pytest.mark.parametrize("key", [None, "caption"])
def test_a_link_round_boxes_of_its_stage_keeps_clear_of_them_in_the_one_drawing(
        key: str | None) -> None:
    """In the one drawing, as in the figure of the model, a link between boxes of a stage
    that are not neighbours runs round the box between with room to spare: drawn without
    it, Immediate needs -> Less stress ran along the bottom of "Improved home and living
    conditions" (0 pt from it) at --fit page --key caption."""
    from logicmodel.pipeline import open_model
    from logicmodel.render import RenderOptions
    from logicmodel.render.multiples import render_multiples
    from tests.svg_geometry import SVG, _distance, _points, _stroked, node_boxes

    opened = open_model(str(ROOT / FLAGSHIP))
    assert opened.document is not None
    svg = render_multiples(opened.document, ["svg"], RenderOptions(fit="page", key=key))[0].data
    assert b"each variant's changes marked where they are" in svg
    root = ET.fromstring(svg)
    box = next(b for b in node_boxes(root) if b.text.startswith("Improved home and living"))
    group = next(g for g in root.iter(f"{SVG}g") if (g.findtext(f"{SVG}title") or "")
                 .startswith("Immediate needs met quickly → Less parental and family stress"))
    points = [p for el in group if el.tag == f"{SVG}path" and _stroked(el)
              for line in _points(el.get("d", "")) for p in line]
    assert points
    assert min(_distance(x, y, box) for x, y in points) >= 3.0
