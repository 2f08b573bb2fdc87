"""Routes through the skeleton: exact counts by dynamic programming, capped listings.

The number of routes through a dense model grows exponentially (a 54-node
layered model has 1.7 million), so routes are never enumerated to be counted.
:func:`count_routes` makes one pass over a topological order, adding up Python
integers, which never overflow: a model with 10^30 routes counts in well under a
millisecond per hundred links. :func:`list_routes` lists routes in file order up
to a limit and says whether it was cut; it only steps where a route to a target
is known to exist, so listing ``limit`` routes costs ``limit`` walks, however
many routes there are.

Routes can be asked to *avoid* node sequences (the declared pathways): a route
that runs along the whole of one of them, step by step, is left out. This is
a string-matching automaton (Aho-Corasick) run alongside the counting, so
"routes that belong to no declared pathway" are counted exactly too.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .skeleton import Edge, Skeleton

__all__ = ["RouteSet", "count_routes", "list_routes", "route_set"]


class _Automaton:
    """Aho-Corasick over sequences of node ids: state 0 is "nothing matched yet"."""

    def __init__(self, patterns: Iterable[Sequence[str]]) -> None:
        self.goto: list[dict[str, int]] = [{}]
        self.accept: list[bool] = [False]
        for pattern in patterns:
            state = 0
            for symbol in pattern:
                nxt = self.goto[state].get(symbol)
                if nxt is None:
                    nxt = len(self.goto)
                    self.goto[state][symbol] = nxt
                    self.goto.append({})
                    self.accept.append(False)
                state = nxt
            self.accept[state] = True
        self.fail = [0] * len(self.goto)
        queue = deque(self.goto[0].values())
        while queue:
            s = queue.popleft()
            for symbol, t in self.goto[s].items():
                f = self.fail[s]
                while f and symbol not in self.goto[f]:
                    f = self.fail[f]
                self.fail[t] = self.goto[f].get(symbol, 0)
                self.accept[t] = self.accept[t] or self.accept[self.fail[t]]
                queue.append(t)
        self._memo: dict[tuple[int, str], int] = {}

    def step(self, state: int, symbol: str) -> int:
        key = (state, symbol)
        found = self._memo.get(key)
        if found is not None:
            return found
        s = state
        while s and symbol not in self.goto[s]:
            s = self.fail[s]
        out = self.goto[s].get(symbol, 0)
        self._memo[key] = out
        return out


@dataclass
class RouteSet:
    """All routes from ``sources`` to ``targets`` (at least one link long) in a skeleton.

    ``ways[v][state]`` counts the partial routes from a source to ``v``;
    ``ahead[v][state]`` counts the ways to finish one from ``v`` at a target.
    """

    skeleton: Skeleton
    sources: list[str]
    targets: list[str]
    avoid: list[list[str]] = field(default_factory=list)
    ways: dict[str, dict[int, int]] = field(default_factory=dict)
    ahead: dict[str, dict[int, int]] = field(default_factory=dict)
    count: int = 0
    _auto: _Automaton | None = None


def route_set(sk: Skeleton, sources: Sequence[str], targets: Sequence[str],
              avoid: Iterable[Sequence[str]] = ()) -> RouteSet:
    """Count the routes from any source to any target, leaving out those that run along
    a whole sequence in ``avoid``. Routes follow the skeleton (feedback links set aside).
    """
    auto = _Automaton(avoid)
    rs = RouteSet(sk, list(sources), list(targets), [list(a) for a in avoid], _auto=auto)
    ways: dict[str, dict[int, int]] = {n: {} for n in sk.order}
    for s in rs.sources:
        st = auto.step(0, s)
        if not auto.accept[st] and s in ways:
            ways[s][st] = ways[s].get(st, 0) + 1
    target_set = set(rs.targets)
    arrived = 0
    for u in sk.order:
        here = ways[u]
        if not here:
            continue
        for e in sk.out_edges[u]:
            there = ways[e.target]
            for st, c in here.items():
                st2 = auto.step(st, e.target)
                if auto.accept[st2]:
                    continue
                there[st2] = there.get(st2, 0) + c
                if e.target in target_set:
                    arrived += c
    rs.ways = ways
    rs.count = arrived
    ahead: dict[str, dict[int, int]] = {}
    for u in reversed(sk.order):
        states = ways[u]
        if not states:
            continue
        row: dict[int, int] = {}
        for st in states:
            total = 1 if u in target_set else 0
            for e in sk.out_edges[u]:
                st2 = auto.step(st, e.target)
                if not auto.accept[st2]:
                    total += ahead[e.target].get(st2, 0)
            row[st] = total
        ahead[u] = row
    rs.ahead = ahead
    return rs


def count_routes(sk: Skeleton, sources: Sequence[str], targets: Sequence[str],
                 avoid: Iterable[Sequence[str]] = ()) -> int:
    """The exact number of routes from any source to any target (see :func:`route_set`)."""
    return route_set(sk, sources, targets, avoid).count


def list_routes(rs: RouteSet, limit: int) -> list[list[Edge]]:
    """Up to ``limit`` routes of a route set, each a list of edges, in file order."""
    auto = rs._auto
    assert auto is not None
    target_set = set(rs.targets)
    out: list[list[Edge]] = []
    if limit <= 0:
        return out
    for s in rs.sources:
        st0 = auto.step(0, s)
        if s not in rs.ahead or rs.ahead[s].get(st0, 0) == 0:
            continue
        # Depth-first, children in file order; only into steps with a route ahead.
        stack: list[tuple[str, int, int]] = [(s, st0, 0)]
        path: list[Edge] = []
        while stack:
            node, st, i = stack.pop()
            edges = rs.skeleton.out_edges[node]
            while i < len(edges):
                e = edges[i]
                i += 1
                st2 = auto.step(st, e.target)
                if auto.accept[st2] or rs.ahead.get(e.target, {}).get(st2, 0) == 0:
                    continue
                stack.append((node, st, i))
                path.append(e)
                if e.target in target_set:
                    out.append(list(path))
                    if len(out) >= limit:
                        return out
                stack.append((e.target, st2, 0))
                break
            else:
                if path and path[-1].target == node:
                    path.pop()
    return out
