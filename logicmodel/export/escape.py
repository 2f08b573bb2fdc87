"""Escaping text for the formats whose readers would interpret it.

* LaTeX: the ten special characters (``\\ { } $ & # ^ _ % ~``) become commands
  or escapes, so a label can neither break compilation nor run a macro; a line
  may break after ``_``, so long ids fit narrow columns.
* Markdown table cells: ``|`` would end the cell, a backslash or backtick or
  ``<`` would start an escape, code span or HTML; newlines would end the row.
* CSV cells: a cell starting with ``= + - @``, a tab or a carriage return is a
  formula to Excel and LibreOffice (CSV injection, CWE-1236); it gets a leading
  ``'`` so it is shown as text (as does text that would read as a number).
"""

from __future__ import annotations

import re

__all__ = ["csv_cell", "latex", "markdown_cell"]

_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_\allowbreak{}",
    "%": r"\%",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    # the sign of a change (logicmodel.signs) and the minus sign: pdfLaTeX has no glyph
    "\N{GREEK CAPITAL LETTER DELTA}": r"\ensuremath{\Delta}",
    "\N{MINUS SIGN}": r"\ensuremath{-}",
}


def latex(text: str) -> str:
    """Text safe inside a LaTeX paragraph or table cell (newlines become spaces)."""
    return "".join(_LATEX.get(ch, ch) for ch in " ".join(text.split()))


_MD = {"\\": "\\\\", "|": "\\|", "`": "\\`", "<": "&lt;", ">": "&gt;", "*": "\\*",
       "[": "\\[", "]": "\\]"}


def markdown_cell(text: str) -> str:
    """Text safe inside one Markdown table cell (pipes escaped, newlines become spaces)."""
    return "".join(_MD.get(ch, ch) for ch in " ".join(text.split()))


_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$")


def csv_cell(value: object) -> str:
    """A CSV cell that no spreadsheet runs as a formula, and that reads back as it was.

    Text that starts with a formula trigger gets a leading ``'`` (shown as text);
    so does text that would read as a number or as true/false (``'12``), and text
    that itself starts with ``'`` (``''x``). :mod:`logicmodel.importing` strips
    one ``'``. Numbers and booleans are written plainly.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    if text.startswith((*_FORMULA, "'")) or _NUMBER.match(text) or \
            text.lower() in ("true", "false"):
        return "'" + text
    return text
