"""Testable implications: the conditional independencies a data set could contradict.

The causal skeleton is treated as a DAG (links marked ``feedback`` set aside:
a DAG cannot hold them, and reports say which were dropped). The *measured*
nodes are those with indicators; every other node is latent. For each pair of
measured nodes that no link joins, the theory implies they are independent
given some set of measured nodes if, and only if, a set of measured nodes
d-separates them. A *minimal* such set is found by walking the moral graph of
their ancestors (:class:`_Separation`, linear time per question; the tests check
it against networkx's ``find_minimal_d_separator``), and every statement
reported is confirmed with networkx's ``nx.is_d_separator``.

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

from collections.abc import Iterable
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


class _Separation:
    """d-separation by measured nodes, on bitmasks: one linear walk per question.

    If any set of measured nodes d-separates two sets of nodes, the measured
    ancestors of the two do; and a set d-separates them exactly when it separates
    them in the moral graph of their ancestors. :meth:`separable` asks whether
    ``x`` reaches ``y`` in that moral graph through latent nodes only;
    :meth:`minimal` finds a minimal separating set of measured nodes (Tian, Paz
    and Pearl 1998: keep the measured ancestors reachable from one side, then
    those of them reachable from the other). Ancestor sets are integer bitmasks
    computed once in topological order.
    """

    def __init__(self, sk: Skeleton, measured: set[str]) -> None:
        self.names = list(sk.order)
        self.bit = {n: 1 << i for i, n in enumerate(sk.order)}
        self.parents = {n: [e.source for e in sk.in_edges[n]] for n in sk.order}
        self.children = {n: [e.target for e in sk.out_edges[n]] for n in sk.order}
        self.ancestors: dict[str, int] = {}
        for n in sk.order:
            mask = 0
            for p in self.parents[n]:
                mask |= self.ancestors[p] | self.bit[p]
            self.ancestors[n] = mask
        self.measured = 0
        for n in measured:
            self.measured |= self.bit[n]

    def _mask(self, nodes: Iterable[str]) -> int:
        mask = 0
        for n in nodes:
            mask |= self.bit[n]
        return mask

    def _walk(self, starts: Iterable[str], area: int, stop: int, goal: int) -> tuple[bool, int]:
        """Walk the moral graph of the ancestral ``area`` from ``starts``, not through
        ``stop`` nodes: (whether a ``goal`` node was reached, the ``stop`` nodes reached)."""
        bit = self.bit
        seen = self._mask(starts)
        stack = list(starts)
        reached = 0
        while stack:
            u = stack.pop()
            near = list(self.parents[u])
            for c in self.children[u]:
                if area & bit[c]:
                    near.append(c)
                    near.extend(self.parents[c])  # married parents of a common child
            for w in near:
                b = bit[w]
                if seen & b:
                    continue
                seen |= b
                if goal & b:
                    return True, reached
                if stop & b:
                    reached |= b
                    continue
                stack.append(w)
        return False, reached

    def _area(self, nodes: Iterable[str]) -> int:
        area = 0
        for n in nodes:
            area |= self.ancestors[n] | self.bit[n]
        return area

    def separable(self, x: str, y: str) -> bool:
        """Whether some set of measured nodes d-separates ``x`` and ``y``."""
        ends = self.bit[x] | self.bit[y]
        area = self._area((x, y))
        hit, _ = self._walk([x], area, self.measured & area & ~ends, self.bit[y])
        return not hit

    def minimal(self, xs: list[str], ys: list[str]) -> list[str] | None:
        """A minimal set of measured nodes that d-separates ``xs`` from ``ys``, or None."""
        ends = self._mask(xs) | self._mask(ys)
        area = self._area([*xs, *ys])
        candidates = self.measured & area & ~ends
        hit, near_x = self._walk(xs, area, candidates, self._mask(ys))
        if hit:
            return None
        _, near_both = self._walk(ys, area, near_x, 0)
        return [n for n in self.names if near_both & self.bit[n]]


def implications(model: LogicModel, sk: Skeleton | None = None, *,
                 pairs: bool = False) -> Implications:
    """Conditional independencies among the measured nodes (those with indicators).

    Raises:
        ValueError: the skeleton has a cycle (``check`` reports it as LM201).
    """
    import networkx as nx

    sk = sk or skeleton(model)
    if sk.cyclic:
        raise ValueError("the causal skeleton has a cycle")
    g = causal_dag(model, sk)
    measured = {n for n, node in sk.nodes.items() if getattr(node, "indicators", None)}
    ordered = [n for n in sk.order if n in measured]
    latent = [n for n in sk.nodes if n not in measured]
    sep = _Separation(sk, measured)
    linked = {(e.source, e.target) for e in sk.edges}

    def minimal(y: str, xs: list[str]) -> tuple[str, ...] | None:
        z = sep.minimal([y], xs)
        if z is None:
            return None
        if not nx.is_d_separator(g, {y}, set(xs), set(z)):  # pragma: no cover - a bug
            raise AssertionError(f"{y} and {xs} are not d-separated by {z}")
        return tuple(z)

    statements: list[Implication] = []
    n_pairs = untestable = adjacent = 0
    for j, y in enumerate(ordered):
        xs: list[str] = []
        for x in ordered[:j]:
            if (x, y) in linked or (y, x) in linked:
                adjacent += 1
            elif sep.separable(x, y):
                xs.append(x)
            else:
                untestable += 1
        n_pairs += len(xs)
        group = minimal(y, xs) if len(xs) > 1 and not pairs else None
        if group is not None:
            statements.append(Implication(y, tuple(xs), group))
            continue
        for x in xs:  # one statement per pair
            z = minimal(y, [x])
            if z is None:  # pragma: no cover - separable() said a set exists
                raise AssertionError(f"{x} and {y} cannot be separated")
            statements.append(Implication(y, (x,), z))
    return Implications(ordered, latent, statements, n_pairs, untestable, adjacent,
                        [e.name for e in sk.feedback])
