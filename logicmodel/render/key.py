"""The figure's key: what its boxes, lines and markers mean, drawn apart from the model.

The key shows only what the figure draws: one sample box per kind of element,
a short sample of each kind of line (each pathway's, links on several pathways,
other links, feedback links, faded links, highlights), and the assumption and
moderator markers with their text, after a line saying where markers sit and
what their letters stand for (``Markers beside a link or [in a box]: A
assumption, B barrier``). Its text is as large as the figure's.

It is drawn under a heading, "Key", under the figure and independent of its
stage columns: every row of the key is a component of its own in the DOT graph,
and the engine lays the components out one by one and stacks them, the figure
first, left-aligned (Graphviz's ``pack`` and ``packmode``). The rows are as
wide as the figure is estimated to be: the kinds, the line samples and the
marker lists are spread over as many columns as that width holds. Every element
of the key carries the class ``lm-key`` in the SVG, so that its extent can be
measured.

No user text is an id or an HTML-like label here either: ids are ``kh``,
``k0``..., ``ka0``/``kt0``... and ``km0``..., and every label goes through
:func:`~.text.dot_string`.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..schema import NODE_KINDS
from .headings import brackets
from .text import dot_string, heading_lines, text_width_pt, wrap, wrap_pt
from .themes import Theme
from .views import Highlight, Scene

__all__ = ["BESIDE", "KEY_CLASS", "KEY_GRAPH", "Key", "KeyContent", "has_key", "key_beside",
           "key_content", "key_dot", "key_margin", "key_stands", "line_entries",
           "marker_heading", "marker_legend", "marker_note", "markers_on", "tied_legend",
           "with_mark", "wrap_legend"]

KEY_CLASS = "lm-key"
KEY_GRAPH = 'digraph "Key" {'  # how the key's graph begins, after the figure's
BESIDE = "  // drawn beside the figure"  # the key graph's first line when it is
_POINTS = 72.0
_PACK = 2.0            # points the engine leaves around each row ("pack")
_PAD_Y = 0.02 * 72     # the key's own margin, top and bottom (its "pad")
_PAD_X = 0.04 * 72     # and left and right
_SPREAD = 1.1          # how much wider than its widest row the engine draws stages as rows


def with_mark(attrs: Mapping[str, str | float], mark: Mapping[str, str]
              ) -> dict[str, str | float]:
    """A highlight's node attributes over a kind's: its line style replaces the kind's.

    The other style words (rounded, filled) stay, so a highlighted node keeps
    its kind's shape; ``bold`` gives way to the highlight's own ``penwidth``.
    """
    out: dict[str, str | float] = dict(mark)
    if "style" in mark or "penwidth" in mark:
        lines = {"dashed", "dotted", "solid", "bold"} if "style" in mark else {"bold"}
        words = [w for w in str(attrs.get("style", "")).split(",") if w and w not in lines]
        words += [w for w in mark.get("style", "").split(",") if w and w not in words]
        out["style"] = ",".join(words)
    return out


def markers_on(element: Any, scene: Scene) -> list[str]:
    """The markers a node or link carries in ``scene``: ``A1``..., then ``B1``/``E1``..."""
    if not element.assumptions and not element.moderators:
        return []
    out = [f"A{scene.assumption_no[a]}" for a in element.assumptions
           if a in scene.assumption_no]
    out += [scene.moderator_no[m] for m in element.moderators if m in scene.moderator_no]
    return out


def _shown(elements: Iterable[Any], key: Callable[[Any], object],
           faded: Container[object], marks: Mapping[Any, Highlight], scene: Scene) -> bool:
    """Whether one of ``elements`` draws a marker (faded and quiet ones draw none)."""
    for el in elements:
        if markers_on(el, scene):
            mark = marks.get(key(el))
            if key(el) not in faded and not (mark and mark.quiet):
                return True
    return False


_ON_LINK, _IN_BOX = "beside a link", "[in a box]"  # where markers sit, as the key says it


def marker_note(scene: Scene) -> str:
    """Where the figure's markers sit, or "" if it draws none.

    ``Markers beside a link or [in a box]``, the brackets as a box draws them
    (``[B2 E4]``); only the places markers occupy in this figure are named. It
    names no marker: an example such as "A1 beside a link" at the head of the list
    read as the list's first entry, with the real A1 under it.
    """
    places = [place for place, drawn in (
        (_ON_LINK, _shown(scene.links, id, scene.faded_links, scene.link_highlight, scene)),
        (_IN_BOX, _shown(scene.nodes, lambda n: n.id, scene.faded_nodes,
                        scene.node_highlight, scene))) if drawn]
    return "Markers " + " or ".join(places) if places else ""


def marker_legend(scene: Scene, note: str | None = None
                  ) -> tuple[str, list[tuple[str, str]]]:
    """What every key says of the markers: a line, then each marker drawn and its text.

    The line says where markers sit and what the letters stand for (only those
    drawn): ``Markers beside a link or [in a box]: A assumption, B barrier``. The
    markers follow as (marker, text): assumptions, then barriers, then enablers.
    ``("", [])`` when the figure draws none. The figure's key, Mermaid's and the
    small multiples' all use it; ``note`` is :func:`marker_note`'s, when the caller
    has it.
    """
    note = marker_note(scene) if note is None else note
    if not note:
        return "", []
    assumptions = scene.used_assumptions()
    moderators = scene.used_moderators()
    effects = {m.effect for m in moderators}
    letters = (["A assumption"] if assumptions else []) + [
        w for e, w in (("barrier", "B barrier"), ("enabler", "E enabler")) if e in effects]
    numbered = [(f"A{scene.assumption_no[a.id]}", a.label) for a in assumptions]
    numbered += [(scene.moderator_no[m.id], m.label) for m in moderators]
    return f"{note}: {', '.join(letters)}", numbered


def marker_heading(scene: Scene) -> tuple[str, str]:
    """Headings for the markers' lists in the key as caption text: assumptions, moderators.

    The moderators' heading names only the kinds drawn (barriers, enablers or both).
    Keys drawn as figures say what the letters stand for with :func:`marker_legend`.
    """
    effects = {m.effect for m in scene.used_moderators()}
    words = [w for e, w in (("barrier", "barriers (B)"), ("enabler", "enablers (E)"))
             if e in effects]
    moderators = " and ".join(words)
    moderators = moderators[:1].upper() + moderators[1:]
    return ("Assumptions (A)", moderators)


def line_entries(scene: Scene, theme: Theme, *, joined: bool = True, apart: bool = True
                 ) -> list[tuple[dict[str, str | float], str, str]]:
    """The kinds of line a figure of ``scene`` draws: (sample style, meaning, how it looks).

    Only what is drawn: each pathway's line, links shared by pathways, other
    links (plain "Link" in a figure that draws no pathway), feedback links, faded
    links and the highlights' lines. The last item describes the line in words,
    for a key written as caption text. A link on several pathways is drawn as its
    pathways' lines side by side, each with its arrowhead (see
    :func:`.dot._link_lines`), each line read by its own pathway's sample: it has no
    entry of its own, but where it is drawn as one line: within a stage where the scene
    draws it so (``Scene.pairs_within`` false: the variants' panels), and everywhere
    in a figure that draws none ``apart`` (Mermaid's, where it is one thicker line).
    ``joined``: the figure joins pathway lines into one box under one arrowhead (see
    :func:`.dot.mixed_heads`; Mermaid's does not), drawn in the boxes' outline colour
    where the lines are of different colours: then the key shows that arrowhead too.
    """
    entries: list[tuple[dict[str, str | float], str, str]] = []
    drawn = {k for nos in scene.link_pathways.values() for k in nos}
    active = [(k, p) for k, p in enumerate(scene.pathways) if k in drawn]
    for k, p in active:
        ps = theme.pathway(scene.style_no(k))
        entries.append(({"color": ps.color, "style": ps.style,
                         "penwidth": theme.pathway_penwidth}, f"Pathway: {p.label}",
                        f"thick {ps.name} lines"))
    if any(len(scene.link_pathways.get(id(lk), ())) > 1 and id(lk) not in scene.faded_links
           and (not apart or (not scene.pairs_within
                and scene.stage[lk.source] == scene.stage[lk.target])) for lk in scene.links):
        colors = [theme.pathway(scene.style_no(k)).color for k, _ in active[:2]]
        entries.append(({"color": ":transparent:".join(colors), "penwidth": "1.3"},
                        "Link on more than one pathway", "double lines"))
    if joined and active:
        from .dot import headed_in, mixed_heads  # (dot writes the key: imported when used)

        if mixed_heads(scene, theme):
            ps = theme.pathway(scene.style_no(active[0][0]))
            ink = str(theme.node.get("color", "black"))
            entries.append(({"color": headed_in(ps.color, ink), "style": ps.style,
                             "penwidth": theme.pathway_penwidth},
                            "Pathways joining (one arrowhead)",
                            "pathways' lines meeting under one dark arrowhead"))
    quiet = {k for k, m in scene.link_highlight.items() if m.quiet}
    if any(not lk.feedback and id(lk) not in scene.faded_links
           and not scene.link_pathways.get(id(lk)) and id(lk) not in quiet for lk in scene.links):
        # "other" than the pathways' lines, where the figure draws any
        plain = "Other link" if active else "Link"
        entries.append(({"color": scene.plain_link_color(theme)}, plain,
                        "thin grey lines" if active else "thin dark lines"))
    if any(lk.feedback for lk in scene.links):
        entries.append(({"color": theme.link_color, "style": "dashed", "arrowhead": "empty"},
                        "Feedback link", "thin dashed lines with an open arrowhead"))
    if scene.faded_links or scene.faded_nodes:
        entries.append(({"color": theme.faded_color}, "Not on the pathway shown",
                         "pale grey boxes and lines"))
    for mark in scene.highlights:
        if mark in scene.link_highlight.values():
            entries.append((_mark_sample(scene, theme, mark), mark.link_name,
                            mark.look or f"lines marked {mark.sign}"))
    return entries


def _mark_sample(scene: Scene, theme: Theme, mark: Highlight) -> dict[str, str | float]:
    """The sample line of a mark on links, as the figure draws the lines it marks.

    A mark that keeps a line's own style (a pathway's colour and dash, a band beside
    it) is sampled on the first line it marks: a pathway's if it marks one, else a
    plain link's, else a feedback link's. One that sets the whole style is that style
    on a plain link's line.
    """
    if not (mark.color or mark.band):
        return {"color": scene.plain_link_color(theme), **mark.edge}
    marked = [lk for lk in scene.links if scene.link_highlight.get(id(lk)) is mark]
    first = min(marked, key=lambda lk: (not scene.link_pathways.get(id(lk)), lk.feedback))
    nos = scene.link_pathways.get(id(first), [])
    sample: dict[str, str | float] = {"color": mark.color or scene.plain_link_color(theme)}
    if nos:
        ps = theme.pathway(scene.style_no(nos[0]))
        sample = {"color": ps.color, "style": ps.style, "penwidth": theme.pathway_penwidth}
    if first.feedback:
        sample.update({"style": "dashed", "arrowhead": "empty", "penwidth": "1"})
    sample.update(mark.edge)
    if mark.band:
        sample["color"] = f"{sample['color']}:{mark.band}"
    return sample


# --- drawing it -----------------------------------------------------------------------------

class _Quoted(str):
    """Text already escaped and quoted for DOT (a label with ``\\l`` line ends)."""

    __slots__ = ()


def _attrs(attrs: Mapping[str, str | float]) -> str:
    parts = []
    for k, v in attrs.items():
        value = f"{v:g}" if isinstance(v, float) else v
        parts.append(f"{k}={value if isinstance(value, _Quoted) else dot_string(value)}")
    return "[" + ", ".join(parts) + "]"


def _left(lines: list[str]) -> _Quoted:
    """Label text with every line left-justified (``\\l``), user text escaped first."""
    return _Quoted('"' + "".join(dot_string(line)[1:-1] + "\\l" for line in lines) + '"')


def _figure_width_pt(scene: Scene, graph: Mapping[str, str], wrap_at: int,
                     fontsize: float, widths: Mapping[str, float]) -> float:
    """About how wide the figure (without its key) will be, before the engine lays it out.

    ``widths``: each box's width as drawn (its outer outlines included), which the
    figure's DOT gives every box (see :mod:`.columns`). Stages as columns are as
    wide as their widest box or heading, with the space between stages; stages
    as rows as their widest row of boxes with its heading, the space between the
    boxes, and the sections' and the ceiling's label columns
    (:func:`_bracket_columns_pt`). The figure's margins are added to both.
    """
    pad = 2 * _inches(graph.get("pad", "0.12")) * _POINTS
    nodesep = _inches(graph.get("nodesep", "0.16")) * _POINTS
    ranksep = _inches(graph.get("ranksep", "0.42")) * _POINTS
    by_stage: dict[str, list[float]] = {}
    for n in scene.nodes:
        by_stage.setdefault(scene.stage[n.id], []).append(widths[n.id])
    headings = scene.headings()
    size = fontsize + 1.5
    if scene.direction == "TB":
        rows = [sum(ws) + nodesep * len(ws) + _heading_pt(headings[s], 12, size)
                for s, ws in by_stage.items()]
        # the links between rows, and their markers, spread the boxes a tenth wider
        return (pad + _SPREAD * max(rows, default=3 * _POINTS)
                + _bracket_columns_pt(scene, fontsize, nodesep))
    columns = [max(max(ws), _heading_pt(headings[s], wrap_at, size))
               for s, ws in by_stage.items()]
    return (pad + sum(columns) + ranksep * max(0, len(columns) - 1)
            + sum(_marker_gaps(scene, fontsize).values()))


def _marker_gaps(scene: Scene, fontsize: float) -> dict[int, float]:
    """How much wider the markers on links make the gaps between stages drawn as columns.

    The engine lays a link's label out as a column of its own, between the stages the
    link joins: each gap is as much wider as its widest marker text.
    """
    col = {st: k for k, st in enumerate(scene.stages)}
    quiet = {k for k, m in scene.link_highlight.items() if m.quiet}
    gaps: dict[int, float] = {}
    for lk in scene.links:
        if not (lk.assumptions or lk.moderators) or id(lk) in scene.faded_links or (
                id(lk) in quiet):
            continue
        a, b = col[scene.stage[lk.source]], col[scene.stage[lk.target]]
        if a == b:
            continue
        gap = min(a, b)
        wide = text_width_pt(" ".join(markers_on(lk, scene)), fontsize)
        if wide > gaps.get(gap, 0.0):
            gaps[gap] = wide
    return gaps


def _inches(value: str) -> float:
    """A graph attribute's length in inches (of "x,y", the first)."""
    return float(value.split(",")[0])


def _heading_pt(text: str, wrap_at: int, size: float) -> float:
    """How wide the engine draws a stage heading wrapped at ``wrap_at`` (its margins too)."""
    return (max(text_width_pt(line, size) for line in heading_lines(text, wrap_at))
            + 2 * 0.02 * _POINTS)


def _bracket_columns_pt(scene: Scene, fontsize: float, nodesep: float) -> float:
    """About how much wider the sections and the ceiling's label make stages drawn as rows.

    Each row of brackets (:func:`.headings.brackets`) is a column left of the stage
    headings, as wide as its widest label as :func:`.headings.heading_rows` wraps
    it (the ceiling's and a one-stage section's at 12 characters, a longer
    section's at 24). Stages as columns have their brackets above the headings,
    and are no wider for them.
    """
    size = fontsize + 1.5
    total = 0.0
    for row in brackets(scene):
        widest = max(text_width_pt(line, size) for b in row
                     for line in wrap(b.label, 12 if b.dashed or b.first == b.last else 24))
        total += widest + nodesep
    return total


class _Rows:
    """The key's DOT statements, a row at a time, and each row's width.

    Each row is a component of the key's graph, which the engine lays out on its
    own and stacks in order ("packs"), centred; every row is padded to the widest,
    so that they all start at one left edge. (Stacked ranks of one component
    would stand at least 8 points apart.)
    """

    def __init__(self, sep: float) -> None:
        self.lines: list[str] = []
        self.sep = sep                      # points between the items of a row
        self.rows: list[tuple[list[str], list[str], float]] = []
        self.heights: list[float] = []      # each row's height, estimated, in points

    @property
    def count(self) -> int:
        return len(self.rows)

    def node(self, name: str, attrs: Mapping[str, str | float]) -> None:
        self.lines.append(f"{name} {_attrs({**attrs, 'class': KEY_CLASS})}")

    def edge(self, a: str, b: str, attrs: Mapping[str, str | float]) -> None:
        self.lines.append(f"{a} -> {b} {_attrs({**attrs, 'class': KEY_CLASS})}")

    @property
    def width(self) -> float:
        """The widest row's width, in points (estimated)."""
        return max((w for _, _, w in self.rows), default=0.0)

    @property
    def height(self) -> float:
        """The key's height, in points (estimated): its rows and the space around each."""
        return sum(h + 2 * _PACK for h in self.heights) + 2 * _PAD_Y

    def row(self, names: list[str], widths: list[float], height: float,
            joined: frozenset[int] = frozenset()) -> None:
        """End a row: ``names`` (``widths`` points wide, ``height`` high), left to right.

        Item ``i`` in ``joined`` is already tied to item ``i + 1`` by a sample line.
        """
        self.lines.extend(f"{a} -> {b} [style=invis]" for i, (a, b)
                          in enumerate(itertools.pairwise(names)) if i not in joined)
        self.rows.append((self.lines, names, sum(widths) + self.sep * (len(names) - 1)))
        self.heights.append(height)
        self.lines = []

    def finish(self) -> list[str]:
        """Every row padded to the widest, in order."""
        widest = max(w for _, _, w in self.rows)
        out: list[str] = []
        for r, (lines, names, w) in enumerate(self.rows):
            if widest - w > self.sep + 1:
                pad = f"kp{r}"
                lines.append(f'{pad} [shape=plaintext, label="", height="0.02", '
                             f'width="{(widest - w - self.sep) / _POINTS:.2f}"]')
                lines.append(f"{names[-1]} -> {pad} [style=invis]")
                names = [*names, pad]
            out += [*lines, "{ rank=same; " + "; ".join(names) + "; }"]
        return out


def has_key(source: str) -> bool:
    """Whether the DOT text ``source`` (from :func:`~.dot.to_dot`) ends with a key's graph."""
    return f"\n{KEY_GRAPH}\n" in source


def key_beside(source: str) -> bool:
    """Whether the key of the DOT text ``source`` is to be drawn beside the figure."""
    return f"\n{KEY_GRAPH}\n{BESIDE}\n" in source


_GRAPH_PAD = re.compile(r'\n  graph \[[^\n]*?\bpad="([0-9.]+)(?:,([0-9.]+))?"')


def outer_margin(graph_pad: str | None) -> tuple[float, float]:
    """Points by which the figure's margin (its graph's ``pad``, "x" or "x,y" inches;
    None: the engine's default) is wider than the key's own, across and down.

    The key's own margin is narrow, for the side it shares with the figure; on its
    outer sides (under the figure: its foot; beside it: its top and right) the figure
    keeps this much more, so that the key does not run to the edge of the page.
    """
    x, _, y = (graph_pad or "0.0555").partition(",")
    return (max(0.0, float(x) * _POINTS - _PAD_X),
            max(0.0, float(y or x) * _POINTS - _PAD_Y))


def key_margin(source: str) -> tuple[float, float]:
    """:func:`outer_margin` of the figure in the DOT text ``source`` (its first graph)."""
    end = source.find(f"\n{KEY_GRAPH}\n")
    m = _GRAPH_PAD.search(source, 0, len(source) if end < 0 else end)
    return outer_margin(None if m is None else
                        m.group(1) + ("," + m.group(2) if m.group(2) else ""))


@dataclass(frozen=True)
class KeyContent:
    """What the key of a figure shows, whatever its width: worked out once for its rows."""

    samples: list[tuple[str, dict[str, str | float]]]  # the sample boxes: (text, attributes)
    lines: list[tuple[dict[str, str | float], str, str]]  # see line_entries
    legend: tuple[str, list[tuple[str, str]]]  # see marker_legend


def key_content(scene: Scene, theme: Theme) -> KeyContent:
    """What the key of a figure of ``scene`` shows (see :func:`key_dot`)."""
    words = scene.kind_words()
    samples: list[tuple[str, dict[str, str | float]]] = [
        (words[kind], dict(theme.kinds[kind])) for kind in NODE_KINDS if kind in words]
    for mark in _node_marks(scene):
        base: dict[str, str | float] = {"shape": "box", "style": "filled", "fillcolor": "white"}
        samples.append((f"{mark.sign} {mark.name}", {**base, **with_mark(base, mark.node)}))
    return KeyContent(samples, line_entries(scene, theme),
                      marker_legend(scene, marker_note(scene)))


def _build(scene: Scene, content: KeyContent, room: float, sep: float, wrap_at: int,
           fontsize: float) -> _Rows:
    rows = _Rows(sep)
    _kind_rows(rows, content.samples, room, fontsize)
    _line_rows(rows, content.lines, room, wrap_at, fontsize)
    _marker_row(rows, scene, content.legend, room, fontsize)
    return rows


def _beside(scene: Scene, content: KeyContent, high: float, sep: float, wrap_at: int,
            fontsize: float) -> _Rows:
    """The narrowest key no higher than ``high`` points, or the lowest one.

    Widths are tried from a single column of marker text upwards: the key beside a
    figure takes as many columns as its height needs, and no more.
    """
    column = 18 * fontsize  # about 36 characters
    best: _Rows | None = None
    for ncols in range(1, 9):
        rows = _build(scene, content, ncols * (column + sep), sep, wrap_at, fontsize)
        if rows.height <= high:
            return rows
        if best is None or rows.height < best.height - 1:
            best = rows
    assert best is not None
    return best


@dataclass(frozen=True)
class Key:
    """The key's DOT graph (``text``, "" if the figure has none), and what it was written for.

    ``width``: the figure's width in points that its rows take (None for a key beside
    the figure, as high as it); ``estimated``: that width is an estimate made before
    the figure was laid out (see :func:`key_stands`). ``rows``: the items of each row
    and its height (points, estimated); ``wide``: its widest row's width and ``room``
    the width its rows were given (points).
    """

    text: str
    width: float | None = None
    estimated: bool = False
    rows: tuple[tuple[tuple[str, ...], float], ...] = ()
    wide: float = 0.0
    room: float = 0.0


def key_dot(scene: Scene, theme: Theme, graph: Mapping[str, str], wrap_at: int,
            fontsize: float, *,
            widths: Mapping[str, float] | None = None,
            figure_width: float | None = None, content: KeyContent | None = None) -> Key:
    """The key as a DOT graph of its own, to be drawn under the figure (see :class:`Key`).

    ``graph`` holds the figure's graph attributes (its ``nodesep``, ``pad`` and
    font), ``wrap_at`` and ``fontsize`` the figure's label width and text size.
    The key is laid out in rows, top to bottom, whatever the figure's direction:
    as wide as the figure under it, or (``scene.key_beside``) as narrow as the
    figure's height allows beside it. The figure is ``figure_width`` points wide,
    else ``scene.key_width`` (the width found when the scene was laid out), else as
    wide as estimated from ``widths``, its boxes' widths as drawn (node id -> points).
    ``content``: :func:`key_content`'s, if the caller has it (it is the same at every
    width).
    """
    if content is None:
        content = key_content(scene, theme)
    sep = float(graph.get("nodesep", "0.16")) * _POINTS
    width: float | None = None
    estimated = False
    if scene.key_beside is not None:
        # as high as the figure, less the margin kept above and below it
        rows = _beside(scene, content,
                       scene.key_beside - 2 * outer_margin(graph.get("pad"))[1],
                       sep, wrap_at, fontsize)
        room = 0.0
    else:
        width = figure_width if figure_width is not None else scene.key_width
        if width is None:
            assert widths is not None, "the figure's width or its boxes' widths are needed"
            width, estimated = _figure_width_pt(scene, graph, wrap_at, fontsize, widths), True
        # as wide as the figure, the key's margins and the space round each row included
        room = max(scene.key_room * width - 2 * (_PAD_X + _PACK), 3.5 * _POINTS)
        rows = _build(scene, content, room, sep, wrap_at, fontsize)
    if not rows.count:
        return Key("", width, estimated, room=room)
    shape = tuple((tuple(names), round(high, 2))
                  for (_, names, _), high in zip(rows.rows, rows.heights, strict=True))
    wide = rows.width
    attrs = {k: graph[k] for k in ("fontname", "bgcolor", "nodesep", "outputorder")
             if k in graph}
    attrs["pad"] = "0.04,0.02"  # the figure's own margin is above it
    # each row is a component: stacked in the DOT's order ("i"), one to a row ("1"),
    # 2 pt around each (the engines' left alignment measures a row by its first node)
    attrs.update({"rankdir": "TB", "fontsize": f"{fontsize:g}", "pack": "2",
                  "packmode": "array_i1"})
    node = {**theme.node, "fontsize": f"{fontsize:g}", **theme.overrides.get("node", {})}
    edge = {**theme.edge, **theme.overrides.get("edge", {}), "arrowsize": "0.6"}
    lines = [KEY_GRAPH, *([BESIDE] if scene.key_beside is not None else []),
             f"  graph {_attrs(attrs)}", f"  node {_attrs(node)}", f"  edge {_attrs(edge)}", ""]
    lines += [f"  {line}" for line in rows.finish()]
    return Key("\n".join([*lines, "}"]) + "\n", width, estimated, shape, wide, room)


def key_stands(laid: Key, real: Key) -> bool:
    """Whether the key ``laid``, written for the figure's estimated width, stands for the
    figure as laid out, whose width gives the key ``real``.

    It does when it is the same, or when its rows hold the same items in as many lines
    and it is no wider than the figure's width allows: then the estimate gave the key
    as many columns as the figure's width holds, and only its text columns are a
    little narrower than they could be.
    """
    return laid.text == real.text or (laid.rows == real.rows
                                      and laid.wide <= max(real.room, real.wide) + 0.5)


def _kind_rows(rows: _Rows, samples: list[tuple[str, dict[str, str | float]]], room: float,
               fontsize: float) -> None:
    """The heading, then a sample box of each kind drawn and of each highlight on boxes."""
    # each sample's width inside its outer outlines, which take a ring more each
    widths = [max(0.45 * _POINTS, (text_width_pt(text, fontsize) + 14) * (
        1.45 if attrs.get("shape") in ("hexagon", "octagon") else 1.0))
        for text, attrs in samples]
    rings = [_rings(attrs) for _, attrs in samples]
    heading = text_width_pt("Key", fontsize + 1.5) + 4
    rows.node("kh", {"label": "Key", "shape": "plaintext", "fontsize": f"{fontsize + 1.5:g}",
                     "margin": "0,0", "width": f"{heading / _POINTS:.2f}", "height": "0.2"})
    outer = [w + ring for w, ring in zip(widths, rings, strict=True)]
    for r, cells in enumerate(_balanced(outer, room - heading - rows.sep, rows.sep) or [[]]):
        lead = "kh" if r == 0 else f"ki{r}"  # later rows start under the heading's room
        if r:
            rows.lines.append(f'{lead} [shape=plaintext, label="", height="0.02", '
                              f'width="{heading / _POINTS:.2f}"]')
        for i, width in cells:
            text, attrs = samples[i]
            rows.node(f"k{i}", {**attrs, "label": text, "fontsize": f"{fontsize:g}",
                                "width": f"{(width - rings[i]) / _POINTS:.2f}", "height": "0.2",
                                "margin": "0.04,0.02"})
        rows.row([lead, *(f"k{i}" for i, _ in cells)], [heading, *(w for _, w in cells)],
                 max((_box_height(samples[i][1], fontsize) for i, _ in cells), default=14.4))


def _line_rows(rows: _Rows, entries: list[tuple[dict[str, str | float], str, str]],
               room: float, wrap_at: int, fontsize: float) -> None:
    """A short sample of each kind of line, then what it means, in the lowest arrangement.

    The meanings are wrapped at every width from three label widths down to one, two
    characters at a time, and laid out as a grid or as rows of their own widths:
    whichever takes fewest lines (of those, the widest wrap); each meaning's lines as even
    as they go.
    """
    start = 0.50 * _POINTS  # the sample starts at this node's centre
    gaps = [_sample_gaps(attrs) for attrs, _, _ in entries]
    best: tuple[int, list[list[str]], list[list[tuple[int, float]]]] | None = None
    evens = [_Even(meaning) for _, meaning, _ in entries]
    seen: set[tuple[tuple[str, ...], ...]] = set()
    for chars in range(3 * wrap_at, wrap_at - 1, -2):
        texts = [even(chars) for even in evens]
        wrapped = tuple(tuple(t) for t in texts)
        if wrapped in seen and chars != wrap_at:  # laid out already, at a wider wrap
            continue
        seen.add(wrapped)
        sizes = [start + n * rows.sep + 10 + max(text_width_pt(line, fontsize) for line in t)
                 for n, t in zip(gaps, texts, strict=True)]
        for layout in (_grid(sizes, room, rows.sep), _flow(sizes, room, rows.sep)):
            height = sum(max(len(texts[j]) for j, _ in r) + 1 for r in layout)
            wide = max((sum(w for _, w in r) + rows.sep * (len(r) - 1) for r in layout),
                       default=0.0)
            if wide > room and chars != wrap_at:  # too wide for the key: wrap it narrower
                continue
            if best is None or height < best[0]:
                best = (height, texts, layout)
    if best is None:
        return
    _, texts, layout = best
    for cells in layout:
        names: list[str] = []
        widths: list[float] = []
        for j, width in cells:
            text_w = width - start - gaps[j] * rows.sep
            rows.node(f"ka{j}", {"shape": "plaintext", "label": "",
                                 "width": f"{start / _POINTS:.2f}", "height": "0.15"})
            rows.node(f"kt{j}", {"shape": "plaintext", "label": _left(texts[j]),
                                 "fontsize": f"{fontsize:g}", "width": f"{text_w / _POINTS:.2f}",
                                 "height": "0.15", "margin": "0.05,0.01"})
            rows.edge(f"ka{j}", f"kt{j}", {**entries[j][0], "tailclip": "false",
                                           **({"minlen": str(gaps[j])} if gaps[j] > 1 else {})})
            names += [f"ka{j}", f"kt{j}"]
            widths += [start + (gaps[j] - 1) * rows.sep, text_w]
        rows.row(names, widths, max(len(texts[j]) * fontsize * _LEADING + 1.44
                                    for j, _ in cells), frozenset(range(0, len(names), 2)))


class _Even:
    """A text wrapped in as few lines as at a number of characters, as even as they go: at
    the fewest characters that take no more lines (so no word is left alone on the last
    line where it need not be), found by halving (fewer characters never take fewer
    lines). Each width is wrapped once, however often it is asked."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.wrapped: dict[int, list[str]] = {}

    def at(self, chars: int) -> list[str]:
        if chars not in self.wrapped:
            self.wrapped[chars] = wrap(self.text, chars)
        return self.wrapped[chars]

    def __call__(self, chars: int) -> list[str]:
        count = len(self.at(chars))
        low, high = 1, chars  # the fewest characters that take ``count`` lines: in (low, high]
        while low < high:
            middle = (low + high) // 2
            if len(self.at(middle)) <= count:
                high = middle
            else:
                low = middle + 1
        return self.at(high)


def _marker_row(rows: _Rows, scene: Scene, legend: tuple[str, list[tuple[str, str]]],
                room: float, fontsize: float) -> None:
    """The markers: what their letters mean and where they sit, then each one's text."""
    blocks = _marker_blocks(scene, legend, room, rows.sep, fontsize)
    if not blocks:
        return
    width, height = blocks[0][1], max(len(b) for b, _ in blocks)
    for c, (lines, _) in enumerate(blocks):
        rows.node(f"km{c}", {"shape": "plaintext", "label": _left(lines),
                             "fontsize": f"{fontsize:g}", "labelloc": "t",
                             "width": f"{width / _POINTS:.2f}",
                             "height": f"{(height * fontsize * 1.2 + 4) / _POINTS:.2f}",
                             "margin": "0.02,0.01"})
    rows.row([f"km{c}" for c in range(len(blocks))], [width] * len(blocks),
             height * fontsize * 1.2 + 4)


_LEADING = 1.2  # a line of text, as a share of its size


def _sample_gaps(attrs: Mapping[str, str | float]) -> int:
    """How many of the row's gaps (``nodesep``) a line's sample spans after its node's middle:
    three for a dotted line, whose one dot in six points reads as dotted only over five
    periods or so (as long as the others, it showed three dots, which read as stray marks),
    else one. The engine keeps a flat edge's nodes ``minlen`` gaps apart: the sample is
    longer at its end, and every sample still starts at one left edge."""
    return 3 if "dotted" in str(attrs.get("style", "")) else 1


def _box_height(attrs: Mapping[str, str | float], fontsize: float) -> float:
    """About how high the engine draws a sample box of one line (0.2 in at least)."""
    height = fontsize * _LEADING + 2 * 0.02 * _POINTS
    if attrs.get("shape") in ("hexagon", "octagon"):
        height *= 1.41  # the engine grows a polygon round its label
    height = max(height, 0.2 * _POINTS)
    return height + _rings(attrs)


def _rings(attrs: Mapping[str, str | float]) -> float:
    """How much wider a sample box's outer outlines draw it than its ``width``."""
    return 8.0 * (int(str(attrs.get("peripheries", "1"))) - 1)


def _node_marks(scene: Scene) -> list[Highlight]:
    return [m for m in scene.highlights if m in scene.node_highlight.values()]


def _flow(widths: list[float], room: float, gap: float) -> list[list[tuple[int, float]]]:
    """Items of ``widths`` in rows no wider than ``room``, each as wide as it is.

    Each row lists its items as (index, width).
    """
    out: list[list[tuple[int, float]]] = []
    used = math.inf
    for i, w in enumerate(widths):
        if used + gap + w > room:
            out.append([])
            used = -gap
        out[-1].append((i, w))
        used += gap + w
    return out


def _balanced(widths: list[float], room: float, gap: float) -> list[list[tuple[int, float]]]:
    """Items of ``widths`` in as few rows as :func:`_flow` puts them in, as even as can be.

    The rows are filled to the narrowest width that still takes no more rows than
    filling them to ``room`` does: a row of seven samples and one of a single sample
    become two rows of four.
    """
    flowed = _flow(widths, room, gap)
    if len(flowed) < 2:
        return flowed
    # every row's width is that of a run of items: the narrowest run that still does
    widest = max(widths)
    for limit in sorted({sum(widths[i:j]) + gap * (j - i - 1) for i in range(len(widths))
                         for j in range(i + 1, len(widths) + 1)}):
        if limit >= widest and len(even := _flow(widths, limit + 1e-6, gap)) <= len(flowed):
            return even
    return flowed


def _grid(widths: list[float], room: float, gap: float) -> list[list[tuple[int, float]]]:
    """Items of ``widths`` in a grid no wider than ``room``, as (index, column width) rows.

    As many columns as fit (at least one); a column is as wide as its widest item.
    """
    for ncols in range(len(widths), 0, -1):
        columns = [max(widths[c::ncols]) for c in range(ncols)]
        if sum(columns) + gap * (ncols - 1) <= room or ncols == 1:
            return [[(i, columns[i - r]) for i in range(r, min(r + ncols, len(widths)))]
                    for r in range(0, len(widths), ncols)]
    return []


_LETTER_WORD = re.compile(r"\b([A-Z]) (?=[a-z])")  # a marker's letter and the word it stands for


def tied_legend(line: str) -> str:
    """:func:`marker_legend`'s line with no-break spaces where a wrap must not break it:
    in each place ("beside a link", "or [in a box]") and each letter and its word
    ("E enabler"), so that no place is split and no letter is left at a line's end."""
    places, colon, letters = line.partition(": ")
    for place in (_ON_LINK, f"or {_IN_BOX}", _IN_BOX):  # "or" first: "[in a box]" is in it
        places = places.replace(place, place.replace(" ", "\xa0"))
    return places + colon + _LETTER_WORD.sub("\\1\xa0", letters)


def wrap_legend(line: str, wrap: Callable[[str], list[str]]) -> list[str]:
    """:func:`marker_legend`'s line in lines by ``wrap`` (text to lines), tied as
    :func:`tied_legend` ties it.

    Where it takes more than one line it is broken after its colon first, so that
    where markers sit and what the letters stand for each begin a line ("E enabler"
    is not left alone under "Markers beside a link or [in a box]: A assumption, B
    barrier"), unless that takes more lines than wrapping it whole.
    """
    tied = tied_legend(line)
    whole = wrap(tied)
    places, colon, letters = tied.partition(": ")
    if len(whole) == 1 or not colon:
        return whole
    split = [*wrap(places + ":"), *wrap(letters)]
    return split if len(split) <= len(whole) else whole


def _marker_lines(scene: Scene, width: float, fontsize: float,
                  legend: tuple[str, list[tuple[str, str]]]) -> list[tuple[list[str], int]]:
    """The key's text as entries: (lines, lines of the section it begins, else 0).

    First the scene's own lists (``key_lists``: a heading, then one entry per
    tag), then the markers (``legend``, from :func:`marker_legend`): one line says
    where markers sit and what the letters stand for (only those drawn), then one
    entry per marker: assumptions, barriers, enablers.
    """
    sections: list[list[list[str]]] = []
    for heading, items in scene.key_lists:
        section = []
        for tag, text in items:
            body = wrap_pt(text, width - text_width_pt(f"{tag}  ", fontsize), fontsize)
            section.append([f"{tag}  {body[0]}", *(f"{' ' * (len(tag) + 4)}{b}"
                                                   for b in body[1:])])
        if section:
            section[0] = [*wrap_pt(heading, width, fontsize), *section[0]]
            sections.append(section)
    line, numbered = legend
    if line:
        lead = wrap_legend(line, lambda text: wrap_pt(text, width, fontsize))
        section = []
        for number, label in numbered:
            body = wrap_pt(label, width - text_width_pt("B10  ", fontsize), fontsize)
            section.append([f"{number}  {body[0]}", *(f"      {b}" for b in body[1:])])
        if section:
            section[0] = [*lead, *section[0]]
            sections.append(section)
    out: list[tuple[list[str], int]] = []
    for section in sections:
        size = sum(len(e) for e in section)
        out += [(e, size if k == 0 else 0) for k, e in enumerate(section)]
    return out


def _marker_blocks(scene: Scene, legend: tuple[str, list[tuple[str, str]]], room: float,
                   gap: float, fontsize: float) -> list[tuple[list[str], float]]:
    """The markers' entries in columns: (lines, column width in points) for each column.

    As many columns as the figure's width holds at about 32 characters or more
    each, the entries balanced between them and never split. Each column is as
    wide as the widest line of them all, which is often narrower than the lines
    were wrapped at: they are wrapped wider while the columns still fit.
    """
    best: list[tuple[list[str], float]] = []
    best_height = math.inf
    made: dict[float, list[tuple[list[str], int]]] = {}  # by width: the widest are alike

    def lines(width: float) -> list[tuple[list[str], int]]:
        entries = made.get(width)
        if entries is None:
            entries = made[width] = _marker_lines(scene, width, fontsize, legend)
        return entries

    widest = 45 * fontsize
    for ncols in range(1, 7):
        width = (room - gap * (ncols - 1)) / ncols - 6
        if ncols > 1 and width < 16 * fontsize:  # about 32 characters
            break
        width = min(width, widest)
        entries = lines(width)
        if not entries:
            return []
        blocks = _blocks(entries, ncols, fontsize)
        step = (room - _blocks_width(blocks, gap)) / ncols
        for _ in range(_WIDER):  # wider by the room left, else by half as much...
            if step < 1 or width >= widest:
                break
            more = _blocks(lines(min(width + step, widest)), ncols, fontsize)
            if _blocks_width(more, gap) <= room - 1:
                width, blocks = min(width + step, widest), more
            else:
                step /= 2
        height = max(len(c) for c, _ in blocks)
        if height < best_height:
            best, best_height = blocks, height
    return best


_WIDER = 4  # how many times the markers' lines are tried wrapped wider, at most


def _blocks(entries: list[tuple[list[str], int]], ncols: int, fontsize: float
            ) -> list[tuple[list[str], float]]:
    """``entries`` balanced in ``ncols`` columns or fewer, each as wide as the widest line."""
    columns = [c for c in _balance(entries, ncols) if c]
    text_w = max(text_width_pt(line, fontsize) for c in columns for line in c)
    return [(c, text_w + 6) for c in columns]


def _blocks_width(blocks: list[tuple[list[str], float]], gap: float) -> float:
    return sum(w for _, w in blocks) + gap * (len(blocks) - 1)


def _balance(entries: list[tuple[list[str], int]], ncols: int) -> list[list[str]]:
    """``entries`` in at most ``ncols`` columns, in order, as short as they can be.

    An entry is never split, and a section starts a new column rather than
    leave its heading and first entries at the foot of one.
    """
    total = sum(len(e) for e, _ in entries)
    for height in range(max(len(e) for e, _ in entries), total + 1):
        cols = _columns(entries, height)
        if len(cols) <= ncols:
            return cols
    return _columns(entries, total)


def _columns(entries: list[tuple[list[str], int]], height: int) -> list[list[str]]:
    cols: list[list[str]] = [[]]
    for lines, section in entries:
        full = len(cols[-1]) + len(lines) > height
        orphan = 0 < section <= height and len(cols[-1]) + section > height
        if cols[-1] and (full or orphan):
            cols.append([])
        cols[-1].extend(lines)
    return cols
