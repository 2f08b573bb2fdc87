"""LM6xx (views): named views declared in a model must point at things that exist.

A view (``views:`` in the model) is rendered with ``logicmodel render --view
NAME``. These rules catch views that name a pathway or node the model does not
have, and views that would draw nothing, at ``check`` time rather than when a
figure is due.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..diagnostics import Severity
from ..schema import LogicModel, Pathway
from .context import Context
from .registry import Finding, rule

__all__ = ["duplicate_view", "empty_view", "empty_views", "view_unknown_band_type",
           "view_unknown_node", "view_unknown_pathway"]


@rule("LM610", "view-unknown-pathway", Severity.ERROR,
      reads=("views.id", "views.pathways", "pathways.id"))
def view_unknown_pathway(ctx: Context) -> Iterator[Finding]:
    """A view names a pathway that does not exist.

    ## What it does
    Checks every id in a view's `pathways:` against the model's `pathways:`.

    ## Why is this bad?
    The view would silently draw nothing in focus; the figure in the paper would
    not show the pathway the caption talks about.

    ## Example
    ```yaml
    # expect: LM610
    logicmodel: 1
    title: Example
    nodes:
      - {id: act, kind: activity, label: Run sessions}
      - {id: out, kind: output, label: Sessions delivered}
    links:
      - {from: act, to: out}
    views:
      - id: focus
        pathways: [no_such_pathway]
    ```
    """
    known = {p.id for p in ctx.model.pathways}
    for i, v in enumerate(ctx.model.views):
        for j, pid in enumerate(v.pathways):
            if pid not in known:
                hint = (f"known pathways: {', '.join(sorted(known))}" if known
                        else "declare the pathway under `pathways:` first")
                yield Finding(("views", i, "pathways", j),
                              f"view `{v.id}` names the unknown pathway `{pid}`", hint)


@rule("LM611", "view-unknown-node", Severity.ERROR,
      reads=("views.id", "views.hide", "nodes.id"))
def view_unknown_node(ctx: Context) -> Iterator[Finding]:
    """A view hides a node that does not exist.

    ## What it does
    Checks every id in a view's `hide:` against the model's nodes.

    ## Why is this bad?
    Usually a typo or a node that was renamed: the node meant to be hidden is
    still drawn.

    ## Example
    ```yaml
    views:
      - id: no_context
        hide: [ctx_hardshp]     # fails: the node is ctx_hardship
    ```
    """
    for i, v in enumerate(ctx.model.views):
        for j, nid in enumerate(v.hide):
            if nid not in ctx.nodes:
                yield Finding(("views", i, "hide", j),
                              f"view `{v.id}` hides the unknown node `{nid}`",
                              "use the id of a node under `nodes:`")


@rule("LM612", "duplicate-view", Severity.ERROR,
      reads=("views.id",))
def duplicate_view(ctx: Context) -> Iterator[Finding]:
    """Two views have the same id.

    ## What it does
    Reports the second and later views with an id already used.

    ## Why is this bad?
    `logicmodel render --view NAME` could not tell which one is meant.

    ## Example
    Two entries `- id: paper` under `views:` fail; rename one.
    """
    seen: set[str] = set()
    for i, v in enumerate(ctx.model.views):
        if v.id in seen:
            yield Finding(("views", i, "id"), f"the view id `{v.id}` is used twice",
                          "give each view its own id")
        seen.add(v.id)


@rule("LM613", "empty-view", Severity.ERROR,
      reads=("views", "nodes.kind", "nodes.horizon", "nodes.stage", "nodes.groups",
             "pathways", "links.id", "links.source", "links.target"))
def empty_view(ctx: Context) -> Iterator[Finding]:
    """A view would draw no node at all.

    ## What it does
    Applies the view's `stages:`, `hide:` and (with `others: hide`) `pathways:`
    to the model and reports a view that leaves nothing to draw.

    ## Why is this bad?
    An empty figure is never what was meant: usually the stages listed hold none
    of the pathway's nodes.

    ## Example
    ```yaml
    views:
      - id: impact_only
        stages: [impact]
        hide: [imp_less_care]    # fails: the only impact node is hidden
    ```
    """
    return empty_views(ctx.model, lambda p: ctx.model.route(p).nodes)


def empty_views(model: LogicModel, route_nodes: Callable[[Pathway], list[str]]
                ) -> Iterator[Finding]:
    """LM613 on ``model``, given the nodes of each pathway's route."""
    pathways = {p.id: p for p in model.pathways}
    stage = model.layout.stage_of
    for i, v in enumerate(model.views):
        stages, hide = set(v.stages), set(v.hide)
        groups = set(v.groups) if v.groups and v.others == "hide" else None
        on = None
        if v.pathways and v.others == "hide" and any(pid in pathways for pid in v.pathways):
            on = {nid for pid in v.pathways if pid in pathways
                  for nid in route_nodes(pathways[pid])}
        if not any((on is None or n.id in on) and n.id not in hide
                   and (groups is None or groups & set(n.groups))
                   and (not stages or stage(n) in stages) for n in model.nodes):
            yield Finding(("views", i, "id"), f"view `{v.id}` leaves no node to draw",
                          "check its `stages:`, `hide:` and `pathways:`", at_key=False)


@rule("LM633", "view-unknown-band-type", Severity.ERROR, local=())
def view_unknown_band_type(ctx: Context) -> Iterator[Finding]:
    """A view's `bands:` names a group type that no group of the model has.

    ## What it does
    Checks every type in a view's `bands:` against the `type` of the model's
    `groups:` (a group with no type is of type `group`; `none` draws no bands).

    ## Why is this bad?
    The view could not be drawn (`render --view` refuses it with LM632); usually
    a typo (`actors` for `actor`) or a group type that was renamed.

    ## Example
    ```yaml
    # expect: LM633
    logicmodel: 2
    title: Example
    expects_impact: false
    groups:
      - {id: mothers, label: Mothers, type: actor}
    nodes:
      - {id: visit, kind: activity, label: Home visits, groups: [mothers]}
      - {id: trust, kind: outcome, label: Mothers trust the nurse, groups: [mothers]}
    links:
      - {from: visit, to: trust}
    views:
      - {id: rows, bands: [actors]}
    ```
    """
    types = list(dict.fromkeys(g.type if g.type is not None else "group"
                               for g in ctx.model.groups))
    for i, v in ctx.elements("views"):
        for j, t in enumerate(v.bands or []):
            if t not in types and not (t == "none" and len(v.bands or []) == 1):
                hint = (f"the model's group types: {', '.join(types)}; or `[none]` for no bands"
                        if types else "declare `groups:` with a `type` first")
                yield Finding(("views", i, "bands", j),
                              f"view `{v.id}` draws the unknown group type `{t}` as bands",
                              hint)
