"""Configuration: found by walking up from each file, per-path overrides, located LM7xx errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from logicmodel.config import Config, find_config, load_config
from logicmodel.diagnostics import Severity
from logicmodel.errors import ConfigError
from logicmodel.rules import RULES
from tests.conftest import ROOT, CliResult

Cli = Callable[..., CliResult]

# A model with three warnings and no errors: LM206 (no impact) at 3:1, LM204 (the outcome
# leads nowhere) and LM301 (it has no indicator) at 5:10.
WARNINGS = """\
logicmodel: 1
title: T
nodes:
  - {id: a, kind: activity, label: A}
  - {id: o, kind: outcome, horizon: short, label: O}
links:
  - {from: a, to: o}
"""


def _codes(r: CliResult) -> list[str]:
    return [line.split()[1] for line in r.out.splitlines() if ": LM" in line]


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_found_by_walking_up_from_the_checked_file(cli: Cli, tmp_path: Path) -> None:
    _write(tmp_path / "proj" / "logicmodel.toml", 'ignore = ["LM2"]\n')
    _write(tmp_path / "proj" / "models" / "m.yaml", WARNINGS)
    r = cli("check", "proj/models/m.yaml", cwd=tmp_path)  # no configuration in the cwd
    assert _codes(r) == ["LM301"]
    assert find_config(tmp_path / "proj" / "models" / "m.yaml") == \
        (tmp_path / "proj" / "logicmodel.toml").resolve()


def test_each_file_gets_its_own_configuration(cli: Cli, tmp_path: Path) -> None:
    _write(tmp_path / "a" / "logicmodel.toml", 'fail-on = "warning"\n')
    _write(tmp_path / "a" / "m.yaml", WARNINGS)
    _write(tmp_path / "b" / "pyproject.toml", '[tool.logicmodel]\nignore = ["LM3"]\n')
    _write(tmp_path / "b" / "m.yaml", WARNINGS)
    r = cli("check", "--format", "json", "a/m.yaml", "b/m.yaml", cwd=tmp_path)
    assert r.code == 1  # a/ fails on its warnings
    assert r.out.count('"file": "a/m.yaml"') == 3
    assert r.out.count('"file": "b/m.yaml"') == 2  # LM301 ignored under b/
    r = cli("check", "b/m.yaml", cwd=tmp_path)
    assert r.code == 0


def test_logicmodel_toml_wins_and_unrelated_pyproject_is_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.logicmodel]\nfail-on = "warning"\n')
    _write(tmp_path / "logicmodel.toml", 'fail-on = "error"\n')
    _write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config(tmp_path / "sub") == (tmp_path / "logicmodel.toml").resolve()
    assert load_config(start=tmp_path / "sub").fail_on == Severity.ERROR


def test_explicit_config_applies_to_every_file(cli: Cli, tmp_path: Path) -> None:
    _write(tmp_path / "a" / "logicmodel.toml", 'fail-on = "warning"\n')
    _write(tmp_path / "a" / "m.yaml", WARNINGS)
    _write(tmp_path / "lenient.toml", 'ignore = ["LM2", "LM3"]\n')
    r = cli("check", "--config", "lenient.toml", "a/m.yaml", cwd=tmp_path)
    assert (r.code, _codes(r)) == (0, [])


def test_overrides_make_published_models_stricter(cli: Cli, tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", """\
[tool.logicmodel]
fail-on = "error"

[[tool.logicmodel.overrides]]
paths = ["models/published/"]
fail-on = "warning"
require-provenance = true

[[tool.logicmodel.overrides]]
paths = ["models/*/legacy-*.yaml"]
ignore = ["LM3"]
""")
    _write(tmp_path / "models" / "drafts" / "m.yaml", WARNINGS)
    _write(tmp_path / "models" / "published" / "m.yaml", WARNINGS)
    _write(tmp_path / "models" / "published" / "legacy-m.yaml", WARNINGS)
    draft = cli("check", "models/drafts/", cwd=tmp_path)
    assert (draft.code, _codes(draft)) == (0, ["LM206", "LM204", "LM301"])
    published = cli("check", "models/published/m.yaml", cwd=tmp_path)
    assert published.code == 1
    assert set(_codes(published)) == {"LM206", "LM204", "LM301", "LM304"}
    # later overrides apply on top of earlier ones: the legacy file is published (so
    # provenance is required, and warnings fail) but LM3 rules are off for it
    legacy = cli("check", "models/published/legacy-m.yaml", cwd=tmp_path)
    assert (legacy.code, _codes(legacy)) == (1, ["LM206", "LM204"])


def test_severity_and_requirements(cli: Cli, tmp_path: Path) -> None:
    _write(tmp_path / "m.yaml", WARNINGS)
    _write(tmp_path / "logicmodel.toml",
           'require-indicators = false\n[severity]\nLM206 = "error"\n')
    r = cli("check", "m.yaml", cwd=tmp_path)
    assert r.code == 1
    assert r.out.startswith("m.yaml:3:1: LM206 error:")
    assert "LM301" not in r.out


def test_the_projects_own_configuration_is_valid() -> None:
    cfg = load_config(ROOT / "pyproject.toml")
    assert cfg.fail_on == Severity.WARNING


BAD = """\
[tool.logicmodel]
selct = ["LM3"]
ignore = ["LM5O1", "LM2"]
fail-on = "warnings"
max-label-length = "60"

[tool.logicmodel.severity]
LM301 = "fatal"
LM399 = "error"

[[tool.logicmodel.overrides]]
paths = ["models/published/"]
fail_on = "warning"

[[tool.logicmodel.overrides]]
require-provenance = "yes"
"""


def test_invalid_configuration_is_located_with_did_you_mean(cli: Cli, tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", BAD)
    _write(tmp_path / "m.yaml", WARNINGS)
    r = cli("check", "m.yaml", cwd=tmp_path)
    assert r.code == 2
    assert r.out == ""
    assert r.err.splitlines() == [
        "pyproject.toml:2:1: LM702 error: unknown key `selct` (did you mean `select`?)",
        "pyproject.toml:3:11: LM703 error: `ignore`: `LM5O1` is not a rule code or prefix "
        "(did you mean `LM501`?)",
        "pyproject.toml:4:11: LM704 error: `fail-on` must be \"error\" or \"warning\", "
        "not 'warnings' (did you mean `warning`?)",
        "pyproject.toml:5:1: LM704 error: `max-label-length` must be a positive whole "
        "number, not '60'",
        "pyproject.toml:8:9: LM704 error: `LM301` must be \"error\", \"warning\" or \"info\", "
        "not 'fatal'",
        "pyproject.toml:9:1: LM703 error: severity: `LM399` is not a rule code "
        f"(did you mean `{_nearest('LM399')}`?)",
        "pyproject.toml:13:1: LM702 error: an override: unknown key `fail_on` "
        "(did you mean `fail-on`?)",
        "pyproject.toml:15:1: LM704 error: an override needs `paths`: a list of folders or "
        "glob patterns, such as [\"models/published/\"]",
        "pyproject.toml:16:1: LM704 error: `require-provenance` must be true or false, "
        "not 'yes'",
        "logicmodel: the configuration is invalid (9 problems)",
    ]
    assert "Traceback" not in r.err


def _nearest(code: str) -> str:
    import difflib

    return difflib.get_close_matches(code, sorted(RULES), n=1)[0]


def test_invalid_toml_is_located(cli: Cli, tmp_path: Path) -> None:
    _write(tmp_path / "logicmodel.toml", 'select = ["LM3"]\nfail-on = warning\n')
    _write(tmp_path / "m.yaml", WARNINGS)
    r = cli("check", "m.yaml", cwd=tmp_path)
    assert r.code == 2
    assert r.err.startswith("logicmodel.toml:2:11: LM701 error: invalid TOML: Invalid value\n")


def test_missing_explicit_config(cli: Cli, tmp_path: Path) -> None:
    _write(tmp_path / "m.yaml", WARNINGS)
    r = cli("check", "--config", "nope.toml", "m.yaml", cwd=tmp_path)
    assert r.code == 2
    assert r.err.startswith("nope.toml:1:1: LM701 error: cannot read the configuration: "
                            "no such file or directory\n")


def test_inline_tables_and_dotted_keys_are_located(tmp_path: Path) -> None:
    inline = _write(tmp_path / "a" / "logicmodel.toml",
                    'fail-on = "error"\nseverity = {LM301 = "loud"}\n')
    dotted = _write(tmp_path / "b" / "logicmodel.toml",
                    'fail-on = "error"\nseverity.LM3O2 = "error"\n')
    for config, want in ((inline, ("LM704", 2, 13)), (dotted, ("LM703", 2, 10))):
        with pytest.raises(ConfigError) as info:
            load_config(config)
        assert [(d.code, d.line, d.column) for d in info.value.diagnostics] == [want]


def test_command_line_codes_are_checked_too(cli: Cli) -> None:
    r = cli("check", "--ignore", "LM2O1", "models/devolved_budgets.yaml")
    assert r.code == 2
    assert "`LM2O1` is not a rule code or prefix (did you mean `LM201`?)" in r.err


def test_config_codes_are_registered_with_pages() -> None:
    for code in ("LM701", "LM702", "LM703", "LM704", "LM710", "LM711"):
        assert code in RULES
        assert RULES[code].check is None
        assert "## Example" in RULES[code].doc


def test_for_file_outside_the_root_is_unchanged(tmp_path: Path) -> None:
    config = _write(tmp_path / "p" / "logicmodel.toml",
                    '[[overrides]]\npaths = ["x/"]\nfail-on = "warning"\n')
    cfg = load_config(config)
    assert cfg.for_file(tmp_path / "elsewhere" / "x" / "m.yaml") is cfg
    assert cfg.for_file(tmp_path / "p" / "x" / "m.yaml").fail_on == Severity.WARNING
    assert Config().for_file("anything.yaml") == Config()


def test_override_patterns() -> None:
    from logicmodel.config import Override

    o = Override(("./models/published/", "drafts", "*/legacy-*.yaml"), {})
    assert o.matches("models/published/a.yaml")
    assert o.matches("models/published/deeper/b.yml")
    assert not o.matches("models/publishedx/a.yaml")
    assert o.matches("drafts/a.yaml")
    assert o.matches("x/y/legacy-1.yaml")
    assert not o.matches("x/y/current.yaml")


def test_show_config_prints_a_valid_configuration(cli: Cli, tmp_path: Path) -> None:
    r = cli("check", "--show-config", "--ignore", "LM5", "--strict",
            "tests/data/config/drafts/pilot.yaml", "tests/data/config/published/pilot.yaml")
    assert r.code == 0
    blocks = re.split(r"^(?=\S)", r.out, flags=re.M)[1:]  # one block per file
    assert [b.splitlines()[0] for b in blocks] == ["tests/data/config/drafts/pilot.yaml",
                                                   "tests/data/config/published/pilot.yaml"]
    assert "# with the override" not in blocks[0]
    assert '# with the override for paths = ["published/"]' in blocks[1]
    for block, provenance in zip(blocks, (False, True), strict=True):
        text = "\n".join(line.strip() for line in block.splitlines()[1:]) + "\n"
        _write(tmp_path / "round-trip.toml", text)
        cfg = load_config(tmp_path / "round-trip.toml")
        assert cfg.fail_on == Severity.WARNING  # --strict
        assert cfg.ignore == ("LM5",)
        assert cfg.options.require_provenance is provenance
