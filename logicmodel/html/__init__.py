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

from ..render.views import Scene
from .data import Facet, ViewerData, viewer_data
from .figure import FigureError, annotate_svg
from .page import Page, page_html

__all__ = ["Facet", "FigureError", "Page", "ViewerData", "html_page", "viewer_data"]


def html_page(scene: Scene, svg: bytes, extra: Page | None = None) -> str:
    """The viewer page for ``scene``, around ``svg`` (the renderer's SVG of that scene)."""
    data = viewer_data(scene)
    labels = {n.id: n.label for n in scene.nodes}
    figure = annotate_svg(svg, scene.nodes, scene.links, labels)
    description = scene.model.description or ""
    return page_html(scene.title, description, figure, data.facets, data.payload, extra)
