"""LM3xx: evidence and measurement: indicators, assumptions, references, provenance."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..schema import MEASURED_KINDS, evidence_of
from .context import Context, provenance_holders
from .registry import Finding, rule


@rule("LM301", "outcome-without-indicator", Severity.WARNING, local=("placeholders",))
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
    for i, n in ctx.elements("nodes"):
        if (n.kind in MEASURED_KINDS and not getattr(n, "indicators", None)
                and n.id not in ctx.placeholders):
            yield Finding(("nodes", i, "id"), f"the {n.kind} `{n.id}` has no indicator",
                          "add `indicators:` saying what is measured and where the data come "
                          "from")


@rule("LM302", "unused-assumption", Severity.WARNING,
      reads=("nodes.assumptions", "links.assumptions", "assumptions.id"))
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


@rule("LM303", "unused-reference", Severity.WARNING,
      reads=("nodes.provenance", "nodes.indicators", "nodes.evidence", "links.provenance",
             "links.evidence", "assumptions.provenance", "moderators.provenance",
             "pathways.provenance", "references.id"))
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
    for el in (*m.nodes, *m.links):
        for ev in evidence_of(el):
            cited.update(ev.refs)
    for i, r in enumerate(m.references):
        if r.id not in cited:
            yield Finding(("references", i, "id"), f"the reference `{r.id}` is cited by nothing",
                          "cite it in the provenance or evidence of what it supports, "
                          "or remove it")


@rule("LM304", "missing-provenance", Severity.ERROR, local=())
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
    for path, el in ctx.holders():
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


@rule("LM305", "unused-moderator", Severity.WARNING,
      reads=("nodes.moderators", "links.moderators", "moderators.id"))
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


def _placeholder(el: object) -> bool:
    """A box the source lost or cut short (format 2's `missing` and `truncated`): the rules
    below demand nothing of it that the source cannot give."""
    prov = getattr(el, "provenance", None)
    status = getattr(prov, "status", None) if prov is not None else None
    return str(getattr(status, "value", status)) in ("missing", "truncated")


@rule("LM306", "incomplete-indicator", Severity.WARNING, enabled=False, local=())
def incomplete_indicator(ctx: Context) -> Iterator[Finding]:
    """An indicator has no baseline, no target or no data source.

    ## What it does
    Names each indicator that lacks a `baseline`, a `target` or a `data_source`
    (the logframe's means of verification), and says which. Off by default:
    many theories of change are written before anyone sets targets. Turn it on
    with `select = ["LM306"]` when the model becomes a monitoring plan.
    Indicators on boxes the source lost or cut short (`missing`, `truncated`)
    are left alone.

    ## Why is this bad?
    An indicator without a baseline cannot show change, one without a target
    cannot show whether the change was enough, and one without a data source
    will not be collected. The scorecard counts them; this names them.

    ## Example
    ```yaml
    indicators:
      - {id: pss, measure: Parental Stress Scale score, baseline: "41 (2023)",
         target: "35 by 2026", data_source: Family survey}
    ```
    """
    for i, n in ctx.elements("nodes"):
        if _placeholder(n):
            continue
        for j, ind in enumerate(getattr(n, "indicators", None) or ()):
            lacking = [word for word, value in (("baseline", ind.baseline),
                                                ("target", ind.target),
                                                ("data source", ind.data_source))
                       if value is None or value == ""]
            if lacking:
                yield Finding(("nodes", i, "indicators", j, "id"),
                              f"the indicator `{ind.id}` of `{n.id}` has no "
                              f"{' and no '.join(lacking)}",
                              "add `baseline:`, `target:` and `data_source:` (the means of "
                              "verification), or say in `ignore:` why not")


@rule("LM307", "link-without-rationale", Severity.WARNING, enabled=False,
      local=())
def link_without_rationale(ctx: Context) -> Iterator[Finding]:
    """A link does not say why the step should work.

    ## What it does
    Names each link with no `rationale:`. Off by default; turn it on with
    `select = ["LM307"]` for a model that will be reviewed or published. Links
    the source lost or cut short (`missing`, `truncated`) are left alone.

    ## Why is this bad?
    An arrow without a reason is the part of a theory an evaluator cannot test:
    it does not say what would have to happen for the step to work.

    ## Example
    ```yaml
    - {from: budget, to: purchase, rationale: Workers can buy what a family needs at once}
    ```
    """
    for i, lk in ctx.elements("links"):
        if not lk.rationale and not _placeholder(lk):
            name = lk.id or f"{lk.source} -> {lk.target}"
            yield Finding(("links", i), f"the link `{name}` has no rationale",
                          "add `rationale:` saying why this step should lead to the next")


@rule("LM308", "measure-off-pathway", Severity.INFO, enabled=False,
      reads=("pathways", "links.id", "links.source", "links.target", "nodes.kind",
             "nodes.indicators"))
def measure_off_pathway(ctx: Context) -> Iterator[Finding]:
    """An outcome's indicators measure nothing on a declared pathway.

    ## What it does
    In a model that declares pathways, names each measured outcome or impact that
    no pathway passes through: its indicators cannot tell whether any pathway
    worked. Off by default; turn it on with `select = ["LM308"]`.

    ## Why is this bad?
    Theory-based evaluation tests pathways. Data collected on results that lie
    off every pathway cost as much and answer none of the evaluation questions.

    ## Example
    Add the outcome to the pathway it belongs to, or declare the pathway it
    measures.
    """
    m = ctx.model
    if not m.pathways:
        return
    on = {nid for route in m.routes for nid in route.nodes}  # a chain, links or steps
    for i, n in enumerate(m.nodes):
        if n.kind in MEASURED_KINDS and getattr(n, "indicators", None) and n.id not in on:
            yield Finding(("nodes", i, "id"),
                          f"the indicators of `{n.id}` measure nothing on a declared pathway",
                          "add it to the pathway it belongs to, or declare that pathway")
