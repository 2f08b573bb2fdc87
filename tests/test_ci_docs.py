"""The CI snippets in docs/ci.md and docs/configuration.md are valid, not only plausible.

* Workflow files validate against the GitHub workflow schema and GitLab pipelines
  against the GitLab CI schema (the copies check-jsonschema ships), and use only
  inputs the action declares; the action's inputs table matches action.yml.
* Every TOML block is a configuration that loads without an LM7xx error.
(The pre-commit snippet is run for real in test_precommit.py; console blocks run
in test_docs.py.)
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from logicmodel.config import load_config
from tests.conftest import ROOT

BIN = Path(sys.executable).parent
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)
CI = ROOT / "docs" / "ci.md"
SCHEMAS = {".github/workflows/": "vendor.github-workflows", ".gitlab-ci.yml": "vendor.gitlab-ci",
           ".pre-commit-config.yaml": None}


def _blocks(path: Path, kind: str) -> list[str]:
    return [m.group(2) for m in FENCE.finditer(path.read_text(encoding="utf-8"))
            if m.group(1) == kind]


def _files() -> list[tuple[str, str]]:
    """(file name from the first comment line, text) of each CI file shown in docs/ci.md."""
    out = []
    for body in _blocks(CI, "yaml"):
        first = body.splitlines()[0]
        if first.startswith("# ."):
            out.append((first[2:].strip(), body))
    return out


def test_the_page_shows_every_kind_of_file() -> None:
    names = [name for name, _ in _files()]
    assert any(n.startswith(".github/workflows/") for n in names)
    assert ".gitlab-ci.yml" in names
    assert ".pre-commit-config.yaml" in names


@pytest.mark.parametrize(("name", "body"), _files(), ids=[n for n, _ in _files()])
def test_ci_file_is_valid(name: str, body: str, tmp_path: Path) -> None:
    schema = next(v for k, v in SCHEMAS.items() if name.startswith(k))
    target = tmp_path / Path(name).name
    target.write_text(body, encoding="utf-8")
    if schema is None:
        r = subprocess.run([str(BIN / "pre-commit"), "validate-config", str(target)],
                           capture_output=True, text=True, timeout=120)
    else:
        r = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", schema,
                            str(target)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def _action_inputs() -> dict[str, dict[str, str]]:
    data = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    inputs: dict[str, dict[str, str]] = data["inputs"]
    return inputs


def test_workflows_use_only_declared_inputs() -> None:
    inputs = _action_inputs()
    used = 0
    for name, body in _files():
        if not name.startswith(".github/"):
            continue
        for job in yaml.safe_load(body)["jobs"].values():
            for step in job["steps"]:
                if step.get("uses", "").startswith("logicmodel/logicmodel@"):
                    assert set(step.get("with", {})) <= set(inputs)
                    used += 1
    assert used == 1


def test_inputs_table_matches_the_action() -> None:
    text = CI.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z-]+)` \| `?([^|`]*)`?\s*\|", text, re.M)
    table = {name: default.strip() for name, default in rows
             if name in _action_inputs() or name in ("paths", "args")}
    assert {k: v.get("default", "") for k, v in _action_inputs().items()} == table


@pytest.mark.parametrize("page", ["ci.md", "configuration.md"])
def test_toml_blocks_are_valid_configurations(page: str, tmp_path: Path) -> None:
    blocks = _blocks(ROOT / "docs" / page, "toml")
    if page == "configuration.md":
        assert len(blocks) >= 3
    for i, body in enumerate(blocks):
        name = "pyproject.toml" if body.lstrip().startswith("[tool.") else "logicmodel.toml"
        path = tmp_path / str(i) / name
        path.parent.mkdir()
        path.write_text(body, encoding="utf-8")
        load_config(path)  # raises ConfigError (LM7xx) if the example is wrong


def _commands(name: str) -> list[str]:
    """The shell commands of a documented CI file, without the `pip install` line."""
    body = dict(_files())[name]
    data = yaml.safe_load(body)
    if name == ".gitlab-ci.yml":
        lines = [line for job in data.values() for line in job["script"]]
    else:
        lines = [step["run"] for job in data["jobs"].values() for step in job["steps"]
                 if "run" in step]
    return [line for line in lines if not line.startswith("pip install")]


@pytest.mark.parametrize("name", [".gitlab-ci.yml", ".github/workflows/logicmodel-sarif.yml"])
def test_documented_commands_run(name: str, tmp_path: Path) -> None:
    """Run the documented job's commands (logicmodel already installed) on a copy of models/."""
    import json
    import shutil

    shutil.copytree(ROOT / "models", tmp_path / "models")
    broken = (ROOT / "tests" / "negative" / "graph" / "devolved_budgets_typos.yaml")
    script = "\n".join(_commands(name))
    env_path = f"{BIN}:/usr/bin:/bin"
    r = subprocess.run(["sh", "-c", script], cwd=tmp_path, env={"PATH": env_path},
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    outputs = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert outputs, "the job writes its reports"
    shutil.copy(broken, tmp_path / "models" / "typos.yaml")
    r = subprocess.run(["sh", "-c", script], cwd=tmp_path, env={"PATH": env_path},
                       capture_output=True, text=True, timeout=300)
    if name == ".gitlab-ci.yml":
        assert r.returncode == 1  # the job fails ...
        assert json.loads((tmp_path / "gl-code-quality.json").read_text())  # ... with reports
        assert "typos.yaml" in (tmp_path / "logicmodel.xml").read_text()
    else:
        # the step that writes SARIF fails the job; upload-sarif runs `if: always()`
        assert r.returncode == 1
        log = json.loads((tmp_path / "logicmodel.sarif").read_text())
        assert log["runs"][0]["results"]


def test_settings_table_lists_every_key_with_its_default() -> None:
    from logicmodel.config import _KEYS, Config

    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    section = text[text.index("## Settings"):text.index("## Stricter rules")]
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| ([^|]*) \|", section, re.M))
    assert set(rows) == _KEYS
    defaults = Config()
    assert rows["fail-on"].strip() == f'`"{defaults.fail_on.value}"`'
    assert rows["max-file-size"].strip() == f"`{defaults.max_file_size}`"
    assert rows["max-label-length"].strip() == f"`{defaults.options.max_label_length}`"
    assert rows["require-provenance"].strip() == \
        f"`{str(defaults.options.require_provenance).lower()}`"
    assert rows["require-indicators"].strip() == \
        f"`{str(defaults.options.require_indicators).lower()}`"
