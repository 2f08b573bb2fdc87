"""Where a rendered figure's text and lines are, read back from its SVG.

Each ``<text>`` becomes a box: its advance width measured with the bundled
Liberation Sans (Arial's metrics, which the layout used), from the baseline up
to the capital height and down to the descenders. Each line of a link (every
stroked ``<path>`` and arrowhead ``<polygon>`` in an ``edge`` group) becomes
straight segments, its cubic Béziers flattened finely, widened by half its
stroke. :func:`collisions` lists the text boxes a line crosses or touches.
"""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache

from logicmodel.render.fonts import FONT_FILE, PDF_FONT_NAME

SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_COMMAND = re.compile(r"[MCLZmclz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
CAP_HEIGHT = 0.73   # Liberation Sans, in ems: the top of capitals and digits
DESCENT = 0.21      # the bottom of g, p, y
STEPS = 24          # straight pieces per Bézier


@dataclass(frozen=True)
class Box:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Segment:
    link: str       # the edge's <title>
    x0: float
    y0: float
    x1: float
    y1: float
    half: float     # half the stroke width


@dataclass(frozen=True)
class Collision:
    text: str
    link: str

    def __str__(self) -> str:
        return f"{self.text!r} crossed by {self.link}"


@cache
def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if PDF_FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(PDF_FONT_NAME, str(FONT_FILE)))
    return PDF_FONT_NAME


def text_width(text: str, size: float) -> float:
    from reportlab.pdfbase import pdfmetrics

    return float(pdfmetrics.stringWidth(text, _font(), size))


def text_boxes(root: ET.Element) -> list[Box]:
    boxes = []
    for el in root.iter(f"{SVG}text"):
        text = "".join(el.itertext()).replace("\xa0", " ")
        if not text.strip():
            continue
        size = float(el.get("font-size", "14"))
        x, y = float(el.get("x", "0")), float(el.get("y", "0"))
        width = text_width(text, size)
        anchor = el.get("text-anchor", "start")
        left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
        # leading and trailing spaces advance but draw nothing
        lead = text_width(text[:len(text) - len(text.lstrip())], size)
        trail = text_width(text[len(text.rstrip()):], size)
        boxes.append(Box(text.strip(), left + lead, y - CAP_HEIGHT * size,
                         left + width - trail, y + DESCENT * size))
    return boxes


def _points(d: str) -> list[list[tuple[float, float]]]:
    """The polylines of a path's ``d`` (absolute M, C and L, as Graphviz writes them)."""
    tokens = _COMMAND.findall(d)
    lines: list[list[tuple[float, float]]] = []
    cmd = "M"
    nums: list[float] = []

    def flush() -> None:
        if cmd == "M" and len(nums) >= 2:
            lines.append([(nums[0], nums[1])])
            for i in range(2, len(nums) - 1, 2):
                lines[-1].append((nums[i], nums[i + 1]))
        elif cmd == "L":
            for i in range(0, len(nums) - 1, 2):
                lines[-1].append((nums[i], nums[i + 1]))
        elif cmd == "C":
            for i in range(0, len(nums) - 5, 6):
                p0 = lines[-1][-1]
                p1, p2, p3 = (nums[i], nums[i + 1]), (nums[i + 2], nums[i + 3]), \
                    (nums[i + 4], nums[i + 5])
                for k in range(1, STEPS + 1):
                    t = k / STEPS
                    u = 1 - t
                    lines[-1].append((
                        u ** 3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0]
                        + t ** 3 * p3[0],
                        u ** 3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1]
                        + t ** 3 * p3[1]))
        elif cmd in "Zz" and lines:
            lines[-1].append(lines[-1][0])

    for tok in tokens:
        if tok.isalpha():
            flush()
            cmd, nums = tok.upper(), []
            if cmd == "Z":
                flush()
        else:
            nums.append(float(tok))
    flush()
    return lines


def _stroked(el: ET.Element) -> bool:
    stroke = el.get("stroke", "black")
    return stroke not in ("none", "transparent") and el.get("stroke-opacity") != "0"


def link_segments(root: ET.Element) -> list[Segment]:
    segments = []
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "edge":
            continue
        title = g.find(f"{SVG}title")
        name = title.text or "" if title is not None else ""
        for el in g:
            if el.tag == f"{SVG}path" and _stroked(el):
                polylines = _points(el.get("d", ""))
            elif el.tag == f"{SVG}polygon" and _stroked(el):
                nums = [float(v) for v in _NUMBER.findall(el.get("points", ""))]
                pts = list(zip(nums[::2], nums[1::2], strict=True))
                polylines = [pts + pts[:1]]
            else:
                continue
            half = float(el.get("stroke-width", "1")) / 2
            for line in polylines:
                for (ax, ay), (bx, by) in itertools.pairwise(line):
                    segments.append(Segment(name, ax, ay, bx, by, half))
    return segments


def _crosses(s: Segment, b: Box) -> bool:
    """Whether segment ``s``, widened by half its stroke, meets box ``b`` (Liang-Barsky)."""
    x0, y0, x1, y1 = b.x0 - s.half, b.y0 - s.half, b.x1 + s.half, b.y1 + s.half
    dx, dy = s.x1 - s.x0, s.y1 - s.y0
    lo, hi = 0.0, 1.0
    for p, q in ((-dx, s.x0 - x0), (dx, x1 - s.x0), (-dy, s.y0 - y0), (dy, y1 - s.y0)):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                lo = max(lo, t)
            else:
                hi = min(hi, t)
            if lo > hi:
                return False
    return True


def _frames(svg: bytes) -> list[ET.Element]:
    """The figure, and its key apart: the key is drawn in a frame of its own (translated)."""
    root = ET.fromstring(svg)
    frames = [root]
    for parent in list(root.iter()):
        for child in list(parent):
            if child.get("id") == "lm-key":
                parent.remove(child)
                frames.append(child)
    return frames


def collisions(svg: bytes) -> list[Collision]:
    """Every (text, link) pair where a line of the link crosses or touches the text."""
    found: dict[tuple[str, str], None] = {}
    for frame in _frames(svg):
        _collisions_in(frame, found)
    return [Collision(t, lk) for t, lk in found]


def _collisions_in(root: ET.Element, found: dict[tuple[str, str], None]) -> None:
    boxes = text_boxes(root)
    for s in link_segments(root):
        sx0, sx1 = min(s.x0, s.x1) - s.half, max(s.x0, s.x1) + s.half
        sy0, sy1 = min(s.y0, s.y1) - s.half, max(s.y0, s.y1) + s.half
        for b in boxes:
            if sx1 < b.x0 or sx0 > b.x1 or sy1 < b.y0 or sy0 > b.y1:
                continue
            if _crosses(s, b):
                found[(b.text, s.link)] = None


def _intersect(p: Segment, q: Segment) -> bool:
    """Whether two segments properly cross (touching ends aside)."""
    def side(ax: float, ay: float, bx: float, by: float, cx: float, cy: float) -> float:
        return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)

    d1 = side(q.x0, q.y0, q.x1, q.y1, p.x0, p.y0)
    d2 = side(q.x0, q.y0, q.x1, q.y1, p.x1, p.y1)
    d3 = side(p.x0, p.y0, p.x1, p.y1, q.x0, q.y0)
    d4 = side(p.x0, p.y0, p.x1, p.y1, q.x1, q.y1)
    return d1 * d2 < 0 and d3 * d4 < 0


def faint_over_bold(svg: bytes) -> list[tuple[str, str]]:
    """(bold link, faint link) pairs where a thin line is painted across a thick one.

    Pathway lines are thicker than 1 pt; plain, feedback and faded links are 1 pt.
    A thin line painted later (it comes later in the SVG) lies on top where they cross.
    """
    root = ET.fromstring(svg)
    drawn: list[tuple[str, bool, list[Segment]]] = []
    for s in link_segments(root):
        if not drawn or drawn[-1][0] != s.link:
            drawn.append((s.link, s.half > 0.55, []))
        drawn[-1][2].append(s)
        if s.half > 0.55 and not drawn[-1][1]:
            drawn[-1] = (s.link, True, drawn[-1][2])
    found: dict[tuple[str, str], None] = {}
    for i, (bold, thick, segs) in enumerate(drawn):
        if not thick:
            continue
        for faint, thick2, later in drawn[i + 1:]:
            if thick2:
                continue
            if any(_intersect(p, q) for p in segs for q in later):
                found[(bold, faint)] = None
    return list(found)


def node_boxes(root: ET.Element) -> list[Box]:
    """Each box of the figure (a ``node`` group with an outline) as its bounding box.

    The box's text is its ``<title>`` (its label and kind); headings, drawn as text
    alone, have no outline and are left out.
    """
    boxes = []
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "node":
            continue
        pts: list[tuple[float, float]] = []
        for el in g:
            if el.tag == f"{SVG}path" and _stroked(el):
                pts += [p for line in _points(el.get("d", "")) for p in line]
            elif el.tag in (f"{SVG}polygon", f"{SVG}polyline") and _stroked(el):
                nums = [float(v) for v in _NUMBER.findall(el.get("points", ""))]
                pts += list(zip(nums[::2], nums[1::2], strict=True))
            elif el.tag == f"{SVG}ellipse" and _stroked(el):
                cx, cy = float(el.get("cx", "0")), float(el.get("cy", "0"))
                rx, ry = float(el.get("rx", "0")), float(el.get("ry", "0"))
                pts += [(cx - rx, cy - ry), (cx + rx, cy + ry)]
        if pts:
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            boxes.append(Box(g.findtext(f"{SVG}title") or "", min(xs), min(ys), max(xs),
                             max(ys)))
    return boxes


def _distance(x: float, y: float, b: Box) -> float:
    return math.hypot(max(b.x0 - x, 0.0, x - b.x1), max(b.y0 - y, 0.0, y - b.y1))


def link_clearances(svg: bytes) -> dict[tuple[str, str], float]:
    """How close each link's line comes to each box it does not join: (link, box) -> pt.

    The boxes a link joins are those its lines start or end at, or its arrowheads
    touch (within 6 pt); the key, drawn apart, is left out. Distances are from the
    middle of the line to the box's outline.
    """
    root = _frames(svg)[0]
    boxes = node_boxes(root)
    out: dict[tuple[str, str], float] = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "edge":
            continue
        link = g.findtext(f"{SVG}title") or ""
        pts: list[tuple[float, float]] = []
        ends: list[tuple[float, float]] = []
        for el in g:
            if el.tag == f"{SVG}path" and _stroked(el):
                for line in _points(el.get("d", "")):
                    pts += line
                    ends += [line[0], line[-1]]
            elif el.tag == f"{SVG}polygon" and _stroked(el):
                nums = [float(v) for v in _NUMBER.findall(el.get("points", ""))]
                ends += list(zip(nums[::2], nums[1::2], strict=True))
        for b in boxes:
            if not pts or any(_distance(x, y, b) < 6 for x, y in ends):
                continue
            d = min(_distance(x, y, b) for x, y in pts)
            key = (link, b.text)
            out[key] = min(d, out.get(key, d))
    return out


@dataclass(frozen=True)
class Head:
    link: str
    box: str                 # the box the arrowhead points at
    tip: tuple[float, float]
    thick: bool              # a pathway's line (thicker than a plain link)


def arrowheads(svg: bytes) -> list[Head]:
    """Every filled arrowhead of the figure's links, with its tip and the box it touches.

    An arrowhead is an edge group's closed ``<polygon>`` (base, tip, base); its tip
    is the point furthest from the other two's middle.
    """
    root = _frames(svg)[0]
    boxes = node_boxes(root)
    out = []
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "edge":
            continue
        link = g.findtext(f"{SVG}title") or ""
        for el in g.findall(f"{SVG}polygon"):
            nums = [float(v) for v in _NUMBER.findall(el.get("points", ""))]
            pts = list(zip(nums[::2], nums[1::2], strict=True))[:3]
            if len(pts) < 3 or not _stroked(el):
                continue
            tip = max(pts, key=lambda p: min(math.dist(p, q) for q in pts if q != p))
            near = min(boxes, key=lambda b: _distance(*tip, b), default=None)
            if near is None or _distance(*tip, near) > 6:
                continue
            out.append(Head(link, near.text, tip, float(el.get("stroke-width", "1")) > 1.1))
    return out


def piled_heads(svg: bytes) -> list[tuple[str, str]]:
    """Pairs of pathway arrowheads on one box that neither join nor stand apart.

    Joined: tips within half a point of each other (one arrowhead, the lines meeting
    under it). Apart: tips further apart than an arrowhead is long (7 pt) and its
    outline wide. Between the two, the arrowheads lie on each other.
    """
    heads = [h for h in arrowheads(svg) if h.thick]
    found = []
    for a, b in itertools.combinations(heads, 2):
        if a.box == b.box and 0.5 <= math.dist(a.tip, b.tip) < 9.0:
            found.append((a.link, b.link))
    return found


@dataclass(frozen=True)
class MarkerDistance:
    text: str
    link: str       # the link whose group the markers are drawn in
    own: float      # from the text's box to the nearest edge of that link's lines, in points
    nearest: str    # the link whose line comes nearest the text
    other: float    # how near the nearest line of any other link comes (inf if none)
    lines: int      # how many lines the link is drawn as (side by side: one per pathway)


def _segment_gap(s: Segment, b: Box) -> float:
    """From box ``b`` to the edge of segment ``s``'s stroke (0 where they meet)."""
    if _crosses(s, b):
        return 0.0
    length = math.hypot(s.x1 - s.x0, s.y1 - s.y0)
    n = max(1, math.ceil(length / 0.25))
    best = math.inf
    for k in range(n + 1):
        t = k / n
        x, y = s.x0 + (s.x1 - s.x0) * t, s.y0 + (s.y1 - s.y0) * t
        best = min(best, _distance(x, y, b))
    return max(0.0, best - s.half)


def marker_distances(svg: bytes) -> list[MarkerDistance]:
    """How far each text drawn with a link (its markers) is from that link's line, and
    from the nearest line of every other link: the figure alone, its key left out.

    Distances run from the text's box (as :func:`text_boxes` measures it) to the
    edge of a line's stroke, its Béziers flattened; arrowheads count as the line.
    """
    root = _frames(svg)[0]
    segments = link_segments(root)
    drawn: dict[str, int] = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "edge":
            title = g.findtext(f"{SVG}title") or ""
            drawn[title] = drawn.get(title, 0) + 1
    out = []
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "edge":
            continue
        link = g.findtext(f"{SVG}title") or ""
        if not link.endswith("link)"):  # a section's or the ceiling's bracket
            continue
        holder = ET.Element("g")
        holder.extend(el for el in g if el.tag == f"{SVG}text")
        for b in text_boxes(holder):
            gaps: dict[str, float] = {}
            for s in segments:
                if max(s.x0, s.x1) < b.x0 - 40 or min(s.x0, s.x1) > b.x1 + 40:
                    continue
                gap = _segment_gap(s, b)
                gaps[s.link] = min(gap, gaps.get(s.link, math.inf))
            own = gaps.pop(link, math.inf)
            nearest = min(gaps, key=lambda k: (gaps[k], k), default="")
            out.append(MarkerDistance(b.text, link, own, nearest,
                                      gaps.get(nearest, math.inf), drawn[link]))
    return out


Point = tuple[float, float]


def _pathway_lines(svg: bytes) -> dict[str, list[tuple[ET.Element, list[list[Point]]]]]:
    """Each link's pathway lines (thicker than 1.1 pt), by the link's title: the line's
    stroked path (the last, for a line drawn as its dashes, see
    logicmodel/render/multiples/dashes.py) and the corners of its stroked arrowheads
    (three each)."""
    out: dict[str, list[tuple[ET.Element, list[list[Point]]]]] = {}
    for g in _frames(svg)[0].iter(f"{SVG}g"):
        if g.get("class") != "edge":
            continue
        path = next((el for el in reversed(g) if el.tag == f"{SVG}path" and _stroked(el)),
                    None)
        if path is None or float(path.get("stroke-width", "1")) <= 1.1:
            continue
        heads = []
        for el in g.findall(f"{SVG}polygon"):
            nums = [float(v) for v in _NUMBER.findall(el.get("points", ""))]
            pts = list(zip(nums[::2], nums[1::2], strict=True))[:3]
            if len(pts) == 3 and _stroked(el):
                heads.append(pts)
        out.setdefault(g.findtext(f"{SVG}title") or "", []).append((path, heads))
    return out


def _tip(pts: list[Point]) -> Point:
    """An arrowhead's tip: the corner furthest from the nearest other corner."""
    return max(pts, key=lambda p: min(math.dist(p, q) for q in pts if q != p))


def headless_ends(svg: bytes, under: float = 4.5) -> list[tuple[str, float]]:
    """A shared link's lines that end neither under an arrowhead of their own nor under
    the one its other lines share: (link, how far the line's end is from the nearest
    tip of the link's arrowheads, in points).

    A link on several pathways is drawn as their lines side by side (pathway lines are
    thicker than 1.1 pt), each line an edge group with the link's title. A line drawn
    without an arrowhead must end within ``under`` points of the tip of one of the
    link's others: under it (the lines aimed at one point, see render/shared.py).
    """
    found = []
    for link, drawn in _pathway_lines(svg).items():
        lines = []
        for path, heads in drawn:
            tips = [_tip(pts) for pts in heads]
            end = [p for line in _points(path.get("d", "")) for p in line][-1]
            lines.append((end, tips))
        if len(lines) < 2:
            continue
        heads = [t for _, tips in lines for t in tips]
        for end, tips in lines:
            if tips:
                continue
            d = min((math.dist(end, t) for t in heads), default=math.inf)
            if d > under:
                found.append((link, round(d, 1)))
    return found


def past_the_tip(svg: bytes, within: float = 2.75) -> list[tuple[str, float]]:
    """The lines of a shared link drawn under another line's arrowhead that run on past
    its tip: (link, how far past, in points, along the arrowhead's axis).

    Where a link's side-by-side lines meet under one arrowhead (see render/shared.py),
    the lines without one must stop by its tip. Measured from the point of the
    polygon: its outline's miter reaches 3.3 pt further (a 2.2 pt line), to the box,
    and a line drawn on to the box sticks out that far beside it. A line arriving
    slantwise and cut where the tip is, along its own way, ends up to 2.7 pt past the
    point along the axis, beside it (the summary's at 84 mm, which arrives at 40 degrees
    to the arrowhead and ends level with its point, left of it): ``within`` allows that.
    """
    found = []
    for link, drawn in _pathway_lines(svg).items():
        heads, bare = [], []
        for path, polygons in drawn:
            if not polygons:
                bare.append([p for line in _points(path.get("d", "")) for p in line])
            for pts in polygons:
                tip = _tip(pts)
                rest = [p for p in pts if p != tip]
                base = (sum(p[0] for p in rest) / 2, sum(p[1] for p in rest) / 2)
                length = math.dist(tip, base)
                heads.append((tip, ((tip[0] - base[0]) / length, (tip[1] - base[1]) / length)))
        for (tx, ty), (ux, uy) in heads:
            for points in bare:
                if math.dist(points[-1], (tx, ty)) > 12:  # not under this one
                    continue
                past = max((x - tx) * ux + (y - ty) * uy for x, y in points)
                if past > within:
                    found.append((link, round(past, 2)))
    return found


def heads_of_another_colour(svg: bytes, ink: str, under: float = 4.5) -> list[tuple[str, str]]:
    """Arrowheads in one pathway's colour that lines of another colour end under:
    (the arrowhead's link, the link of the line of another colour).

    Pathway lines into one box, and a short shared link's lines, meet under one
    arrowhead (see render/dot.py). Lines all of one colour keep it for the
    arrowhead; lines of different colours meet under one drawn in ``ink``, which
    claims none of them for its pathway.
    """
    heads: list[tuple[str, Point, str]] = []
    bare: list[tuple[str, Point, str]] = []
    for link, drawn in _pathway_lines(svg).items():
        for path, polygons in drawn:
            color = path.get("stroke", "")
            end = [p for line in _points(path.get("d", "")) for p in line][-1]
            if not polygons:
                bare.append((link, end, color))
            for pts in polygons:
                heads.append((link, _tip(pts), color))
    polygon_fill = {}
    for g in _frames(svg)[0].iter(f"{SVG}g"):
        title = g.findtext(f"{SVG}title") or ""
        for el in g.findall(f"{SVG}polygon"):
            if g.get("class") == "edge" and _stroked(el):
                nums = [float(v) for v in _NUMBER.findall(el.get("points", ""))]
                pts = list(zip(nums[::2], nums[1::2], strict=True))[:3]
                if len(pts) == 3:
                    polygon_fill[title, _tip(pts)] = el.get("fill", "")
    found = []
    for link, tip, color in heads:
        under_it = [(other, c) for other, end, c in bare if math.dist(end, tip) <= under]
        fill = polygon_fill.get((link, tip), color)
        colors = {color, *(c for _, c in under_it)}
        if len(colors) > 1 and fill != ink:
            found += [(link, other) for other, c in under_it if c != fill]
    return found


@dataclass(frozen=True)
class Returning:
    link: str       # the feedback link's title
    length: float   # its line's length, points at final size
    near: float     # how much of it runs within the gap asked of the line it returns along
    middle: float   # the least gap from the middle half of it to that line


def _final_scale(root: ET.Element) -> float:
    """Final size over the drawing's units: the width given over the view box's."""
    width = float(root.get("width", "0").removesuffix("pt"))
    box = [float(v) for v in root.get("viewBox", "0 0 0 0").split()]
    return width / box[2] if box[2] else 1.0


def returning_lines(svg: bytes, gap: float, panel: str = "") -> list[Returning]:
    """Each feedback link drawn back along a link between the same two boxes: how near
    its line runs to that link's (ink to ink, the arrowheads too, at final size).

    ``near`` is the length of the feedback line within ``gap`` points of the other
    link's; ``middle`` the least gap along the middle half of its length, away from
    the boxes both lines end at. ``panel``: in the figure of the variants, the panel's
    lines (their titles end with its name); the links are named without it.
    """
    after = f", {panel}" if panel else ""
    root = _frames(svg)[0]
    scale = _final_scale(root)
    segments: dict[str, list[Segment]] = {}
    for s in link_segments(root):
        segments.setdefault(s.link, []).append(s)
    lines: dict[str, tuple[list[Point], float]] = {}
    for g in root.iter(f"{SVG}g"):
        title = g.findtext(f"{SVG}title") or ""
        if g.get("class") != "edge" or not title.endswith(" (feedback link)" + after):
            continue
        title = title.removesuffix(after)
        for el in g:
            if el.tag == f"{SVG}path" and _stroked(el):
                pts = [p for line in _points(el.get("d", "")) for p in line]
                lines[title] = pts, float(el.get("stroke-width", "1")) / 2
    found = []
    for title, (pts, half) in lines.items():
        source, target = title.removesuffix(" (feedback link)").split(" \u2192 ")
        other = [s for name, segs in segments.items()
                 if name.startswith(f"{target} \u2192 {source} (") and name.endswith(
                     after) for s in segs]
        if not other:
            continue

        def clear(p: Point, other: list[Segment] = other, half: float = half) -> float:
            return (min(_point_gap(p, s) for s in other) - half) * scale

        steps = list(itertools.pairwise(pts))
        lengths = [math.dist(p, q) * scale for p, q in steps]
        total = sum(lengths)
        near = sum(d for (p, q), d in zip(steps, lengths, strict=True)
                   if clear(((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)) < gap)
        along, middle = 0.0, math.inf
        for p, d in zip(pts, [0.0, *lengths], strict=True):
            along += d
            if total / 4 <= along <= 3 * total / 4:
                middle = min(middle, clear(p))
        found.append(Returning(title, round(total, 1), round(near, 1), round(middle, 1)))
    return found


def _point_gap(p: Point, s: Segment) -> float:
    """From point ``p`` to the edge of segment ``s``'s stroke."""
    dx, dy = s.x1 - s.x0, s.y1 - s.y0
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((p[0] - s.x0) * dx + (p[1] - s.y0) * dy)
                                        / length))
    return math.hypot(p[0] - s.x0 - t * dx, p[1] - s.y0 - t * dy) - s.half


@dataclass(frozen=True)
class Together:
    length: float   # the first link's line, points at final size
    near: float     # how much of it runs within the gap asked of the second link's line


def running_together(svg: bytes, first: str, second: str, gap: float) -> Together:
    """How long the line of the link titled ``first`` is, and how much of it runs within
    ``gap`` points (ink to ink, at final size) of the line of the link titled ``second``."""
    root = _frames(svg)[0]
    scale = _final_scale(root)
    other = [s for s in link_segments(root) if s.link == second]
    assert other, f"no link {second!r}"
    pts: list[Point] = []
    half = 0.5
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "edge" and g.findtext(f"{SVG}title") == first:
            for el in g:
                if el.tag == f"{SVG}path" and _stroked(el):
                    pts = [p for line in _points(el.get("d", "")) for p in line]
                    half = float(el.get("stroke-width", "1")) / 2
    assert pts, f"no link {first!r}"
    steps = list(itertools.pairwise(pts))
    lengths = [math.dist(p, q) * scale for p, q in steps]
    near = sum(d for (p, q), d in zip(steps, lengths, strict=True)
               if (min(_point_gap(((p[0] + q[0]) / 2, (p[1] + q[1]) / 2), s) for s in other)
                   - half) * scale < gap)
    return Together(round(sum(lengths), 1), round(near, 1))
