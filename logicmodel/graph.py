"""The model as a graph: a light adjacency view for checks, and a networkx view for analysis.

``check`` runs on every commit in pre-commit hooks, where importing networkx
(about 200 ms here) would double its start-up. So the checks work on
:class:`FlowGraph`, plain adjacency dicts with the few linear-time traversals
they need (reachability, Kahn's topological order). networkx is imported only
when a cycle has to be explained, and by :func:`to_networkx` for analysis.

Node order and edge order always follow the YAML file, so every result is
deterministic.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .schema import LogicModel

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["FlowGraph", "find_cycles", "flow_graph", "to_networkx", "topological_order"]


def topological_order(nodes: Iterable[str], succ: dict[str, list[str]]
                      ) -> tuple[list[str], list[str]]:
    """Kahn's algorithm, the one every part of logicmodel uses: ``(order, unplaced)``.

    ``succ`` lists each node's successors, once per link (parallel links are counted
    and released together, so they do not change the order). Ties go to the node
    first in ``nodes``, so the order follows the file. ``unplaced`` are the nodes on
    a cycle or downstream of one, in ``nodes`` order. Linear in the size of the graph.
    """
    nodes = list(nodes)
    indeg = dict.fromkeys(nodes, 0)
    for u in nodes:
        for v in succ[u]:
            indeg[v] += 1
    queue = deque(n for n in nodes if indeg[n] == 0)
    order: list[str] = []
    while queue:
        u = queue.popleft()
        order.append(u)
        for v in succ[u]:
            indeg[v] -= 1
            if indeg[v] == 0:
                queue.append(v)
    placed = set(order)
    return order, [n for n in nodes if n not in placed]


@dataclass
class FlowGraph:
    """Adjacency view of a model's links between known, distinct nodes.

    ``edges`` maps ``(from, to)`` to the index of the first link that draws it.
    ``feedback`` holds the edges marked as deliberate feedback loops.
    ``dangling`` holds known nodes with a link to an unknown id, so that rules
    about loose ends do not repeat what the unknown reference already says.
    """

    nodes: list[str]
    succ: dict[str, list[str]] = field(default_factory=dict)
    pred: dict[str, list[str]] = field(default_factory=dict)
    edges: dict[tuple[str, str], int] = field(default_factory=dict)
    feedback: set[tuple[str, str]] = field(default_factory=set)
    dangling: set[str] = field(default_factory=set)

    def reachable(self, sources: Iterable[str]) -> set[str]:
        """Every node reachable from ``sources`` (included), in one traversal."""
        seen = set(sources)
        queue = deque(seen)
        while queue:
            for v in self.succ[queue.popleft()]:
                if v not in seen:
                    seen.add(v)
                    queue.append(v)
        return seen

    def unordered(self) -> list[str]:
        """Nodes Kahn's algorithm cannot order once feedback links are set aside.

        They sit on an undeclared cycle or downstream of one; none means the
        causal skeleton is acyclic. Linear in the size of the graph.
        """
        causal = {u: [v for v in vs if (u, v) not in self.feedback]
                  for u, vs in self.succ.items()}
        return topological_order(self.nodes, causal)[1]


def flow_graph(model: LogicModel) -> FlowGraph:
    """Build the adjacency view; links with unknown ends or to themselves are left out."""
    ids: list[str] = []
    known: set[str] = set()
    for n in model.nodes:
        if n.id not in known:
            known.add(n.id)
            ids.append(n.id)
    g = FlowGraph(ids, {n: [] for n in ids}, {n: [] for n in ids})
    for i, link in enumerate(model.links):
        u, v = link.source, link.target
        if u not in known or v not in known:
            g.dangling.update(n for n in (u, v) if n in known)
            continue
        if u == v or (u, v) in g.edges:
            continue
        g.edges[(u, v)] = i
        g.succ[u].append(v)
        g.pred[v].append(u)
        if link.feedback:
            g.feedback.add((u, v))
    return g


def find_cycles(g: FlowGraph, on: list[str], *, limit: int = 20) -> list[list[str]]:
    """Up to ``limit`` short cycles among the nodes ``on`` (feedback links set aside).

    Uses networkx's bounded cycle search: cycles are never enumerated without a
    bound, because their number grows exponentially with the model.
    """
    import networkx as nx

    sub = nx.DiGraph()
    members = set(on)
    sub.add_nodes_from(on)
    sub.add_edges_from(
        e for e in g.edges if e[0] in members and e[1] in members and e not in g.feedback
    )
    cycles: list[list[str]] = []
    for component in nx.strongly_connected_components(sub):
        if len(component) < 2:
            continue
        part = sub.subgraph(component)
        try:
            cycle = nx.find_cycle(part)
        except nx.NetworkXNoCycle:  # pragma: no cover - an SCC of 2+ nodes has a cycle
            continue
        cycles.append([u for u, _ in cycle])
        if len(cycles) >= limit:
            break
    order = {n: i for i, n in enumerate(g.nodes)}
    for c in cycles:  # start each cycle at its earliest node in the file
        k = min(range(len(c)), key=lambda i: order[c[i]])
        c[:] = c[k:] + c[:k]
    return sorted(cycles, key=lambda c: order[c[0]])


def to_networkx(model: LogicModel) -> nx.MultiDiGraph:
    """The model as a ``networkx.MultiDiGraph`` for analysis.

    Node attributes: ``kind``, ``stage``, ``label``. Edge attributes: ``key``
    (the link id or its index), ``type``, ``feedback``, ``assumptions``,
    ``moderators``, ``index`` (position in ``links:``). Links whose ends are not
    nodes are left out.
    """
    import networkx as nx

    g = nx.MultiDiGraph(title=model.title)
    layout = model.layout
    for n in model.nodes:
        if n.id not in g:
            g.add_node(n.id, kind=n.kind, stage=layout.stage_of(n), label=n.label)
    for i, link in enumerate(model.links):
        if link.source in g and link.target in g:
            attrs: dict[str, Any] = {
                "type": link.type.value,
                "feedback": link.feedback,
                "assumptions": list(link.assumptions),
                "moderators": list(link.moderators),
                "index": i,
            }
            g.add_edge(link.source, link.target, key=link.id or f"link{i}", **attrs)
    return g
