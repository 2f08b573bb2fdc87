"""The figure of two versions: the full version drawn whole, each box tagged by its short box.

Each box of the full version gets the tag of the short box that stands for it
before its label (``S1:``, ``S2:``... in the short version's order; ``S2+S3:``
for a shared box), and the key lists the tags with the short boxes' labels, so the
figure reads in print and without colour. A box no short box covers is dashed
and grey, tagged with a minus sign (U+2212). Everything else (stages, pathways,
markers) is drawn as ``logicmodel render`` draws the full version.

Example::

    from logicmodel.pipeline import open_model
    from logicmodel.versions.figure import render_versions

    doc = open_model("models/devolved_budgets_summary.yaml").document
    svg = render_versions(doc, "svg").data
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..render import Rendered, RenderError, RenderOptions, format_of, rebuilt, render_built
from ..render.views import Highlight, Scene, make_scene
from ..schema import View
from .check import mapping_of

if TYPE_CHECKING:
    from ..loader import Document

__all__ = ["VERSIONS_FORMATS", "render_versions", "render_versions_all", "versions_format_of",
           "versions_scene"]

# Mermaid and the HTML viewer cannot draw the tags faithfully.
VERSIONS_FORMATS = ("svg", "png", "pdf", "eps", "tiff", "dot")
NOT_SHORT_SIGN = "\N{MINUS SIGN}"


def versions_scene(doc: Document, options: RenderOptions | None = None) -> Scene:
    """The full version of ``doc`` (a short version) with each box tagged by its short box."""
    assert doc.model is not None
    assert doc.full is not None
    assert doc.full.model is not None
    options = options or RenderOptions()
    short, full = doc.model, doc.full.model
    m = mapping_of(short, full)
    scene = make_scene(full, View(id="full"), direction=options.direction,
                       compact=options.compact)
    tag = {n.id: f"S{k}" for k, n in enumerate(short.nodes, 1)}
    label = {n.id: " ".join(n.label.split()) for n in short.nodes}
    marks: dict[tuple[str, ...], Highlight] = {}
    owners = m.owners()
    for node in full.nodes:
        mine = tuple(o for o in owners.get(node.id, ()) if o in tag)
        if mine not in marks:
            if mine:
                marks[mine] = Highlight(" + ".join(label[o] for o in mine),
                                        "+".join(tag[o] for o in mine) + ":", {}, {}, "")
            else:
                marks[mine] = Highlight(
                    "Not in the short version", NOT_SHORT_SIGN,
                    {"style": "dashed", "color": "gray60", "fontcolor": "gray45",
                     "fillcolor": "white"}, {}, "", quiet=True)
        scene.node_highlight[node.id] = marks[mine]
    # The tags are explained in the key as a list (like the assumptions), and only a box
    # no short box covers gets a sample box of its own.
    scene.highlights = [h for k, h in marks.items() if not k]
    scene.key_lists = [("Boxes of the short version (S1: before a label)",
                        [(tag[n.id], label[n.id]) for n in short.nodes])]
    scene.title = f"{full.title}: the boxes of {short.title}"
    return scene


def _description(scene: Scene, short_title: str) -> str:
    text = (f"Logic model with {len(scene.nodes)} elements and {len(scene.links)} links, "
            f"each tagged with the box of its short version ({short_title}) that stands "
            "for it.")
    seen: list[Highlight] = []
    for n in scene.nodes:
        mark = scene.node_highlight.get(n.id)
        if mark is not None and mark not in seen:
            seen.append(mark)
    for mark in seen:
        labels = [n.label for n in scene.nodes if scene.node_highlight.get(n.id) is mark]
        text += f" {mark.sign} {mark.name}: " + "; ".join(labels) + "."
    return text


def versions_format_of(path: str) -> str:
    """The format of the figure of two versions for ``path``'s suffix (LM609 if it has none)."""
    fmt = format_of(path)
    _refuse_unless_drawable(fmt)
    return fmt


def _refuse_unless_drawable(fmt: str) -> None:
    """LM609 for a format the figure of two versions cannot be drawn in."""
    if fmt not in VERSIONS_FORMATS:
        raise RenderError("LM609", f"the figure of two versions cannot be drawn as {fmt}",
                          "draw it as .svg, .png, .pdf, .eps, .tif or .dot")


def render_versions(doc: Document, fmt: str, options: RenderOptions | None = None
                    ) -> Rendered:
    """Render the figure of the two versions as ``fmt`` (svg, png, pdf, eps, tiff or dot)."""
    return render_versions_all(doc, [fmt], options)[0]


def render_versions_all(doc: Document, formats: Sequence[str],
                        options: RenderOptions | None = None) -> list[Rendered]:
    """Render the figure of the two versions in each of ``formats`` from one layout.

    ``options`` as for :func:`logicmodel.render.render` but the view: with ``fit``, the
    layouts ``render`` tries are tried (compact, the stages turned, unless
    ``direction`` or ``compact`` is given) and the one that fits with the largest
    text is drawn; ``key`` places the key or leaves it out for the caption.
    """
    for fmt in formats:
        _refuse_unless_drawable(fmt)
    asked = options or RenderOptions()
    assert doc.model is not None
    first = versions_scene(doc, asked)  # as asked: the one described
    return render_built(rebuilt(first, lambda laid: versions_scene(doc, laid), asked),
                        formats, asked, description=_description(first, doc.model.title))
