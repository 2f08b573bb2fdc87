"""LM9xx: a framework's own checks, run where the model's framework lists them.

A framework file (``logicmodel/frameworks/NAME.yaml``) names the checks of its
tradition under ``checks:``; these rules run only for models in such a
framework (format 2). They ask what the tradition asks of a model: the
logframe's indicators, means of verification and assumptions on every row; the
Center for Theory of Change's ceiling of accountability; the realist
context-mechanism-outcome configurations; TASO's core or enhanced level.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

from ..diagnostics import Severity
from ..schema import RESULT_KINDS, evidence_of
from .context import Context
from .registry import Finding, rule

__all__ = ["logframe_row_incomplete", "realist_configuration_incomplete", "taso_level",
           "toc_ceiling_missing"]


def _applies(ctx: Context, code: str) -> bool:
    return code in ctx.layout.checks


@rule("LM901", "logframe-row-incomplete", Severity.WARNING,
      reads=("nodes.kind", "nodes.indicators", "nodes.assumptions", "nodes.provenance.status",
             "links.source", "links.assumptions"))
def logframe_row_incomplete(ctx: Context) -> Iterator[Finding]:
    """A row of a logframe lacks an indicator, a means of verification or an assumption.

    ## What it does
    In a model whose framework is `logframe`, checks every output, outcome
    (purpose) and impact (goal): it needs an objectively verifiable indicator
    (`indicators:`), each indicator a means of verification (`data_source`),
    and (goal aside) an assumption, on the node or on a link leaving it. Boxes
    marked `status: missing` are left alone.

    ## Why is this bad?
    A logframe's vertical logic reads "if this row is achieved and its
    assumptions hold, the next row follows", and its horizontal logic says how
    each row will be verified. A row without them is a list item, not a
    logframe row.

    ## Example
    ```yaml
    - id: wells_used
      kind: outcome
      label: Households use the new wells
      assumptions: [as_maintained]
      indicators:
        - {id: ind_use, measure: Share of households using a well, data_source: Household survey}
    ```
    """
    if not _applies(ctx, "LM901"):
        return
    words = ctx.layout
    leaving: dict[str, set[str]] = {}
    for lk in ctx.model.links:
        leaving.setdefault(lk.source, set()).update(lk.assumptions)
    for i, n in enumerate(ctx.model.nodes):
        if n.kind not in ("output", "outcome", "impact") or n.id in ctx.placeholders:
            continue
        row = words.kind_name(n.kind).lower()
        indicators = getattr(n, "indicators", [])
        if not indicators:
            yield Finding(("nodes", i, "id"),
                          f"the {row} `{n.id}` has no objectively verifiable indicator",
                          "add `indicators:` with what is measured")
        for k, ind in enumerate(indicators):
            if not ind.data_source:
                yield Finding(("nodes", i, "indicators", k, "id"),
                              f"the indicator `{ind.id}` of `{n.id}` has no means of verification",
                              "add `data_source:` saying where the data come from")
        if n.kind != "impact" and not n.assumptions and not leaving.get(n.id):
            yield Finding(("nodes", i, "id"),
                          f"the {row} `{n.id}` has no assumption for the step to the next row",
                          "attach the assumption that must hold, on the node or on its link up")


@rule("LM902", "toc-ceiling-missing", Severity.WARNING, local=())
def toc_ceiling_missing(ctx: Context) -> Iterator[Finding]:
    """A Center for Theory of Change model does not say where its ceiling of accountability is.

    ## What it does
    In a model whose framework is `theory_of_change`, checks that `ceiling:`
    names the last stage the programme is accountable for. The stages after
    it are above the ceiling: the programme contributes to them but is not
    held to account for them. (An unknown stage id there is LM106.)

    ## Why is this bad?
    The ceiling is how a theory of change tells funders and evaluators what the
    programme answers for; without it every outcome reads as a promise.

    ## Example
    ```yaml
    framework: theory_of_change
    ceiling: long_term        # the goal lies above the ceiling
    ```
    """
    if not _applies(ctx, "LM902") or ctx.model.ceiling is not None:
        return
    yield Finding((), "the model does not say where its ceiling of accountability lies",
                  "add `ceiling: <stage id>`, the last stage the programme answers for",
                  at_key=False)


def _forward(succ: dict[str, list[str]], sources: Iterable[str]) -> set[str]:
    seen = set(sources)
    queue = deque(seen)
    while queue:
        for v in succ.get(queue.popleft(), ()):
            if v not in seen:
                seen.add(v)
                queue.append(v)
    return seen


@rule("LM903", "realist-configuration-incomplete", Severity.WARNING,
      reads=("nodes.kind", "nodes.moderators", "nodes.provenance.status", "links.source",
             "links.target", "links.moderators"))
def realist_configuration_incomplete(ctx: Context) -> Iterator[Finding]:
    """A realist outcome is not reached from a mechanism that has a context.

    ## What it does
    In a model whose framework is `realist`, checks every outcome: some
    mechanism must lead to it (along links), and that mechanism must have a
    context: a context node that leads to it, or a moderator acting on it or
    on a link into it. Placeholders (`status: missing`) are left alone.

    ## Why is this bad?
    The unit of a realist programme theory is the context-mechanism-outcome
    configuration: in context C, mechanism M fires to produce outcome O. An
    outcome without a mechanism, or a mechanism without a context, is half a
    configuration.

    ## Example
    ```yaml
    links:
      - {from: c1_context, to: c1_mechanism}
      - {from: c1_mechanism, to: c1_outcome}
    ```
    """
    if not _applies(ctx, "LM903"):
        return
    g = ctx.graph
    nodes = ctx.nodes
    contexts = [nid for nid in g.nodes if nodes[nid].kind == "context"]
    downstream = _forward(g.succ, contexts)
    moderated = {lk.target for lk in ctx.model.links if lk.moderators}
    mechanisms = [nid for nid in g.nodes if nodes[nid].kind == "mechanism"]
    with_context = [m for m in mechanisms
                    if m in downstream or nodes[m].moderators or m in moderated]
    from_any = _forward(g.succ, mechanisms)
    from_configured = _forward(g.succ, with_context)
    for nid in g.nodes:
        node = nodes[nid]
        if node.kind not in RESULT_KINDS or node.kind == "condition" or nid in ctx.placeholders:
            continue
        if nid not in from_any:
            yield Finding(("nodes", ctx.node_index[nid], "id"),
                          f"no mechanism leads to the {node.kind} `{nid}`",
                          "link it from the mechanism that produces it")
        elif nid not in from_configured:
            yield Finding(("nodes", ctx.node_index[nid], "id"),
                          f"the mechanisms that lead to `{nid}` have no context",
                          "link a context node to the mechanism, or attach the moderator "
                          "that enables or blocks it")


@rule("LM904", "taso-level", Severity.WARNING,
      reads=("nodes.kind", "links.source", "links.target", "links.rationale", "links.evidence"))
def taso_level(ctx: Context) -> Iterator[Finding]:
    """A TASO theory of change does not meet its level (core or enhanced).

    ## What it does
    In a model whose framework is `taso`, checks that `level:` says `core` or
    `enhanced`. An enhanced theory of change also needs at least one
    mechanism, and a rationale and evidence on every link (TASO: the enhanced
    version maps links between particular activities and outcomes, their
    assumptions and the change mechanisms).

    ## Why is this bad?
    TASO asks higher-education providers for one of two levels of detail; a
    model should say which it offers and then offer it.

    ## Example
    ```yaml
    framework: taso
    level: enhanced
    links:
      - {from: mentoring, to: belonging, rationale: A mentor makes the student feel known,
         evidence: {grade: moderate, refs: [taso2022]}}
    ```
    """
    if not _applies(ctx, "LM904"):
        return
    level = ctx.model.level
    if level is None:
        yield Finding((), "the model does not say whether it is a core or an enhanced theory "
                      "of change", "add `level: core` or `level: enhanced`")
        return
    if level != "enhanced":
        return
    if not any(n.kind == "mechanism" for n in ctx.model.nodes):
        yield Finding(("level",), "an enhanced theory of change names no change mechanism",
                      "add the mechanism nodes the activities work through")
    for i, lk in enumerate(ctx.model.links):
        missing = [w for w, ok in (("a rationale", bool(lk.rationale)),
                                   ("evidence", bool(evidence_of(lk)))) if not ok]
        if missing:
            yield Finding(("links", i),
                          f"the link `{lk.source}` -> `{lk.target}` has no "
                          + " and no ".join(missing),
                          "an enhanced theory of change says why each link holds and on "
                          "what evidence")
