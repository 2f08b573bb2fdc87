"""How a shared link's side-by-side lines end, from a first layout.

A link on two or more pathways is drawn as one line per pathway, side by side
(see :func:`.dot._link_lines`), each with its arrowhead: each a whole arrow in
its pathway's style, as the key draws it. Where the lines end is the engine's
choice: on a long link they meet the box well apart, on a short one a few
points apart, where two arrowheads lie on each other. So each such link's ends
are looked at in the figure laid out, and where the tips are nearer than
:data:`APART`, the lines are aimed at one point of the box (``samehead``) and
meet under one arrowhead.
  The engine puts that point where the line between the boxes' middles meets the
  box; the line that ended nearest it bends least on the way, and carries the
  arrowhead (which points along it): the others end under it, at its tip. (The
  engine draws an arrowhead's point a few points back from where its line is aimed,
  so that the point of its outline reaches the box: a line without one, aimed there
  too, would run on past the tip. Such a line is given an arrowhead of a hundredth
  of the size, in no colour, for which the engine ends it where the tip is: see
  :func:`.dot._under_the_tip`.)

Joining moves no box or label, only those lines: the engine draws the figure
again, with the links' markers at the places found in the first (see
:mod:`.markers`).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence

from .markers import shape_points
from .svg import figure_graph

__all__ = ["APART", "SharedEnd", "shared_ends", "shared_ends_placed"]

APART = 12.0  # points between two arrowheads' tips for each line to keep its own
_SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ENDS_OF = re.compile(r"^n(\d+)(?::\w+)?->n(\d+)(?::\w+)?$")

Point = tuple[float, float]
# (source id, target id, which of its lines (0, 1...) carries the one arrowhead)
SharedEnd = tuple[str, str, int]
Box = tuple[float, float, float, float]


def _end(g: ET.Element) -> Point | None:
    """Where a drawn line ends: its arrowhead's tip, or its path's last point."""
    for el in g.findall(f"{_SVG}polygon"):
        nums = [float(v) for v in _NUMBER.findall(el.get("points", ""))]
        pts = list(zip(nums[0::2], nums[1::2], strict=False))[:3]
        if len(pts) == 3:
            # the tip: the corner furthest from the nearest other corner
            return max(pts, key=lambda p: min(math.dist(p, q) for q in pts if q != p))
    path = g.find(f"{_SVG}path")
    if path is None:
        return None
    nums = [float(v) for v in _NUMBER.findall(path.get("d", ""))]
    return (nums[-2], nums[-1]) if len(nums) >= 2 else None


def _node_boxes(graph: ET.Element) -> dict[str, Box]:
    """Each box's bounds, by its DOT id (``n3``)."""
    out = {}
    for g in graph.iter(f"{_SVG}g"):
        if g.get("class") != "node":
            continue
        xs: list[float] = []
        ys: list[float] = []
        for el in g:
            shape_points(el, xs, ys)
        if xs:
            out[g.findtext(f"{_SVG}title") or ""] = (min(xs), min(ys), max(xs), max(ys))
    return out


def _aim(tail: Box, head: Box) -> Point:
    """Where the line from the middle of ``head`` to that of ``tail`` leaves ``head``."""
    hx, hy = (head[0] + head[2]) / 2, (head[1] + head[3]) / 2
    dx, dy = (tail[0] + tail[2]) / 2 - hx, (tail[1] + tail[3]) / 2 - hy
    w, h = (head[2] - head[0]) / 2, (head[3] - head[1]) / 2
    t = min(w / abs(dx) if dx else math.inf, h / abs(dy) if dy else math.inf)
    return (hx + dx * t, hy + dy * t) if t < math.inf else (hx, hy)


def shared_ends(svg: bytes, ids: Mapping[str, str],
                shared: Iterable[tuple[str, str]], root: ET.Element | None = None
                ) -> tuple[SharedEnd, ...]:
    """The links of ``shared`` whose lines are to meet under one arrowhead, from the
    engine's SVG of the figure (each line drawn with its own).

    ``ids``: DOT id (``n3``) -> element id; ``shared``: (source, target) of the
    links drawn as side-by-side lines; ``root``: ``svg`` parsed already (read, not changed).
    """
    wanted = set(shared)
    if not wanted:
        return ()
    graph = figure_graph(ET.fromstring(svg) if root is None else root)
    if graph is None:
        return ()
    boxes = _node_boxes(graph)
    ends: dict[tuple[str, str], list[Point]] = {}
    aims: dict[tuple[str, str], Point] = {}
    for g in graph.iter(f"{_SVG}g"):
        if g.get("class") != "edge":
            continue
        m = _ENDS_OF.match((g.findtext(f"{_SVG}title") or "").replace("&#45;", "-"))
        if m is None:
            continue
        both = ids.get(f"n{m.group(1)}", ""), ids.get(f"n{m.group(2)}", "")
        end = _end(g)
        tail, head = boxes.get(f"n{m.group(1)}"), boxes.get(f"n{m.group(2)}")
        if both in wanted and end is not None and tail is not None and head is not None:
            ends.setdefault(both, []).append(end)
            aims[both] = _aim(tail, head)
    return _joined(ends, aims)


def shared_ends_placed(edges: Mapping[tuple[str, str], Sequence[Mapping[str, str]]],
                       nodes: Mapping[str, tuple[float, float, float, float]],
                       ids: Mapping[str, str], shared: Iterable[tuple[str, str]],
                       apart: float = APART) -> tuple[SharedEnd, ...]:
    """:func:`shared_ends` from a layout read back from the engine's JSON (``-Tjson``):
    each edge's ``pos`` by (tail, head) DOT ids, in order, and each node's centre and size.

    The figure of the variants lays its panels out so (see :mod:`.multiples.union`);
    ``apart``: the distance under which the lines join, for its small panels' larger
    arrowheads (in the layout's points).
    """
    wanted = set(shared)
    ends: dict[tuple[str, str], list[Point]] = {}
    aims: dict[tuple[str, str], Point] = {}
    for (tail, head), runs in edges.items():
        both = ids.get(tail, ""), ids.get(head, "")
        if both not in wanted or tail not in nodes or head not in nodes:
            continue
        for where in runs:
            end = _pos_end(where.get("pos", ""))
            if end is not None:
                ends.setdefault(both, []).append(end)
        aims[both] = _aim(_box(nodes[tail]), _box(nodes[head]))
    return _joined(ends, aims, apart)


def _box(node: tuple[float, float, float, float]) -> Box:
    x, y, w, h = node
    return x - w / 2, y - h / 2, x + w / 2, y + h / 2


def _pos_end(pos: str) -> Point | None:
    """Where a line laid out as ``pos`` ends: its arrowhead's tip (``e,x,y``), or its end."""
    tokens = pos.split()
    tip = next((t[2:] for t in tokens[:2] if t.startswith("e,")), None)
    last = tip or next((t for t in reversed(tokens) if "," in t and t[:2] not in ("s,", "e,")),
                       "")
    nums = [float(v) for v in _NUMBER.findall(last)]
    return (nums[0], nums[1]) if len(nums) >= 2 else None


def _joined(ends: Mapping[tuple[str, str], list[Point]],
            aims: Mapping[tuple[str, str], Point], apart: float = APART
            ) -> tuple[SharedEnd, ...]:
    """The links whose lines end nearer than ``apart`` (their ends and the point aimed at)."""
    out = []
    for (source, target), points in sorted(ends.items()):
        if len(points) < 2:
            continue
        gap = min(math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1:])
        aim = aims[source, target]
        nearest = min(range(len(points)), key=lambda i: (math.dist(points[i], aim), i))
        if gap < apart:
            out.append((source, target, nearest))
    return tuple(out)
