"""The interactive viewer: a model as one offline HTML page.

``render -o model.html`` writes it; :func:`html_page` builds it from a scene
and the SVG the renderer drew for that scene. The page needs no network and
works from ``file://``: the figure pans and zooms, a click on a box or a link
opens a panel with its description, provenance, evidence, indicators,
assumptions and moderators, the figure filters by pathway, and a search finds
elements by label or id.

Modules: :mod:`.data` (what the panel and filters know about each element),
:mod:`.figure` (the SVG with the viewer's keys), :mod:`.page` (the page and
its Content-Security-Policy).

Example::

    import logicmodel
    from logicmodel.render import render

    model = logicmodel.load("models/devolved_budgets.yaml")
    page = render(model, "html").data        # bytes of a self-contained page
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..render.views import Scene
from .data import Facet, ViewerData, viewer_data
from .figure import FigureError, annotate_svg
from .page import Page, page_html
from .variants import ViewerVariant, variant_marks, viewer_variants

__all__ = ["Facet", "FigureError", "Page", "ViewerData", "ViewerVariant", "html_page",
           "variants_page", "viewer_data", "viewer_variants"]


def html_page(scene: Scene, svg: bytes, extra: Page | None = None, full: Any = None,
              full_variant: str | None = None) -> str:
    """The viewer page for ``scene``, around ``svg`` (the renderer's SVG of that scene).

    ``full`` is the full version a short version summarises (its boxes are named in
    each short box's panel), ``full_variant`` the label of its variant, if it is one.
    """
    data = viewer_data(scene, full=full, full_variant=full_variant)
    labels = {n.id: n.label for n in scene.nodes}
    figure = annotate_svg(svg, scene.nodes, scene.links, labels)
    description = scene.model.description or ""
    return page_html(scene.title, description, figure, data.facets, data.payload, extra)


def _figure(variant: ViewerVariant, scene: Scene, svg: bytes) -> tuple[ViewerData, str]:
    marks = variant_marks(variant.base, variant.model) if variant.base is not None else None
    data = viewer_data(scene, marks, variant.label, variant.base, variant.full,
                       variant.full_variant)
    marked = {k: el["mark"] for k, el in data.payload["elements"].items() if "mark" in el}
    labels = {n.id: n.label for n in scene.nodes}
    return data, annotate_svg(svg, scene.nodes, scene.links, labels, marked)


def variants_page(figures: Sequence[tuple[ViewerVariant, Scene, bytes]],
                  extra: Page | None = None,
                  missing: Sequence[tuple[str, str]] = ()) -> str:
    """One page of several variants (or of one, marked against its base), switched in place.

    ``figures`` are each variant with its scene and the renderer's SVG of it, the
    one shown first first. The page names the references once, and each variant
    only those it cites differently. ``missing`` are the variants with no figure
    (label, why), named in the menu as not available.
    """
    built = [_figure(v, scene, svg) for v, scene, svg in figures]
    first = built[0][0].payload
    references: dict[str, Any] = first["references"]
    entries = []
    facets: dict[str, Facet] = {}
    for (variant, scene, _), (data, _) in zip(figures, built, strict=True):
        p = data.payload
        entry = {"id": variant.id, "label": variant.label, "title": scene.title,
                 "description": variant.description or "", "elements": p["elements"],
                 "facets": p["facets"]}
        own = {k: v for k, v in p["references"].items() if references.get(k) != v}
        if own:
            entry["references"] = own
        if "changes" in p:
            entry["changes"] = p["changes"]
        entries.append(entry)
        for f in data.facets:
            facets.setdefault(f.id, f)
    payload = {"title": first["title"], "description": first["description"],
               "references": references, "variants": entries}
    head = figures[0][1]
    return page_html(head.title, head.model.description or "", built[0][1],
                     list(facets.values()), payload, extra,
                     variants=[v.label for v, _, _ in figures],
                     more_figures=[svg for _, svg in built[1:]], missing=missing)
