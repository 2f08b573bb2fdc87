"""LM2xx: the structure of the causal chain: cycles, direction, loose ends, reachability."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..graph import find_cycles
from ..schema import END_KINDS, RESULT_KINDS, START_KINDS
from .context import Context
from .registry import Finding, rule


@rule("LM201", "undeclared-cycle", Severity.ERROR,
      reads=("nodes.id", "links.source", "links.target", "links.feedback"))
def undeclared_cycle(ctx: Context) -> Iterator[Finding]:
    """Links form a cycle that is not declared as a feedback loop.

    ## What it does
    Looks for cycles among the links that are not marked `feedback: true`, and
    reports each at the link that closes it, with the whole cycle in the
    message. Cycles are found in time linear in the size of the model; they are
    never enumerated one by one.

    ## Why is this bad?
    A logic model reads from causes to effects. A cycle is either a deliberate
    reinforcing loop, which should be declared so that diagrams draw it against
    the flow and analyses set it aside, or a link drawn the wrong way round.

    ## Example
    ```yaml
    links:
      - {from: joint_plan, to: relationship}
      - {from: relationship, to: joint_plan}                  # fails
      - {from: relationship, to: joint_plan, feedback: true}  # passes
    ```
    """
    g = ctx.graph
    left = g.unordered()
    if not left:
        return
    for cycle in find_cycles(g, left):
        closing = (cycle[-1], cycle[0])
        shown = " -> ".join(f"`{n}`" for n in [*cycle, cycle[0]])
        yield Finding(
            ("links", g.edges[closing]),
            f"the links form a cycle {shown} that is not marked as feedback",
            "mark the link that feeds back with `feedback: true`, or remove it",
        )


@rule("LM202", "backward-link", Severity.WARNING,
      reads=("nodes.kind", "nodes.horizon", "nodes.stage", "links.source", "links.target",
             "links.feedback"))
def backward_link(ctx: Context) -> Iterator[Finding]:
    """A link runs backwards against the stage order.

    ## What it does
    Reports links whose `to` node sits in an earlier stage than their `from`
    node (context, input, activity, output, mechanism, short-, medium- and
    long-term outcome, impact), unless the link is marked `feedback: true`.

    ## Why is this bad?
    An outcome that leads to an activity reads as a feedback loop or as a
    mistake. Declared feedback is drawn against the flow without bending the
    columns; undeclared, it is probably a reversed link.

    ## Example
    ```yaml
    - {from: engagement, to: joint_plan}                  # outcome -> activity: fails
    - {from: engagement, to: joint_plan, feedback: true}  # passes
    ```
    """
    stage = ctx.stage
    layout = ctx.layout
    rank = layout.rank
    for i, lk in enumerate(ctx.model.links):
        if lk.feedback or lk.source not in stage or lk.target not in stage:
            continue
        a, b = stage[lk.source], stage[lk.target]
        if rank[b] < rank[a]:
            yield Finding(
                ("links", i),
                f"the link runs backwards, from `{lk.source}` ({layout.describe(a)}) "
                f"to `{lk.target}` ({layout.describe(b)})",
                "reverse it, or mark it `feedback: true` if it is a deliberate loop",
            )


@rule("LM203", "orphan-node", Severity.WARNING,
      reads=("nodes.provenance.status", "links.source", "links.target"))
def orphan_node(ctx: Context) -> Iterator[Finding]:
    """A node has no links at all.

    ## What it does
    Reports nodes that no link starts or ends at.

    ## Why is this bad?
    A box with no arrows takes no part in the theory: it is either unfinished
    or left over from an earlier version.

    ## Example
    A context node `ctx_austerity` that nothing links to fails; linking it to
    what it explains passes.
    """
    g = ctx.graph
    for nid in g.nodes:
        if (not g.succ[nid] and not g.pred[nid] and nid not in g.dangling
                and nid not in ctx.placeholders):
            yield Finding(("nodes", ctx.node_index[nid], "id"), f"`{nid}` has no links",
                          "link it to the nodes it explains or leads to, or remove it")


@rule("LM204", "dead-end", Severity.WARNING,
      reads=("nodes.kind", "nodes.provenance.status", "links.source", "links.target"))
def dead_end(ctx: Context) -> Iterator[Finding]:
    """A node before the impact leads nowhere.

    ## What it does
    Reports nodes other than impacts that have incoming links but no outgoing
    one. In a model that expects no impact (`expects_impact: false`, or a
    framework such as UW-Extension), the chain may also end at an outcome.

    ## Why is this bad?
    Every step of a theory of change should lead on towards the impact. A dead
    end is a missing link, or a result the theory does not explain.

    ## Example
    An output `out_skills` that no link leaves fails; linking it to the
    mechanism it feeds passes.
    """
    g = ctx.graph
    # Where no impact is expected (format 2), the chain may end at any result.
    ends = END_KINDS if ctx.layout.expects_impact else RESULT_KINDS
    for nid in g.nodes:
        if (g.pred[nid] and not g.succ[nid] and ctx.nodes[nid].kind not in ends
                and nid not in g.dangling and nid not in ctx.placeholders):
            yield Finding(("nodes", ctx.node_index[nid], "id"),
                          f"`{nid}` leads nowhere: no link starts from it",
                          "link it to what it leads to on the way to the impact")


@rule("LM205", "unreachable-result", Severity.WARNING,
      reads=("nodes.kind", "nodes.provenance.status", "links.source", "links.target"))
def unreachable_result(ctx: Context) -> Iterator[Finding]:
    """An outcome or impact cannot be reached from any input or activity.

    ## What it does
    Follows links forward from every input and activity and reports outcomes
    and impacts that no route reaches.

    ## Why is this bad?
    The model claims a result the programme has no route to: a missing link, or
    an outcome that belongs to another programme.

    ## Example
    An outcome reached only from a context node fails; add the link from the
    activity or mechanism that brings it about.
    """
    g = ctx.graph
    starts = [nid for nid in g.nodes if ctx.nodes[nid].kind in START_KINDS]
    reached = g.reachable(starts)
    for nid in g.nodes:
        node = ctx.nodes[nid]
        if (node.kind in RESULT_KINDS and nid not in reached and (g.pred[nid] or g.succ[nid])
                and nid not in ctx.placeholders):
            yield Finding(("nodes", ctx.node_index[nid], "id"),
                          f"no input or activity leads to the {node.kind} `{nid}`",
                          "link it from the step that brings it about")


@rule("LM206", "missing-impact", Severity.WARNING,
      reads=("nodes.kind",))
def missing_impact(ctx: Context) -> Iterator[Finding]:
    """The model has no impact node, where its framework expects one.

    ## What it does
    Reports a model without any node of kind `impact`, when an impact is
    expected: always in format 1; in format 2 when the framework expects one
    (`expects_impact` in its file) and the model does not say
    `expects_impact: false`. Frameworks whose models end at long-term outcomes
    (UW-Extension, realist, Funnell and Rogers) expect none.

    ## Why is this bad?
    A logic model states what the programme ultimately aims for. Without it the
    chain has no end, and reachability and pathway checks have nothing to aim
    at.

    ## Example
    Add `{id: less_care, kind: impact, label: Fewer children enter care}`.
    """
    if ctx.layout.expects_impact and not any(n.kind in END_KINDS for n in ctx.model.nodes):
        hint = "add a node of kind `impact` for the programme's ultimate aim"
        if not ctx.layout.legacy:
            hint += ", or say `expects_impact: false` if the model ends at its outcomes"
        yield Finding(("nodes",), "the model has no impact node", hint, True)
