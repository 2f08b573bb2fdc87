"""LM109-LM111: groups, tags and roles name what the model declares.

Groups (rows, actors, arms, sites) are declared under ``groups:``, tag
vocabularies under ``tags:``, and roles of results beyond ``primary`` and
``secondary`` under ``roles:``. Elements refer to them by id, and every such
reference is checked like an id, with the nearest declared one as a hint.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from typing import Any

from ..diagnostics import Path, Severity
from ..schema import field_value
from .context import Context
from .registry import Finding, rule

__all__ = ["unknown_group", "unknown_role", "unknown_tag"]

_SECTIONS = ("nodes", "links", "assumptions", "moderators", "pathways")
BUILT_IN_ROLES = ("primary", "secondary")


def _hint(word: str, pool: Iterable[str], what: str) -> str:
    options = list(pool)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    if options:
        return f"declared {what}: " + ", ".join(f"`{o}`" for o in options)
    return f"declare it under `{what}:` first"


def _elements(ctx: Context) -> Iterator[tuple[Path, Any]]:
    for section in _SECTIONS:
        for i, el in ctx.elements(section):
            yield (section, i), el


@rule("LM109", "unknown-group", Severity.ERROR, local=())
def unknown_group(ctx: Context) -> Iterator[Finding]:
    """An element or a view names a group the model does not declare.

    ## What it does
    Checks every id in the `groups:` of nodes, links, assumptions, moderators,
    pathways and views against the model's `groups:`, and suggests the nearest.

    ## Why is this bad?
    The element would fall out of its row: figures would draw it outside its
    band, and views and exports by group would leave it out.

    ## Example
    ```yaml
    groups:
      - {id: mothers, label: Mothers, type: actor}
    nodes:
      - {id: visits, kind: activity, label: Home visits, groups: [mother]}   # fails
    ```
    """
    declared = [g.id for g in ctx.model.groups]
    known = set(declared)
    for where, el in _elements(ctx):
        for j, gid in enumerate(el.groups):
            if gid not in known:
                yield Finding((*where, "groups", j), f"`{gid}` is not the id of any group",
                              _hint(gid, declared, "groups"))
    for i, v in ctx.elements("views"):
        for j, gid in enumerate(v.groups):
            if gid not in known:
                yield Finding(("views", i, "groups", j),
                              f"view `{v.id}` names the unknown group `{gid}`",
                              _hint(gid, declared, "groups"))


@rule("LM110", "unknown-tag", Severity.ERROR, local=())
def unknown_tag(ctx: Context) -> Iterator[Finding]:
    """An element uses a tag vocabulary, or a tag, that the model does not declare.

    ## What it does
    Checks every `tags: {vocabulary: [values]}` of an element: the vocabulary
    must be declared under the model's `tags:` and each value must be one of
    its `values`. The hint suggests the nearest.

    ## Why is this bad?
    A misspelt domain silently drops the element from every table and filter
    by that tag.

    ## Example
    ```yaml
    tags:
      - {id: tdf, label: Theoretical Domains Framework, values: [knowledge, skills]}
    nodes:
      - {id: m, kind: mechanism, label: Mothers know what to do, tags: {tdf: [knowlege]}}
    ```
    """
    vocab = {t.id: t.values for t in ctx.model.tags}
    for where, el in _elements(ctx):
        for name, values in el.tags.items():
            if name not in vocab:
                yield Finding((*where, "tags", name),
                              f"`{name}` is not the id of any tag vocabulary",
                              _hint(name, vocab, "tags"), at_key=True)
                continue
            allowed = set(vocab[name])
            for j, value in enumerate(values):
                if value not in allowed:
                    yield Finding((*where, "tags", name, j),
                                  f"`{value}` is not a tag of `{name}`",
                                  _hint(value, vocab[name], f"values of `{name}`"))


@rule("LM111", "unknown-role", Severity.ERROR, local=())
def unknown_role(ctx: Context) -> Iterator[Finding]:
    """A result or an indicator has a role that is neither built in nor declared.

    ## What it does
    Checks the `role:` of outcomes, impacts, conditions and indicators: it is
    `primary`, `secondary`, or one of the words the model declares under
    `roles:`.

    ## Why is this bad?
    A misspelt role (`primery`) would make a primary outcome count as neither,
    in figures and in exports.

    ## Example
    ```yaml
    roles: [exploratory]
    nodes:
      - {id: delay, kind: outcome, label: Developmental delay, role: primery}   # fails
    ```
    """
    pool = [*BUILT_IN_ROLES, *ctx.model.roles]
    known = set(pool)
    for i, n in ctx.elements("nodes"):
        if n.kind == "context":
            continue  # a context's role says which part of the context it is
        role = field_value(n, "role")
        if role is not None and role not in known:
            yield Finding(("nodes", i, "role"), f"`{role}` is not a role",
                          _hint(role, pool, "roles"))
        for k, ind in enumerate(field_value(n, "indicators", ())):
            if ind.role is not None and ind.role not in known:
                yield Finding(("nodes", i, "indicators", k, "role"),
                              f"`{ind.role}` is not a role", _hint(ind.role, pool, "roles"))
