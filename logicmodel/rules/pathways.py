"""LM4xx: declared pathways: linked, complete, connected, and working through a mechanism.

A pathway's route is a chain (``nodes``) or a branching part of the model
(``links`` or ``steps``); the rules read it through
:func:`logicmodel.schema.pathways.route_of` (``model.routes``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

from ..diagnostics import Path, Severity
from ..schema import RESULT_KINDS, START_KINDS, Pathway
from .context import Context
from .registry import Finding, rule


@rule("LM401", "broken-pathway", Severity.ERROR,
      reads=("pathways", "links.id", "links.source", "links.target", "nodes.id"))
def broken_pathway(ctx: Context) -> Iterator[Finding]:
    """Two consecutive nodes of a pathway are not linked.

    ## What it does
    For each pathway given as `nodes:`, checks that a link runs from every node
    to the next one in the order written; for one given as `steps:`, that each
    `[from, to]` step is a declared link.

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
    for i, (p, route) in enumerate(zip(ctx.model.pathways, ctx.model.routes, strict=True)):
        if route.form == "links":
            continue  # every step is a link; unknown link ids are LM102
        for j, (a, b) in enumerate(route.steps):
            if a in ctx.nodes and b in ctx.nodes and (a, b) not in edges:
                hint = (f"add the link `{a}` -> `{b}`" if (b, a) not in edges
                        else f"the link runs `{b}` -> `{a}`: swap the two in the pathway")
                where = (("pathways", i, "nodes", j + 1) if route.form == "nodes"
                         else ("pathways", i, "steps", j))
                yield Finding(where, f"pathway `{p.id}`: no link from `{a}` to `{b}`", hint)


@rule("LM402", "pathway-bad-start", Severity.WARNING,
      reads=("pathways", "links.id", "links.source", "links.target", "nodes.kind"))
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
    for i, (p, route) in enumerate(zip(ctx.model.pathways, ctx.model.routes, strict=True)):
        if route.unknown_links:
            continue  # LM102 names the unknown link; the route is not what was meant
        for k, nid in enumerate(route.start):
            first = ctx.nodes.get(nid)
            if first is not None and first.kind not in START_KINDS:
                yield Finding(_end_path(i, p, "start", k),
                              f"pathway `{p.id}` starts at the {first.kind} `{first.id}`",
                              "start it at the input or activity that sets it going")


@rule("LM403", "pathway-bad-end", Severity.WARNING,
      reads=("pathways", "links.id", "links.source", "links.target", "nodes.kind"))
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
    for i, (p, route) in enumerate(zip(ctx.model.pathways, ctx.model.routes, strict=True)):
        if route.unknown_links:
            continue
        for k, nid in enumerate(route.end):
            last = ctx.nodes.get(nid)
            if last is not None and last.kind not in RESULT_KINDS:
                yield Finding(_end_path(i, p, "end", k),
                              f"pathway `{p.id}` ends at the {last.kind} `{last.id}`",
                              "continue it to the outcome or impact it leads to")


def _end_path(i: int, p: Pathway, which: str, k: int) -> Path:
    """Where a pathway's start or end is written: its `start`/`end`, or its chain's end."""
    if getattr(p, which):
        return ("pathways", i, which, k)
    if p.nodes:
        return ("pathways", i, "nodes", 0 if which == "start" else len(p.nodes) - 1)
    return ("pathways", i, "id")


@rule("LM404", "pathway-without-mechanism", Severity.WARNING,
      reads=("pathways", "links.id", "links.source", "links.target", "nodes.kind"))
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
    for i, (p, route) in enumerate(zip(ctx.model.pathways, ctx.model.routes, strict=True)):
        kinds = [ctx.nodes[n].kind for n in route.nodes if n in ctx.nodes]
        if (not route.unknown_links and route.nodes and len(kinds) == len(route.nodes)
                and "mechanism" not in kinds):
            yield Finding(("pathways", i, "id"), f"pathway `{p.id}` passes through no mechanism",
                          "add the mechanism node it works through to its `nodes:`"
                          if route.form == "nodes" else
                          f"route it through the mechanism it works by, in its `{route.form}:`")


@rule("LM405", "mechanism-off-pathway", Severity.WARNING,
      reads=("pathways", "links.id", "links.source", "links.target", "nodes.kind"))
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
    on_pathway = {n for r in ctx.model.routes for n in r.nodes}
    for i, n in enumerate(ctx.model.nodes):
        if n.kind == "mechanism" and n.id not in on_pathway:
            yield Finding(("nodes", i, "id"), f"the mechanism `{n.id}` is on no pathway",
                          "declare a pathway under `pathways:` that works through it")


@rule("LM406", "pathway-mechanism-missing", Severity.ERROR,
      reads=("pathways", "links.id", "links.source", "links.target", "nodes.id"))
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
    for i, (p, route) in enumerate(zip(ctx.model.pathways, ctx.model.routes, strict=True)):
        if (p.mechanism and p.mechanism in ctx.nodes and p.mechanism not in route.nodes
                and not route.unknown_links):
            yield Finding(("pathways", i, "mechanism"),
                          f"pathway `{p.id}` names `{p.mechanism}` but does not pass through it",
                          "add it to the pathway's `nodes:` in its place, or fix `mechanism:`")


def _reach(steps: Iterable[tuple[str, str]], sources: Iterable[str], *, skip: str | None = None,
           backwards: bool = False) -> set[str]:
    """Nodes reachable from ``sources`` along ``steps`` (against them with ``backwards``)."""
    succ: dict[str, list[str]] = {}
    for a, b in steps:
        if backwards:
            a, b = b, a
        succ.setdefault(a, []).append(b)
    seen = {n for n in sources if n != skip}
    queue = deque(seen)
    while queue:
        for v in succ.get(queue.popleft(), ()):
            if v not in seen and v != skip:
                seen.add(v)
                queue.append(v)
    return seen


@rule("LM407", "pathway-disconnected", Severity.ERROR,
      reads=("pathways", "links.id", "links.source", "links.target", "nodes.id"))
def pathway_disconnected(ctx: Context) -> Iterator[Finding]:
    """A branching pathway does not connect its start to its end.

    ## What it does
    For a pathway given as `links:` or `steps:`, checks that its `start` and
    `end` nodes are on it, that every end is reached from a start along the
    pathway's own steps, and that every node of the pathway lies on some route
    from a start to an end. Without `start:` and `end:`, the start is where no
    step of the pathway arrives and the end where none leaves.

    ## Why is this bad?
    A pathway is a connected sub-theory. A step that leads away from the rest,
    or an end that nothing in the pathway reaches, means a link is missing from
    `links:` or a step is mistyped, and figures and analyses would draw and
    count a route the authors did not mean.

    ## Example
    ```yaml
    pathways:
      - id: resources
        label: Resources dedicated to needs
        steps: [[budget, purchase], [purchase, goods], [advice, needs_met]]   # fails
    ```
    """
    for i, (p, route) in enumerate(zip(ctx.model.pathways, ctx.model.routes, strict=True)):
        if route.unknown_links:
            continue
        on = set(route.nodes)
        off = False
        for which in ("start", "end"):
            for k, nid in enumerate(getattr(p, which)):
                if nid in ctx.nodes and nid not in on:
                    off = True
                    yield Finding(("pathways", i, which, k),
                                  f"pathway `{p.id}`: its {which} `{nid}` is not on its route",
                                  f"name a node of the pathway, or add the steps to `{nid}`")
        if off or route.form == "nodes" or not route.steps:
            continue
        if any(n not in ctx.nodes for n in on):
            continue  # LM102 says which id is unknown
        forward = _reach(route.steps, route.start)
        back = _reach(route.steps, route.end, backwards=True)
        for nid in route.end:
            if nid in on and nid not in forward:
                yield Finding(("pathways", i, "id"),
                              f"pathway `{p.id}`: no route within it from its start to `{nid}`",
                              "add the missing link or step, or split the pathway in two")
        for nid in route.nodes:
            if nid in forward and nid in back:
                continue
            if nid in route.end and nid not in forward:
                continue  # reported above
            yield Finding(("pathways", i, "id"),
                          f"pathway `{p.id}`: `{nid}` is on no route from its start to its end",
                          "add the steps that join it to the rest, or leave it out")


@rule("LM408", "pathway-bypasses-mechanism", Severity.WARNING,
      reads=("pathways", "links.id", "links.source", "links.target", "nodes.id"))
def pathway_bypasses_mechanism(ctx: Context) -> Iterator[Finding]:
    """A branching pathway has a route from start to end that avoids its mechanism.

    ## What it does
    For a pathway with a `mechanism:`, follows its steps from its start with the
    mechanism taken out, and reports the pathway when an end is still reached.

    ## Why is this bad?
    The pathway claims to work through its mechanism. A branch that reaches the
    outcome without it is either a second pathway, or a claim that the
    mechanism is not needed: say which.

    ## Example
    Steps `[a, m], [m, o], [a, o]` with `mechanism: m` fail: `a -> o` bypasses
    `m`. Drop the step, or declare it as its own pathway.
    """
    for i, (p, route) in enumerate(zip(ctx.model.pathways, ctx.model.routes, strict=True)):
        m = p.mechanism
        if route.form == "nodes" or m is None or m not in route.nodes or route.unknown_links:
            continue
        around = _reach(route.steps, route.start, skip=m) & set(route.end)
        if around:
            end = sorted(around, key=route.nodes.index)[0]
            yield Finding(("pathways", i, "mechanism"),
                          f"pathway `{p.id}` reaches `{end}` without passing through `{m}`",
                          "declare the branch that bypasses the mechanism as its own pathway")
