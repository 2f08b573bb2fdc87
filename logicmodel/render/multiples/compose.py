"""The page: the base in full, the variants' small panels under it, the key."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..dot import element_titles
from ..shared import APART
from ..text import dot_string
from ..themes import Theme
from ..views import Scene
from .dashes import dashed_pos, under_head
from .drawing import (
    _PANEL_GAP,
    _draw_full,
    _frame,
    _node_order,
    _runs,
    _text_block,
    code_beside,
    dot_header,
    draw_key_at,
    heads,
    inked_heads,
    line_id,
    page_size,
)
from .entries import _Entry, _entry_lines, _text_width, heading_rows
from .panels import Panel, _link_key
from .placed import _Dot, _extent, _Placed, _scaled
from .tags import Rect, polyline
from .union import _Union

_INSET = 3.0       # points between the base's drawing and its frame
_THUMB_ARROW = 0.4  # the arrowheads' size in the variants' panels (readable, if larger)
_TITLE_SIZE = 1.5  # the panel titles' text: the headings' size plus this


@dataclass
class _Figure:
    """One arrangement of the panels: the DOT of the whole figure and its measures."""

    source: str
    width: float
    height: float
    columns: int
    union: _Union
    key_scene: Scene
    titles: dict[str, str]
    entries: Sequence[Sequence[_Entry]] = ()  # each variant's marked changes, listed
    base_height: float = 0.0                  # points: the base's panel, drawn in full
    arrangement: str = "panels"               # or "marked": every variant's marks on one


def _panel_title_size(theme: Theme, scene: Scene) -> float:
    return (theme.compact_fontsize if scene.compact else theme.fontsize) + _TITLE_SIZE


_NODE_KEEP = ("shape", "style", "color", "fillcolor", "fontcolor", "peripheries", "sides",
              "orientation", "distortion", "skew", "penwidth")
_EDGE_KEEP = ("color", "style", "arrowhead", "arrowtail", "dir", "penwidth")


def _quoted_float(value: str | None, default: float) -> float:
    try:
        return float((value or "").strip('"'))
    except ValueError:
        return default


def _compose(ps: list[Panel], dots: list[_Dot], u: _Union, key: _Placed | None,
             key_dot: _Dot | None, columns: int, theme: Theme, title: str,
             key_scene: Scene, entries: Sequence[Sequence[_Entry]], *,
             key_beside: bool = False) -> _Figure:
    """The base's panel in full, each variant's small panel under it, then the key.

    The base is drawn as ``render`` draws the model, with its stage headings. A
    variant's panel is the same layout at a smaller scale: its boxes and lines
    in the same places, unlabelled, except what the variant adds, changes or
    removes, which carries its marker (``+D1``) in type as large as the base's
    and is listed under the panel.
    """
    assert u.placed is not None
    placed = u.placed
    x0, y0, x1, y1 = placed.bbox
    fontsize = theme.compact_fontsize if u.scene.compact else theme.fontsize
    title_size = _panel_title_size(theme, u.scene)
    title_h = title_size * 1.6
    line_h = fontsize * 1.2
    cell_w, draw_h = x1 - x0 + 2 * _INSET, y1 - y0 + 2 * _INSET
    base_h = title_h + draw_h
    small = len(ps) - 1
    t = _thumb_scale(placed, small, columns)
    thumb_w = (x1 - x0) * t + 8
    thumb_draw = (y1 - y0) * t + 14  # room for a double border, which does not shrink
    title_lines = heading_rows(ps[1:], thumb_w - 8, title_size)
    lists = [_entry_lines(es, thumb_w - 12, fontsize) for es in entries]
    rows = math.ceil(small / columns) if small else 0
    row_h, head_hs = [], []
    for r in range(rows):
        members = range(r * columns, min(small, (r + 1) * columns))
        # one height for the titles of a row, so that its drawings line up
        head_hs.append(max(len(title_lines[i]) for i in members) * title_size * 1.25 + 4)
        row_h.append(head_hs[-1] + thumb_draw + max(len(lists[i]) for i in members) * line_h
                     + 8)
    key_w = key_h = 0.0
    if key is not None:
        kx0, ky0, kx1, ky1 = _extent(key)
        key_w, key_h = kx1 - kx0, ky1 - ky0
    width, height = page_size(cell_w, base_h + sum(row_h) + rows * _PANEL_GAP, key_w, key_h,
                              key_beside)
    out = dot_header(title, dots[0].defaults)
    titles: dict[str, str] = {}
    frame = functools.partial(_frame, out)
    text_block = functools.partial(_text_block, out)

    # the base, in full
    p, dot = ps[0], dots[0]
    top = height
    out.append(f"  // panel 1: {p.label}")
    frame("p0f", 0.0, top, cell_w, base_h)
    titles["p0f"] = p.title()
    text_block("p0t", [p.title()], title_size, 6.0, top - 3, cell_w - 12, title_h - 3)
    titles["p0t"] = p.title()
    dx, dy = _INSET - x0, top - title_h - _INSET - y1
    _draw_full(out, titles, p, dot, u, dx, dy)
    # each variant, small, in rows under the base
    base_pw = _quoted_float(dots[0].defaults.get("node", {}).get("penwidth"), 1.0)
    row_top = top - base_h - _PANEL_GAP
    for k, (p, dot) in enumerate(zip(ps[1:], dots[1:], strict=True), start=1):
        r, c = divmod(k - 1, columns)
        if c == 0 and r:
            row_top -= row_h[r - 1] + _PANEL_GAP
        left = c * (thumb_w + _PANEL_GAP)
        head_h = head_hs[r]
        out.append(f"  // panel {k + 1}: {p.label}")
        frame(f"p{k}f", left, row_top, thumb_w, head_h + thumb_draw)
        titles[f"p{k}f"] = p.title()
        text_block(f"p{k}t", title_lines[k - 1], title_size, left + 4, row_top - 2,
                   thumb_w - 8, head_h - 2, from_top=True)
        titles[f"p{k}t"] = p.title()
        ox, oy = left + 4, row_top - head_h - 4  # the drawing's top left corner

        def at(x: float, y: float) -> tuple[float, float]:
            return ox + (x - x0) * t, oy - (y1 - y) * t  # noqa: B023

        own = element_titles(p.scene)
        marked = {e.node: e for e in entries[k - 1] if e.node is not None}
        coded = {e.link: e for e in entries[k - 1] if e.link is not None and e.code}
        drawn_boxes: list[Rect] = []
        drawn_lines: list[list[tuple[float, float]]] = []
        to_tag: list[tuple[_Entry, list[tuple[float, float]]]] = []
        for i, n in _node_order(p):
            uid = u.ids[n.id]
            x, y, wd, ht = placed.nodes[uid]
            src = dot.nodes[f"n{i}"]
            attrs = {a: src[a] for a in _NODE_KEEP if a in src}
            pw = _quoted_float(attrs.get("penwidth"), base_pw)
            attrs["penwidth"] = f'"{max(0.5, 0.7 * pw):.2f}"'
            wd, ht = wd * t, ht * t
            e = marked.get(n.id)
            if e is not None:
                wd = max(wd, _text_width(e.marker, fontsize))
                # as tall as the marker and no taller: a line ends where the box did
                ht = max(ht, fontsize * 1.25)
                attrs.update(label=dot_string(e.marker), fontsize=f'"{fontsize:g}"')
            else:
                attrs["label"] = '""'
            cx, cy = at(x, y)
            drawn_boxes.append(Rect(cx - wd / 2, cy - ht / 2, cx + wd / 2, cy + ht / 2))
            attrs.update(pos=f'"{cx:.2f},{cy:.2f}!"', width=f'"{wd / 72:.3f}"',
                         height=f'"{ht / 72:.3f}"', fixedsize='"true"', margin='"0,0"',
                         id=dot_string(f"{p.id}.{n.id}"))
            out.append(f"  p{k}{uid} [{', '.join(f'{a}={v}' for a, v in attrs.items())}]")
            titles[f"p{k}{uid}"] = f"{own.get(f'n{i}', n.id)}, {p.label}"
        runs = _runs(p, dot, u)
        ids: dict[str, int] = {}
        headless = heads(runs, u)
        inked = inked_heads(runs, u, headless, dot.defaults.get("node", {}).get("color", "black"))
        for j, (lk, (a, b, src), where) in enumerate(runs):
            ua, ub = u.ids[lk.source], u.ids[lk.target]
            attrs = {x: src[x] for x in _EDGE_KEEP if x in src}
            if j in headless:
                attrs["arrowhead"] = '"none"'
                where = {**where, "pos": headless[j]}
            if j in inked:
                attrs["color"] = inked[j]
            pw = _quoted_float(attrs.get("penwidth"), 1.0)
            mark = p.scene.link_highlight.get(id(lk))
            # a removed line is dotted and as thin as a plain one, under the pathways
            thin = mark is not None and mark.quiet
            attrs["penwidth"] = f'"{0.7 if thin else max(0.5, 0.7 * pw):.2f}"'
            attrs["arrowsize"] = f'"{_THUMB_ARROW:g}"'
            route = _scaled(where["pos"], at)
            # a line too short for its pattern at this scale: drawn as its dashes, where
            # its arrowhead leaves them to be seen
            headed = attrs.get("arrowhead", "").strip('"') != "none"
            hidden = under_head(route, _THUMB_ARROW, _quoted_float(attrs["penwidth"], 1.0))
            style, dashed = dashed_pos(attrs.get("style"), route, hidden if headed else 0.0)
            if style is not None:
                attrs["style"] = style
            attrs["pos"] = f'"{dashed}"'
            attrs["id"] = dot_string(line_id(p, lk, ids))
            text = ", ".join(f"{x}={v}" for x, v in attrs.items())
            out.append(f"  p{k}{ua} -> p{k}{ub} [{text}]")
            titles[f"p{k}{ua}->p{k}{ub}"] = f"{own.get(f'{a}->{b}', 'Link')}, {p.label}"
            drawn_lines.append(polyline(route))
            # a link drawn as its pathways' lines side by side: one code, beside its first
            tagged = coded.pop((_link_key(lk), lk.source, lk.target), None)
            if tagged is not None:
                to_tag.append((tagged, drawn_lines[-1]))
        for j, (e, route_line) in enumerate(to_tag):
            # a line's code beside it, where it crosses nothing: + added, Δ changed
            name = f"p{k}c{j}"
            code_id = f"{p.id}.{(e.link[0] if e.link else str(j)).replace('->', '-')}.code"
            out.append(code_beside(name, e.marker, code_id, route_line, fontsize,
                                   drawn_lines, drawn_boxes))
            titles[name] = f"{e.marker}: {e.text}, {p.label}"
        lines = lists[k - 1]
        text_block(f"p{k}l", lines, fontsize, left + 4, row_top - head_h - thumb_draw - 4,
                   thumb_w - 8, len(lines) * line_h)
        titles[f"p{k}l"] = f"Changes in {p.label}"
    if key is not None and key_dot is not None:
        draw_key_at(out, key, key_dot, cell_w, height, key_h, key_beside)
    out.append("}")
    return _Figure("\n".join(out) + "\n", width, height, columns, u, key_scene, titles,
                   entries, base_h)


def thumb_apart(dots: Sequence[_Dot], small: int, columns: int
                ) -> Callable[[_Placed], float]:
    """How near a shared link's lines may end in the union's layout before they join under
    one arrowhead (:mod:`..shared`): as near as in the figure of the model, or in the
    variants' panels, where the arrowheads are drawn larger than the layout's scale,
    as near as their arrowheads make it there."""
    arrow = _quoted_float(dots[0].defaults.get("edge", {}).get("arrowsize"), 0.7)

    def apart(placed: _Placed) -> float:
        t = _thumb_scale(placed, small, columns)
        return max(APART, APART * _THUMB_ARROW / arrow / t) if small else APART
    return apart


def _thumb_scale(placed: _Placed, small: int, columns: int) -> float:
    """The scale of the variants' panels: ``columns`` of them as wide as the base."""
    x0, _, x1, _ = placed.bbox
    if not small:
        return 1.0
    thumb_w = (x1 - x0 + 2 * _INSET - (columns - 1) * _PANEL_GAP) / columns
    return min(0.5, (thumb_w - 8) / (x1 - x0))


def _room_for_markers(u: _Union, entries: Sequence[Sequence[_Entry]], columns: int,
                      fontsize: float, sizes: Mapping[str, tuple[float, float]]
                      ) -> dict[str, tuple[float, float]]:
    """Sizes (inches) that leave each marked box room for its marker in the small panels.

    A marked box too small for its marker at the panels' scale would be drawn
    larger there than the layout made it, so its lines would start inside it,
    across the marker. Such a box is laid out larger, in every panel.
    """
    assert u.placed is not None
    t = _thumb_scale(u.placed, len(entries), columns)
    out: dict[str, tuple[float, float]] = {}
    for es in entries:
        for e in es:
            if e.node is None:
                continue
            _, _, wd, ht = u.placed.nodes[u.ids[e.node]]
            need_w = (_text_width(e.marker, fontsize) + 1) / t * 1.03
            need_h = fontsize * 1.25 / t * 1.03
            if need_w > wd or need_h > ht:
                w0, h0 = out.get(e.node, sizes.get(e.node, (0.0, 0.0)))
                out[e.node] = (max(w0, need_w / 72, wd / 72), max(h0, need_h / 72, ht / 72))
    return out


def _thumb_columns(n: int) -> int:
    """How many small panels of the variants stand side by side: all up to three."""
    return n if n <= 3 else 2 if n == 4 else 3
