"""PDF from the embedded engine's SVG, with pip alone.

The SVG the embedded engine laid out is converted by svglib into a ReportLab
drawing and written by ReportLab, with the bundled Liberation Sans embedded
(subset, with a ToUnicode map, so the text stays selectable and searchable).
The PDF therefore has the same layout as the SVG and PNG, its page is the
figure's own box (margins are the theme's even ``pad``), and ``invariant``
mode leaves out dates and random ids: the bytes are the same on every run.

Only SVG that passed :func:`~.svg.check_svg` reaches this module.
"""

from __future__ import annotations

import functools
import io
import re
from typing import Any

from .engine import EngineError
from .fonts import FONT_FILE, PDF_FONT_NAME

__all__ = ["svg_drawing", "svg_to_pdf"]

_FONT_FAMILY = re.compile(rb'font-family="[^"]*"')


@functools.cache
def _register_font() -> None:
    """Register the bundled font with ReportLab and svglib's font map.

    svglib would otherwise look the family up with the system's ``fc-match``, and
    embed whatever font this machine has, or fall back to an unembedded Helvetica.
    """
    from svglib.fonts import register_font

    name, ok = register_font(PDF_FONT_NAME, str(FONT_FILE))
    if name is None or not ok:  # pragma: no cover - the file ships with logicmodel
        raise EngineError("LM603", f"cannot load the bundled font {FONT_FILE.name}",
                          "reinstall logicmodel")


def svg_drawing(svg: bytes, scale: float = 1.0) -> Any:
    """``svg`` as a ReportLab drawing at ``scale`` times its size, in the bundled font.

    The drawing the PDF and the EPS writers both draw.
    """
    import logging

    from svglib.svglib import svg2rlg

    _register_font()
    svg = _FONT_FAMILY.sub(f'font-family="{PDF_FONT_NAME}"'.encode(), svg)
    # svglib logs what it skips (our SVG has nothing it cannot draw); keep it quiet.
    logging.getLogger("svglib.svglib").setLevel(logging.ERROR)
    drawing = svg2rlg(io.BytesIO(svg))
    if drawing is None:
        raise EngineError("LM603", "the PDF and EPS writer could not read the figure's SVG",
                          "please report it with the model that caused it")
    drawing.initialFontName = PDF_FONT_NAME  # the starting font: no unembedded Helvetica
    if scale != 1.0:
        drawing.scale(scale, scale)
        drawing.width *= scale
        drawing.height *= scale
    return drawing


def svg_to_pdf(svg: bytes, *, title: str, scale: float = 1.0) -> bytes:
    """A one-page PDF of ``svg`` at ``scale`` times its size, fonts embedded."""
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    drawing = svg_drawing(svg, scale)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(drawing.width, drawing.height), invariant=1,
                    initialFontName=PDF_FONT_NAME, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("logicmodel")
    canvas.setProducer("logicmodel")
    renderPDF.draw(drawing, canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    return out.getvalue()
