"""LM4xx: declared pathways: linked, complete, and working through a mechanism."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..schema import RESULT_KINDS, START_KINDS
from .context import Context
from .registry import Finding, rule


@rule("LM401", "broken-pathway", Severity.ERROR)
def broken_pathway(ctx: Context) -> Iterator[Finding]:
    """Two consecutive nodes of a pathway are not linked.

    ## What it does
    For each pathway, checks that a link runs from every node to the next one
    in the order written.

    ## Why is this bad?
    A pathway is a route through the model. If a step is missing, the route the
    paper describes is not the one the diagram draws.

    ## Example
    ```yaml
    links:
      - {from: purchase, to: material_help}
    pathways:
      - id: resources
        nodes: [purchase, material_help, needs_met]   # fails: no link material_help -> needs_met
    ```
    """
    edges = ctx.graph.edges
    for i, p in enumerate(ctx.model.pathways):
        for j, (a, b) in enumerate(zip(p.nodes, p.nodes[1:], strict=False)):
            if a in ctx.nodes and b in ctx.nodes and (a, b) not in edges:
                hint = (f"add the link `{a}` -> `{b}`" if (b, a) not in edges
                        else f"the link runs `{b}` -> `{a}`: swap the two in the pathway")
                yield Finding(("pathways", i, "nodes", j + 1),
                              f"pathway `{p.id}`: no link from `{a}` to `{b}`", hint)


@rule("LM402", "pathway-bad-start", Severity.WARNING)
def pathway_bad_start(ctx: Context) -> Iterator[Finding]:
    """A pathway does not start at an input or an activity.

    ## What it does
    Checks the kind of each pathway's first node.

    ## Why is this bad?
    A pathway explains how what the programme has or does leads to change. One
    that starts midway leaves out how the programme sets it going.

    ## Example
    `nodes: [mech_dedicated, needs_met, ...]` fails; start from the activity
    that produces the resources: `[purchase, material_help, mech_dedicated, ...]`.
    """
    for i, p in enumerate(ctx.model.pathways):
        first = ctx.nodes.get(p.nodes[0])
        if first is not None and first.kind not in START_KINDS:
            yield Finding(("pathways", i, "nodes", 0),
                          f"pathway `{p.id}` starts at the {first.kind} `{first.id}`",
                          "start it at the input or activity that sets it going")


@rule("LM403", "pathway-bad-end", Severity.WARNING)
def pathway_bad_end(ctx: Context) -> Iterator[Finding]:
    """A pathway does not end at an outcome or the impact.

    ## What it does
    Checks the kind of each pathway's last node.

    ## Why is this bad?
    A pathway that stops at an output or a mechanism does not say what change it
    brings about.

    ## Example
    `nodes: [purchase, material_help]` fails; continue to the outcome.
    """
    for i, p in enumerate(ctx.model.pathways):
        last = ctx.nodes.get(p.nodes[-1])
        if last is not None and last.kind not in RESULT_KINDS:
            yield Finding(("pathways", i, "nodes", len(p.nodes) - 1),
                          f"pathway `{p.id}` ends at the {last.kind} `{last.id}`",
                          "continue it to the outcome or impact it leads to")


@rule("LM404", "pathway-without-mechanism", Severity.WARNING)
def pathway_without_mechanism(ctx: Context) -> Iterator[Finding]:
    """A pathway passes through no mechanism.

    ## What it does
    Checks that at least one node of each pathway is of kind `mechanism`.

    ## Why is this bad?
    A pathway is a claim about *how* the programme works. Without a mechanism
    it is a sequence of events, not an explanation, and realist analysis has
    nothing to test.

    ## Example
    Add the mechanism node the route works through, and name it in
    `mechanism:`.
    """
    for i, p in enumerate(ctx.model.pathways):
        kinds = [ctx.nodes[n].kind for n in p.nodes if n in ctx.nodes]
        if len(kinds) == len(p.nodes) and "mechanism" not in kinds:
            yield Finding(("pathways", i, "id"), f"pathway `{p.id}` passes through no mechanism",
                          "add the mechanism node it works through to its `nodes:`")


@rule("LM405", "mechanism-off-pathway", Severity.WARNING)
def mechanism_off_pathway(ctx: Context) -> Iterator[Finding]:
    """A mechanism is on no declared pathway.

    ## What it does
    Reports mechanism nodes that no pathway passes through.

    ## Why is this bad?
    Mechanisms are the heart of a theory of change. One that no pathway uses is
    not connected to any explained route to the outcomes.

    ## Example
    Declare the pathway that works through it:
    `pathways: [{id: relationship, mechanism: mech_relationship, nodes: [...]}]`.
    """
    on_pathway = {n for p in ctx.model.pathways for n in p.nodes}
    for i, n in enumerate(ctx.model.nodes):
        if n.kind == "mechanism" and n.id not in on_pathway:
            yield Finding(("nodes", i, "id"), f"the mechanism `{n.id}` is on no pathway",
                          "declare a pathway under `pathways:` that works through it")


@rule("LM406", "pathway-mechanism-missing", Severity.ERROR)
def pathway_mechanism_missing(ctx: Context) -> Iterator[Finding]:
    """A pathway names a mechanism that is not among its nodes.

    ## What it does
    Checks that a pathway's `mechanism:` appears in its `nodes:` list.

    ## Why is this bad?
    The pathway claims to work through a mechanism its route never passes
    through: one of the two is wrong.

    ## Example
    `mechanism: mech_relationship` with `nodes: [purchase, material_help,
    mech_dedicated, needs_met]` fails.
    """
    for i, p in enumerate(ctx.model.pathways):
        if p.mechanism and p.mechanism in ctx.nodes and p.mechanism not in p.nodes:
            yield Finding(("pathways", i, "mechanism"),
                          f"pathway `{p.id}` names `{p.mechanism}` but does not pass through it",
                          "add it to the pathway's `nodes:` in its place, or fix `mechanism:`")
