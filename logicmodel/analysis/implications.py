"""Testable implications: the conditional independencies a data set could contradict.

The causal skeleton is treated as a DAG (links marked ``feedback`` set aside:
a DAG cannot hold them, and reports say which were dropped). The *measured*
nodes are those with indicators; every other node is latent. For each pair of
measured nodes that no link joins, the theory implies they are independent
given some set of measured nodes if, and only if, a set of measured nodes
d-separates them; networkx finds a *minimal* such set
(``nx.find_minimal_d_separator``, restricted to measured nodes) and each
statement is confirmed with ``nx.is_d_separator``.

Listing every pair repeats itself (a chain of five measured nodes implies six
statements that say one thing), so the readable set is grouped the way a
*basis set* is: for each measured node ``y``, in causal order, one statement
that ``y`` is independent of all the earlier measured nodes it can be separated
from, given one minimal set. When no single set separates them all, the pairs
are listed one by one. Pairs that no measured set separates (a latent common
cause joins them) imply nothing testable and are counted, not listed;
``pairs=True`` lists every pairwise statement instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..schema import LogicModel
from .skeleton import Skeleton, skeleton

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Implication", "Implications", "causal_dag", "implications"]


@dataclass(frozen=True)
class Implication:
    """``x`` is independent of every node in ``ys`` given ``given`` (all measured)."""

    x: str
    ys: tuple[str, ...]
    given: tuple[str, ...]

    def __str__(self) -> str:
        cond = f" | {', '.join(self.given)}" if self.given else ""
        return f"{self.x} _||_ {', '.join(self.ys)}{cond}"

    def to_dict(self) -> dict[str, Any]:
        return {"x": self.x, "independent_of": list(self.ys), "given": list(self.given)}


@dataclass
class Implications:
    """The testable implications of a model's causal skeleton."""

    measured: list[str]
    latent: list[str]
    statements: list[Implication]
    pairs: int
    untestable_pairs: int
    adjacent_pairs: int
    feedback: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "feedback_links_set_aside": self.feedback,
            "measured": self.measured,
            "latent": self.latent,
            "independencies": [s.to_dict() for s in self.statements],
            "independent_pairs": self.pairs,
            "adjacent_pairs": self.adjacent_pairs,
            "pairs_without_testable_implication": self.untestable_pairs,
        }


def causal_dag(model: LogicModel, sk: Skeleton | None = None) -> nx.DiGraph:
    """The skeleton as a ``networkx.DiGraph``, nodes and edges in file order."""
    import networkx as nx

    sk = sk or skeleton(model)
    g = nx.DiGraph()
    g.add_nodes_from(sk.nodes)
    g.add_edges_from((e.source, e.target) for e in sk.edges)
    return g


def implications(model: LogicModel, sk: Skeleton | None = None, *,
                 pairs: bool = False) -> Implications:
    """Conditional independencies among the measured nodes (those with indicators).

    Raises:
        ValueError: the skeleton has a cycle (``check`` reports it as LM201).
    """
    import networkx as nx

    sk = sk or skeleton(model)
    g = causal_dag(model, sk)
    if not nx.is_directed_acyclic_graph(g):
        raise ValueError("the causal skeleton has a cycle")
    measured = {n for n, node in sk.nodes.items() if getattr(node, "indicators", None)}
    position = {n: i for i, n in enumerate(sk.order)}
    ordered = sorted(measured, key=position.__getitem__)
    latent = [n for n in sk.nodes if n not in measured]

    def ranked(nodes: object) -> tuple[str, ...]:
        return tuple(sorted(nodes, key=position.__getitem__))  # type: ignore[call-overload]

    pairwise: list[Implication] = []
    untestable = adjacent = 0
    grouped: list[Implication] = []
    for j, y in enumerate(ordered):
        separable: list[Implication] = []
        for x in ordered[:j]:
            if g.has_edge(x, y) or g.has_edge(y, x):
                adjacent += 1
                continue
            z = nx.find_minimal_d_separator(g, {x}, {y}, restricted=measured - {x, y})
            if z is None:
                untestable += 1
                continue
            assert nx.is_d_separator(g, {x}, {y}, set(z))
            separable.append(Implication(y, (x,), ranked(z)))
        pairwise.extend(separable)
        if not separable:
            continue
        xs = {s.ys[0] for s in separable}
        z = nx.find_minimal_d_separator(g, {y}, xs, restricted=measured - xs - {y})
        if z is None or len(separable) == 1:
            grouped.extend(separable)
        else:
            assert nx.is_d_separator(g, {y}, xs, set(z))
            grouped.append(Implication(y, ranked(xs), ranked(z)))
    return Implications(ordered, latent, pairwise if pairs else grouped, len(pairwise),
                        untestable, adjacent, [e.name for e in sk.feedback])
