"""Model -> DOT text, built here with generated ids and quoted, escaped labels.

The layout rules a reader of a logic model expects:

* one column per stage (context, inputs, activities, outputs, mechanisms,
  outcomes by horizon, impact) under a heading, left to right (``TB``: rows);
* nodes inside a column in the order the file gives them (invisible ordering
  edges inside each ``rank=same`` group);
* feedback links drawn with ``constraint=false`` so they do not pull columns;
* kinds told apart by shape and border, pathways by dash pattern *and* colour,
  assumptions and moderators as small numbered markers, and a key built from
  the encodings the figure actually uses.

No user text is ever an id, an attribute name or an HTML-like label: node ids
are ``n0``, ``n1``... and every label goes through :func:`dot_string`.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Mapping
from typing import Any

from ..schema import NODE_KINDS
from .bands import box_size, plan_bands, write_columns
from .columns import Outline, Shared, outline, shared_widths
from .headings import background, bracket_titles, brackets, heading_rows
from .key import Key, KeyContent, key_content, key_dot, line_entries, marker_heading, markers_on
from .key import with_mark as _with_mark
from .markers import marker_attrs
from .text import dot_string, heading_lines, text_width_pt, wrap
from .themes import Theme
from .views import Scene

__all__ = ["KIND_NAMES", "around_label", "banded_links", "dot_parts", "element_titles",
           "figure_graph", "flat_label", "headed_in", "join_dot", "label_sizes", "line_count",
           "line_entries", "marker_heading", "marker_label", "movable_markers", "round_side",
           "shared_links", "tail_marked", "to_dot"]

KIND_NAMES = {kind: info.label for kind, info in NODE_KINDS.items()}


def _attrs(attrs: Mapping[str, str | float]) -> str:
    """``[a=b, c="d"]`` with every value quoted and escaped (names are ours)."""
    return _attrs_of(tuple(attrs.items()))


@functools.lru_cache(maxsize=4096)
def _attrs_of(items: tuple[tuple[str, str | float], ...]) -> str:
    parts = []
    for k, v in items:
        value = f"{v:g}" if isinstance(v, float) else v
        parts.append(f"{k}={dot_string(value)}")
    return "[" + ", ".join(parts) + "]"


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: str, indent: int = 1) -> None:
        self.lines.append("  " * indent + line if line else "")


def label_sizes(scene: Scene, theme: Theme) -> tuple[int, float]:
    """How wide a figure of ``scene`` wraps its labels (characters) and its text's size."""
    wrap_at, fontsize = ((theme.compact_wrap, theme.compact_fontsize) if scene.compact
                         else (theme.wrap, theme.fontsize))
    return scene.wrap or wrap_at, fontsize


def _dressed(node: Any, scene: Scene, wrapped: list[str]) -> list[str]:
    """A box's label lines as drawn: its mark's sign before the first, its markers after."""
    lines = list(wrapped)
    mark = scene.node_highlight.get(node.id)
    if mark is None and not node.assumptions and not node.moderators:  # most boxes
        return lines
    if mark is not None:
        lines[0] = f"{mark.sign} {lines[0]}"
    markers = [f"A{scene.assumption_no[a]}" for a in node.assumptions
               if a in scene.assumption_no]
    markers += [scene.moderator_no[m] for m in node.moderators if m in scene.moderator_no]
    if markers and node.id not in scene.faded_nodes and not (mark and mark.quiet):
        lines.append("[" + " ".join(markers) + "]")
    return lines


def _layer(lk: Any, scene: Scene) -> int:
    """How prominent a link is drawn: faded 0, plain or feedback 1, on a pathway 2, marked 3."""
    key = id(lk)
    if key in scene.faded_links:
        return 0
    if key in scene.link_highlight:
        return 3
    return 2 if scene.link_pathways.get(key) else 1


def _link_lines(lk: Any, scene: Scene, theme: Theme, col: Mapping[str, int],
                order: Mapping[str, int], fontsize: float,
                placed: bool = True) -> list[dict[str, str | float]]:
    """The lines one link is drawn as: one, or one per pathway it is on, side by side.

    A link on several pathways between stages is drawn once for each, each line
    in its pathway's style, so that the shared stretch shows which pathways run
    along it without relying on colour (solid beside dashed). The engine draws
    lines between the same two boxes almost on top of each other; a label on
    each (the markers on the first, blank ones on the others) holds them apart:
    within a stage too, where the engine routes the lines after the first round
    the boxes' other side (below them, with the stages as rows). Each keeps its
    own arrowhead, as the key's sample does (one way in every figure).

    ``placed``: see :func:`_link_attrs`; without it, a shared link's lines are
    drawn as with it (the figure of the variants draws its panels' lines so, at
    the places of one layout), their markers padded as the engine lays them out.
    """
    if not _side_by_side(lk, scene):
        return [_link_attrs(lk, scene, theme, col, order, fontsize, placed=placed)]
    nos = scene.link_pathways[id(lk)]
    # the markers sit between the lines: a wider gap on each side, and a space more beside
    # lines with a band, which takes some of the gap
    pad = 4 if _has_band(lk, scene) else 3
    a = _link_attrs(lk, scene, theme, col, order, fontsize, pad=pad)
    if not placed:  # the markers where the engine puts the label, not moved beside the line
        a = {k: v for k, v in a.items() if k not in _MOVED}
        text = " ".join(_markers_of(lk, scene))
        if text:
            a.update({"label": marker_label(text, scene.direction, pad=pad, after_arc=_after_arc(
                scene, col, scene.stage[lk.source], scene.stage[lk.target])),
                "fontcolor": theme.marker_color})
    # stages' boxes closer than the theme has them (compact, or tightened to fit) leave
    # the lines across less room to part: a blank label a line higher holds them apart
    # as far as at full spacing (the compact summary's and parenting model's ended 6-8
    # pt apart, their arrowheads on each other)
    taller = scene.direction == "LR" and _close_rows(scene)
    lines = []
    for i, k in enumerate(nos):
        ps = theme.pathway(scene.style_no(k))
        line = {**a, "color": ps.color, "style": ps.style,
                "penwidth": theme.pathway_penwidth}
        if lk.feedback:
            line.update({"style": "dashed", "penwidth": "1"})
        mark = scene.link_highlight.get(id(lk))
        if mark is not None:
            line.update(mark.edge)
        if i == 0 and "label" not in line:
            line["label"] = (" \n" if taller else "") + marker_label(" ", "TB", pad=3)
        elif i > 0:  # a blank label of its own keeps each line off the one before, and
            # wide enough that short links' lines end apart, each under its arrowhead
            # (with three spaces, the summary's ended 4-7 pt apart, their heads piled)
            line["label"] = ((_APART_LABEL + ("\n " if taller else "")) if scene.pairs_within
                             else "   ")
            for drawn in ("fontcolor", "taillabel", "headlabel", "labelangle",
                          "labeldistance", "labelfontcolor"):
                line.pop(drawn, None)
        lines.append(line)
    return lines


def _close_rows(scene: Scene) -> bool:
    """Whether the boxes of a stage stand closer than the theme has them: compact, or
    tightened to fit a page (see :func:`figure_graph`)."""
    return scene.compact or (scene.spacing < 1.0 and "nodesep" in scene.tighten)


# the blank label of a shared link's second and later lines (the variants' panels, whose
# short links' lines join under one arrowhead, keep the three spaces they are laid out with)
_APART_LABEL = " " * 9


def _lines_of(scene: Scene, theme: Theme, col: Mapping[str, int], order: Mapping[str, int],
              fontsize: float, placed: bool) -> dict[int, list[dict[str, str | float]]]:
    """The lines each link of ``scene`` is drawn as (see :func:`_link_lines`), by its id.

    A plain link between stages (most of a large model's) is written here as
    :func:`_link_attrs` writes it, without the calls: one line in the links' colour, not
    pulling its boxes into order when it runs back.
    """
    stage, color = scene.stage, scene.plain_link_color(theme)
    special = scene.link_pathways.keys() | scene.faded_links | scene.link_highlight.keys()
    out: dict[int, list[dict[str, str | float]]] = {}
    for lk in scene.links:
        key = id(lk)
        source, target = stage[lk.source], stage[lk.target]
        if (source != target and not lk.feedback and not lk.assumptions and not lk.moderators
                and key not in special):
            out[key] = [{"color": color, "constraint": "false"} if col[source] > col[target]
                        else {"color": color}]
        else:
            out[key] = _link_lines(lk, scene, theme, col, order, fontsize, placed=placed)
    return out


# what moving a link's markers beside its line sets (see :func:`_move_markers`)
_MOVED = ("label", "fontcolor", "taillabel", "labelangle", "labeldistance", "labelfontcolor")


def _markers_of(lk: Any, scene: Scene) -> list[str]:
    """The markers a link carries: its assumptions' and moderators', after its mark's sign."""
    markers = markers_on(lk, scene)
    mark = scene.link_highlight.get(id(lk))
    if mark is not None:
        markers = [] if mark.quiet else markers
        markers.insert(0, mark.sign)
    return markers


def _link_attrs(lk: Any, scene: Scene, theme: Theme, col: Mapping[str, int],
                order: Mapping[str, int], fontsize: float, pad: int = 2,
                placed: bool = True) -> dict[str, str | float]:
    """How one link is drawn: its pathway's line, feedback's dashes, its markers.

    ``placed``: the markers placed clear of the lines and links within a stage
    given room (see :func:`flat_label`); without it, the bare markers as the label.
    """
    key = id(lk)
    source, target = scene.stage[lk.source], scene.stage[lk.target]
    if (source != target and not lk.feedback and not lk.assumptions and not lk.moderators
            and key not in scene.link_pathways and key not in scene.faded_links
            and key not in scene.link_highlight):
        # a plain link between stages (most of a large model's): the links' colour, and not
        # pulling its boxes into order when it runs back
        if col[source] > col[target]:
            return {"color": scene.plain_link_color(theme), "constraint": "false"}
        return {"color": scene.plain_link_color(theme)}
    a: dict[str, str | float] = {}
    nos = scene.link_pathways.get(key, [])
    faded = key in scene.faded_links
    if faded:
        a["color"] = theme.faded_color
    elif len(nos) == 1:
        ps = theme.pathway(scene.style_no(nos[0]))
        a.update({"color": ps.color, "style": ps.style, "penwidth": theme.pathway_penwidth})
    elif len(nos) > 1:  # one double line, where not its lines side by side (_link_lines)
        colors = [theme.pathway(scene.style_no(k)).color for k in nos]
        a.update({"color": ":transparent:".join(colors), "penwidth": "1.3"})
    elif lk.feedback:
        a["color"] = theme.link_color  # a feedback link is secondary: grey in any figure
    else:
        a["color"] = scene.plain_link_color(theme)
    if lk.feedback:
        a.update({"constraint": "false", "style": "dashed", "arrowhead": "empty",
                  "penwidth": "1"})
    same_col = source == target
    if col[source] > col[target] or (same_col and order[lk.source] > order[lk.target]):
        a["constraint"] = "false"
    markers = _markers_of(lk, scene)
    mark = scene.link_highlight.get(key)
    if mark is not None:
        a.update(mark.edge)
        if mark.color and not nos and not faded:  # a pathway's line keeps its colour
            a["color"] = mark.color
    if not placed:
        if markers and not faded:
            a.update({"label": " ".join(markers), "fontcolor": theme.marker_color})
    elif same_col and _round_far_side(lk, scene, order):
        # boxes apart in the stage: round the far side of the boxes between, clear of
        # the links coming in (the engine would arch over them, into the labels there)
        side = round_side(scene, lk.source, lk.target)
        a.update({"tailport": side, "headport": side})
        if markers and not faded:
            a.update(around_label(" ".join(markers), scene.direction,
                                  order[lk.source] < order[lk.target], fontsize,
                                  _penwidth(a), near=side in ("n", "w")))
            a["labelfontcolor"] = theme.marker_color
            _move_markers(a, scene, lk, " ".join(markers))
    elif same_col and not lk.feedback:
        text = " ".join(markers) if not faded else ""
        a.update(flat_label(text, scene.direction, order[lk.source] < order[lk.target],
                             fontsize, penwidth=_penwidth(a)))
        if text:
            a["labelfontcolor"] = theme.marker_color
            _move_markers(a, scene, lk, text)
    elif markers and not faded:
        text = " ".join(markers)
        a.update({"label": marker_label(text, scene.direction, pad=pad,
                                        after_arc=_after_arc(scene, col, source, target)),
                  "fontcolor": theme.marker_color})
        if _move_markers(a, scene, lk, text):  # the label keeps its room, in no colour
            a["labelfontcolor"] = theme.marker_color
    return a


def _move_markers(a: dict[str, str | float], scene: Scene, lk: Any, text: str) -> bool:
    """The markers ``text`` drawn at the place found for them beside the line, if any,
    as the link's tail label (see :mod:`.markers`)."""
    moved = marker_attrs(scene.marker_places, lk.source, lk.target, text)
    if moved is None:
        return False
    a.pop("headlabel", None)
    if "fontcolor" not in a:  # a blank label (room between boxes of one stage)
        moved.pop("fontcolor")
    a.update(moved)
    return True


def movable_markers(scene: Scene) -> dict[tuple[str, str], str]:
    """The links whose markers may be moved beside their one line: (source, target) ->
    the markers' text (see :mod:`.markers`).

    Those between stages, which the engine draws as their label (beside the first
    line of a link drawn as several pathways' lines side by side), and those between
    boxes of one stage, drawn as a head or tail label.
    """
    out: dict[tuple[str, str], str] = {}
    seen: set[tuple[str, str]] = set()
    for lk in scene.links:
        key = id(lk)
        both = lk.source, lk.target
        if both in seen:  # two links between the same boxes: not told apart in the SVG
            out.pop(both, None)
            continue
        seen.add(both)
        same = scene.stage[lk.source] == scene.stage[lk.target]
        if key in scene.faded_links or (same and lk.feedback):
            continue
        markers = _markers_of(lk, scene)
        if markers:
            out[both] = " ".join(markers)
    return out


def _side_by_side(lk: Any, scene: Scene) -> bool:
    """Whether ``lk`` is drawn as its pathways' lines side by side (see :func:`_link_lines`):
    every link on several pathways that is not faded, within a stage too unless the scene
    draws those as one double line (``Scene.pairs_within``: the variants' panels)."""
    return (len(scene.link_pathways.get(id(lk), ())) > 1 and id(lk) not in scene.faded_links
            and (scene.pairs_within or scene.stage[lk.source] != scene.stage[lk.target]))


def line_count(lk: Any, scene: Scene) -> int:
    """How many lines ``lk`` is drawn as: one per pathway it is on when they are drawn
    side by side (a link on several pathways, not faded), else one."""
    return len(scene.link_pathways[id(lk)]) if _side_by_side(lk, scene) else 1


def shared_links(scene: Scene) -> list[tuple[str, str]]:
    """The links drawn as side-by-side lines, each with its arrowhead: (source, target)
    of each (see :mod:`.shared`).

    Not those into a box that pathway lines from other boxes lead into too, whose
    lines are all aimed at one point (see :func:`_joined_heads`), nor two links between
    the same boxes, which the SVG does not tell apart.
    """
    col = {st: k for k, st in enumerate(scene.stages)}
    joined = _joined_heads(scene, col)
    count: dict[tuple[str, str], int] = {}
    for lk in scene.links:
        count[lk.source, lk.target] = count.get((lk.source, lk.target), 0) + 1
    return [(lk.source, lk.target) for lk in scene.links
            if _side_by_side(lk, scene) and count[lk.source, lk.target] == 1
            and not (lk.target in joined and _joins(lk, scene, col))]


def _places(scene: Scene) -> dict[str, int]:
    """Each node's place in its stage (0, 1...), in file order."""
    place: dict[str, int] = {}
    count: dict[str, int] = {}
    for n in scene.nodes:
        st = scene.stage[n.id]
        place[n.id] = count[st] = count.get(st, -1) + 1
    return place


def _round_far_side(lk: Any, scene: Scene, place: Mapping[str, int]) -> bool:
    """Whether ``lk`` joins boxes of one stage that are not neighbours in it: it is drawn
    round the far side of the boxes between (see :func:`_link_attrs`)."""
    return (not lk.feedback and scene.stage[lk.source] == scene.stage[lk.target]
            and abs(place[lk.source] - place[lk.target]) > 1)


def _near_sides(scene: Scene) -> frozenset[tuple[str, str]]:
    """The links between boxes apart in a stage that run round the near side of the boxes
    between (above a row, left of a column), by (source, target); the others run round the
    far side.

    The far side is away from the links coming into the stage; in the first stage no link
    comes in, and the near side is free of the links leaving it, so its links run there. A
    stage that is both first and last (a figure of one stage) has no links on either side:
    of two of its links whose ways overlap, the second runs round the other side, where the
    two would otherwise run together (white2009's column of conditions). Where bands are
    drawn, whose labels lie on the near side, every link runs round the far side.
    """
    cached: frozenset[tuple[str, str]] | None = scene.__dict__.get("_near_sides")
    if cached is not None:
        return cached
    near: set[tuple[str, str]] = set()
    if scene.stages and not (scene.bands and getattr(scene.model, "groups", None)):
        first = scene.stages[0]
        alone = len(scene.stages) == 1
        place = _places(scene)
        ways = sorted((min(place[lk.source], place[lk.target]),
                       max(place[lk.source], place[lk.target]), k, lk)
                      for k, lk in enumerate(scene.links)
                      if scene.stage[lk.source] == first and _round_far_side(lk, scene, place))
        taken: dict[bool, list[tuple[int, int]]] = {True: [], False: []}
        for start, end, _, lk in ways:
            side = True
            if alone and any(start < e and s < end for s, e in taken[True]):
                side = any(start < e and s < end for s, e in taken[False])
            taken[side].append((start, end))
            if side:
                near.add((lk.source, lk.target))
    out = frozenset(near)
    scene.__dict__["_near_sides"] = out
    return out


def round_side(scene: Scene, source: str, target: str) -> str:
    """The side of its stage's boxes a link from box ``source`` to ``target``, apart in the
    stage, runs round (see :func:`_near_sides`): a compass point of both its boxes."""
    near = (source, target) in _near_sides(scene)
    if scene.direction == "TB":
        return "n" if near else "s"
    return "w" if near else "e"


def _after_arc(scene: Scene, col: Mapping[str, int], source: str, target: str) -> bool:
    """Whether a link from stage ``source`` to ``target`` crosses the gap after a stage
    in which a link joins boxes apart (drawn round the far side of those between)."""
    arced: set[int] | None = scene.__dict__.get("_arced")
    if arced is None:
        place = _places(scene)
        near = _near_sides(scene)
        arced = {col[scene.stage[lk.source]] for lk in scene.links
                 if _round_far_side(lk, scene, place) and (lk.source, lk.target) not in near}
        scene.__dict__["_arced"] = arced
    first, last = sorted((col[source], col[target]))
    return any(first <= k < last for k in arced)


# A link back between the boxes of a link forward, in other stages (a feedback link), is
# routed by the engine with it, as one bundle of lines a ``nodesep`` apart, from one
# point of each box to one point of the other: 0 to 4 pt between the strokes at print
# size (less where they slant), none where the bundle runs along a stage to a box far
# down it, as the flagship's does with the stages as columns, and the two print as one
# smudged line. Spreading the bundle wider puts its lines into the boxes beside it (the
# engine shifts them without heeding the boxes), and a label on the link back, so that
# the engine routes it on its own, sends it round the other boxes of the stages between,
# where the engine places a link back. So the link back is written the forward way and
# drawn back (``dir=back``: its arrowhead at the box it returns to), ranked with the
# link forward, with a blank label that keeps the two apart: the engine routes it on its
# own, beside the link forward and clear of the boxes, as it does a shared link's lines
# (9 to 50 pt between them in the page and column figures of the flagship, its summary
# and its protocol; 20 to 105 pt with the stages as columns). With the stages as
# columns it is written right after the link forward: written before it, as the links
# are ordered, the engine orders it under the link forward in the stage between, and
# the link forward arcs over that stage, across more lines. The class marks the link
# for the finishing, which names its ``<title>`` by its own ends again (see
# :func:`.svg.turn_back`). A link back with a label of its own (a diff figure's sign on
# a changed feedback link) is not bundled, but the engine sent it round the boxes of the
# stage between, along their edges and across the arrowheads there, four to eight times
# as long as the link forward: with the stages as rows it is written so too, with its
# label, and runs beside the link forward. (With the stages as columns, written so, it
# runs over the stage between, but the engine paints it with the box it returns to, whose
# links out then come over or under the wrong lines: there it keeps the engine's route.)
BACK = "lm-back"


def _drawn_back(scene: Scene, col: Mapping[str, int],
                lines_of: Mapping[int, list[dict[str, str | float]]]) -> set[int]:
    """The links running back across stages between the boxes of a link running forward:
    those written the forward way and drawn back (ids; see ``BACK``).

    ``lines_of``: the lines each link is drawn as. Only a link drawn as one line without
    a label (its markers, or the room a label keeps), beside one such: the engine
    bundles no line with a label; with the stages as rows, a link back with a label of
    its own too.
    """
    stage = scene.stage
    backward = [lk for lk in scene.links if col[stage[lk.source]] > col[stage[lk.target]]]
    if not backward:  # (most large models: every link runs forward)
        return set()
    ends: dict[tuple[str, str], list[Any]] = {}
    for lk in scene.links:
        ends.setdefault((lk.source, lk.target), []).append(lk)

    def bare(links: list[Any]) -> bool:
        return len(links) == 1 and all("label" not in a for a in lines_of[id(links[0])])

    def alone(lk: Any) -> bool:  # the one link between its ends, drawn as one line
        return len(ends[lk.source, lk.target]) == 1 and (
            scene.direction == "TB" or (id(lk) in scene.link_highlight
                                        and len(lines_of[id(lk)]) == 1))

    return {id(lk) for lk in backward
            if (bare(ends[lk.source, lk.target]) or alone(lk))
            and bare(ends.get((lk.target, lk.source), []))}


def _back(a: Mapping[str, str | float], markers: str = "",
          color: str = "") -> dict[str, str | float]:
    """A link's line written the other way, drawn back: its arrowhead at its tail, ranked
    as a link that way, with its label or a blank one (see ``BACK``).

    ``markers``: with the stages as columns, those of a marked link back (a diff figure's
    sign), drawn in ``color`` as its tail label, which the engine places after it has
    routed the line (and :mod:`.markers` moves beside it), the label left blank as a bare
    link's: as a label they had the engine send the line round the stage between.
    """
    out = {k: v for k, v in a.items() if k not in ("constraint", "arrowhead")}
    out.update({"dir": "back", "arrowtail": a.get("arrowhead", "normal"),
                "label": a.get("label", "   "), "class": BACK})
    if markers:
        out["label"] = "   "
        out.pop("fontcolor", None)
        if "taillabel" not in out:  # no place found yet: where the engine puts a tail label
            out.update({"taillabel": markers, "labelfontcolor": color})
    return out


def banded_links(scene: Scene) -> set[tuple[str, str]]:
    """The links drawn with a band beside their lines (source, target; see :func:`_banded`)."""
    return {(lk.source, lk.target) for lk in scene.links if _has_band(lk, scene)}


def tail_marked(scene: Scene) -> set[tuple[str, str]]:
    """The links whose markers may be drawn as a tail label for :mod:`.markers` to move:
    marked links back, with the stages as columns (see :func:`_back`)."""
    if scene.direction != "LR" or not scene.link_highlight:
        return set()
    col = {st: k for k, st in enumerate(scene.stages)}
    return {(lk.source, lk.target) for lk in scene.links if id(lk) in scene.link_highlight
            and col[scene.stage[lk.source]] > col[scene.stage[lk.target]]}


def _has_band(lk: Any, scene: Scene) -> bool:
    """Whether ``lk``'s lines are drawn with a band beside them (see :func:`_banded`)."""
    mark = scene.link_highlight.get(id(lk))
    return mark is not None and bool(mark.band)


def _banded(a: Mapping[str, str | float], band: str) -> dict[str, str | float]:
    """A marked link's line with a light ``band`` beside it (a colour list drawn side by
    side), its dash its own. The engine draws a list's arrowhead at the head in its first
    colour and one at the tail in its second: the line's colour is first, or second for a
    line drawn back (its arrowhead at its tail).

    A line whose colour is a list drawn in series (an arrowhead in the boxes' outline over
    lines of several colours, or a line ending under another's arrowhead) cannot have a
    list side by side too: it keeps its own colour and the band, its arrowhead in its
    colour, or none where it ended under another's.
    """
    color, _, series = str(a.get("color", "")).partition(";")
    out = {**a, "color": f"{band}:{color}" if a.get("dir") == "back" else f"{color}:{band}"}
    if series and out.get("arrowsize") == "0.01":  # ended under another line's arrowhead
        out.pop("arrowsize")
        out["arrowhead"] = "none"
    return out


def _after_forward(out_links: list[tuple[Any, dict[str, str | float]]],
                   back: set[int]) -> list[tuple[Any, dict[str, str | float]]]:
    """``out_links`` with each link drawn back (see ``BACK``) written right after the
    link forward it returns along, as it is with the stages as columns."""
    moved = [(lk, a) for lk, a in out_links if id(lk) in back]
    out = [(lk, a) for lk, a in out_links if id(lk) not in back]
    for lk, a in moved:
        forward = [i for i, (other, _) in enumerate(out)
                   if (other.source, other.target) == (lk.target, lk.source)]
        out.insert(forward[-1] + 1 if forward else len(out), (lk, a))
    return out


def _forward_tails_last(nodes: list[Any], scene: Scene, top_out: Mapping[str, int],
                        tails: set[str]) -> list[Any]:
    """``nodes`` in the order declared, each of ``tails`` (the boxes a link forward with a
    link back along it leaves, with the stages as columns) moved after the other boxes of
    its stage whose links out are alike.

    The engine paints a box's links with it, in the order the boxes are declared. The link
    forward runs through the stage between, across the links out of the boxes below or
    above it in its stage: painted after them, it is not under a faint one of theirs. The
    link back, painted with it too, arcs over the stage between, across the links out of
    that stage's boxes, declared after it (see ``BACK``).
    """
    out = list(nodes)
    for tail in tails:
        at = next(i for i, n in enumerate(out) if n.id == tail)
        mine = out.pop(at)
        later = [i for i, n in enumerate(out) if i >= at and scene.stage[n.id] ==
                 scene.stage[tail] and top_out[n.id] == top_out[tail]]
        out.insert(later[-1] + 1 if later else at, mine)
    return out


def _joins(lk: Any, scene: Scene, col: Mapping[str, int]) -> bool:
    """Whether ``lk`` is a pathway's line drawn forward from an earlier stage."""
    return (bool(scene.link_pathways.get(id(lk))) and id(lk) not in scene.faded_links
            and not lk.feedback
            and col[scene.stage[lk.source]] < col[scene.stage[lk.target]])


def mixed_heads(scene: Scene, theme: Theme) -> bool:
    """Whether the figure of ``scene`` has pathway lines of different colours into one
    box meeting under one arrowhead, drawn in the boxes' outline colour (see
    :func:`_joined_heads` and :func:`headed_in`), which the key then shows. A shared
    link's lines each keep their arrowhead (:func:`_side_by_side`), so are not among them."""
    col = {st: k for k, st in enumerate(scene.stages)}
    joined = _joined_heads(scene, col)
    colors: dict[str, set[str]] = {}
    for lk in scene.links:
        if lk.target in joined and _joins(lk, scene, col) and not _side_by_side(lk, scene):
            mark = scene.link_highlight.get(id(lk))
            color = theme.pathway(scene.style_no(scene.link_pathways[id(lk)][0])).color
            colors.setdefault(lk.target, set()).add(
                str(mark.edge.get("color", color)) if mark is not None else color)
    return any(len(c) > 1 for c in colors.values())


def _joined_heads(scene: Scene, col: Mapping[str, int]) -> set[str]:
    """The boxes that pathway lines from two or more boxes lead into.

    Left alone, the engine ends such lines wherever each meets the box, and lines
    arriving from one side end a point or two apart, their arrowheads piled on
    each other. These lines are aimed at one point instead (``samehead``) and
    join there under one arrowhead: the last line drawn into the box has it, the
    others end at the point. (An arrowhead for each pathway, each aimed at a point
    of its own, still piled up where the pathways come from one side, as into the
    flagship's "Family makes sustainable changes".) Lines of different colours meet
    under one in the boxes' outline colour (see :func:`headed_in`), which the key
    shows (:func:`.key.line_entries`).
    """
    if not scene.link_pathways:  # no pathway drawn: no pathway's lines
        return set()
    sources: dict[str, list[Any]] = {}
    for lk in scene.links:
        if _joins(lk, scene, col):
            sources.setdefault(lk.target, []).append(lk)
    return {target for target, links in sources.items() if len({lk.source for lk in links}) > 1}


def headed_in(color: str, ink: str) -> str:
    """The colour of the line carrying the one arrowhead that lines of different colours
    meet under: its own, the arrowhead in ``ink``, the boxes' outline. In one pathway's
    colour, the arrowhead would claim the other pathways' lines for that pathway (the
    head arrow takes the last colour of a colour list, here a ten-thousandth of the line,
    as in :func:`_under_the_tip`)."""
    return f"{color};0.9999:{ink}"


def _own_color(a: Mapping[str, str | float]) -> str:
    """A line's colour, not the tail of a colour list it ends in (see :func:`_under_the_tip`)."""
    return str(a.get("color", "")).split(";")[0]


def _under_the_tip(a: Mapping[str, str | float]) -> dict[str, str | float]:
    """A line of a shared link that ends under another line's arrowhead, cut at its tip.

    Aimed at one point, the lines end where the arrowhead's tip touches the box; the
    engine draws the arrowhead that far back from the point that its outline's tip
    reaches it, so a line ended at the point sticks out a few points past and
    beside the tip. This line ends where the other's tip does: it has an arrowhead
    of its own, a tenth of a point long and drawn in no colour (the head arrow takes
    the last colour of a colour list, here a ten-thousandth of the line, transparent),
    for which the engine cuts it short as it does the other.
    """
    return {**a, "color": f"{a.get('color', '')};0.9999:transparent", "arrowsize": "0.01"}


@functools.lru_cache(maxsize=4096)  # the boxes of a stage share their width
def _inches(points: float) -> str:
    """``points`` in inches, rounded up to a ten-thousandth (0.007 pt)."""
    return f"{math.ceil(points / 72 * 10000 - 1e-6) / 10000:.4f}"


def _penwidth(attrs: Mapping[str, str | float]) -> float:
    return float(attrs.get("penwidth", 1.0))


def around_label(text: str, direction: str, forward: bool, fontsize: float,
                 penwidth: float = 1.0, *, near: bool = False) -> dict[str, str | float]:
    """The markers of a link round the far side of the boxes between its ends, in one stage
    (``near``: round the near side, see :func:`_near_sides`).

    A label of its own would be a box the engine places beside the boxes of the
    stage, and the link would loop round it; so the markers go beside the line
    where it leaves its tail, as a tail label, on the side away from the rest of
    its way (above a link leaving a column's right side for a box lower down,
    left of one leaving a row's bottom for a box further right), clear of the
    box and of the line by the line's width.
    """
    width = text_width_pt(text, fontsize)
    if direction == "TB":  # the line leaves the box downwards
        along, across = 0.5 * fontsize + 3, width / 2 + penwidth / 2 + 3
        turn = -1 if forward else 1  # clockwise on the page: to the line's left
    else:                  # the line leaves the box rightwards
        along, across = width / 2 + 3, 0.5 * fontsize + penwidth / 2 + 3
        turn = 1 if forward else -1  # anticlockwise on the page: above the line
    if near:  # the line leaves the other way: the same side of it is the other turn
        turn = -turn
    angle = math.degrees(math.atan2(across, along))
    return {"taillabel": text, "labelangle": f"{turn * angle:.0f}",
            "labeldistance": f"{math.hypot(across, along) / 10:.2f}"}


_ROUND = 6.0  # points between a link round the far side of its stage's boxes and them


def _room_round(scene: Scene, order: Mapping[str, int], shared: Shared,
                outlines: Mapping[str, Outline]) -> dict[str, float]:
    """The stages a link between boxes apart in the stage runs round the far side of (see
    :func:`_link_attrs`) -> how thick their heading is drawn (points: high in rows, wide in
    columns).

    The engine routes such a link in the room between the stage's boxes and the next
    rank, starting from the room its two boxes leave there; when every box of the stage
    is as thick as the stage (its boxes share a width in columns, a height in rows) that
    room is nothing, and the link runs straight along the boxes' edges between (or is
    not routed at all: Graphviz warns it cannot). A heading thicker than the boxes by
    twice ``_ROUND`` leaves that much room on each side of them, and the link runs
    that far clear of the boxes it passes.
    """
    rows = scene.direction == "TB"
    stage = scene.stage  # (its stages compared first: most links run between stages)
    stages = {stage[lk.source] for lk in scene.links
              if stage[lk.source] == stage[lk.target] and _round_far_side(lk, scene, order)}
    out: dict[str, float] = {}
    for n in scene.nodes:
        st = scene.stage[n.id]
        if st in stages and (not rows or n.id in shared.heights):
            thick = (shared.heights[n.id] if rows else shared.widths[n.id]) + outlines[n.id].rings
            out[st] = max(out.get(st, 0.0), thick + 2 * _ROUND)
    return out


def _chain(scene: Any) -> bool:
    """Whether the figure is a chain, one box a stage: its links then pull their boxes into
    line harder than each heading pulls its box towards it (pulled as hard, the boxes sat
    against their headings, aligned on their tops or left sides, so boxes of different
    sizes were off centre and the links between them slanted)."""
    stages = [scene.stage[n.id] for n in scene.nodes]
    return len(stages) == len(set(stages))


def flat_label(text: str, direction: str, forward: bool, fontsize: float, *,
               penwidth: float = 1.0) -> dict[str, str | float]:
    """A link between boxes of one stage: room between the boxes, its markers in that room.

    The engine draws such a link straight across the gap between the boxes, as
    wide as the gap (one ``nodesep``: a stub), and puts a label in the next rank,
    among other links. So the link gets a blank label, for which the engine
    widens the gap, and its markers go beside the arrow as a head label, in the
    middle of the gap, under the line (``TB``) or on its right (``LR``), clear
    of the line and its arrowhead by more than ``penwidth`` (a thicker line is
    outlined wider).
    """
    width = text_width_pt(text, fontsize)
    # the markers' near edge 4 pt from the line: clear of an arrowhead (2.45 pt wide each
    # side) outlined by a line up to 2.1 pt wide by half a point, and moved out for a wider one
    wider = max(0.0, penwidth / 2 - 1.05)
    if direction == "TB":
        # markers in the middle of the gap, 14 pt from each box (the arrowhead takes half of
        # that at the head): links leaving the boxes' sides pass close to them
        gap = max(width + (28 if text else 14), 2.2 * fontsize)
        spaces = " " * math.ceil(gap / (0.278 * fontsize))  # Arial's space: 0.278 em
        out: dict[str, str | float] = {"label": spaces}
        along, across = gap / 2, 0.5 * fontsize + 4 + wider
    else:
        out = {"label": "\n\n "}
        along, across = 1.8 * fontsize, width / 2 + 4 + wider
    if text:
        # the angle is turned from the line back from the head; positive turns clockwise
        # on the page for a link drawn left to right or upwards
        angle = math.degrees(math.atan2(across, along))
        below = forward if direction == "TB" else not forward
        out.update({"headlabel": text, "labelangle": f"{angle if below else -angle:.0f}",
                    "labeldistance": f"{math.hypot(across, along) / 10:.2f}"})
    return out


def marker_label(text: str, direction: str, *, pad: int = 2, after_arc: bool = False) -> str:
    """A link's markers, padded so that the engine keeps them clear of the line.

    The engine puts a label beside its link, touching it: on the right of a link
    running down (``TB``), above one running across (``LR``). Spaces on both
    sides of the text, or an empty line above and under it, keep a gap wider
    than a pathway's line, and keep other links passing by off it too.

    ``after_arc``: the link crosses the gap after a stage where a link between
    boxes apart rounds them (see :func:`_link_attrs`), which the engine routes
    through the middle of that gap without heeding labels; the markers are moved
    a line (``TB``) or four spaces (``LR``) further from the stage, out of its way.
    """
    if direction == "TB":
        return (" \n" if after_arc else "") + f"{' ' * pad}{text}{' ' * pad}"
    return " \n" + ("    " if after_arc else "") + f"{text}\n "




def element_titles(scene: Scene) -> dict[str, str]:
    """What each drawn element's SVG ``<title>`` (its tooltip) says, by the id DOT gives it.

    A node's label and kind, a link's ends, a heading's text, the figure's title for
    its graph; the key's samples and anything else fall back to "Key" where they are used.
    """
    words = scene.kind_words()
    ids = {n.id: f"n{i}" for i, n in enumerate(scene.nodes)}
    titles: dict[str, str] = {}
    labels: dict[str, str] = {}
    for n in scene.nodes:
        text = " ".join(n.label.split())
        labels[n.id] = text
        titles[ids[n.id]] = f"{text} ({words[n.kind].lower()})"
    for lk in scene.links:
        kind = "feedback link" if lk.feedback else "link"
        titles[f"{ids[lk.source]}->{ids[lk.target]}"] = (
            f"{labels[lk.source]} \u2192 {labels[lk.target]} ({kind})")
    headings = scene.headings()
    for k, st in enumerate(scene.stages):
        titles[f"h{k}"] = f"{headings[st]} (stage)"
    titles.update(plan_bands(scene).titles())
    titles.update(bracket_titles(scene))
    # the figure's own graph (the engine titles it by its DOT name): the figure's title
    titles.setdefault(" ".join(scene.title.split()), " ".join(scene.title.split()))
    return titles


def to_dot(scene: Scene, theme: Theme, *, layered: bool = True,
           back: bool | None = None) -> str:
    """The DOT source for ``scene`` drawn in ``theme`` (deterministic text).

    ``layered``: boxes and links declared so that faint links are painted under
    the pathways, markers clear of the lines. Without it, each link's lines with
    its bare markers, everything in the file's order, for a caller that places the
    links itself (in the scene's order, :func:`line_count` lines each: a link on
    several pathways is their lines side by side in either case).

    ``back``: a link back along a link forward written the forward way and drawn back
    (see ``BACK``); by default, with ``layered``. Without ``layered``, the lines are
    then in the scene's order but for such a link's, written among the lines of the
    link forward (right after them, with the stages as columns), with the class
    ``BACK``.
    """
    figure, key = dot_parts(scene, theme, layered=layered, back=back)
    return join_dot(figure, key(None).text)


def join_dot(figure: str, key: str) -> str:
    """The DOT text of a figure and its key (a graph of its own, after it; "" if none)."""
    return figure + ("\n" + key if key else "")


def figure_graph(scene: Scene, theme: Theme) -> dict[str, str]:
    """The graph attributes of a figure of ``scene`` in ``theme`` (its spacing, font and
    size), which its key takes its own from (see :func:`.key.key_dot`)."""
    _, fontsize = label_sizes(scene, theme)
    graph = dict(theme.graph)
    graph.update({"rankdir": scene.direction, "fontsize": f"{fontsize:g}"})
    if scene.compact:
        graph.update({"nodesep": "0.10", "ranksep": "0.30", "pad": "0.06"})
    if scene.spacing != 1.0:  # tightened to fit a page (see .fit)
        for sep in scene.tighten:
            graph[sep] = f"{float(graph[sep]) * scene.spacing:.2f}"
    graph.update(theme.overrides.get("graph", {}))
    return graph


def dot_parts(scene: Scene, theme: Theme, *, layered: bool = True,
              back: bool | None = None) -> tuple[str, Callable[[float | None], Key]]:
    """The figure's DOT graph (see :func:`to_dot`), and how to write its key's (which
    the caller may do while the engine lays out the figure; its text "" if it has none).

    The key is written for a figure of the width given (points), else of
    ``scene.key_width``, else of the width estimated before the layout (see
    :func:`.key.key_dot`)."""
    width, fontsize = label_sizes(scene, theme)
    w = _Writer()
    ids = {n.id: f"n{i}" for i, n in enumerate(scene.nodes)}
    over = theme.overrides

    graph = figure_graph(scene, theme)
    if scene.ceiling_line is not None or scene.section_lines:
        graph["_background"] = background(scene.ceiling_line, scene.section_lines)
    node = {**theme.node, "fontsize": f"{fontsize:g}", **over.get("node", {})}
    # one width to the boxes of a stage and outline, their labels wrapped alike (see .columns)
    by_kind: dict[str, Outline] = {}  # (a large model has thousands of boxes, a few kinds)
    for kind in dict.fromkeys(n.kind for n in scene.nodes):
        by_kind[kind] = outline({**node, **theme.kinds[kind]})
    outlines = {n.id: by_kind[n.kind] for n in scene.nodes}
    # the boxes drawn with a mark or markers (few): the others' lines are drawn as wrapped
    dressed = {n.id for n in scene.nodes
               if n.assumptions or n.moderators or n.id in scene.node_highlight}
    shared = shared_widths(scene.nodes, scene.stage, outlines,
                           {n.id: wrap(n.label, width) for n in scene.nodes}, width,
                           lambda n, lines: (_dressed(n, scene, lines) if n.id in dressed
                                             else lines),
                           rows=scene.direction == "TB", own=scene.own_widths)
    labels = shared.lines
    key_graph = dict(graph)

    made: list[KeyContent] = []  # what the key shows: the same at every width

    def key(figure_width: float | None = None) -> Key:
        if not scene.legend:
            return Key("")
        if not made:
            made.append(key_content(scene, theme))
        drawn = None if figure_width is not None or scene.key_width is not None else {
            n.id: shared.widths[n.id] + outlines[n.id].rings for n in scene.nodes}
        return key_dot(scene, theme, key_graph, width, fontsize,
                       widths=drawn, figure_width=figure_width, content=made[0])

    # markers on links are read like labels: same size as the boxes' text
    edge = {**theme.edge, "fontsize": f"{fontsize:g}", **over.get("edge", {})}

    lines_out = [f"digraph {dot_string(scene.title)} {{"]
    w.lines = lines_out
    w.add(f"graph {_attrs(graph)}")
    w.add(f"node {_attrs(node)}")
    w.add(f"edge {_attrs(edge)}")

    # Column headings, chained so that the columns keep the stage order.
    w.add("")
    w.add("// stage headings")
    headings = scene.headings()
    columns = list(scene.stages)
    order = _places(scene)
    room = _room_round(scene, order, shared, outlines)
    for k, st in enumerate(columns):
        heading: dict[str, str | float] = {
            "label": "\n".join(heading_lines(headings[st],
                                              width if scene.direction == "LR" else 12)),
            "shape": "plaintext",
            "fontcolor": theme.heading_color, "fontsize": f"{fontsize + 1.5:g}",
            "margin": "0.02"}
        if st in room:
            heading["width" if scene.direction == "LR" else "height"] = _inches(room[st])
        w.add(f"h{k} " + _attrs(heading))
    for k in range(len(columns) - 1):
        w.add(f"h{k} -> h{k + 1} [style=invis, weight=100]")

    # Links: what each is drawn as, and in which layer (see _layer).
    col = {st: k for k, st in enumerate(columns)}
    links = scene.links
    layers = [_layer(lk, scene) for lk in links] if layered else [0] * len(links)
    # The engine paints links by their tails, in the order the nodes were declared, and
    # a tail's links by their heads, in the same order. So nodes whose links out are all
    # faint are declared first, and among equals those whose links in are: faded and
    # plain links then pass under the pathways, not over them.
    top_out = dict.fromkeys(ids, -1)  # the most prominent link out of each node
    top_in = dict.fromkeys(ids, -1)   # and into it
    # links between the same two boxes keep their file order (the viewer numbers them so):
    # the most prominent layer of the links between each two
    pair: dict[tuple[str, str], int] = {}
    for layer, lk in zip(layers, links, strict=True):
        source, target = lk.source, lk.target
        if layer > top_out[source]:
            top_out[source] = layer
        if layer > top_in[target]:
            top_in[target] = layer
        if layer > pair.get((source, target), 0):
            pair[source, target] = layer

    # A feedback link is painted with its tail, and runs back across the stages, over the
    # pathways' lines between them: among nodes whose links out are alike, its tail comes
    # first. (A figure of changes keeps the file's order: the declaration order moves the
    # layout, and there it moved the changed links' signs into lines, while its feedback
    # links already pass under the pathways; the collision tests check both. One drawn
    # back along a link forward is painted with the box it returns to, written as its
    # tail: see _forward_tails_last.)
    changed = bool(scene.node_highlight or scene.link_highlight)
    looped = {lk.source for lk in scene.links if lk.feedback} if not changed else set()

    # Nodes, with the style of their kind.
    w.add("")
    w.add("// nodes: the ends of faint links first, then in file order")
    sizes: dict[str, tuple[float, float]] = {}
    rows = brackets(scene)
    banded = bool(scene.bands) or bool(rows)
    add = lines_out.append  # the hot loops' lines, indented here
    lines_of = _lines_of(scene, theme, col, order, fontsize, layered)
    drawn_back = _drawn_back(scene, col, lines_of) if (
        layered if back is None else back) else set()
    nodes = (sorted(scene.nodes, key=lambda n: (top_out[n.id], n.id not in looped,
                                                top_in[n.id])) if layered
             else list(scene.nodes))
    if layered and drawn_back and scene.direction == "LR":
        nodes = _forward_tails_last(nodes, scene, top_out, {
            lk.target for lk in scene.links if id(lk) in drawn_back})
    for n in nodes:
        lines = _dressed(n, scene, labels[n.id]) if n.id in dressed else labels[n.id]
        label = "\n".join(lines)
        if banded:
            rings = outlines[n.id].rings
            high = ((shared.heights[n.id] + rings) / 72 if n.id in shared.heights else
                    box_size(lines, fontsize, theme.kinds[n.kind].get("shape", "box"))[1])
            sizes[n.id] = ((shared.widths[n.id] + rings) / 72, high)
        attrs: dict[str, str | float] = {"label": label}
        attrs.update(theme.kinds[n.kind])
        if n.id in scene.node_highlight:
            attrs.update(_with_mark(attrs, scene.node_highlight[n.id].node))
        # rounded up, so that no box needs more than its stage's width (and row's height)
        attrs["width"] = _inches(shared.widths[n.id])
        if n.id in shared.heights:
            attrs["height"] = _inches(shared.heights[n.id])
        if n.id in scene.faded_nodes:
            attrs.update({"color": theme.faded_color, "fontcolor": "gray60",
                          "fillcolor": "white"})
        add(f"  {ids[n.id]} {_attrs(attrs)}")

    # The model's sections and its ceiling of accountability, over the headings.
    tops: dict[int, list[str]] = {}
    if rows:
        col_width: dict[int, float] = {}
        for n in scene.nodes:
            k = columns.index(scene.stage[n.id])
            col_width[k] = max(col_width.get(k, 0.0), sizes[n.id][0])
        decls, tops = heading_rows(scene, fontsize, theme.heading_color,
                                   width if scene.direction == "LR" else 12, col_width)
        w.add("")
        w.add("// sections and the ceiling of accountability, over the headings")
        for line in decls:
            w.add(line)

    w.add("")
    w.add("// links: faint first, then in file order")
    joined = _joined_heads(scene, col) if layered else set()
    head_of = {(source, target): head for source, target, head in scene.shared_ends}
    out_links: list[tuple[Any, dict[str, str | float]]] = []
    last: dict[str, int] = {}  # a joined box or shared link -> its line with the arrowhead
    inks: dict[str, set[str]] = {}  # ... -> the colours of the lines under that arrowhead
    unbanded: dict[str, int] = {}  # a joined box -> its last line into it without a band
    # (sorted keeps the file's order among equals)
    rank = [pair.get((lk.source, lk.target), 0) for lk in links]
    in_order = [links[i] for i in sorted(range(len(links)), key=rank.__getitem__)]
    for lk in in_order:
        if drawn_back and id(lk) in drawn_back:
            markers = " ".join(_markers_of(lk, scene)) if scene.direction == "LR" else ""
            lines_of[id(lk)] = [_back(a, markers, theme.marker_color)
                                for a in lines_of[id(lk)]]
        for k, a in enumerate(lines_of[id(lk)]):
            if lk.target in joined and _joins(lk, scene, col) and not _side_by_side(lk, scene):
                # (a shared link's lines each keep their arrowhead, as everywhere)
                a = {**a, "samehead": "pathways", "arrowhead": "none"}
                last[lk.target] = len(out_links)
                if not _has_band(lk, scene):
                    unbanded[lk.target] = len(out_links)
                inks.setdefault(lk.target, set()).add(_own_color(a))
            elif head_of and (lk.source, lk.target) in head_of and _side_by_side(lk, scene):
                # a shared link's lines side by side, each with its arrowhead, unless the
                # layout showed their ends too near: then aimed at one point, under the
                # arrowhead of the line that ran nearest it, the others ending at its
                # tip (see .shared)
                a = ({**a, "samehead": "pathways"} if head_of[lk.source, lk.target] == k
                     else _under_the_tip({**a, "samehead": "pathways"}))
                if head_of[lk.source, lk.target] == k:
                    last[f"{lk.source} {lk.target}"] = len(out_links)
                inks.setdefault(f"{lk.source} {lk.target}", set()).add(_own_color(a))
            out_links.append((lk, a))
    for joined_at, i in last.items():
        if len(inks[joined_at]) > 1 and joined_at in unbanded and _has_band(out_links[i][0],
                                                                            scene):
            # lines of several colours meet under an arrowhead in the boxes' outline,
            # which a line with a band cannot carry (see _banded): the last without one does
            i = unbanded[joined_at]
        out_links[i][1].pop("arrowhead", None)
        if len(inks[joined_at]) > 1:
            lk, a = out_links[i]
            out_links[i] = lk, {**a, "color": headed_in(_own_color(a),
                                                        theme.node.get("color", "black"))}
    if drawn_back and scene.direction == "LR":
        out_links = _after_forward(out_links, drawn_back)
    straight = _chain(scene)
    banded = any(m.band for m in scene.link_highlight.values())
    for lk, a in out_links:
        if straight and "weight" not in a:
            a = {**a, "weight": "100"}
        if banded and _has_band(lk, scene):
            a = _banded(a, scene.link_highlight[id(lk)].band)
        tail, head = ((lk.target, lk.source) if drawn_back and id(lk) in drawn_back
                      else (lk.source, lk.target))
        ends = f"  {ids[tail]} -> {ids[head]}"
        add(f"{ends} {_attrs(a)}" if a else ends)

    # Columns: heading first, then the nodes in file order.
    w.add("")
    w.add("// one column per stage, in file order")
    by_stage: dict[str, list[str]] = {}
    for n in scene.nodes:
        by_stage.setdefault(scene.stage[n.id], []).append(ids[n.id])
    nranks = len(columns)  # the key is a graph of its own, not ranks of this one
    bands = plan_bands(scene)
    if bands:
        for line in write_columns(bands, scene, ids, columns, {}, nranks, theme.bands,
                                  fontsize, sizes, tops):
            w.add(line)
    for k in range(nranks if not bands else 0):
        members = [*tops.get(k, []), f"h{k}", *by_stage.get(columns[k], [])]
        add("  { rank=same; " + "; ".join(members) + "; }")
        lines_out.extend(f"  {a_} -> {b_} [style=invis]" for a_, b_ in itertools.pairwise(members))
    w.add("}", indent=0)
    # the key: a graph of its own, drawn under the figure (see .key and .compose)
    return "\n".join(lines_out) + "\n", key

