"""Checking a short version's mapping onto its full version (LM121-LM125).

Run by ``check`` on a model with ``summarises:`` whose full version was read:

* LM121: a mapped id is not a box of its side (a key of ``map`` not a box of the
  short version, a value or a ``shared`` id not a box of the full one), with
  "did you mean";
* LM122: a full box mapped by two short boxes (or twice by one), unless
  ``shared`` lists it;
* LM123: a short box that stands for no box of the full version;
* LM124: a short link ``A -> B`` with no route in the full version from any of
  A's boxes to any of B's;
* LM125: boxes of the full version that no short box covers, and links of the
  full version between two short boxes that the short version does not link.

Each problem is located in the short version, at the line of the mapping or of
the element at fault, and honours the configuration (``select``, ``ignore``,
``severity``) and the model's ``ignore:`` entries like any rule.
"""

from __future__ import annotations

import difflib
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Path, Severity
from ..rules.registry import RULES, rule

if TYPE_CHECKING:
    from ..config import Config
    from ..loader import Document
    from ..schema import LogicModel

__all__ = ["Mapping", "mapping_of", "reaches", "version_diagnostics"]

_MAP = ("summarises", "map")
_LISTED = 8  # ids named in one message before "and N more"


@dataclass(frozen=True)
class Mapping:
    """A short version's mapping, as written: short box -> full boxes, with where each is."""

    short: LogicModel
    full: LogicModel
    boxes: dict[str, list[str]]          # short id -> full ids, in the order written
    listed: dict[str, bool]              # short id -> written as a list (not one id)
    shared: frozenset[str]

    def path_of(self, short_id: str, k: int) -> Path:
        """Where the ``k``-th full box of ``short_id`` is written."""
        return (*_MAP, short_id, k) if self.listed[short_id] else (*_MAP, short_id)

    def owners(self) -> dict[str, list[str]]:
        """Full id -> the short boxes that stand for it (each once), in the order written."""
        out: dict[str, list[str]] = {}
        for short_id, ids in self.boxes.items():
            for full_id in ids:
                owners = out.setdefault(full_id, [])
                if short_id not in owners:
                    owners.append(short_id)
        return out


def mapping_of(short: LogicModel, full: LogicModel, written: object = None) -> Mapping:
    """The mapping of ``short`` (which has ``summarises:``) onto ``full``.

    ``written`` is the file's data, to tell where each id is written (a value of
    ``map`` may be one id or a list).
    """
    s = short.summarises
    assert s is not None
    raw = written.get("summarises") if isinstance(written, dict) else None
    raw_map = raw.get("map") if isinstance(raw, dict) else None
    listed = {k: not (isinstance(raw_map, dict) and isinstance(raw_map.get(k), str))
              for k in s.map}
    return Mapping(short, full, s.mapping(), listed, frozenset(s.shared))


def reaches(model: LogicModel, start: Iterable[str], goal: Iterable[str]) -> bool:
    """Whether some route of ``model``'s links leads from a box in ``start`` to one in ``goal``.

    A box in both counts as a route (of no links).
    """
    targets = set(goal)
    seen = set(start)
    if seen & targets:
        return True
    succ: dict[str, list[str]] = {}
    for lk in model.links:
        succ.setdefault(lk.source, []).append(lk.target)
    queue = deque(seen)
    while queue:
        for nxt in succ.get(queue.popleft(), ()):
            if nxt in targets:
                return True
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False


def _suggest(word: str, options: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f"did you mean `{close[0]}`?" if close else None


def _few(ids: list[str]) -> str:
    shown = ", ".join(f"`{i}`" for i in ids[:_LISTED])
    return shown + (f" and {len(ids) - _LISTED} more" if len(ids) > _LISTED else "")


class _Out:
    def __init__(self, doc: Document, config: Config) -> None:
        self.doc, self.config = doc, config
        self.found: list[Diagnostic] = []

    def add(self, code: str, message: str, path: Path, hint: str | None = None,
            at_key: bool = False) -> None:
        if not self.config.is_active(code):
            return
        r = RULES[code]
        self.found.append(Diagnostic(code, r.name, self.config.severity_of(code), message,
                                     self.doc.file, self.doc.locate(path, at_key=at_key), path,
                                     hint))


def _written_by_variant(doc: Document, path: Path) -> bool:
    """Whether the part of a variant's mapping at ``path`` is the variant's own writing."""
    if doc.origin is None or doc.base is None:
        return False
    src = doc.origin.resolve(path)
    return src.file != doc.base.file or src.path != tuple(path)


def version_diagnostics(doc: Document, config: Config) -> list[Diagnostic]:
    """The problems of ``doc``'s mapping onto its full version ``doc.full``, located in ``doc``."""
    assert doc.model is not None
    assert doc.full is not None
    assert doc.full.model is not None
    m = mapping_of(doc.model, doc.full.model, doc.tree.data if doc.tree else None)
    out = _Out(doc, config)
    full_name = doc.full.file + (f", variant `{doc.full.variant}`" if doc.full.variant else "")
    short_ids = [n.id for n in m.short.nodes]
    full_ids = [n.id for n in m.full.nodes]
    short_known, full_known = set(short_ids), set(full_ids)
    unmapped = [i for i in short_ids if i not in m.boxes]
    # a variant maps onto the full version's variant of its name: what that variant removes
    full_variant = doc.full.variant
    full_base = doc.full.base.model if full_variant and doc.full.base else None
    removed = {n.id for n in full_base.nodes} - full_known if full_base is not None else set()

    def unknown_hint(full_id: str) -> str:
        if full_id in removed and doc.base is None:
            return (f"the full version's variant `{full_variant}` removes it: map the short "
                    "box onto boxes that variant has")
        if full_id in removed:
            return (f"the full version's variant `{full_variant}` removes it: change "
                    "this variant's mapping with `change: {summarises: {map: ...}}`")
        return _suggest(full_id, full_ids) or "map the short box onto boxes the full version has"

    # LM121: every mapped id is a box of its side.
    for short_id, ids in m.boxes.items():
        if short_id not in short_known:
            out.add("LM121", f"`{short_id}` is not a box of this model", (*_MAP, short_id),
                    _suggest(short_id, unmapped) or "the keys of `map` are ids of this "
                    "model's nodes", at_key=True)
        for k, full_id in enumerate(ids):
            if full_id not in full_known:
                out.add("LM121", f"`{full_id}` is not a box of the full version ({full_name})",
                        m.path_of(short_id, k), unknown_hint(full_id))
    for k, full_id in enumerate(m.short.summarises.shared if m.short.summarises else ()):
        if full_id not in full_known:
            out.add("LM121", f"shared: `{full_id}` is not a box of the full version "
                    f"({full_name})", ("summarises", "shared", k), unknown_hint(full_id))

    # LM122: a full box belongs to one short box, unless `shared` says otherwise.
    first: dict[str, tuple[str, Path]] = {}
    for short_id, ids in m.boxes.items():
        for k, full_id in enumerate(ids):
            if full_id not in full_known:
                continue
            if full_id in ids[:k]:
                out.add("LM122", f"`{full_id}` is listed twice for `{short_id}`",
                        m.path_of(short_id, k), "list each box once")
            elif full_id in first and full_id not in m.shared:
                owner, at = first[full_id]
                where = m.path_of(short_id, k)
                if _written_by_variant(doc, at) and not _written_by_variant(doc, where):
                    where = at  # a variant's mapping is reported where the variant wrote it
                out.add("LM122", f"`{full_id}` is mapped twice: by `{owner}` and by "
                        f"`{short_id}`", where,
                        f"add `{full_id}` to `summarises.shared` if both boxes stand for it")
            first.setdefault(full_id, (short_id, m.path_of(short_id, k)))

    # LM123: each short box stands for something in the full version.
    for i, node in enumerate(m.short.nodes):
        if node.id not in m.boxes:
            out.add("LM123", f"`{node.id}` stands for no box of the full version", ("nodes", i),
                    f"map it under `summarises.map`, e.g. `{node.id}: [...]`")

    # LM124: a short link is a route of the full version.
    for i, lk in enumerate(m.short.links):
        start = [f for f in m.boxes.get(lk.source, ()) if f in full_known]
        goal = [f for f in m.boxes.get(lk.target, ()) if f in full_known]
        if start and goal and not reaches(m.full, start, goal):
            out.add("LM124", f"link `{lk.source}` -> `{lk.target}`: the full version has no "
                    f"route from {_few(start)} to {_few(goal)}", ("links", i),
                    "map the boxes onto others, add the route to the full version, or drop "
                    "the link")

    # LM125: what of the full version the short one leaves out.
    owners = {f: kept for f, o in m.owners().items()
              if (kept := [s for s in o if s in short_known])}
    left = [i for i in full_ids if i not in owners]
    if left:
        out.add("LM125", f"{len(left)} box{'es' if len(left) != 1 else ''} of the full version "
                f"{'are' if len(left) != 1 else 'is'} not in the short version: {_few(left)}",
                _MAP, "map each onto the short box it belongs to, or leave it out on purpose",
                at_key=True)
    short_links = {(lk.source, lk.target) for lk in m.short.links}
    crossing: list[str] = []
    for lk in m.full.links:
        pairs = [(a, b) for a in owners.get(lk.source, ()) for b in owners.get(lk.target, ())
                 if a != b]
        if pairs and not any(p in short_links for p in pairs):
            crossing.append(lk.id or f"{lk.source}->{lk.target}")
    if crossing:
        out.add("LM125", f"{len(crossing)} link{'s' if len(crossing) != 1 else ''} of the full "
                f"version between two short boxes {'have' if len(crossing) != 1 else 'has'} "
                f"no link here: {_few(crossing)}", _MAP,
                "link the two short boxes, or map the boxes differently", at_key=True)
    if doc.base is None:
        _unsummarised_variants(doc, out)
    return out.found


def _unsummarised_variants(doc: Document, out: _Out) -> None:
    """LM128: the full version's variants that neither this short version nor any of its
    variants maps onto (said once, for the short version's base)."""
    from .load import counterpart

    full, chosen = doc.full_read, doc.full
    if full is None or chosen is None or not full.variants:
        return
    covered = {chosen.variant} if chosen is not full else set()
    covered |= {counterpart(full, chosen, spec) for spec in doc.variants}
    left = [v.id for v in full.variants if v.id not in covered]
    if not left:
        return
    many = len(left) != 1
    where: Path = ("variants",) if doc.variants else ("summarises", "model")
    example = left[0]
    out.add("LM128", f"the full version's variant{'s' if many else ''} {_few(left)} "
            f"{'have' if many else 'has'} no counterpart here: no "
            f"{'variant of this model' if doc.variants else 'variant'} maps onto "
            f"{'them' if many else 'it'}",
            where, f"add a variant `{example}` (or one with `change: {{summarises: "
            f"{{variant: {example}}}}}`) if the short version should follow it, or leave it "
            "out on purpose", at_key=bool(doc.variants))


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

E, W = Severity.ERROR, Severity.WARNING


@rule("LM121", "unknown-mapped-id", E)
def unknown_mapped_id() -> None:
    """A short version's mapping names a box that is not there.

    ## What it does
    In `summarises.map`, each key is a box (node id) of the short version and
    each value one or more boxes of the full version; `summarises.shared` lists
    boxes of the full version. An id that is not a box of its side is reported
    where it is written, with "did you mean".

    ## Why is this bad?
    The short version would claim to stand for a part of the full version that
    does not exist, usually a typo or a box renamed in the full version.

    ## Example
    ```yaml
    summarises:
      model: devolved_budgets.yaml
      map:
        spending: [act_purchse]     # LM121: did you mean `act_purchase`?
    ```
    """


@rule("LM122", "mapped-twice", E)
def mapped_twice() -> None:
    """A box of the full version is mapped by two short boxes, or twice by one.

    ## What it does
    Each box of the full version belongs to one box of the short version. A box
    mapped again is reported at the second mapping; list it under
    `summarises.shared` when two short boxes really do both stand for it. Each
    variant of a short version is checked with its own mapping (a variant's
    `change: {summarises: {map: ...}}` merged into the base's), and a box it maps
    twice is reported where the variant wrote the mapping.

    ## Why is this bad?
    A box counted in two places makes the short version look as if it covered
    more than it does, and a reader cannot tell which short box it belongs to.

    ## Example
    ```yaml
    map:
      plan: [act_joint_plan]
      relationship: [act_joint_plan, mech_relationship]  # LM122, unless:
    shared: [act_joint_plan]                             # passes
    ```
    """


@rule("LM123", "unmapped-short-box", W)
def unmapped_short_box() -> None:
    """A box of the short version stands for no box of the full version.

    ## What it does
    Reports each node of a short version (a model with `summarises:`) that is
    not a key of `summarises.map`.

    ## Why is this bad?
    A box only the short version has says something the full theory does not:
    either the mapping is incomplete, or the full version is missing a box.

    ## Example
    A funder's version with a box `value_for_money` and no
    `value_for_money: [...]` under `map` is reported at the box.
    """


@rule("LM124", "short-link-without-route", W)
def short_link_without_route() -> None:
    """A link of the short version has no route in the full version.

    ## What it does
    For a link `A -> B` of the short version, looks for a route (a chain of
    links) in the full version from any box that `A` stands for to any box that
    `B` stands for, and reports the link when there is none.

    ## Why is this bad?
    The short version would claim a causal step that the full theory does not
    make: the arrow a funder reads must be backed by the arrows the team drew.

    ## Example
    With `budgets: [in_budget]` and `impact: [imp_less_care]`, a short link
    `impact -> budgets` is reported: nothing in the full version leads from
    the impact back to the budget.
    """


@rule("LM125", "not-in-short-version", Severity.INFO)
def not_in_short_version() -> None:
    """Parts of the full version that the short version leaves out.

    ## What it does
    Reports, once each, at `summarises.map`: the boxes of the full version that
    no short box stands for, and the links of the full version between boxes
    of two different short boxes that the short version does not link.

    ## Why is this bad?
    It is not wrong: a summary leaves things out. But whoever reads only the
    short version should be left without a box or an arrow on purpose, not by
    an oversight; the list says what is missing.

    ## Example
    "3 boxes of the full version are not in the short version: `ctx_austerity`,
    `out_skills`, `lt_reunified`".
    """


@rule("LM128", "full-variant-not-summarised", Severity.INFO)
def full_variant_not_summarised() -> None:
    """A variant of the full version has no counterpart in the short version.

    ## What it does
    Each variant of a short version maps onto a variant of the full version
    (the one it names with `change: {summarises: {variant: NAME}}`, else the
    one of its own name, else what its base summarises). The full version's
    variants that nothing in the short version maps onto are listed once, at
    the short version's `variants:` (or at `summarises.model` when it has
    none). Information, not a warning: a funder's summary of the whole
    programme need not follow every pilot, but a short version that follows
    two pilots and forgets the third says so.

    ## Why is this bad?
    It is not, when it is on purpose; when it is not, the short version says
    nothing about one of the full version's sites or arms.

    ## Example
    The full version has variants `darlington`, `hillingdon` and `wigan`; the
    short version's variants are `darlington` and `hillingdon`: LM128, "the
    full version's variant `wigan` has no counterpart here".
    """
