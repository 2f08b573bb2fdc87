"""A short dashed or dotted line drawn as its dashes, so that it reads as dashed.

The engine draws ``style=dashed`` with one pattern, 5 points on and 2 off (``dotted``:
1 on, 5 off), whatever the line's length, width or scale: Graphviz has no attribute
for its length. The variants' panels draw the one layout at a third of its size or
so, their dash pattern at its full size, so a short line there holds a period or
less where its arrowhead leaves it to be seen, and reads as solid: the flagship's
relationship pathway from the mechanism to the family engaging, dashed in the base,
was 9 points long in each panel, 3 of them under the arrowhead, and read as the
solid pathway's.

The panels' lines are drawn at given places (``neato -n2``), so such a line is
given as its dashes instead: one route of several pieces (Graphviz's ``pos`` takes
a list of splines, each drawn with the line's colour and width, the last with its
arrowhead), in the same group of the SVG and drawn alike in the SVG and in the
engine's bitmaps. A line whose part clear of its arrowhead (a panel's arrowheads are
drawn larger than the layout's scale, over the end of the line) holds fewer than
:data:`MIN_PERIODS` periods of its pattern is drawn as three dashes and the two gaps
between them, in the pattern's proportions, over that part (two dashes and one gap
where two gaps would be narrower than :data:`MIN_GAP`): it begins with a dash, its
last dash runs on under the arrowhead, and it shows a gap however short it is.
Longer lines are left to the engine.
"""

from __future__ import annotations

import math
import re

__all__ = ["MIN_GAP", "MIN_PERIODS", "PATTERNS", "dashed_pos", "under_head"]

# on, off: as the engine writes them (stroke-dasharray="5,2" and "1,5"), in points
PATTERNS: dict[str, tuple[float, float]] = {"dashed": (5.0, 2.0), "dotted": (1.0, 5.0)}
MIN_PERIODS = 2  # periods a line drawn with the engine's pattern must hold
MIN_GAP = 0.5  # points: a narrower gap between dashes is lost in print
_STEPS = 32  # samples per Bézier piece to measure it
_PAIR = re.compile(r"^(?:([se]),)?(-?[0-9.]+),(-?[0-9.]+)$")

Point = tuple[float, float]
Piece = tuple[Point, Point, Point, Point]


def _at(b: Piece, t: float) -> Point:
    u = 1 - t
    return (u ** 3 * b[0][0] + 3 * u * u * t * b[1][0] + 3 * u * t * t * b[2][0]
            + t ** 3 * b[3][0],
            u ** 3 * b[0][1] + 3 * u * u * t * b[1][1] + 3 * u * t * t * b[2][1]
            + t ** 3 * b[3][1])


def _lengths(b: Piece) -> list[float]:
    """The length along ``b`` at each of :data:`_STEPS` + 1 even steps of its parameter."""
    out, prev = [0.0], b[0]
    for k in range(1, _STEPS + 1):
        p = _at(b, k / _STEPS)
        out.append(out[-1] + math.dist(prev, p))
        prev = p
    return out


def _parameter(table: list[float], s: float) -> float:
    """The parameter at length ``s`` along a piece measured as ``table``."""
    for k in range(1, len(table)):
        if table[k] >= s:
            span = table[k] - table[k - 1]
            f = (s - table[k - 1]) / span if span > 0 else 0.0
            return (k - 1 + f) / _STEPS
    return 1.0


def _split(b: Piece, t: float) -> tuple[Piece, Piece]:
    """``b`` cut at ``t`` (de Casteljau)."""
    def mid(p: Point, q: Point) -> Point:
        return (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)
    a, c, d = mid(b[0], b[1]), mid(b[1], b[2]), mid(b[2], b[3])
    e, f = mid(a, c), mid(c, d)
    g = mid(e, f)
    return (b[0], a, e, g), (g, f, d, b[3])


def _between(b: Piece, t0: float, t1: float) -> Piece:
    """The part of ``b`` from ``t0`` to ``t1``."""
    left = _split(b, t1)[0] if t1 < 1 else b
    return _split(left, t0 / t1)[1] if t0 > 0 and t1 > 0 else left


def _stretch(pieces: list[Piece], tables: list[list[float]], s0: float, s1: float
             ) -> list[Piece]:
    """The route's pieces from length ``s0`` to ``s1`` along it."""
    out: list[Piece] = []
    start = 0.0
    for b, table in zip(pieces, tables, strict=True):
        end = start + table[-1]
        if end > s0 and start < s1:
            t0 = _parameter(table, s0 - start) if s0 > start else 0.0
            t1 = _parameter(table, s1 - start) if s1 < end else 1.0
            if t1 > t0:
                out.append(_between(b, t0, t1))
        start = end
    return out


def _style_kind(style: str | None) -> tuple[str | None, list[str]]:
    names = [s.strip() for s in (style or "").strip('"').split(",") if s.strip()]
    kind = next((n for n in names if n in PATTERNS), None)
    return kind, [n for n in names if n != kind]


def under_head(pos: str, arrowsize: float, penwidth: float) -> float:
    """How much of the end of a line drawn along ``pos`` its arrowhead covers.

    The engine draws a given route's arrowhead (``e,x,y``) of its own size, 10 points
    long at arrowsize 1, its tip back from the route's end point by what keeps the
    line's width inside the point (half the width over the sine of half the point's
    angle, which is ``atan(0.35)``): from the line's last point on, as far as the tip
    is from it, it covers nothing. In the layout, those match; a panel draws its
    arrowheads larger than its scale, over the end of the line.
    """
    m = re.search(r"(?:^|\s)e,(-?[0-9.]+),(-?[0-9.]+)", pos)
    if m is None:
        return 0.0
    last = pos.split()[-1].split(",")
    gap = math.dist((float(m.group(1)), float(m.group(2))), (float(last[-2]), float(last[-1])))
    back = penwidth / 2 / math.sin(math.atan(0.35))
    return max(0.0, 10 * arrowsize + back - gap)


def dashed_pos(style: str | None, pos: str, hidden: float = 0.0) -> tuple[str | None, str]:
    """The style and route (``pos``, unquoted) to draw a line of ``style`` along ``pos``.

    Unchanged unless the line is dashed or dotted and the part of it before its last
    ``hidden`` points (what its arrowhead covers, :func:`under_head`) holds fewer than
    :data:`MIN_PERIODS` periods of its pattern: then its route is given as its dashes,
    the gaps in that part and the last dash running on under the arrowhead, and its
    style without the pattern (``"solid"`` if nothing else is left). A part too short
    for a dash, a gap of :data:`MIN_GAP` and a dash is left as it is.
    """
    kind, rest = _style_kind(style)
    if kind is None or ";" in pos:
        return style, pos
    flags: list[str] = []
    points: list[Point] = []
    for part in pos.split():
        m = _PAIR.match(part)
        if m is None:
            return style, pos
        if m.group(1):
            flags.append(part)
        else:
            points.append((float(m.group(2)), float(m.group(3))))
    if len(points) < 4 or (len(points) - 1) % 3:
        return style, pos
    pieces: list[Piece] = [(points[k], points[k + 1], points[k + 2], points[k + 3])
                           for k in range(0, len(points) - 3, 3)]
    tables = [_lengths(b) for b in pieces]
    length = sum(t[-1] for t in tables)
    on, off = PATTERNS[kind]
    seen = length - hidden
    if seen >= MIN_PERIODS * (on + off) or off * seen / (2 * on + off) < MIN_GAP:
        return style, pos
    # as many gaps as the engine's pattern would show in two periods, if each is at
    # least MIN_GAP; else one
    gaps = MIN_PERIODS
    while gaps > 1 and off * seen / ((gaps + 1) * on + gaps * off) < MIN_GAP:
        gaps -= 1
    dashes = gaps + 1
    unit = seen / (dashes * on + gaps * off)
    splines = []
    for i in range(dashes):
        s0 = i * (on + off) * unit
        stretch = _stretch(pieces, tables, s0, length if i == dashes - 1 else s0 + on * unit)
        if not stretch:
            continue
        pts = [stretch[0][0]] + [p for b in stretch for p in b[1:]]
        words = [f"{x:.2f},{y:.2f}" for x, y in pts]
        if i == 0:
            words[:0] = [f for f in flags if f.startswith("s,")]
        if i == dashes - 1:
            words[:0] = [f for f in flags if f.startswith("e,")]
        splines.append(" ".join(words))
    return f'"{",".join(rest) or "solid"}"', ";".join(splines)
