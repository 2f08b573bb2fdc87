"""The panels: the base and each variant as a scene, marked against the base."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...diff import Change, diff_models
from ...schema import Link, LogicModel
from ...signs import ADDED, CHANGED, REMOVED
from .. import RenderError, RenderOptions, scene_for
from ..text import wrap
from ..themes import Theme, get_theme
from ..views import Highlight, Scene, ViewError

if TYPE_CHECKING:
    from ...loader import Document


# Field names as a reader of the figure knows them (the table keeps the model's names).
_FIELD_WORDS = {"provenance.refs": "sources", "provenance.status": "evidence status",
                "provenance.note": "note on sources", "provenance.parts": "sources of its parts",
                "nodes": "route", "links": "links", "pathways": "route"}


class VariantsFigureError(RenderError):
    """A figure of the variants that cannot be drawn as asked (LM640)."""


def variant_marks(theme: Theme) -> dict[str, Highlight]:
    """How a panel marks what its variant adds, changes and removes, in ``theme``.

    The signs and the borders carry the meaning in every theme; the ``color``
    theme also colours the added and changed borders (Okabe-Ito green and orange).
    """
    colored = theme.name == "color"
    added = {"penwidth": "2.6", **({"color": "#009E73"} if colored else {})}
    changed = {"penwidth": "2.6", **({"color": "#E69F00"} if colored else {})}
    gone = "#8C8C8C" if colored else "gray50"
    return {
        "added": Highlight(
            "Added in the variant", ADDED, added, {"penwidth": "2.6"},
            f"Link added in the variant ({ADDED}\u00a0beside it, or in its new box)"),
        "changed": Highlight("Changed in the variant", CHANGED, changed, {"penwidth": "2.6"},
                             f"Link changed in the variant ({CHANGED}\u00a0beside it)"),
        "removed": Highlight(
            "Removed in the variant", REMOVED,
            {"style": "dotted", "color": gone, "fontcolor": "gray45", "fillcolor": "white",
             "penwidth": "1.3"},
            {"style": "dotted", "color": gone, "penwidth": "1.6"},
            "Link removed in the variant (listed)", quiet=True),
    }


@dataclass
class Panel:
    """One panel: the base or a variant, drawn as its own scene with its marks."""

    id: str
    label: str
    scene: Scene
    added: int = 0
    removed: int = 0
    changed: int = 0
    # changed elements whose change does not show in the box: (label, fields)
    notes: list[tuple[str, list[str]]] = field(default_factory=list)
    # node id or link key -> the fields of its change that its box or line does not show
    hidden: dict[str, list[str]] = field(default_factory=dict)
    # changes to what no box or line draws (pathways, assumptions...): (sign, what, fields)
    others: list[tuple[str, str, list[str]]] = field(default_factory=list)

    def title(self) -> str:
        """The panel's title: its name, and for a variant what it does to the base."""
        if self.id == "base":
            return "Base (the model without variants)" if self.label == "Base" else self.label
        parts = [f"{n} {what}" for n, what in ((self.added, "added"),
                                               (self.changed, "changed"),
                                               (self.removed, "removed")) if n]
        return f"{self.label}: {', '.join(parts) or 'as the base'}"

    def title_lines(self, width: int) -> list[str]:
        """The title in lines of about ``width`` characters, broken where a reader pauses.

        A title too long for one line breaks after the variant's name, then only
        between its counts ("1 added, 2 changed," never "2 / changed").
        """
        title = self.title()
        if len(title) <= width or self.id == "base":
            return wrap(title, width)
        lines = wrap(f"{self.label}:", width)
        rest = title[len(self.label) + 2:].split(", ")
        units = [f"{u}," for u in rest[:-1]] + rest[-1:]
        line = ""
        for unit in units:
            if line and len(line) + 1 + len(unit) > width:
                lines.append(line)
                line = ""
            if len(unit) > width:
                lines += wrap(unit, width)
                continue
            line = f"{line} {unit}" if line else unit
        return [*lines, *([line] if line else [])]


def _link_key(link: Link) -> str:
    return str(link.id or f"{link.source}->{link.target}")


def _models(doc: Document) -> list[tuple[str, str, LogicModel]]:
    """(id, label, merged model) for the base and each variant of a loaded document."""
    from ...variants.load import variant_document

    if doc.overlay is not None:
        assert doc.base is not None
        assert doc.base.model is not None
        assert doc.model is not None
        return [("base", "Base", doc.base.model),
                (doc.overlay.id, doc.overlay.label or doc.overlay.id, doc.model)]
    if doc.model is None or not doc.variants:
        raise VariantsFigureError(
            "LM640", f"{doc.file} has no variants to draw side by side",
            "write variants under `variants:` (see `logicmodel variants MODEL`), "
            "or leave out --variants")
    out = [("base", "Base", doc.model)]
    for v in doc.variants:
        merged = variant_document(doc, v.id)
        if merged.model is None:  # not reached: a model with a broken variant is refused
            raise VariantsFigureError("LM640", f"variant `{v.id}` is not a valid model",
                                      "run `logicmodel check` on the model")
        out.append((v.id, v.label or v.id, merged.model))
    return out


def _scene(model: LogicModel, options: RenderOptions, name: str, spacing: float = 1.0,
           own: bool = False) -> Scene:
    try:
        scene = scene_for(model, options)
    except ViewError as exc:
        if name == "base":
            raise
        raise ViewError(f"variant `{name}`: {exc}") from None
    # bands (group rows) are not drawn in the panels: their frames are not pinned yet
    return dataclasses.replace(scene, legend=False, bands=(), spacing=spacing, own_widths=own,
                               pairs_within=False)


def panels(doc: Document, options: RenderOptions | None = None, *,
           spacing: float = 1.0, own: bool = False) -> list[Panel]:
    """The base's panel and one per variant, each scene marked against the base.

    ``spacing``: the space between boxes and stages, as a share of the theme's; ``own``:
    the boxes of a stage drawn as a row keep their own widths (see :mod:`..columns`).
    """
    options = options or RenderOptions()
    marks = variant_marks(get_theme(options.theme))
    models = _models(doc)
    base_id, base_label, base = models[0]
    base_scene = _scene(base, options, base_id, spacing, own)
    out = [Panel(base_id, base_label, base_scene)]
    for vid, label, model in models[1:]:
        out.append(_variant_panel(vid, label, model, base, base_scene, options, marks,
                                  spacing, own))
    return out


def _fields(changes: Sequence[Any]) -> list[str]:
    return list(dict.fromkeys(c.field.split(".")[0] if c.field.startswith("indicators")
                              else c.field for c in changes))


def _variant_panel(vid: str, label: str, model: LogicModel, base: LogicModel,
                   base_scene: Scene, options: RenderOptions,
                   marks: Mapping[str, Highlight], spacing: float = 1.0,
                   own: bool = False) -> Panel:
    scene = _scene(model, options, vid, spacing, own)
    d = diff_models(base, model)
    panel = Panel(vid, label, scene)
    c: Change | None
    by_section: dict[str, dict[str, Change]] = {}
    for change in d.changes:
        by_section.setdefault(change.section, {})[change.id] = change
    nodes, links = by_section.get("nodes", {}), by_section.get("links", {})
    # A node counts as changed when one of its indicators changed, too.
    of_indicator = {ind.id: n.id for m in (model, base) for n in m.nodes
                    for ind in getattr(n, "indicators", ())}
    extra: dict[str, list[str]] = {}
    for iid, ic in by_section.get("indicators", {}).items():
        nid = of_indicator.get(iid)
        if nid is not None:
            extra.setdefault(nid, []).append(f"indicator {iid} {ic.kind}")
    shown = {n.id for n in scene.nodes}
    for n in scene.nodes:
        c = nodes.get(n.id)
        if c is not None and c.kind == "added":
            scene.node_highlight[n.id] = marks["added"]
            panel.added += 1
        elif (c is not None and c.kind == "changed") or n.id in extra:
            scene.node_highlight[n.id] = marks["changed"]
            panel.changed += 1
            hidden = [f for f in (_fields(c.fields) if c is not None else []) if f != "label"]
            hidden += extra.get(n.id, [])
            if hidden:
                words = [_FIELD_WORDS.get(f, f) for f in hidden]
                panel.notes.append((" ".join(n.label.split()), words))
                panel.hidden[n.id] = list(dict.fromkeys(words))
    # Removed nodes, where the base draws them: after the node they follow there.
    after: dict[str | None, list[Any]] = {}
    previous: str | None = None
    for n in base_scene.nodes:
        c = nodes.get(n.id)
        if c is not None and c.kind == "removed":
            after.setdefault(previous, []).append(n)
            scene.stage[n.id] = base_scene.stage[n.id]
            scene.node_highlight[n.id] = marks["removed"]
            panel.removed += 1
        elif n.id in shown:
            previous = n.id
    merged = list(after.get(None, []))
    for n in scene.nodes:
        merged += [n, *after.get(n.id, [])]
    scene.nodes = merged
    drawn = {n.id for n in merged}
    order = [*model.layout.ids, *(s for s in base.layout.ids if s not in model.layout.rank)]
    scene.stages = [s for s in order if any(scene.stage[n.id] == s for n in merged)]
    for lk in scene.links:
        c = links.get(_link_key(lk))
        if c is not None and c.kind in ("added", "changed"):
            scene.link_highlight[id(lk)] = marks[c.kind]
            if c.kind == "added" and _at_node(lk, nodes, "added"):
                # the box it comes from or goes to carries the sign
                scene.link_highlight[id(lk)] = dataclasses.replace(marks["added"], sign="")
                continue
            if c.kind == "added":
                panel.added += 1
            else:
                panel.changed += 1
                words = [_FIELD_WORDS.get(f, f) for f in _fields(c.fields)]
                panel.notes.append((f"link {_link_key(lk)}", words))
                panel.hidden[_link_key(lk)] = list(dict.fromkeys(words))
    # Changes to what the boxes do not draw: pathways, assumptions, moderators, groups.
    names = {"pathways": ("pathway", {p.id: p.label for m in (base, model) for p in m.pathways}),
             "assumptions": ("assumption", {a.id: a.label for m in (base, model)
                                            for a in m.assumptions}),
             "moderators": ("moderator", {x.id: x.label for m in (base, model)
                                          for x in m.moderators}),
             "groups": ("group", {g.id: g.label for m in (base, model) for g in m.groups})}
    for section, (word, labels) in names.items():
        for ident, c in sorted(by_section.get(section, {}).items()):
            what = f"{word} \u201c{' '.join(labels.get(ident, ident).split())}\u201d"
            if c.kind == "changed":
                panel.changed += 1
                words = [_FIELD_WORDS.get(f, f) for f in _fields(c.fields)]
                panel.notes.append((what, words))
                panel.others.append((CHANGED, what, list(dict.fromkeys(words))))
            else:
                panel.added += c.kind == "added"
                panel.removed += c.kind == "removed"
                panel.notes.append((what, [c.kind]))
                panel.others.append((ADDED if c.kind == "added" else REMOVED, what, []))
    for lk in base_scene.links:
        c = links.get(_link_key(lk))
        if (c is not None and c.kind == "removed" and lk.source in drawn
                and lk.target in drawn):
            scene.links.append(lk)
            scene.link_highlight[id(lk)] = marks["removed"]
            if _at_node(lk, nodes, "removed"):
                scene.link_highlight[id(lk)] = dataclasses.replace(marks["removed"], sign="")
            else:
                panel.removed += 1
    return panel


def _at_node(link: Link, nodes: Mapping[str, Change], kind: str) -> bool:
    """Whether ``link`` starts or ends at a node the variant adds (or removes)."""
    return any(end in nodes and nodes[end].kind == kind for end in (link.source, link.target))
