"""The workbook as a reader opening it in a spreadsheet finds it.

The header stands out and stays in view, widths fit, long text wraps onto rows
tall enough for it, and LibreOffice (Calc, headless) prints every sheet with all of
its text.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import logicmodel
from logicmodel.export.sheets import WIDEST, column_width, to_xlsx, wrapped_lines
from tests.conftest import MODELS

openpyxl = pytest.importorskip("openpyxl")

FLAGSHIP = MODELS / "devolved_budgets.yaml"
SHEETS = ["Elements", "Connections", "Model (ignore)", "Indicators (ignore)",
          "Assumptions (ignore)", "Moderators (ignore)", "Pathways (ignore)",
          "References (ignore)", "Authors (ignore)", "Views (ignore)", "Logframe (ignore)",
          "Assumptions register (ignore)"]


@pytest.fixture(scope="module")
def workbook() -> Any:
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(logicmodel.load(FLAGSHIP))))


def test_sheets_come_in_the_order_a_reader_and_kumu_expect(workbook: Any) -> None:
    assert workbook.sheetnames == SHEETS


def test_every_sheet_has_a_header_that_stands_out_and_stays(workbook: Any) -> None:
    for ws in workbook:
        head = ws[1]
        assert all(c.font.b for c in head), ws.title
        assert all(c.fill.fgColor.rgb == "FFD9D9D9" for c in head), ws.title
        assert ws.freeze_panes == ("B2" if ws.max_column > 1 else "A2"), ws.title
        assert ws.auto_filter.ref == ws.dimensions, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title


def test_long_text_wraps_in_rows_tall_enough(workbook: Any) -> None:
    ws = workbook["Elements"]
    header = [c.value for c in ws[1]]
    col = header.index("Description") + 1
    letter = ws.cell(1, col).column_letter
    assert ws.column_dimensions[letter].width == WIDEST
    longest = max(range(2, ws.max_row + 1), key=lambda r: len(ws.cell(r, col).value or ""))
    cell = ws.cell(longest, col)
    assert cell.alignment.wrap_text
    assert cell.alignment.vertical == "top"
    lines = wrapped_lines(cell.value, WIDEST)
    assert lines >= 3
    assert ws.row_dimensions[longest].height >= 15 * lines
    # a short column is as wide as its longest entry, not the widest allowed
    kind = ws.cell(1, header.index("Type") + 1).column_letter
    assert ws.column_dimensions[kind].width == column_width(
        "Type", [ws.cell(r, header.index("Type") + 1).value for r in range(2, ws.max_row + 1)])
    assert ws.column_dimensions[kind].width < 15


def test_a_wide_sheet_prints_across_pages_with_its_first_column(workbook: Any) -> None:
    wide = workbook["Elements"]
    assert wide.print_title_cols == "$A:$A"
    assert not wide.sheet_properties.pageSetUpPr.fitToPage
    narrow = workbook["Assumptions register (ignore)"]
    assert narrow.sheet_properties.pageSetUpPr.fitToPage
    assert narrow.page_setup.fitToWidth == 1
    assert narrow.page_setup.orientation == "landscape"


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: .ci/run installs libreoffice-calc")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc)")
    return found


def test_calc_prints_every_sheet_with_all_of_its_text(cli: Any, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "model.xlsx"
    result = cli("export", str(FLAGSHIP), "--to", "xlsx", "-o", str(out))
    assert result.code == 0, result.err
    proc = subprocess.run([_soffice(), f"-env:UserInstallation=file://{tmp_path / 'lo'}",
                           "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                           str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    pdf = tmp_path / "model.pdf"
    assert pdf.exists(), proc.stdout + proc.stderr  # no Calc: soffice writes nothing
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages)
    text = " ".join(text.split())
    model = logicmodel.load(FLAGSHIP)
    for n in model.nodes:
        assert " ".join(n.label.split()) in text
        if n.description:
            assert " ".join(n.description.split()) in text, n.id
    for a in model.assumptions:
        assert " ".join(a.label.split()) in text
