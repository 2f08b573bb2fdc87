"""Jupyter display: a loaded model shows as its diagram.

``LogicModel._repr_mimebundle_`` calls :func:`mimebundle`, which renders the
whole model as SVG with the embedded engine. If rendering is not possible (no
engine), the notebook shows the model's title and a one-line reason instead of
a traceback.
"""

from __future__ import annotations

from typing import Any

from ..errors import LogicModelError

__all__ = ["mimebundle"]


def mimebundle(model: Any) -> dict[str, Any]:
    """``{"image/svg+xml": ..., "text/plain": ...}`` for a model."""
    from . import render

    plain = f"LogicModel({model.title!r}, {len(model.nodes)} nodes, {len(model.links)} links)"
    try:
        svg = render(model, "svg").data.decode("utf-8")
    except LogicModelError as exc:
        return {"text/plain": f"{plain}\n(diagram not available: {exc})"}
    return {"image/svg+xml": svg, "text/plain": plain}
