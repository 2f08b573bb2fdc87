"""Exports: JSON round trip, GraphML read back by networkx, CSV, tables, escaping, writing."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest

from logicmodel.export import FORMATS, export, write_atomic
from logicmodel.export.escape import csv_cell, latex, markdown_cell
from logicmodel.files import OutputError
from logicmodel.loader import load, load_text
from logicmodel.schema import LogicModel
from tests.conftest import ROOT, CliResult

Cli = Callable[..., CliResult]
FLAGSHIP = ROOT / "models" / "devolved_budgets.yaml"

HOSTILE = """\
logicmodel: 1
title: "Hostile | text & 100% $ #1 {x} ~ ^ _ \\\\ <b>"
nodes:
  - id: a
    kind: activity
    label: "=HYPERLINK(\\"http://x\\") | pipe"
  - id: b
    kind: outcome
    horizon: short
    label: "+SUM(1,1) 50% & {braces} \\\\textbf{x}"
    indicators:
      - {id: i1, measure: "-2+3 | a*b* `code`", data_source: "@cmd", baseline: "=1+1"}
links:
  - {from: a, to: b, rationale: "\\ttab start", assumptions: [as1]}
assumptions:
  - {id: as1, label: "Costs < £5 & rates ~ 10%"}
"""


def _hostile() -> LogicModel:
    doc = load_text(HOSTILE)
    assert doc.model is not None, doc.diagnostics
    return doc.model


@pytest.mark.parametrize("path", [FLAGSHIP, None])
def test_json_round_trips_to_an_equal_model(path: Path | None) -> None:
    model = load(path) if path else _hostile()
    text = export(model, "json")
    again = LogicModel.model_validate(json.loads(text))
    assert again == model
    assert export(again, "json") == text


def test_json_is_canonical() -> None:
    text = export(load(FLAGSHIP), "json")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert "null" not in text


def test_graphml_reads_back_with_networkx(tmp_path: Path) -> None:
    model = load(FLAGSHIP)
    path = tmp_path / "m.graphml"
    path.write_text(export(model, "graphml"), encoding="utf-8")
    g = nx.read_graphml(path, force_multigraph=True)
    assert set(g.nodes) == {n.id for n in model.nodes}
    assert g.number_of_edges() == len(model.links)
    assert g.nodes["in_budget"]["label"] == "Devolved budget held by social workers"
    assert g.nodes["out_material"]["indicators"] == "ind_material_spend"
    edges = {d["id"]: d for _, _, d in g.edges(data=True)}
    assert edges["L25"]["feedback"] is True
    assert edges["L29"]["assumptions"] == "as_targeting"
    assert edges["L09"]["evidence"] == "ungraded"  # evidence, but no source grades it


def test_graphml_escapes_markup() -> None:
    g = nx.parse_graphml(export(_hostile(), "graphml"))
    assert g.nodes["a"]["label"] == '=HYPERLINK("http://x") | pipe'


def test_csv_tables_neutralise_formulas() -> None:
    model = _hostile()
    for fmt in ("csv-nodes", "csv-links", "csv-indicators"):
        rows = list(csv.reader(io.StringIO(export(model, fmt))))
        for row in rows[1:]:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (fmt, cell)
    nodes = list(csv.DictReader(io.StringIO(export(model, "csv-nodes"))))
    assert nodes[0]["Label"] == "'=HYPERLINK(\"http://x\") | pipe"
    indicators = list(csv.DictReader(io.StringIO(export(model, "csv-indicators"))))
    assert indicators[0]["baseline"] == "'=1+1"
    assert indicators[0]["data_source"] == "'@cmd"


def test_csv_flagship_golden(golden: Callable[[str, str], None]) -> None:
    golden("export/flagship_indicators.csv", export(load(FLAGSHIP), "csv-indicators"))


def test_escapers() -> None:
    assert latex("50% & $x_1$ #2 {a} ~ ^ \\") == (
        r"50\% \& \$x\_\allowbreak{}1\$ \#2 \{a\} \textasciitilde{} \textasciicircum{} "
        r"\textbackslash{}")
    assert markdown_cell("a | b\nc `d` <e>") == "a \\| b c \\`d\\` &lt;e&gt;"
    assert csv_cell("=1") == "'=1"
    assert csv_cell("plain") == "plain"
    assert csv_cell(None) == ""


def test_markdown_tables_keep_one_cell_per_column() -> None:
    model = _hostile()
    for fmt in ("logframe", "indicator-plan", "assumptions", "cmo"):
        lines = export(model, fmt).splitlines()
        columns = lines[0].count(" | ") + 1
        for line in lines[2:]:
            unescaped = line.replace("\\|", "")
            assert unescaped.count(" | ") + 1 == columns, (fmt, line)


def test_latex_tables_escape_specials() -> None:
    model = _hostile()
    for fmt in ("logframe", "indicator-plan", "assumptions", "cmo"):
        text = export(model, fmt, "latex")
        assert "\\toprule" in text
        assert "\\bottomrule" in text
        assert "\\begin{longtable}" in text
        body = text.split("\\endfoot\n", 1)[1].split("\\end{longtable}", 1)[0]
        for row in body.splitlines():
            assert row.endswith(" \\\\")
            cells = row[:-3].replace("\\&", "").split(" & ")
            assert len(cells) == text.split("\\midrule", 1)[0].count(" & ") + 1
            stripped = (row.replace("\\&", "").replace("\\%", "").replace("\\$", "")
                        .replace("\\#", "").replace("\\_", "").replace("\\{", "")
                        .replace("\\}", ""))
            for bad in ("%", "$", "#", "_", "~", "^"):
                assert bad not in stripped, (fmt, row)
    assert "Costs \\textless{} £5 \\& rates \\textasciitilde{} 10\\%" in export(
        model, "assumptions", "latex")


@pytest.mark.parametrize("fmt", ["logframe", "indicator-plan", "assumptions", "cmo"])
def test_flagship_tables_golden(fmt: str, golden: Callable[[str, str], None]) -> None:
    model = load(FLAGSHIP)
    golden(f"export/flagship_{fmt}.md", export(model, fmt))
    golden(f"export/flagship_{fmt}.tex", export(model, fmt, "latex"))


def test_logframe_rows_follow_levels() -> None:
    rows = export(load(FLAGSHIP), "logframe").splitlines()[2:]
    levels = [r.split(" | ")[0].lstrip("| ") for r in rows]
    assert levels[0] == "Impact"
    assert levels[-1] == "Inputs"  # format 2: the framework's stage headings
    assert levels.index("Outputs") < levels.index("Activities")
    safe_at_home = next(r for r in rows if "Children live safely at home" in r)
    assert "Budgets reach families near the care threshold" in safe_at_home  # L29's


def test_cmo_rows_are_pathways() -> None:
    rows = export(load(FLAGSHIP), "cmo").splitlines()[2:]
    assert len(rows) == 2
    assert "barrier: Spending often where care was not imminent" in rows[0]
    assert "Families and young people trust the worker" in rows[1]


def test_every_format_is_deterministic() -> None:
    model = load(FLAGSHIP)
    for fmt in FORMATS:
        assert export(model, fmt) == export(load(FLAGSHIP), fmt)


def test_cli_writes_atomically(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "m.json"
    r = cli("export", str(FLAGSHIP), "--to", "json", "-o", str(out), cwd=tmp_path)
    assert (r.code, r.out, r.err) == (0, "", "")
    assert LogicModel.model_validate(json.loads(out.read_text())) == load(FLAGSHIP)
    assert sorted(os.listdir(tmp_path)) == ["m.json"]
    bad = cli("export", str(FLAGSHIP), "--to", "json", "-o", str(tmp_path / "m.json" / "x.json"),
              cwd=tmp_path)  # a folder that cannot be made: m.json is a file
    assert bad.code == 3
    assert bad.err.startswith("logicmodel: LM604 cannot write ")
    assert sorted(os.listdir(tmp_path)) == ["m.json"]


def test_cli_export_uses_the_one_writer(cli: Cli, tmp_path: Path) -> None:
    """Like figures: no writing through a planted link, and the mode a new file gets."""
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep")
    link = tmp_path / "m.json"
    link.symlink_to(target)
    r = cli("export", str(FLAGSHIP), "--to", "json", "-o", str(link), cwd=tmp_path)
    assert r.code == 3
    assert r.err.startswith(f"logicmodel: LM605 {link} is a symbolic link")
    assert target.read_text() == "keep"
    assert link.is_symlink()
    old = os.umask(0o022)
    try:
        r = cli("export", str(FLAGSHIP), "--to", "csv-nodes", "-o", "nodes.csv", cwd=tmp_path)
    finally:
        os.umask(old)
    assert r.code == 0, r.err
    assert (tmp_path / "nodes.csv").stat().st_mode & 0o777 == 0o644


def test_write_atomic_leaves_nothing_on_failure(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "t.txt"
    target.write_text("old")

    def boom(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OutputError, match="No space") as caught:
        write_atomic(str(target), "new")
    assert caught.value.code == "LM604"
    assert target.read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["t.txt"]


def test_cli_invalid_model(cli: Cli) -> None:
    broken = "tests/negative/graph/devolved_budgets_typos.yaml"
    r = cli("export", broken, "--to", "json")
    assert r.code == 1
    assert r.out == ""
    assert r.err.startswith(f"{broken}:")
    assert r.err.endswith(f"logicmodel: {broken} has errors; nothing was exported\n")
    assert cli("export", str(FLAGSHIP), "--to", "pdf").code == 2


def test_outputs_do_not_depend_on_hash_seeds(tmp_path: Path) -> None:
    import subprocess
    import sys

    outputs = set()
    for seed in ("1", "2", "3"):
        proc = subprocess.run(
            [sys.executable, "-m", "logicmodel", "export", str(FLAGSHIP), "--to", "graphml"],
            env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, timeout=60,
            check=True, cwd=tmp_path)
        outputs.add(proc.stdout)
        for command in (["analyze", str(FLAGSHIP), "--format", "json"],
                        ["paths", str(FLAGSHIP), "--format", "json"]):
            proc = subprocess.run([sys.executable, "-m", "logicmodel", *command],
                                  env={**os.environ, "PYTHONHASHSEED": seed},
                                  capture_output=True, timeout=60, check=True, cwd=tmp_path)
            outputs.add(proc.stdout)
    assert len(outputs) == 3  # graphml, analyze, paths: each the same under every seed
