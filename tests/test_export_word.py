"""Word output: the report and the narrative open in python-docx and convert with LibreOffice.

The report must keep Word's built-in styles, embed the figure with the outline as its
alternative text, carry the four tables, stay inert for hostile text (no field codes,
no hyperlinks), be byte-identical run to run, and convert to PDF with LibreOffice
headless (what a reader's office suite would do with it).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from logicmodel.analysis.evalplan import HEADER, evaluation_rows
from logicmodel.export import export_bytes
from logicmodel.export.narrative import outline
from logicmodel.loader import load, load_text
from logicmodel.render import render
from tests.conftest import ROOT, CliResult

Cli = Callable[..., CliResult]
FLAGSHIP = ROOT / "models" / "devolved_budgets.yaml"

HOSTILE = """\
logicmodel: 1
title: '{ HYPERLINK "file:///etc/passwd" } <w:fldSimple w:instr="DATE"/>'
references:
  - {id: r1, citation: 'javascript:alert(1) { INCLUDETEXT "C:\\\\x" }', url: "https://e.org/x"}
nodes:
  - id: a
    kind: activity
    label: '=cmd|"/c calc"!A1 & <b>bold</b>'
    description: '{ DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc" }'
  - id: b
    kind: outcome
    horizon: short
    label: "file:///etc/passwd ]]> &amp;"
    provenance: {refs: [r1]}
    indicators:
      - {id: i1, measure: "+SUM(1,1)", data_source: "@cmd"}
links:
  - {from: a, to: b, assumptions: [as1], evidence: {grade: limited, refs: [r1]}}
assumptions:
  - {id: as1, label: "javascript:alert(document.cookie)", risk: high}
pathways:
  - {id: p1, label: "<script>alert(1)</script>", nodes: [a, b]}
"""


def _hostile():  # type: ignore[no-untyped-def]
    doc = load_text(HOSTILE)
    assert doc.model is not None, doc.diagnostics
    return doc.model


def _xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist()
                       if n.endswith((".xml", ".rels")))


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: .ci/run installs libreoffice-writer")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer)")
    return found


def _to_pdf(path: Path) -> Path:
    soffice = _soffice()
    profile = path.parent / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(path.parent), str(path)],
                   check=True, capture_output=True, timeout=180)
    pdf = path.with_suffix(".pdf")
    assert pdf.exists()
    assert pdf.read_bytes().startswith(b"%PDF")
    return pdf


def test_report_has_styles_figure_and_tables() -> None:
    model = load(FLAGSHIP)
    png = render(model, "png").data
    data = export_bytes(model, "docx", figure=png)
    d = docx.Document(io.BytesIO(data))
    styles = [p.style.name for p in d.paragraphs]
    assert styles[0] == "Title"
    assert d.paragraphs[0].text == model.title
    assert {"Heading 1", "Heading 2", "Caption", "List Bullet"} <= set(styles)
    headings = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Theory of change", "Logframe matrix", "Indicator plan",
                        "Assumptions register", "Context-mechanism-outcome configurations",
                        "Evaluation plan", "Where to look first"]
    captions = [p.text for p in d.paragraphs if p.style.name == "Caption"]
    assert captions[0] == f"Figure 1. {model.title}."
    assert captions[1:] == ["Table 1. Logframe matrix", "Table 2. Indicator plan",
                            "Table 3. Assumptions register",
                            "Table 4. Context-mechanism-outcome configurations",
                            "Table 5. Evaluation plan", "Table 6. Where to look first"]
    assert len(d.inline_shapes) == 1
    doc_pr = d.inline_shapes[0]._inline.docPr
    assert doc_pr.get("descr") == outline(model)
    assert [t.style.name for t in d.tables] == ["Table Grid"] * 6
    plan = d.tables[4]
    assert [c.text for c in plan.rows[0].cells] == list(HEADER)
    assert len(plan.rows) == 1 + len(evaluation_rows(model))
    look = d.tables[5]
    assert [c.text for c in look.rows[1].cells][:3] == [
        "1", "contested link",
        "Children live safely at home → Reduced need for children to enter care (L29)"]
    assert look.rows[1].cells[3].text.startswith("1 item of evidence mixed: Key finding 8")
    assert [c.text for c in look.rows[2].cells] == [
        "2", "high-risk assumption (inferred)", "Budgets reach families near the care threshold",
        "risk: high; Budgets reach families near the care threshold", "22 (100%)"]
    assert look.rows[3].cells[2].text.endswith("(L26)")
    assert look.rows[3].cells[4].text == "22 (100%)"
    logframe = d.tables[0]
    assert [c.text for c in logframe.rows[0].cells] == [
        "Level", "Narrative summary", "Indicators", "Means of verification", "Assumptions"]
    assert logframe.rows[1].cells[1].text == "Reduced need for children to enter care"
    indicators = sum(len(getattr(n, "indicators", ())) for n in model.nodes)
    assert indicators == 10
    assert len(d.tables[1].rows) == 1 + indicators  # header and one row per indicator
    pathway_headings = [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    assert pathway_headings[:2] == ["Pathway 1: Resources dedicated to the family's needs",
                                    "Pathway 2: Improved worker-family relationship"]
    assert d.core_properties.title == model.title
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.read("word/media/image1.png") == png
    xml = _xml(data)
    assert xml.count("<w:tblHeader") == 6  # each table's header repeats on every page
    assert xml.count("<w:cantSplit") == sum(len(t.rows) - 1 for t in d.tables)


def test_report_is_byte_identical_across_processes(tmp_path: Path) -> None:
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"r{seed}.docx"
        subprocess.run([sys.executable, "-m", "logicmodel", "export", str(FLAGSHIP),
                        "--to", "docx", "-o", str(out)], check=True, cwd=ROOT,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    with zipfile.ZipFile(io.BytesIO(outs[0])) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.parametrize("which", ["report", "narrative"])
def test_hostile_text_stays_inert(which: str) -> None:
    model = _hostile()
    data = (export_bytes(model, "docx") if which == "report"
            else export_bytes(model, "narrative", "docx"))
    xml = _xml(data)
    for active in ("<w:fldSimple", "<w:instrText", "<w:fldChar", "<w:hyperlink",
                   "TargetMode=\"External\"", "<script"):
        assert active not in xml, active
    d = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in d.paragraphs)
    text += "\n".join(c.text for t in d.tables for r in t.rows for c in r.cells)
    assert '{ HYPERLINK "file:///etc/passwd" } <w:fldSimple w:instr="DATE"/>' in text
    assert "<script>alert(1)</script>" in text
    if which == "report":
        assert '=cmd|"/c calc"!A1 & <b>bold</b>' in text


def test_narrative_docx_uses_headings_for_pathways() -> None:
    d = docx.Document(io.BytesIO(export_bytes(load(FLAGSHIP), "narrative", "docx")))
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert h1[:2] == ["Pathway 1: Resources dedicated to the family's needs",
                      "Pathway 2: Improved worker-family relationship"]
    assert "Sources" in h1
    assert not d.inline_shapes


@pytest.mark.parametrize("args", [["--to", "docx"], ["--to", "narrative", "--style", "docx"]])
def test_word_converts_with_libreoffice(args: list[str], cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "model.docx"
    r = cli("export", str(FLAGSHIP), *args, "-o", str(out))
    assert r.code == 0, r.err
    pdf = _to_pdf(out)
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], check=True,
                              capture_output=True, text=True).stdout
        assert "Devolved budgets in children" in text
        assert "Improved worker-family relationship" in text
        if args[1] == "docx":
            assert "Logframe matrix" in text
            assert "Means of" in text


def test_hostile_report_converts_with_libreoffice(tmp_path: Path) -> None:
    out = tmp_path / "hostile.docx"
    out.write_bytes(export_bytes(_hostile(), "docx"))
    _to_pdf(out)


def test_models_all_export_to_word() -> None:
    for path in sorted((ROOT / "models").glob("*.yaml")):
        d = docx.Document(io.BytesIO(export_bytes(load(path), "docx")))
        assert d.paragraphs[0].text == load(path).title


@pytest.mark.parametrize(("args", "msg"), [
    (["--to", "logframe", "-o", "table.docx"],
     "LM609 cannot write --to logframe as table.docx: the suffix does not match the format"),
    (["--to", "docx", "-o", "report.md"],
     "LM609 cannot write --to docx as report.md"),
    (["--to", "docx"], "LM609 --to docx writes a file, not standard output"),
    (["--to", "narrative", "--style", "latex"], "LM609 --to narrative has no style latex"),
    (["--to", "logframe", "--style", "latex", "-o", "t.md"],
     "LM609 t.md is markdown by its suffix, not latex"),
    (["--to", "json", "-o", "model.yaml"], "LM609 cannot write --to json as model.yaml"),
])
def test_output_suffix_must_fit_the_format(args: list[str], msg: str, cli: Cli,
                                           tmp_path: Path) -> None:
    r = cli("export", str(FLAGSHIP), *args, cwd=tmp_path)
    assert r.code == 2
    assert msg in r.err
    assert list(tmp_path.iterdir()) == []


def test_suffix_chooses_the_style(cli: Cli, tmp_path: Path) -> None:
    assert cli("export", str(FLAGSHIP), "--to", "logframe", "-o", str(tmp_path / "t.tex")
               ).code == 0
    assert (tmp_path / "t.tex").read_text(encoding="utf-8").startswith("% Logframe matrix")
    assert cli("export", str(FLAGSHIP), "--to", "narrative", "-o", str(tmp_path / "n.txt")
               ).code == 0
    text = (tmp_path / "n.txt").read_text(encoding="utf-8")
    assert text.startswith("Devolved budgets in children's social care\n=====")
    assert "**" not in text


def test_missing_extra_is_a_coded_message(cli: Cli, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "docx", None)  # import docx now raises ImportError
    r = cli("export", str(FLAGSHIP), "--to", "docx", "-o", str(tmp_path / "r.docx"))
    assert r.code == 3
    assert "LM615 Word output needs python-docx, which is not installed" in r.err
    assert "pip install 'logicmodel[office]'" in r.err
    assert list(tmp_path.iterdir()) == []
