"""A link's markers moved beside its drawn line, from the engine's layout.

The engine places a link's label at the middle of the link, in a box of its
own beside the line, and routes the line round that box: the markers end up a
label's padding away at best, and, on a link that skips stages or runs
slantwise, far off in the gap, where a reader cannot tell which line they
belong to. So once the figure is laid out, each such link's markers are given a
place beside its drawn line, a couple of points off it, on the side they were
on, as near the engine's place as leaves them clear of every other line, box
and text (:func:`marker_places`). The markers' text is moved there in the
engine's SVG itself (:func:`move_markers`), so the SVG, PDF, EPS and the viewer
need no second layout; the label keeps its room. For the formats the engine
draws itself (a bitmap, or the DOT file), the same places are written into the
DOT: the label kept but drawn in no colour, and the markers drawn as the link's
tail label at that place (``labelangle`` and ``labeldistance`` from the line's
start, which do not change the layout).
"""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass

from .svg import coordinate, figure_graph
from .text import text_width_pt

__all__ = ["GAP", "MarkerPlace", "Placed", "marker_attrs", "marker_places", "move_markers",
           "shape_points", "text_box"]

GAP = 2.0  # points between a marker's text and its own line (beyond half the line's width)
_SIDE = 2.0  # points between the lines the engine draws side by side for a colour list
_CLEAR = 2.5  # points a moved marker keeps from any other line, box or text
_ENDS = 4.0  # points kept from either end of the line (its boxes and arrowhead are kept clear of)
_STEP = 1.5  # points between the places tried along the line
_CAP, _DESCENT = 0.73, 0.21  # ems above and under the baseline: capitals and descenders
_BASELINE = 0.3  # ems: a one-line label's baseline under the point the engine places it at
_SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_COMMAND = re.compile(r"[MC]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ENDS_OF = re.compile(r"^n(\d+)(?::\w+)?->n(\d+)(?::\w+)?$")

Point = tuple[float, float]
Box = tuple[float, float, float, float]
# (source id, target id, markers' text, labelangle, labeldistance)
MarkerPlace = tuple[str, str, str, float, float]
# (the markers' <text> element: its place among the SVG's <text> elements, x, y there)
TextMove = tuple[int, float, float]
_TEXT = re.compile(rb"(<text\b[^>]*>)(?:\s|&#160;)*([^<]*?)(?:\s|&#160;)*</text>\n?")
_XY = re.compile(rb'\s(x|y)="[^"]*"')


@dataclass(frozen=True)
class Placed:
    """Where the markers go: as the DOT draws them (``places``) and as the SVG is moved
    (``moves``; ``blank``: the label's empty lines around them, which made its room and
    are left out, as the DOT's label drawn in no colour is)."""

    places: tuple[MarkerPlace, ...] = ()
    moves: tuple[TextMove, ...] = ()
    blank: tuple[int, ...] = ()


def marker_attrs(places: tuple[MarkerPlace, ...], source: str, target: str,
                 text: str) -> dict[str, str | float] | None:
    """The attributes that draw a link's markers at their place, if it has one."""
    for s, t, txt, angle, distance in places:
        if (s, t, txt) == (source, target, text):
            return {"fontcolor": "transparent", "taillabel": text,
                    "labelangle": f"{angle:.3f}", "labeldistance": f"{distance:.4f}"}
    return None


def move_markers(svg: bytes, placed: Placed) -> bytes:
    """The engine's SVG with each markers' text moved to its place (see :func:`marker_places`)."""
    if not placed.moves:
        return svg
    where = {k: (x, y) for k, x, y in placed.moves}
    blank = set(placed.blank)
    out: list[bytes] = []
    last = 0
    for k, m in enumerate(_TEXT.finditer(svg)):
        if k not in where and k not in blank:
            continue
        out.append(svg[last:m.start()])
        last = m.end()
        if k in blank:
            continue
        x, y = where[k]
        values = {b"x": coordinate(x).encode(), b"y": coordinate(y).encode()}
        # at its place, without the spaces that kept it off the line where the engine put it
        tag = _XY.sub(lambda a, v=values: b" " + a.group(1) + b'="' + v[a.group(1)] + b'"',
                      m.group(1))
        out.append(tag + m.group(2) + b"</text>" + m.group(0)[len(m.group(0).rstrip(b"\n")):])
    out.append(svg[last:])
    return b"".join(out)


def _beziers(d: str) -> list[tuple[Point, Point, Point, Point]]:
    tokens = _COMMAND.findall(d)
    nums: list[float] = []
    start: Point | None = None
    out: list[tuple[Point, Point, Point, Point]] = []
    cmd = ""
    for tok in [*tokens, "M"]:
        if tok in ("M", "C"):
            if cmd == "M" and len(nums) >= 2:
                start = (nums[0], nums[1])
            elif cmd == "C" and start is not None:
                for i in range(0, len(nums) - 5, 6):
                    p1, p2, p3 = (nums[i], nums[i + 1]), (nums[i + 2], nums[i + 3]), \
                        (nums[i + 4], nums[i + 5])
                    out.append((start, p1, p2, p3))
                    start = p3
            cmd, nums = tok, []
        else:
            nums.append(float(tok))
    return out


def _at(b: tuple[Point, Point, Point, Point], t: float) -> Point:
    u = 1 - t
    return (u ** 3 * b[0][0] + 3 * u * u * t * b[1][0] + 3 * u * t * t * b[2][0]
            + t ** 3 * b[3][0],
            u ** 3 * b[0][1] + 3 * u * u * t * b[1][1] + 3 * u * t * t * b[2][1]
            + t ** 3 * b[3][1])


def _weights(steps: int) -> list[tuple[float, float, float, float]]:
    """The Bernstein weights of the points ``k / steps`` (k = 1 .. steps) along a cubic,
    each worked out as :func:`_at` does."""
    out = []
    for k in range(1, steps + 1):
        t = k / steps
        u = 1 - t
        out.append((u ** 3, 3 * u * u * t, 3 * u * t * t, t ** 3))
    return out


_WEIGHTS = _weights(24)


def _flatten(beziers: list[tuple[Point, Point, Point, Point]]) -> list[Point]:
    """Points along the curves, 24 to a curve (the same points as :func:`_at` gives)."""
    if not beziers:
        return []
    points = [beziers[0][0]]
    for (x0, y0), (x1, y1), (x2, y2), (x3, y3) in beziers:
        points += [(a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3)
                   for a, b, c, d in _WEIGHTS]
    return points


def _segment_box_distance(a: Point, b: Point, box: Box) -> float:
    """The distance between segment ``ab`` and ``box`` (0 where they meet), taken at points
    half a point apart along it (finely enough for points a few tenths of a point apart).

    The distance from a point to a box, along a segment, falls then rises (a convex
    function): its least value among the points is found by halving, at the first point
    from which it no longer falls.
    """
    x0, y0, x1, y1 = box
    ax, ay = a
    ex, ey = b[0] - ax, b[1] - ay
    n = max(1, math.ceil(math.dist(a, b) / 0.5))

    def at(k: int) -> float:
        t = k / n
        x, y = ax + ex * t, ay + ey * t
        return math.hypot(max(x0 - x, 0.0, x - x1), max(y0 - y, 0.0, y - y1))

    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi) // 2
        if at(mid + 1) >= at(mid):
            hi = mid
        else:
            lo = mid + 1
    return at(lo)


def _box_distance(p: Box, q: Box) -> float:
    dx = max(q[0] - p[2], 0.0, p[0] - q[2])
    dy = max(q[1] - p[3], 0.0, p[1] - q[3])
    return math.hypot(dx, dy)


def _polyline_distance(points: list[Point], pieces: list[tuple[Box, int]], box: Box,
                       reach: float, under: float) -> float:
    """The distance from ``box`` to the polyline, looked for only within ``reach`` of it,
    and only until a distance under ``under`` is found (then that one).

    ``pieces``: a box round each run of the polyline's segments and where the run ends
    (see :attr:`_Line.pieces`); a run whose box is out of reach is passed over whole.
    """
    x0, y0, x1, y1 = box[0] - reach, box[1] - reach, box[2] + reach, box[3] + reach
    best = math.inf
    start = 0
    for (px0, py0, px1, py1), end in pieces:
        if px1 < x0 or px0 > x1 or py1 < y0 or py0 > y1:
            start = end
            continue
        for k in range(start, end):
            a, b = points[k], points[k + 1]
            ax, ay, bx, by = a[0], a[1], b[0], b[1]
            if (ax < x0 and bx < x0) or (ax > x1 and bx > x1) or (ay < y0 and by < y0) \
                    or (ay > y1 and by > y1):
                continue
            d = _segment_box_distance(a, b, box)
            if d < best:
                if d < under:
                    return d
                best = d
        start = end
    return best


_RUN = 24  # segments to a run (one curve's, flattened)
_ROUNDING = 1e-6  # a flattened point may stand this far out of its curve's control points


class _Line:
    """A stroked line of an edge: its points (flattened when first needed), half its width,
    and a box round it (its control points'), to pass over lines far from a place quickly."""

    def __init__(self, half: float, d: str | None = None,
                 points: list[Point] | None = None) -> None:
        self.half = half
        self.d = d  # the path's, if it is one
        self._beziers: list[tuple[Point, Point, Point, Point]] | None = None
        self._points = points
        self._pieces: list[tuple[Box, int]] | None = None
        if d is not None:
            nums = [float(v) for v in _NUMBER.findall(d)]
            xs, ys = nums[0::2], nums[1::2]
        else:
            xs, ys = [p[0] for p in points or []], [p[1] for p in points or []]
        self.box: Box = (min(xs), min(ys), max(xs), max(ys)) if xs and ys else (
            math.inf, math.inf, -math.inf, -math.inf)

    @property
    def beziers(self) -> list[tuple[Point, Point, Point, Point]]:
        if self._beziers is None:
            self._beziers = _beziers(self.d or "")
        return self._beziers

    @property
    def points(self) -> list[Point]:
        if self._points is None:
            self._points = _flatten(self.beziers)
        return self._points

    @property
    def pieces(self) -> list[tuple[Box, int]]:
        """A box round each run of segments, and the index of the point the run ends at.

        A curve's run: its control points' box (the curve stays inside it); a line given
        as points: the box of each run of 24 segments.
        """
        if self._pieces is None:
            e = _ROUNDING
            if self.d is not None:
                self._pieces = [
                    ((min(x for x, _ in c) - e, min(y for _, y in c) - e,
                      max(x for x, _ in c) + e, max(y for _, y in c) + e), (k + 1) * _RUN)
                    for k, c in enumerate(self.beziers)]
            else:
                pts = self.points
                self._pieces = []
                for start in range(0, len(pts) - 1, _RUN):
                    run = pts[start:start + _RUN + 1]
                    self._pieces.append(((min(x for x, _ in run) - e, min(y for _, y in run) - e,
                                          max(x for x, _ in run) + e, max(y for _, y in run) + e),
                                         start + len(run) - 1))
        return self._pieces

    def distance(self, box: Box, reach: float, under: float = 0.0) -> float:
        """The distance from ``box`` to the line, looked for only within ``reach`` of it
        (and, with ``under``, until one under it is found: then that one)."""
        if _box_distance(self.box, box) > reach:
            return math.inf
        return _polyline_distance(self.points, self.pieces, box, reach, under)


class _Edge:
    def __init__(self, g: ET.Element) -> None:
        self.title = g.findtext(f"{_SVG}title") or ""
        self.paths = 0  # how many of its lines are paths (the first is the link's)
        self.lines: list[_Line] = []  # each stroked line
        self.texts: list[ET.Element] = []
        self.blank: list[ET.Element] = []  # texts of spaces only
        self.heads: list[tuple[list[Point], float]] = []  # each arrowhead: corners, half width
        for el in g:
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "text":
                (self.texts if "".join(el.itertext()).strip() else self.blank).append(el)
                continue
            if tag not in ("path", "polygon") or el.get("stroke", "black") in (
                    "none", "transparent"):
                continue
            half = float(el.get("stroke-width", "1")) / 2
            if tag == "path":
                self.paths += 1
                self.lines.append(_Line(half, d=el.get("d", "")))
            else:
                nums = [float(v) for v in _NUMBER.findall(el.get("points", ""))]
                pts = list(zip(nums[0::2], nums[1::2], strict=False))
                self.lines.append(_Line(half, points=[*pts, pts[0]] if pts else []))
                self.heads.append((pts, half))

    def tail_tip(self) -> Point | None:
        """Where the arrowhead at the start of the link's line (a line drawn back) points
        to, if it has one: the point its outline reaches, beyond its shape's tip.

        The engine draws an arrowhead so that its outline, ``w`` wide, reaches that point:
        the shape's tip (its corner farthest from the line's start, where its base is) is
        ``w / 2 / sin(a)`` short of it, ``a`` the half-angle at the tip.
        """
        points = self.lines[0].points if self.lines else []
        if not points:
            return None
        start, end = points[0], points[-1]
        for pts, half in self.heads:
            if len(pts) < 3 or min(math.dist(q, start) for q in pts) >= min(
                    math.dist(q, end) for q in pts):
                continue
            tip = max(pts, key=lambda q: math.dist(q, start))
            back = math.dist(tip, start)
            corner = max(pts, key=lambda q: math.dist(q, tip))  # a corner of the base
            wide = math.dist(corner, tip)
            if back == 0 or wide == 0:
                return tip
            # the half-angle at the tip: between the line back to the start and a side
            cos_a = ((start[0] - tip[0]) * (corner[0] - tip[0])
                     + (start[1] - tip[1]) * (corner[1] - tip[1])) / (back * wide)
            sin_a = math.sqrt(max(0.0, 1.0 - cos_a * cos_a)) or 1.0
            reach = half / sin_a
            return (tip[0] + (tip[0] - start[0]) / back * reach,
                    tip[1] + (tip[1] - start[1]) / back * reach)
        return None


class _Text:
    """A text of the figure: a box sure to hold it, and (when first needed) its own."""

    def __init__(self, el: ET.Element, raw: str) -> None:
        self.el = el
        size = float(el.get("font-size", "14"))
        x, y = float(el.get("x", "0")), float(el.get("y", "0"))
        wide = 1.2 * size * len(raw)  # no letter is wider than an em and a fifth
        self.outer: Box = (x - wide, y - size, x + wide, y + size)
        self._box: Box | None = None

    @property
    def box(self) -> Box:
        if self._box is None:
            self._box = text_box(self.el)[1]
        return self._box


def _near(a: Box, b: Box, margin: float) -> bool:
    """Whether boxes ``a`` and ``b`` may be within ``margin`` of each other."""
    return (a[0] - margin <= b[2] and b[0] <= a[2] + margin
            and a[1] - margin <= b[3] and b[1] <= a[3] + margin)


def text_box(el: ET.Element) -> tuple[str, Box, float]:
    """A text element's visible text, its box (capitals to descenders) and size."""
    raw = "".join(el.itertext()).replace("\xa0", " ")
    size = float(el.get("font-size", "14"))
    x, y = float(el.get("x", "0")), float(el.get("y", "0"))
    width = text_width_pt(raw, size)
    anchor = el.get("text-anchor", "start")
    left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    lead = text_width_pt(raw[:len(raw) - len(raw.lstrip())], size)
    trail = text_width_pt(raw[len(raw.rstrip()):], size)
    return raw.strip(), (left + lead, y - _CAP * size, left + width - trail,
                         y + _DESCENT * size), size


def _node_boxes(graph: ET.Element) -> list[Box]:
    boxes = []
    for g in graph.iter(f"{_SVG}g"):
        if g.get("class") != "node":
            continue
        xs: list[float] = []
        ys: list[float] = []
        for el in g.iter():
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "ellipse" or el.get("stroke") not in (None, "none", "transparent"):
                shape_points(el, xs, ys)
        if xs:
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return boxes


def shape_points(el: ET.Element, xs: list[float], ys: list[float]) -> None:
    """Add the corners of a box's shape element (polygon, polyline, path, ellipse) to
    ``xs`` and ``ys``; any other element adds nothing."""
    tag = el.tag.rsplit("}", 1)[-1]
    if tag in ("polygon", "polyline", "path"):
        nums = [float(v) for v in _NUMBER.findall(el.get("points", el.get("d", "")))]
        xs += nums[0::2]
        ys += nums[1::2]
    elif tag == "ellipse":
        cx, cy = float(el.get("cx", "0")), float(el.get("cy", "0"))
        rx, ry = float(el.get("rx", "0")), float(el.get("ry", "0"))
        xs += [cx - rx, cx + rx]
        ys += [cy - ry, cy + ry]


def _places_along(points: list[Point], near: Point) -> Iterator[tuple[Point, Point]]:
    """Points along the line (and its direction there) every ``_STEP`` points, away from
    its ends, the nearest to ``near`` first."""
    lengths = [0.0]
    for a, b in itertools.pairwise(points):
        lengths.append(lengths[-1] + math.dist(a, b))
    total = lengths[-1]
    found: list[tuple[float, float, Point, Point]] = []
    s = _ENDS
    i = 0
    while s <= total - _ENDS:
        while lengths[i + 1] < s:
            i += 1
        a, b = points[i], points[i + 1]
        piece = lengths[i + 1] - lengths[i]
        t = (s - lengths[i]) / piece if piece > 0 else 0.0
        p = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        # the direction over a few points either side: a smooth normal
        j0 = max(0, i - 3)
        j1 = min(len(points) - 1, i + 4)
        dx, dy = points[j1][0] - points[j0][0], points[j1][1] - points[j0][1]
        norm = math.hypot(dx, dy) or 1.0
        found.append((math.dist(p, near), s, p, (dx / norm, dy / norm)))
        s += _STEP
    found.sort(key=lambda f: (round(f[0], 6), f[1]))
    for _, _, p, direction in found:
        yield p, direction


def _tail_label(beziers: list[tuple[Point, Point, Point, Point]], centre: Point,
                size: float, tip: Point | None = None) -> tuple[float, float]:
    """``labelangle`` and ``labeldistance`` that put a tail label's text at ``centre``.

    The engine puts a tail label's middle at the line's start plus ten points
    times ``labeldistance`` in the direction of the line there (to its point a
    tenth along the first Bézier), turned by ``labelangle`` (anticlockwise, in
    its coordinates, whose y runs up); the text's baseline is
    ``_BASELINE`` ems under that middle. A line with an arrowhead at its start
    (``tip``: a link drawn back) is measured from the arrowhead's tip, in the
    direction of the line's start, its base.
    """
    first = beziers[0]
    pe, pf = (first[0], _at(first, 0.1)) if tip is None else (tip, first[0])
    # to the engine's coordinates: y up
    target = (centre[0], -(centre[1]))
    ex, ey = pe[0], -pe[1]
    fx, fy = pf[0], -pf[1]
    base = math.atan2(fy - ey, fx - ex)
    to = math.atan2(target[1] - ey, target[0] - ex)
    angle = math.degrees(to - base)
    angle = (angle + 180.0) % 360.0 - 180.0
    return angle, math.dist((ex, ey), target) / 10.0


def marker_places(svg: bytes, ids: Mapping[str, str],
                  movable: Mapping[tuple[str, str], str],
                  ceiling: tuple[float, float, float, float] | None = None,
                  root: ET.Element | None = None,
                  banded: Container[tuple[str, str]] = (),
                  midway: Container[tuple[str, str]] = ()) -> Placed:
    """Where the markers of each link in ``movable`` go, from the engine's SVG.

    ``ids``: DOT id (``n3``) -> element id; ``movable``: (source, target) -> the
    markers' text drawn as that link's label; ``ceiling``: the ceiling of
    accountability's line, to keep clear of too. A link whose markers find no clear
    place beside its line keeps the engine's. ``root``: ``svg`` parsed already (read, not
    changed). ``banded``: the links (source, target) drawn with a band beside each line
    (a colour list side by side: the line, then the band), whose markers keep clear of
    the band as of the line. ``midway``: the links whose markers are drawn as a tail
    label only to be moved (the engine puts one by the line's start): they go as near
    the middle of the line as is clear, where the engine would put a label.
    """
    if not movable:
        return Placed()
    if root is None:
        root = ET.fromstring(svg)
    graph = figure_graph(root)
    if graph is None:
        return Placed()
    edges = [_Edge(g) for g in graph.iter(f"{_SVG}g") if g.get("class") == "edge"]
    if ceiling is not None:
        rule = _Edge(ET.Element("g"))
        rule.lines.append(_Line(0.5, points=[ceiling[:2], ceiling[2:]]))
        edges.append(rule)
    nodes = _node_boxes(graph)
    moving: list[tuple[int, str, str, str, ET.Element]] = []
    for k, e in enumerate(edges):
        m = _ENDS_OF.match(e.title.replace("&#45;", "-"))
        if m is None or e.paths > 2 or len(e.texts) != 1:
            continue
        source, target = ids.get(f"n{m.group(1)}"), ids.get(f"n{m.group(2)}")
        if source is None or target is None:
            continue
        if e.paths != 1 + ((source, target) in banded):
            continue
        if e.paths == 2:  # the line and its band, _SIDE points apart: as one, as wide
            e.lines[:2] = [_Line(e.lines[0].half + _SIDE / 2,
                                 d=_between(e.lines[0].d or "", e.lines[1].d or ""))]
        text = movable.get((source, target))
        if text is None or text_box(e.texts[0])[0] != text:
            continue
        moving.append((k, source, target, text, e.texts[0]))
    moved_from = {id(el) for *_, el in moving}
    # (the edge's index or -1, the box) of every text but the markers to move
    texts: list[tuple[int, _Text]] = []
    for el in graph.iter(f"{_SVG}text"):
        raw = "".join(el.itertext())
        if raw.strip() and el.get("fill") != "transparent" and id(el) not in moved_from:
            texts.append((-1, _Text(el, raw)))
    widest = max((ln.half for e in edges for ln in e.lines), default=0.5)
    out: list[MarkerPlace] = []
    moves: list[TextMove] = []
    blank: list[int] = []
    order = {id(el): k for k, el in enumerate(root.iter(f"{_SVG}text"))} if moving else {}
    placed: list[Box] = []  # the markers moved so far
    for k, source, target, text, el in moving:
        e = edges[k]
        _, old, size = text_box(el)
        w, h = old[2] - old[0], old[3] - old[1]
        old_mid = ((old[0] + old[2]) / 2, (old[1] + old[3]) / 2)
        if (source, target) in midway:
            old_mid = _halfway(e.lines[0].points) or old_mid
        own = e.lines[0]
        # every place tried lies within w + h + half + GAP of the line's box, and only what
        # is nearer than the clearance to a place can rule it out: the rest is left out
        margin = w + h + own.half + 2 * GAP + _CLEAR + widest + 1.0
        # the link's other lines (side by side, one per pathway) are its own too: markers
        # between them keep as far from each as from their own line
        lines = [(ln, _need(ln, j == k, i, other.title == e.title))
                 for j, other in enumerate(edges) for i, ln in enumerate(other.lines)
                 if not (j == k and i == 0) and _near(ln.box, own.box, margin)]
        siblings = [other.lines[0] for j, other in enumerate(edges)
                    if j != k and other.title == e.title and other.lines]
        boxes = [n for n in nodes if _near(n, own.box, margin)]
        boxes += [t.box for _, t in texts if _near(t.outer, own.box, margin)]
        boxes += [b for b in placed if _near(b, own.box, margin)]
        place = _place(own, old_mid, w, h, lines, boxes, siblings)
        if place is None:  # no clear place: where the engine put it
            placed.append(old)
            continue
        box = place
        # the text's middle (the engine's point) sits _BASELINE - (_CAP - _DESCENT) / 2 ems
        # above the box's middle
        centre = ((box[0] + box[2]) / 2,
                  box[3] - _DESCENT * size - _BASELINE * size)
        angle, distance = _tail_label(own.beziers, centre, size, e.tail_tip())
        out.append((source, target, text, round(angle, 3), round(distance, 4)))
        # the text element moved with its box: without the spaces that padded it (see
        # move_markers), anchored at the box's start, middle or end (its baseline kept)
        anchor = el.get("text-anchor", "start")
        moves.append((order[id(el)], box[0] if anchor == "start" else box[2]
                      if anchor == "end" else (box[0] + box[2]) / 2,
                      float(el.get("y", "0")) + box[1] - old[1]))
        blank += [order[id(t)] for t in e.blank]
        placed.append(box)
    return Placed(tuple(out), tuple(moves), tuple(sorted(blank)))


def _halfway(points: list[Point]) -> Point | None:
    """The point half way along a line through ``points`` (None if it has none)."""
    if not points:
        return None
    half = sum(math.dist(a, b) for a, b in itertools.pairwise(points)) / 2
    for a, b in itertools.pairwise(points):
        step = math.dist(a, b)
        if step >= half and step > 0:
            t = half / step
            return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        half -= step
    return points[-1]


def _between(a: str, b: str) -> str:
    """The path halfway between paths ``a`` and ``b`` drawn alike (the lines of a colour
    list side by side, the same curves each offset from the link's own): the link's."""
    ta, tb = _COMMAND.findall(a), _COMMAND.findall(b)
    if len(ta) != len(tb):
        return a
    return "".join(x if x in ("M", "C") else f"{(float(x) + float(y)) / 2:.3f} "
                   for x, y in zip(ta, tb, strict=True))


def _need(line: _Line, own_edge: bool, index: int, own_link: bool) -> float:
    """How far a moved marker keeps from ``line``: a line of another link, or its own
    arrowhead, by the clearance (another link's by the gap more), and another of its own
    link's side-by-side lines by the gap, as from its own."""
    if own_link and not own_edge and index == 0:
        return GAP + line.half
    return _CLEAR + line.half + (0.0 if own_link else GAP)


def _place(line: _Line, near: Point, w: float, h: float, lines: list[tuple[_Line, float]],
           boxes: list[Box], siblings: list[_Line] | None = None) -> Box | None:
    """The box of the markers' text beside ``line``, on either side, the nearest to
    ``near`` that is clear of the other ``lines`` (each by its clearance) and ``boxes``
    (None if none is).

    ``siblings``: the other lines of a link drawn as side-by-side lines (one per
    pathway). Its markers go between them if they fit anywhere there (outside, they
    would read as one pathway's): the gap from their line anywhere along it before a
    point or two more, where the line bends towards them.
    """
    if siblings:
        return _place_between(line, near, w, h, lines, boxes, siblings)
    side_of_old: float | None = None
    half = line.half
    for p, (dx, dy) in _places_along(line.points, near):
        nx, ny = -dy, dx  # one normal; the other is its opposite
        if side_of_old is None:
            side_of_old = 1.0 if (near[0] - p[0]) * nx + (near[1] - p[1]) * ny >= 0 else -1.0
        for sign in (side_of_old, -side_of_old):
            ux, uy = sign * nx, sign * ny
            reach = w / 2 * abs(ux) + h / 2 * abs(uy)  # the box's half extent towards the line
            d = reach + half + GAP
            cx, cy = p[0] + ux * d, p[1] + uy * d
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            if _clear(box, line, lines, boxes):
                return box
    return None


def _place_between(line: _Line, near: Point, w: float, h: float,
                   lines: list[tuple[_Line, float]], boxes: list[Box],
                   siblings: list[_Line]) -> Box | None:
    """The markers' box between ``line`` and its ``siblings`` (see :func:`_place`), else
    beside them, outside: the first clear place from the one nearest ``near`` outwards.

    Between them, the box is tried the gap from ``line`` (and a point or two more), then,
    where that is too near a sibling, in the middle of the room there, ``_NARROW`` or more
    from each; a place too near a sibling is not tried further from ``line``, nearer it.
    """
    points = line.points
    places = list(_places_along(points, near))
    if len(points) < 3 or not places:
        return None
    mid = len(points) // 2
    (ax, ay), (bx, by), at = points[mid - 1], points[mid + 1], points[mid]
    other = min((q for ln in siblings for q in ln.points), key=lambda q: math.dist(q, at))
    between = 1.0 if (other[0] - at[0]) * -(by - ay) + (other[1] - at[1]) * (bx - ax) >= 0 \
        else -1.0
    kin = [(ln, need) for ln, need in lines if any(ln is s for s in siblings)]
    crowded: list[int] = []  # the places where the box the gap from the line is too near them
    for extra in (0.0, 1.0, 2.0):
        for i, (p, direction) in enumerate(places):
            if extra and i in crowded:
                continue
            box = _box_beside(p, direction, between, w, h, line.half + GAP + extra)
            if extra == 0.0 and _too_near(box, kin):
                crowded.append(i)
                continue
            if _clear(box, line, lines, boxes):
                return box
    narrow = [(ln, _NARROW + ln.half if any(ln is s for s in siblings) else need)
              for ln, need in lines]
    for i in crowded:
        middle = _middle(line, places[i], between, w, h, kin, narrow, boxes)
        if middle is not None:
            return middle
    for extra in (0.0, 1.0, 2.0):
        for p, direction in places:
            box = _box_beside(p, direction, -between, w, h, line.half + GAP + extra)
            if _clear(box, line, lines, boxes):
                return box
    return None


_NARROW = 1.5  # points: the least room either side of markers between a link's lines


def _box_beside(p: Point, direction: Point, sign: float, w: float, h: float,
                off: float) -> Box:
    """A ``w`` x ``h`` box ``off`` points from ``p`` (beyond its half extent), on the side
    ``sign`` of the line running in ``direction`` there."""
    ux, uy = -direction[1] * sign, direction[0] * sign
    d = w / 2 * abs(ux) + h / 2 * abs(uy) + off  # the box's half extent towards the line
    cx, cy = p[0] + ux * d, p[1] + uy * d
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _too_near(box: Box, lines: list[tuple[_Line, float]]) -> bool:
    return any(ln.distance(box, need, need) < need for ln, need in lines)


def _middle(line: _Line, place: tuple[Point, Point], sign: float, w: float, h: float,
            kin: list[tuple[_Line, float]], lines: list[tuple[_Line, float]],
            boxes: list[Box]) -> Box | None:
    """The box between the link's lines at ``place``, as far from each, and ``_NARROW`` or
    more from both (and clear of everything else); None if there is not that much room."""
    p, direction = place
    near = _box_beside(p, direction, sign, w, h, line.half + _NARROW)
    if _too_near(near, [(ln, ln.half + _NARROW) for ln, _ in kin]):
        return None
    # the room from there to the nearest sibling: under the gap and a half, or the box the
    # gap from the line would not have been too near it
    most = GAP + _NARROW
    room = min([most, *(ln.distance(near, ln.half + most) - ln.half for ln, _ in kin)])
    for box in (_box_beside(p, direction, sign, w, h, line.half + (_NARROW + room) / 2), near):
        if _clear(box, line, lines, boxes, _NARROW):
            return box
    return None


def _clear(box: Box, line: _Line, lines: list[tuple[_Line, float]], boxes: list[Box],
           gap: float = GAP) -> bool:
    # clear of the boxes and texts (the quickest to check, and the most often in the way)
    if not all(_box_distance(box, b) >= _CLEAR for b in boxes):
        return False
    # its own line: no nearer than the gap anywhere (a curve may bend towards the text)
    if line.distance(box, gap + line.half, gap + line.half - 0.3) < gap + line.half - 0.3:
        return False
    # another line: clear by more than the gap to the markers' own line (the other lines of
    # its own link, its arrowhead, by the clearance alone)
    return not any(other.distance(box, need, need) < need for other, need in lines)
