"""LM5xx: documentation and presentation."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from .context import Context
from .registry import Finding, rule


@rule("LM501", "label-too-long", Severity.WARNING, local=())
def label_too_long(ctx: Context) -> Iterator[Finding]:
    """A node or pathway label is too long for a diagram.

    ## What it does
    Reports node and pathway labels longer than `max-label-length` characters
    (60 by default; set it in the configuration).

    ## Why is this bad?
    Long labels make tall boxes that push the diagram off a journal page. Keep
    the label short and put the detail in `description:`.

    ## Example
    ```yaml
    label: Devolved budget (up to £10,000 per family)      # passes
    description: Darlington capped budgets at £10,000 per family; ...
    ```
    """
    limit = ctx.options.max_label_length
    for section in ("nodes", "pathways"):
        for i, el in ctx.elements(section):
            if len(el.label) > limit:
                yield Finding((section, i, "label"),
                              f"the label of `{el.id}` is {len(el.label)} characters long "
                              f"(at most {limit})",
                              "shorten it and move the detail to `description:`")


@rule("LM502", "missing-description", Severity.INFO, enabled=False, local=())
def missing_description(ctx: Context) -> Iterator[Finding]:
    """A node has no description. Off by default; turn it on with `select`.

    ## What it does
    Reports nodes without `description:`.

    ## Why is this bad?
    Labels are short by design; a description is where a reader learns what a
    box means. Models published with a paper benefit from one on every node.

    ## Example
    Add `description:` with a sentence or two.
    """
    for i, n in ctx.elements("nodes"):
        if not n.description:
            yield Finding(("nodes", i, "id"), f"`{n.id}` has no description",
                          "add `description:` with a sentence on what it means")
