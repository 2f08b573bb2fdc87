"""The page: the base in full, the variants' small panels under it, the key."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...schema import Link
from ..dot import element_titles
from ..text import dot_string, wrap
from ..themes import Theme
from ..views import Scene
from .entries import _chars, _Entry, _entry_lines, _text_width
from .legend import _label_lines
from .panels import Panel, _link_key
from .placed import _Dot, _Placed, _scaled, _shift
from .tags import Rect, place_tag, polyline
from .union import _Union

_PANEL_GAP = 14.0  # points between panels
_INSET = 3.0       # points between the base's drawing and its frame
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
    title_lines = [wrap(p.title(), _chars(thumb_w - 8, title_size)) for p in ps[1:]]
    lists = [_entry_lines(es, _chars(thumb_w - 12, fontsize)) for es in entries]
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
    panels_h = base_h + sum(row_h) + rows * _PANEL_GAP
    if key_beside:  # the key in a column right of the panels, its top at theirs
        width = cell_w + (_PANEL_GAP + key_w if key_w else 0)
        height = max(panels_h, key_h)
    else:
        width = max(cell_w, key_w)
        height = panels_h + (key_h + _PANEL_GAP if key_h else 0)
    defaults = dots[0].defaults
    graph = {k: v for k, v in defaults.get("graph", {}).items()
             if k in ("fontname", "bgcolor", "outputorder", "fontsize")}
    graph["pad"] = '"0.04"'  # the panels' frames are the margin: a page's width is for them
    node_defaults = defaults.get("node", {})
    out = [f"digraph {dot_string(title)} {{",
           f"  graph [{', '.join(f'{k}={v}' for k, v in graph.items())}]",
           f"  node [{', '.join(f'{k}={v}' for k, v in node_defaults.items())}]",
           f"  edge [{', '.join(f'{k}={v}' for k, v in defaults.get('edge', {}).items())}]"]
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
    base_pw = _quoted_float(node_defaults.get("penwidth"), 1.0)
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
                   thumb_w - 8, head_h - 2)
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
        for lk, (a, b, src), where in _runs(p, dot, u):
            ua, ub = u.ids[lk.source], u.ids[lk.target]
            attrs = {x: src[x] for x in _EDGE_KEEP if x in src}
            pw = _quoted_float(attrs.get("penwidth"), 1.0)
            mark = p.scene.link_highlight.get(id(lk))
            # a removed line is dotted and as thin as a plain one, under the pathways
            thin = mark is not None and mark.quiet
            attrs["penwidth"] = f'"{0.7 if thin else max(0.5, 0.7 * pw):.2f}"'
            attrs["arrowsize"] = '"0.4"'
            route = _scaled(where["pos"], at)
            attrs["pos"] = f'"{route}"'
            attrs["id"] = dot_string(f"{p.id}.{_link_key(lk).replace('->', '-')}")
            text = ", ".join(f"{x}={v}" for x, v in attrs.items())
            out.append(f"  p{k}{ua} -> p{k}{ub} [{text}]")
            titles[f"p{k}{ua}->p{k}{ub}"] = f"{own.get(f'{a}->{b}', 'Link')}, {p.label}"
            drawn_lines.append(polyline(route))
            tagged = coded.get((_link_key(lk), lk.source, lk.target))
            if tagged is not None:
                to_tag.append((tagged, drawn_lines[-1]))
        for j, (e, route_line) in enumerate(to_tag):
            # a line's code beside it, where it crosses nothing: + added, Δ changed
            tw, th = _text_width(e.marker, fontsize), fontsize * 1.2
            spot = place_tag(route_line, tw, th, drawn_lines, drawn_boxes)
            if spot is None:  # nowhere clear: beside its middle all the same
                mx, my = route_line[len(route_line) // 2]
                spot = Rect(mx + 2, my - th / 2, mx + 2 + tw, my + th / 2)
            drawn_boxes.append(spot)
            name = f"p{k}c{j}"
            code_id = f"{p.id}.{(e.link[0] if e.link else str(j)).replace('->', '-')}.code"
            out.append(f"  {name} [shape=plaintext, label={dot_string(e.marker)}, "
                       f"fontsize=\"{fontsize:g}\", margin=\"0,0\", fixedsize=true, "
                       f"width=\"{tw / 72:.3f}\", height=\"{th / 72:.3f}\", "
                       f"pos=\"{(spot.x0 + spot.x1) / 2:.2f},{(spot.y0 + spot.y1) / 2:.2f}!\", "
                       f"id={dot_string(code_id)}]")
            titles[name] = f"{e.marker}: {e.text}, {p.label}"
        lines = lists[k - 1]
        text_block(f"p{k}l", lines, fontsize, left + 4, row_top - head_h - thumb_draw - 4,
                   thumb_w - 8, len(lines) * line_h)
        titles[f"p{k}l"] = f"Changes in {p.label}"
    if key is not None and key_dot is not None:
        kx0, ky0, kx1, ky1 = _extent(key)
        dx, dy = (cell_w + _PANEL_GAP - kx0, height - ky1) if key_beside else (-kx0, key_h - ky1)
        _draw_key(out, key, key_dot, dx, dy)
    out.append("}")
    return _Figure("\n".join(out) + "\n", width, height, columns, u, key_scene, titles,
                   entries, base_h)


def _frame(out: list[str], name: str, left: float, top: float, w: float, h: float) -> None:
    """A thin frame round a panel, so that the eye knows where each one ends."""
    out.append(f'  {name} [shape=box, style=rounded, label="", color="gray70", '
               f'penwidth=0.6, fixedsize=true, width="{w / 72:.3f}", '
               f'height="{h / 72:.3f}", pos="{left + w / 2:.2f},{top - h / 2:.2f}!"]')


def _text_block(out: list[str], name: str, lines: list[str], size: float, left: float,
                top: float, w: float, h: float) -> None:
    """Left-justified lines of text in a box whose top left corner is (left, top)."""
    out.append(f"  {name} [shape=plaintext, label={_label_lines(lines)}, "
               f"fontsize=\"{size:g}\", margin=\"0,0\", fixedsize=true, "
               f"width=\"{w / 72:.3f}\", height=\"{h / 72:.3f}\", "
               f"pos=\"{left + w / 2:.2f},{top - h / 2:.2f}!\"]")


def _draw_full(out: list[str], titles: dict[str, str], p: Panel, dot: _Dot, u: _Union,
               dx: float, dy: float) -> None:
    """``p`` drawn in full at the union's places moved by (dx, dy), with the stage headings."""
    assert u.placed is not None
    assert u.dot is not None
    placed = u.placed
    heading_of = {v: k for k, v in u.headings.items()}
    own = element_titles(p.scene)
    union_titles = element_titles(u.scene)
    # the headings once, above (or beside) the base: every stage any panel has
    for s, uid in u.headings.items():
        x, y, wd, ht = placed.nodes[uid]
        attrs = dict(u.dot.nodes[uid])
        attrs.update(pos=f'"{x + dx:.2f},{y + dy:.2f}!"', width=f'"{wd / 72:.3f}"',
                     height=f'"{ht / 72:.3f}"', fixedsize='"true"',
                     id=dot_string(f"{p.id}.stage.{s}"))
        out.append(f"  p0{uid} [{', '.join(f'{a}={v}' for a, v in attrs.items())}]")
        titles[f"p0{uid}"] = union_titles.get(uid, heading_of.get(uid, ""))
    for i, n in _node_order(p):
        uid = u.ids[n.id]
        x, y, wd, ht = placed.nodes[uid]
        attrs = dict(dot.nodes[f"n{i}"])
        attrs.update(pos=f'"{x + dx:.2f},{y + dy:.2f}!"', width=f'"{wd / 72:.3f}"',
                     height=f'"{ht / 72:.3f}"', fixedsize='"true"',
                     id=dot_string(f"{p.id}.{n.id}"))
        out.append(f"  p0{uid} [{', '.join(f'{a}={v}' for a, v in attrs.items())}]")
        titles[f"p0{uid}"] = f"{own.get(f'n{i}', n.id)}, {p.label}"
    for lk, (a, b, attrs), where in _runs(p, dot, u):
        ua, ub = u.ids[lk.source], u.ids[lk.target]
        attrs = dict(attrs)
        attrs["pos"] = f'"{_shift(where["pos"], dx, dy)}"'
        attrs["id"] = dot_string(f"{p.id}.{_link_key(lk).replace('->', '-')}")
        if "head_lp" in where and "label" in attrs:
            # a link within a stage: its markers beside the arrow, where the engine put them
            hx, hy = (float(v) for v in where["head_lp"].split(","))
            label = attrs.pop("label")
            color = attrs.pop("fontcolor", '"black"')
            name = f"p0{ua}x{ub}m"
            out.append(f"  {name} [shape=plaintext, label={label}, fontcolor={color}, "
                       f"margin=\"0,0\", width=\"0.01\", height=\"0.01\", "
                       f"pos=\"{hx + dx:.2f},{hy + dy:.2f}!\"]")
            titles[name] = f"{own.get(f'{a}->{b}', 'Link')}, {p.label}"
        elif "lp" in where and "label" in attrs:
            attrs["lp"] = f'"{_shift(where["lp"], dx, dy)}"'
        out.append(f"  p0{ua} -> p0{ub} [{', '.join(f'{x}={v}' for x, v in attrs.items())}]")
        titles[f"p0{ua}->p0{ub}"] = f"{own.get(f'{a}->{b}', 'Link')}, {p.label}"


def _draw_key(out: list[str], key: _Placed, key_dot: _Dot, dx: float, dy: float) -> None:
    """The key's own layout, moved by (dx, dy)."""
    out.append("  // key")
    for name, attrs in key_dot.nodes.items():
        x, y, wd, ht = key.nodes[name]
        attrs = dict(attrs)
        attrs.update(pos=f'"{x + dx:.2f},{y + dy:.2f}!"', width=f'"{wd / 72:.3f}"',
                     height=f'"{ht / 72:.3f}"', fixedsize='"true"')
        out.append(f"  key{name} [{', '.join(f'{a}={v}' for a, v in attrs.items())}]")
    for a, b, attrs in key_dot.edges:
        where = key.edges[(a, b)][0]
        attrs = {**attrs, "pos": f'"{_shift(where["pos"], dx, dy)}"'}
        out.append(f"  key{a} -> key{b} [{', '.join(f'{x}={v}' for x, v in attrs.items())}]")


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


def _runs(p: Panel, dot: _Dot, u: _Union
          ) -> list[tuple[Link, tuple[str, str, dict[str, str]], dict[str, str]]]:
    """Each line of ``p`` with its DOT statement and the union's route for it.

    In the order they are painted: faint lines first, then plain ones, then the
    pathways' and the marked ones, so that no thin line lies across a thick one.
    """
    out = []
    union_index = {key_: i for i, key_ in enumerate(u.links)}
    assert u.placed is not None
    for lk, edge in zip(p.scene.links, dot.edges, strict=True):
        key_ = (_link_key(lk), lk.source, lk.target)
        # which of the union's links between these two boxes this one is
        same = [i for i, kk in enumerate(u.links) if kk[1:] == key_[1:]]
        nth = same.index(union_index[key_])
        runs = u.placed.edges.get((u.ids[lk.source], u.ids[lk.target]), [])
        if nth < len(runs):
            out.append((lk, edge, runs[nth]))
    return sorted(out, key=lambda run: _weight(p, run[0]))


def _weight(p: Panel, lk: Link) -> int:
    """How high a line is painted: faint 0, plain (or removed) 1, a pathway's or marked 2."""
    if id(lk) in p.scene.faded_links:
        return 0
    mark = p.scene.link_highlight.get(id(lk))
    if mark is not None and mark.quiet:
        return 1
    return 2 if p.scene.link_pathways.get(id(lk)) or mark is not None else 1


def _node_order(p: Panel) -> list[tuple[int, Any]]:
    """``p``'s boxes (with their index) in the order to declare them.

    The engine paints lines by their tails, in the order the boxes were
    declared: boxes whose lines out are all faint come first, and among equals
    those whose lines in are, so that thin lines pass under thick ones.
    """
    top = {n.id: (-1, -1) for n in p.scene.nodes}
    for lk in p.scene.links:
        layer = _weight(p, lk)
        if lk.source in top:
            top[lk.source] = (max(top[lk.source][0], layer), top[lk.source][1])
        if lk.target in top:
            top[lk.target] = (top[lk.target][0], max(top[lk.target][1], layer))
    return sorted(enumerate(p.scene.nodes), key=lambda item: top[item[1].id])


def _extent(placed: _Placed) -> tuple[float, float, float, float]:
    xs = [v for x, _, w, _ in placed.nodes.values() for v in (x - w / 2, x + w / 2)]
    ys = [v for _, y, _, h in placed.nodes.values() for v in (y - h / 2, y + h / 2)]
    return min(xs), min(ys), max(xs), max(ys)


def _thumb_columns(n: int) -> int:
    """How many small panels of the variants stand side by side: all up to three."""
    return n if n <= 3 else 2 if n == 4 else 3
