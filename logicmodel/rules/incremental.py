"""Re-checking a variant with what checking its base found.

A variant shares every element it leaves alone with its base: the very same
validated (frozen) object, at the same or a shifted position. A rule declared
``local`` (see :func:`.registry.rule`) finds about an element only what that
element, the model's fields outside its sections, the options and the id pools
it names say. So on a variant it runs on the elements the variant adds or
changes (``Context.only``), and the base's findings about the elements left
alone are kept, moved to their positions in the variant. That holds when the
variant's fields outside its sections (but ``title`` and ``description``) and the
pools the rule names are the base's; otherwise, and for every other rule (cycles,
reachability, pathways, unused and duplicate ids: what depends on the whole
graph), the rule runs on the whole variant.

A kept finding keeps its message. A message that names its element by position
(an indicator without an id, say) names the base's; such a finding is at the
same place as the base's own, so the variant's report leaves it to the base's.

A pool that only grew (a variant that adds nodes and removes none) keeps the
base's findings too when the base found nothing for that rule: a local rule
finds nothing more about an element when a pool it names grows.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..schema import LogicModel
from ..suppressions import suppressions
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

    __slots__ = ("ctx", "findings", "ignores", "key", "positions")

    def __init__(self, ctx: Context, findings: dict[str, list[Finding]], key: object = None,
                 ignores: bool | None = None) -> None:
        self.ctx = ctx
        self.findings = findings
        self.key = key
        self.ignores = ignores
        self.positions: dict[str, dict[int, int]] = {}

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


class _Delta:
    """How a variant's elements stand to its base's."""

    __slots__ = ("fresh", "moved")

    def __init__(self, fresh: dict[str, list[int]], moved: dict[str, dict[int, int]]) -> None:
        self.fresh = fresh  # section -> positions of the elements the variant wrote
        self.moved = moved  # section -> base position -> variant position

    @classmethod
    def of(cls, run: RuleRun, model: LogicModel) -> _Delta | None:
        """The delta of ``model`` from ``run``'s model, or None when local rules cannot use it."""
        base = run.ctx.model
        for name in type(model).model_fields:
            if name in ELEMENT_SECTIONS or name in _FREE_FIELDS:
                continue
            if getattr(model, name) != getattr(base, name):
                return None
        fresh: dict[str, list[int]] = {}
        moved: dict[str, dict[int, int]] = {}
        for section in ELEMENT_SECTIONS:
            at = run.positions_of(section)
            if at is None:
                return None  # one object twice: positions would be ambiguous
            after = getattr(model, section)
            here: dict[int, int] = {}
            new: list[int] = []
            for j, el in enumerate(after):
                i = at.get(id(el))
                if i is None or i in here:
                    new.append(j)
                else:
                    here[i] = j
            moved[section], fresh[section] = here, new
        return cls(fresh, moved)

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


def _pools_allow(a: Context, b: Context, pools: tuple[str, ...], prior: list[Finding]) -> bool:
    """Whether the base's findings stand for the variant's elements left alone, as to pools.

    They do when the variant's pools are the base's; and when some only grew and the
    base found nothing (a local rule finds nothing more about an element when a pool
    grows: an id that was known stays known).
    """
    for name in pools:
        x, y = getattr(a, name), getattr(b, name)
        before, after = (x.keys(), y.keys()) if isinstance(x, dict) else (x, y)
        if before == after:
            continue
        if prior or not before <= after:
            return False
    return True


def rerun(base: RuleRun, ctx: Context, rules: Iterable[Rule], key: object = None) -> RuleRun:
    """The rules on ``ctx.model``, a variant of ``base``'s model, reusing ``base``'s findings.

    The findings are those :func:`run_all` gives, rule by rule, but for their
    order within a rule, and for the messages of kept findings (see the module).
    """
    delta = _Delta.of(base, ctx.model) if base.ctx.options == ctx.options else None
    few = Context(ctx.model, ctx.options, delta.fresh) if delta is not None else None
    ignores = None
    if delta is not None and base.ignores is False:
        # the elements left alone have none; the model's own `ignore:` is the base's
        ignores = next(iter(suppressions(ctx.model, delta.fresh)), None) is not None
    if delta is not None:
        _stages(base.ctx, ctx)
    out: dict[str, list[Finding]] = {}
    for r in rules:
        if r.check is None:
            continue
        prior = base.findings.get(r.code)
        kept = None
        if (delta is not None and few is not None and r.local is not None
                and prior is not None and _pools_allow(base.ctx, ctx, r.local, prior)):
            kept = delta.kept(prior)
        if kept is None:
            out[r.code] = list(r.check(ctx))
            continue
        assert few is not None
        for pool in r.local or ():
            few.__dict__.setdefault(pool, getattr(ctx, pool))  # the whole variant's pools
        out[r.code] = kept + list(r.check(few))
    return RuleRun(ctx, out, key, ignores=ignores)


def _stages(base: Context, ctx: Context) -> None:
    """The variant's node stages, the base's for the nodes it left alone.

    A node's stage depends on the node and the model's stages, which are the base's.
    """
    if "stage" not in base.__dict__ or "stage" in ctx.__dict__:
        return
    before, stage, layout = base.nodes, base.stage, ctx.layout
    ctx.__dict__["stage"] = {nid: stage[nid] if before.get(nid) is n else layout.stage_of(n)
                             for nid, n in ctx.nodes.items()}
