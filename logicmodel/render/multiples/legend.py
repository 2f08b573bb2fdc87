"""The key under the panels: a DOT graph of its own."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Mapping

from ...schema import NODE_KINDS
from ...signs import ADDED, CHANGED, REMOVED
from ..dot import line_entries
from ..engine import Engine, run_engine
from ..key import marker_legend
from ..text import dot_string, wrap
from ..themes import Theme
from ..views import Highlight, Scene
from .panels import Panel
from .placed import _POINT, _Dot, _extent, _Placed, _read_dot, _read_layout, _shift
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


def _sign(fields: list[str]) -> str:
    """The mark of a change the boxes do not show: added, removed or changed."""
    return {"added": ADDED, "removed": REMOVED}.get(fields[0], CHANGED) if fields == fields[:1] \
        else CHANGED


def _marker_lines(mark: str, label: str, width: int) -> list[str]:
    """One marker's entry in the key: its mark, then its text wrapped under the first line."""
    body = wrap(label, width)
    return [f"{mark}  {body[0]}", *(f"      {x}" for x in body[1:])]


def _notes_lines(ps: list[Panel], width: int) -> list[str]:
    lines: list[str] = []
    for p in ps:
        for label, fields in p.notes:
            body = wrap(f"{p.label}, {_sign(fields)} {label}: {', '.join(fields)}", width)
            lines += [body[0], *(f"    {b}" for b in body[1:])]
    if lines:
        lines.insert(0, f"Changes the boxes do not show ({CHANGED})")
    return lines


def _key_dot(scene: Scene, ps: list[Panel], theme: Theme, fontsize: float, width: int,
             room: float | None = None, widths: Mapping[str, float] | None = None) -> str:
    """The key as a DOT graph of its own: sample boxes, sample lines, then its texts.

    Each group (the kinds of box, the marks, the lines, the texts) starts a row;
    with ``room`` (points) and the ``widths`` of a first layout, a group's items
    are spread over as many rows as keep the key no wider than ``room``.
    """
    small = f"{fontsize:g}"
    w = ["digraph key {",
         f"  graph [rankdir=TB, nodesep=0.12, ranksep=0.08, fontname=Arial, fontsize={small}]",
         f"  node [fontname=Arial, fontsize={small}, margin=\"0.08,0.04\", height=0.25, "
         "penwidth=1, color=black, fontcolor=black, fillcolor=white]",
         "  edge [fontname=Arial, arrowsize=0.7, penwidth=1, "
         f"color={dot_string(theme.link_color)}]"]
    kinds: list[list[str]] = []
    for kind in NODE_KINDS:
        if any(n.kind == kind for n in scene.nodes):
            name = f"k{len(kinds)}"
            attrs = {"label": dot_string(scene.model.layout.kind_name(kind)),
                     **{k: dot_string(v) for k, v in theme.kinds[kind].items()}}
            w.append(f"  {name} [{', '.join(f'{k}={v}' for k, v in attrs.items())}]")
            kinds.append([name])
    marks: list[list[str]] = []
    for mark in scene.highlights:
        if mark not in scene.node_highlight.values():
            continue  # on lines only: the line samples show it
        name = f"km{len(marks)}"
        attrs = {"shape": "box", "style": "filled", "fillcolor": "white", **mark.node}
        attrs["label"] = f"{mark.sign} {mark.name}"
        w.append(f"  {name} [{', '.join(f'{k}={dot_string(v)}' for k, v in attrs.items())}]")
        marks.append([name])
    lines: list[list[str]] = []
    for j, (style, meaning, _) in enumerate(line_entries(scene, theme, side_by_side=True)):
        a, b, t = f"ka{j}", f"kb{j}", f"kt{j}"
        w.append(f'  {a} [shape=plaintext, label="", width=0.4, height=0.2]')
        w.append(f'  {b} [shape=plaintext, label="", width=0.4, height=0.2]')
        w.append(f"  {t} [shape=plaintext, margin=\"0.02,0.01\", height=0.2, "
                 f"label={_label_lines(wrap(meaning, 2 * width))}]")
        sample = {**{k: str(v) for k, v in style.items()}, "tailclip": "false",
                  "headclip": "false"}
        w.append(f"  {a} -> {b} [{', '.join(f'{k}={dot_string(v)}' for k, v in sample.items())}]")
        lines.append([a, b, t])
    blocks: dict[str, list[str]] = {}
    # what the markers' letters mean and where they sit, as in every key; then the
    # assumptions, and the barriers and enablers, side by side
    legend, numbered = marker_legend(scene)
    assumptions = [(mark, label) for mark, label in numbered if mark.startswith("A")]
    moderators = numbered[len(assumptions):]
    for name, items in (("kx0", assumptions), ("kx1", moderators)):
        if items:
            blocks[name] = [*([] if blocks else wrap(legend, width + 4)),  # as wide as an entry
                            *(line for mark, label in items
                              for line in _marker_lines(mark, label, width))]
    texts = [[name] for name in blocks]
    rows: list[list[str]] = []
    gap = 0.12 * 72
    for group in (kinds, marks, lines, texts):
        row: list[str] = []
        used = 0.0
        for unit in group:
            wide = sum((widths or {}).get(x, 0.0) for x in unit) + gap * len(unit)
            if row and room is not None and used + wide > room:
                rows.append(row)
                row, used = [], 0.0
            row += unit
            used += wide
        if row:
            rows.append(row)
    for row in rows:
        tallest = max((len(blocks[x]) for x in row if x in blocks), default=0)
        for name in row:
            if name in blocks:  # one height for a row of texts: their tops line up
                block = blocks[name] + [""] * (tallest - len(blocks[name]))
                w.append(f"  {name} [shape=plaintext, margin=\"0.02,0.02\", "
                         f"label={_label_lines(block)}]")
        w.append("  { rank=same; " + "; ".join(row) + "; }")
        w += [f"  {x} -> {y} [style=invis]" for x, y in itertools.pairwise(row)
              if not (x.startswith("ka") and y.startswith("kb"))]
    firsts = [row[0] for row in rows]
    w += [f"  {x} -> {y} [style=invis, weight=10]" for x, y in itertools.pairwise(firsts)]
    w.append("}")
    return "\n".join(w) + "\n"


_ROW = re.compile(r"^\s*\{ rank=same; (.*); \}$", re.M)


def _left_aligned(text: str, key: _Placed) -> _Placed:
    """``key`` with each of its rows moved to one left edge, as the figure's own key has them.

    The engine centres the rows of the key's graph on one another; a row's items
    keep their places along it, and its sample lines move with their ends.
    """
    def lefts(row: list[str]) -> list[float]:
        """Where a row's drawn things start: its boxes and texts, and its sample lines
        (their ends are blank nodes wider than the line between them)."""
        return [*(key.nodes[n][0] - key.nodes[n][2] / 2 for n in row
                  if not n.startswith(("ka", "kb"))),
                *(float(x) for (a, _), runs in key.edges.items() if a in row
                  for where in runs for x, _ in _POINT.findall(where["pos"]))]

    rows = [m.group(1).split("; ") for m in _ROW.finditer(text)]
    left = min(min(lefts(row)) for row in rows)
    move: dict[str, float] = {}
    for row in rows:
        move.update(dict.fromkeys(row, left - min(lefts(row))))
    nodes = {n: (x + move.get(n, 0.0), y, w, h) for n, (x, y, w, h) in key.nodes.items()}
    edges = {(a, b): [{k: _shift(v, move.get(a, 0.0), 0.0) for k, v in where.items()}
                      for where in runs]
             for (a, b), runs in key.edges.items()}
    xs = [float(x) for runs in edges.values() for where in runs
          for x, _ in _POINT.findall(" ".join(where.values()))]
    ys = [float(y) for runs in edges.values() for where in runs
          for _, y in _POINT.findall(" ".join(where.values()))]
    bbox = (min(xs, default=0.0), min(ys, default=0.0), max(xs, default=0.0),
            max(ys, default=0.0))
    return _Placed(nodes, edges, bbox)


class _KeyLayouts:
    """The key of one figure, laid out for each place it may go (its first layout once).

    ``below``: under the panels, in as many rows as keep it no wider than the
    figure; ``beside``: a column of its own, each group's items one under another;
    ``none``: no key (it is in the caption, or left out).
    """

    def __init__(self, scene: Scene, ps: list[Panel], theme: Theme, fontsize: float,
                 wrap_at: int, engine: Engine, timeout: float) -> None:
        self.scene, self.ps, self.theme = scene, ps, theme
        self.fontsize, self.wrap_at = fontsize, wrap_at
        self.engine, self.timeout = engine, timeout
        self._first: tuple[_Dot, _Placed] | None = None

    def _run(self, room: float | None, widths: Mapping[str, float] | None
             ) -> tuple[_Dot, _Placed]:
        text = _key_dot(self.scene, self.ps, self.theme, self.fontsize, self.wrap_at, room,
                        widths)
        placed = _read_layout(run_engine(self.engine, text, "json",
                                         timeout=self.timeout).output)
        return _read_dot(text), _left_aligned(text, placed)

    def at(self, place: str, width: float) -> tuple[_Dot, _Placed] | None:
        """The key's DOT and layout for ``place``, beside or under a figure ``width`` wide."""
        if place == "none":
            return None
        self._first = self._first or self._run(None, None)
        key_dot, key = self._first
        kx0, _, kx1, _ = _extent(key)
        widths = {n: wd for n, (_, _, wd, _) in key.nodes.items()}
        if place == "beside":
            return self._run(1.0, widths)
        if kx1 - kx0 > width:
            room = width
            for _ in range(4):  # the engine spaces a row a little wider than its items
                key_dot, key = self._run(room, widths)
                kx0, _, kx1, _ = _extent(key)
                if kx1 - kx0 <= width + 0.5:
                    break
                room *= width / (kx1 - kx0) * 0.98
        return key_dot, key
