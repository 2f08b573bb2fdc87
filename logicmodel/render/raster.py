"""Bitmaps a submission system takes: opaque PNG and LZW TIFF, with their DPI recorded.

The embedded engine draws an RGBA PNG whose last row is part-transparent (the
canvas rounded up to whole pixels) and records no resolution, so Word and
submission systems read it as 72 or 96 dpi. It is flattened here onto white
(the figure's own background) and saved with a ``pHYs`` chunk (PNG) or a
resolution tag (TIFF) giving the DPI at the figure's final size.
"""

from __future__ import annotations

import io
import tempfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["finish_png", "to_tiff"]


def _opaque(png: bytes) -> Image:
    from PIL import Image

    # The engine's own drawing, already held to `max-pixels` (LM622) before it was
    # drawn: Pillow's guard against decompression bombs (a warning from 89
    # megapixels, an error from twice that) would refuse a figure the budget allows.
    guard, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        image = Image.open(io.BytesIO(png))
        image.load()
    finally:
        Image.MAX_IMAGE_PIXELS = guard
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def finish_png(png: bytes, dpi: float) -> bytes:
    """``png`` flattened onto white, as RGB, with ``dpi`` recorded."""
    out = io.BytesIO()
    _opaque(png).save(out, format="PNG", dpi=(dpi, dpi), compress_level=6)
    return out.getvalue()


def to_tiff(png: bytes, dpi: float) -> bytes:
    """``png`` as an LZW-compressed RGB TIFF with ``dpi`` recorded.

    Written through a real (temporary) file, never a memory buffer: libtiff skips a
    byte to align the directory, and Pillow's in-memory writer leaves that byte as
    whatever the heap held (so the file changed from one process to the next); in a
    file the skipped byte reads as zero.
    """
    with tempfile.TemporaryFile() as out:
        _opaque(png).save(out, format="TIFF", compression="tiff_lzw", dpi=(dpi, dpi))
        out.seek(0)
        return out.read()
