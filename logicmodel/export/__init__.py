"""Exports: the model in other tools' formats, tables for papers, Word and spreadsheets.

:data:`FORMATS` maps each text ``logicmodel export --to`` name to a function
``(model, style) -> str``; ``style`` is ``markdown`` or ``latex`` for the
tables, ``markdown`` or ``text`` for the narrative, and ignored by the data
formats. :func:`export_bytes` gives the bytes of any format, the binary ones
(Word, Excel) included. :data:`OUTPUTS` says which file suffixes each format
may be written to, and in which style: an output name that promises another
format is refused (:func:`style_for`, LM609), never silently written as this
one. Every export is deterministic: the same model gives the same bytes.
Files are written with the project's one atomic writer,
:func:`logicmodel.files.write_atomic` (re-exported here).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..analysis.dagitty import to_dagitty
from ..errors import CodedError
from ..files import write_atomic
from ..schema import LogicModel
from .data import to_graphml, to_json
from .narrative import narrative
from .narrative import to_markdown as narrative_markdown
from .narrative import to_text as narrative_text
from .sheets import csv_sheet
from .tables import TABLES, to_csv, to_latex, to_markdown

__all__ = ["BINARY", "FORMATS", "OUTPUTS", "ExportError", "export", "export_bytes",
           "style_for", "write_atomic"]


class ExportError(CodedError):
    """A coded export failure: an output name that does not fit (LM609), a missing extra."""


def _table(name: str) -> Callable[[LogicModel, str], str]:
    def render(model: LogicModel, style: str) -> str:
        table = TABLES[name](model)
        return to_latex(table) if style == "latex" else to_markdown(table)

    return render


def _evaluation_plan(model: LogicModel, style: str) -> str:
    from ..analysis.evalplan import evaluation_plan

    table = evaluation_plan(model)
    if style == "csv":
        return to_csv(table)
    return to_latex(table) if style == "latex" else to_markdown(table)


def _narrative(model: LogicModel, style: str) -> str:
    doc = narrative(model)
    return narrative_text(doc) if style == "text" else narrative_markdown(doc)


FORMATS: dict[str, Callable[[LogicModel, str], str]] = {
    "json": lambda m, s: to_json(m),
    "graphml": lambda m, s: to_graphml(m),
    # one sheet each of the workbook (:mod:`.sheets`): the same table as --to xlsx and csv
    "csv-nodes": lambda m, s: csv_sheet(m, "Elements"),
    "csv-links": lambda m, s: csv_sheet(m, "Connections"),
    "csv-indicators": lambda m, s: csv_sheet(m, "Indicators"),
    "dagitty": lambda m, s: to_dagitty(m),
    **{name: _table(name) for name in TABLES},
    "evaluation-plan": _evaluation_plan,
    "narrative": _narrative,
}

_TABLE_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".tex": "latex"}

# format -> {suffix: style}; the first style listed is the default.
OUTPUTS: dict[str, dict[str, str]] = {
    "json": {".json": ""},
    "graphml": {".graphml": "", ".xml": ""},
    "csv-nodes": {".csv": ""},
    "csv-links": {".csv": ""},
    "csv-indicators": {".csv": ""},
    "dagitty": {".dagitty": "", ".txt": ""},
    **dict.fromkeys(TABLES, _TABLE_SUFFIXES),
    "evaluation-plan": {**_TABLE_SUFFIXES, ".csv": "csv"},
    "narrative": {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".docx": "docx"},
    "docx": {".docx": ""},
    "xlsx": {".xlsx": ""},
    "csv": {"": ""},  # a folder
    "variants": {".md": "markdown", ".markdown": "markdown", ".tex": "latex", ".csv": "csv"},
    "versions": {".md": "markdown", ".markdown": "markdown", ".tex": "latex", ".csv": "csv"},
}

# styles each format takes (the first is the default); formats not listed take none
STYLES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(TABLES, ("markdown", "latex")),
    "evaluation-plan": ("markdown", "latex", "csv"),
    "narrative": ("markdown", "text", "docx"),
    "variants": ("markdown", "latex", "csv"),
    "versions": ("markdown", "latex", "csv"),
}

# formats (or format/style pairs) whose output is binary and goes to a file
BINARY = frozenset({"docx", "xlsx", "narrative/docx"})


def style_for(to: str, output: str | None, style: str | None) -> str:
    """The style to write ``to`` in, from ``--style`` and the output name's suffix.

    Raises:
        ExportError: LM609 when the suffix belongs to another format, or the
            style asked for does not fit the format or the suffix.
    """
    styles = STYLES.get(to, ("",))
    if style is not None and style not in styles:
        allowed = ", ".join(s for s in styles if s) or "none"
        raise ExportError("LM609", f"--to {to} has no style {style}",
                          f"styles of --to {to}: {allowed}")
    if output is None:
        return style or styles[0]
    suffixes = OUTPUTS[to]
    suffix = Path(output).suffix.lower()
    if to == "csv":
        if suffix or (os.path.exists(output) and not os.path.isdir(output)):
            raise ExportError("LM609", f"--to csv writes a folder of CSV files, not {output}",
                              "give a folder name, e.g. -o model-sheets")
        return ""
    if suffix not in suffixes:
        fits = ", ".join(s for s in suffixes)
        raise ExportError("LM609", f"cannot write --to {to} as {output}: the suffix does not "
                          "match the format", f"use {fits}")
    implied = suffixes[suffix]
    if style is not None and implied and style != implied:
        raise ExportError("LM609", f"{output} is {implied} by its suffix, not {style}",
                          f"drop --style, or name the file for {style}")
    return implied or style or styles[0]


def export(model: LogicModel, to: str, style: str = "markdown") -> str:
    """The model in the text format ``to`` (a key of :data:`FORMATS`)."""
    return FORMATS[to](model, style)


def export_bytes(model: LogicModel, to: str, style: str = "", *,
                 figure: bytes | None = None) -> bytes:
    """The model in any format as bytes; ``figure`` is a PNG to embed in Word output.

    Raises:
        ExportError: LM615 when the optional libraries the format needs are missing.
    """
    if to == "docx" or (to == "narrative" and style == "docx"):
        from .docx import narrative_docx, report_docx

        data: bytes = report_docx(model, figure) if to == "docx" else narrative_docx(model)
        return data
    if to == "xlsx":
        from .sheets import to_xlsx

        return to_xlsx(model)
    return export(model, to, style or STYLES.get(to, ("",))[0]).encode("utf-8")

