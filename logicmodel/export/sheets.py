"""Spreadsheets: the model as sheets in the layout Kumu imports, as Excel or CSV.

The **Elements** sheet has a row per node, the **Connections** sheet a row per
link, with Kumu's column names where Kumu has one (``ID``, ``Label``, ``Type``
for the kind, ``Description``; ``From``, ``To``, ``Type``), so a workbook can
be uploaded to Kumu as it is. The other sheets carry the rest of the model
(**Model**, **Indicators**, **Assumptions**, **Moderators**, **Pathways**,
**References**, **Authors**, **Views**), and two are tables for reading
(**Logframe**, **Assumptions register**); their names end in ``(ignore)``,
which tells Kumu to skip them. ``logicmodel import`` reads every data sheet
back into an equal model (:mod:`logicmodel.importing`); the two reading tables
are left alone.

A column is a field of the element, written as the YAML key (``horizon``,
``rationale``); a nested mapping gives dotted columns (``provenance.status``,
``evidence.grade``); a list of ids is one cell, the ids joined by ``|`` as Kumu
joins several values; anything more nested (``ignore``) is one cell of JSON.
Fields left at their default are left out, so the sheets show what the author
wrote.

Cells keep their types in Excel (a number is a number, text is text). Text
that a spreadsheet would run as a formula (starting with ``= + - @``, a tab or
a carriage return) is stored as text with Excel's quote prefix in XLSX, and
with a leading ``'`` in CSV (:func:`~.escape.csv_cell`); in CSV a leading ``'`` also
marks text that would read as a number (``'12``), and is doubled when the text
itself starts with one. Both forms read back to the same text.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..extras import need
from ..schema import LogicModel
from .escape import csv_cell
from .ooxml import repack
from .tables import assumptions_register, logframe

__all__ = ["SHEETS", "Sheet", "csv_sheet", "csv_text", "sheets", "to_xlsx", "write_csv_folder"]

Cell = str | int | float | bool | None


@dataclass
class Sheet:
    """One sheet: its name (without ``(ignore)``), header and rows of typed cells."""

    name: str
    header: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    kumu: bool = False      # a sheet Kumu imports (Elements, Connections)
    derived: bool = False   # a table for reading; import leaves it alone

    @property
    def title(self) -> str:
        """The sheet's name in a workbook: Kumu skips the ones marked ``(ignore)``."""
        return self.name if self.kumu else f"{self.name} (ignore)"

    @property
    def file_name(self) -> str:
        """The sheet's file name in a CSV folder."""
        return self.name.lower().replace(" ", "-") + ".csv"


# sheet name -> (section of the model, Kumu's names for fields, columns that come first)
SHEETS: dict[str, tuple[str, dict[str, str], tuple[str, ...]]] = {
    "Elements": ("nodes", {"id": "ID", "label": "Label", "kind": "Type",
                           "description": "Description"}, ("id", "label", "kind", "description")),
    "Connections": ("links", {"from": "From", "to": "To", "id": "ID", "type": "Type"},
                    ("from", "to", "id", "type")),
    "Indicators": ("indicators", {}, ("node", "id", "measure")),
    "Assumptions": ("assumptions", {}, ("id", "label")),
    "Moderators": ("moderators", {}, ("id", "label", "effect")),
    "Pathways": ("pathways", {}, ("id", "label")),
    "References": ("references", {}, ("id", "citation")),
    "Authors": ("authors", {}, ("name",)),
    "Views": ("views", {}, ("id", "label")),
}
MODEL_SHEET = "Model"
LIST_SEPARATOR = "|"


def _dump(el: Any) -> dict[str, Any]:
    data: dict[str, Any] = el.model_dump(mode="json", by_alias=True, exclude_none=True,
                                         exclude_defaults=True)
    return data


def _is_id_list(value: list[Any]) -> bool:
    return all(isinstance(v, str) and v and LIST_SEPARATOR not in v and v.strip() == v
               for v in value)


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Cell]:
    """An element's fields as columns (see the module docstring)."""
    out: dict[str, Cell] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(flatten(value, name + "."))
        elif isinstance(value, list):
            if value and _is_id_list(value):
                out[name] = LIST_SEPARATOR.join(value)
            elif value:
                out[name] = json.dumps(value, ensure_ascii=False, sort_keys=False)
        elif isinstance(value, dict):
            out[name] = "{}"
        else:
            out[name] = value
    return out


def _sheet(name: str, records: Sequence[dict[str, Cell]]) -> Sheet:
    _, rename, first = SHEETS[name]
    keys: list[str] = [k for k in first
                       if not records or any(k in r for r in records) or k in rename]
    for r in records:
        keys += [k for k in r if k not in keys]
    header = [rename.get(k, k) for k in keys]
    return Sheet(name, header, [[r.get(k) for k in keys] for r in records],
                 kumu=name in ("Elements", "Connections"))


def sheets(model: LogicModel) -> list[Sheet]:
    """Every sheet of the workbook, in order: Kumu's two, the model's data, the reading tables."""
    nodes, indicators = [], []
    for n in model.nodes:
        data = _dump(n)
        for ind in data.pop("indicators", []):
            indicators.append({"node": n.id, **flatten(ind)})
        nodes.append(flatten(data))
    out = [_sheet("Elements", nodes),
           _sheet("Connections", [flatten(_dump(lk)) for lk in model.links])]
    top = _dump(model)
    meta: list[list[Cell]] = [["logicmodel", model.logicmodel]]
    sections = {s for s, _, _ in SHEETS.values()}
    for key, value in flatten({k: v for k, v in top.items()
                               if k not in sections and k != "logicmodel"}).items():
        meta.append([key, value])
    out.append(Sheet(MODEL_SHEET, ["field", "value"], meta))
    out.append(_sheet("Indicators", indicators))
    for name in ("Assumptions", "Moderators", "Pathways", "References", "Authors", "Views"):
        section = SHEETS[name][0]
        out.append(_sheet(name, [flatten(_dump(el)) for el in getattr(model, section)]))
    for table in (logframe(model), assumptions_register(model)):
        rows: list[list[Cell]] = [list(r) for r in table.rows]
        out.append(Sheet(table.title.replace(" matrix", ""), list(table.header), rows,
                         derived=True))
    return out


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_text(sheet: Sheet) -> str:
    """One sheet as CSV: a header row, every field quoted, ``\\n`` line ends."""
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow(sheet.header)
    for row in sheet.rows:
        w.writerow([csv_cell(c) for c in row])
    return buf.getvalue()


def csv_sheet(model: LogicModel, name: str) -> str:
    """One sheet of the model (``Elements``, ``Connections``, ``Indicators``, ...) as CSV."""
    return csv_text(next(s for s in sheets(model) if s.name == name))


def write_csv_folder(model: LogicModel, folder: str) -> list[str]:
    """Write every sheet as FOLDER/NAME.csv (each file atomically); return the paths.

    Raises:
        OutputError: LM604/LM605 when a file cannot be written.
    """
    from ..files import write_atomic

    paths = []
    for sheet in sheets(model):
        path = os.path.join(folder, sheet.file_name)
        write_atomic(path, csv_text(sheet).encode("utf-8"))
        paths.append(path)
    return paths


WIDEST = 50        # characters: a longer column wraps its text
NARROWEST = 8
LINE_HEIGHT = 15.0  # points: one line of 11-point Calibri, the workbook's font
PRINT_FIT = 160    # characters across: about what a landscape page holds at 85% or more


def column_width(header: str, cells: Iterable[Cell]) -> float:
    """A column as wide as its longest line (header words included), within limits."""
    lines = header.split() + [
        line for c in cells if c is not None for line in str(c).splitlines()]
    longest = max((len(s) for s in lines), default=0)
    return float(min(WIDEST, max(NARROWEST, longest + 2)))


def wrapped_lines(cell: Cell, width: float) -> int:
    """About how many lines a cell's text takes in a column ``width`` characters wide.

    A column's width counts digits; the average letter of prose is narrower, so a
    line holds a little more than ``width`` characters.
    """
    if cell is None:
        return 1
    per_line = max(1, int((width - 1) * 1.1))
    return sum(max(1, -(-len(line) // per_line)) for line in str(cell).splitlines() or [""])


def _lay_out_sheet(ws: Any, sheet: Sheet, styles: Any) -> None:
    """What a reader opening the sheet needs: a header that stands out and stays in view
    (with filters), the first column kept in view, widths that fit, long text wrapped and
    cells aligned at the top, and a print of the whole width with the header on each page.
    """
    head_font = styles.Font(name="Calibri", size=11, bold=True)
    head_fill = styles.PatternFill("solid", fgColor="FFD9D9D9")
    head_line = styles.Border(bottom=styles.Side(style="thin", color="FF808080"))
    head_align = styles.Alignment(wrap_text=True, vertical="bottom")
    body_align = styles.Alignment(wrap_text=True, vertical="top")
    for cell in ws[1]:
        cell.font, cell.fill, cell.border, cell.alignment = (head_font, head_fill, head_line,
                                                             head_align)
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, str):
                cell.alignment = body_align
            else:
                cell.alignment = styles.Alignment(vertical="top")
    widths = [column_width(name, (r[i] for r in sheet.rows))
              for i, name in enumerate(sheet.header)]
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = width
    # Spreadsheets keep a row at one line unless told: make room for the wrapped lines.
    table: list[list[Cell]] = [list(sheet.header), *sheet.rows]
    for r, cells in enumerate(table, 1):
        lines = max((wrapped_lines(c, w) for c, w in zip(cells, widths, strict=True)),
                    default=1)
        if lines > 1:
            ws.row_dimensions[r].height = min(409.0, LINE_HEIGHT * lines)
    ws.freeze_panes = "B2" if len(sheet.header) > 1 else "A2"
    if sheet.rows:
        ws.auto_filter.ref = ws.dimensions
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    total = sum(ws.column_dimensions[ws.cell(1, i).column_letter].width
                for i in range(1, len(sheet.header) + 1))
    if total <= PRINT_FIT:  # narrow enough to read at one page's width
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:                   # wider: across pages, each with the header and the first column
        ws.print_title_cols = "A:A"


def to_xlsx(model: LogicModel) -> bytes:
    """The workbook as XLSX bytes (deterministic).

    Raises:
        MissingExtra: LM615 when openpyxl is not installed.
    """
    openpyxl = need("openpyxl", "Excel output")
    excel = need("openpyxl.writer.excel", "Excel output")
    styles = need("openpyxl.styles", "Excel output")
    import datetime as dt
    import zipfile

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    date = dt.datetime(2000, 1, 1)
    wb.properties.created = date
    wb.properties.modified = date
    wb.properties.creator = "logicmodel"
    wb.properties.title = " ".join(model.title.split())
    for sheet in sheets(model):
        ws = wb.create_sheet(sheet.title)
        ws.append(sheet.header)
        for row in sheet.rows:
            ws.append([None if c is None else c for c in row])
        for row_cells in ws.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, str) and cell.value.startswith(_FORMULA):
                    cell.data_type = "s"   # text, never a formula
                    cell.quotePrefix = True
        _lay_out_sheet(ws, sheet, styles)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        excel.ExcelWriter(wb, archive).save()
    return repack(buf.getvalue())


def records(sheet: Sheet) -> Iterable[dict[str, Cell]]:
    """The rows of a sheet as header -> cell mappings (for tests and tools)."""
    for row in sheet.rows:
        yield dict(zip(sheet.header, row, strict=True))
