"""LM106-LM108: the model's stages: every node placed, every stage named exists, ids unique.

The stages are the model's own ``stages:`` or its framework's
(:mod:`logicmodel.schema.stages`). These rules run on the resolved stages, so a
node's ``stage:``, a view's ``stages:`` and a kind no stage takes are checked
against what the figure will really have.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from ..diagnostics import Severity
from .context import Context
from .registry import Finding, rule

__all__ = ["duplicate_stage", "unknown_stage", "unplaced_node"]


def _hint(word: str, options: Iterable[str]) -> str:
    pool = list(options)
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    return "the model's stages: " + ", ".join(f"`{s}`" for s in pool)


@rule("LM106", "unknown-stage", Severity.ERROR, local=())
def unknown_stage(ctx: Context) -> Iterator[Finding]:
    """A node or a view names a stage the model does not have.

    ## What it does
    Checks every node's `stage:`, every view's `stages:` and `ceiling:` against the
    model's stages: its own `stages:` when it declares them, else its
    framework's. The hint suggests the nearest stage id.

    ## Why is this bad?
    The node would be drawn in a column the author did not mean, and a view
    would leave out the stage it was meant to show.

    ## Example
    ```yaml
    # expect: LM106
    logicmodel: 2
    title: Example
    framework: uw_extension
    expects_impact: false
    nodes:
      - {id: reach, kind: output, label: Parents reached, stage: participaton}
    ```
    """
    layout = ctx.layout
    for i, n in ctx.elements("nodes"):
        if n.stage is not None and n.stage not in layout.rank:
            yield Finding(("nodes", i, "stage"),
                          f"`{n.stage}` is not the id of any stage of this model",
                          _hint(n.stage, layout.ids))
    ceiling = ctx.model.ceiling
    if ceiling is not None and ceiling not in layout.rank:
        yield Finding(("ceiling",), f"`{ceiling}` is not the id of any stage of this model",
                      _hint(ceiling, layout.ids))
    for i, v in ctx.elements("views"):
        for j, s in enumerate(v.stages):
            if s not in layout.rank:
                yield Finding(("views", i, "stages", j),
                              f"view `{v.id}` names the unknown stage `{s}`",
                              _hint(s, layout.ids))


@rule("LM107", "unplaced-node", Severity.ERROR, local=())
def unplaced_node(ctx: Context) -> Iterator[Finding]:
    """No stage of the model takes a node's kind, and the node names no stage.

    ## What it does
    Reports nodes without `stage:` whose kind is in no stage's `kinds:`.
    A framework's stages take only the kinds its tradition has (a logframe
    has no context column); a model's own `stages:` take what they list.

    ## Why is this bad?
    The node has no column to be drawn in, and the backward-link rule cannot
    order it.

    ## Example
    ```yaml
    # expect: LM107
    logicmodel: 2
    title: Example
    framework: logframe
    nodes:
      - {id: drought, kind: context, label: Recurrent drought}
    ```
    Give the node `stage: <id>`, or add its kind to a stage's `kinds:`.
    """
    layout = ctx.layout
    for i, n in ctx.elements("nodes"):
        if n.stage is None and layout.place(n) is None:
            where = ("the model's stages" if layout.own
                     else f"the {layout.framework.id} framework's stages")
            yield Finding(("nodes", i, "kind"),
                          f"no stage takes the {n.kind} `{n.id}`: none of {where} lists "
                          f"`{n.kind}` in its `kinds`",
                          "give the node `stage: <id>`, or declare the model's own `stages:`")


@rule("LM108", "duplicate-stage", Severity.ERROR, local=())
def duplicate_stage(ctx: Context) -> Iterator[Finding]:
    """Two of the model's stages have the same id.

    ## What it does
    Reports the second and later stages in `stages:` with an id already used.

    ## Why is this bad?
    A node's `stage:` could mean either column; only the first is drawn.

    ## Example
    ```yaml
    # expect: LM108
    logicmodel: 2
    title: Example
    stages:
      - {id: doing, heading: What we do, kinds: [activity]}
      - {id: doing, heading: What we make, kinds: [output]}
    nodes:
      - {id: a, kind: activity, label: Run sessions}
    ```
    """
    seen: set[str] = set()
    for i, s in enumerate(ctx.model.stages or ()):
        if s.id in seen:
            yield Finding(("stages", i, "id"), f"the stage id `{s.id}` is used twice",
                          "give each stage its own id")
        seen.add(s.id)
