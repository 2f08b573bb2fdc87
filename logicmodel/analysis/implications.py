"""Testable implications: the conditional independencies a data set could contradict.

The causal skeleton is treated as a DAG (links marked ``feedback`` set aside:
a DAG cannot hold them, and reports say which were dropped). The *measured*
nodes are those with indicators; every other node is latent. For each pair of
measured nodes that no link joins, the theory implies they are independent
given some set of measured nodes if, and only if, a set of measured nodes
d-separates them. Which pairs can be separated is settled for all pairs at once
from one walk of the moral graph per measured node (:meth:`_Separation.separable_from`),
so a model of 1,000 nodes with 625 measured ones takes under a second, not minutes.
A *minimal* separating set is found by walking the moral graph of their ancestors
(linear time per question). The tests check both against networkx's
``find_minimal_d_separator`` and every statement against ``nx.is_d_separator``.
The work is bounded: :func:`implications` estimates it before each expensive step
and raises :class:`BudgetError` (LM802) rather than run for minutes.

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

from ..config import ANALYSIS_BUDGET
from ..diagnostics import Severity
from ..errors import CodedError
from ..rules.registry import rule
from ..schema import LogicModel
from .skeleton import Skeleton, skeleton

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["DEFAULT_BUDGET", "BudgetError", "Implication", "Implications", "causal_dag",
           "implications"]

#: Work an analysis may do before it stops (setting ``analysis-budget``): a pair of
#: measured nodes examined costs one unit, a separating set found costs one unit per
#: node of the model. A model of 1,000 nodes, 625 of them measured, needs about 1.5 million.
DEFAULT_BUDGET = ANALYSIS_BUDGET


class BudgetError(CodedError):
    """An analysis would cost more than its budget (LM802); nothing was reported."""

    def __init__(self, what: str, cost: int, budget: int, hint: str) -> None:
        self.cost = cost
        self.budget = budget
        super().__init__("LM802", f"{what} would take about {cost:,} units of work, over the "
                         f"budget of {budget:,} (`analysis-budget`)", hint)


@dataclass(frozen=True)
class Implication:
    """``x`` is independent of every node in ``ys`` given ``given`` (all measured)."""

    x: str
    ys: tuple[str, ...]
    given: tuple[str, ...]
    #: inferred elements it rests on: inferred nodes it names, and inferred links on the
    #: routes from the conditioning nodes to ``x`` (what makes them screen ``x`` off)
    rests_on: tuple[str, ...] = ()

    def __str__(self) -> str:
        cond = f" | {', '.join(self.given)}" if self.given else ""
        return f"{self.x} _||_ {', '.join(self.ys)}{cond}"

    def to_dict(self) -> dict[str, Any]:
        return {"x": self.x, "independent_of": list(self.ys), "given": list(self.given),
                "rests_on_inferred": list(self.rests_on)}


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
        self.ancestors: dict[str, int] = {}
        for n in sk.order:
            mask = 0
            for p in self.parents[n]:
                mask |= self.ancestors[p] | self.bit[p]
            self.ancestors[n] = mask
        # by position in causal order: a node's parents, and per child (child, family)
        self.parent_mask = [self._mask(self.parents[n]) for n in sk.order]
        self.kids: list[list[tuple[int, int]]] = [[] for _ in sk.order]
        for i, n in enumerate(sk.order):
            family = self.parent_mask[i] | self.bit[n]
            for p in self.parents[n]:
                self.kids[self.bit[p].bit_length() - 1].append((self.bit[n], family))
        self.children = [0] * len(sk.order)
        self.moral = list(self.parent_mask)
        for i, kids in enumerate(self.kids):
            for child, family in kids:
                self.children[i] |= child
                self.moral[i] |= family
        self.measured = 0
        for n in measured:
            self.measured |= self.bit[n]
        self._reached: dict[str, tuple[int, int]] = {}
        self.walked = 0  # pairs the quick tests left undecided

    def _mask(self, nodes: Iterable[str]) -> int:
        mask = 0
        for n in nodes:
            mask |= self.bit[n]
        return mask

    def _walk(self, starts: Iterable[str], area: int, stop: int, goal: int
              ) -> tuple[bool, int, int]:
        """Walk the moral graph of the ancestral ``area`` from ``starts``, not through
        ``stop`` nodes: whether a ``goal`` node was reached, the ``stop`` nodes reached,
        and every node seen. Sets of nodes are bitmasks, a node's neighbours one mask."""
        seen = frontier = self._mask(starts)
        parents, kids, children, moral = self.parent_mask, self.kids, self.children, self.moral
        reached = 0
        while frontier:
            low = frontier & -frontier
            frontier ^= low
            i = low.bit_length() - 1
            if not children[i] & ~area:  # every child in the area: all its moral neighbours
                near = moral[i]
            else:
                near = parents[i]
                for child, family in kids[i]:
                    if area & child:
                        near |= family  # the child and its parents, married
            new = near & ~seen
            if not new:
                continue
            seen |= new
            if new & goal:
                return True, reached, seen
            reached |= new & stop
            frontier |= new & ~stop
        return False, reached, seen

    def reach(self, v: str) -> tuple[int, int]:
        """From ``v``, in the moral graph of its ancestors, through latent nodes only:
        (the latent nodes reached, the measured nodes reached)."""
        area = self.ancestors[v] | self.bit[v]
        _, reached, seen = self._walk([v], area, self.measured & area & ~self.bit[v], 0)
        return seen & ~self.measured & ~self.bit[v], reached

    def separable_from(self, y: str, xs: Iterable[str]) -> tuple[list[str], list[str]]:
        """Split measured nodes ``xs`` that come before ``y`` in causal order and are not
        linked to it into those some measured set separates from ``y`` and the rest.

        Most pairs are settled by the walks of :meth:`reach`, one per node: an ancestor
        ``x`` of ``y`` is inseparable exactly when the walk from ``y`` reaches it. For ``x``
        not an ancestor, every latent route from ``y`` to ``x`` in the moral graph of
        their ancestors enters the ancestors of ``x`` at a latent node the walk from
        ``y`` reaches (and the same the other way round), and any latent node both walks
        reach joins them; only pairs that neither test settles are walked (:meth:`separable`).
        """
        lat_y, meas_y = self.reached(y)
        anc_y = self.ancestors[y]
        yes: list[str] = []
        no: list[str] = []
        for x in xs:
            bx = self.bit[x]
            if anc_y & bx:
                ok = not meas_y & bx
            else:
                lat_x, _ = self.reached(x)
                if lat_y & lat_x:
                    ok = False
                elif not lat_y & self.ancestors[x] or not lat_x & anc_y:
                    ok = True
                else:
                    self.walked += 1
                    ok = self.separable(x, y)
            (yes if ok else no).append(x)
        return yes, no

    def reached(self, v: str) -> tuple[int, int]:
        """:meth:`reach`, computed once per node."""
        found = self._reached.get(v)
        if found is None:
            found = self._reached[v] = self.reach(v)
        return found

    def _area(self, nodes: Iterable[str]) -> int:
        area = 0
        for n in nodes:
            area |= self.ancestors[n] | self.bit[n]
        return area

    def separable(self, x: str, y: str) -> bool:
        """Whether some set of measured nodes d-separates ``x`` and ``y``."""
        ends = self.bit[x] | self.bit[y]
        area = self._area((x, y))
        hit, _, _ = self._walk([x], area, self.measured & area & ~ends, self.bit[y])
        return not hit

    def minimal(self, xs: list[str], ys: list[str]) -> list[str] | None:
        """A minimal set of measured nodes that d-separates ``xs`` from ``ys``, or None."""
        ends = self._mask(xs) | self._mask(ys)
        area = self._area([*xs, *ys])
        candidates = self.measured & area & ~ends
        hit, near_x, _ = self._walk(xs, area, candidates, self._mask(ys))
        if hit:
            return None
        _, near_both, _ = self._walk(ys, area, near_x, 0)
        return self._names(near_both)

    def _names(self, mask: int) -> list[str]:
        """The nodes of a mask, in causal order."""
        out = []
        while mask:
            low = mask & -mask
            mask ^= low
            out.append(self.names[low.bit_length() - 1])
        return out


def implications(model: LogicModel, sk: Skeleton | None = None, *,
                 pairs: bool = False, budget: int | None = DEFAULT_BUDGET) -> Implications:
    """Conditional independencies among the measured nodes (those with indicators).

    ``budget`` bounds the work (see :data:`DEFAULT_BUDGET`; None: no bound). The cost
    is checked before each expensive step, so an analysis over budget stops early.

    Raises:
        ValueError: the skeleton has a cycle (``check`` reports it as LM201).
        BudgetError: the work would exceed ``budget``.
    """
    sk = sk or skeleton(model)
    if sk.cyclic:
        raise ValueError("the causal skeleton has a cycle")
    measured = {n for n, node in sk.nodes.items() if getattr(node, "indicators", None)}
    ordered = [n for n in sk.order if n in measured]
    latent = [n for n in sk.nodes if n not in measured]
    size = max(1, len(sk.nodes))
    spent = 0

    def spend(units: int, what: str, hint: str) -> None:
        nonlocal spent
        spent += units
        if budget is not None and spent > budget:
            raise BudgetError(what, spent, budget, hint)

    narrow = ("measure fewer nodes, ask only for other sections (`--only fragility,scorecard`), "
              "or raise `analysis-budget`")
    k = len(ordered)
    spend(k * (k - 1) // 2 + k * size, f"testing {k:,} measured nodes pair by pair", narrow)
    sep = _Separation(sk, measured)
    linked: dict[str, set[str]] = {n: set() for n in sk.nodes}
    for e in sk.edges:
        linked[e.source].add(e.target)
        linked[e.target].add(e.source)

    def minimal(y: str, xs: list[str]) -> tuple[str, ...] | None:
        z = sep.minimal([y], xs)
        return None if z is None else tuple(z)

    statements: list[Implication] = []
    n_pairs = untestable = adjacent = 0
    separable: list[tuple[str, list[str]]] = []
    for j, y in enumerate(ordered):
        near = linked[y]
        earlier = ordered[:j]
        apart = [x for x in earlier if x not in near]
        adjacent += len(earlier) - len(apart)
        xs, joined = sep.separable_from(y, apart)
        untestable += len(joined)
        n_pairs += len(xs)
        if xs:
            separable.append((y, xs))
    if pairs:
        spend(2 * size * n_pairs, f"listing {n_pairs:,} implications pair by pair",
              "drop `--pairs` for grouped statements, " + narrow)
    else:
        spend(2 * size * len(separable), f"grouping {n_pairs:,} implied independencies",
              narrow)
    for y, xs in separable:
        group = minimal(y, xs) if len(xs) > 1 and not pairs else None
        if group is not None:
            statements.append(Implication(y, tuple(xs), group))
            continue
        if not pairs:
            spend(2 * size * len(xs), f"listing {y}'s {len(xs):,} implications pair by pair "
                  "(no one set separates them all)", narrow)
        for x in xs:  # one statement per pair
            z = minimal(y, [x])
            if z is None:  # pragma: no cover - separable() said a set exists
                raise AssertionError(f"{x} and {y} cannot be separated")
            statements.append(Implication(y, (x,), z))
    statements = _mark_inferred(model, sk, sep, statements)
    return Implications(ordered, latent, statements, n_pairs, untestable, adjacent,
                        [e.name for e in sk.feedback])


def _mark_inferred(model: LogicModel, sk: Skeleton, sep: _Separation,
                   statements: list[Implication]) -> list[Implication]:
    """Each statement with the inferred elements it rests on (see :attr:`Implication.rests_on`).
    Costs one pass over the inferred links per statement: nothing when none is inferred."""
    from .provenance import inferred_elements

    inferred = inferred_elements(model)
    if not inferred:
        return statements
    nodes = set(inferred.nodes)
    names = set(inferred.links)
    links = [e for e in sk.edges if e.name in names]
    below: dict[str, int] = {}  # each node and its descendants, as a mask
    for n in reversed(sk.order):
        mask = sep.bit[n]
        for e in sk.out_edges[n]:
            mask |= below[e.target]
        below[n] = mask
    out = []
    for s in statements:
        from_given = 0
        for z in s.given:
            from_given |= below[z]
        upto = sep.ancestors[s.x] | sep.bit[s.x]
        on_routes = [e.name for e in links
                     if from_given & sep.bit[e.source] and upto & sep.bit[e.target]]
        named = [n for n in (s.x, *s.ys, *s.given) if n in nodes]
        rests = tuple(dict.fromkeys([*named, *on_routes]))
        out.append(Implication(s.x, s.ys, s.given, rests) if rests else s)
    return out


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

@rule("LM802", "analysis-over-budget", Severity.ERROR)
def analysis_over_budget() -> None:
    """An analysis would take longer than its budget allows, so it stopped before starting.

    ## What it does
    `analyze` estimates the work of the testable implications before doing it:
    one unit per pair of measured nodes examined, and one unit per node of the
    model for each separating set it must find. When the estimate passes the
    budget (the `analysis-budget` setting, 20,000,000 units by default;
    `--budget` on the command line), it stops, writes nothing, and exits 1,
    instead of running for minutes.

    ## Why is this bad?
    A listing nobody can read, bought with minutes of a CI job. A model of
    1,000 nodes with 625 measured ones needs about 1.5 million units for the
    grouped statements, but 370 million to list its 185,000 independencies
    pair by pair (`--pairs`).

    ## Example
    ```toml
    [tool.logicmodel]
    analysis-budget = 100000000   # allow about 25 seconds
    ```
    Or narrow the question: drop `--pairs`, measure fewer nodes, or ask for
    other sections only (`--only fragility,scorecard`).
    """
