"""The font figures are drawn with, bundled, and which characters it can draw.

The layout measures text with Arial's metrics. PNG and TIFF are drawn by the
embedded engine with Arimo, and PDF by logicmodel with Liberation Sans (bundled
here, SIL Open Font License): both are metric-compatible with Arial, so text
fills the boxes the layout made for it. Neither has Chinese, Japanese, Korean,
Arabic, Devanagari or Thai glyphs; those scripts would come out as empty boxes
in PNG, TIFF, PDF and EPS, so :func:`check_coverage` refuses them (LM618) and points
to SVG, which the reader's browser draws with its own fallback fonts.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from ..diagnostics import Severity
from ..errors import CodedError
from ..rules.registry import rule

__all__ = ["FONT_FILE", "PDF_FONT_NAME", "FontCoverageError", "advances", "check_coverage",
           "uncovered"]

FONT_FILE = Path(__file__).with_name("fonts") / "LiberationSans-Regular.ttf"
PDF_FONT_NAME = "LiberationSans"


class FontCoverageError(CodedError):
    """Text has characters the bundled font cannot draw (LM618)."""


@functools.cache
def advances() -> dict[int, int]:
    """Each character the bundled font has a glyph for (by code point), and that glyph's
    advance width in 2048ths of an em: Arial's, which the font's metrics are."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    font = TTFontFile(str(FONT_FILE))
    scale = 2048 / font.unitsPerEm  # 1: Liberation Sans, as Arial, has 2048 units to the em
    return {code: round(font.hmetrics[glyph][0] * scale)
            for code, glyph in sorted(font.charToGlyph.items())}


@functools.cache
def _codepoints() -> frozenset[int]:
    return frozenset(advances())


def uncovered(texts: Iterable[str]) -> list[str]:
    """The characters in ``texts`` the bundled font has no glyph for, in first-seen order."""
    have = _codepoints()
    seen: dict[str, None] = {}
    for text in texts:
        if text.isascii():
            continue
        for ch in text:
            if ord(ch) not in have and not ch.isspace() and ch not in seen \
                    and unicodedata.category(ch) not in ("Cc", "Cf", "Mn"):
                seen[ch] = None
    return list(seen)


def check_coverage(texts: Iterable[str], fmt: str) -> None:
    """Raise LM618 if a label uses a script the bundled font cannot draw in ``fmt``."""
    missing = uncovered(texts)
    if not missing:
        return
    shown = " ".join(f"{ch} (U+{ord(ch):04X}, {unicodedata.name(ch, 'unnamed')})"
                     for ch in missing[:3])
    more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
    raise FontCoverageError(
        "LM618", f"{fmt.upper()} output cannot draw {shown}{more}: the bundled font "
        "(Liberation Sans: Latin, Greek, Cyrillic, Hebrew) has no glyph for them",
        "write SVG, which the reader's browser draws with its own fonts, "
        "or use --engine dot with a system font that has them")


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

@rule("LM618", "script-not-in-font", Severity.ERROR)
def script_not_in_font() -> None:
    """A label uses a script the bundled font cannot draw in PNG, TIFF, PDF or EPS.

    ## What it does
    PNG, TIFF, PDF and EPS are drawn with fonts metric-compatible with Arial (Arimo
    and the bundled Liberation Sans), which cover Latin, Greek, Cyrillic and
    Hebrew. Text in other scripts (Chinese, Japanese, Korean, Arabic,
    Devanagari, Thai...) is refused before anything is written, naming the
    first characters concerned. Exit status 3.

    ## Why is this bad?
    Those characters would be drawn as empty boxes: a figure that looks fine to
    the program and is unreadable to the journal.

    ## Example
    ```text
    logicmodel: LM618 PDF output cannot draw 中 (U+4E2D, CJK UNIFIED IDEOGRAPH-4E2D) ...
        hint: write SVG, which the reader's browser draws with its own fonts, ...
    ```
    SVG is written as usual: browsers draw it with their own fallback fonts.
    `--engine dot` uses the fonts installed on the machine.
    """
