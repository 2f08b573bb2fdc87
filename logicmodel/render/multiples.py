"""Small multiples: the base in full and every variant in a smaller panel under it.

Readers compare variants by looking from one panel to the next, so every
element the panels share sits in the same place in each of them. The figure is
made in four steps:

1. **Panels** (:func:`panels`): each variant is drawn as ``render`` draws it
   (with ``--view``, ``--pathway`` and ``--theme``), with what it adds, changes
   and removes compared with the base marked in print, never by colour alone:
   *added* boxes and lines are heavier and tagged ``+``; *changed* ones heavier
   and tagged with a delta; *removed* ones are ghosted, dotted and grey, tagged
   with a minus sign, where the base has them (the signs: :mod:`logicmodel.signs`).
2. **One layout** (:func:`lay_out`): the union of every panel (the base's
   elements, then each variant's additions after the element they follow in the
   variant's file) is laid out once by the engine, each box as large as its
   largest version in any panel.
3. **Pinned panels**: each panel's boxes and lines are drawn at the union's
   positions, sizes and routes (Graphviz's ``neato -n2``, which draws given
   positions as they are); an element a panel does not have is left out, so its
   place stays empty. The base is drawn in full, with the stage headings (once,
   for every stage any panel has); each variant's panel is the same drawing at
   a smaller scale, three to a row, its boxes unlabelled outlines except what
   the variant marks, which carries its sign and a number (``+D4``) in type as
   large as the base's and is listed, with its own label, under the panel.
4. **A page**: the layout (as asked, compact, turned) that gives the largest
   text in ``--fit``, or, when none fits, the one readable at the target's
   width and least tall (the best and the narrowest are tried again with the
   boxes closer together); one key under the panels.

Example::

    from logicmodel.pipeline import open_model
    from logicmodel.render import RenderOptions
    from logicmodel.render.multiples import render_multiples

    doc = open_model("models/devolved_budgets.yaml").document
    svg = render_multiples(doc, ["svg"], RenderOptions(fit="page"))[0].data
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Severity
from ..diff import Change, diff_models
from ..gcpause import paused_gc
from ..rules.registry import rule
from ..schema import NODE_KINDS, Link, LogicModel
from ..signs import ADDED, CHANGED, REMOVED
from . import (
    DEFAULT_DPI,
    Rendered,
    RenderError,
    RenderOptions,
    _check_pixels,
    _fit_warning,
    format_of,
    scene_for,
)
from .caption import key_caption
from .dot import element_titles, flat_label, line_entries, marker_label, to_dot
from .engine import Engine, find_engine, run_engine
from .eps import svg_to_eps
from .fit import Fitted, Target, choose_scale, parse_target
from .fonts import check_coverage
from .key import marker_legend
from .output import check_destination, write_atomic
from .pdf import svg_to_pdf
from .raster import finish_png, to_tiff
from .svg import UnsafeSVG, check_svg, finish_svg, measure_svg, scale_svg
from .text import dot_string, estimate_width_pt, wrap
from .themes import Theme, get_theme
from .views import Highlight, Scene, ViewError

if TYPE_CHECKING:
    from ..loader import Document

__all__ = ["MULTIPLES_FORMATS", "Panel", "VariantsFigureError", "multiples_format_of",
           "panels", "render_multiples", "render_multiples_to_files", "variant_marks"]

# What a figure of pinned panels can be: every laid-out format, its DOT and its key as text.
MULTIPLES_FORMATS = ("svg", "png", "pdf", "eps", "tiff", "dot", "caption")
# Field names as a reader of the figure knows them (the table keeps the model's names).
_FIELD_WORDS = {"provenance.refs": "sources", "provenance.status": "evidence status",
                "provenance.note": "note on sources", "provenance.parts": "sources of its parts",
                "nodes": "route", "links": "links", "pathways": "route"}
_PANEL_GAP = 14.0  # points between panels
_INSET = 3.0       # points between the base's drawing and its frame
_TIGHT = 0.75      # the closer spacing tried when no layout fits, as a share of the theme's
_TITLE_SIZE = 1.5  # the panel titles' text: the headings' size plus this


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
        "added": Highlight("Added in the variant", ADDED, added, {"penwidth": "2.6"},
                           "Link added in the variant (listed)"),
        "changed": Highlight("Changed in the variant", CHANGED, changed, {"penwidth": "2.6"},
                             "Link changed in the variant (listed)"),
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


def _link_key(link: Link) -> str:
    return str(link.id or f"{link.source}->{link.target}")


def _models(doc: Document) -> list[tuple[str, str, LogicModel]]:
    """(id, label, merged model) for the base and each variant of a loaded document."""
    from ..variants.load import variant_document

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


def _scene(model: LogicModel, options: RenderOptions, name: str, spacing: float = 1.0
           ) -> Scene:
    try:
        scene = scene_for(model, options)
    except ViewError as exc:
        if name == "base":
            raise
        raise ViewError(f"variant `{name}`: {exc}") from None
    # bands (group rows) are not drawn in the panels: their frames are not pinned yet
    return dataclasses.replace(scene, legend=False, bands=(), spacing=spacing)


def panels(doc: Document, options: RenderOptions | None = None, *,
           spacing: float = 1.0) -> list[Panel]:
    """The base's panel and one per variant, each scene marked against the base.

    ``spacing``: the space between boxes and stages, as a share of the theme's.
    """
    options = options or RenderOptions()
    marks = variant_marks(get_theme(options.theme))
    models = _models(doc)
    base_id, base_label, base = models[0]
    base_scene = _scene(base, options, base_id, spacing)
    out = [Panel(base_id, base_label, base_scene)]
    for vid, label, model in models[1:]:
        out.append(_variant_panel(vid, label, model, base, base_scene, options, marks,
                                  spacing))
    return out


def _fields(changes: Sequence[Any]) -> list[str]:
    return list(dict.fromkeys(c.field.split(".")[0] if c.field.startswith("indicators")
                              else c.field for c in changes))


def _variant_panel(vid: str, label: str, model: LogicModel, base: LogicModel,
                   base_scene: Scene, options: RenderOptions,
                   marks: Mapping[str, Highlight], spacing: float = 1.0) -> Panel:
    scene = _scene(model, options, vid, spacing)
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
    # Changes to what the boxes do not draw: pathways, assumptions, moderators.
    names = {"pathways": ("pathway", {p.id: p.label for m in (base, model) for p in m.pathways}),
             "assumptions": ("assumption", {a.id: a.label for m in (base, model)
                                            for a in m.assumptions}),
             "moderators": ("moderator", {x.id: x.label for m in (base, model)
                                          for x in m.moderators})}
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


# --- reading our own DOT, and the engine's layout -------------------------------------------

_ATTR = re.compile(r'([A-Za-z_]+)=("(?:[^"\\]|\\.)*"|[^,\]\s]+)')
_NODE = re.compile(r"^\s*([a-z]+[0-9]+) (\[.*\])$")
_EDGE = re.compile(r"^\s*([a-z]+[0-9]+) -> ([a-z]+[0-9]+)(?: (\[.*\]))?$")
_DEFAULTS = re.compile(r"^\s*(graph|node|edge) (\[.*\])$")


def _attrs(text: str | None) -> dict[str, str]:
    """``[a="b", c=d]`` as name -> the value as written (quoted values keep their quotes)."""
    return dict(_ATTR.findall(text or ""))


@dataclass
class _Dot:
    """The statements of a DOT text we wrote: defaults, nodes and visible edges."""

    defaults: dict[str, dict[str, str]]
    nodes: dict[str, dict[str, str]]
    edges: list[tuple[str, str, dict[str, str]]]


def _read_dot(text: str) -> _Dot:
    dot = _Dot({}, {}, [])
    for line in text.splitlines():
        m = _DEFAULTS.match(line)
        if m:
            dot.defaults.setdefault(m.group(1), {}).update(_attrs(m.group(2)))
            continue
        m = _EDGE.match(line)
        if m:
            attrs = _attrs(m.group(3))
            if attrs.get("style") != "invis":
                dot.edges.append((m.group(1), m.group(2), attrs))
            continue
        m = _NODE.match(line)
        if m:
            dot.nodes[m.group(1)] = _attrs(m.group(2))
    return dot


@dataclass
class _Placed:
    """Where the engine put each node (centre, size in points) and each edge."""

    nodes: dict[str, tuple[float, float, float, float]]
    edges: dict[tuple[str, str], list[dict[str, str]]]  # (tail, head) -> pos/lp, in order
    bbox: tuple[float, float, float, float]              # of every node and edge drawn


def _read_layout(output: bytes) -> _Placed:
    data = json.loads(output)
    names: dict[int, str] = {}
    nodes: dict[str, tuple[float, float, float, float]] = {}
    for obj in data.get("objects", []):
        if "pos" not in obj:
            continue  # a subgraph
        names[obj["_gvid"]] = obj["name"]
        x, y = (float(v) for v in obj["pos"].split(","))
        nodes[obj["name"]] = (x, y, float(obj["width"]) * 72, float(obj["height"]) * 72)
    edges: dict[tuple[str, str], list[dict[str, str]]] = {}
    for e in data.get("edges", []):
        if e.get("style") == "invis" or "pos" not in e:
            continue
        where = {k: e[k] for k in ("pos", "lp", "head_lp") if k in e}
        edges.setdefault((names[e["tail"]], names[e["head"]]), []).append(where)
    xs: list[float] = []
    ys: list[float] = []
    for name, (x, y, w, h) in nodes.items():
        if name.startswith("h") or name.startswith("n"):
            xs += [x - w / 2, x + w / 2]
            ys += [y - h / 2, y + h / 2]
    for runs in edges.values():
        for where in runs:
            for pt in re.findall(r"(-?[0-9.]+),(-?[0-9.]+)", where["pos"] + " " +
                                 where.get("lp", "")):
                xs.append(float(pt[0]))
                ys.append(float(pt[1]))
    bbox = (min(xs, default=0.0), min(ys, default=0.0), max(xs, default=0.0),
            max(ys, default=0.0))
    return _Placed(nodes, edges, bbox)


_POINT = re.compile(r"(-?[0-9]+(?:\.[0-9]+)?),(-?[0-9]+(?:\.[0-9]+)?)")


def _scaled(pos: str, at: Callable[[float, float], tuple[float, float]]) -> str:
    """A ``pos`` or ``lp`` value with every ``x,y`` pair in it mapped by ``at``."""
    def move(m: re.Match[str]) -> str:
        x, y = at(float(m.group(1)), float(m.group(2)))
        return f"{x:.2f},{y:.2f}"
    return _POINT.sub(move, pos)


def _shift(pos: str, dx: float, dy: float) -> str:
    """A ``pos`` or ``lp`` value moved by (dx, dy)."""
    return _scaled(pos, lambda x, y: (x + dx, y + dy))


# --- the union layout ------------------------------------------------------------------------


@dataclass
class _Union:
    """Every panel's elements in one scene, laid out once."""

    scene: Scene
    ids: dict[str, str]                 # node id -> its DOT id in the union (n0, n1...)
    headings: dict[str, str]            # stage -> DOT id of its heading (h0, h1...)
    links: list[tuple[str, str, str]]   # (link key, source, target), in the union's order
    placed: _Placed | None = None
    dot: _Dot | None = None             # the union's own DOT statements (its stage headings)


def _union(ps: list[Panel]) -> _Union:
    base = ps[0].scene
    order: list[str] = [n.id for n in base.nodes]
    node_of = {n.id: n for n in base.nodes}
    stage = {n.id: base.stage[n.id] for n in base.nodes}
    for p in ps[1:]:
        previous: str | None = None
        for n in p.scene.nodes:
            if n.id not in node_of:
                # after the box of its stage it comes from, else after the box before it
                before = next((lk.source for lk in p.scene.links if lk.target == n.id
                               and lk.source in node_of
                               and stage[lk.source] == p.scene.stage[n.id]), previous)
                order.insert(order.index(before) + 1 if before else 0, n.id)
                node_of[n.id] = n
                stage[n.id] = p.scene.stage[n.id]
            previous = n.id
    link_of: dict[tuple[str, str, str], Link] = {}
    sign: dict[tuple[str, str, str], Highlight] = {}
    for p in ps:
        for lk in p.scene.links:
            key = (_link_key(lk), lk.source, lk.target)
            link_of.setdefault(key, lk)
            mark = p.scene.link_highlight.get(id(lk))
            if mark is not None and (key not in sign or sign[key].quiet):
                sign[key] = mark
    node_sign: dict[str, Highlight] = {}
    for p in ps:
        for nid, mark in p.scene.node_highlight.items():
            if nid not in node_sign or node_sign[nid].quiet:
                node_sign[nid] = mark
    stages: list[str] = []
    for p in ps:
        stages += [s for s in p.scene.stages if s not in stages]
    rank = {s: i for i, s in enumerate(base.model.layout.ids)}
    stages.sort(key=lambda s: rank.get(s, len(rank)))
    nodes = [node_of[i] for i in order]
    links = list(link_of.values())
    scene = dataclasses.replace(
        base, nodes=nodes, stage=stage, stages=stages, links=links, legend=False,
        faded_nodes=set().union(*(p.scene.faded_nodes for p in ps)),
        faded_links=set(), link_pathways={}, highlights=[],
        node_highlight=node_sign, link_highlight={id(link_of[k]): m for k, m in sign.items()})
    return _Union(scene, {n.id: f"n{i}" for i, n in enumerate(nodes)},
                  {s: f"h{k}" for k, s in enumerate(stages)}, list(link_of))


def _panel_dots(ps: list[Panel], theme: Theme) -> list[_Dot]:
    return [_read_dot(to_dot(p.scene, theme, layered=False)) for p in ps]


def _sizes(engine: Engine, ps: list[Panel], dots: list[_Dot], options: RenderOptions
           ) -> dict[str, tuple[float, float]]:
    """Each node's largest width and height (inches) over the panels: one engine run."""
    lines = ["digraph sizes {"]
    for scope, attrs in dots[0].defaults.items():
        if scope == "node":
            lines.append(f"  node [{', '.join(f'{k}={v}' for k, v in attrs.items())}]")
    owner: dict[str, str] = {}
    for k, (p, dot) in enumerate(zip(ps, dots, strict=True)):
        for i, n in enumerate(p.scene.nodes):
            attrs = dot.nodes[f"n{i}"]
            name = f"m{k}x{i}"
            owner[name] = n.id
            lines.append(f"  {name} [{', '.join(f'{a}={v}' for a, v in attrs.items())}]")
    lines.append("}")
    placed = _read_layout(run_engine(engine, "\n".join(lines) + "\n", "json",
                                     timeout=options.timeout).output)
    out: dict[str, tuple[float, float]] = {}
    for name, nid in owner.items():
        _, _, w, h = placed.nodes[name]
        old = out.get(nid, (0.0, 0.0))
        out[nid] = (max(old[0], w / 72), max(old[1], h / 72))
    return out


def _lay_out_union(engine: Engine, u: _Union, theme: Theme,
                   sizes: Mapping[str, tuple[float, float]], options: RenderOptions) -> None:
    """Lay the union out, each box at least as large as its largest version."""
    text = to_dot(u.scene, theme, layered=False)
    by_dot = {dot_id: nid for nid, dot_id in u.ids.items()}

    def sized(m: re.Match[str]) -> str:
        nid = by_dot.get(m.group(2))
        if nid is None or nid not in sizes:
            return m.group(0)
        w, h = sizes[nid]
        return f'{m.group(1)}{m.group(2)} {m.group(3)[:-1]}, width="{w:.3f}", height="{h:.3f}"]'

    text = re.sub(r"^(\s*)(n[0-9]+) (\[.*\])$", sized, text, flags=re.M)

    stage = u.scene.stage
    place: dict[str, int] = {}
    count: dict[str, int] = {}
    for n in u.scene.nodes:
        place[n.id] = count[stage[n.id]] = count.get(stage[n.id], -1) + 1
    fontsize = theme.compact_fontsize if u.scene.compact else theme.fontsize

    def apart(m: re.Match[str]) -> bool:
        a, b = by_dot[m.group(2)], by_dot[m.group(3)]
        return stage[a] == stage[b] and abs(place[a] - place[b]) > 1

    def around(m: re.Match[str]) -> str:
        # boxes apart in a stage: round the far side of the boxes between, as render
        # does (the engine would arch over them, into the markers there)
        if not apart(m) or "tailport" in m.group(0):
            return m.group(0)
        side = "s" if u.scene.direction == "TB" else "e"
        return f'{m.group(1)}{m.group(4)[:-1]}, tailport="{side}", headport="{side}"]'

    text = re.sub(r"^(\s*(n[0-9]+) -> (n[0-9]+) )(\[.*\])$", around, text, flags=re.M)

    def marked(m: re.Match[str]) -> str:
        a, b = by_dot[m.group(2)], by_dot[m.group(3)]
        if stage[a] != stage[b] or apart(m) or "feedback" in m.group(0):
            return padded(m)
        # within a stage: room between the boxes and the markers beside the arrow, as
        # render draws it; the panels put them where the engine put this head label
        attrs = flat_label(m.group(4), u.scene.direction, place[a] < place[b], fontsize)
        return m.group(1) + ", ".join(f"{k}={dot_string(str(v))}" for k, v in attrs.items())

    def padded(m: re.Match[str]) -> str:
        # a link's markers padded as render pads them, so that the engine keeps the
        # lines clear of them; the panels draw the bare markers at the same centre
        return f"{m.group(1)}label={dot_string(marker_label(m.group(4), u.scene.direction))}"

    text = re.sub(r'^(\s*(n[0-9]+) -> (n[0-9]+) \[.*?)label="([^"\\]*)"', marked, text,
                  flags=re.M)
    u.placed = _read_layout(run_engine(engine, text, "json", timeout=options.timeout).output)
    u.dot = _read_dot(text)


# --- the key ---------------------------------------------------------------------------------


def _key_scene(u: _Union, ps: list[Panel], marks: Mapping[str, Highlight]) -> Scene:
    """The union scene as the key describes it: every line drawn, every mark used."""
    used = [m for m in marks.values()
            if any(m.name in {x.name for x in (*p.scene.node_highlight.values(),
                                               *p.scene.link_highlight.values())}
                   for p in ps)]
    by_name = {m.name: m for m in marks.values()}
    links = [lk for p in ps for lk in p.scene.links]
    link_pathways: dict[int, list[int]] = {}
    for p in ps:
        link_pathways.update(p.scene.link_pathways)
    return dataclasses.replace(
        u.scene, links=links, link_pathways=link_pathways, highlights=used,
        faded_links=set().union(*(p.scene.faded_links for p in ps)),
        node_highlight={f"{k}:{i}": m for k, p in enumerate(ps)
                        for i, m in enumerate(p.scene.node_highlight.values())},
        link_highlight={k: by_name[m.name] for p in ps
                        for k, m in p.scene.link_highlight.items()})


def _label_lines(lines: list[str]) -> str:
    """Left-justified label text, each line escaped."""
    return '"' + "".join(dot_string(x)[1:-1] + "\\l" for x in lines) + '"'


def _sign(fields: list[str]) -> str:
    """The mark of a change the boxes do not show: added, removed or changed."""
    return {"added": ADDED, "removed": REMOVED}.get(fields[0], CHANGED) if fields == fields[:1] \
        else CHANGED


def _marker_lines(mark: str, label: str, width: int) -> list[str]:
    """One marker's entry in the key: its mark, then its text wrapped under the first line."""
    body = wrap(label, width)
    return [f"{mark}  {body[0]}", *(f"      {x}" for x in body[1:])]


def _notes_lines(ps: list[Panel], width: int) -> list[str]:
    lines: list[str] = []
    for p in ps:
        for label, fields in p.notes:
            body = wrap(f"{p.label}, {_sign(fields)} {label}: {', '.join(fields)}", width)
            lines += [body[0], *(f"    {b}" for b in body[1:])]
    if lines:
        lines.insert(0, f"Changes the boxes do not show ({CHANGED})")
    return lines


def _key_dot(scene: Scene, ps: list[Panel], theme: Theme, fontsize: float, width: int,
             room: float | None = None, widths: Mapping[str, float] | None = None) -> str:
    """The key as a DOT graph of its own: sample boxes, sample lines, then its texts.

    Each group (the kinds of box, the marks, the lines, the texts) starts a row;
    with ``room`` (points) and the ``widths`` of a first layout, a group's items
    are spread over as many rows as keep the key no wider than ``room``.
    """
    small = f"{fontsize:g}"
    w = ["digraph key {",
         f"  graph [rankdir=TB, nodesep=0.12, ranksep=0.08, fontname=Arial, fontsize={small}]",
         f"  node [fontname=Arial, fontsize={small}, margin=\"0.08,0.04\", height=0.25, "
         "penwidth=1, color=black, fontcolor=black, fillcolor=white]",
         "  edge [fontname=Arial, arrowsize=0.7, penwidth=1, "
         f"color={dot_string(theme.link_color)}]"]
    kinds: list[list[str]] = []
    for kind in NODE_KINDS:
        if any(n.kind == kind for n in scene.nodes):
            name = f"k{len(kinds)}"
            attrs = {"label": dot_string(scene.model.layout.kind_name(kind)),
                     **{k: dot_string(v) for k, v in theme.kinds[kind].items()}}
            w.append(f"  {name} [{', '.join(f'{k}={v}' for k, v in attrs.items())}]")
            kinds.append([name])
    marks: list[list[str]] = []
    for mark in scene.highlights:
        if mark not in scene.node_highlight.values():
            continue  # on lines only: the line samples show it
        name = f"km{len(marks)}"
        attrs = {"shape": "box", "style": "filled", "fillcolor": "white", **mark.node}
        attrs["label"] = f"{mark.sign} {mark.name}"
        w.append(f"  {name} [{', '.join(f'{k}={dot_string(v)}' for k, v in attrs.items())}]")
        marks.append([name])
    lines: list[list[str]] = []
    for j, (style, meaning, _) in enumerate(line_entries(scene, theme)):
        a, b, t = f"ka{j}", f"kb{j}", f"kt{j}"
        w.append(f'  {a} [shape=plaintext, label="", width=0.4, height=0.2]')
        w.append(f'  {b} [shape=plaintext, label="", width=0.4, height=0.2]')
        w.append(f"  {t} [shape=plaintext, margin=\"0.02,0.01\", height=0.2, "
                 f"label={_label_lines(wrap(meaning, 2 * width))}]")
        sample = {**{k: str(v) for k, v in style.items()}, "tailclip": "false",
                  "headclip": "false"}
        w.append(f"  {a} -> {b} [{', '.join(f'{k}={dot_string(v)}' for k, v in sample.items())}]")
        lines.append([a, b, t])
    blocks: dict[str, list[str]] = {}
    # what the markers' letters mean and where they sit, as in every key; then the
    # assumptions, and the barriers and enablers, side by side
    legend, numbered = marker_legend(scene)
    assumptions = [(mark, label) for mark, label in numbered if mark.startswith("A")]
    moderators = numbered[len(assumptions):]
    for name, items in (("kx0", assumptions), ("kx1", moderators)):
        if items:
            blocks[name] = [*([] if blocks else wrap(legend, width + 4)),  # as wide as an entry
                            *(line for mark, label in items
                              for line in _marker_lines(mark, label, width))]
    texts = [[name] for name in blocks]
    rows: list[list[str]] = []
    gap = 0.12 * 72
    for group in (kinds, marks, lines, texts):
        row: list[str] = []
        used = 0.0
        for unit in group:
            wide = sum((widths or {}).get(x, 0.0) for x in unit) + gap * len(unit)
            if row and room is not None and used + wide > room:
                rows.append(row)
                row, used = [], 0.0
            row += unit
            used += wide
        if row:
            rows.append(row)
    for row in rows:
        tallest = max((len(blocks[x]) for x in row if x in blocks), default=0)
        for name in row:
            if name in blocks:  # one height for a row of texts: their tops line up
                block = blocks[name] + [""] * (tallest - len(blocks[name]))
                w.append(f"  {name} [shape=plaintext, margin=\"0.02,0.02\", "
                         f"label={_label_lines(block)}]")
        w.append("  { rank=same; " + "; ".join(row) + "; }")
        w += [f"  {x} -> {y} [style=invis]" for x, y in itertools.pairwise(row)
              if not (x.startswith("ka") and y.startswith("kb"))]
    firsts = [row[0] for row in rows]
    w += [f"  {x} -> {y} [style=invis, weight=10]" for x, y in itertools.pairwise(firsts)]
    w.append("}")
    return "\n".join(w) + "\n"


# --- the grid --------------------------------------------------------------------------------


@dataclass
class _Figure:
    """One arrangement of the panels: the DOT of the whole figure and its measures."""

    source: str
    width: float
    height: float
    columns: int
    union: _Union
    key_scene: Scene
    titles: dict[str, str]
    entries: Sequence[Sequence[_Entry]] = ()  # each variant's marked changes, listed
    base_height: float = 0.0                  # points: the base's panel, drawn in full


def _panel_title_size(theme: Theme, scene: Scene) -> float:
    return (theme.compact_fontsize if scene.compact else theme.fontsize) + _TITLE_SIZE


@dataclass(frozen=True)
class _Entry:
    """One change a variant's small panel marks, as the list under the panel gives it."""

    code: str               # the marker in the panel ("D1"), empty for a change drawn nowhere
    sign: str               # ADDED, CHANGED or REMOVED
    text: str               # what changed, for the list
    node: str | None = None                       # the box it marks
    link: tuple[str, str, str] | None = None      # or the line: (link key, source, target)

    @property
    def marker(self) -> str:
        """The text drawn in the panel: the sign, then the code (``+D1``)."""
        return f"{self.sign}{self.code}"


def _prefixes(ps: list[Panel]) -> list[str]:
    """Each variant's marker prefix: its label's initial where unique, else its number."""
    initials = [(p.label.strip()[:1] or "V").upper() for p in ps[1:]]
    return [i if i.isalpha() and initials.count(i) == 1 else f"{k + 1}."
            for k, i in enumerate(initials)]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _entries(p: Panel, prefix: str) -> list[_Entry]:
    """What ``p`` marks, in drawing order: its boxes, its lines, then the rest."""
    out: list[_Entry] = []
    labels = {n.id: _one_line(n.label) for n in p.scene.nodes}

    def also(ident: str) -> str:
        fields = p.hidden.get(ident)
        return f" (also {', '.join(fields)})" if fields else ""

    for n in p.scene.nodes:
        mark = p.scene.node_highlight.get(n.id)
        if mark is not None and mark.sign:
            out.append(_Entry(f"{prefix}{len(out) + 1}", mark.sign,
                              labels[n.id] + also(n.id), node=n.id))
    coded = {e.node: e.code for e in out}

    def end(nid: str) -> str:
        code = f" ({coded[nid]})" if nid in coded else ""
        return f"\u201c{labels.get(nid, nid)}\u201d{code}"

    for lk in p.scene.links:
        mark = p.scene.link_highlight.get(id(lk))
        if mark is not None and mark.sign:
            # drawn in the panel in its style (heavier, dotted), listed without a code
            key = _link_key(lk)
            out.append(_Entry("", mark.sign, f"link from {end(lk.source)} to "
                              f"{end(lk.target)}{also(key)}", link=(key, lk.source, lk.target)))
    for sign, what, fields in p.others:
        out.append(_Entry("", sign, what + (f": {', '.join(fields)}" if fields else "")))
    return out


def _entry_lines(entries: Sequence[_Entry], width: int) -> list[str]:
    """The list under a small panel: one entry a line, wrapped under its first word."""
    lines: list[str] = []
    for e in entries:
        head = e.marker if e.code else e.sign
        body = wrap(e.text, max(12, width - len(head) - 1))
        lines += [f"{head} {body[0]}", *(f"   {b}" for b in body[1:])]
    return lines or ["No change the panel can show"]


def _chars(room: float, fontsize: float) -> int:
    """About how many characters of Arial at ``fontsize`` fit ``room`` points."""
    return max(12, int(room / (fontsize * 0.55)))


def _text_width(text: str, fontsize: float) -> float:
    return estimate_width_pt([text], fontsize) + 4


_NODE_KEEP = ("shape", "style", "color", "fillcolor", "fontcolor", "peripheries", "sides",
              "orientation", "distortion", "skew", "penwidth")
_EDGE_KEEP = ("color", "style", "arrowhead", "arrowtail", "dir", "penwidth")


def _quoted_float(value: str | None, default: float) -> float:
    try:
        return float((value or "").strip('"'))
    except ValueError:
        return default


def _compose(ps: list[Panel], dots: list[_Dot], u: _Union, key: _Placed | None,
             key_dot: _Dot | None, columns: int, theme: Theme, title: str,
             key_scene: Scene, entries: Sequence[Sequence[_Entry]]) -> _Figure:
    """The base's panel in full, each variant's small panel under it, then the key.

    The base is drawn as ``render`` draws the model, with its stage headings. A
    variant's panel is the same layout at a smaller scale: its boxes and lines
    in the same places, unlabelled, except what the variant adds, changes or
    removes, which carries its marker (``+D1``) in type as large as the base's
    and is listed under the panel.
    """
    assert u.placed is not None
    placed = u.placed
    x0, y0, x1, y1 = placed.bbox
    fontsize = theme.compact_fontsize if u.scene.compact else theme.fontsize
    title_size = _panel_title_size(theme, u.scene)
    title_h = title_size * 1.6
    line_h = fontsize * 1.2
    cell_w, draw_h = x1 - x0 + 2 * _INSET, y1 - y0 + 2 * _INSET
    base_h = title_h + draw_h
    small = len(ps) - 1
    t = _thumb_scale(placed, small, columns)
    thumb_w = (x1 - x0) * t + 8
    thumb_draw = (y1 - y0) * t + 14  # room for a double border, which does not shrink
    title_lines = [wrap(p.title(), _chars(thumb_w - 8, title_size)) for p in ps[1:]]
    lists = [_entry_lines(es, _chars(thumb_w - 12, fontsize)) for es in entries]
    rows = math.ceil(small / columns) if small else 0
    row_h, head_hs = [], []
    for r in range(rows):
        members = range(r * columns, min(small, (r + 1) * columns))
        # one height for the titles of a row, so that its drawings line up
        head_hs.append(max(len(title_lines[i]) for i in members) * title_size * 1.25 + 4)
        row_h.append(head_hs[-1] + thumb_draw + max(len(lists[i]) for i in members) * line_h
                     + 8)
    key_w = key_h = 0.0
    if key is not None:
        kx0, ky0, kx1, ky1 = _extent(key)
        key_w, key_h = kx1 - kx0, ky1 - ky0
    width = max(cell_w, key_w)
    height = (base_h + sum(row_h) + rows * _PANEL_GAP
              + (key_h + _PANEL_GAP if key_h else 0))
    defaults = dots[0].defaults
    graph = {k: v for k, v in defaults.get("graph", {}).items()
             if k in ("fontname", "bgcolor", "outputorder", "fontsize")}
    graph["pad"] = '"0.04"'  # the panels' frames are the margin: a page's width is for them
    node_defaults = defaults.get("node", {})
    out = [f"digraph {dot_string(title)} {{",
           f"  graph [{', '.join(f'{k}={v}' for k, v in graph.items())}]",
           f"  node [{', '.join(f'{k}={v}' for k, v in node_defaults.items())}]",
           f"  edge [{', '.join(f'{k}={v}' for k, v in defaults.get('edge', {}).items())}]"]
    titles: dict[str, str] = {}
    heading_of = {v: k for k, v in u.headings.items()}

    def frame(name: str, left: float, top: float, w: float, h: float) -> None:
        # a thin frame round the panel, so that the eye knows where each one ends
        out.append(f'  {name} [shape=box, style=rounded, label="", color="gray70", '
                   f'penwidth=0.6, fixedsize=true, width="{w / 72:.3f}", '
                   f'height="{h / 72:.3f}", pos="{left + w / 2:.2f},{top - h / 2:.2f}!"]')

    def text_block(name: str, lines: list[str], size: float, left: float, top: float,
                   w: float, h: float) -> None:
        out.append(f"  {name} [shape=plaintext, label={_label_lines(lines)}, "
                   f"fontsize=\"{size:g}\", margin=\"0,0\", fixedsize=true, "
                   f"width=\"{w / 72:.3f}\", height=\"{h / 72:.3f}\", "
                   f"pos=\"{left + w / 2:.2f},{top - h / 2:.2f}!\"]")

    # the base, in full
    p, dot = ps[0], dots[0]
    top = height
    out.append(f"  // panel 1: {p.label}")
    frame("p0f", 0.0, top, cell_w, base_h)
    titles["p0f"] = p.title()
    text_block("p0t", [p.title()], title_size, 6.0, top - 3, cell_w - 12, title_h - 3)
    titles["p0t"] = p.title()
    dx, dy = _INSET - x0, top - title_h - _INSET - y1
    own = element_titles(p.scene)
    assert u.dot is not None
    union_titles = element_titles(u.scene)
    # the headings once, above (or beside) the base: every stage any panel has
    for s, uid in u.headings.items():
        x, y, wd, ht = placed.nodes[uid]
        attrs = dict(u.dot.nodes[uid])
        attrs.update(pos=f'"{x + dx:.2f},{y + dy:.2f}!"', width=f'"{wd / 72:.3f}"',
                     height=f'"{ht / 72:.3f}"', fixedsize='"true"',
                     id=dot_string(f"{p.id}.stage.{s}"))
        out.append(f"  p0{uid} [{', '.join(f'{a}={v}' for a, v in attrs.items())}]")
        titles[f"p0{uid}"] = union_titles.get(uid, heading_of.get(uid, ""))
    for i, n in _node_order(p):
        uid = u.ids[n.id]
        x, y, wd, ht = placed.nodes[uid]
        attrs = dict(dot.nodes[f"n{i}"])
        attrs.update(pos=f'"{x + dx:.2f},{y + dy:.2f}!"', width=f'"{wd / 72:.3f}"',
                     height=f'"{ht / 72:.3f}"', fixedsize='"true"',
                     id=dot_string(f"{p.id}.{n.id}"))
        out.append(f"  p0{uid} [{', '.join(f'{a}={v}' for a, v in attrs.items())}]")
        titles[f"p0{uid}"] = f"{own.get(f'n{i}', n.id)}, {p.label}"
    for lk, (a, b, attrs), where in _runs(p, dot, u):
        ua, ub = u.ids[lk.source], u.ids[lk.target]
        attrs = dict(attrs)
        attrs["pos"] = f'"{_shift(where["pos"], dx, dy)}"'
        attrs["id"] = dot_string(f"{p.id}.{_link_key(lk).replace('->', '-')}")
        if "head_lp" in where and "label" in attrs:
            # a link within a stage: its markers beside the arrow, where the engine put them
            hx, hy = (float(v) for v in where["head_lp"].split(","))
            label = attrs.pop("label")
            color = attrs.pop("fontcolor", '"black"')
            name = f"p0{ua}x{ub}m"
            out.append(f"  {name} [shape=plaintext, label={label}, fontcolor={color}, "
                       f"margin=\"0,0\", width=\"0.01\", height=\"0.01\", "
                       f"pos=\"{hx + dx:.2f},{hy + dy:.2f}!\"]")
            titles[name] = f"{own.get(f'{a}->{b}', 'Link')}, {p.label}"
        elif "lp" in where and "label" in attrs:
            attrs["lp"] = f'"{_shift(where["lp"], dx, dy)}"'
        out.append(f"  p0{ua} -> p0{ub} [{', '.join(f'{x}={v}' for x, v in attrs.items())}]")
        titles[f"p0{ua}->p0{ub}"] = f"{own.get(f'{a}->{b}', 'Link')}, {p.label}"
    # each variant, small, in rows under the base
    base_pw = _quoted_float(node_defaults.get("penwidth"), 1.0)
    row_top = top - base_h - _PANEL_GAP
    for k, (p, dot) in enumerate(zip(ps[1:], dots[1:], strict=True), start=1):
        r, c = divmod(k - 1, columns)
        if c == 0 and r:
            row_top -= row_h[r - 1] + _PANEL_GAP
        left = c * (thumb_w + _PANEL_GAP)
        head_h = head_hs[r]
        out.append(f"  // panel {k + 1}: {p.label}")
        frame(f"p{k}f", left, row_top, thumb_w, head_h + thumb_draw)
        titles[f"p{k}f"] = p.title()
        text_block(f"p{k}t", title_lines[k - 1], title_size, left + 4, row_top - 2,
                   thumb_w - 8, head_h - 2)
        titles[f"p{k}t"] = p.title()
        ox, oy = left + 4, row_top - head_h - 4  # the drawing's top left corner

        def at(x: float, y: float) -> tuple[float, float]:
            return ox + (x - x0) * t, oy - (y1 - y) * t  # noqa: B023

        own = element_titles(p.scene)
        marked = {e.node: e for e in entries[k - 1] if e.node is not None}
        for i, n in _node_order(p):
            uid = u.ids[n.id]
            x, y, wd, ht = placed.nodes[uid]
            src = dot.nodes[f"n{i}"]
            attrs = {a: src[a] for a in _NODE_KEEP if a in src}
            pw = _quoted_float(attrs.get("penwidth"), base_pw)
            attrs["penwidth"] = f'"{max(0.5, 0.7 * pw):.2f}"'
            wd, ht = wd * t, ht * t
            e = marked.get(n.id)
            if e is not None:
                wd = max(wd, _text_width(e.marker, fontsize))
                # as tall as the marker and no taller: a line ends where the box did
                ht = max(ht, fontsize * 1.25)
                attrs.update(label=dot_string(e.marker), fontsize=f'"{fontsize:g}"')
            else:
                attrs["label"] = '""'
            cx, cy = at(x, y)
            attrs.update(pos=f'"{cx:.2f},{cy:.2f}!"', width=f'"{wd / 72:.3f}"',
                         height=f'"{ht / 72:.3f}"', fixedsize='"true"', margin='"0,0"',
                         id=dot_string(f"{p.id}.{n.id}"))
            out.append(f"  p{k}{uid} [{', '.join(f'{a}={v}' for a, v in attrs.items())}]")
            titles[f"p{k}{uid}"] = f"{own.get(f'n{i}', n.id)}, {p.label}"
        for lk, (a, b, src), where in _runs(p, dot, u):
            ua, ub = u.ids[lk.source], u.ids[lk.target]
            attrs = {x: src[x] for x in _EDGE_KEEP if x in src}
            pw = _quoted_float(attrs.get("penwidth"), 1.0)
            mark = p.scene.link_highlight.get(id(lk))
            # a removed line is dotted and as thin as a plain one, under the pathways
            thin = mark is not None and mark.quiet
            attrs["penwidth"] = f'"{0.7 if thin else max(0.5, 0.7 * pw):.2f}"'
            attrs["arrowsize"] = '"0.4"'
            attrs["pos"] = f'"{_scaled(where["pos"], at)}"'
            attrs["id"] = dot_string(f"{p.id}.{_link_key(lk).replace('->', '-')}")
            text = ", ".join(f"{x}={v}" for x, v in attrs.items())
            out.append(f"  p{k}{ua} -> p{k}{ub} [{text}]")
            titles[f"p{k}{ua}->p{k}{ub}"] = f"{own.get(f'{a}->{b}', 'Link')}, {p.label}"
        lines = lists[k - 1]
        text_block(f"p{k}l", lines, fontsize, left + 4, row_top - head_h - thumb_draw - 4,
                   thumb_w - 8, len(lines) * line_h)
        titles[f"p{k}l"] = f"Changes in {p.label}"
    if key is not None and key_dot is not None:
        kx0, ky0, kx1, ky1 = _extent(key)
        dx, dy = -kx0, key_h - ky1
        out.append("  // key")
        for name, attrs in key_dot.nodes.items():
            x, y, wd, ht = key.nodes[name]
            attrs = dict(attrs)
            attrs.update(pos=f'"{x + dx:.2f},{y + dy:.2f}!"', width=f'"{wd / 72:.3f}"',
                         height=f'"{ht / 72:.3f}"', fixedsize='"true"')
            out.append(f"  key{name} [{', '.join(f'{a}={v}' for a, v in attrs.items())}]")
        for a, b, attrs in key_dot.edges:
            where = key.edges[(a, b)][0]
            attrs = {**attrs, "pos": f'"{_shift(where["pos"], dx, dy)}"'}
            out.append(f"  key{a} -> key{b} [{', '.join(f'{x}={v}' for x, v in attrs.items())}]")
    out.append("}")
    return _Figure("\n".join(out) + "\n", width, height, columns, u, key_scene, titles,
                   entries, base_h)


def _thumb_scale(placed: _Placed, small: int, columns: int) -> float:
    """The scale of the variants' panels: ``columns`` of them as wide as the base."""
    x0, _, x1, _ = placed.bbox
    if not small:
        return 1.0
    thumb_w = (x1 - x0 + 2 * _INSET - (columns - 1) * _PANEL_GAP) / columns
    return min(0.5, (thumb_w - 8) / (x1 - x0))


def _room_for_markers(u: _Union, entries: Sequence[Sequence[_Entry]], columns: int,
                      fontsize: float, sizes: Mapping[str, tuple[float, float]]
                      ) -> dict[str, tuple[float, float]]:
    """Sizes (inches) that leave each marked box room for its marker in the small panels.

    A marked box too small for its marker at the panels' scale would be drawn
    larger there than the layout made it, so its lines would start inside it,
    across the marker. Such a box is laid out larger, in every panel.
    """
    assert u.placed is not None
    t = _thumb_scale(u.placed, len(entries), columns)
    out: dict[str, tuple[float, float]] = {}
    for es in entries:
        for e in es:
            if e.node is None:
                continue
            _, _, wd, ht = u.placed.nodes[u.ids[e.node]]
            need_w = (_text_width(e.marker, fontsize) + 1) / t * 1.03
            need_h = fontsize * 1.25 / t * 1.03
            if need_w > wd or need_h > ht:
                w0, h0 = out.get(e.node, sizes.get(e.node, (0.0, 0.0)))
                out[e.node] = (max(w0, need_w / 72, wd / 72), max(h0, need_h / 72, ht / 72))
    return out


def _runs(p: Panel, dot: _Dot, u: _Union
          ) -> list[tuple[Link, tuple[str, str, dict[str, str]], dict[str, str]]]:
    """Each line of ``p`` with its DOT statement and the union's route for it.

    In the order they are painted: faint lines first, then plain ones, then the
    pathways' and the marked ones, so that no thin line lies across a thick one.
    """
    out = []
    union_index = {key_: i for i, key_ in enumerate(u.links)}
    assert u.placed is not None
    for lk, edge in zip(p.scene.links, dot.edges, strict=True):
        key_ = (_link_key(lk), lk.source, lk.target)
        # which of the union's links between these two boxes this one is
        same = [i for i, kk in enumerate(u.links) if kk[1:] == key_[1:]]
        nth = same.index(union_index[key_])
        runs = u.placed.edges.get((u.ids[lk.source], u.ids[lk.target]), [])
        if nth < len(runs):
            out.append((lk, edge, runs[nth]))
    return sorted(out, key=lambda run: _weight(p, run[0]))


def _weight(p: Panel, lk: Link) -> int:
    """How high a line is painted: faint 0, plain (or removed) 1, a pathway's or marked 2."""
    if id(lk) in p.scene.faded_links:
        return 0
    mark = p.scene.link_highlight.get(id(lk))
    if mark is not None and mark.quiet:
        return 1
    return 2 if p.scene.link_pathways.get(id(lk)) or mark is not None else 1


def _node_order(p: Panel) -> list[tuple[int, Any]]:
    """``p``'s boxes (with their index) in the order to declare them.

    The engine paints lines by their tails, in the order the boxes were
    declared: boxes whose lines out are all faint come first, and among equals
    those whose lines in are, so that thin lines pass under thick ones.
    """
    top = {n.id: (-1, -1) for n in p.scene.nodes}
    for lk in p.scene.links:
        layer = _weight(p, lk)
        if lk.source in top:
            top[lk.source] = (max(top[lk.source][0], layer), top[lk.source][1])
        if lk.target in top:
            top[lk.target] = (top[lk.target][0], max(top[lk.target][1], layer))
    return sorted(enumerate(p.scene.nodes), key=lambda item: top[item[1].id])


def _extent(placed: _Placed) -> tuple[float, float, float, float]:
    xs = [v for x, _, w, _ in placed.nodes.values() for v in (x - w / 2, x + w / 2)]
    ys = [v for _, y, _, h in placed.nodes.values() for v in (y - h / 2, y + h / 2)]
    return min(xs), min(ys), max(xs), max(ys)


def _thumb_columns(n: int) -> int:
    """How many small panels of the variants stand side by side: all up to three."""
    return n if n <= 3 else 2 if n == 4 else 3


# --- rendering -------------------------------------------------------------------------------


def _layouts(options: RenderOptions) -> list[RenderOptions]:
    """The layouts to try: as asked, then (to fit a target) compact and turned."""
    if options.fit is None:
        return [options]
    tried = [options]
    for direction, compact in (("LR", True), ("TB", True), ("TB", None), ("LR", None)):
        if options.direction is not None and direction != options.direction:
            continue
        if options.compact is not None and compact != options.compact:
            continue
        tried.append(dataclasses.replace(options, direction=direction,  # type: ignore[arg-type]
                                         compact=compact))
    return tried


def _figure(doc: Document, options: RenderOptions, engine: Engine, theme: Theme,
            target: Target, spacing: float = 1.0) -> tuple[_Figure, list[Panel]]:
    ps = panels(doc, options, spacing=spacing)
    marks = variant_marks(theme)
    dots = _panel_dots(ps, theme)
    u = _union(ps)
    sizes = _sizes(engine, ps, dots, options)
    _lay_out_union(engine, u, theme, sizes, options)
    assert u.placed is not None
    prefixes = _prefixes(ps)
    entries = [_entries(p, prefix) for p, prefix in zip(ps[1:], prefixes, strict=True)]
    columns = _thumb_columns(len(ps) - 1)
    fontsize = theme.compact_fontsize if u.scene.compact else theme.fontsize
    larger = _room_for_markers(u, entries, columns, fontsize, sizes)
    if larger:  # once: the layout hardly changes width, and the room has a margin
        _lay_out_union(engine, u, theme, {**sizes, **larger}, options)
    assert u.placed is not None
    key_scene = _key_scene(u, ps, marks)
    key: _Placed | None = None
    key_dot: _Dot | None = None
    x0, _, x1, _ = u.placed.bbox
    cell_w = x1 - x0 + 2 * _INSET
    wrap_at = 2 * (theme.compact_wrap if u.scene.compact else theme.wrap) + 16

    def key_layout(room: float | None, widths: Mapping[str, float] | None
                   ) -> tuple[_Dot, _Placed]:
        text = _key_dot(key_scene, ps, theme, fontsize, wrap_at, room, widths)
        return _read_dot(text), _read_layout(run_engine(engine, text, "json",
                                                         timeout=options.timeout).output)

    key_w = 0.0
    if options.key in ("figure", "below", "beside"):  # always under the panels
        key_dot, key = key_layout(None, None)
        kx0, _, kx1, _ = _extent(key)
        key_w = kx1 - kx0
    if key is not None and key_w > cell_w:  # the key in more rows, as wide as the figure
        widths = {n: wd for n, (_, _, wd, _) in key.nodes.items()}
        room = cell_w
        for _ in range(4):  # the engine spaces a row a little wider than its items
            key_dot, key = key_layout(room, widths)
            kx0, _, kx1, _ = _extent(key)
            if kx1 - kx0 <= cell_w + 0.5:
                break
            room *= cell_w / (kx1 - kx0) * 0.98
    title = f"{ps[0].scene.model.title}: " + ", ".join(p.label for p in ps)
    return _compose(ps, dots, u, key, key_dot, columns, theme, title, key_scene, entries), ps


def _description(ps: list[Panel]) -> str:
    parts = [p.title() for p in ps]
    return (f"Small multiples of the logic model, one panel each for {', '.join(parts)}. "
            "The base is drawn in full, each variant smaller in the same layout: elements "
            "shared by the panels are in the same place in each; a variant's additions are "
            f"marked {ADDED}, its changes {CHANGED} and its removals {REMOVED}, each with a "
            "number listed under its panel.")


def render_multiples(doc: Document, formats: Sequence[str],
                     options: RenderOptions | None = None) -> list[Rendered]:
    """The figure of every variant side by side, in each of ``formats`` from one layout."""
    options = options or RenderOptions()
    if options.bands is not None and tuple(options.bands) != ("none",):
        raise VariantsFigureError(
            "LM640", "the figure of the variants does not draw bands yet",
            "leave out --bands (the panels are drawn without bands)")
    for fmt in formats:
        if fmt not in MULTIPLES_FORMATS:
            raise RenderError("LM609", f"the figure of the variants cannot be drawn as {fmt}",
                              _FORMATS_HINT)
    with paused_gc():
        return _render(doc, formats, options)


_FORMATS_HINT = "the figure of the variants can be .svg, .png, .pdf, .eps, .tif, .dot or .txt"


def _render(doc: Document, formats: Sequence[str], options: RenderOptions) -> list[Rendered]:
    theme = get_theme(options.theme).with_overrides(options.attrs)
    engine = find_engine(options.engine)
    target = parse_target(options.fit) if options.fit is not None else None
    # without --fit, the grid is arranged for a page and drawn at full size
    arrange = target or parse_target("page")
    best: tuple[_Figure, list[Panel], bytes, Fitted] | None = None
    best_options = narrowest = options
    narrowest_width = math.inf
    base = doc.base.model if doc.overlay is not None and doc.base is not None else doc.model
    seen: set[tuple[str, bool]] = set()
    for opts in _layouts(options):
        if base is not None:  # each layout once: "as asked" may be one of the others
            drawn = scene_for(base, opts)
            if (drawn.direction, drawn.compact) in seen:
                continue
            seen.add((drawn.direction, drawn.compact))
        tried = _try(doc, opts, engine, theme, arrange, target)
        if best is None or _better(tried[3], best[3], target):
            best, best_options = tried, opts
        if tried[3].width < narrowest_width:
            narrowest, narrowest_width = opts, tried[3].width
        if target is None:
            break
    assert best is not None
    if target is not None and not best[3].fits:
        # with the boxes and stages closer, as a single figure tries it: the best layout,
        # and the narrowest, which may then be readable at the target's width
        for opts in [best_options] + ([narrowest] if narrowest is not best_options else []):
            tried = _try(doc, opts, engine, theme, arrange, target, _TIGHT)
            if _better(tried[3], best[3], target):
                best = tried
    fig, ps, raw, fitted = best
    if engine.name == "embedded" and {"png", "pdf", "eps", "tiff"} & set(formats):
        texts = [p.title() for p in ps] + [n.label for p in ps for n in p.scene.nodes]
        check_coverage(texts, next(f for f in formats if f in ("png", "pdf", "eps", "tiff")))
    warnings: tuple[str, ...] = ()
    if target is not None and not fitted.fits:
        warning = _fit_warning(fitted, target, options.min_font,
                               options.key in ("figure", "below", "beside"))
        if fitted.width <= target.width + 0.5:  # readable at the width: say what takes the room
            base_mm = fig.base_height * fitted.height / fig.height * 25.4 / 72
            warning += (f"; the base in full takes {base_mm:.0f} mm of its height (a --view or "
                        "a --pathway draws fewer boxes)")
        warnings = (warning,)
    finished = finish_svg(raw, fig.key_scene.model.title + ": variants",
                          _description(ps), fig.titles)
    try:
        check_svg(finished)
    except UnsafeSVG as exc:
        raise RenderError("LM607", str(exc), "please report it with the model") from None
    out: list[Rendered] = []
    for fmt in formats:
        if fmt == "dot":
            out.append(Rendered(fmt, fig.source.encode("utf-8")))
        elif fmt == "caption":
            out.append(Rendered(fmt, _caption(fig, ps, theme).encode("utf-8")))
        elif fmt == "svg":
            out.append(Rendered(fmt, scale_svg(finished, fitted.scale), engine,
                                fitted=fitted, warnings=warnings))
        elif fmt in ("pdf", "eps"):
            to_vector = svg_to_pdf if fmt == "pdf" else svg_to_eps
            out.append(Rendered(fmt, to_vector(finished, title=fig.key_scene.model.title,
                                               scale=fitted.scale), engine,
                                fitted=fitted, warnings=warnings))
        else:
            dpi = options.dpi or DEFAULT_DPI[fmt]
            _check_pixels(fmt, fitted, dpi, options.max_pixels)
            result = run_engine(engine, fig.source, "png", dpi=dpi * fitted.scale,
                                timeout=options.timeout, layout=("-Kneato", "-n2"))
            data = finish_png(result.output, dpi) if fmt == "png" else to_tiff(result.output,
                                                                                 dpi)
            out.append(Rendered(fmt, data, engine, result.seconds, warnings, fitted))
    return out


def _try(doc: Document, options: RenderOptions, engine: Engine, theme: Theme,
         arrange: Target, target: Target | None, spacing: float = 1.0
         ) -> tuple[_Figure, list[Panel], bytes, Fitted]:
    """One layout of the figure, drawn, with its size against ``target``."""
    fig, ps = _figure(doc, options, engine, theme, arrange, spacing)
    svg = run_engine(engine, fig.source, "svg", timeout=options.timeout,
                     layout=("-Kneato", "-n2")).output
    w, h, smallest = measure_svg(svg)
    return fig, ps, svg, choose_scale(w, h, smallest, target, options.min_font)


def _better(new: Fitted, old: Fitted, target: Target | None) -> bool:
    """Whether ``new`` is the better figure: it fits, or else it is readable at the width.

    A figure that cannot fit keeps its text at the minimum, so it is drawn
    larger than the target; one as wide as the target (taller than it, to be
    continued on the next page) beats one that a reader must shrink to read.
    """
    if new.fits != old.fits:
        return new.fits
    if new.fits:
        return new.min_font > old.min_font + 1e-6
    if target is not None:
        wide = [f.width <= target.width + 0.5 for f in (new, old)]
        if wide[0] != wide[1]:
            return wide[0]
        if wide[0]:
            return new.height < old.height - 0.5
    return new.target_font > old.target_font + 1e-6


def _caption(fig: _Figure, ps: list[Panel], theme: Theme) -> str:
    """The key as caption text: the panels, each variant's marked changes, the marks."""
    text = key_caption(fig.key_scene, theme).rstrip("\n")
    panels_text = "; ".join(p.title() for p in ps)
    changes = " ".join(
        f"{p.label}: " + "; ".join(f"{e.marker if e.code else e.sign} {e.text}" for e in es)
        + "." for p, es in zip(ps[1:], fig.entries, strict=True) if es)
    lead = (f"Panels: {panels_text}. The base is drawn in full; each variant's panel is the "
            "same layout, smaller, with its changes marked where they are and listed under it"
            + (f". Changes: {changes}" if changes else ".") + " Key. ")
    text = text.replace("Key. ", lead, 1)
    # the panels draw a line's change in its style, not with a sign (the list has it)
    for sign, drawn in ((ADDED, "heavier lines"), (CHANGED, "heavier lines"),
                        (REMOVED, "dotted grey lines")):
        text = text.replace(f"lines marked {sign}, ", f"{drawn}, ")
    return text + "\n"


def multiples_format_of(path: str | Path) -> str:
    """The format of the figure of the variants from its file's suffix (LM609 otherwise)."""
    try:
        fmt = format_of(path)
    except RenderError as exc:
        raise RenderError(exc.code, str(exc), _FORMATS_HINT) from None
    if fmt not in MULTIPLES_FORMATS:
        raise RenderError("LM609", f"the figure of the variants cannot be drawn as "
                          f"{'Mermaid' if fmt == 'mermaid' else fmt.upper()} ({path})",
                          _FORMATS_HINT)
    return fmt


def render_multiples_to_files(doc: Document, paths: Sequence[str | Path],
                              options: RenderOptions | None = None) -> list[Rendered]:
    """Render the figure of the variants to each path; write only if all succeed."""
    formats = [multiples_format_of(p) for p in paths]
    for p in paths:
        check_destination(p)
    results = render_multiples(doc, formats, options)
    for path, result in zip(paths, results, strict=True):
        write_atomic(path, result.data)
    return results


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

@rule("LM640", "variants-figure", Severity.ERROR)
def variants_figure() -> None:
    """The figure of the variants side by side cannot be drawn as asked.

    ## What it does
    `render --variants` draws the base and every variant of a model in panels
    side by side. It is refused, before any work and with exit status 2, when
    the model has no variants, or when `--variants` is combined with
    `--variant NAME`, which names one variant, or with `--bands` (the panels
    are drawn without bands).

    ## Why is this bad?
    The figure would not show what its panels' titles say.

    ## Example
    ```text
    logicmodel: LM640 --variants draws every variant; leave out --variant darlington
    ```
    """
