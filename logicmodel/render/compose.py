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

__all__ = ["KEY_GAP", "compose_outputs", "compose_png", "compose_svg", "figure_size",
           "key_share", "split_outputs"]

KEY_GAP = 4.0  # points between the figure's box and the key's

_ROOT = re.compile(rb'<svg\b[^>]*?\swidth="([0-9.]+)pt"\s+height="([0-9.]+)pt"[^>]*>')
_PNG = b"\x89PNG\r\n\x1a\n"
# a graph's first polygon: the figure's background, which the engine draws over its whole page
_FIRST_POLYGON = rb'<g id="graph0" class="graph"[^>]*>\s*<title>[^<]*</title>\s*<polygon '
_BACKGROUND = re.compile(_FIRST_POLYGON + rb'[^>]*?points="([^"]*)"')
_FILL = re.compile(_FIRST_POLYGON + rb'fill="([^"]*)" stroke="none"')  # its colour (bgcolor)


def _spans(output: bytes, mark: bytes) -> list[tuple[int, int]]:
    """Where each document in ``output`` begins (at ``mark``) and ends."""
    starts = []
    at = output.find(mark)
    while at >= 0:
        starts.append(at)
        at = output.find(mark, at + len(mark))
    return list(zip(starts, [*starts[1:], len(output)], strict=True))


def split_outputs(output: bytes, fmt: str) -> list[bytes]:
    """The documents the engine wrote for each graph of its input, in order."""
    spans = _spans(output, _PNG if fmt == "png" else b"<?xml")
    return [output[start:end] for start, end in spans] if spans else [output]


def compose_outputs(output: bytes, beside: bool = False,
                    margin: tuple[float, float] = (0.0, 0.0)) -> bytes:
    """The engine's SVG of a figure and its key as one document (see :func:`compose_svg`).

    ``output`` holds what the engine wrote for the figure's graph and the key's;
    with one graph only, it is returned as it is.
    """
    spans = _spans(output, b"<?xml")
    if len(spans) != 2:
        return output
    (figure, figure_end), (key, key_end) = spans
    return _compose(output, figure, figure_end, output[key:key_end], beside, margin)


def _parts(svg: bytes, start: int, end: int) -> tuple[bytes, int, int, float, float]:
    """An SVG's root element's opening tag, where its content begins and ends (without the
    line breaks around it), and its size in points; the SVG is ``svg[start:end]``."""
    m = _ROOT.search(svg, start, end)
    if m is None:
        raise ValueError("the engine's SVG has no size in points")
    begin, close = m.end(), svg.rindex(b"</svg>", start, end)
    while begin < close and svg[begin] == 10:  # "\n"
        begin += 1
    while close > begin and svg[close - 1] == 10:
        close -= 1
    return m.group(0), begin, close, float(m.group(1)), float(m.group(2))


def figure_size(svg: bytes) -> tuple[float, float]:
    """The size in points of the figure alone in an SVG :func:`compose_svg` wrote.

    (Its first graph's background, which the engine draws over its whole page.)
    """
    m = _BACKGROUND.search(svg)
    if m is None:
        return _parts(svg, 0, len(svg))[3:]
    return _extent(m.group(1))


def _extent(points: bytes) -> tuple[float, float]:
    """The width and height of a polygon's ``points``."""
    numbers = [float(x) for x in re.findall(rb"-?[0-9.]+", points)]
    return (max(numbers[0::2]) - min(numbers[0::2]), max(numbers[1::2]) - min(numbers[1::2]))


_VIEWBOX = re.compile(rb'viewBox="[-0-9.]+ [-0-9.]+ ([0-9.]+) ([0-9.]+)"')
# the key's group and its graph's background, which the engine draws over the key's page
_KEY_BACKGROUND = re.compile(rb'<g id="lm-key" class="lm-key"[^>]*>\s*<g id="key-graph0" '
                             rb'class="graph"[^>]*>\s*<title>[^<]*</title>\s*'
                             rb'<polygon [^>]*?points="([^"]*)"')


def key_share(svg: bytes) -> float | None:
    """The share of a composed SVG's area (see :func:`compose_svg`) its key takes, None
    without a key."""
    key = _KEY_BACKGROUND.search(svg)
    whole = _VIEWBOX.search(svg)
    if key is None or whole is None:
        return None
    width, height = _extent(key.group(1))
    area = width * height
    total = float(whole.group(1)) * float(whole.group(2))
    return area / total if total > 0 else None


def compose_svg(figure: bytes, key: bytes, beside: bool = False,
                margin: tuple[float, float] = (0.0, 0.0)) -> bytes:
    """``figure``'s SVG with ``key``'s drawn under it (left-aligned) or beside it (top-aligned).

    One document, on the figure's background (its graph's `bgcolor`). ``margin``:
    points of the figure's background kept on the key's outer sides beyond its own
    margin, across and down (see :func:`.key.key_margin`).
    """
    return _compose(figure, 0, len(figure), key, beside, margin)


def _place(width: float, height: float, key_width: float, key_height: float, gap: float,
           beside: bool, margin: tuple[float, float]) -> tuple[float, float, float, float]:
    """Where the key goes (left, top) and the size of the whole (width, height), in points
    or pixels: under the figure, or beside it, ``gap`` from it and ``margin`` from the edges."""
    across, down = margin
    if beside:
        left = width + gap
        return left, down, left + key_width + across, max(height, down + key_height + down)
    top = height + gap
    return 0.0, top, max(width, key_width), top + key_height + down


def _compose(output: bytes, start: int, end: int, key: bytes, beside: bool,
             margin: tuple[float, float]) -> bytes:
    """The figure's SVG (``output[start:end]``) with ``key``'s drawn under or beside it."""
    head, begin, close, width, height = _parts(output, start, end)
    _, key_begin, key_close, key_width, key_height = _parts(key, 0, len(key))
    left, top, total_w, total_h = _place(width, height, key_width, key_height, KEY_GAP,
                                         beside, margin)
    fill = _FILL.search(output, begin, close)
    figure = memoryview(output)
    prolog = figure[start:output.index(head, start, end)]
    head = re.sub(rb'width="[0-9.]+pt"\s+height="[0-9.]+pt"',
                  f'width="{total_w:g}pt" height="{total_h:g}pt"'.encode(), head, count=1)
    head = re.sub(rb'viewBox="[^"]*"', f'viewBox="0.00 0.00 {total_w:.2f} {total_h:.2f}"'
                  .encode(), head, count=1)
    key_body = re.sub(rb'\bid="', b'id="key-', key[key_begin:key_close])  # the figure: node1...
    # the figure's background under both, and between them
    background = (b'<polygon fill="' + (fill.group(1) if fill else b"white")
                  + f'" stroke="none" points="0,0 {total_w:.2f},0 '
                    f'{total_w:.2f},{total_h:.2f} 0,{total_h:.2f}"/>\n'.encode())
    group = (f'<g id="lm-key" class="lm-key" transform="translate({left:.2f} {top:.2f})">'
             .encode())
    return b"".join([prolog, head, b"\n", background, figure[begin:close], b"\n", group,
                     key_body, b"\n</g>\n</svg>\n"])


def compose_png(figure: bytes, key: bytes, dpi: float, beside: bool = False,
                margin: tuple[float, float] = (0.0, 0.0)) -> bytes:
    """``figure``'s PNG with ``key``'s pasted under or beside it, at ``dpi`` (``margin``
    as :func:`compose_svg`'s).

    On the figure's background (the colour of its corner, inside the engine's margin).
    """
    from PIL import Image

    top_image = Image.open(io.BytesIO(figure)).convert("RGBA")
    key_image = Image.open(io.BytesIO(key)).convert("RGBA")
    left, top, wide, high = _place(top_image.width, top_image.height, key_image.width,
                                   key_image.height, round(KEY_GAP * dpi / 72), beside,
                                   (round(margin[0] * dpi / 72), round(margin[1] * dpi / 72)))
    at = (int(left), int(top))
    canvas = Image.new("RGBA", (int(wide), int(high)), top_image.getpixel((0, 0)))
    canvas.alpha_composite(top_image, (0, 0))
    canvas.alpha_composite(key_image, at)
    out = io.BytesIO()
    canvas.save(out, format="PNG", compress_level=1)
    return out.getvalue()
