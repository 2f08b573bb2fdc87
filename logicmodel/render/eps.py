"""EPS from the embedded engine's SVG, with pip alone, the font embedded.

Journals that take line art as EPS want the fonts in the file. ReportLab's
PostScript renderer draws the svglib drawing the PDF is drawn from (so the EPS
has the SVG's layout), but it only names fonts, expecting the printer to have
them. Here its text output is replaced: each string is cut into ReportLab's
subsets of the bundled Liberation Sans (up to 256 characters each), and every
subset used is embedded as a Type 42 font, the TrueType glyphs wrapped for
PostScript (level 2 and later), so text stays text with the SVG's metrics.

The header gives a tight ``%%BoundingBox`` (and ``%%HiResBoundingBox``), the
figure's own box; there is no date, so the bytes are the same on every run.
"""

from __future__ import annotations

import io
import math
import struct
from typing import Any

from .fonts import PDF_FONT_NAME
from .pdf import svg_drawing

__all__ = ["svg_to_eps"]

# A string in a Type 42 font's /sfnts array holds at most 65,535 bytes, ends at a
# table (or glyph) boundary, and gets one byte of padding that readers ignore.
_SFNTS_CHUNK = 65_534
_HEX_LINE = 72


def _ps_string(data: bytes) -> str:
    """``data`` as a PostScript string literal: printable ASCII as is, the rest in octal."""
    out = []
    for b in data:
        ch = chr(b)
        if ch in "()\\":
            out.append("\\" + ch)
        elif 32 <= b < 127:
            out.append(ch)
        else:
            out.append(f"\\{b:03o}")
    return "(" + "".join(out) + ")"


def _tables(ttf: bytes) -> dict[bytes, tuple[int, int]]:
    """The table directory of a TrueType file: tag -> (offset, length)."""
    (count,) = struct.unpack(">H", ttf[4:6])
    out = {}
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack(">4sLLL", ttf[12 + 16 * i:28 + 16 * i])
        out[tag] = (offset, length)
    return out


def _code_to_glyph(ttf: bytes) -> dict[int, int]:
    """The subset's own cmap (format 6, as ReportLab writes it): code -> glyph index."""
    offset, _ = _tables(ttf)[b"cmap"]
    _version, n = struct.unpack(">HH", ttf[offset:offset + 4])
    for i in range(n):
        _platform, _encoding, sub = struct.unpack(
            ">HHL", ttf[offset + 4 + 8 * i:offset + 12 + 8 * i])
        at = offset + sub
        (fmt,) = struct.unpack(">H", ttf[at:at + 2])
        if fmt == 6:
            first, count = struct.unpack(">HH", ttf[at + 6:at + 10])
            glyphs = struct.unpack(f">{count}H", ttf[at + 10:at + 10 + 2 * count])
            return {first + k: g for k, g in enumerate(glyphs)}
    raise ValueError("the font subset has no format 6 cmap")


def _breaks(ttf: bytes) -> list[int]:
    """Where the /sfnts strings may break: every table's start, and every glyph's in glyf."""
    tables = _tables(ttf)
    points = {offset for offset, _ in tables.values()}
    if b"glyf" in tables and b"loca" in tables and b"head" in tables:
        glyf, _ = tables[b"glyf"]
        loca, loca_len = tables[b"loca"]
        head, _ = tables[b"head"]
        (long_offsets,) = struct.unpack(">h", ttf[head + 50:head + 52])
        if long_offsets:
            offs = struct.unpack(f">{loca_len // 4}L", ttf[loca:loca + loca_len])
        else:
            offs = tuple(2 * o for o in struct.unpack(f">{loca_len // 2}H",
                                                      ttf[loca:loca + loca_len]))
        points.update(glyf + o for o in offs)
    return sorted(p for p in points if 0 < p < len(ttf))


def _sfnts(ttf: bytes) -> list[bytes]:
    """``ttf`` cut into /sfnts strings of at most 65,534 bytes, at allowed breaks."""
    strings: list[bytes] = []
    start = 0
    last = 0
    for point in [*_breaks(ttf), len(ttf)]:
        if point - start > _SFNTS_CHUNK:
            if last == start:
                raise ValueError("a font table too large to embed")
            strings.append(ttf[start:last])
            start = last
        last = point
    strings.append(ttf[start:])
    return strings


def _type42(name: str, ttf: bytes, codes: dict[int, int]) -> str:
    """A Type 42 font resource: the TrueType subset, and an encoding of its codes."""
    head, _ = _tables(ttf)[b"head"]
    (units,) = struct.unpack(">H", ttf[head + 18:head + 20])
    box = struct.unpack(">hhhh", ttf[head + 36:head + 44])
    lines = [f"%%BeginResource: font {name}", "11 dict begin",
             f"/FontName /{name} def", "/FontType 42 def", "/PaintType 0 def",
             "/FontMatrix [1 0 0 1 0 0] def",
             "/FontBBox [" + " ".join(f"{v / units:.4f}" for v in box) + "] def",
             "/Encoding 256 array", "0 1 255 { 1 index exch /.notdef put } for"]
    lines += [f"dup {code} /g{code} put" for code in sorted(codes)]
    lines += ["readonly def", f"/CharStrings {len(codes) + 1} dict dup begin", "/.notdef 0 def"]
    lines += [f"/g{code} {glyph} def" for code, glyph in sorted(codes.items())]
    lines += ["end readonly def", "/sfnts ["]
    for chunk in _sfnts(ttf):
        text = (chunk + b"\0").hex()  # the padding byte readers ignore
        lines.append("<")
        lines += [text[i:i + _HEX_LINE] for i in range(0, len(text), _HEX_LINE)]
        lines.append(">")
    lines += ["] def", "FontName currentdict end definefont pop", "%%EndResource"]
    return "\n".join(lines)


def _canvas_class() -> Any:
    from reportlab.graphics.renderPS import PSCanvas
    from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

    class EPSCanvas(PSCanvas):  # type: ignore[misc]
        """ReportLab's PostScript canvas, drawing text in embedded subsets of the font."""

        def __init__(self, size: tuple[float, float]) -> None:
            super().__init__(size, PostScriptLevel=2)
            self.subsets: set[int] = set()

        def drawString(self, x: float, y: float, s: str, angle: float = 0,
                       text_anchor: str = "left", textRenderMode: int = 0) -> None:
            if textRenderMode == 3 or not s:
                return
            if text_anchor in ("end", "middle"):
                width = stringWidth(s, self._font, self._fontSize)
                x -= width if text_anchor == "end" else width / 2
            font = getFont(self._font)
            if not getattr(font, "_dynamicFont", False):
                raise ValueError(f"only the bundled font is drawn, not {self._font}")
            self.setColor(self._fillColor)
            if angle:
                self.code_append(f"gsave {x:g} {y:g} translate {angle:g} rotate")
                x = y = 0
            self.code_append(f"{x:.3f} {y:.3f} m")
            for subset, chunk in font.splitString(s, self):
                self.subsets.add(subset)
                self.code_append(f"/{self._subset_name(subset)} findfont "
                                 f"{self._fontSize:g} scalefont setfont {_ps_string(chunk)} show")
            if angle:
                self.code_append("grestore")

        def _subset_name(self, subset: int) -> str:
            return f"{PDF_FONT_NAME}-LM{subset}"

    return EPSCanvas


def svg_to_eps(svg: bytes, *, title: str, scale: float = 1.0) -> bytes:
    """An EPS of ``svg`` at ``scale`` times its size, the font embedded (Type 42)."""
    from reportlab.graphics import renderPS
    from reportlab.pdfbase.pdfmetrics import getFont

    drawing = svg_drawing(svg, scale)
    canvas = _canvas_class()((drawing.width, drawing.height))
    renderPS.draw(drawing, canvas, 0, 0)
    if canvas.code[-1] != "showpage":
        canvas.code_append("showpage")
    font = getFont(PDF_FONT_NAME)
    state = font.state[canvas]
    resources = []
    names = []
    for subset in sorted(canvas.subsets):
        ttf = font.face.makeSubset(state.subsets[subset])
        codes = _code_to_glyph(ttf)
        name = canvas._subset_name(subset)
        names.append(name)
        resources.append(_type42(name, ttf, codes))
    del font.state[canvas]  # the subsets were this file's alone
    width, height = drawing.width, drawing.height
    header = [
        "%!PS-Adobe-3.0 EPSF-3.0",
        f"%%BoundingBox: 0 0 {math.ceil(width - 1e-6)} {math.ceil(height - 1e-6)}",
        f"%%HiResBoundingBox: 0 0 {width:.3f} {height:.3f}",
        f"%%Title: {_ps_string(' '.join(title.split()).encode('utf-8'))}",
        "%%Creator: logicmodel",
        "%%LanguageLevel: 2",
        "%%Pages: 1",
        "%%DocumentSuppliedResources: " + "\n%%+ ".join(f"font {n}" for n in names)
        if names else "%%DocumentSuppliedResources:",
        "%%EndComments",
        "%%BeginProlog",
        "/m {moveto} bind def",
        "/l {lineto} bind def",
        "/c {curveto} bind def",
        *resources,
        "%%EndProlog",
        "%%Page: 1 1",
    ]
    out = io.StringIO()
    out.write("\n".join(header) + "\n")
    out.write("\n".join(line for line in canvas.code if line) + "\n")
    out.write("%%Trailer\n%%EOF\n")
    return out.getvalue().encode("ascii")
