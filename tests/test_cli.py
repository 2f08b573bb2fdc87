"""The command line: exit codes, output, colour, and one real subprocess run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from logicmodel import __version__
from tests.conftest import ROOT, CliResult

Cli = Callable[..., CliResult]
BROKEN = "tests/negative/graph/devolved_budgets_typos.yaml"


def test_clean_model_exits_0(cli: Cli) -> None:
    r = cli("check", "models/devolved_budgets.yaml")
    assert (r.code, r.out, r.err) == (0, "All checks passed (1 file checked).\n", "")


def test_problems_exit_1_and_are_located(cli: Cli) -> None:
    r = cli("check", BROKEN)
    assert r.code == 1
    first = r.out.splitlines()[0]
    assert first.startswith(f"{BROKEN}:11:10: LM301 warning: ")
    # not LM203/LM401 for `out_relational`: they only follow from the link to `out_relationl`
    assert "`out_relational` has no links" not in r.out
    assert r.out.rstrip().endswith("Found 10 problems (4 errors, 6 warnings) in 1 file.")


def test_warnings_fail_only_with_strict(cli: Cli, tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text("logicmodel: 1\ntitle: T\nnodes:\n  - {id: a, kind: activity, label: A}\n")
    assert cli("check", str(model), cwd=tmp_path).code == 0  # LM206 is a warning
    assert cli("check", "--strict", str(model), cwd=tmp_path).code == 1


def test_select_and_ignore(cli: Cli) -> None:
    r = cli("check", "--select", "LM102", BROKEN)
    assert {line.split()[1] for line in r.out.splitlines() if ": LM" in line} == {"LM102"}
    r = cli("check", "--ignore", "LM1,LM2,LM3,LM4", BROKEN)
    assert r.code == 0
    assert r.out.startswith("All checks passed")


def test_unknown_rule_code_is_a_usage_error(cli: Cli) -> None:
    r = cli("check", "--select", "LM999", BROKEN)
    assert r.code == 2
    assert "LM999" in r.err


def test_json_format_is_pure_json_on_stdout(cli: Cli) -> None:
    r = cli("check", "--format", "json", BROKEN)
    data = json.loads(r.out)
    assert r.code == 1
    assert len(data) == 10
    assert set(data[0]) >= {"code", "name", "severity", "message", "hint", "file", "line",
                            "column", "end_line", "end_column", "path"}
    assert "Found 10 problems" in r.err


def test_folders_are_searched_and_all_files_reported(cli: Cli) -> None:
    r = cli("check", "tests/negative/yaml", "models")
    assert r.code == 1
    for name in ("alias_bomb", "latin1", "python_tag", "tab_and_duplicate"):
        assert f"tests/negative/yaml/{name}.yaml:" in r.out
    assert "in 8 files" in r.out


def test_missing_path_is_reported_as_a_problem(cli: Cli) -> None:
    r = cli("check", "models/nope.yaml")
    assert r.code == 1
    assert r.out.startswith("models/nope.yaml:1:1: LM001 error: cannot read the file")


def test_usage_errors_exit_2(cli: Cli) -> None:
    assert cli().code == 2
    assert cli("check").code == 2
    assert cli("frobnicate").code == 2


def test_version(cli: Cli) -> None:
    r = cli("--version")
    assert r.code == 0
    assert r.out.startswith(f"logicmodel {__version__} (Python ")


def test_rules_list_and_page(cli: Cli) -> None:
    r = cli("rules")
    assert r.code == 0
    assert "LM401  broken-pathway" in r.out
    page = cli("rules", "LM401")
    assert page.out.startswith("# broken-pathway (LM401)\n")
    assert "## Why is this bad?" in page.out
    assert cli("rules", "dead-end").out.startswith("# dead-end (LM204)")
    bad = cli("rules", "LM40")
    assert bad.code == 2
    assert "did you mean" in bad.err


def test_schema_command_prints_json_schema(cli: Cli) -> None:
    r = cli("schema")
    schema = json.loads(r.out)
    assert r.code == 0
    assert schema["title"] == "logicmodel"
    assert "nodes" in schema["$defs"]["Model"]["properties"]
    assert "extends" in schema["$defs"]["Overlay"]["properties"]


def test_colour_only_when_asked_or_on_a_terminal(cli: Cli) -> None:
    assert "\x1b[" not in cli("check", BROKEN).out  # NO_COLOR is set by the fixture
    assert "\x1b[1;31m" in cli("check", "--color", "always", BROKEN).out


def test_user_text_cannot_reach_the_terminal_raw(cli: Cli, tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text('logicmodel: 1\ntitle: T\nnodes:\n  - {id: a, kind: activity, label: A}\n'
                     'links:\n  - {from: a, to: "x"}\n'
                     'pathways:\n  - {id: p, label: P, nodes: [a, "\\e]8;;evil\\a"]}\n')
    r = cli("check", str(model), cwd=tmp_path)
    assert "\x1b" not in r.out
    assert "\x07" not in r.out


def test_stdin(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("logicmodel: 1\ntitle: T\nnodes: []\n"))
    r = cli("check", "-")
    assert r.code == 1
    assert r.out.startswith("<stdin>:3:8: LM020")


def test_real_subprocess_and_python_m() -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    for cmd in ([sys.executable, "-m", "logicmodel"], [str(Path(sys.executable).parent /
                                                          "logicmodel")]):
        proc = subprocess.run([*cmd, "check", "--strict", "models/"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert proc.stdout.startswith("All checks passed")


def test_check_does_not_import_rendering_or_networkx() -> None:
    code = ("import sys; from logicmodel.cli import main; "
            "main(['check', 'models/devolved_budgets.yaml']); "
            "heavy = [m for m in ('networkx', 'graphviz', 'logicmodel.render', "
            "'logicmodel.analysis', 'logicmodel.export') if m in sys.modules]; "
            "print(heavy)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout + proc.stderr


def test_broken_pipe_is_quiet(tmp_path: Path) -> None:
    proc = subprocess.run(
        f"{sys.executable} -m logicmodel rules | head -1", shell=True, cwd=ROOT,
        capture_output=True, text=True, timeout=60)
    assert proc.stdout.startswith("LM001")
    assert "Traceback" not in proc.stderr


def test_a_flood_of_problems_is_capped_without_changing_the_exit_code(
        cli: Cli, tmp_path: Path) -> None:
    lines = ["logicmodel: 1", "title: Flood", "nodes:", "  - {id: a, kind: activity, label: A}",
             "links:", *[f"  - {{from: a, to: ghost{i}}}" for i in range(1200)]]
    model = tmp_path / "flood.yaml"
    model.write_text("\n".join(lines) + "\n")
    r = cli("check", "--select", "LM102", str(model), cwd=tmp_path)
    shown = r.out.splitlines()
    assert r.code == 1
    assert sum(": LM102 " in line for line in shown) == 500
    assert shown[-3] == ("flood.yaml:506:19: LM090 error: 700 more problems in this file are "
                         "not shown (the first 500 are above)")
