"""LM1xx: ids and references between elements."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from ..diagnostics import Path, Severity
from ..schema import field_value
from .context import Context
from .registry import Finding, rule


def _did_you_mean(word: str, options: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


@rule("LM101", "duplicate-id", Severity.ERROR,
      reads=("nodes.id", "nodes.indicators", "links.id", "assumptions.id", "moderators.id",
             "pathways.id", "references.id"))
def duplicate_id(ctx: Context) -> Iterator[Finding]:
    """Two elements share an id.

    ## What it does
    Reports every id used a second time among nodes, links, assumptions,
    moderators, pathways, indicators, references, groups and tag vocabularies.
    Ids share one namespace, so a reference can never be ambiguous.

    ## Why is this bad?
    A link or pathway naming that id could mean either element, and diagrams and
    diffs would merge them.

    ## Example
    ```yaml
    nodes:
      - {id: budget, kind: input, label: Devolved budget}
      - {id: budget, kind: activity, label: Spend the budget}   # fails
    ```
    Rename one of them (`spend_budget`) to pass.
    """
    m = ctx.model
    ids = [el.id for section in (m.nodes, m.links, m.assumptions, m.moderators, m.pathways,
                                 m.references, m.groups, m.tags) for el in section]
    ids += [ind.id for n in m.nodes for ind in field_value(n, "indicators", ())]
    ids = [i for i in ids if i is not None]
    if len(set(ids)) == len(ids):
        return  # no id is used twice: the usual case, found without the paths below
    groups: list[tuple[str, Iterable[tuple[Path, str | None]]]] = [
        ("node", (((("nodes", i, "id")), n.id) for i, n in enumerate(m.nodes))),
        ("link", ((("links", i, "id"), lk.id) for i, lk in enumerate(m.links))),
        ("assumption", ((("assumptions", i, "id"), a.id) for i, a in enumerate(m.assumptions))),
        ("moderator", ((("moderators", i, "id"), x.id) for i, x in enumerate(m.moderators))),
        ("pathway", ((("pathways", i, "id"), p.id) for i, p in enumerate(m.pathways))),
        ("reference", ((("references", i, "id"), r.id) for i, r in enumerate(m.references))),
        ("group", ((("groups", i, "id"), g.id) for i, g in enumerate(m.groups))),
        ("tag vocabulary", ((("tags", i, "id"), t.id) for i, t in enumerate(m.tags))),
        ("indicator", (
            (("nodes", i, "indicators", j, "id"), ind.id)
            for i, n in enumerate(m.nodes) for j, ind in enumerate(getattr(n, "indicators", []))
        )),
    ]
    first: dict[str, tuple[str, Path]] = {}
    for what, items in groups:
        for path, ident in items:
            if ident is None:
                continue
            if ident in first:
                other, where = first[ident]
                yield Finding(
                    path,
                    f"the id `{ident}` is already used by a {other} (at {_show(where)})",
                    "give each element its own id",
                )
            else:
                first[ident] = (what, path)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _show(path: Path) -> str:
    return "/".join(str(p) for p in path[:-1])


@rule("LM102", "unknown-reference", Severity.ERROR,
      local=("nodes", "link_ids", "assumption_ids", "moderator_ids", "reference_ids"))
def unknown_reference(ctx: Context) -> Iterator[Finding]:
    """A reference names an id that does not exist.

    ## What it does
    Checks every id a model refers to: link ends, pathway nodes, links, steps,
    starts, ends and mechanisms,
    assumption, moderator and reference ids in `assumptions:`, `moderators:`,
    `provenance.refs` and `evidence.refs`. The hint suggests the nearest
    existing id.

    ## Why is this bad?
    A misspelt id silently drops an arrow from the diagram or an assumption from
    the register, and every later check works on the wrong model.

    ## Example
    ```yaml
    links:
      - {from: budget, to: purchse}     # fails: did you mean `purchase`?
      - {from: budget, to: purchase}    # passes
    ```
    """
    nodes = ctx.nodes
    link_ids = ctx.link_ids
    for i, lk in ctx.elements("links"):
        if lk.source not in nodes:
            yield _unknown(("links", i, "from"), lk.source, nodes, "node")
        if lk.target not in nodes:
            yield _unknown(("links", i, "to"), lk.target, nodes, "node")
    for i, p in ctx.elements("pathways"):
        for j, nid in enumerate(p.nodes):
            if nid not in nodes:
                yield _unknown(("pathways", i, "nodes", j), nid, nodes, "node")
        for j, lid in enumerate(p.links):
            if lid not in link_ids:
                yield _unknown(("pathways", i, "links", j), lid, link_ids, "link")
        for j, (a, b) in enumerate(p.steps):
            if a not in nodes:
                yield _unknown(("pathways", i, "steps", j, 0), a, nodes, "node")
            if b not in nodes:
                yield _unknown(("pathways", i, "steps", j, 1), b, nodes, "node")
        for which in ("start", "end"):
            for j, nid in enumerate(getattr(p, which)):
                if nid not in nodes:
                    yield _unknown(("pathways", i, which, j), nid, nodes, "node")
        if p.mechanism is not None and p.mechanism not in nodes:
            yield _unknown(("pathways", i, "mechanism"), p.mechanism, nodes, "node")
    assumption_ids, moderator_ids = ctx.assumption_ids, ctx.moderator_ids
    for section in ("nodes", "links"):
        for i, el in ctx.elements(section):
            for j, a in enumerate(el.assumptions):
                if a not in assumption_ids:
                    yield _unknown((section, i, "assumptions", j), a, assumption_ids,
                                   "assumption")
            for j, x in enumerate(el.moderators):
                if x not in moderator_ids:
                    yield _unknown((section, i, "moderators", j), x, moderator_ids,
                                   "moderator")
    reference_ids = ctx.reference_ids
    for path, prov in _provenances(ctx):
        for j, r in enumerate(prov):
            if r not in reference_ids:
                yield _unknown((*path, j), r, reference_ids, "reference")


def _unknown(path: Path, ident: str, pool: Iterable[str], what: str) -> Finding:
    return Finding(path, f"`{ident}` is not the id of any {what}",
                   _did_you_mean(ident, pool) or f"define the {what} or fix the id")


def _provenances(ctx: Context) -> Iterator[tuple[Path, list[str]]]:
    m = ctx.model
    if m.provenance is not None:
        yield ("provenance", "refs"), m.provenance.refs
    for path, el in ctx.holders():
        if el.provenance is not None:
            yield (*path, "provenance", "refs"), el.provenance.refs
    for section in ("nodes", "links"):
        for i, el in ctx.elements(section):
            ev = el.evidence
            if isinstance(ev, list):
                for j, e in enumerate(ev):
                    yield (section, i, "evidence", j, "refs"), e.refs
            elif ev is not None:
                yield (section, i, "evidence", "refs"), ev.refs


@rule("LM103", "self-link", Severity.ERROR, local=())
def self_link(ctx: Context) -> Iterator[Finding]:
    """A link goes from a node to itself.

    ## What it does
    Reports links whose `from` and `to` are the same node.

    ## Why is this bad?
    A node cannot cause itself; usually one end was copied and not changed.
    Reinforcing loops are drawn through another node and marked
    `feedback: true`.

    ## Example
    `{from: engagement, to: engagement}` fails.
    """
    for i, lk in ctx.elements("links"):
        if lk.source == lk.target:
            yield Finding(("links", i, "to"), f"the link goes from `{lk.source}` to itself",
                          "point `to` at the node this one leads to")


@rule("LM104", "duplicate-link", Severity.WARNING,
      reads=("links.source", "links.target"))
def duplicate_link(ctx: Context) -> Iterator[Finding]:
    """The same link (same `from` and `to`) is written twice.

    ## What it does
    Reports the second and later links between the same two nodes.

    ## Why is this bad?
    The diagram draws one arrow, so the rationale, evidence or assumptions of
    the other copy are lost from view. Merge them into one link.

    ## Example
    Two `{from: budget, to: purchase}` links fail; one passes.
    """
    seen: dict[tuple[str, str], int] = {}
    for i, lk in enumerate(ctx.model.links):
        key = (lk.source, lk.target)
        if key in seen:
            yield Finding(("links", i), f"the link `{lk.source}` -> `{lk.target}` repeats "
                          f"links[{seen[key]}]", "merge the two links into one")
        else:
            seen[key] = i


@rule("LM105", "wrong-kind-reference", Severity.ERROR,
      reads=("pathways.mechanism", "nodes.kind"))
def wrong_kind_reference(ctx: Context) -> Iterator[Finding]:
    """A pathway's `mechanism` names a node that is not a mechanism.

    ## What it does
    Checks that the node a pathway says it works through is of kind
    `mechanism`.

    ## Why is this bad?
    Pathways are read through their mechanism: naming an output or an outcome
    there mislabels the theory in every diagram and table.

    ## Example
    `mechanism: out_material` (an output) fails; `mechanism: mech_dedicated`
    passes.
    """
    for i, p in enumerate(ctx.model.pathways):
        node = ctx.nodes.get(p.mechanism) if p.mechanism else None
        if node is not None and node.kind != "mechanism":
            yield Finding(("pathways", i, "mechanism"),
                          f"`{p.mechanism}` is {_article(node.kind)} {node.kind}, not a mechanism",
                          "name a node of kind `mechanism`")
