"""Spreadsheets out and in: XLSX and CSV in Kumu's layout, DAGitty code, and their round trips.

Every model in models/ and docs/examples/ goes out as XLSX, as CSV and as DAGitty and
comes back: the sheets give an equal model (and `diff` reports nothing), DAGitty gives
the same DAGitty text. Hostile text stays inert in the workbook; malformed and hostile
spreadsheets give located problems and nothing is written.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from logicmodel.checking import check
from logicmodel.diff import diff_models
from logicmodel.export import export, export_bytes
from logicmodel.export.sheets import sheets, write_csv_folder
from logicmodel.importing import import_model
from logicmodel.loader import load, load_file, load_text
from logicmodel.schema import LogicModel
from tests.conftest import ROOT, CliResult

Cli = Callable[..., CliResult]
FLAGSHIP = ROOT / "models" / "devolved_budgets.yaml"
ALL = sorted([*(ROOT / "models").glob("*.yaml"), *(ROOT / "docs" / "examples").glob("*.yaml"),
              ROOT / "tests" / "data" / "import" / "format2.yaml"])


def _loadable(path: Path) -> LogicModel:
    doc = load_file(path)
    if doc.model is None:
        pytest.skip(f"{path.name} does not load with this version of the format")
    if any(d.severity.value == "error" for d in check(path)):
        pytest.skip(f"{path.name} is a deliberately broken example")
    return doc.model


def _same(a: LogicModel, b: LogicModel) -> None:
    """Equal models, the format version aside (import writes the current one)."""
    da = a.model_dump(exclude={"logicmodel"})
    db = b.model_dump(exclude={"logicmodel"})
    assert da == db
    assert not diff_models(a, b, "exported", "imported")


def _beside(model: LogicModel, path: Path, tmp_path: Path) -> None:
    """A short version reads back beside a copy of its full version."""
    if model.summarises is not None:
        shutil.copy(path.parent / model.summarises.model, tmp_path)


def _import(paths: list[Path], tmp_path: Path) -> LogicModel:
    out = tmp_path / "back.yaml"
    result = import_model([str(p) for p in paths], str(out))
    assert result.text is not None, [f"{d.location()}: {d.code} {d.message}"
                                     for d in result.diagnostics]
    out.write_text(result.text, encoding="utf-8")
    return load(out)


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_xlsx_round_trip(path: Path, tmp_path: Path) -> None:
    model = _loadable(path)
    xlsx = tmp_path / "m.xlsx"
    xlsx.write_bytes(export_bytes(model, "xlsx"))
    _beside(model, path, tmp_path)
    _same(model, _import([xlsx], tmp_path))


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_csv_round_trip(path: Path, tmp_path: Path) -> None:
    model = _loadable(path)
    folder = tmp_path / "sheets"
    write_csv_folder(model, str(folder))
    _beside(model, path, tmp_path)
    _same(model, _import([folder], tmp_path))


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_dagitty_round_trip(path: Path, tmp_path: Path) -> None:
    model = _loadable(path)
    code = export(model, "dagitty")
    src = tmp_path / "m.dagitty"
    src.write_text(code, encoding="utf-8")
    assert export(_import([src], tmp_path), "dagitty") == code


def test_cli_round_trip_and_diff(cli: Cli, tmp_path: Path) -> None:
    xlsx, back = tmp_path / "m.xlsx", tmp_path / "back.yaml"
    assert cli("export", str(FLAGSHIP), "--to", "xlsx", "-o", str(xlsx)).code == 0
    r = cli("import", str(xlsx), "-o", str(back))
    assert (r.code, r.out, r.err) == (0, "", "")
    assert back.read_text(encoding="utf-8").startswith("# Imported from m.xlsx by")
    d = cli("diff", str(FLAGSHIP), str(back))
    assert d.code == 0
    assert "No semantic differences." in d.out


def test_workbook_has_kumu_sheets_first() -> None:
    data = export_bytes(load(FLAGSHIP), "xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[:2] == ["Elements", "Connections"]
    assert all(n.endswith(" (ignore)") for n in wb.sheetnames[2:])
    assert "Logframe (ignore)" in wb.sheetnames
    assert "Assumptions register (ignore)" in wb.sheetnames
    el = wb["Elements"]
    assert [c.value for c in el[1]][:4] == ["ID", "Label", "Type", "Description"]
    con = wb["Connections"]
    assert [c.value for c in con[1]][:4] == ["From", "To", "ID", "Type"]
    assert con["A2"].value == "ctx_hardship"


def test_workbook_is_byte_identical_across_processes(tmp_path: Path) -> None:
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"m{seed}.xlsx"
        subprocess.run([sys.executable, "-m", "logicmodel", "export", str(FLAGSHIP), "--to",
                        "xlsx", "-o", str(out)], check=True, cwd=ROOT,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


HOSTILE = """\
logicmodel: 1
title: "=HYPERLINK(\\"http://evil\\",\\"x\\")"
nodes:
  - {id: a, kind: activity, label: "=cmd|' /C calc'!A0", description: "+1+1"}
  - id: b
    kind: outcome
    horizon: short
    label: "@SUM(A1:A9)"
    indicators:
      - {id: i1, measure: "-2+3", baseline: "=1+1", target: "12", data_source: "'quoted"}
links:
  - {from: a, to: b, rationale: "\\tstarts with a tab"}
"""


def _hostile() -> LogicModel:
    doc = load_text(HOSTILE)
    assert doc.model is not None, doc.diagnostics
    return doc.model


def test_workbook_holds_formula_text_as_text(tmp_path: Path) -> None:
    data = export_bytes(_hostile(), "xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets_xml = "".join(z.read(n).decode() for n in z.namelist()
                             if n.startswith("xl/worksheets/"))
    assert "<f>" not in sheets_xml  # no cell is a formula
    wb = openpyxl.load_workbook(io.BytesIO(data))
    label = wb["Elements"]["B2"]
    assert label.value == "=cmd|' /C calc'!A0"
    assert label.data_type == "s"
    assert label.quotePrefix
    xlsx = tmp_path / "h.xlsx"
    xlsx.write_bytes(data)
    _same(_hostile(), _import([xlsx], tmp_path))  # text, numbers-as-text and all


def test_csv_neutralises_formulas_and_round_trips(tmp_path: Path) -> None:
    folder = tmp_path / "h"
    write_csv_folder(_hostile(), str(folder))
    for f in folder.glob("*.csv"):
        for row in list(csv.reader(io.StringIO(f.read_text(encoding="utf-8"))))[1:]:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (f.name, cell)
    rows = list(csv.DictReader(io.StringIO((folder / "indicators.csv").read_text("utf-8"))))
    assert rows[0]["target"] == "'12"  # text that would read as a number
    assert rows[0]["data_source"] == "''quoted"
    _same(_hostile(), _import([folder], tmp_path))


def _xlsx(tmp_path: Path, sheets_rows: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets_rows.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    path = tmp_path / "draft.xlsx"
    wb.save(path)
    return path


def test_kumu_style_workbook_is_imported_with_its_guesses_noted(tmp_path: Path,
                                                                 cli: Cli) -> None:
    path = _xlsx(tmp_path, {
        "Elements": [["Label", "Type", "Description", "Tags"],
                     ["Train teachers", "Activity", "Two-day course", "core|pilot"],
                     ["Teachers use the method", "Short-term outcome", None, None],
                     ["Pupils read better", "Impact", None, None]],
        "Connections": [["From", "To", "Type"],
                        ["Train teachers", "Teachers use the method", "Personal"],
                        ["Teachers use the method", "Pupils read better", None]],
        "Notes": [["anything"], ["else"]],
    })
    out = tmp_path / "draft.yaml"
    r = cli("import", str(path), "-o", str(out))
    assert r.code == 0, r.out + r.err
    text = out.read_text(encoding="utf-8")
    assert "# no title: 'Draft', from the file name" in text
    assert "# id train_teachers made from the label" in text
    assert "# kind outcome guessed from Type 'Short-term outcome'" in text
    assert "# from 'Train teachers' matched by label to train_teachers" in text
    assert "# Type 'Personal' is not a link type; left out" in text
    assert ("# column 'tags' of the Elements sheet holds free tags, not tags of a declared "
            "vocabulary; left out") in text
    assert "# sheet 'Notes' is not one logicmodel reads; left out" in text
    model = load(out)
    assert [n.kind for n in model.nodes] == ["activity", "outcome", "impact"]
    assert model.nodes[1].horizon.value == "short"
    assert [(lk.source, lk.target) for lk in model.links] == [
        ("train_teachers", "teachers_use_the_method"),
        ("teachers_use_the_method", "pupils_read_better")]


@pytest.mark.parametrize(("rows", "expected"), [
    ({"Elements": [["ID", "Label", "Type"], ["a", "A", "goal"]]},
     "draft.xlsx:Elements:2:3: LM052 Type 'goal' is not a kind of node (cell C2)"),
    ({"Elements": [["ID", "Label", "Type"], ["a", "A", "activity"], ["b", "B", "impact"]],
      "Connections": [["From", "To"], ["a", "nowhere"]]},
     "draft.xlsx:Connections:2:2: LM102 "),
    ({"Elements": [["ID", "Label", "Type"], ["a", "A", "activity"], ["a", "B", "impact"]]},
     "draft.xlsx:Elements:3:1: LM101 "),
    ({"Elements": [["ID", "Label", "Type", "horizon"], ["a", "A", "outcome", "soon"]]},
     "draft.xlsx:Elements:2:4: LM024 "),
    ({"Sheet1": [["Label"], ["x"]]},
     "draft.xlsx:Sheet1:1:1: LM051 no Elements sheet"),
    ({"Elements": [["ID", "Label", "Type"]]},
     "draft.xlsx:Elements:1:1: LM051 the Elements sheet has no nodes (cell A1)"),
    ({"Elements": [["ID", "Label", "Type"], ["a", "A", "activity"]],
      "Indicators (ignore)": [["node", "id", "measure"], ["zz", "i1", "m"]]},
     "draft.xlsx:Indicators (ignore):2:1: LM052 no node 'zz' for this indicator (cell A2)"),
    ({"Elements": [["ID", "Label", "Type", "ignore"], ["a", "A", "activity", "[oops"]]},
     "draft.xlsx:Elements:2:4: LM052 expected a list or mapping as JSON"),
])
def test_bad_workbooks_get_located_problems_and_nothing_is_written(
        rows: dict[str, list[list[object]]], expected: str, tmp_path: Path, cli: Cli) -> None:
    path = _xlsx(tmp_path, rows)
    out = tmp_path / "out.yaml"
    r = cli("import", str(path), "-o", str(out), cwd=tmp_path)
    assert r.code == 1
    assert expected in r.out, r.out
    assert "nothing was imported" in r.err
    assert not out.exists()


def test_a_formula_cell_is_refused_not_evaluated(tmp_path: Path, cli: Cli) -> None:
    path = _xlsx(tmp_path, {"Elements": [["ID", "Label", "Type"],
                                         ["a", '=HYPERLINK("http://x","y")', "activity"]]})
    r = cli("import", str(path), cwd=tmp_path)
    assert r.code == 1
    assert "draft.xlsx:Elements:2:2: LM052 the cell holds a formula; logicmodel reads " \
        "values only (cell B2)" in r.out


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("x.xlsx", b"not a zip at all", "x.xlsx:1:1: LM050 not an Excel workbook"),
    ("x.xlsx", b"PK\x03\x04broken", "x.xlsx:1:1: LM050 "),
    ("elements.csv", b"ID,Label,Type\na,\xff\xfe,activity\n", "elements.csv:2:1: LM050 the "
     "file is not UTF-8 text"),
    ("elements.csv", b'ID,Label,Type\na,"unclosed,activity\n', "elements.csv:"),
    ("m.dagitty", b"dag { a <-> b }", "m.dagitty:1:9: LM053 `a <-> b`: a logic model has "
     "only directed links"),
    ("m.dagitty", b"graph [ a -> b ]", "m.dagitty:1:7: LM053 expected `dag {`"),
    ("m.dagitty", b"dag { a -> }", "LM053 `->` with nothing after it"),
])
def test_malformed_files_are_refused(name: str, data: bytes, expected: str, tmp_path: Path,
                                     cli: Cli) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    r = cli("import", str(path), "-o", str(tmp_path / "out.yaml"), cwd=tmp_path)
    assert r.code == 1
    assert expected in r.out, r.out
    assert not (tmp_path / "out.yaml").exists()


def test_zip_bomb_is_refused_before_parsing(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (210 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    r = cli("import", str(path), cwd=tmp_path)
    assert r.code == 1
    assert "bomb.xlsx:1:1: LM050 the workbook unpacks to more than 200 MB" in r.out


def test_single_kumu_csv_files_are_told_apart_by_header(tmp_path: Path) -> None:
    (tmp_path / "nodes.csv").write_text("Label,Type\nTeach,activity\nLearn,impact\n",
                                        encoding="utf-8")
    (tmp_path / "edges.csv").write_text("From,To\nTeach,Learn\n", encoding="utf-8")
    model = _import([tmp_path / "nodes.csv", tmp_path / "edges.csv"], tmp_path)
    assert [(lk.source, lk.target) for lk in model.links] == [("teach", "learn")]


def test_dagitty_from_elsewhere(tmp_path: Path) -> None:
    src = tmp_path / "smoking.dagitty"
    src.write_text('dag {\n  Smoking [exposure, pos="0,0"]\n  "Lung cancer" [outcome]\n'
                   "  Tar [latent]\n  Smoking -> Tar -> \"Lung cancer\"\n  Genes -> Smoking\n"
                   "  Genes -> \"Lung cancer\"\n}\n", encoding="utf-8")
    result = import_model([str(src)])
    assert result.text is not None, result.diagnostics
    assert "# kind activity guessed: an exposure in DAGitty; label from the name" in result.text
    out = tmp_path / "m.yaml"
    out.write_text(result.text, encoding="utf-8")
    model = load(out)
    kinds = {n.id: n.kind for n in model.nodes}
    assert kinds == {"Smoking": "activity", "Lung_cancer": "impact", "Tar": "mechanism",
                     "Genes": "outcome"}
    assert [(lk.source, lk.target) for lk in model.links] == [
        ("Smoking", "Tar"), ("Tar", "Lung_cancer"), ("Genes", "Smoking"),
        ("Genes", "Lung_cancer")]


def test_sheets_cover_every_section() -> None:
    names = [s.name for s in sheets(load(FLAGSHIP))]
    assert names == ["Elements", "Connections", "Model", "Indicators", "Assumptions",
                     "Moderators", "Pathways", "References", "Authors", "Views", "Logframe",
                     "Assumptions register"]


@pytest.mark.parametrize(("args", "msg"), [
    (["--to", "xlsx"], "LM609 --to xlsx writes a file, not standard output"),
    (["--to", "csv"], "LM609 --to csv writes a folder, not standard output"),
    (["--to", "csv", "-o", "x.csv"], "LM609 --to csv writes a folder of CSV files, not x.csv"),
    (["--to", "xlsx", "-o", "x.csv"], "LM609 cannot write --to xlsx as x.csv"),
])
def test_spreadsheet_outputs_refuse_wrong_names(args: list[str], msg: str, cli: Cli,
                                                tmp_path: Path) -> None:
    r = cli("export", str(FLAGSHIP), *args, cwd=tmp_path)
    assert r.code == 2
    assert msg in r.err
    assert list(tmp_path.iterdir()) == []
