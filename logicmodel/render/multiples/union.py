"""One layout for every panel: the union of their elements, laid out once."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ...schema import Link
from ...variants.order import with_added_placed
from .. import RenderOptions
from ..dot import (
    _joined_heads,
    _joins,
    flat_label,
    line_count,
    marker_label,
    round_side,
    shared_links,
    to_dot,
)
from ..engine import Engine, run_engine
from ..headings import CEILING_LABEL
from ..shared import APART, SharedEnd, shared_ends_placed
from ..text import dot_string, text_width_pt
from ..themes import Theme
from ..views import Highlight, Scene
from .panels import Panel, _link_key
from .placed import _attrs, _Dot, _Placed, _read_dot, _read_layout


@dataclass
class _Union:
    """Every panel's elements in one scene, laid out once."""

    scene: Scene
    ids: dict[str, str]                 # node id -> its DOT id in the union (n0, n1...)
    headings: dict[str, str]            # stage -> DOT id of its heading (h0, h1...)
    links: list[tuple[str, str, str]]   # (link key, source, target), in the union's order
    placed: _Placed | None = None
    dot: _Dot | None = None             # the union's own DOT statements (its stage headings)
    ceiling: tuple[str, str] | None = None  # the DOT ids carrying the ceiling's label
    joined: frozenset[tuple[str, str]] = frozenset()  # lines aimed at one point of a box
    pathways: dict[int, list[int]] = dataclasses.field(default_factory=dict)  # as drawn
    # each link's lines (by its key), in the union's DOT: their pathways' ids, "" for one line
    lines: dict[tuple[str, str, str], list[str]] = dataclasses.field(default_factory=dict)
    # the links whose side-by-side lines meet under one arrowhead (see ..shared)
    shared_ends: tuple[SharedEnd, ...] = ()
    # the sections over the headings, as the union's DOT declares them: a line over
    # several stages is an edge (tail, head), over one a node (name, "")
    sections: list[tuple[str, str, dict[str, str]]] = dataclasses.field(default_factory=list)


def _union(ps: list[Panel]) -> _Union:
    base = ps[0].scene
    order: list[str] = [n.id for n in base.nodes]
    node_of = {n.id: n for n in base.nodes}
    stage = {n.id: base.stage[n.id] for n in base.nodes}
    for p in ps[1:]:
        # a variant's added boxes after the box of their stage they come from (as the
        # figure of that variant draws them), else after the box before them
        order = with_added_placed(order, [n.id for n in p.scene.nodes],
                                  [(lk.source, lk.target) for lk in p.scene.links],
                                  {**p.scene.stage, **stage})
        for n in p.scene.nodes:
            if n.id not in node_of:
                node_of[n.id] = n
                stage[n.id] = p.scene.stage[n.id]
    link_of: dict[tuple[str, str, str], Link] = {}
    sign: dict[tuple[str, str, str], Highlight] = {}
    for p in ps:
        for lk in p.scene.links:
            key = (_link_key(lk), lk.source, lk.target)
            link_of.setdefault(key, lk)
            mark = p.scene.link_highlight.get(id(lk))
            if mark is not None and (key not in sign or sign[key].quiet):
                sign[key] = mark
    # a link's pathways, in the panels that draw them: each panel's pathway numbers are
    # its own, so the union's are those of the base's pathways, then any a variant adds
    drawn_pathways = list(base.pathways)
    number = {pw.id: k for k, pw in enumerate(drawn_pathways)}
    pathways: dict[int, list[int]] = {}
    for p in ps:
        for lk in p.scene.links:
            on = p.scene.link_pathways.get(id(lk))
            if not on or id(lk) in p.scene.faded_links:
                continue
            nos = pathways.setdefault(id(link_of[(_link_key(lk), lk.source, lk.target)]), [])
            for k in on:
                pw = p.scene.pathways[k]
                if pw.id not in number:
                    number[pw.id] = len(drawn_pathways)
                    drawn_pathways.append(pw)
                if number[pw.id] not in nos:
                    nos.append(number[pw.id])
    for nos in pathways.values():
        nos.sort()
    node_sign: dict[str, Highlight] = {}
    for p in ps:
        for nid, mark in p.scene.node_highlight.items():
            if nid not in node_sign or node_sign[nid].quiet:
                node_sign[nid] = mark
    stages: list[str] = []
    for p in ps:
        stages += [s for s in p.scene.stages if s not in stages]
    rank = {s: i for i, s in enumerate(base.model.layout.ids)}
    stages.sort(key=lambda s: rank.get(s, len(rank)))
    nodes = [node_of[i] for i in order]
    links = list(link_of.values())
    scene = dataclasses.replace(
        base, nodes=nodes, stage=stage, stages=stages, links=links, legend=False,
        pathways=drawn_pathways,
        faded_nodes=set().union(*(p.scene.faded_nodes for p in ps)),
        faded_links=set(), link_pathways={}, highlights=[],
        node_highlight=node_sign, link_highlight={id(link_of[k]): m for k, m in sign.items()})
    return _Union(scene, {n.id: f"n{i}" for i, n in enumerate(nodes)},
                  {s: f"h{k}" for k, s in enumerate(stages)}, list(link_of),
                  pathways=pathways)


def _panel_dots(ps: list[Panel], theme: Theme) -> list[_Dot]:
    return [_read_dot(to_dot(p.scene, theme, layered=False)) for p in ps]


def _sizes(engine: Engine, ps: list[Panel], dots: list[_Dot], options: RenderOptions
           ) -> dict[str, tuple[float, float]]:
    """Each node's largest width and height (inches) over the panels: one engine run."""
    lines = ["digraph sizes {"]
    for scope, attrs in dots[0].defaults.items():
        if scope == "node":
            lines.append(f"  node [{', '.join(f'{k}={v}' for k, v in attrs.items())}]")
    owner: dict[str, str] = {}
    for k, (p, dot) in enumerate(zip(ps, dots, strict=True)):
        for i, n in enumerate(p.scene.nodes):
            attrs = dot.nodes[f"n{i}"]
            name = f"m{k}x{i}"
            owner[name] = n.id
            lines.append(f"  {name} [{', '.join(f'{a}={v}' for a, v in attrs.items())}]")
    lines.append("}")
    placed = _read_layout(run_engine(engine, "\n".join(lines) + "\n", "json",
                                     timeout=options.timeout).output)
    out: dict[str, tuple[float, float]] = {}
    for name, nid in owner.items():
        _, _, w, h = placed.nodes[name]
        old = out.get(nid, (0.0, 0.0))
        out[nid] = (max(old[0], w / 72), max(old[1], h / 72))
    return out


def _lay_out_union(engine: Engine, u: _Union, theme: Theme,
                   sizes: Mapping[str, tuple[float, float]], options: RenderOptions,
                   write: Callable[[Scene], str] | None = None,
                   apart: Callable[[_Placed], float] | None = None) -> None:
    """Lay the union out, each box at least as large as its largest version.

    ``write``: the union's DOT as drawn, of its scene, when it is not ``to_dot``.
    A link on several pathways is their lines side by side; where the layout ends
    them too near each other, the union is laid out again with them meeting under
    one arrowhead, as the figure of the model draws them (see :mod:`..shared`).
    ``apart``: how near that is, from the layout (:data:`..shared.APART` unless the
    layout is drawn smaller with its arrowheads less so, as the variants' panels are).
    """
    # the links' pathways as the panels draw them (a link on several, its lines side by side)
    drawn = dataclasses.replace(u.scene, link_pathways={**u.pathways, **u.scene.link_pathways})
    u.lines = {key: _line_pathways(lk, drawn) for key, lk in zip(u.links, drawn.links,
                                                                 strict=True)}
    # with the stages as columns, a link back along a link forward routed apart from it,
    # as the figure of the model routes it (see ..dot.BACK); the panels draw it from that
    # line, turned round (.drawing). With the stages as rows the union's two lines still
    # ran through one gap between two boxes of the stage between, 1.3 pt apart in the
    # pilots' panels at 180 mm (0.1 pt), and the panels' text at 174 mm was 7.0 pt (7.2):
    # there the engine's bundle is kept
    written = write or functools.partial(to_dot, theme=theme, layered=False,
                                         back=u.scene.direction == "LR")
    text = _prepared(u, drawn, written(drawn), theme, sizes)
    u.placed = _read_layout(run_engine(engine, text, "json", timeout=options.timeout).output)
    by_dot = {dot_id: nid for nid, dot_id in u.ids.items()}
    u.shared_ends = shared_ends_placed(u.placed.edges, u.placed.nodes, by_dot,
                                       shared_links(drawn),
                                       apart(u.placed) if apart is not None else APART)
    if u.shared_ends:
        text = _prepared(u, dataclasses.replace(drawn, shared_ends=u.shared_ends),
                         written(dataclasses.replace(drawn, shared_ends=u.shared_ends)),
                         theme, sizes)
        u.placed = _read_layout(run_engine(engine, text, "json",
                                           timeout=options.timeout).output)
    u.dot = _read_dot(text)
    u.sections = _sections(text)
    u.placed.bbox = _with_sections(u.placed, u.sections)
    # the ceiling of accountability's label: a node (stages as columns) or an edge's
    # label (stages as rows), laid out with the rest; its line is drawn with the panels
    first_word = CEILING_LABEL.split()[0]
    label = re.search(r'^\s*(s[0-9]+_[0-9]+)(?: -> (s[0-9]+_[0-9]+))? \[.*label=" *'
                      + first_word + " ", text, flags=re.M)
    u.ceiling = (label.group(1), label.group(2) or "") if label else None


def _prepared(u: _Union, drawn: Scene, text: str, theme: Theme,
              sizes: Mapping[str, tuple[float, float]]) -> str:
    """The union's DOT ``text`` as the engine lays it out: each box as large as its
    largest version, the links' markers given room as render gives them, pathway lines
    into one box aimed at one point (those are kept in ``u.joined``)."""
    by_dot = {dot_id: nid for nid, dot_id in u.ids.items()}

    def sized(m: re.Match[str]) -> str:
        nid = by_dot.get(m.group(2))
        if nid is None or nid not in sizes:
            return m.group(0)
        w, h = sizes[nid]
        return f'{m.group(1)}{m.group(2)} {m.group(3)[:-1]}, width="{w:.3f}", height="{h:.3f}"]'

    text = re.sub(r"^(\s*)(n[0-9]+) (\[.*\])$", sized, text, flags=re.M)

    stage = u.scene.stage
    place: dict[str, int] = {}
    count: dict[str, int] = {}
    for n in u.scene.nodes:
        place[n.id] = count[stage[n.id]] = count.get(stage[n.id], -1) + 1
    fontsize = theme.compact_fontsize if u.scene.compact else theme.fontsize

    def apart(m: re.Match[str]) -> bool:
        a, b = by_dot[m.group(2)], by_dot[m.group(3)]
        return stage[a] == stage[b] and abs(place[a] - place[b]) > 1

    def around(m: re.Match[str]) -> str:
        # boxes apart in a stage: round the far side of the boxes between, as render
        # does (the engine would arch over them, into the markers there)
        if not apart(m) or "tailport" in m.group(0):
            return m.group(0)
        side = round_side(u.scene, by_dot[m.group(2)], by_dot[m.group(3)])
        return f'{m.group(1)}{m.group(4)[:-1]}, tailport="{side}", headport="{side}"]'

    text = re.sub(r"^(\s*(n[0-9]+) -> (n[0-9]+) )(\[.*\])$", around, text, flags=re.M)

    def marked(m: re.Match[str]) -> str:
        if m.group(4) != m.group(4).strip():  # padded already: a shared link's lines
            return m.group(0)
        a, b = by_dot[m.group(2)], by_dot[m.group(3)]
        if stage[a] != stage[b] or apart(m) or "feedback" in m.group(0):
            return padded(m)
        # within a stage: room between the boxes and the markers beside the arrow, as
        # render draws it; the panels put them where the engine put this head label
        attrs = flat_label(m.group(4), u.scene.direction, place[a] < place[b], fontsize)
        return m.group(1) + ", ".join(f"{k}={dot_string(str(v))}" for k, v in attrs.items())

    def padded(m: re.Match[str]) -> str:
        # a link's markers padded as render pads them, so that the engine keeps the
        # lines clear of them; the panels draw the bare markers at the same centre
        return f"{m.group(1)}label={dot_string(marker_label(m.group(4), u.scene.direction))}"

    text = re.sub(r'^(\s*(n[0-9]+) -> (n[0-9]+) \[.*?)label="([^"\\]*)"', marked, text,
                  flags=re.M)
    # pathway lines from different boxes into one box aimed at one point of it, as
    # render aims them (the panels draw one arrowhead there, :func:`.drawing.heads`)
    col = {st: k for k, st in enumerate(u.scene.stages)}
    into = _joined_heads(drawn, col)
    u.joined = frozenset((u.ids[lk.source], u.ids[lk.target]) for lk in drawn.links
                         if lk.target in into and _joins(lk, drawn, col))

    def aimed(m: re.Match[str]) -> str:
        if (m.group(2), m.group(3)) not in u.joined or "samehead" in m.group(0):
            return m.group(0)
        return f'{m.group(1)}{m.group(4)[:-1]}, samehead="pathways"]'

    text = re.sub(r"^(\s*(n[0-9]+) -> (n[0-9]+))$", r"\1 []", text, flags=re.M)
    text = re.sub(r"^(\s*(n[0-9]+) -> (n[0-9]+) )(\[.*\])$", aimed, text, flags=re.M)
    return text


def _line_pathways(lk: Link, scene: Scene) -> list[str]:
    """The pathways of the lines ``lk`` is drawn as, by id ("" for a link drawn as one line)."""
    if line_count(lk, scene) == 1:
        return [""]
    return [scene.pathways[k].id for k in scene.link_pathways[id(lk)]]


_SECTION = re.compile(r"^\s*(s[0-9]+_[0-9]+)(?: -> (s[0-9]+_[0-9]+))? (\[.*\])$", re.M)


def _sections(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """The sections' lines and labels in the union's DOT (see :func:`..headings.heading_rows`).

    Each as (tail, head, attributes) for a line over several stages, (name, "",
    attributes) for one over a single stage; not the rows' invisible points and
    links, nor the ceiling of accountability's label, which is drawn apart.
    """
    out = []
    for m in _SECTION.finditer(text):
        attrs = _attrs(m.group(3))
        if (attrs.get("style") == "invis" or attrs.get("shape") == "point"
                or attrs.get("color") == '"transparent"' or attrs.get("shape") == "plaintext"):
            continue
        out.append((m.group(1), m.group(2) or "", attrs))
    return out


def _with_sections(placed: _Placed, sections: list[tuple[str, str, dict[str, str]]]
                   ) -> tuple[float, float, float, float]:
    """The layout's box, grown to hold the sections' names (a label's place is its centre)."""
    x0, y0, x1, y1 = placed.bbox
    for tail, head, attrs in sections:
        if not head:
            x, y, w, h = placed.nodes[tail]
        else:
            where = placed.edges.get((tail, head), [{}])[0]
            if "lp" not in where:
                continue
            x, y = (float(v) for v in where["lp"].split(","))
            size = float(attrs.get("fontsize", "10").strip('"'))
            lines = attrs.get("label", '""')[1:-1].split("\\n")
            w = max(text_width_pt(line, size) for line in lines)
            h = len(lines) * size * 1.2
        x0, y0 = min(x0, x - w / 2), min(y0, y - h / 2)
        x1, y1 = max(x1, x + w / 2), max(y1, y + h / 2)
    return x0, y0, x1, y1
