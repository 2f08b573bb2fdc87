"""The key under the panels: a DOT graph of its own."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

from ..dot import figure_graph, label_sizes
from ..engine import Engine, run_engine
from ..key import key_content, key_dot
from ..text import dot_string
from ..themes import Theme
from ..views import Highlight, Scene
from .panels import Panel
from .placed import _Dot, _Placed, _read_dot, _read_layout, _shift
from .union import _Union


def _key_scene(u: _Union, ps: list[Panel], marks: Mapping[str, Highlight]) -> Scene:
    """The union scene as the key describes it: every line drawn, every mark used."""
    used = [m for m in marks.values()
            if any(m.name in {x.name for x in (*p.scene.node_highlight.values(),
                                               *p.scene.link_highlight.values())}
                   for p in ps)]
    by_name = {m.name: m for m in marks.values()}
    links = [lk for p in ps for lk in p.scene.links]
    link_pathways: dict[int, list[int]] = {}
    for p in ps:
        link_pathways.update(p.scene.link_pathways)
    return dataclasses.replace(
        u.scene, links=links, link_pathways=link_pathways, highlights=used,
        faded_links=set().union(*(p.scene.faded_links for p in ps)),
        node_highlight={f"{k}:{i}": m for k, p in enumerate(ps)
                        for i, m in enumerate(p.scene.node_highlight.values())},
        link_highlight={k: by_name[m.name] for p in ps
                        for k, m in p.scene.link_highlight.items()})


def _label_lines(lines: list[str]) -> str:
    """Left-justified label text, each line escaped."""
    return '"' + "".join(dot_string(x)[1:-1] + "\\l" for x in lines) + '"'


def _in_their_colour(scene: Scene, theme: Theme) -> Scene:
    """``scene`` with each mark on lines that sets no colour sampled in its lines' colour.

    A panel draws a line it marks heavier in its own style (a pathway's, or a plain
    link's): the key's sample of the mark is in that colour when every line it marks
    has it (a pathway's black), else in a plain link's.
    """
    colours: dict[str, set[str]] = {}
    for k, mark in scene.link_highlight.items():
        nos = scene.link_pathways.get(k, [])
        colours.setdefault(mark.name, set()).update(
            {theme.pathway(scene.style_no(n)).color for n in nos}
            or {scene.plain_link_color(theme)})
    drawn = {m.name: dataclasses.replace(m, edge={"color": colours[m.name].pop(), **m.edge})
             for m in scene.highlights
             if "color" not in m.edge and len(colours.get(m.name, ())) == 1}
    if not drawn:
        return scene
    return dataclasses.replace(
        scene, highlights=[drawn.get(m.name, m) for m in scene.highlights],
        link_highlight={k: drawn.get(m.name, m) for k, m in scene.link_highlight.items()},
        node_highlight={k: drawn.get(m.name, m) for k, m in scene.node_highlight.items()})


class _KeyLayouts:
    """The key of one figure, laid out for each place it may go, as ``render`` draws its key.

    The key is :func:`..key.key_dot`'s (its heading, short samples, as many columns
    as fit, only what the figure uses, the markers explained): ``below``, under the
    panels, as wide as the figure; ``beside``, a column of its own, as narrow as the
    figure's height allows; ``none``: no key (it is in the caption, or left out).
    Its rows are laid out by the engine on their own and drawn at their places.
    """

    def __init__(self, scene: Scene, theme: Theme, engine: Engine, timeout: float) -> None:
        self.scene, self.theme = _in_their_colour(scene, theme), theme
        self.engine, self.timeout = engine, timeout
        # the figure's spacing and font, which the key takes its own from
        self.graph = {k: v.strip('"') for k, v in figure_graph(self.scene, theme).items()}
        self.wrap_at, self.fontsize = label_sizes(self.scene, theme)
        self.content = key_content(self.scene, theme)

    def at(self, place: str, width: float, height: float) -> tuple[_Dot, _Placed] | None:
        """The key's DOT and layout for ``place``, beside or under a figure ``width`` wide
        and ``height`` high (points); None without a key."""
        if place == "none":
            return None
        scene = dataclasses.replace(self.scene, key_width=None,
                                    key_beside=height if place == "beside" else None)
        key = key_dot(scene, self.theme, self.graph, self.wrap_at, self.fontsize,
                      figure_width=width, content=self.content)
        if not key.text:
            return None
        placed = _read_layout(run_engine(self.engine, key.text, "json",
                                         timeout=self.timeout).output)
        return _read_dot(key.text), _left_aligned(key.text, placed)


_ROW = re.compile(r"^\s*\{ rank=same; (.*); \}$", re.M)


def _left_aligned(text: str, key: _Placed) -> _Placed:
    """``key`` with each of its rows moved to one left edge, as the key is meant to be.

    Each row of the key is a component the engine centres on the others, every row
    padded to the widest (see :class:`..key._Rows`); the engine spaces a row's items
    a little wider than the padding allows for, so that rows of many items start a
    few points left of the others. A row's items keep their places along it, its
    sample lines moving with them.
    """
    rows = [m.group(1).split("; ") for m in _ROW.finditer(text)]
    lefts = [min(key.nodes[n][0] - key.nodes[n][2] / 2 for n in row) for row in rows]
    left = min(lefts, default=0.0)
    move = {n: left - x for row, x in zip(rows, lefts, strict=True) for n in row}
    nodes = {n: (x + move.get(n, 0.0), y, w, h) for n, (x, y, w, h) in key.nodes.items()}
    edges = {(a, b): [{k: _shift(v, move.get(a, 0.0), 0.0) for k, v in where.items()}
                      for where in runs]
             for (a, b), runs in key.edges.items()}
    return _Placed(nodes, edges, key.bbox)
