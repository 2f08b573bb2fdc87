"""What the viewer knows about each element of a figure, as plain JSON-ready data.

Every box and link drawn gets a *key* (``n3``: the fourth node of the scene,
``l7``: the eighth link), never a user's id, so that no model text ever becomes
an HTML id or attribute name. For each key the data hold what the side panel
shows, as generic *sections* (a heading and items, each with a title, text,
label/value rows, cited references and keys to go to), so the page's script
needs no knowledge of the format: a new field is a new row here.

*Facets* are what the page filters by: each has an id, a label, its options,
and for every element key the option ids it belongs to. Pathways are one facet;
groups and variants are further facets of the same shape.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..render.views import Scene
from ..schema import NODE_KINDS, kind_label
from ..signs import ADDED, CHANGED
from .variants import Change, Marks, link_key

__all__ = ["Facet", "ViewerData", "viewer_data"]

Json = dict[str, Any]


def _kind(kind: str) -> str:
    return kind_label(kind) if kind in NODE_KINDS else kind


@dataclass(frozen=True)
class Facet:
    """One way to filter the figure: its options and which elements belong to each."""

    id: str
    label: str
    plural: str                          # the panel's heading for an element's options
    all_label: str                       # the option that shows everything
    options: list[tuple[str, str]]       # (option id, label), in file order
    members: dict[str, list[str]] = field(default_factory=dict)  # element key -> option ids

    def to_json(self) -> Json:
        """The facet for the page's data block (the options too: a variant may differ)."""
        return {"id": self.id, "label": self.label, "all": self.all_label,
                "options": [list(o) for o in self.options], "members": self.members}


@dataclass(frozen=True)
class ViewerData:
    """Everything the page needs besides the figure."""

    node_keys: dict[str, str]            # node id -> key
    link_keys: list[str]                 # scene.links[i] -> key
    facets: list[Facet]
    payload: Json                        # the JSON data block


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(t for t in (_text(v) for v in value) if t) or None
    text = str(value)
    return text if text.strip() else None


def _rows(obj: Any, fields: Iterable[tuple[str, str]]) -> list[list[str]]:
    """``[label, value]`` for each field the object has and has set."""
    out = []
    for name, label in fields:
        value = _text(getattr(obj, name, None))
        if value is not None:
            out.append([label, value])
    return out


def _item(title: str | None = None, text: str | None = None,
          rows: Sequence[Sequence[str]] = (), refs: Sequence[str] = (),
          goto: str | None = None) -> Json:
    item: Json = {}
    if title:
        item["title"] = title
    if text:
        item["text"] = text
    if rows:
        item["rows"] = [list(r) for r in rows]
    if refs:
        item["refs"] = list(refs)
    if goto:
        item["goto"] = goto
    return item


def _section(heading: str, items: list[Json]) -> list[Json]:
    items = [i for i in items if i]
    return [{"h": heading, "items": items}] if items else []


def _evidence_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _provenance(el: Any) -> list[Json]:
    prov = getattr(el, "provenance", None)
    if prov is None:
        return []
    rows = _rows(prov, [("status", "Status"), ("placement", "Placement"), ("route", "Route")])
    return _section("Provenance", [_item(text=_text(getattr(prov, "note", None)), rows=rows,
                                         refs=list(getattr(prov, "refs", [])))])


def _evidence(el: Any) -> list[Json]:
    items = []
    for ev in _evidence_list(getattr(el, "evidence", None)):
        rows = _rows(ev, [("direction", "Direction"), ("grade", "Grade")])
        items.append(_item(text=_text(getattr(ev, "note", None)), rows=rows,
                           refs=list(getattr(ev, "refs", []))))
    return _section("Evidence", items)


def _indicators(el: Any) -> list[Json]:
    items = []
    for ind in getattr(el, "indicators", None) or []:
        rows = [["Id", ind.id], *_rows(ind, [
            ("baseline", "Baseline"), ("target", "Target"), ("direction", "Direction"),
            ("role", "Role"), ("data_source", "Data source"), ("frequency", "Frequency"),
        ])]
        prov = getattr(ind, "provenance", None)
        items.append(_item(title=ind.measure, rows=rows,
                           refs=list(getattr(prov, "refs", []) if prov else [])))
    return _section("Indicators", items)


def _marked(change: Change | None, variant: str) -> tuple[list[Json], Json]:
    """The panel's first section for an element a variant adds or changes, and its mark."""
    if change is None:
        return [], {}
    if change.kind == "added":
        return (_section(f"In {variant}", [_item(
            title=f"{ADDED} Added in this variant", text="The base model does not have it.")]),
            {"mark": "added"})
    return (_section(f"In {variant}", [_item(
        title=f"{CHANGED} Changed in this variant",
        text="Shown as in this variant; the base model has:",
        rows=[[name, old] for name, old in change.fields])]), {"mark": "changed"})


def _stands_for(model: Any, node_id: str, full: Any, full_variant: str | None = None
                ) -> list[Json]:
    """A short version's box: the boxes of the full version it stands for (its mapping),
    named by their labels when the full version is at hand, else by their ids.

    ``full_variant`` names the full version's variant the mapping is onto (None: the
    full version itself).
    """
    summarises = getattr(model, "summarises", None)
    if summarises is None:
        return []
    source = str(summarises.model) + (f", variant {full_variant}" if full_variant else "")
    ids = summarises.mapping().get(node_id, [])
    boxes = {n.id: n for n in full.nodes} if full is not None else {}
    owners: dict[str, list[str]] = {}
    for short_id, mapped in summarises.mapping().items():
        for f in mapped:
            owners.setdefault(f, []).append(short_id)
    short_labels = {n.id: n.label for n in model.nodes}
    items = []
    for f in ids:
        box = boxes.get(f)
        rows = [["Id", f]]
        if box is not None:
            rows.append(["Kind", _kind(str(box.kind))])
        others = [short_labels.get(o, o) for o in owners.get(f, []) if o != node_id]
        if others:
            rows.append(["Also in", ", ".join(others)])
        items.append(_item(title=box.label if box is not None else f, rows=rows))
    heading = "In the full version"
    if not items:
        return _section(heading, [_item(text="This box stands for no box of the full "
                                             f"version ({source}).")])
    return [{"h": heading, "items": [_item(text=f"This box stands for {len(items)} "
                                            f"box{'es' if len(items) != 1 else ''} of "
                                            f"{source}:"), *items]}]


class _Builder:
    def __init__(self, scene: Scene, marks: Marks | None = None, variant: str = "",
                 full: Any = None, full_variant: str | None = None) -> None:
        self.full = full
        self.full_variant = full_variant
        self.marks = marks
        self.variant = variant
        self.scene = scene
        model = scene.model
        self.model = model
        self.node_keys = {n.id: f"n{i}" for i, n in enumerate(scene.nodes)}
        self.link_keys = [f"l{i}" for i in range(len(scene.links))]
        self.assumptions = {a.id: a for a in model.assumptions}
        self.moderators = {m.id: m for m in model.moderators}
        self.headings = scene.headings()
        self.labels = {n.id: n.label for n in model.nodes}

    def _assumptions(self, ids: Sequence[str]) -> list[Json]:
        return self._declared(ids, self.assumptions, self.scene.assumption_no, "A",
                              ("risk", "Risk"), "Assumptions")

    def _moderators(self, ids: Sequence[str]) -> list[Json]:
        return self._declared(ids, self.moderators, self.scene.moderator_no, "",
                              ("effect", "Effect"), "Barriers and enablers")

    def _declared(self, ids: Sequence[str], table: Mapping[str, Any], numbers: Mapping[str, Any],
                  prefix: str, field: tuple[str, str], heading: str) -> list[Json]:
        """Assumptions or moderators named by ``ids``, each with its marker as in the figure."""
        items = []
        for eid in ids:
            e = table.get(eid)
            if e is None:
                continue
            no = numbers.get(eid)
            title = f"{prefix}{no}  {e.label}" if no else e.label
            prov = getattr(e, "provenance", None)
            items.append(_item(title=title, text=_text(e.description),
                               rows=[["Id", e.id], *_rows(e, [field])],
                               refs=list(prov.refs) if prov else []))
        return _section(heading, items)

    def _memberships(self, key: str, facets: Sequence[Facet]) -> list[Json]:
        out = []
        for f in facets:
            labels = dict(f.options)
            out += _section(f.plural, [_item(title=labels[o]) for o in f.members.get(key, [])])
        return out

    def node(self, n: Any, key: str, facets: Sequence[Facet]) -> Json:
        kind = str(n.kind)
        about = _rows(n, [("role", "Role"), ("actor", "Actor"), ("horizon", "Horizon"),
                          ("response", "Response"), ("direction", "Direction"),
                          ("risk", "Risk")])
        rows = [["Id", n.id], ["Kind", _kind(kind)],
                ["Stage", self.headings.get(self.scene.stage[n.id], self.scene.stage[n.id])],
                *about]
        links = []
        for lk, lkey in zip(self.scene.links, self.link_keys, strict=True):
            if lk.target == n.id:
                links.append(_item(title=f"from {self.labels[lk.source]}", goto=lkey))
        for lk, lkey in zip(self.scene.links, self.link_keys, strict=True):
            if lk.source == n.id:
                links.append(_item(title=f"to {self.labels[lk.target]}", goto=lkey))
        marked, mark = _marked(self.marks.of_node(n.id) if self.marks else None, self.variant)
        sections = [
            *marked,
            *_section("About", [_item(text=_text(n.description), rows=rows)]),
            *_stands_for(self.model, n.id, self.full, self.full_variant),
            *_provenance(n), *_evidence(n), *_indicators(n),
            *self._assumptions(n.assumptions), *self._moderators(n.moderators),
            *self._memberships(key, facets), *_section("Links", links),
        ]
        return {"type": _kind(kind), "label": n.label, "id": n.id,
                "search": f"{n.label} {n.id}".lower(), "sections": sections, **mark}

    def link(self, lk: Any, key: str, facets: Sequence[Facet]) -> Json:
        src, dst = self.labels[lk.source], self.labels[lk.target]
        rows = [*([["Id", lk.id]] if lk.id else []), ["From", src], ["To", dst],
                *_rows(lk, [("type", "Claim"), ("feedback", "Feedback loop")])]
        rows = [r for r in rows if r != ["Feedback loop", "no"]]
        ends = [_item(title=f"from {src}", goto=self.node_keys[lk.source]),
                _item(title=f"to {dst}", goto=self.node_keys[lk.target])]
        marked, mark = _marked(self.marks.of_link(lk) if self.marks else None, self.variant)
        sections = [
            *marked,
            *_section("About", [_item(text=_text(lk.rationale), rows=rows)]),
            *_provenance(lk), *_evidence(lk),
            *self._assumptions(lk.assumptions), *self._moderators(lk.moderators),
            *self._memberships(key, facets), *_section("Ends", ends),
        ]
        ident = lk.id or f"{lk.source} → {lk.target}"
        label = f"{src} → {dst}"
        return {"type": "Link", "label": label, "id": ident,
                "search": (lk.id or "").lower(),
                "sections": sections, **mark}


def _pathway_facet(scene: Scene, node_keys: dict[str, str], link_keys: list[str]) -> Facet:
    """Which boxes and links lie on each pathway (its nodes and the links between steps)."""
    members: dict[str, list[str]] = {}
    options = []
    model = scene.model
    for p in model.pathways:
        options.append((p.id, p.label))
        nodes, steps = _route(model, p)
        for nid in nodes:
            if nid in node_keys:
                members.setdefault(node_keys[nid], []).append(p.id)
        for lk, key in zip(scene.links, link_keys, strict=True):
            if (lk.source, lk.target) in steps:
                members.setdefault(key, []).append(p.id)
    return Facet("pathway", "Pathway", "Pathways", "All pathways", options, members)


def _route(model: Any, pathway: Any) -> tuple[list[str], set[tuple[str, str]]]:
    """A pathway's nodes and steps, however its route is written (a chain, links, steps)."""
    route = getattr(model, "route", None)   # format 2: one Route for every way of writing it
    if route is not None:
        r = route(pathway)
        return list(r.nodes), set(r.edges)
    nodes = list(pathway.nodes)
    return list(dict.fromkeys(nodes)), set(itertools.pairwise(nodes))


def _group_facet(scene: Scene, node_keys: dict[str, str], link_keys: list[str]) -> Facet:
    """Which boxes and links belong to each group (row, actor, arm, site).

    A box belongs to the groups it names; a link to those it names and to those
    both its ends belong to, so a group's own chain stays visible when filtered.
    """
    groups = list(getattr(scene.model, "groups", None) or [])
    declared = {g.id for g in groups}
    own = {n.id: [g for g in getattr(n, "groups", None) or [] if g in declared]
           for n in scene.nodes}
    members: dict[str, list[str]] = {}
    for n in scene.nodes:
        if own[n.id]:
            members[node_keys[n.id]] = own[n.id]
    for lk, key in zip(scene.links, link_keys, strict=True):
        mine = [g for g in getattr(lk, "groups", None) or [] if g in declared]
        shared = [g for g in own.get(lk.source, []) if g in own.get(lk.target, [])]
        both = list(dict.fromkeys(mine + shared))
        if both:
            members[key] = both
    return Facet("group", "Group", "Groups", "All groups", [(g.id, g.label) for g in groups],
                 members)


def _references(model: Any) -> Json:
    out: Json = {}
    for ref in model.references:
        entry = {"citation": ref.citation}
        if ref.doi:
            entry.update(href=f"https://doi.org/{ref.doi}", link=f"doi:{ref.doi}")
        elif ref.url:
            try:
                host = urlsplit(ref.url).hostname or "web page"
            except ValueError:  # e.g. an unclosed IPv6 bracket: still a link, just unnamed
                host = "web page"
            entry.update(href=ref.url, link=host.removeprefix("www."))
        out[ref.id] = entry
    return out


_SECTION_NAMES = {"nodes": "", "links": "Link", "indicators": "Indicator",
                  "assumptions": "Assumption", "moderators": "Barrier or enabler",
                  "pathways": "Pathway", "references": "Source", "model": "The model"}


def _summary(b: _Builder, base: Any) -> list[Json]:
    """What the variant adds, changes and removes, for the side column: the figure shows
    the first two marked, and the list names all three (removed: as in the base)."""
    assert b.marks is not None
    labels = {n.id: n.label for n in base.nodes} | b.labels
    node_kind = {n.id: _kind(str(n.kind)) for m in (base, b.model) for n in m.nodes}
    link_at = {link_key(lk): key for lk, key in zip(b.scene.links, b.link_keys, strict=True)}
    links = {link_key(lk): lk for m in (base, b.model) for lk in m.links}
    measures = {ind.id: (ind.measure, n.id) for m in (base, b.model) for n in m.nodes
                for ind in getattr(n, "indicators", None) or ()}
    groups: dict[str, list[Json]] = {"added": [], "changed": [], "removed": []}
    for c in b.marks.changes:
        if c.section == "nodes":
            title = f"{node_kind.get(c.id, 'Box')}: {labels.get(c.id, c.id)}"
            goto = b.node_keys.get(c.id) if c.kind != "removed" else None
        elif c.section == "links" and c.id in links:
            lk = links[c.id]
            title = (f"Link: {labels.get(lk.source, lk.source)} → "
                     f"{labels.get(lk.target, lk.target)}")
            goto = link_at.get(c.id) if c.kind != "removed" else None
        elif c.section == "indicators" and c.id in measures:
            measure, of = measures[c.id]
            title, goto = f"Indicator: {measure} (of {labels.get(of, of)})", None
        else:
            name = _SECTION_NAMES.get(c.section, c.section)
            title = f"{name}: {c.summary or c.id}" if c.section != "model" else name
            goto = None
        text = ", ".join(name for name, _ in c.fields) if c.kind == "changed" else None
        groups[c.kind].append(_item(title=title, text=text, goto=goto))
    return [*_section(f"{ADDED} Added", groups["added"]),
            *_section(f"{CHANGED} Changed", groups["changed"]),
            *_section("Removed (not drawn)", groups["removed"])]


def viewer_data(scene: Scene, marks: Marks | None = None, variant: str = "",
                base: Any = None, full: Any = None, full_variant: str | None = None
                ) -> ViewerData:
    """The panel contents, facets and references for every element ``scene`` draws.

    ``marks`` (of the variant called ``variant``, compared with ``base``) add what
    the variant changes to the panels, and the list of its changes to the data.
    ``full`` is the full version a short version summarises: each short box's
    panel names the boxes of it that the box stands for, and ``full_variant`` (the
    label of the full version's variant ``full`` is, if it is one) which variant.
    """
    b = _Builder(scene, marks, variant, full, full_variant)
    pathways = _pathway_facet(scene, b.node_keys, b.link_keys)
    groups = _group_facet(scene, b.node_keys, b.link_keys)
    facets = [f for f in (pathways, groups) if f.options]
    elements: Json = {}
    for n in scene.nodes:
        key = b.node_keys[n.id]
        elements[key] = b.node(n, key, facets)
    for lk, key in zip(scene.links, b.link_keys, strict=True):
        elements[key] = b.link(lk, key, facets)
    model = scene.model
    payload: Json = {
        "title": scene.title,
        "description": model.description or "",
        "elements": elements,
        "facets": [f.to_json() for f in facets],
        "references": _references(model),
    }
    if marks is not None and base is not None:
        payload["changes"] = _summary(b, base)
    return ViewerData(b.node_keys, b.link_keys, facets, payload)
