"""The variants a viewer page offers, and what each changes in its base.

A page of a model with ``variants:`` draws the base and every variant, each
laid out on its own (a variant's labels, and so its boxes, differ), and lets
the reader switch between them. :func:`viewer_variants` says which figures a
page holds; :func:`variant_marks` compares one variant with its base, by id as
``logicmodel diff`` does, and gives what the figure marks (a box or link added
or changed) and what the page lists beside it (also what was removed, which
the variant's figure cannot show).

Example::

    from logicmodel.pipeline import open_model
    from logicmodel.html.variants import viewer_variants

    opened = open_model("models/devolved_budgets.yaml")
    [v.id for v in viewer_variants(opened.document)]  # ['base', 'darlington', ...]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..diff import diff_models

if TYPE_CHECKING:
    from ..loader import Document
    from ..schema import LogicModel

__all__ = ["Marks", "ViewerVariant", "link_key", "variant_marks", "viewer_variants"]


@dataclass(frozen=True)
class ViewerVariant:
    """One figure of a viewer page: a variant's merged model and the base it changes.

    ``base`` is None for the base itself (nothing is marked). ``full`` is the full
    version a short version's variant summarises, when it is one, and ``full_variant``
    the label of the full version's variant it maps onto (None: the full version itself).
    """

    id: str
    label: str
    model: LogicModel
    base: LogicModel | None = None
    description: str | None = None
    full: LogicModel | None = None
    full_variant: str | None = None


def viewer_variants(doc: Document | None) -> list[ViewerVariant]:
    """The figures a page of ``doc`` offers: none for a model without variants.

    A model with ``variants:``: the base, then each variant that is a valid model.
    One variant already merged (``--variant NAME``, or an overlay file): that
    variant alone, compared with its base.
    """
    from ..variants.load import variant_document

    if doc is None or doc.model is None:
        return []
    if doc.base is not None and doc.base.model is not None:
        spec = doc.overlay or next((v for v in doc.base.variants if v.id == doc.variant), None)
        if spec is None:
            return []
        return [ViewerVariant(spec.id, spec.label or spec.id, doc.model, doc.base.model,
                              spec.description, _full(doc), full_variant_label(doc))]
    if not doc.variants:
        return []
    out = [ViewerVariant("base", "Base", doc.model, full=_full(doc),
                         full_variant=full_variant_label(doc))]
    for spec in doc.variants:
        merged = variant_document(doc, spec.id)
        if merged.model is not None:
            out.append(ViewerVariant(spec.id, spec.label or spec.id, merged.model, doc.model,
                                     spec.description, _full(merged),
                                     full_variant_label(merged)))
    return out


def _full(doc: Document) -> LogicModel | None:
    """The full version ``doc`` summarises (None: it is not a short version)."""
    return doc.full.model if doc.full is not None else None


def full_variant_label(doc: Document) -> str | None:
    """The label (else the id) of the full version's variant that ``doc``, a short version
    or a variant of one, maps onto; None when it maps onto the full version itself."""
    full, read = doc.full, doc.full_read
    if full is None or read is None or full is read or full.variant is None:
        return None
    spec = next((v for v in read.variants if v.id == full.variant), None)
    return (spec.label or spec.id) if spec is not None else full.variant


def link_key(link: Any) -> str:
    """How a link is matched across variants: its id, or ``from->to``."""
    return str(link.id) if link.id else f"{link.source}->{link.target}"


# Field names as a reader knows them (the first part of a dotted name).
_FIELD_WORDS = {
    "label": "Label", "description": "Description", "kind": "Kind", "actor": "Actor",
    "horizon": "Horizon", "role": "Role", "stage": "Stage", "provenance": "Provenance",
    "evidence": "Evidence", "assumptions": "Assumptions", "moderators": "Barriers and enablers",
    "rationale": "Rationale", "type": "Claim", "from": "From", "to": "To", "groups": "Groups",
    "measure": "Measure", "baseline": "Baseline", "target": "Target",
    "data_source": "Data source", "frequency": "Frequency", "direction": "Direction",
    "nodes": "Route", "links": "Route", "steps": "Route", "citation": "Citation",
}


def field_word(name: str) -> str:
    """``provenance.refs`` -> ``Provenance: refs``; ``label`` -> ``Label``."""
    head, _, rest = name.partition(".")
    word = _FIELD_WORDS.get(head, head.replace("_", " ").capitalize())
    return f"{word}: {rest.replace('_', ' ')}" if rest else word


def value_text(value: Any) -> str:
    """A base value as the panel shows it."""
    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value) or "(none)"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {value_text(v)}" for k, v in value.items())
    return str(value)


@dataclass(frozen=True)
class Change:
    """One element of a variant that is not as in the base."""

    section: str                         # nodes, links, indicators, pathways, ...
    id: str
    kind: str                            # added, changed, removed
    summary: str                         # as `logicmodel diff` sums it up
    fields: tuple[tuple[str, str], ...] = ()  # (field, the base's value) when changed


@dataclass(frozen=True)
class Marks:
    """What a variant changes in its base, by element."""

    nodes: dict[str, Change] = field(default_factory=dict)   # node id -> added/changed
    links: dict[str, Change] = field(default_factory=dict)   # link key -> added/changed
    changes: list[Change] = field(default_factory=list)      # everything, in diff's order

    def of_node(self, node_id: str) -> Change | None:
        return self.nodes.get(node_id)

    def of_link(self, link: Any) -> Change | None:
        return self.links.get(link_key(link))


def variant_marks(base: LogicModel, model: LogicModel) -> Marks:
    """What ``model`` (a merged variant) adds, changes and removes in ``base``.

    A changed, added or removed indicator marks the node that holds it as changed;
    a changed or added assumption or moderator marks every box and link that names it
    (one that is removed is removed from them too, and they are marked by that).
    """
    holder = {ind.id: n.id for m in (base, model) for n in m.nodes
              for ind in getattr(n, "indicators", None) or ()}
    marks = Marks()
    for c in diff_models(base, model).changes:
        fields = tuple((field_word(f.field), value_text(f.old)) for f in c.fields)
        change = Change(c.section, c.id, c.kind, c.summary, fields)
        marks.changes.append(change)
        if c.section == "nodes" and c.kind != "removed":
            marks.nodes[c.id] = change
        elif c.section == "links" and c.kind != "removed":
            marks.links[c.id] = change
        elif c.section == "indicators" and model.node(holder.get(c.id, "")) is not None:
            _mark_held(marks.nodes, holder[c.id], _held("Indicator", c))
        elif c.section in ("assumptions", "moderators") and c.kind != "removed":
            extra = _held("Assumption" if c.section == "assumptions" else "Moderator", c)
            for n in model.nodes:
                if c.id in getattr(n, c.section):
                    _mark_held(marks.nodes, n.id, extra, "nodes")
            for link in model.links:
                if c.id in getattr(link, c.section):
                    _mark_held(marks.links, link_key(link), extra, "links")
    return marks


def _held(word: str, c: Any) -> tuple[tuple[str, str], ...]:
    """The panel's lines for a change to an indicator, assumption or moderator."""
    if c.kind == "changed":
        return tuple((f"{word} {c.id}: {f.field.replace('_', ' ')}", value_text(f.old))
                     for f in c.fields)
    return ((f"{word} {c.id}", f"{c.kind} in this variant"),)


def _mark_held(marks: dict[str, Change], key: str, extra: tuple[tuple[str, str], ...],
               section: str = "nodes") -> None:
    """Mark the element ``key`` as changed by what it holds, unless the variant added it."""
    prior = marks.get(key)
    if prior is not None and prior.kind == "added":
        return
    marks[key] = Change(section, key, "changed", prior.summary if prior else "",
                        (prior.fields if prior else ()) + extra)
