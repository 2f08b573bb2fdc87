"""One width for the boxes of a stage, as published logic models draw them.

The boxes of one stage and one outline (a column left to right, a row top to
bottom) are drawn at one width: the widest any of them needs once every label
of the group is wrapped to the group's widest line. So a short label gets
fewer, fuller lines in a box as wide as its neighbours, rather than a narrow
box of its own; boxes, notes and rounded boxes share a width, hexagons and
octagons each have their own.

A hexagon (or an octagon) is drawn as high as its text times the factor for
its slanted sides, so a long label wrapped narrow stands as a spike. Its group
is wrapped wider, a step at a time, until none of them is taller than the
regular shape of their width (a hexagon's height √3/2 of its width, an
octagon's as much as its width), or until each label has its longest
paragraph on one line.

The widths are worked out as the engine measures and sizes a box (Arial's
widths, the margins, the slanted sides' factor; see :func:`.text.engine_width_pt`),
and each box is given the group's width as its least width: the engine draws
a box given a width at least as large as its label needs at exactly that width.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .text import label_width_pt, wrap_to

__all__ = ["Outline", "Shared", "outline", "shared_widths"]

_POINTS = 72.0
_GAP = 4.0          # points between a box's outlines (its peripheries), each side
_LEADING = 1.2      # a label's line height, as a share of its font size
_STEP = 1.12        # how much wider each try wraps a slanted group
_STEPS = 16         # at most this many tries
# the slanted sides: the engine draws these shapes round the ellipse round their text
_SLANT = {"hexagon": math.sqrt(2) / math.cos(math.pi / 6),
          "octagon": math.sqrt(2) / math.cos(math.pi / 8)}
# the tallest a slanted shape may stand, as a share of its width: its regular shape's
_TALLEST = {"hexagon": 0.7, "octagon": 0.7}


@dataclass(frozen=True)
class Outline:
    """How the engine sizes a node round its label (from its attributes)."""

    shape: str        # ``box`` for every rectangular shape, else the shape's name
    slant: float      # the slanted sides' factor (1 for a rectangle)
    pad_x: float      # points of margin, each side
    pad_y: float
    rings: float      # points the outer outlines add to the width
    least: float      # points: the width the node is drawn at least at
    lowest: float     # and the height
    fontsize: float

    def width(self, text: float) -> float:
        """The outer width of a box round text ``text`` points wide."""
        return max(self.least, (text + 2 * self.pad_x) * self.slant) + self.rings

    def height(self, lines: int) -> float:
        """The height (without outer outlines) of a box round ``lines`` lines of text."""
        return max(self.lowest, (lines * _LEADING * self.fontsize + 2 * self.pad_y) * self.slant)


def _margin(value: str) -> tuple[float, float]:
    parts = [float(v) for v in value.split(",")] if value else [0.11, 0.055]
    return parts[0] * _POINTS, parts[-1] * _POINTS


def outline(attrs: Mapping[str, str | float]) -> Outline:
    """How the engine sizes a node with attributes ``attrs`` (the node defaults and its own)."""
    shape = str(attrs.get("shape", "ellipse"))
    slant = _SLANT.get(shape, 1.0)
    pad_x, pad_y = _margin(str(attrs.get("margin", "")))
    rings = 2 * _GAP * max(0, int(float(attrs.get("peripheries", 1))) - 1)
    return Outline(shape if shape in _SLANT else "box", slant, pad_x, pad_y, rings,
                   float(attrs.get("width", 0.75)) * _POINTS,
                   float(attrs.get("height", 0.5)) * _POINTS, float(attrs.get("fontsize", 14)))


def _text_width(lines: list[str], fontsize: float) -> float:
    return max((label_width_pt(line, fontsize) for line in lines), default=0.0)


@dataclass(frozen=True)
class Shared:
    """Each node's label lines and the size it is drawn at least at, in points (inside its
    outer outlines): one width to a stage and outline, and in rows one height too."""

    lines: dict[str, list[str]]
    widths: dict[str, float]
    heights: dict[str, float]   # only for stages drawn as rows


def shared_widths(nodes: list[Any], stage: Mapping[str, str], outlines: Mapping[str, Outline],
                  labels: Mapping[str, list[str]], chars: int,
                  dress: Callable[[Any, list[str]], list[str]], *, rows: bool,
                  own: bool = False) -> Shared:
    """The sizes of ``nodes`` drawn with one width to a stage and outline.

    ``labels``: each node's label wrapped at ``chars`` characters; ``dress``: a
    label's lines as drawn (with the marks and markers added to them). ``rows``:
    the stages are drawn as rows, where the boxes of a stage share one height
    too (which costs the figure no height: a row is as high as its highest box).
    ``own``: in rows, each box keeps its own width (a row of boxes at one width is
    wider than its boxes need, which may keep a figure from fitting its target; a
    column is as wide as its widest box either way).
    """
    groups: dict[tuple[str, str], list[Any]] = {}
    for n in nodes:
        groups.setdefault((stage[n.id], outlines[n.id].shape), []).append(n)
    lines: dict[str, list[str]] = {}
    widths: dict[str, float] = {}
    heights: dict[str, float] = {}
    for (_, shape), group in groups.items():
        for members in ([n] for n in group) if own and rows else [group]:
            drawn = {n.id: dress(n, labels[n.id]) for n in members}
            text = max(_text_width(drawn[n.id], outlines[n.id].fontsize) for n in members)
            wrapped = _wrapped(members, outlines, text, chars, dress)
            if shape in _TALLEST:
                wrapped = _not_a_spike(members, outlines, wrapped, text, chars, dress,
                                       _TALLEST[shape])
            lines.update(wrapped)
            outer = max(outlines[n.id].width(_text_width(dress(n, wrapped[n.id]),
                                                         outlines[n.id].fontsize))
                        for n in members)
            for n in members:
                widths[n.id] = outer - outlines[n.id].rings
        if rows:
            high = max(outlines[n.id].height(len(dress(n, lines[n.id]))) for n in group)
            heights.update((n.id, high) for n in group)
    return Shared(lines, widths, heights)


def _wrapped(members: list[Any], outlines: Mapping[str, Outline], text: float,
             chars: int, dress: Callable[[Any, list[str]], list[str]]) -> dict[str, list[str]]:
    """Each label of a group wrapped to ``text`` points (the group's widest line), its first
    line as much narrower as the mark put before it (what ``dress`` puts before no text)."""
    out = {}
    for n in members:
        size = outlines[n.id].fontsize
        lead = label_width_pt(dress(n, [""])[0], size)
        out[n.id] = wrap_to(n.label, chars, text, size, lead, even=True)
    return out


def _not_a_spike(members: list[Any], outlines: Mapping[str, Outline],
                 wrapped: dict[str, list[str]], text: float, chars: int,
                 dress: Callable[[Any, list[str]], list[str]],
                 tallest: float) -> dict[str, list[str]]:
    """A group of slanted shapes wrapped wider until none is taller than ``tallest`` times
    the group's width, or each label's longest paragraph is on one line."""
    longest = max(_text_width([" ".join(p.split()) for p in n.label.split("\n")],
                              outlines[n.id].fontsize) for n in members)

    def spiky(lines: dict[str, list[str]]) -> bool:
        drawn = {n.id: dress(n, lines[n.id]) for n in members}
        wide = max(outlines[n.id].width(_text_width(drawn[n.id], outlines[n.id].fontsize))
                   - outlines[n.id].rings for n in members)
        high = max(outlines[n.id].height(len(drawn[n.id])) for n in members)
        return high > tallest * wide

    for _ in range(_STEPS):
        if not spiky(wrapped) or text >= longest:
            break
        text = min(longest, text * _STEP)
        wrapped = _wrapped(members, outlines, text, chars, dress)
    return wrapped
