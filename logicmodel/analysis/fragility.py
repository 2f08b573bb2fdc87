"""Fragility: where a single failure cuts the theory, and what every route relies on.

* **Single points of failure**: a node or link is critical when *every* route
  from the inputs to the impact passes through it. With route counts from one
  pass forward and one backward (:mod:`.routes`), the routes through a node
  ``v`` number ``ways(v) * ahead(v)``; ``v`` is critical exactly when that is
  the total. This is the dominator relation, computed exactly in linear time.
* **Minimum cuts** (networkx max-flow): the fewest links, and the fewest
  intermediate nodes, whose loss cuts every route: how many independent routes
  the theory really has.
* **Assumptions every route depends on**, per outcome: an assumption on which
  every route to the outcome rests (on a link or a node it passes), or a
  condition box (``kind: condition``) every route to it passes through.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..schema import RESULT_KINDS, LogicModel
from .provenance import inferred_elements
from .routes import route_set
from .skeleton import END, START, Skeleton, skeleton

__all__ = ["Fragility", "fragility"]


@dataclass
class Fragility:
    """Single points of failure between the inputs and the impact, and per-outcome reliance."""

    sources: list[str]
    targets: list[str]
    routes: int
    critical_nodes: list[str]
    critical_links: list[str]
    link_cut: list[str] | None
    node_cut: list[str] | None
    outcome_assumptions: list[tuple[str, list[str]]] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)
    chosen: list[str] = field(default_factory=list)
    #: the inferred elements among the critical nodes and links and the cuts
    inferred: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.sources,
            "to": self.targets,
            "routes": self.routes,
            "feedback_links_set_aside": self.feedback,
            "chosen": self.chosen,
            "inferred": self.inferred,
            "critical_nodes": self.critical_nodes,
            "critical_links": self.critical_links,
            "minimum_link_cut": self.link_cut,
            "minimum_node_cut": self.node_cut,
            "assumptions_every_route_needs": [
                {"outcome": o, "assumptions": a} for o, a in self.outcome_assumptions],
        }


def _ways(sk: Skeleton, sources: Iterable[str], blocked_nodes: set[str],
          blocked_links: set[int]) -> dict[str, int]:
    """Routes (zero or more links) from any source to each node, avoiding what is blocked."""
    ways = dict.fromkeys(sk.order, 0)
    for s in sources:
        if s in ways and s not in blocked_nodes:
            ways[s] += 1
    for u in sk.order:
        c = ways[u]
        if not c:
            continue
        for e in sk.out_edges[u]:
            if e.index not in blocked_links and e.target not in blocked_nodes:
                ways[e.target] += c
    return ways


def _cuts(sk: Skeleton, sources: list[str], targets: list[str]
          ) -> tuple[list[str] | None, list[str] | None]:
    """A minimum link cut and a minimum cut of intermediate nodes (None when there is none)."""
    import networkx as nx

    src, snk = ("source",), ("sink",)
    # Links: capacity 1 per link (parallel links add up); the super ends cannot be cut.
    g = nx.DiGraph()
    for e in sk.edges:
        if g.has_edge(e.source, e.target):
            g[e.source][e.target]["capacity"] += 1
            g[e.source][e.target]["links"].append(e.name)
        else:
            g.add_edge(e.source, e.target, capacity=1, links=[e.name])
    g.add_edges_from((src, s) for s in sources)
    g.add_edges_from((t, snk) for t in targets)
    link_cut: list[str] | None = None
    if g.has_node(src) and g.has_node(snk) and nx.has_path(g, src, snk):
        _, (side, _) = nx.minimum_cut(g, src, snk)
        link_cut = sorted(
            (name for u, v, d in g.edges(data=True) if u in side and v not in side
             for name in d.get("links", ())), key=_order(sk))
    # Nodes: split each intermediate node into in/out halves joined by capacity 1.
    ends = set(sources) | set(targets)
    h = nx.DiGraph()
    for n in sk.nodes:
        if n not in ends:
            h.add_edge((n, "in"), (n, "out"), capacity=1)
    for e in sk.edges:
        u = e.source if e.source in ends else (e.source, "out")
        v = e.target if e.target in ends else (e.target, "in")
        h.add_edge(u, v)
    h.add_edges_from((src, s) for s in sources)
    h.add_edges_from((t, snk) for t in targets)
    node_cut: list[str] | None = None
    if h.has_node(src) and h.has_node(snk) and nx.has_path(h, src, snk):
        try:
            _, (side, _) = nx.minimum_cut(h, src, snk)
        except nx.NetworkXUnbounded:  # an input links straight to a target: no node cut
            side = None
        if side is not None:
            order = {n: i for i, n in enumerate(sk.nodes)}
            node_cut = sorted((n for n in sk.nodes if n not in ends
                               and (n, "in") in side and (n, "out") not in side),
                              key=order.__getitem__)
    return link_cut, node_cut


def _order(sk: Skeleton) -> Any:
    index = {e.name: e.index for e in sk.edges}
    return lambda name: index[name]


def fragility(model: LogicModel, source: str = START, target: str = END,
              sk: Skeleton | None = None) -> Fragility:
    """Single points of failure from ``source`` to ``target`` (kinds, stages or ids;
    ``start`` and ``end``: where the model starts and ends, see :meth:`Skeleton.ends`).

    Raises:
        SelectorError: a selector names no node, kind or stage (LM803).
    """
    sk = sk or skeleton(model)
    start, end = sk.ends(source), sk.ends(target)
    sources, targets = start.ids, end.ids
    rs = route_set(sk, sources, targets)
    total = rs.count
    target_set = set(targets)

    def through(v: str) -> int:
        return rs.ways.get(v, {}).get(0, 0) * rs.ahead.get(v, {}).get(0, 0)

    critical_nodes = [v for v in sk.nodes if total and v not in target_set
                      and through(v) == total]
    critical_links = [e.name for e in sk.edges if total and
                      rs.ways.get(e.source, {}).get(0, 0)
                      * rs.ahead.get(e.target, {}).get(0, 0) == total]
    link_cut, node_cut = _cuts(sk, sources, targets) if total else (None, None)
    marked = inferred_elements(model).names
    found = [*critical_nodes, *critical_links, *(link_cut or ()), *(node_cut or ())]
    inferred = [x for x in dict.fromkeys(found) if x in marked]
    return Fragility(sources, targets, total, critical_nodes, critical_links, link_cut,
                     node_cut, _outcome_assumptions(model, sk, sources),
                     [e.name for e in sk.feedback],
                     [c for c in (start.chosen, end.chosen) if c], inferred)


def _outcome_assumptions(model: LogicModel, sk: Skeleton, sources: list[str]
                         ) -> list[tuple[str, list[str]]]:
    carriers: dict[str, tuple[set[str], set[int]]] = {a.id: (set(), set())
                                                     for a in model.assumptions}
    for n in sk.nodes.values():
        for a in n.assumptions:
            if a in carriers:
                carriers[a][0].add(n.id)
    for e in sk.edges:
        for a in sk.link(e).assumptions:
            if a in carriers:
                carriers[a][1].add(e.index)
    # A condition box (a results chain written as conditions) is an assumption that
    # the model draws: the routes through it rely on it holding.
    for n in sk.nodes.values():
        if n.kind == "condition" and n.id not in carriers:
            carriers[n.id] = ({n.id}, set())
    base = _ways(sk, sources, set(), set())
    without = {a: _ways(sk, sources, nodes, links)
               for a, (nodes, links) in carriers.items() if nodes or links}
    out: list[tuple[str, list[str]]] = []
    for n in sk.nodes.values():
        if n.kind not in RESULT_KINDS or not base.get(n.id):
            continue
        needed = [a for a, ways in without.items() if a != n.id and ways.get(n.id, 0) == 0]
        out.append((n.id, needed))
    return out
