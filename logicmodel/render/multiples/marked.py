"""One drawing: the base with every variant's marks on it, each variant's list under it.

The panels draw the base in full and each variant again, smaller. When that
cannot fit the target at a readable size (the flagship's base alone is most of
a page at 7 pt), ``--fit`` may choose this arrangement instead: the union's
layout (every box and line any variant has) drawn once, in full, and

* in each box a variant adds, changes or removes, a last line with that
  variant's codes (``ΔD1  ΔH1  ΔW1``: Darlington, Hillingdon and Wigan each
  change the budget);
* beside each line a variant adds, changes or removes, its codes, where they
  cross no line, box or marker (as in the panels, :mod:`.tags`);
* a box or a line that only a variant has drawn heavier, so that the base's own
  theory can still be read off the drawing;

then, under it, one column per variant listing its changes by code, as under its
panel. Nothing is marked by colour alone: the signs carry it.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ...signs import ADDED, CHANGED, REMOVED
from .. import RenderOptions
from ..dot import line_count, to_dot
from ..engine import Engine
from ..text import dot_string, wrap
from ..themes import Theme
from ..views import Highlight, Scene
from .compose import _INSET, _Figure, _panel_title_size, _thumb_columns
from .drawing import (
    _PANEL_GAP,
    _draw_full,
    _frame,
    _runs,
    _text_block,
    code_beside,
    dot_header,
    draw_key_at,
    page_size,
)
from .entries import (
    _chars,
    _entries,
    _Entry,
    _entry_lines,
    _prefixes,
    _text_width,
    heading_rows,
)
from .legend import _key_scene, _KeyLayouts
from .panels import Panel, _link_key, panels, variant_marks
from .placed import _attrs, _Dot, _extent, _Placed, _read_dot, _shift
from .tags import Rect, polyline
from .union import _lay_out_union, _Union, _union

if TYPE_CHECKING:
    from ...loader import Document

__all__ = ["marked_figures"]

_NODE_LINE = re.compile(r'^(\s*(n[0-9]+) \[label=")((?:[^"\\]|\\.)*)(".*)$')
_EDGE_LINE = re.compile(r"^\s*n[0-9]+ -> n[0-9]+(?: (\[.*\]))?$")


def marked_marks(theme: Theme) -> dict[str, Highlight]:
    """The marks as this drawing draws them: an added box heavier, a line as a panel draws it.

    A box a variant changes or removes is the base's, with the variant's code in it;
    a line a variant adds or changes is heavier, and one it removes dotted and grey,
    as in a variant's panel, with the code beside it. The drawing shows every variant
    at once, so its key says "in a variant" where a panel, which is one variant,
    says "in the variant".
    """
    marks = variant_marks(theme)
    return {
        "added": dataclasses.replace(
            marks["added"], name="Added in a variant",
            link_name=f"Link added in a variant ({ADDED}\u00a0beside it, or in its new box)"),
        "changed": dataclasses.replace(
            marks["changed"], name="Changed in a variant", node={},
            link_name=f"Link changed in a variant ({CHANGED}\u00a0and its number beside it)"),
        "removed": dataclasses.replace(
            marks["removed"], name="Removed in a variant", node={}, quiet=False,
            link_name=f"Link removed in a variant ({REMOVED}\u00a0and its number beside it)"),
    }


# A box a variant changes or removes is drawn as the base's, of its own kind, with the
# variant's code in it: its sample in the key is no kind's, a box in a thin grey outline
# with the sign in it (plain, it would be the Input's sample: a box in black)
_ANY_BOX = {"color": "gray55", "penwidth": "0.8"}


def _sampled(mark: Highlight) -> Highlight:
    """``mark`` as the key samples it: a mark drawn only by its sign in the box, as a box
    of no kind (:data:`_ANY_BOX`), so that it is not taken for one."""
    return mark if mark.node else dataclasses.replace(mark, node=_ANY_BOX)


def _line_marks(entries: Sequence[Sequence[_Entry]], marks: Mapping[str, Highlight]
                ) -> dict[tuple[str, str, str], Highlight]:
    """How each line of the base a variant changes or removes is drawn: changed, if any
    variant changes it (heavier, in its own style), else removed (dotted and grey)."""
    out: dict[tuple[str, str, str], Highlight] = {}
    for es in entries:
        for e in es:
            if e.link is not None and e.sign in (CHANGED, REMOVED) and out.get(
                    e.link) is not marks["changed"]:
                out[e.link] = marks["changed" if e.sign == CHANGED else "removed"]
    return out


def _marked_dot(scene: Scene, theme: Theme, base: Panel,
                entries: Sequence[Sequence[_Entry]], marks: Mapping[str, Highlight], *,
                room: bool = False) -> str:
    """The union drawn once: each box's codes in it, what the base lacks heavier, the
    base's lines a variant changes or removes as :func:`_line_marks` has them.

    With ``room``, a marked line's codes are its label too, so that the engine
    leaves room for them beside it (the drawing puts them in that room itself,
    :func:`_draw_link_codes`: the engine's own place for a label may be on the line).
    """
    node_codes: dict[str, list[str]] = {}
    link_codes: dict[tuple[str, str, str], list[str]] = {}
    for es in entries:
        for e in es:
            if e.node is not None:
                node_codes.setdefault(e.node, []).append(e.marker)
            elif e.link is not None and e.code and room:
                link_codes.setdefault(e.link, []).append(e.marker)
    in_base = {n.id for n in base.scene.nodes}
    base_links = {(_link_key(lk), lk.source, lk.target) for lk in base.scene.links}
    by_dot = {f"n{i}": n.id for i, n in enumerate(scene.nodes)}
    added = marks["added"]
    heavy_node = ", ".join(f"{k}={dot_string(v)}" for k, v in added.node.items())
    line_marks = {k: ", ".join(f"{a}={dot_string(v)}" for a, v in m.edge.items())
                  for k, m in _line_marks(entries, marks).items()}
    heavy_edge = ", ".join(f"{k}={dot_string(v)}" for k, v in added.edge.items())
    out: list[str] = []
    # each link's lines, in the DOT's order: a link on several pathways is one per pathway
    lines_of = iter([(lk, i) for lk in scene.links for i in range(line_count(lk, scene))])
    for line in to_dot(scene, theme, layered=False).splitlines():
        m = _NODE_LINE.match(line)
        if m is not None and m.group(2) in by_dot:
            nid = by_dot[m.group(2)]
            label = m.group(3)
            if nid in node_codes:
                label += "\\n" + dot_string("  ".join(node_codes[nid]))[1:-1]
            rest = m.group(4)
            if nid not in in_base:
                rest = rest.replace("]", f", {heavy_node}]", 1) if rest.endswith("]") else rest
            out.append(m.group(1) + label + rest)
            continue
        em = _EDGE_LINE.match(line)
        if em is not None and _attrs(em.group(1)).get("style") != "invis":
            lk, i = next(lines_of)
            key = (_link_key(lk), lk.source, lk.target)
            codes = " ".join(link_codes.get(key, [])) if i == 0 else ""
            if codes and scene.stage[lk.source] == scene.stage[lk.target] and \
                    "tailport" not in line and scene.direction == "TB":
                # round the near side of the boxes between, where the code has room (the
                # far side is where the stage's lines to the next one leave)
                line = (line.replace(" [", ' [tailport="n", headport="n", ', 1) if em.group(1)
                        else line + ' [tailport="n", headport="n"]')
            if codes and 'label="' in line:
                line = line.replace('label="', f'label="{codes} ', 1)
            elif codes:
                line = (line.replace(" [", f" [label={dot_string(codes)}, ", 1) if em.group(1)
                        else line + f" [label={dot_string(codes)}]")
            drawn = heavy_edge if key not in base_links else line_marks.get(key)
            if drawn:
                line = line[:-1] + f", {drawn}]" if line.endswith("]") else \
                    line + f" [{drawn}]"
        out.append(line)
    return "\n".join(out) + "\n"


def marked_figures(doc: Document, options: RenderOptions, engine: Engine, theme: Theme,
                   places: Sequence[str], spacing: float = 1.0, wider: float = 1.0
                   ) -> list[tuple[_Figure, list[Panel]]]:
    """The base with every variant's marks, once for each place of the key in ``places``.

    ``wider``: the labels' width as a share of the theme's (wider labels, fewer lines:
    a drawing less high, for a page).
    """
    ps = panels(doc, options, spacing=spacing)
    u = _union(ps)
    marks = marked_marks(theme)
    prefixes = _prefixes(ps)
    entries = [_entries(p, prefix, code_removed_links=True)
               for p, prefix in zip(ps[1:], prefixes, strict=True)]
    # the pathways as the panels draw them (numbered as the union numbers them)
    in_union = {id(lk) for lk in u.scene.links}
    faded: set[int] = set()
    for p in ps:
        faded |= {k for k in p.scene.faded_links if k in in_union}
    scene = dataclasses.replace(u.scene, node_highlight={}, link_highlight={}, highlights=[],
                                link_pathways=dict(u.pathways), faded_links=faded)
    if wider != 1.0:
        scene.wrap = round((scene.wrap or (theme.compact_wrap if scene.compact
                                           else theme.wrap)) * wider)
    text = _marked_dot(scene, theme, ps[0], entries, marks)
    drawn = _Union(scene, u.ids, u.headings, u.links)
    _lay_out_union(engine, drawn, theme, {}, options,
                   write=lambda sc: _marked_dot(sc, theme, ps[0], entries, marks,
                                                room=True))
    assert drawn.placed is not None
    # painted as the panels are: what only a variant has over the base's plain lines
    base_links = {(_link_key(lk), lk.source, lk.target) for lk in ps[0].scene.links}
    line_marks = _line_marks(entries, marks)
    whole = Panel("all", ps[0].label, dataclasses.replace(scene, link_highlight={
        id(lk): marks["added"] if link not in base_links else line_marks[link]
        for lk in scene.links
        if (link := (_link_key(lk), lk.source, lk.target)) not in base_links
        or link in line_marks}))
    dot = _read_dot(text)
    # the key found with the panels' marks, then told in this drawing's words
    key_scene = _key_scene(u, ps, variant_marks(theme))
    as_drawn = {variant_marks(theme)[k].name: _sampled(m) for k, m in marks.items()}
    key_scene = dataclasses.replace(
        key_scene, highlights=[as_drawn[m.name] for m in key_scene.highlights],
        node_highlight={k: as_drawn[m.name] for k, m in key_scene.node_highlight.items()},
        link_highlight={k: as_drawn[m.name] for k, m in key_scene.link_highlight.items()})
    x0, y0, x1, y1 = drawn.placed.bbox
    cell_w, draw_h = x1 - x0 + 2 * _INSET, y1 - y0 + 2 * _INSET

    keys = _KeyLayouts(key_scene, theme, engine, options.timeout)
    title = f"{ps[0].scene.model.title}: " + ", ".join(p.label for p in ps)
    out: list[tuple[_Figure, list[Panel]]] = []
    for place in places:
        key = keys.at(place, cell_w, draw_h)  # beside: as high as the drawing
        out.append((_compose_marked(ps, whole, dot, drawn, key, theme, title, key_scene,
                                    entries, place == "beside"), ps))
    return out


def _draw_link_codes(out: list[str], titles: dict[str, str], whole: Panel, dot: _Dot,
                     u: _Union, entries: Sequence[Sequence[_Entry]], fontsize: float,
                     dx: float, dy: float) -> None:
    """Each marked line's codes beside it, where they cross no line, box or marker."""
    assert u.placed is not None
    codes: dict[tuple[str, str, str], list[_Entry]] = {}
    for es in entries:
        for e in es:
            if e.link is not None and e.code:
                codes.setdefault(e.link, []).append(e)
    if not codes:
        return
    boxes = [Rect(x + dx - w / 2, y + dy - h / 2, x + dx + w / 2, y + dy + h / 2)
             for (x, y, w, h) in u.placed.nodes.values()]
    lines: list[list[tuple[float, float]]] = []
    routes: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    for lk, (_, _, attrs), where in _runs(whole, dot, u):
        lines.append(polyline(_shift(where["pos"], dx, dy)))
        routes[(_link_key(lk), lk.source, lk.target)] = lines[-1]
        at = where.get("head_lp") or where.get("lp")
        # the markers the line carries already (padded, on a shared link's lines, or blank)
        label = attrs.get("label", "").strip('"').replace("\\n", " ").strip()
        if at and label:
            x, y = (float(v) for v in at.split(","))
            w, h = _text_width(label, fontsize), fontsize * 1.2
            boxes.append(Rect(x + dx - w / 2, y + dy - h / 2, x + dx + w / 2, y + dy + h / 2))
    for j, (link, es) in enumerate(codes.items()):
        name = f"p0c{j}"
        code_id = f"all.{link[0].replace('->', '-')}.code"
        out.append(code_beside(name, " ".join(e.marker for e in es), code_id, routes[link],
                               fontsize, lines, boxes))
        titles[name] = "; ".join(f"{e.marker}: {e.text}" for e in es)


def _compose_marked(ps: list[Panel], whole: Panel, dot: _Dot, u: _Union,
                    key: tuple[_Dot, _Placed] | None, theme: Theme, title: str,
                    key_scene: Scene, entries: Sequence[Sequence[_Entry]],
                    key_beside: bool) -> _Figure:
    """The drawing in full, the variants' lists in columns under it, then the key."""
    assert u.placed is not None
    x0, y0, x1, y1 = u.placed.bbox
    fontsize = theme.compact_fontsize if u.scene.compact else theme.fontsize
    title_size = _panel_title_size(theme, u.scene)
    line_h = fontsize * 1.2
    heading = "The base, with each variant's changes marked where they are"
    cell_w, draw_h = x1 - x0 + 2 * _INSET, y1 - y0 + 2 * _INSET
    heading_lines = wrap(heading, _chars(cell_w - 12, title_size))
    title_h = len(heading_lines) * title_size * 1.25 + 3
    base_h = title_h + draw_h
    columns = _thumb_columns(len(ps) - 1)
    col_w = (cell_w - (columns - 1) * _PANEL_GAP) / columns
    titles_of = heading_rows(ps[1:], col_w - 2, title_size)
    lists = [_entry_lines(es, col_w - 4, fontsize) for es in entries]
    rows = -(-len(lists) // columns)
    head_hs, row_h = [], []
    for r in range(rows):
        members = range(r * columns, min(len(lists), (r + 1) * columns))
        head_hs.append(max(len(titles_of[i]) for i in members) * title_size * 1.25 + 2)
        row_h.append(head_hs[-1] + max(len(lists[i]) for i in members) * line_h + 4)
    key_w = key_h = 0.0
    if key is not None:
        kx0, ky0, kx1, ky1 = _extent(key[1])
        key_w, key_h = kx1 - kx0, ky1 - ky0
    width, height = page_size(cell_w, base_h + sum(row_h) + rows * _PANEL_GAP, key_w, key_h,
                              key_beside)
    out = dot_header(title, dot.defaults)
    titles: dict[str, str] = {}
    frame = functools.partial(_frame, out)
    text_block = functools.partial(_text_block, out)
    top = height
    out.append("  // the base, with every variant's marks")
    frame("p0f", 0.0, top, cell_w, base_h)
    titles["p0f"] = heading
    text_block("p0t", heading_lines, title_size, 6.0, top - 3, cell_w - 12, title_h - 3)
    titles["p0t"] = heading
    dx, dy = _INSET - x0, top - title_h - _INSET - y1
    _draw_full(out, titles, whole, dot, u, dx, dy)
    _draw_link_codes(out, titles, whole, dot, u, entries, fontsize, dx, dy)
    row_top = top - base_h - _PANEL_GAP
    for k, p in enumerate(ps[1:], start=1):
        r, c = divmod(k - 1, columns)
        if c == 0 and r:
            row_top -= row_h[r - 1] + _PANEL_GAP
        left = c * (col_w + _PANEL_GAP)
        out.append(f"  // changes in {p.label}")
        text_block(f"p{k}t", titles_of[k - 1], title_size, left + 2, row_top, col_w - 2,
                   head_hs[r], from_top=True)
        titles[f"p{k}t"] = p.title()
        lines = lists[k - 1]
        text_block(f"p{k}l", lines, fontsize, left + 2, row_top - head_hs[r], col_w - 2,
                   len(lines) * line_h)
        titles[f"p{k}l"] = f"Changes in {p.label}"
    if key is not None:
        draw_key_at(out, key[1], key[0], cell_w, height, key_h, key_beside)
    out.append("}")
    return _Figure("\n".join(out) + "\n", width, height, columns, u, key_scene, titles,
                   entries, base_h, arrangement="marked")
