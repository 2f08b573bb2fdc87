"""LM3xx: evidence and measurement: indicators, assumptions, references, provenance."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..schema import MEASURED_KINDS
from .context import Context, provenance_holders
from .registry import Finding, rule


@rule("LM301", "outcome-without-indicator", Severity.WARNING)
def outcome_without_indicator(ctx: Context) -> Iterator[Finding]:
    """An outcome or impact has no indicator.

    ## What it does
    Reports outcome and impact nodes with an empty `indicators:` list.

    ## Why is this bad?
    An evaluation has to say how it will know whether each outcome happened. An
    outcome nobody measures cannot support or challenge the theory.

    ## Example
    ```yaml
    - id: less_stress
      kind: outcome
      horizon: short
      label: Less parental stress
      indicators:
        - {id: pss, measure: Parental Stress Scale score, data_source: survey}
    ```
    """
    if not ctx.options.require_indicators:
        return
    for i, n in enumerate(ctx.model.nodes):
        if n.kind in MEASURED_KINDS and not getattr(n, "indicators", None):
            yield Finding(("nodes", i, "id"), f"the {n.kind} `{n.id}` has no indicator",
                          "add `indicators:` saying what is measured and where the data come "
                          "from")


@rule("LM302", "unused-assumption", Severity.WARNING)
def unused_assumption(ctx: Context) -> Iterator[Finding]:
    """An assumption is attached to no link or node.

    ## What it does
    Reports assumptions that no `assumptions:` list refers to.

    ## Why is this bad?
    In realist and logframe practice an assumption belongs to a step in the
    theory. Unattached, it cannot be tested where it matters, and diagrams and
    registers cannot place it.

    ## Example
    Add its id to the `assumptions:` of the link it underpins.
    """
    used = {a for el in (*ctx.model.nodes, *ctx.model.links) for a in el.assumptions}
    for i, a in enumerate(ctx.model.assumptions):
        if a.id not in used:
            yield Finding(("assumptions", i, "id"),
                          f"the assumption `{a.id}` is attached to nothing",
                          "list it in the `assumptions:` of the link or node it underpins")


@rule("LM303", "unused-reference", Severity.WARNING)
def unused_reference(ctx: Context) -> Iterator[Finding]:
    """A reference is cited by no element.

    ## What it does
    Reports entries of `references:` that no `provenance.refs` or
    `evidence.refs` cites.

    ## Why is this bad?
    A bibliography entry nothing rests on is either left over or a sign that
    the elements it supports forgot to cite it.

    ## Example
    Cite it in `provenance: {refs: [westlake2022]}` of the elements it supports.
    """
    m = ctx.model
    if not m.references:
        return
    cited: set[str] = set(m.provenance.refs if m.provenance else ())
    for _, el in provenance_holders(m):
        if el.provenance is not None:
            cited.update(el.provenance.refs)
    for lk in m.links:
        if lk.evidence is not None:
            cited.update(lk.evidence.refs)
    for i, r in enumerate(m.references):
        if r.id not in cited:
            yield Finding(("references", i, "id"), f"the reference `{r.id}` is cited by nothing",
                          "cite it in the provenance or evidence of what it supports, "
                          "or remove it")


@rule("LM304", "missing-provenance", Severity.ERROR)
def missing_provenance(ctx: Context) -> Iterator[Finding]:
    """An element does not say where it comes from, in a model that requires it.

    ## What it does
    When the model sets `requirements: {provenance: true}` (or the
    configuration sets `require-provenance`), every node, link, assumption,
    moderator, pathway and indicator needs `provenance:` with a `status` (`stated` or
    `inferred`), and a `stated` element needs at least one reference.

    The model's own `provenance:` (format 2) counts for every element that
    has none: a model adapted from one published figure says so once.

    ## Why is this bad?
    A published logic model mixes what sources say with what the modeller
    reconstructed. Readers, reviewers and replication need to tell them apart.

    ## Example
    ```yaml
    provenance: {status: stated, refs: [westlake2022]}
    ```
    """
    m = ctx.model
    if not (m.requirements.provenance or ctx.options.require_provenance):
        return
    for path, el in provenance_holders(m):
        name = getattr(el, "id", None) or "/".join(map(str, path))
        p = el.provenance or m.provenance  # the model's own provenance covers what has none
        if p is None:
            yield Finding(path, f"`{name}` does not say where it comes from",
                          "add `provenance: {status: stated, refs: [...]}` or "
                          "`provenance: {status: inferred}`")
        elif p.status is None:
            yield Finding((*path, "provenance") if el.provenance else ("provenance",),
                          f"`{name}` does not say whether it is stated or inferred",
                          "add `status: stated` or `status: inferred`")
        elif p.status == "stated" and not p.refs:
            yield Finding((*path, "provenance") if el.provenance else ("provenance",),
                          f"`{name}` is marked stated but cites no reference",
                          "add the reference that states it to `refs:`")


@rule("LM305", "unused-moderator", Severity.WARNING)
def unused_moderator(ctx: Context) -> Iterator[Finding]:
    """A moderator (barrier or enabler) acts on no link or node.

    ## What it does
    Reports moderators that no `moderators:` list refers to.

    ## Why is this bad?
    A barrier matters where it weakens a step. Unattached, a diagram cannot
    show where it acts and a realist table cannot pair it with a mechanism.

    ## Example
    Add its id to the `moderators:` of the link or node it acts on.
    """
    used = {x for el in (*ctx.model.nodes, *ctx.model.links) for x in el.moderators}
    for i, x in enumerate(ctx.model.moderators):
        if x.id not in used:
            yield Finding(("moderators", i, "id"), f"the moderator `{x.id}` acts on nothing",
                          "list it in the `moderators:` of the link or node it acts on")
