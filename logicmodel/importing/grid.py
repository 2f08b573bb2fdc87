"""Reading spreadsheets into grids of cells, bounded, with every cell's place.

An XLSX workbook is read with openpyxl (values only: a formula cell is refused,
never evaluated), a CSV file with the standard library. Both are bounded before
they are parsed: the file's size, the workbook's uncompressed size and member
count (a zip bomb stops here), and the rows and columns of each sheet.
Problems are located diagnostics (``file:sheet:row:col``), never exceptions.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostic, Severity, Span
from ..extras import need
from ..rules.registry import RULES, rule

__all__ = ["MAX_BYTES", "Cell", "Grid", "problem", "read_csv", "read_xlsx"]

Cell = str | int | float | bool | None

MAX_BYTES = 20 * 1024 * 1024          # a spreadsheet file
MAX_UNPACKED = 200 * 1024 * 1024      # an XLSX's members, uncompressed
MAX_MEMBERS = 10_000
MAX_ROWS = 100_000
MAX_COLUMNS = 500
MAX_CELL = 32_767                     # Excel's own limit on a cell's text


@dataclass
class Grid:
    """One sheet: where it came from and its rows (row 0 is the header)."""

    file: str                 # the file's display name
    sheet: str | None         # the sheet's name in a workbook; None for a CSV file
    name: str = ""            # which sheet it is: the sheet's name, or the CSV file's stem
    rows: list[list[Cell]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # file line of each row (CSV)
    typed: bool = False       # cells carry types (XLSX); CSV cells are all text

    @property
    def where(self) -> str:
        """The ``file`` part of a location: ``model.xlsx:Elements`` or ``elements.csv``."""
        return f"{self.file}:{self.sheet}" if self.sheet else self.file

    def line(self, row: int) -> int:
        return self.lines[row] if row < len(self.lines) else row + 1


def column_letter(col: int) -> str:
    """``A`` for column 0, ``AA`` for 26."""
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def problem(code: str, message: str, grid: Grid | None, row: int = 0, col: int = 0,
            hint: str | None = None, file: str = "") -> Diagnostic:
    """A located import problem at ``row``, ``col`` (0-based) of ``grid``."""
    r = RULES[code]
    if grid is None:
        return Diagnostic(code, r.name, r.severity, message, file, Span(1, 1, 1, 1), (), hint)
    line = grid.line(row)
    if grid.sheet is not None:
        message = f"{message} (cell {column_letter(col)}{row + 1})"
    return Diagnostic(code, r.name, r.severity, message, grid.where,
                      Span(line, col + 1, line, col + 2), (), hint)


def _cell(value: Any) -> Cell:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def read_xlsx(data: bytes, file: str) -> tuple[list[Grid], list[Diagnostic]]:
    """Every sheet of a workbook, or the problems that stopped reading it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED:
                return [], [problem("LM050", "the workbook unpacks to more than "
                                    f"{MAX_UNPACKED // 2**20} MB; refusing to read it",
                                    None, file=file)]
    except zipfile.BadZipFile:
        return [], [problem("LM050", "not an Excel workbook (.xlsx is a zip file; this is not)",
                            None, file=file, hint="save it as .xlsx, or export it as CSV")]
    openpyxl = need("openpyxl", "Reading Excel workbooks")
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a malformed file
        return [], [problem("LM050", f"cannot read the workbook: {type(exc).__name__}",
                            None, file=file, hint="open it in a spreadsheet and save it again")]
    grids: list[Grid] = []
    diags: list[Diagnostic] = []
    try:
        for ws in wb.worksheets:
            grid = Grid(file, ws.title, ws.title, typed=True)
            for r, row in enumerate(ws.iter_rows()):
                if r >= MAX_ROWS:
                    diags.append(problem("LM050", f"the sheet has more than {MAX_ROWS} rows",
                                         grid, r))
                    break
                cells: list[Cell] = []
                for c, cell in enumerate(row):
                    if c >= MAX_COLUMNS:
                        diags.append(problem("LM050", f"the row has more than {MAX_COLUMNS} "
                                             "columns", grid, r, c))
                        break
                    if getattr(cell, "data_type", None) == "f":
                        diags.append(problem(
                            "LM052", "the cell holds a formula; logicmodel reads values only",
                            grid, r, c, "replace the formula with its value (Paste Special > "
                            "Values)"))
                        cells.append(None)
                        continue
                    cells.append(_cell(getattr(cell, "value", None)))
                while cells and cells[-1] in (None, ""):
                    cells.pop()
                grid.rows.append(cells)
            grids.append(grid)
    except Exception as exc:
        return [], [problem("LM050", f"cannot read the workbook: {type(exc).__name__}",
                            None, file=file, hint="open it in a spreadsheet and save it again")]
    finally:
        wb.close()
    return grids, diags


def read_csv(data: bytes, file: str, name: str) -> tuple[Grid | None, list[Diagnostic]]:
    """A CSV file as one grid named ``name`` (UTF-8, with or without a byte-order mark)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return None, [Diagnostic("LM050", RULES["LM050"].name, RULES["LM050"].severity,
                                 "the file is not UTF-8 text", file, Span(line, 1, line, 2),
                                 (), "save it as CSV UTF-8")]
    grid = Grid(file, None, name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for row in reader:
            if len(grid.rows) >= MAX_ROWS or len(row) > MAX_COLUMNS:
                return None, [problem("LM050", f"the file has more than {MAX_ROWS} rows or "
                                      f"{MAX_COLUMNS} columns", grid, len(grid.rows))]
            grid.lines.append(start)
            start = reader.line_num + 1
            cells: list[Cell] = list(row)
            while cells and cells[-1] == "":
                cells.pop()
            grid.rows.append(cells)
    except csv.Error as exc:
        return None, [Diagnostic("LM050", RULES["LM050"].name, RULES["LM050"].severity,
                                 f"malformed CSV: {exc}", file,
                                 Span(reader.line_num, 1, reader.line_num, 2))]
    return grid, []


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

E = Severity.ERROR


@rule("LM050", "unreadable-spreadsheet", E)
def unreadable_spreadsheet() -> None:
    """The file cannot be read as a workbook, a CSV file or DAGitty code.

    ## What it does
    Reported for a file that is not an `.xlsx` (a zip file), is damaged, is not
    UTF-8 text (CSV), is malformed CSV, or is larger than the limits: 20 MB on
    disk, 200 MB unpacked, 100,000 rows or 500 columns a sheet.

    ## Why is this bad?
    Nothing can be imported. Nothing is written.

    ## Example
    ```text
    budget.xlsx:1:1: LM050 not an Excel workbook (.xlsx is a zip file; this is not)
    ```
    """


@rule("LM052", "bad-cell", E)
def bad_cell() -> None:
    """A cell cannot be read for the field its column names.

    ## What it does
    Reported for a formula (logicmodel reads values only and never evaluates a
    formula), a number or true/false that is not one, JSON that does not parse,
    a *Type* that is no kind of node, an indicator for a node that does not
    exist, or a column that is not a field of that row's kind.

    ## Why is this bad?
    The model would not say what the sheet says. Nothing is written.

    ## Example
    ```text
    draft.xlsx:Elements:4:3: LM052 Type 'goal' is not a kind of node (cell C4)
    ```
    """
