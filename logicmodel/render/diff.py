"""Figures of a model diff: the new version drawn with what changed marked.

The figure is the new model as ``logicmodel render`` draws it, with three
highlights (:class:`~.views.Highlight`) that never rely on colour alone:

* **added** nodes and links (``+``): a thick border or a heavier line, and ``+``
  before the label (on a link, beside it);
* **changed** nodes and links (a capital delta): a thick border, or the link's own line
  with a light band beside it, and the delta; a node counts as changed when its own
  fields or one of its indicators changed;
* **removed** nodes and links (a minus sign, U+2212), drawn from the old model where they were
  (a removed node after the node it followed in the old file): dotted and grey, as the
  figure of the variants draws them, with the minus sign, and without assumption or
  moderator markers.

A pathway's line keeps its colour and dash pattern whatever its mark, and the key samples
each mark's line as the figure draws it.

The signs are :mod:`logicmodel.signs`, shared with the other figures and tables of
changes. Assumptions and moderators that were added or changed are marked with them in
the figure's key, and pathways that were added, changed or rerouted say so in
their key entry. The key lists only the highlights the figure uses. What is
compared, and how elements are matched, is :func:`logicmodel.diff.diff_models`.

Example::

    from logicmodel.render import RenderOptions
    from logicmodel.render.diff import render_diff

    svg = render_diff(old_model, new_model, "svg", RenderOptions(theme="paper")).data
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any

from ..diff import ModelDiff, diff_models
from ..schema import LogicModel, View
from ..signs import ADDED, CHANGED, REMOVED
from . import Rendered, RenderError, RenderOptions, format_of, rebuilt, render_built
from .output import check_destination, write_atomic
from .themes import Theme, get_theme
from .views import Highlight, Scene, make_scene

__all__ = ["DIFF_FORMATS", "diff_description", "diff_format_of", "diff_highlights",
           "diff_scene", "render_diff", "render_diff_all", "render_diff_to_files"]

# Mermaid has no way to draw the highlights faithfully, so a diff figure is one of these
# (caption: the key's text, for a figure drawn with the key left out)
DIFF_FORMATS = ("svg", "png", "pdf", "eps", "tiff", "dot", "caption")
_HINT = "a diff figure can be .svg, .png, .pdf, .eps, .tif, .dot or .txt (the key as text)"

REMOVED_SIGN = REMOVED  # the name other modules import


def diff_highlights(theme: Theme) -> dict[str, Highlight]:
    """The added, changed and removed highlights in ``theme``'s colours.

    Each is told from the others, and from a feedback link, by its line as much as
    by its sign, in every theme: an added link is heavier (in the ``color`` theme,
    Okabe-Ito green where it is on no pathway), a changed one keeps its own line
    with a light band beside it, and a removed one is dotted and grey, as the figure
    of a model's variants draws them. A pathway's line keeps its pathway's colour
    and dash whatever the mark. The ``color`` theme colours the marked borders too.
    """
    colored = theme.name == "color"
    added_node = {"penwidth": "3"}
    changed_node = {"penwidth": "3"}
    if colored:
        added_node["color"] = "#009E73"
        changed_node["color"] = "#E69F00"
    # the band: light enough that the line beside it (a pathway's black, blue or
    # vermilion) stays the line read, dark enough to be seen at a column's width
    band = "#F2C879" if colored else "gray78"
    gone = "#8C8C8C" if colored else "gray50"
    return {
        "added": Highlight("Added", ADDED, added_node, {"penwidth": _ADDED_PEN},
                           f"Added link ({ADDED})", color="#009E73" if colored else "black",
                           look=f"heavier lines marked {ADDED}"),
        "changed": Highlight("Changed", CHANGED, changed_node,
                             {"penwidth": theme.pathway_penwidth},
                             f"Changed link ({CHANGED})", band=band,
                             look=f"lines with a light band beside them, marked {CHANGED}"),
        "removed": Highlight(
            "Removed", REMOVED_SIGN,
            {"style": "dotted", "color": gone, "fontcolor": "gray45", "fillcolor": "white",
             "penwidth": "1.3"},
            {"style": "dotted", "color": gone, "penwidth": _REMOVED_PEN},
            f"Removed link ({REMOVED_SIGN})", quiet=True,
            look=f"dotted grey lines marked {REMOVED_SIGN}"),
    }


_ADDED_PEN = "3.6"    # an added line: heavier than a pathway's (2.2) by half as much again
_REMOVED_PEN = "1.4"  # a removed one: as light as a plain link, its dots still seen


def _link_key(link: Any) -> str:
    """How :func:`diff_models` names a link: its id, or ``from->to``."""
    return str(link.id or f"{link.source}->{link.target}")


def _indicator_nodes(*models: LogicModel) -> dict[str, str]:
    """indicator id -> the id of the node it measures (first model first)."""
    out: dict[str, str] = {}
    for model in models:
        for n in model.nodes:
            for ind in getattr(n, "indicators", ()):
                out.setdefault(ind.id, n.id)
    return out


def _kinds(d: ModelDiff, section: str) -> dict[str, str]:
    """element id -> "added" / "changed" / "removed" for one section of the diff."""
    return {c.id: c.kind for c in d.changes if c.section == section}


def _marked_labels(items: list[Any], kinds: dict[str, str]) -> list[Any]:
    """Copies of assumptions or moderators, with a sign before added or changed labels."""
    signs = {"added": ADDED, "changed": CHANGED}
    return [x.model_copy(update={"label": f"{signs[kinds[x.id]]} {x.label}"})
            if kinds.get(x.id) in signs else x for x in items]


def diff_scene(old: LogicModel, new: LogicModel, options: RenderOptions | None = None,
               d: ModelDiff | None = None) -> Scene:
    """The scene for the diff figure: ``new`` whole, with ``old``'s removed elements added.

    ``options`` gives the theme, direction and compact layout (views and
    pathways are not used: a diff figure shows the whole model). ``d`` is the
    diff if the caller has it already.
    """
    options = options or RenderOptions()
    d = d if d is not None else diff_models(old, new)
    marks = diff_highlights(get_theme(options.theme))
    scene = make_scene(new, View(id="full"), direction=options.direction,
                       compact=options.compact)

    # Nodes: added and changed (also through an indicator) in the new model.
    node_kinds = _kinds(d, "nodes")
    of = _indicator_nodes(new, old)
    for iid in _kinds(d, "indicators"):
        node_kinds.setdefault(of[iid], "changed")
    for n in new.nodes:
        if node_kinds.get(n.id) in ("added", "changed"):
            scene.node_highlight[n.id] = marks[node_kinds[n.id]]

    # Removed nodes, each after the node it followed in the old file.
    shown = {n.id for n in scene.nodes}
    after: dict[str | None, list[Any]] = {}
    previous: str | None = None
    for n in old.nodes:
        if node_kinds.get(n.id) == "removed":
            after.setdefault(previous, []).append(n)
            scene.stage[n.id] = old.layout.stage_of(n)
            scene.node_highlight[n.id] = marks["removed"]
        elif n.id in shown:
            previous = n.id
    nodes = list(after.get(None, []))
    for n in scene.nodes:
        nodes += [n, *after.get(n.id, [])]
    scene.nodes = nodes
    order = [*new.layout.ids, *(s for s in old.layout.ids if s not in new.layout.rank)]
    scene.stages = [s for s in order if any(scene.stage[n.id] == s for n in nodes)]

    # Links: added and changed in the new model; removed ones from the old.
    link_kinds = _kinds(d, "links")
    for lk in scene.links:
        if link_kinds.get(_link_key(lk)) in ("added", "changed"):
            scene.link_highlight[id(lk)] = marks[link_kinds[_link_key(lk)]]
    drawn = {n.id for n in nodes}
    for lk in old.links:
        if (link_kinds.get(_link_key(lk)) == "removed" and lk.source in drawn
                and lk.target in drawn and lk.source != lk.target):
            scene.links.append(lk)
            scene.link_highlight[id(lk)] = marks["removed"]

    # The key: marked assumptions and moderators, pathways that changed.
    scene.model = new.model_copy(update={
        "assumptions": _marked_labels(new.assumptions, _kinds(d, "assumptions")),
        "moderators": _marked_labels(new.moderators, _kinds(d, "moderators")),
    })
    rerouted = {r.id for r in d.rerouted}
    path_kinds = _kinds(d, "pathways")
    words = {"added": f"{ADDED} added", "changed": f"{CHANGED} changed"}
    rerouted_word = f"{CHANGED} route changed"
    scene.pathways = [
        p.model_copy(update={"label": f"{p.label} "
                             f"({rerouted_word if p.id in rerouted else words[kind]})"})
        if (kind := path_kinds.get(p.id)) in words else p
        for p in scene.pathways]
    scene.highlights = [marks["added"], marks["changed"], marks["removed"]]
    scene.title = f"{new.title}: changes"
    return scene


def diff_description(scene: Scene, d: ModelDiff) -> str:
    """What the figure shows, in words (the SVG's ``<desc>``, for screen readers)."""
    n = d.counts()
    old = PurePath(d.old_name)
    name = old.name if old.is_absolute() else d.old_name  # no absolute paths in a figure
    text = (f"Logic model with {len(scene.nodes)} elements and {len(scene.links)} links, "
            f"compared with {name}: {n['added']} added, {n['removed']} removed, "
            f"{n['changed']} changed.")
    for mark in scene.highlights:
        labels = [x.label for x in scene.nodes if scene.node_highlight.get(x.id) is mark]
        if labels:
            text += f" {mark.name}: " + "; ".join(labels) + "."
    return text


def render_diff(old: LogicModel, new: LogicModel, fmt: str,
                options: RenderOptions | None = None, d: ModelDiff | None = None) -> Rendered:
    """Render the diff figure as ``fmt`` (svg, png, pdf, eps, tiff, dot or caption, the
    key's text; LM609 otherwise)."""
    return render_diff_all(old, new, [fmt], options, d)[0]


def render_diff_all(old: LogicModel, new: LogicModel, formats: Sequence[str],
                    options: RenderOptions | None = None, d: ModelDiff | None = None
                    ) -> list[Rendered]:
    """Render the diff figure in each of ``formats`` from one layout.

    ``options`` are those of :func:`logicmodel.render.render` but the view and
    pathways: the theme, direction and compactness, ``fit`` and ``min_font``
    (the figure fitted to a target as ``render`` fits one, trying the compact
    layout and the stages turned unless those are given; LM619 when it cannot
    fit), ``key`` (placed, or left out for the caption), ``dpi``, the engine and
    its time limit.
    """
    for fmt in formats:
        if fmt not in DIFF_FORMATS:
            raise RenderError("LM609", f"a diff figure cannot be drawn as {fmt}", _HINT)
    options = options or RenderOptions()
    d = d if d is not None else diff_models(old, new)
    asked, diffed = options, d
    first = diff_scene(old, new, asked, diffed)  # as asked: the one described
    build = rebuilt(first, lambda laid: diff_scene(old, new, laid, diffed), asked)
    return render_built(build, formats, options, description=diff_description(first, d))


def render_diff_to_files(old: LogicModel, new: LogicModel, paths: Sequence[str | Path],
                         options: RenderOptions | None = None, d: ModelDiff | None = None
                         ) -> list[Rendered]:
    """Render the diff figure to each path (format from the suffix), from one layout;
    write only if all succeed."""
    formats = [diff_format_of(p) for p in paths]
    for p in paths:
        check_destination(p)
    results = render_diff_all(old, new, formats, options, d)
    for path, result in zip(paths, results, strict=True):
        write_atomic(path, result.data)
    return results


def diff_format_of(path: str | Path) -> str:
    """The format of a diff figure from its file's suffix (LM609 if unknown or Mermaid)."""
    try:
        fmt = format_of(path)
    except RenderError as exc:
        raise RenderError(exc.code, str(exc), _HINT) from None
    if fmt not in DIFF_FORMATS:
        raise RenderError("LM609", f"a diff figure cannot be drawn as {fmt.capitalize()} "
                          f"({path})", _HINT)
    return fmt
