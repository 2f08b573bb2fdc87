"""Whole-model rules on a variant, worked out from what they found on its base.

A rule about the whole model (cycles, reachability, loose ends, duplicate and
unused ids, pathways) that reads something a variant changes runs again, unless
it has a function here: given the base's findings and what the variant adds,
removes and changes (:class:`.incremental.Delta`), it says what the rule finds
on the variant, at the cost of what changed rather than of the model, or None
when it cannot tell (the rule then runs on the whole variant).

Each function gives exactly the findings the rule gives on the whole variant,
in another order. What they ask of the base (its graph's topological order, the
nodes its inputs and activities reach, which links join which nodes, who uses
each id) is worked out once per base and kept with the base's findings.

Working out the base's order, reach and ids costs more than running a rule again
on a small model, where rules take microseconds: those functions run from
:data:`CARRY_FROM` nodes and links on.

They rely on what a merge guarantees: ids are never changed, and nothing left
in a variant names a node, link, assumption, moderator or reference the variant
removes (LM043).
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from itertools import chain
from typing import TYPE_CHECKING, Any

from ..graph import topological_order
from ..schema import END_KINDS, RESULT_KINDS, START_KINDS, field_value
from .context import HOLDER_SECTIONS, Context
from .registry import Finding
from .views import empty_views

if TYPE_CHECKING:
    from .incremental import Delta, RuleRun

__all__ = ["CARRIED", "CARRY_FROM", "Change"]

Pair = tuple[str, str]

# Below this many nodes and links, the rules that count run again on the whole variant.
CARRY_FROM = 200


class Base:
    """What the carried-over rules ask of one base model, each worked out once."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.model = ctx.model

    @cached_property
    def ends(self) -> dict[str, list[int]]:
        """Node id (known or not) -> positions of the links that start or end at it."""
        out: dict[str, list[int]] = {}
        for i, lk in enumerate(self.model.links):
            out.setdefault(lk.source, []).append(i)
            if lk.target != lk.source:
                out.setdefault(lk.target, []).append(i)
        return out

    @cached_property
    def pairs(self) -> dict[Pair, list[int]]:
        """(from, to) -> positions of the links between them."""
        out: dict[Pair, list[int]] = {}
        for i, lk in enumerate(self.model.links):
            out.setdefault((lk.source, lk.target), []).append(i)
        return out

    @cached_property
    def position(self) -> dict[str, int] | None:
        """Each node's place in a topological order of the causal links (None: a cycle)."""
        g = self.ctx.graph
        causal = {u: [v for v in vs if (u, v) not in g.feedback] for u, vs in g.succ.items()}
        order, left = topological_order(g.nodes, causal)
        return None if left else {n: k for k, n in enumerate(order)}

    @cached_property
    def starts(self) -> set[str]:
        nodes = self.ctx.nodes
        return {nid for nid in self.ctx.graph.nodes if nodes[nid].kind in START_KINDS}

    @cached_property
    def reached(self) -> set[str]:
        return self.ctx.graph.reachable(self.starts)

    @cached_property
    def ids(self) -> Counter[str]:
        """Every id LM101 compares, counted."""
        m = self.model
        out: Counter[str] = Counter()
        for section in _ID_SECTIONS:
            for el in getattr(m, section):
                out.update(_ids(section, el))
        out.update(g.id for g in m.groups)
        out.update(t.id for t in m.tags)
        return out

    def used(self, what: str) -> Counter[str]:
        """How many times each id is used, by what (``assumptions``, ``moderators``,
        ``references``)."""
        key = f"used_{what}"
        found = self.__dict__.get(key)
        if found is None:
            m = self.model
            if what != "references":
                found = Counter(chain.from_iterable(
                    el.__dict__[what] for section in (m.nodes, m.links) for el in section))
            else:
                lists: list[Iterable[str]] = []
                if m.provenance is not None:
                    lists.append(m.provenance.refs)
                for section in _USERS[what]:
                    for el in getattr(m, section):
                        lists.extend(_uses(what, section, el))
                found = Counter(chain.from_iterable(lists))
            self.__dict__[key] = found
        return found


_ID_SECTIONS = ("nodes", "links", "assumptions", "moderators", "pathways", "references")
_USERS = {"assumptions": ("nodes", "links"), "moderators": ("nodes", "links"),
          "references": HOLDER_SECTIONS}


def _ids(section: str, el: Any) -> Iterator[str]:
    """The ids of an element LM101 compares: its own, and a node's indicators'."""
    if el.id is not None:
        yield el.id
    if section == "nodes":
        for ind in field_value(el, "indicators", ()):
            if ind.id is not None:
                yield ind.id


def _uses(what: str, section: str, el: Any) -> list[Iterable[str]]:
    """The lists of assumptions, moderators or references an element uses (as LM302, LM305,
    LM303 read them)."""
    d = el.__dict__
    if what != "references":
        return [d[what]]
    out: list[Iterable[str]] = []
    p = d.get("provenance")
    if p is not None:
        out.append(p.refs)
    for ind in d.get("indicators", ()):
        if ind.provenance is not None:
            out.append(ind.provenance.refs)
    if section in ("nodes", "links"):
        ev = d.get("evidence")
        if isinstance(ev, list):
            out.extend(e.refs for e in ev)
        elif ev is not None:
            out.append(ev.refs)
    return out


class Change:
    """What a variant changes, as the carried-over rules ask it, each worked out once."""

    def __init__(self, run: RuleRun, ctx: Context, delta: Delta) -> None:
        self.run = run
        memo = run.memo.get("carryover")
        if memo is None:
            memo = run.memo["carryover"] = Base(run.ctx)
        self.base: Base = memo
        self.ctx = ctx
        self.delta = delta
        self.before = run.ctx.model
        self.after = ctx.model

    # --- elements ----------------------------------------------------------------------

    def gone(self, section: str) -> Iterator[Any]:
        """The base's elements the variant removes or changes (their base versions)."""
        items = getattr(self.before, section)
        for i in self.delta.removed[section]:
            yield items[i]
        for i in self.delta.changed[section]:
            yield items[i]

    def fresh(self, section: str) -> Iterator[Any]:
        items = getattr(self.after, section)
        for j in self.delta.fresh[section]:
            yield items[j]

    @cached_property
    def nodes_added(self) -> set[str]:
        items = self.after.nodes
        return {items[j].id for j in self.delta.added["nodes"]}

    @cached_property
    def nodes_removed(self) -> set[str]:
        items = self.before.nodes
        return {items[i].id for i in self.delta.removed["nodes"]}

    def node(self, nid: str) -> Any:
        """The variant's node ``nid`` (None: it has none)."""
        j = self.node_at(nid)
        return None if j is None else self.after.nodes[j]

    def node_at(self, nid: str) -> int | None:
        """The position of the variant's node ``nid`` (None: it has none)."""
        i = self.base.ctx.node_index.get(nid)
        if i is not None:
            return self.delta.where["nodes"].get(i)
        return self.added_at.get(nid)

    @cached_property
    def added_at(self) -> dict[str, int]:
        items = self.after.nodes
        return {items[j].id: j for j in self.delta.added["nodes"]}

    def known(self, nid: str) -> bool:
        """Whether the variant has a node ``nid``."""
        if nid in self.base.ctx.nodes:
            return nid not in self.nodes_removed
        return nid in self.added_at

    def changed_nodes(self, *fields: str) -> set[str]:
        """Ids of the nodes the variant changes in one of ``fields``."""
        before, after = self.before.nodes, self.after.nodes
        out = set()
        for i, j in self.delta.changed["nodes"].items():
            a, b = before[i].__dict__, after[j].__dict__
            if type(before[i]) is not type(after[j]) or any(
                    a.get(f) != b.get(f) for f in fields):
                out.add(after[j].id)
        return out

    # --- links and the graph -----------------------------------------------------------

    @cached_property
    def fresh_links(self) -> list[tuple[int, Any]]:
        items = self.after.links
        return [(j, items[j]) for j in self.delta.fresh["links"]]

    @cached_property
    def fresh_ends(self) -> dict[str, list[int]]:
        """Node id -> variant positions of the fresh links at it."""
        out: dict[str, list[int]] = {}
        for j, lk in self.fresh_links:
            out.setdefault(lk.source, []).append(j)
            if lk.target != lk.source:
                out.setdefault(lk.target, []).append(j)
        return out

    def links_at(self, nid: str) -> Iterator[Any]:
        """The variant's links that start or end at ``nid``."""
        moved, items = self.delta.moved["links"], self.after.links
        for i in self.base.ends.get(nid, ()):
            j = moved.get(i)
            if j is not None:
                yield items[j]
        for j in self.fresh_ends.get(nid, ()):
            yield items[j]

    @cached_property
    def pairs(self) -> set[Pair]:
        """The node pairs whose links the variant changes, or whose ends it adds or removes."""
        out: set[Pair] = set()
        for lk in self.gone("links"):
            out.add((lk.source, lk.target))
        for _, lk in self.fresh_links:
            out.add((lk.source, lk.target))
        links = self.before.links
        for nid in (*self.nodes_added, *self.nodes_removed):
            for i in self.base.ends.get(nid, ()):
                out.add((links[i].source, links[i].target))
        return out

    def first_link(self, pair: Pair) -> Any:
        """The variant's first link drawing the edge ``pair`` (None: no edge)."""
        a, b = pair
        if a == b or not self.known(a) or not self.known(b):
            return None
        moved, items = self.delta.moved["links"], self.after.links
        best: int | None = None
        for i in self.base.pairs.get(pair, ()):
            j = moved.get(i)
            if j is not None and (best is None or j < best):
                best = j
        for j, lk in self.fresh_links:
            if (lk.source, lk.target) == pair and (best is None or j < best):
                best = j
        return None if best is None else items[best]

    @cached_property
    def edges(self) -> tuple[set[Pair], dict[Pair, bool], dict[str, list[str]],
                             dict[str, list[str]]]:
        """The edges the variant removes, those it has anew or redrawn (-> feedback), and
        the new ones by source and by target."""
        g = self.base.ctx.graph
        removed: set[Pair] = set()
        drawn: dict[Pair, bool] = {}
        out: dict[str, list[str]] = {}
        into: dict[str, list[str]] = {}
        for pair in self.pairs:
            first = self.first_link(pair)
            if first is None:
                if pair in g.edges:
                    removed.add(pair)
                continue
            drawn[pair] = bool(first.feedback)
            if pair not in g.edges:
                out.setdefault(pair[0], []).append(pair[1])
                into.setdefault(pair[1], []).append(pair[0])
        return removed, drawn, out, into

    def succ(self, nid: str) -> Iterator[str]:
        """The variant's successors of a variant node (every link, feedback too)."""
        removed, _, out, _ = self.edges
        for v in self.base.ctx.graph.succ.get(nid, ()):
            if (nid, v) not in removed:
                yield v
        yield from out.get(nid, ())

    def pred(self, nid: str) -> Iterator[str]:
        removed, _, _, into = self.edges
        for u in self.base.ctx.graph.pred.get(nid, ()):
            if (u, nid) not in removed:
                yield u
        yield from into.get(nid, ())

    def looseness(self, nid: str) -> tuple[bool, bool, bool]:
        """(has a link in, has a link out, has a link to an unknown id) in the variant."""
        into = out = dangling = False
        for lk in self.links_at(nid):
            a, b = lk.source, lk.target
            if not self.known(a) or not self.known(b):
                dangling = True
            elif a != b:
                into = into or b == nid
                out = out or a == nid
        return into, out, dangling

    @cached_property
    def loose(self) -> set[str]:
        """Variant nodes whose links, kind or placeholder status may differ from the base's."""
        out = set(self.nodes_added)
        for a, b in self.pairs:
            out.add(a)
            out.add(b)
        out |= self.changed_nodes("kind", "provenance")
        return {n for n in out if self.known(n)}

    def placeholder(self, node: Any) -> bool:
        return node.provenance is not None and node.provenance.status == "missing"


def _per_node(change: Change, prior: list[Finding], recheck: set[str],
              finding: Callable[[str, Any, int], Finding | None]) -> list[Finding] | None:
    """The base's findings about nodes (at ``("nodes", i, ...)``) for nodes not in
    ``recheck``, at their places, and ``finding`` for each node in ``recheck``."""
    where = change.delta.where["nodes"]
    before = change.before.nodes
    out: list[Finding] = []
    for f in prior:
        path = f.path
        if len(path) < 2 or path[0] != "nodes" or not isinstance(path[1], int):
            return None
        j = where.get(path[1])
        if j is None or before[path[1]].id in recheck:
            continue
        out.append(f if j == path[1] else Finding((path[0], j, *path[2:]), f.message,
                                                  f.hint, f.at_key))
    for nid in recheck:
        j = change.node_at(nid)
        if j is not None:
            found = finding(nid, change.after.nodes[j], j)
            if found is not None:
                out.append(found)
    return out


# --- LM2xx: the causal chain ---------------------------------------------------------

def _cycles(change: Change, prior: list[Finding]) -> list[Finding] | None:
    """LM201: none, when the base has none and the variant's causal links can still be
    put in an order (the base's, with the nodes it adds placed between)."""
    position = change.base.position
    if prior or position is None:
        return None
    g = change.base.ctx.graph
    _, drawn, _, _ = change.edges
    added = [pair for pair, feedback in drawn.items()
             if not feedback and (pair not in g.edges or pair in g.feedback)]
    new = change.nodes_added
    lo: dict[str, float] = dict.fromkeys(new, float("-inf"))
    hi: dict[str, float] = dict.fromkeys(new, float("inf"))
    among: dict[str, list[str]] = {n: [] for n in new}
    for a, b in added:
        if a in new and b in new:
            among[a].append(b)
        elif a in new:
            hi[a] = min(hi[a], position[b])
        elif b in new:
            lo[b] = max(lo[b], position[a])
        elif position[a] >= position[b]:
            return None  # against the base's order: may close a cycle
    order, left = topological_order(sorted(new), among)
    if left:
        return None
    for a in order:
        for b in among[a]:
            lo[b] = max(lo[b], lo[a])
    for a in reversed(order):
        for b in among[a]:
            hi[a] = min(hi[a], hi[b])
    if any(lo[n] >= hi[n] for n in new):
        return None
    return []


def _backward(change: Change, prior: list[Finding]) -> list[Finding] | None:
    """LM202: the base's findings for the links left alone between nodes whose stage is
    the base's; the rule on the others."""
    staged = change.changed_nodes("kind", "horizon", "stage") | change.nodes_added
    moved = change.delta.moved["links"]
    recheck = set(change.delta.fresh["links"])
    for nid in staged:
        for i in change.base.ends.get(nid, ()):
            j = moved.get(i)
            if j is not None:
                recheck.add(j)
    out: list[Finding] = []
    for f in prior:
        path = f.path
        if len(path) < 2 or path[0] != "links" or not isinstance(path[1], int):
            return None
        j = moved.get(path[1])
        if j is None or j in recheck:
            continue
        out.append(f if j == path[1] else Finding((path[0], j, *path[2:]), f.message,
                                                  f.hint, f.at_key))
    layout = change.ctx.layout
    rank = layout.rank
    for j in sorted(recheck):
        lk = change.after.links[j]
        a_node, b_node = change.node(lk.source), change.node(lk.target)
        if lk.feedback or a_node is None or b_node is None:
            continue
        a, b = layout.stage_of(a_node), layout.stage_of(b_node)
        if rank[b] < rank[a]:
            out.append(Finding(
                ("links", j),
                f"the link runs backwards, from `{lk.source}` ({layout.describe(a)}) "
                f"to `{lk.target}` ({layout.describe(b)})",
                "reverse it, or mark it `feedback: true` if it is a deliberate loop"))
    return out


def _orphans(change: Change, prior: list[Finding]) -> list[Finding] | None:
    """LM203, for the nodes whose links or status the variant changes."""
    def finding(nid: str, node: Any, j: int) -> Finding | None:
        into, out, dangling = change.looseness(nid)
        if into or out or dangling or change.placeholder(node):
            return None
        return Finding(("nodes", j, "id"), f"`{nid}` has no links",
                       "link it to the nodes it explains or leads to, or remove it")
    return _per_node(change, prior, change.loose, finding)


def _dead_ends(change: Change, prior: list[Finding]) -> list[Finding] | None:
    """LM204, for the nodes whose links, kind or status the variant changes."""
    ends = END_KINDS if change.ctx.layout.expects_impact else RESULT_KINDS

    def finding(nid: str, node: Any, j: int) -> Finding | None:
        into, out, dangling = change.looseness(nid)
        if not into or out or node.kind in ends or dangling or change.placeholder(node):
            return None
        return Finding(("nodes", j, "id"), f"`{nid}` leads nowhere: no link starts from it",
                       "link it to what it leads to on the way to the impact")
    return _per_node(change, prior, change.loose, finding)


def _reached(change: Change) -> tuple[set[str], set[str]]:
    """The variant's nodes reached from its inputs and activities, and the base's reached
    nodes whose reach the variant may change.

    Nodes downstream (in the base) of an edge or a start the variant takes away may lose
    their route: they are worked out again from the others, along the variant's edges;
    then what the variant's new edges and starts reach is added.
    """
    base = change.base
    g = base.ctx.graph
    removed, drawn, _, _ = change.edges
    kinds = change.changed_nodes("kind")
    starts_lost = {n for n in base.starts if n in change.nodes_removed or n in kinds}
    new_starts = [n for n in (*change.nodes_added, *kinds)
                  if change.known(n) and change.node(n).kind in START_KINDS]
    seeds = {b for _, b in removed} | starts_lost | change.nodes_removed
    doubt = g.reachable(s for s in seeds if s in g.succ) if seeds else set()
    reached = {n for n in base.reached if n not in doubt}
    again = []
    for n in doubt:
        if not change.known(n):
            continue
        if ((n in base.starts and n not in starts_lost)
                or any(p in reached for p in change.pred(n))):
            again.append(n)
    again += [n for n in new_starts if n not in reached]
    again += [b for (a, b) in drawn if a in reached and b not in reached]
    queue = deque(n for n in again if n not in reached)
    reached.update(queue)
    while queue:
        for v in change.succ(queue.popleft()):
            if v not in reached:
                reached.add(v)
                queue.append(v)
    return reached, doubt


def _unreachable(change: Change, prior: list[Finding]) -> list[Finding] | None:
    """LM205, for the nodes whose reach, links, kind or status the variant may change."""
    reached, doubt = _reached(change)
    recheck = set(change.loose)
    recheck.update(n for n in doubt if change.known(n))
    recheck.update(n for n in reached if n not in change.base.reached)

    def finding(nid: str, node: Any, j: int) -> Finding | None:
        if node.kind not in RESULT_KINDS or nid in reached or change.placeholder(node):
            return None
        into, out, _ = change.looseness(nid)
        if not (into or out):
            return None
        return Finding(("nodes", j, "id"), f"no input or activity leads to the {node.kind} "
                       f"`{nid}`", "link it from the step that brings it about")
    return _per_node(change, prior, recheck, finding)


# --- LM1xx, LM3xx: ids used twice, ids used by nothing ----------------------------------

def _no_duplicate_ids(change: Change, prior: list[Finding]) -> list[Finding] | None:
    """LM101: none, when the base has none and no element the variant writes takes an id
    in use."""
    if prior:
        return None
    left = Counter(change.base.ids)
    for section in _ID_SECTIONS:
        for el in change.gone(section):
            left.subtract(_ids(section, el))
    for section in _ID_SECTIONS:
        for el in change.fresh(section):
            for ident in _ids(section, el):
                if left[ident] > 0:
                    return None
                left[ident] += 1
    return []


def _no_duplicate_links(change: Change, prior: list[Finding]) -> list[Finding] | None:
    """LM104: none, when the base has none and no link the variant writes repeats one."""
    if prior:
        return None
    moved = change.delta.moved["links"]
    seen: set[Pair] = set()
    for _, lk in change.fresh_links:
        pair = (lk.source, lk.target)
        if pair in seen or any(i in moved for i in change.base.pairs.get(pair, ())):
            return None
        seen.add(pair)
    return []


def _unused(what: str, message: Callable[[str], str], hint: str
            ) -> Callable[[Change, list[Finding]], list[Finding] | None]:
    """LM302, LM303, LM305: the ids of ``what`` no element uses, from the base's counts."""
    def carried(change: Change, prior: list[Finding]) -> list[Finding] | None:
        used = Counter(change.base.used(what))
        for section in _USERS[what]:
            for el in change.gone(section):
                for ids in _uses(what, section, el):
                    used.subtract(ids)
            for el in change.fresh(section):
                for ids in _uses(what, section, el):
                    used.update(ids)
        items = getattr(change.after, what)
        if what == "references" and not items:
            return []
        return [Finding((what, i, "id"), message(x.id), hint)
                for i, x in enumerate(items) if used[x.id] <= 0]
    return carried


# --- LM4xx: pathways -----------------------------------------------------------------

def _pathways_touched(change: Change) -> bool:
    """Whether the variant changes a pathway, or what one stands on: a node it names (or
    that node's kind), a link it names, or the links between two nodes it steps between."""
    memo = change.__dict__.get("_pathways_touched")
    if memo is not None:
        return bool(memo)
    d = change.delta
    touched = bool(d.fresh["pathways"] or d.removed["pathways"])
    if not touched and change.before.pathways:
        names, pairs, links = _pathway_index(change.base)
        nodes = change.nodes_added | change.nodes_removed | change.changed_nodes("kind")
        touched = (any(n in names for n in nodes)
                   or any(p in pairs for p in change.pairs)
                   or any(lk.id in links for section in ("gone", "fresh")
                          for lk in getattr(change, section)("links") if lk.id is not None))
    change.__dict__["_pathways_touched"] = touched
    return touched


def _pathway_index(base: Base) -> tuple[set[str], set[Pair], set[str]]:
    found = base.__dict__.get("pathway_index")
    if found is None:
        names: set[str] = set()
        pairs: set[Pair] = set()
        links: set[str] = set()
        for p, route in zip(base.model.pathways, base.model.routes, strict=True):
            names.update(route.nodes, route.start, route.end, p.nodes, p.start, p.end)
            names.update(n for step in p.steps for n in step)
            if p.mechanism is not None:
                names.add(p.mechanism)
            for a, b in route.steps:
                pairs.add((a, b))
                pairs.add((b, a))
            links.update(p.links)
        found = base.__dict__["pathway_index"] = (names, pairs, links)
    return found


def _pathways(change: Change, prior: list[Finding]) -> list[Finding] | None:
    """LM401-LM404, LM406-LM408: the base's findings when no pathway is touched."""
    return None if _pathways_touched(change) else change.delta.placed(prior)


def _off_pathway(change: Change, prior: list[Finding]) -> list[Finding] | None:
    """LM405: when no pathway is touched, the base's findings for the nodes left alone,
    and the rule on the nodes the variant writes."""
    if _pathways_touched(change):
        return None
    kept = change.delta.kept(prior)
    if kept is None:
        return None
    on = _pathway_index(change.base)[0]
    for j in change.delta.fresh["nodes"]:
        n = change.after.nodes[j]
        if n.kind == "mechanism" and n.id not in on:
            kept.append(Finding(("nodes", j, "id"), f"the mechanism `{n.id}` is on no pathway",
                                "declare a pathway under `pathways:` that works through it"))
    return kept


def _empty_views(change: Change, prior: list[Finding]) -> list[Finding] | None:
    """LM613 with the base's routes, when no pathway is touched."""
    if _pathways_touched(change):
        return None
    base = change.before
    nodes = {p.id: r.nodes for p, r in zip(base.pathways, base.routes, strict=True)}
    return list(empty_views(change.after, lambda p: nodes[p.id]))


Carried = Callable[[Change, list[Finding]], "list[Finding] | None"]


def _counting(carried: Carried) -> Carried:
    """``carried``, on a model of :data:`CARRY_FROM` nodes and links or more."""
    def on_large(change: Change, prior: list[Finding]) -> list[Finding] | None:
        model = change.before
        if len(model.nodes) + len(model.links) < CARRY_FROM:
            return None
        return carried(change, prior)
    on_large.__doc__ = carried.__doc__
    return on_large


CARRIED: dict[str, Carried] = {
    **{code: _counting(fn) for code, fn in {
        "LM101": _no_duplicate_ids,
        "LM104": _no_duplicate_links,
        "LM201": _cycles,
        "LM202": _backward,
        "LM203": _orphans,
        "LM204": _dead_ends,
        "LM205": _unreachable,
    }.items()},
    # counting the uses of a few ids costs less than reading every citation again
    "LM302": _unused("assumptions", lambda a: f"the assumption `{a}` is attached to nothing",
                     "list it in the `assumptions:` of the link or node it underpins"),
    "LM303": _unused("references", lambda r: f"the reference `{r}` is cited by nothing",
                     "cite it in the provenance or evidence of what it supports, "
                     "or remove it"),
    "LM305": _unused("moderators", lambda x: f"the moderator `{x}` acts on nothing",
                     "list it in the `moderators:` of the link or node it acts on"),
    **dict.fromkeys(("LM401", "LM402", "LM403", "LM404", "LM406", "LM407", "LM408"),
                    _pathways),
    "LM405": _off_pathway,
    "LM613": _empty_views,
}
