"""Drawing at the union's places: a whole drawing, its frame and texts, the key, the page.

Shared by the panels (:mod:`.compose`) and the one drawing of every variant
(:mod:`.marked`): each writes DOT statements for Graphviz's ``neato -n2`` at
fixed positions.
"""

from __future__ import annotations

import math
from typing import Any

from ...schema import Link
from ..dot import BACK, element_titles, headed_in, line_count
from ..headings import CEILING_COLOR, CEILING_LABEL, bracket_titles, ceiling_at
from ..text import dot_string
from .dashes import dashed_pos, under_head
from .entries import _text_width
from .legend import _label_lines
from .panels import Panel, _link_key
from .placed import _PERIPHERY_GAP, _Dot, _extent, _Placed, _shift
from .tags import Rect, place_tag
from .union import _Union

_PANEL_GAP = 14.0  # points between panels


def page_size(cell_w: float, panels_h: float, key_w: float, key_h: float, beside: bool
              ) -> tuple[float, float]:
    """The page's width and height: the panels, and the key under them or beside them."""
    if beside:  # the key in a column right of the panels, its top at theirs
        return cell_w + (_PANEL_GAP + key_w if key_w else 0), max(panels_h, key_h)
    return max(cell_w, key_w), panels_h + (key_h + _PANEL_GAP if key_h else 0)


def draw_key_at(out: list[str], key: _Placed, key_dot: _Dot, cell_w: float, height: float,
                key_h: float, beside: bool) -> None:
    """The key under the panels (at the page's foot) or beside them (at its top)."""
    kx0, _, _, ky1 = _extent(key)
    dx, dy = (cell_w + _PANEL_GAP - kx0, height - ky1) if beside else (-kx0, key_h - ky1)
    _draw_key(out, key, key_dot, dx, dy)


def dot_header(title: str, defaults: dict[str, dict[str, str]]) -> list[str]:
    """The first lines of a drawing at fixed places: the graph, node and edge defaults
    of the layout read back (the graph's own kept only where they still apply), with
    no padding, since the panels' frames are the margin."""
    graph = {k: v for k, v in defaults.get("graph", {}).items()
             if k in ("fontname", "bgcolor", "outputorder", "fontsize")}
    graph["pad"] = '"0.04"'
    return [f"digraph {dot_string(title)} {{",
            f"  graph [{', '.join(f'{k}={v}' for k, v in graph.items())}]",
            f"  node [{', '.join(f'{k}={v}' for k, v in defaults.get('node', {}).items())}]",
            f"  edge [{', '.join(f'{k}={v}' for k, v in defaults.get('edge', {}).items())}]"]


def code_beside(name: str, text: str, code_id: str, route: list[tuple[float, float]],
                fontsize: float, lines: list[list[tuple[float, float]]],
                boxes: list[Rect]) -> str:
    """A line's code as a DOT node beside ``route``, where it crosses no line or box.

    With nowhere clear, it goes beside the line's middle all the same. Its place is
    added to ``boxes``, so that the next code keeps clear of it.
    """
    w, h = _text_width(text, fontsize), fontsize * 1.2
    spot = place_tag(route, w, h, lines, boxes)
    if spot is None:
        mx, my = route[len(route) // 2]
        spot = Rect(mx + 2, my - h / 2, mx + 2 + w, my + h / 2)
    boxes.append(spot)
    return (f"  {name} [shape=plaintext, label={dot_string(text)}, "
            f"fontsize=\"{fontsize:g}\", margin=\"0,0\", fixedsize=true, "
            f"width=\"{w / 72:.3f}\", height=\"{h / 72:.3f}\", "
            f"pos=\"{(spot.x0 + spot.x1) / 2:.2f},{(spot.y0 + spot.y1) / 2:.2f}!\", "
            f"id={dot_string(code_id)}]")


def _frame(out: list[str], name: str, left: float, top: float, w: float, h: float) -> None:
    """A thin frame round a panel, so that the eye knows where each one ends."""
    out.append(f'  {name} [shape=box, style=rounded, label="", color="gray70", '
               f'penwidth=0.6, fixedsize=true, width="{w / 72:.3f}", '
               f'height="{h / 72:.3f}", pos="{left + w / 2:.2f},{top - h / 2:.2f}!"]')


def _text_block(out: list[str], name: str, lines: list[str], size: float, left: float,
                top: float, w: float, h: float, *, from_top: bool = False) -> None:
    """Left-justified lines of text in a box whose top left corner is (left, top).

    The lines are centred in its height, or with ``from_top`` start at its top (a row
    of headings of different lengths, their first lines level)."""
    at_top = 'labelloc="t", ' if from_top else ""
    out.append(f"  {name} [shape=plaintext, label={_label_lines(lines)}, {at_top}"
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
    _draw_sections(out, titles, u, dx, dy)
    _draw_ceiling(out, titles, u, dx, dy)
    for i, n in _node_order(p):
        uid = u.ids[n.id]
        x, y, wd, ht = placed.nodes[uid]
        attrs = dict(dot.nodes[f"n{i}"])
        attrs.update(pos=f'"{x + dx:.2f},{y + dy:.2f}!"', width=f'"{wd / 72:.3f}"',
                     height=f'"{ht / 72:.3f}"', fixedsize='"true"',
                     id=dot_string(f"{p.id}.{n.id}"))
        out.append(f"  p0{uid} [{', '.join(f'{a}={v}' for a, v in attrs.items())}]")
        titles[f"p0{uid}"] = f"{own.get(f'n{i}', n.id)}, {p.label}"
    runs = _runs(p, dot, u)
    ids: dict[str, int] = {}
    headless = heads(runs, u)
    inked = inked_heads(runs, u, headless, dot.defaults.get("node", {}).get("color", "black"))
    for j, (lk, (a, b, attrs), where) in enumerate(runs):
        ua, ub = u.ids[lk.source], u.ids[lk.target]
        attrs = dict(attrs)
        if j in headless:
            attrs["arrowhead"] = '"none"'
            where = {**where, "pos": headless[j]}
        if j in inked:
            attrs["color"] = inked[j]
        route = _shift(where["pos"], dx, dy)
        hidden = 0.0
        if attrs.get("arrowhead", "").strip('"') != "none":
            edge = dot.defaults.get("edge", {})
            hidden = under_head(route, float(attrs.get("arrowsize", edge.get("arrowsize", "1"))
                                             .strip('"')),
                                float(attrs.get("penwidth", edge.get("penwidth", "1")).strip('"')))
        style, route = dashed_pos(attrs.get("style"), route, hidden)
        if style is not None:
            attrs["style"] = style
        attrs["pos"] = f'"{route}"'
        attrs["id"] = dot_string(line_id(p, lk, ids))
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
    node, edge = key_dot.defaults.get("node", {}), key_dot.defaults.get("edge", {})
    for name, attrs in key_dot.nodes.items():
        x, y, wd, ht = key.nodes[name]
        attrs = {**node, **attrs}  # as the key's own graph draws it
        # the engine sized it with its outer borders; drawn at a fixed size, they are outside
        rings = 2 * _PERIPHERY_GAP * (int(attrs.get("peripheries", "1").strip('"')) - 1)
        wd, ht = wd - rings, ht - rings
        attrs.update(pos=f'"{x + dx:.2f},{y + dy:.2f}!"', width=f'"{wd / 72:.3f}"',
                     height=f'"{ht / 72:.3f}"', fixedsize='"true"')
        out.append(f"  key{name} [{', '.join(f'{a}={v}' for a, v in attrs.items())}]")
    for a, b, attrs in key_dot.edges:
        where = key.edges[(a, b)][0]
        attrs = {**edge, **attrs, "pos": f'"{_shift(where["pos"], dx, dy)}"'}
        out.append(f"  key{a} -> key{b} [{', '.join(f'{x}={v}' for x, v in attrs.items())}]")


def _draw_sections(out: list[str], titles: dict[str, str], u: _Union, dx: float,
                   dy: float) -> None:
    """The sections over the stage headings, as the figure draws them (:mod:`..headings`).

    A section over several stages is its name over a thin line spanning their
    columns (beside it, stages as rows), where the union's layout put them; over
    one stage, its name over a line as wide as the column.
    """
    if u.placed is None or not u.sections:
        return
    placed = u.placed
    named = bracket_titles(u.scene)
    for tail, head, attrs in u.sections:
        if not head:  # over one stage: a node drawn as a line under its name
            x, y, wd, ht = placed.nodes[tail]
            drawn = {**attrs, "pos": f'"{x + dx:.2f},{y + dy:.2f}!"',
                     "width": f'"{wd / 72:.3f}"', "height": f'"{ht / 72:.3f}"',
                     "fixedsize": '"true"', "id": dot_string(f"section.{tail}")}
            out.append(f"  p0{tail} [{', '.join(f'{a}={v}' for a, v in drawn.items())}]")
            titles[f"p0{tail}"] = named.get(tail, "")
            continue
        where = placed.edges.get((tail, head), [{}])[0]
        if "pos" not in where:
            continue
        for name in (tail, head):
            x, y, _, _ = placed.nodes[name]
            out.append(f'  p0{name} [shape=point, style=invis, width="0.01", '
                       f'height="0.01", pos="{x + dx:.2f},{y + dy:.2f}!"]')
        drawn = {k: v for k, v in attrs.items() if k != "weight"}
        drawn["pos"] = f'"{_shift(_across(u, tail, head, where["pos"]), dx, dy)}"'
        if "lp" in where:
            drawn["lp"] = f'"{_shift(where["lp"], dx, dy)}"'
        drawn["id"] = dot_string(f"section.{tail}-{head}")
        out.append(f"  p0{tail} -> p0{head} [{', '.join(f'{a}={v}' for a, v in drawn.items())}]")
        titles[f"p0{tail}->p0{head}"] = named.get(f"{tail}->{head}", "")


def _across(u: _Union, tail: str, head: str, pos: str) -> str:
    """A section's line over several stages (``pos``, from the middle of the first to
    the middle of the last) drawn straight across them instead, from the outer edge of
    the first's boxes and heading to that of the last's, as the figure draws it
    (:func:`..headings.section_lines`)."""
    assert u.placed is not None
    first, last = int(tail.rsplit("_", 1)[1]), int(head.rsplit("_", 1)[1])
    stages = u.scene.stages
    members = [u.headings[s] for s in (stages[first], stages[last]) if s in u.headings]
    members += [u.ids[n.id] for n in u.scene.nodes
                if u.scene.stage[n.id] in (stages[first], stages[last])]
    # (x, y, width, height) of each box, its middle at x, y
    boxes = [u.placed.nodes[m] for m in members if m in u.placed.nodes]
    x, y = (float(v) for v in pos.split()[0].split(",")[-2:])
    if not boxes:
        return pos
    if u.scene.direction == "LR":
        start = min(b[0] - b[2] / 2 for b in boxes)
        end = max(b[0] + b[2] / 2 for b in boxes)
        return f"{start:.2f},{y:.2f} {start:.2f},{y:.2f} {end:.2f},{y:.2f} {end:.2f},{y:.2f}"
    top = max(b[1] + b[3] / 2 for b in boxes)  # the engine's y runs up
    bottom = min(b[1] - b[3] / 2 for b in boxes)
    return f"{x:.2f},{top:.2f} {x:.2f},{top:.2f} {x:.2f},{bottom:.2f} {x:.2f},{bottom:.2f}"


def _draw_ceiling(out: list[str], titles: dict[str, str], u: _Union, dx: float,
                  dy: float) -> None:
    """The ceiling of accountability: its dashed line across the drawing, and its label.

    As the figure draws it (:mod:`..headings`): the line midway between the boxes
    of the stages the programme is accountable for and the first stage above them,
    the label where the engine left room for it.
    """
    first = ceiling_at(u.scene)
    if first is None or u.ceiling is None or u.placed is None or u.dot is None:
        return
    placed = u.placed
    across = u.scene.direction == "LR"
    size = float(next(iter(u.dot.nodes[h] for h in u.headings.values())).get(
        "fontsize", "10").strip('"'))
    node, head = u.ceiling
    # the label where the engine left room for it: a node over the first column above
    # the ceiling (columns), or the label of an edge between two rows' points (rows)
    where = placed.edges.get((node, head), [{}])[0] if head else {}
    if head and "lp" in where:
        lx, ly = (float(v) for v in where["lp"].split(","))
        text, lw = "Ceiling of\\naccountability", 0.0
    elif not head and node in placed.nodes:
        lx, ly, lw, _ = placed.nodes[node]
        text = "Ceiling of\\laccountability\\l"
    else:
        return
    lh = 2 * size * 1.2 + 3
    before: list[tuple[float, float, float, float]] = []
    after: list[tuple[float, float, float, float]] = [(lx, ly, lw, lh)]
    for n in u.scene.nodes:
        (before if u.scene.stages.index(u.scene.stage[n.id]) < first else after).append(
            placed.nodes[u.ids[n.id]])
    # midway between the boxes below the ceiling and the first thing above it, as the
    # figure draws it (the engine's y runs up: a later stage is lower or further right)
    if across:
        near = max(x + w / 2 for x, _, w, _ in before)
        at = (near + min(x - w / 2 for x, _, w, _ in after if x - w / 2 > near)) / 2
    else:
        near = min(y - h / 2 for _, y, _, h in before)
        at = (near + max(y + h / 2 for _, y, _, h in after if y + h / 2 < near)) / 2
    x0, y0, x1, y1 = placed.bbox
    ends = ((at, y0), (at, y1)) if across else ((x0, at), (x1, at))
    (ax, ay), (bx, by) = ((px + dx, py + dy) for px, py in ends)
    for name, (px, py) in (("p0ca", (ax, ay)), ("p0cb", (bx, by))):
        out.append(f'  {name} [shape=point, style=invis, width="0.01", height="0.01", '
                   f'pos="{px:.2f},{py:.2f}!"]')
    route = " ".join(f"{ax + (bx - ax) * t:.2f},{ay + (by - ay) * t:.2f}"
                     for t in (0.0, 1 / 3, 2 / 3, 1.0))
    out.append(f'  p0ca -> p0cb [style=dashed, color="{CEILING_COLOR}", dir=none, '
               f'pos="{route}", id="ceiling"]')
    titles["p0ca->p0cb"] = CEILING_LABEL
    out.append(f'  p0cl [shape=plaintext, label="{text}", fontsize="{size:g}", '
               f'margin="0.02,0.02", pos="{lx + dx:.2f},{ly + dy:.2f}!", '
               f'id="ceiling.label"]')
    titles["p0cl"] = CEILING_LABEL


def _runs(p: Panel, dot: _Dot, u: _Union
          ) -> list[tuple[Link, tuple[str, str, dict[str, str]], dict[str, str]]]:
    """Each line of ``p`` with its DOT statement and the union's route for it.

    A link on several pathways is their lines side by side, as the figure of the
    model draws it (:func:`..dot.line_count`), each at the route the union's layout
    gave its pathway's line. In the order they are painted: faint lines first, then
    plain ones, then the pathways' and the marked ones, so that no thin line lies
    across a thick one.
    """
    assert u.placed is not None
    out = []
    # where each link's lines start among the union's lines between its two boxes
    first: dict[tuple[str, str, str], int] = {}
    count: dict[tuple[str, str], int] = {}
    for kk in u.links:
        first[kk] = count.get(kk[1:], 0)
        count[kk[1:]] = first[kk] + len(u.lines.get(kk, [""]))
    assert u.dot is not None
    # the links back the union writes the forward way and draws back (see ..dot.BACK):
    # (tail, head) as the link runs -> its place among the union's lines the other way
    back: dict[tuple[str, str], int] = {}
    seen: dict[tuple[str, str], int] = {}
    for tail, head, attrs in u.dot.edges:
        if attrs.get("class") == f'"{BACK}"':
            back[head, tail] = seen.get((tail, head), 0)
        seen[tail, head] = seen.get((tail, head), 0) + 1
    edges = iter(dot.edges)
    for lk in p.scene.links:
        key_ = (_link_key(lk), lk.source, lk.target)
        lines = [next(edges) for _ in range(line_count(lk, p.scene))]
        union_lines = u.lines.get(key_, [""])
        both = u.ids[lk.source], u.ids[lk.target]
        runs = u.placed.edges.get(both, [])
        start = first[key_]
        if both in back:  # its one line, laid out the other way, turned round
            runs, start = [{**where, "pos": turned(where["pos"])} for where in
                           u.placed.edges.get(both[::-1], [])[back[both]:][:1]], 0
        on = p.scene.link_pathways.get(id(lk), [])
        for i, edge in enumerate(lines):
            # the union's line of this line's pathway (a link one panel draws on fewer
            # pathways than another keeps its lines where the union has them)
            pid = p.scene.pathways[on[i]].id if len(lines) > 1 or len(on) == 1 else ""
            nth = start + (union_lines.index(pid) if pid in union_lines else min(
                i, len(union_lines) - 1))
            if nth < len(runs):
                where = runs[nth]
                if len(lines) == 1 and _past_empty_places(p, u, lk):
                    where = {**where, "pos": _straight(u.placed, u.ids[lk.source],
                                                       u.ids[lk.target], where["pos"])}
                out.append((lk, edge, where))
    return sorted(out, key=lambda run: _weight(p, run[0]))


def turned(pos: str) -> str:
    """A route laid out from its head to its tail, with its arrowhead at the tail
    (``dir=back``), as a route from its tail to its head, with its arrowhead there."""
    points = pos.split()
    ends = [p for p in points if p.startswith(("s,", "e,"))]
    route = [p for p in points if not p.startswith(("s,", "e,"))][::-1]
    swap = {"s": "e", "e": "s"}
    return " ".join([f"{swap[p[0]]},{p[2:]}" for p in ends] + route)


def _past_empty_places(p: Panel, u: _Union, lk: Link) -> bool:
    """Whether ``lk`` joins boxes of one stage with only places ``p`` leaves empty between
    them: boxes other panels have, which the union's route goes round."""
    stage = u.scene.stage
    if lk.feedback or stage[lk.source] != stage[lk.target]:
        return False
    row = [n.id for n in u.scene.nodes if stage[n.id] == stage[lk.source]]
    a, b = sorted((row.index(lk.source), row.index(lk.target)))
    shown = {n.id for n in p.scene.nodes}
    between = row[a + 1:b]
    return bool(between) and not shown.intersection(between)


def _straight(placed: _Placed, tail: str, head: str, route: str) -> str:
    """A straight route from box ``tail``'s edge to box ``head``'s, its arrow as long as
    ``route``'s (a ``pos`` value: ``e,x,y`` and the spline's points)."""
    (tx, ty, tw, th), (hx, hy, hw, hh) = placed.nodes[tail], placed.nodes[head]
    dx, dy = hx - tx, hy - ty
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length

    def out_of(w: float, h: float) -> float:  # from a box's middle to its edge, along (ux, uy)
        return min(w / 2 / abs(ux) if ux else math.inf, h / 2 / abs(uy) if uy else math.inf)

    start = (tx + ux * out_of(tw, th), ty + uy * out_of(tw, th))
    tip = (hx - ux * out_of(hw, hh), hy - uy * out_of(hw, hh))
    points = [tuple(float(v) for v in part.removeprefix("e,").split(","))
              for part in route.split() if not part.startswith("s,")]
    arrow = 0.0
    if route.startswith("e,") and len(points) > 1:
        arrow = math.dist(points[0], points[-1])
    end = (tip[0] - ux * arrow, tip[1] - uy * arrow)
    spline = [(start[0] + (end[0] - start[0]) * k / 3, start[1] + (end[1] - start[1]) * k / 3)
              for k in range(4)]
    body = " ".join(f"{x:.2f},{y:.2f}" for x, y in spline)
    return f"e,{tip[0]:.2f},{tip[1]:.2f} {body}" if arrow else body


def line_id(p: Panel, lk: Link, seen: dict[str, int]) -> str:
    """The SVG id of the next of ``lk``'s lines in panel ``p``: ``base.L05``, then
    ``base.L05.2``... for the lines of a link drawn side by side (counted in ``seen``)."""
    name = f"{p.id}.{_link_key(lk).replace('->', '-')}"
    seen[name] = seen.get(name, 0) + 1
    return name if seen[name] == 1 else f"{name}.{seen[name]}"


def heads(runs: list[tuple[Link, tuple[str, str, dict[str, str]], dict[str, str]]],
          u: _Union) -> dict[int, str]:
    """Which of ``runs`` (in painting order) end without an arrowhead, and their routes so.

    Pathway lines from different boxes into one box end at one point of it (the
    union's layout aims them there): the last line painted into the box has the
    arrowhead, the others end under it, as :func:`..dot.to_dot` draws them (run on
    to the point, :func:`to_tip`). So do a shared link's side-by-side lines that the
    layout ended too near each other (:mod:`..shared`): the one the union's layout
    chose has the arrowhead, the others end at its tip, where the layout cut them for
    an arrowhead too small to see (:func:`..dot._under_the_tip`).
    """
    assert u.placed is not None
    last: dict[str, int] = {}
    for j, (lk, _, _) in enumerate(runs):
        if (u.ids[lk.source], u.ids[lk.target]) in u.joined:
            last[lk.target] = j
    headed = {(source, target): head for source, target, head in u.shared_ends}
    out = {}
    for j, (lk, _, where) in enumerate(runs):
        both = u.ids[lk.source], u.ids[lk.target]
        if both in u.joined and last[lk.target] != j:
            out[j] = to_tip(where["pos"])
        elif (lk.source, lk.target) in headed:
            lines = u.placed.edges.get(both, [])
            nth = next((i for i, w in enumerate(lines) if w is where), -1)
            if nth != headed[lk.source, lk.target]:
                out[j] = where["pos"].split(" ", 1)[1] if where["pos"].startswith("e,") \
                    else where["pos"]
    return out


def inked_heads(runs: list[tuple[Link, tuple[str, str, dict[str, str]], dict[str, str]]],
                u: _Union, headless: dict[int, str], ink: str) -> dict[int, str]:
    """The colour of each of ``runs`` that has the one arrowhead lines of other colours
    end under: its own, the arrowhead in ``ink`` (the boxes' outline), as
    :func:`..dot.headed_in` has it."""
    headed = {(source, target) for source, target, _ in u.shared_ends}
    meeting: dict[object, list[int]] = {}
    for j, (lk, _, _) in enumerate(runs):
        both = u.ids[lk.source], u.ids[lk.target]
        if both in u.joined:
            meeting.setdefault(lk.target, []).append(j)
        elif (lk.source, lk.target) in headed:
            meeting.setdefault(both, []).append(j)
    ink = ink.strip('"')
    out = {}
    for js in meeting.values():
        colors = {runs[j][1][2].get("color", "").strip('"') for j in js}
        if len(colors) > 1:
            for j in js:
                if j not in headless:
                    own = runs[j][1][2].get("color", "").strip('"')
                    out[j] = f'"{headed_in(own, ink)}"'
    return out


def to_tip(pos: str) -> str:
    """A route laid out to end under an arrowhead, run on to the arrowhead's tip instead.

    For a line drawn without its arrowhead (another line's is over it): its route
    stops where the arrowhead would begin, short of the box.
    """
    if not pos.startswith("e,"):
        return pos
    tip, _, rest = pos[2:].partition(" ")
    last = rest.split()[-1]
    return f"{rest} {last} {tip} {tip}"


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
