"""The figure and its key, laid out apart and put together: the key under or beside it.

The engine lays out the figure and the key as two graphs of one DOT text (so
that the key is independent of the figure's stage columns and ranks) and writes
one document for each. Here they are joined into one: an SVG whose key is a
group ``<g id="lm-key" class="lm-key">`` moved under the figure (left-aligned)
or beside it (on its right, top-aligned), or a bitmap with the key's pixels
pasted there.
"""

from __future__ import annotations

import io
import re

__all__ = ["KEY_GAP", "compose_png", "compose_svg", "figure_size", "split_outputs"]

KEY_GAP = 4.0  # points between the figure's box and the key's

_ROOT = re.compile(rb'<svg\b[^>]*?\swidth="([0-9.]+)pt"\s+height="([0-9.]+)pt"[^>]*>')
_PNG = b"\x89PNG\r\n\x1a\n"
_BACKGROUND = re.compile(rb'<g id="graph0" class="graph"[^>]*>\s*<title>[^<]*</title>\s*'
                         rb'<polygon [^>]*?points="([^"]*)"')


def split_outputs(output: bytes, fmt: str) -> list[bytes]:
    """The documents the engine wrote for each graph of its input, in order."""
    mark = _PNG if fmt == "png" else b"<?xml"
    parts = output.split(mark)
    return [mark + p for p in parts[1:]] if len(parts) > 1 else [output]


def _parts(svg: bytes) -> tuple[bytes, bytes, float, float]:
    """An SVG's root element's opening tag, its content, and its size in points."""
    m = _ROOT.search(svg)
    if m is None:
        raise ValueError("the engine's SVG has no size in points")
    end = svg.rindex(b"</svg>")
    return m.group(0), svg[m.end():end], float(m.group(1)), float(m.group(2))


def figure_size(svg: bytes) -> tuple[float, float]:
    """The size in points of the figure alone in an SVG :func:`compose_svg` wrote.

    (Its first graph's background, which the engine draws over its whole page.)
    """
    m = _BACKGROUND.search(svg)
    if m is None:
        return _parts(svg)[2:]
    numbers = [float(x) for x in re.findall(rb"-?[0-9.]+", m.group(1))]
    return (max(numbers[0::2]) - min(numbers[0::2]), max(numbers[1::2]) - min(numbers[1::2]))


def compose_svg(figure: bytes, key: bytes, beside: bool = False) -> bytes:
    """``figure``'s SVG with ``key``'s drawn under it (left-aligned) or beside it (top-aligned).

    One document, on white.
    """
    head, body, width, height = _parts(figure)
    _, key_body, key_width, key_height = _parts(key)
    if beside:
        left, top = width + KEY_GAP, 0.0
        total_w, total_h = left + key_width, max(height, key_height)
    else:
        left, top = 0.0, height + KEY_GAP
        total_w, total_h = max(width, key_width), top + key_height
    prolog = figure[:figure.index(head)]
    head = re.sub(rb'width="[0-9.]+pt"\s+height="[0-9.]+pt"',
                  f'width="{total_w:g}pt" height="{total_h:g}pt"'.encode(), head, count=1)
    head = re.sub(rb'viewBox="[^"]*"', f'viewBox="0.00 0.00 {total_w:.2f} {total_h:.2f}"'
                  .encode(), head, count=1)
    key_body = re.sub(rb'\bid="', b'id="key-', key_body)  # the figure has node1, edge1...
    background = (f'<polygon fill="white" stroke="none" points="0,0 {total_w:.2f},0 '
                  f'{total_w:.2f},{total_h:.2f} 0,{total_h:.2f}"/>\n').encode()
    group = (f'<g id="lm-key" class="lm-key" transform="translate({left:.2f} {top:.2f})">'
             .encode())
    return (prolog + head + b"\n" + background + body.strip(b"\n") + b"\n" + group
            + key_body.strip(b"\n") + b"\n</g>\n</svg>\n")


def compose_png(figure: bytes, key: bytes, dpi: float, beside: bool = False) -> bytes:
    """``figure``'s PNG with ``key``'s pasted under or beside it, on white, at ``dpi``."""
    from PIL import Image

    top_image = Image.open(io.BytesIO(figure)).convert("RGBA")
    key_image = Image.open(io.BytesIO(key)).convert("RGBA")
    gap = round(KEY_GAP * dpi / 72)
    if beside:
        size = (top_image.width + gap + key_image.width, max(top_image.height, key_image.height))
        at = (top_image.width + gap, 0)
    else:
        size = (max(top_image.width, key_image.width), top_image.height + gap + key_image.height)
        at = (0, top_image.height + gap)
    canvas = Image.new("RGBA", size, (255, 255, 255, 255))
    canvas.alpha_composite(top_image, (0, 0))
    canvas.alpha_composite(key_image, at)
    out = io.BytesIO()
    canvas.save(out, format="PNG", compress_level=1)
    return out.getvalue()
