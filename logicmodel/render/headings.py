"""Headings over the stage headings, and the ceiling of accountability across the figure.

A stage may name a ``section`` (UW-Extension's *Outputs* over Activities and
Participation; *Outcomes* over short-, medium- and long-term outcomes), and a
theory of change may say where its ``ceiling:`` of accountability lies (the
stages after it are outcomes the programme contributes to but is not held
accountable for). A section is drawn as a row above the stage headings: its
name over a thin line that spans its columns. The ceiling is drawn as published
theories of change draw it: a dashed line across the whole figure, between the
last stage the programme is accountable for and the first above it, labelled
*Ceiling of accountability* on the side above it.

A row is a chain of invisible points, one per column, above the headings; a
bracket over several columns is a labelled edge between the points of its first
and last column (Graphviz centres the label on it), over one column a node drawn
as a line under its text. The engine draws that edge from the middle of the first
column to the middle of the last, short of their outer boxes; so, as the ceiling's,
the line is found once the figure is laid out, across its columns' boxes and
headings (:func:`section_lines`), and drawn in place of the edge's. The
ceiling's label is a node over the first column above the ceiling, its text
starting at the column's left (stages as columns),
or the label of a colourless edge between the two stages' points, which the
engine puts in the gap between the rows (stages as rows). Its line depends on
where the engine put the boxes, so it is found once the figure is laid out
(:func:`ceiling_line`) and drawn under everything into the engine's SVG
(:func:`draw_lines`), as the engine draws the graph's ``_background``: the
DOT file (and the bitmaps the engine draws from it) carries it there
(:func:`background`), which does not change the layout.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .markers import shape_points, text_box
from .svg import coordinate, figure_graph
from .text import dot_string, text_width_pt, wrap

__all__ = ["CEILING_LABEL", "Bracket", "background", "bracket_titles", "brackets",
           "ceiling_at", "ceiling_line", "draw_lines", "heading_rows", "section_lines",
           "spanning"]

CEILING_LABEL = "Ceiling of accountability"
CEILING_COLOR = "gray40"
# as the engine writes that colour and its dashed style in SVG
_CEILING_SVG = b'<polyline fill="none" stroke="#666666" stroke-dasharray="5,2" points="%s"/>\n'
# and a section's thin line
_SECTION_SVG = b'<polyline fill="none" stroke="#666666" stroke-width="0.8" points="%s"/>\n'
Line = tuple[float, float, float, float]
# the figure's background, the first thing in its graph: the line is drawn right after it
_BACKGROUND = re.compile(rb'<g id="graph0" class="graph"[^>]*>\n<title>[^<]*</title>\n'
                         rb'<polygon [^>]*/>\n')
_SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Bracket:
    """A heading over columns ``first`` to ``last`` of the figure."""

    label: str
    first: int
    last: int
    dashed: bool = False


def brackets(scene: Any) -> list[list[Bracket]]:
    """The rows of brackets of ``scene``, top row first.

    The sections make one row; the ceiling's bracket joins it when it spans none
    of their columns, and goes in a row above them otherwise.
    """
    layout = scene.model.layout
    col = {st: k for k, st in enumerate(scene.stages)}
    sections: list[Bracket] = []
    for name, ids in layout.sections():
        shown = [col[s] for s in ids if s in col]
        if name is not None and shown:
            sections.append(Bracket(name, min(shown), max(shown)))
    first = ceiling_at(scene)
    if first is None:
        return [sections] if sections else []
    # over the first column above it, or between the two rows it runs between
    rows = scene.direction == "TB"
    bracket = Bracket(CEILING_LABEL, first - rows, first, dashed=True)
    # stages as rows, the ceiling's label lies between two rows, under a section that ends
    # at the first of them (they share that row's point), or over one starting at the second
    if all(b.last < bracket.first + rows or b.first > bracket.last - rows for b in sections):
        return [sorted([*sections, bracket], key=lambda b: b.first)]
    return [[bracket], sections]


def ceiling_at(scene: Any) -> int | None:
    """The column of the first stage drawn above the ceiling, if stages on both sides are."""
    ceiling = getattr(scene.model, "ceiling", None)
    layout = scene.model.layout
    above = [k for k, s in enumerate(scene.stages) if layout.above_ceiling(s, ceiling)]
    if not above or min(above) == 0:
        return None
    return min(above)


def bracket_titles(scene: Any) -> dict[str, str]:
    """Each bracket's SVG ``<title>`` by its DOT id: its text, and whether section or ceiling."""
    out: dict[str, str] = {}
    for r, row in enumerate(brackets(scene)):
        for b in row:
            what = "ceiling" if b.dashed else "section"
            name = f"s{r}_{b.first}" if b.first == b.last else f"s{r}_{b.first}->s{r}_{b.last}"
            out[name] = f"{b.label} ({what})"
    return out


def heading_rows(scene: Any, fontsize: float, color: str, wrap_at: int,
                 widths: Mapping[int, float]) -> tuple[list[str], dict[int, list[str]]]:
    """DOT declarations of the rows above the headings, and each rank's points, top first.

    ``widths`` are the columns' widths in inches (for a one-column bracket's line).
    """
    rows = brackets(scene)
    decls: list[str] = []
    tops: dict[int, list[str]] = {}
    if not rows:
        return decls, tops
    nranks = len(scene.stages)
    size = f"{fontsize + 1.5:g}"
    for r, row in enumerate(rows):
        single = {b.first: b for b in row if b.first == b.last}
        for k in range(nranks):
            name = f"s{r}_{k}"
            tops.setdefault(k, []).append(name)
            b = single.get(k)
            if b is None:
                decls.append(f'{name} [shape=point, style=invis, width="0.01", height="0.01"]')
                continue
            if b.dashed:  # the ceiling's label, from the column's left, by its line
                label = '"' + "".join(dot_string(line)[1:-1] + "\\l"
                                      for line in wrap(b.label, wrap_at)) + '"'
                decls.append(
                    f"{name} [shape=plaintext, label={label}, "
                    f'fontsize="{size}", fontcolor={dot_string(color)}, '
                    f'width="{max(widths.get(k, 0.75), 0.75):.2f}", margin="0.02,0.02"]')
                continue
            label = "\n".join(wrap(b.label, wrap_at))
            decls.append(
                f"{name} [shape=underline, label={dot_string(label)}, fontsize=\"{size}\", "
                f'fontcolor={dot_string(color)}, color="gray40", penwidth="0.8", '
                f'width="{max(widths.get(k, 0.75), 0.75):.2f}", margin="0.02,0.02"'
                + (', style="dashed"' if b.dashed else "") + "]")
        # chained in order, except inside a bracket (its own edge holds it straight)
        inside = {k for b in row for k in range(b.first, b.last)}
        for k in range(nranks - 1):
            if k not in inside:
                decls.append(f"s{r}_{k} -> s{r}_{k + 1} [style=invis, weight=100]")
        for b in row:
            if b.first == b.last:
                continue
            lines = wrap(b.label, wrap_at if b.dashed else 2 * wrap_at)
            if scene.direction == "TB":  # beside the bracket: a gap, as for a link's markers
                lines = [f"  {line}  " for line in lines]
            label = "\n".join(lines)
            # the ceiling: its label; a section placed from a layout: its label, the line
            # drawn across its stages (see section_lines)
            line_color = "transparent" if b.dashed or scene.section_lines else "gray40"
            decls.append(
                f"s{r}_{b.first} -> s{r}_{b.last} [label={dot_string(label)}, "
                f'arrowhead="none", color="{line_color}", penwidth="0.8", fontsize="{size}", '
                f'fontcolor={dot_string(color)}, weight="100"]')
    return decls, tops


_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _extent(g: ET.Element) -> tuple[float, float, float, float] | None:
    """The box around what an SVG group of the engine's draws: its shapes and its text."""
    xs: list[float] = []
    ys: list[float] = []
    for el in g.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag in ("polygon", "polyline") and el.get("stroke") not in (None, "none",
                                                                      "transparent"):
            nums = [float(v) for v in _NUMBER.findall(el.get("points", ""))]
            xs += nums[0::2]
            ys += nums[1::2]
        elif tag == "path":
            nums = [float(v) for v in _NUMBER.findall(el.get("d", ""))]
            xs += nums[0::2]
            ys += nums[1::2]
        elif tag == "ellipse":
            cx, cy = float(el.get("cx", "0")), float(el.get("cy", "0"))
            rx, ry = float(el.get("rx", "0")), float(el.get("ry", "0"))
            xs += [cx - rx, cx + rx]
            ys += [cy - ry, cy + ry]
        elif tag == "text" and "".join(el.itertext()).strip():
            size = float(el.get("font-size", "10"))
            x, y = float(el.get("x", "0")), float(el.get("y", "0"))
            text = "".join(el.itertext())
            width = text_width_pt(text.strip(), size)
            anchor = el.get("text-anchor", "start")
            left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
            xs += [left, left + width]
            ys += [y - 0.75 * size, y + 0.25 * size]
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def ceiling_line(scene: Any, svg: bytes) -> tuple[float, float, float, float] | None:
    """Where the ceiling's line runs in the engine's SVG of ``scene``: (x0, y0, x1, y1).

    In the figure's coordinates, across all of it: midway between the boxes of
    the stages the programme is accountable for and whatever comes first after
    them (the next stage's boxes, the markers of the links between, the
    ceiling's label). None if the figure has no ceiling.
    """
    first = ceiling_at(scene)
    if first is None:
        return None
    root = ET.fromstring(svg)
    below_ids = {f"n{i}" for i, n in enumerate(scene.nodes)
                 if scene.stages.index(scene.stage[n.id]) < first}
    across = scene.direction == "LR"
    near, far = -math.inf, math.inf
    everything: list[tuple[float, float, float, float]] = []
    graph = figure_graph(root)
    if graph is None:
        return None
    for g in graph.iter(f"{_SVG}g"):
        kind = g.get("class")
        if kind not in ("node", "edge"):
            continue
        box = _extent(g)
        if box is None:
            continue
        title = g.findtext(f"{_SVG}title") or ""
        everything.append(box)
        if kind == "node" and title in below_ids:
            near = max(near, box[2] if across else box[3])
    for g in graph.iter(f"{_SVG}g"):
        kind = g.get("class")
        title = g.findtext(f"{_SVG}title") or ""
        if kind == "node" and title not in below_ids:
            box = _extent(g)
            if box is not None and (box[0] if across else box[1]) > near:
                far = min(far, box[0] if across else box[1])
        elif kind == "edge":  # the markers in the gap
            for el in g.iter(f"{_SVG}text"):
                box = _extent(el)
                if box is not None and (box[0] if across else box[1]) > near:
                    far = min(far, box[0] if across else box[1])
    if not everything or near == -math.inf or far == math.inf:
        return None
    at = (near + far) / 2
    left = min(b[0] for b in everything)
    right = max(b[2] for b in everything)
    top = min(b[1] for b in everything)
    bottom = max(b[3] for b in everything)
    if across:
        return (at, top, at, bottom)
    return (left, at, right, at)


def spanning(scene: Any) -> list[tuple[int, Bracket]]:
    """The sections over several stages, with their rows (see :func:`brackets`)."""
    return [(r, b) for r, row in enumerate(brackets(scene)) for b in row
            if b.first != b.last and not b.dashed]


def section_lines(scene: Any, svg: bytes) -> tuple[Line, ...]:
    """Where the lines of the sections over several stages run in the engine's SVG of
    ``scene``, each (x0, y0, x1, y1): where the engine drew it, but from the first edge of
    its first stage (the stage's boxes and heading) to the far edge of its last.

    The engine draws a section's line between two points, one over each end stage's
    middle: it stopped short of the stages' outer boxes, which read as out of the
    section. Empty if the figure has no such section, or its lines are not found.
    """
    wanted = spanning(scene)
    if not wanted:
        return ()
    graph = figure_graph(ET.fromstring(svg))
    if graph is None:
        return ()
    stage_of = {f"n{i}": scene.stages.index(scene.stage[n.id])
                for i, n in enumerate(scene.nodes)}
    stage_of.update({f"h{k}": k for k in range(len(scene.stages))})
    across = scene.direction == "LR"
    extent: dict[int, tuple[float, float]] = {}  # a stage's boxes and heading, along the ranks
    paths: dict[str, list[float]] = {}
    for g in graph.iter(f"{_SVG}g"):
        title = g.findtext(f"{_SVG}title") or ""
        if g.get("class") == "edge":
            path = g.find(f"{_SVG}path")
            if path is not None:
                paths[title] = [float(v) for v in _NUMBER.findall(path.get("d", ""))]
            continue
        k = stage_of.get(title)
        box = _drawn_box(g) if k is not None and g.get("class") == "node" else None
        if k is None or box is None:
            continue
        lo, hi = (box[0], box[2]) if across else (box[1], box[3])
        old = extent.get(k, (lo, hi))
        extent[k] = (min(old[0], lo), max(old[1], hi))
    out = []
    for r, b in wanted:
        nums = paths.get(f"s{r}_{b.first}->s{r}_{b.last}", [])
        if len(nums) < 2 or b.first not in extent or b.last not in extent:
            return ()
        start, end = extent[b.first][0], extent[b.last][1]
        out.append((start, nums[1], end, nums[1]) if across else (nums[0], start, nums[0], end))
    return tuple(out)


def _drawn_box(g: ET.Element) -> tuple[float, float, float, float] | None:
    """The box of a node's shape, or of its text if it has none (a heading)."""
    xs: list[float] = []
    ys: list[float] = []
    for el in g:
        shape_points(el, xs, ys)
    if not xs:
        for el in g.iter(f"{_SVG}text"):
            text, (x0, y0, x1, y1), _ = text_box(el)
            if text:
                xs += [x0, x1]
                ys += [y0, y1]
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def background(ceiling: Line | None, sections: tuple[Line, ...] = ()) -> str:
    """The graph's ``_background`` (xdot) that draws the ceiling's dashed line and the
    sections' lines (see :func:`section_lines`) under all."""
    # the SVG's y runs down, the engine's up
    ops = []
    if ceiling is not None:
        x0, y0, x1, y1 = ceiling
        ops.append(f"c {len(CEILING_COLOR)} -{CEILING_COLOR} S 6 -dashed "
                   f"L 2 {x0:.2f} {-y0:.2f} {x1:.2f} {-y1:.2f}")
    if sections:
        ops.append(f"c {len(CEILING_COLOR)} -{CEILING_COLOR} S 5 -solid "
                   "S 17 -setlinewidth(0.8)")
        ops += [f"L 2 {x0:.2f} {-y0:.2f} {x1:.2f} {-y1:.2f}" for x0, y0, x1, y1 in sections]
    return " ".join(ops)


def _points(line: Line) -> bytes:
    x0, y0, x1, y1 = line
    # through the engine's y (up) and back, as its own drawing of the line rounds it
    return (f"{coordinate(x0)},{coordinate(-float(f'{-y0:.2f}'))} "
            f"{coordinate(x1)},{coordinate(-float(f'{-y1:.2f}'))}").encode()


def draw_lines(scene: Any, svg: bytes, ceiling: Line | None,
               sections: tuple[Line, ...] = ()) -> bytes:
    """The engine's SVG with the ceiling's dashed line and the sections' lines drawn under
    everything, as the engine draws them from :func:`background`, and the engine's own
    lines of those sections left undrawn, as it leaves them from the DOT that has them."""
    m = _BACKGROUND.search(svg)
    if m is None:
        return svg
    drawn = b"" if ceiling is None else _CEILING_SVG % _points(ceiling)
    drawn += b"".join(_SECTION_SVG % _points(line) for line in sections)
    out = svg[:m.end()] + drawn + svg[m.end():]
    if sections:
        ids = b"|".join(re.escape(f"s{r}_{b.first}&#45;&gt;s{r}_{b.last}".encode())
                        for r, b in spanning(scene))
        out = re.sub(rb"(<title>(?:" + ids + rb")</title>\n<path fill=\"none\" stroke=)"
                     rb'"#666666"', rb'\1"none"', out)
    return out
