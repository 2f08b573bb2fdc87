"""Re-checking a variant with what checking its base found.

A variant shares every element it leaves alone with its base: the very same
validated (frozen) object, at the same or a shifted position, and every section
it leaves alone is the base's very list. A rule declared ``local`` (see
:func:`.registry.rule`) finds about an element only what that element, the
model's fields outside its sections, the options and the id pools it names say.
So on a variant it runs on the elements the variant adds or changes
(``Context.only``), and the base's findings about the elements left alone are
kept, moved to their positions in the variant. That holds when the variant's
fields outside its sections (but ``title`` and ``description``) are the base's,
and either the base found nothing for the rule or the pools it names are the
base's (see :func:`_pools_allow`).

A rule about the whole model declares what it ``reads``: a variant that changes
none of it keeps the base's findings, at their places in the variant. One that
does runs again, unless :mod:`.carryover` can work its findings out from the
base's (cycles, loose ends, reachability, duplicate and unused ids, pathways and
views), at the cost of what the variant changed.

A kept finding keeps its message. A message that names its element by position
(an indicator without an id, say) names the base's; such a finding is at the
same place as the base's own, so the variant's report leaves it to the base's.

What the variant's context works out from sections it shares with the base (its
ids, its graph, its routes, its stages) is the base's (:func:`_shared`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..schema import LogicModel
from ..suppressions import suppressions
from .carryover import CARRIED, Change
from .context import Context
from .registry import Finding, Rule

__all__ = ["ELEMENT_SECTIONS", "RuleRun", "rerun", "run_all"]

# The sections whose elements a variant adds, changes or removes.
ELEMENT_SECTIONS = ("nodes", "links", "assumptions", "moderators", "pathways", "references",
                    "views")
# Model fields a variant may change that no local rule reads.
_FREE_FIELDS = frozenset({"title", "description"})


class RuleRun:
    """What each rule found on one model, in rule order; ``key`` names the configuration.

    ``ignores`` says whether the model has `ignore:` entries (None: not yet known).
    (A plain class: a dataclass costs ``logicmodel check`` time to create at start-up.)
    """

    __slots__ = ("ctx", "findings", "ignores", "key", "memo", "positions")

    def __init__(self, ctx: Context, findings: dict[str, list[Finding]], key: object = None,
                 ignores: bool | None = None) -> None:
        self.ctx = ctx
        self.findings = findings
        self.key = key
        self.ignores = ignores
        self.positions: dict[str, dict[int, int]] = {}
        self.memo: dict[str, Any] = {}  # what re-checking its variants asks of this model

    def positions_of(self, section: str) -> dict[int, int] | None:
        """``id(element)`` -> position in one section (None when an object is there twice)."""
        if section not in self.positions:
            items = getattr(self.ctx.model, section)
            at = {id(el): i for i, el in enumerate(items)}
            self.positions[section] = at if len(at) == len(items) else {}
        at = self.positions[section]
        return at if at or not getattr(self.ctx.model, section) else None


def run_all(ctx: Context, rules: Iterable[Rule], key: object = None) -> RuleRun:
    """Every rule on the whole model."""
    return RuleRun(ctx, {r.code: list(r.check(ctx)) for r in rules if r.check is not None}, key)


class Delta:
    """How a variant's elements stand to its base's, section by section.

    An element the variant left alone is the base's very object (``moved``: base
    position -> variant position). The others are matched by their key (an id; a
    link without one by its ends): ``changed`` (base position -> variant position,
    with the ``fields`` that differ), ``removed`` (base positions) and ``added``
    (variant positions). ``fresh`` holds the variant positions of the changed and
    added elements, which local rules look at.
    """

    __slots__ = ("added", "changed", "fields", "fresh", "moved", "removed", "told", "where")

    def __init__(self) -> None:
        self.fresh: dict[str, list[int]] = {}
        self.moved: dict[str, Mapping[int, int]] = {}
        self.changed: dict[str, dict[int, int]] = {}
        self.removed: dict[str, list[int]] = {}
        self.added: dict[str, list[int]] = {}
        self.fields: dict[str, set[str]] = {}
        self.where: dict[str, Mapping[int, int]] = {}  # base position -> variant position
        self.told: dict[tuple[str, ...], bool] = {}  # what touches() said, by reads

    @classmethod
    def of(cls, run: RuleRun, model: LogicModel) -> Delta | None:
        """The delta of ``model`` from ``run``'s model, or None when rules cannot use it."""
        base = run.ctx.model
        ours, theirs = model.__dict__, base.__dict__
        for name in type(model).model_fields:
            if name in ELEMENT_SECTIONS or name in _FREE_FIELDS:
                continue
            a, b = ours[name], theirs[name]
            if a is not b and a != b:
                return None
        if len(run.ctx.nodes) != len(base.nodes):
            return None  # two nodes share an id: what a node is cannot be told by its id
        self = cls()
        for section in ELEMENT_SECTIONS:
            after = getattr(model, section)
            before = getattr(base, section)
            if after is before:  # the base's own list: every element left alone, in place
                same = Same(len(before))
                self.moved[section] = self.where[section] = same
                self.fresh[section], self.changed[section] = [], {}
                self.removed[section], self.added[section] = [], []
                continue
            at = run.positions_of(section)
            if at is None:
                return None  # one object twice: positions would be ambiguous
            here: dict[int, int] = {}
            new: list[int] = []
            for j, el in enumerate(after):
                i = at.get(id(el))
                if i is None or i in here:
                    new.append(j)
                else:
                    here[i] = j
            self.moved[section], self.fresh[section] = here, new
            if not new and len(here) == len(before):
                self.changed[section], self.removed[section], self.added[section] = {}, [], []
                self.where[section] = here
                continue
            gone = [i for i in range(len(before)) if i not in here]
            by_key: dict[object, int] = {}
            for i in gone:
                k = _key(before[i])
                by_key[k] = -1 if k in by_key else i  # -1: a key twice, matched to nothing
            changed: dict[int, int] = {}
            added: list[int] = []
            fields: set[str] = set()
            for j in new:
                i = by_key.get(_key(after[j]), -1)
                if i < 0 or i in changed:
                    added.append(j)
                    continue
                changed[i] = j
                fields |= _differing(before[i], after[j])
            self.changed[section], self.added[section] = changed, added
            self.removed[section] = [i for i in gone if i not in changed]
            self.fields[section] = fields
            self.where[section] = {**here, **changed}
        return self

    def touches(self, reads: tuple[str, ...]) -> bool:
        """Whether the variant changes what a rule reading ``reads`` reads.

        A facet is a section (its elements, every field of them) or ``section.field``;
        adding or removing an element of a section touches every facet of it.
        """
        told = self.told.get(reads)
        if told is None:
            told = self.told[reads] = self._touches(reads)
        return told

    def _touches(self, reads: tuple[str, ...]) -> bool:
        for facet in reads:
            section, _, name = facet.partition(".")
            if self.added[section] or self.removed[section]:
                return True
            if not self.changed[section]:
                continue
            if not name or name in self.fields[section]:
                return True
        return False

    def kept(self, found: list[Finding]) -> list[Finding] | None:
        """The base's findings about elements the variant left alone, at their new places.

        None when a finding is not about one element (it is about the model, or
        about its stages): the rule then runs on the whole variant.
        """
        out: list[Finding] = []
        for f in found:
            path = f.path
            if len(path) < 2 or path[0] not in self.moved or not isinstance(path[1], int):
                return None
            j = self.moved[str(path[0])].get(path[1])
            if j is None:
                continue  # the element was changed (checked afresh) or removed
            out.append(f if j == path[1] else Finding(
                (path[0], j, *path[2:]), f.message, f.hint, f.at_key))
        return out

    def placed(self, found: list[Finding]) -> list[Finding] | None:
        """The base's findings at their places in the variant (a finding about the model
        or a section stays where it is); None when one is about an element that is gone."""
        out: list[Finding] = []
        for f in found:
            path = f.path
            if len(path) < 2 or not isinstance(path[1], int) or path[0] not in self.where:
                out.append(f)
                continue
            j = self.where[str(path[0])].get(path[1])
            if j is None:
                return None
            out.append(f if j == path[1] else Finding(
                (path[0], j, *path[2:]), f.message, f.hint, f.at_key))
        return out


class Same(Mapping[int, int]):
    """Each of ``n`` positions to itself: a section whose elements a variant left alone."""

    __slots__ = ("n",)

    def __init__(self, n: int) -> None:
        self.n = n

    def __getitem__(self, i: int) -> int:
        if isinstance(i, int) and 0 <= i < self.n:
            return i
        raise KeyError(i)

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.n))

    def __len__(self) -> int:
        return self.n


def _key(el: object) -> object:
    """How an element is matched across a base and its variant: its id, else a link's ends."""
    d = el.__dict__
    ident = d.get("id")
    if ident is not None:
        return ident
    return (d.get("source"), d.get("target"))


def _differing(a: object, b: object) -> set[str]:
    """The fields in which two versions of an element differ (every field, across kinds),
    and ``provenance.status`` when the status differs (what makes a node a placeholder)."""
    x, y = a.__dict__, b.__dict__
    if type(a) is not type(b):
        return {*x, *y, "provenance.status"}
    out = {name for name, value in x.items() if value is not y.get(name) and value != y.get(name)}
    if "provenance" in out:
        p, q = x["provenance"], y.get("provenance")
        if getattr(p, "status", None) != getattr(q, "status", None):
            out.add("provenance.status")
    return out


def _pools_allow(a: Context, b: Context, pools: tuple[str, ...], prior: list[Finding]) -> bool:
    """Whether the base's findings stand for the variant's elements left alone, as to pools.

    They do when the base found nothing: an id an element left alone names was
    known in the base, and stays known in the variant, which keeps every id the
    base had but those it removes, and a merge refuses a removal something left
    in the variant still names (LM043). A pool such as the placeholders holds
    what an element says of itself, and an element left alone says the same.
    When the base found something, they do when the variant's pools are the
    base's (a hint names the nearest id of a pool).
    """
    if not prior:
        return True
    for name in pools:
        x, y = getattr(a, name), getattr(b, name)
        before, after = (x.keys(), y.keys()) if isinstance(x, dict) else (x, y)
        if before != after:
            return False
    return True


def rerun(base: RuleRun, ctx: Context, rules: Iterable[Rule], key: object = None) -> RuleRun:
    """The rules on ``ctx.model``, a variant of ``base``'s model, reusing ``base``'s findings.

    The findings are those :func:`run_all` gives, rule by rule, but for their
    order within a rule, and for the messages of kept findings (see the module).
    """
    delta = Delta.of(base, ctx.model) if base.ctx.options == ctx.options else None
    if delta is None:
        return run_all(ctx, rules, key)
    _shared(base.ctx, ctx)
    few = Context(ctx.model, ctx.options, delta.fresh)
    ignores = None
    if base.ignores is False:
        # the elements left alone have none; the model's own `ignore:` is the base's
        ignores = next(iter(suppressions(ctx.model, delta.fresh)), None) is not None
    _stages(base.ctx, ctx)
    out: dict[str, list[Finding]] = {}
    changes: list[Change] = []
    for r in rules:
        if r.check is None:
            continue
        prior = base.findings.get(r.code)
        found = None if prior is None else _reused(r, prior, base, ctx, few, delta, changes)
        out[r.code] = list(r.check(ctx)) if found is None else found
    return RuleRun(ctx, out, key, ignores=ignores)


def _reused(r: Rule, prior: list[Finding], base: RuleRun, ctx: Context, few: Context,
            delta: Delta, changes: list[Change]) -> list[Finding] | None:
    """What ``r`` finds on the variant, worked out from what it found on the base
    (None: the rule must run on the whole variant)."""
    if r.local is not None:
        if not _pools_allow(base.ctx, ctx, r.local, prior):
            return None
        kept = delta.kept(prior)
        if kept is None:
            return None
        for pool in r.local:
            few.__dict__.setdefault(pool, getattr(ctx, pool))  # the whole variant's pools
        return kept + list(r.check(few)) if r.check is not None else kept
    if r.reads is None:
        return None
    if not delta.touches(r.reads):
        return delta.placed(prior)
    carried = CARRIED.get(r.code)
    if carried is None:
        return None
    if not changes:
        changes.append(Change(base, ctx, delta))
    return carried(changes[0], prior)


# What a context or a model works out from some sections only, by the sections it reads.
_CONTEXT_FROM = {"nodes": ("nodes",), "node_index": ("nodes",), "placeholders": ("nodes",),
                 "stage": ("nodes",), "assumption_ids": ("assumptions",),
                 "moderator_ids": ("moderators",), "reference_ids": ("references",),
                 "link_ids": ("links",), "graph": ("nodes", "links")}
_MODEL_FROM = {"link_ids": ("links",), "link_index": ("links",),
               "routes": ("pathways", "links")}


def _shared(base: Context, ctx: Context) -> None:
    """The variant's context and model take what the base's worked out from sections the
    variant shares with it (the very same lists), and the base's stages (they depend on
    fields outside the sections, which are the base's too)."""
    a, b = base.model.__dict__, ctx.model.__dict__
    b.setdefault("layout", base.model.layout)
    same = {s for s in ELEMENT_SECTIONS if a[s] is b[s]}
    for name, sections in _MODEL_FROM.items():
        if name in a and same.issuperset(sections):
            b.setdefault(name, a[name])
    x, y = base.__dict__, ctx.__dict__
    for name, sections in _CONTEXT_FROM.items():
        if name in x and same.issuperset(sections):
            y.setdefault(name, x[name])


def _stages(base: Context, ctx: Context) -> None:
    """The variant's node stages, the base's for the nodes it left alone.

    A node's stage depends on the node and the model's stages, which are the base's.
    """
    if "stage" not in base.__dict__ or "stage" in ctx.__dict__:
        return
    before, stage, layout = base.nodes, base.stage, ctx.layout
    ctx.__dict__["stage"] = {nid: stage[nid] if before.get(nid) is n else layout.stage_of(n)
                             for nid, n in ctx.nodes.items()}
