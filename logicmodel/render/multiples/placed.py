"""Reading our own DOT text, and the engine's layout of it, back as data."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

_ATTR = re.compile(r'([A-Za-z_]+)=("(?:[^"\\]|\\.)*"|[^,\]\s]+)')
_NODE = re.compile(r"^\s*([a-z]+[0-9]*) (\[.*\])$")  # n0..., h0..., the key's kh, k0...
_EDGE = re.compile(r"^\s*([a-z]+[0-9]*) -> ([a-z]+[0-9]*)(?: (\[.*\]))?$")
_DEFAULTS = re.compile(r"^\s*(graph|node|edge) (\[.*\])$")
_PERIPHERY_GAP = 4.0  # points between a box's borders (Graphviz's GAP)


def _attrs(text: str | None) -> dict[str, str]:
    """``[a="b", c=d]`` as name -> the value as written (quoted values keep their quotes)."""
    return dict(_ATTR.findall(text or ""))


@dataclass
class _Dot:
    """The statements of a DOT text we wrote: defaults, nodes and visible edges."""

    defaults: dict[str, dict[str, str]]
    nodes: dict[str, dict[str, str]]
    edges: list[tuple[str, str, dict[str, str]]]


def _read_dot(text: str) -> _Dot:
    dot = _Dot({}, {}, [])
    for line in text.splitlines():
        m = _DEFAULTS.match(line)
        if m:
            dot.defaults.setdefault(m.group(1), {}).update(_attrs(m.group(2)))
            continue
        m = _EDGE.match(line)
        if m:
            attrs = _attrs(m.group(3))
            if attrs.get("style") != "invis":
                dot.edges.append((m.group(1), m.group(2), attrs))
            continue
        m = _NODE.match(line)
        if m:
            dot.nodes[m.group(1)] = _attrs(m.group(2))
    return dot


@dataclass
class _Placed:
    """Where the engine put each node (centre, size in points) and each edge."""

    nodes: dict[str, tuple[float, float, float, float]]
    edges: dict[tuple[str, str], list[dict[str, str]]]  # (tail, head) -> pos/lp, in order
    bbox: tuple[float, float, float, float]              # of every node and edge drawn


def _read_layout(output: bytes) -> _Placed:
    data = json.loads(output)
    names: dict[int, str] = {}
    nodes: dict[str, tuple[float, float, float, float]] = {}
    outer: dict[str, float] = {}  # how far a node's outer borders stand out of its size
    for obj in data.get("objects", []):
        if "pos" not in obj:
            continue  # a subgraph
        names[obj["_gvid"]] = obj["name"]
        x, y = (float(v) for v in obj["pos"].split(","))
        nodes[obj["name"]] = (x, y, float(obj["width"]) * 72, float(obj["height"]) * 72)
        outer[obj["name"]] = _PERIPHERY_GAP * max(0, int(obj.get("peripheries", "1")) - 1)
    edges: dict[tuple[str, str], list[dict[str, str]]] = {}
    for e in data.get("edges", []):
        if e.get("style") == "invis" or "pos" not in e:
            continue
        where = {k: e[k] for k in ("pos", "lp", "head_lp") if k in e}
        edges.setdefault((names[e["tail"]], names[e["head"]]), []).append(where)
    xs: list[float] = []
    ys: list[float] = []
    for name, (x, y, w, h) in nodes.items():
        if name.startswith("h") or name.startswith("n"):
            # a box drawn at this size (fixedsize) has its outer borders outside it
            w, h = w + 2 * outer[name], h + 2 * outer[name]
            xs += [x - w / 2, x + w / 2]
            ys += [y - h / 2, y + h / 2]
    for runs in edges.values():
        for where in runs:
            for pt in re.findall(r"(-?[0-9.]+),(-?[0-9.]+)", where["pos"] + " " +
                                 where.get("lp", "")):
                xs.append(float(pt[0]))
                ys.append(float(pt[1]))
    bbox = (min(xs, default=0.0), min(ys, default=0.0), max(xs, default=0.0),
            max(ys, default=0.0))
    return _Placed(nodes, edges, bbox)


_POINT = re.compile(r"(-?[0-9]+(?:\.[0-9]+)?),(-?[0-9]+(?:\.[0-9]+)?)")


def _scaled(pos: str, at: Callable[[float, float], tuple[float, float]]) -> str:
    """A ``pos`` or ``lp`` value with every ``x,y`` pair in it mapped by ``at``."""
    def move(m: re.Match[str]) -> str:
        x, y = at(float(m.group(1)), float(m.group(2)))
        return f"{x:.2f},{y:.2f}"
    return _POINT.sub(move, pos)


def _shift(pos: str, dx: float, dy: float) -> str:
    """A ``pos`` or ``lp`` value moved by (dx, dy)."""
    return _scaled(pos, lambda x, y: (x + dx, y + dy))


def _extent(placed: _Placed) -> tuple[float, float, float, float]:
    xs = [v for x, _, w, _ in placed.nodes.values() for v in (x - w / 2, x + w / 2)]
    ys = [v for _, y, _, h in placed.nodes.values() for v in (y - h / 2, y + h / 2)]
    return min(xs), min(ys), max(xs), max(ys)
