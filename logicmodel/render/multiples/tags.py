"""Where a marked line's code goes in a small panel: beside the line, clear of everything.

A small panel draws the union's layout at a fraction of its size, but its
markers in type as large as the base's, so the room the engine left for a
label is too small there. A line's code (``+D5``, ``ΔH6``) is put beside the
line instead, at the first place along it, on either side, where its text
crosses no line of the panel, no box and no other code: the sign tells an added
line from a changed one in print (a removed one is dotted and grey as well).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Rect", "place_tag", "polyline"]

_PAIR = re.compile(r"(-?[0-9]+(?:\.[0-9]+)?),(-?[0-9]+(?:\.[0-9]+)?)")
# where along the line to try, in turn: from its middle outwards
_ALONG = tuple(s for k in range(10) for s in dict.fromkeys((0.5 - 0.05 * k, 0.5 + 0.05 * k)))
_AWAY = (1.0, 1.6, 2.4)  # how far from the line, in the code's half-extents along its normal
_GAP = 1.5  # points between a code's text and the line it names
_STEPS = 12  # straight steps per Bézier piece of a route


@dataclass(frozen=True)
class Rect:
    """A box in the page's points (y up, as the engine's layout has it)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def meets(self, other: Rect) -> bool:
        return not (self.x1 <= other.x0 or other.x1 <= self.x0
                    or self.y1 <= other.y0 or other.y1 <= self.y0)


def polyline(pos: str) -> list[tuple[float, float]]:
    """A ``pos`` value's route as points along it, to the tip of its arrow.

    Graphviz writes a route as a start and then three points per cubic Bézier
    piece; each piece is followed in :data:`_STEPS` straight steps.
    """
    points: list[tuple[float, float]] = []
    end: tuple[float, float] | None = None
    for part in pos.split():
        m = _PAIR.search(part)
        if m is None:
            continue
        xy = (float(m.group(1)), float(m.group(2)))
        if part.startswith("e,"):
            end = xy
        elif not part.startswith("s,"):
            points.append(xy)
    out = points[:1]
    for k in range(1, len(points) - 2, 3):
        p0, p1, p2, p3 = points[k - 1], points[k], points[k + 1], points[k + 2]
        for step in range(1, _STEPS + 1):
            s = step / _STEPS
            u = 1 - s
            out.append((u ** 3 * p0[0] + 3 * u * u * s * p1[0] + 3 * u * s * s * p2[0]
                        + s ** 3 * p3[0],
                        u ** 3 * p0[1] + 3 * u * u * s * p1[1] + 3 * u * s * s * p2[1]
                        + s ** 3 * p3[1]))
    return out + ([end] if end is not None else [])


def _crosses(a: tuple[float, float], b: tuple[float, float], r: Rect) -> bool:
    """Whether the segment ``a``-``b`` meets ``r`` (Liang-Barsky)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    lo, hi = 0.0, 1.0
    for p, q in ((-dx, a[0] - r.x0), (dx, r.x1 - a[0]), (-dy, a[1] - r.y0), (dy, r.y1 - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo > hi:
            return False
    return True


def _point_at(line: Sequence[tuple[float, float]], share: float
              ) -> tuple[float, float, float, float]:
    """The point ``share`` of the way along ``line``, and the line's direction there."""
    lengths = [math.dist(a, b) for a, b in itertools.pairwise(line)]
    want = sum(lengths) * share
    for (a, b), n in zip(itertools.pairwise(line), lengths, strict=True):
        if n > 0 and want <= n:
            f = want / n
            return a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, \
                (b[0] - a[0]) / n, (b[1] - a[1]) / n
        want -= n
    (ax, ay), (bx, by) = line[-2], line[-1]
    n = math.dist(line[-2], line[-1]) or 1.0
    return bx, by, (bx - ax) / n, (by - ay) / n


def _behind_another(at: tuple[float, float], centre: tuple[float, float],
                    line: Sequence[tuple[float, float]],
                    lines: Sequence[Sequence[tuple[float, float]]]) -> bool:
    """Whether another line passes between the point ``at`` on ``line`` and ``centre``.

    A code with another line between it and its own reads as the other's.
    """
    for other in lines:
        if other is line:
            continue
        for a, b in itertools.pairwise(other):
            if _segments_meet(at, centre, a, b):
                return True
    return False


def _segments_meet(p: tuple[float, float], q: tuple[float, float],
                   r: tuple[float, float], s: tuple[float, float]) -> bool:
    """Whether the segments ``p``-``q`` and ``r``-``s`` cross."""
    def side(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    d1, d2 = side(r, s, p), side(r, s, q)
    d3, d4 = side(p, q, r), side(p, q, s)
    return d1 * d2 < 0 and d3 * d4 < 0


def place_tag(line: Sequence[tuple[float, float]], width: float, height: float,
              lines: Sequence[Sequence[tuple[float, float]]], boxes: Sequence[Rect]
              ) -> Rect | None:
    """Where a code ``width`` x ``height`` points goes beside ``line``, or None if nowhere.

    Tried along the line from its middle outwards, each time on the side of the
    line to its left, then to its right, then above and below, close to the line
    first and then a little further: the first place
    that meets none of ``lines`` (every line of the panel, this one included)
    and none of ``boxes`` (the panel's boxes, and the codes placed before), with
    no other line between it and its own (``line`` must be one of ``lines``).
    """
    if len(line) < 2:
        return None
    hw, hh = width / 2 + _GAP, height / 2 + _GAP
    for away, share in itertools.product(_AWAY, _ALONG):
        x, y, ux, uy = _point_at(line, share)
        # the normal to the line, and how far along it the box's corner reaches
        nx, ny = -uy, ux
        reach = (abs(nx) * hw + abs(ny) * hh) * away
        for cx, cy in ((x + nx * reach, y + ny * reach), (x - nx * reach, y - ny * reach),
                       (x, y + (hh + _GAP) * away), (x, y - (hh + _GAP) * away)):
            r = Rect(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
            padded = Rect(r.x0 - _GAP, r.y0 - _GAP, r.x1 + _GAP, r.y1 + _GAP)
            if any(padded.meets(b) for b in boxes):
                continue
            if any(_crosses(a, b, padded) for other in lines
                   for a, b in itertools.pairwise(other)):
                continue
            if _behind_another((x, y), (cx, cy), line, lines):
                continue
            return r
    return None
