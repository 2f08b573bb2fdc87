"""The composite GitHub Action (action.yml): valid, and its steps really work.

The action is validated against the GitHub Actions metadata schema (the copy
check-jsonschema ships), and its shell steps are run with bash the way the
runner runs them: inputs as environment variables, ``GITHUB_PATH`` and
``GITHUB_OUTPUT`` as files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import GOLDEN, ROOT

ACTION = ROOT / "action.yml"
BIN = Path(sys.executable).parent


def _action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return data


def _step(name: str) -> dict[str, Any]:
    step: dict[str, Any] = next(s for s in _action()["runs"]["steps"] if s["name"] == name)
    return step


def _run_step(name: str, tmp_path: Path, inputs: dict[str, str], path: str
              ) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    step = _step(name)
    files = {k: tmp_path / k.lower() for k in ("GITHUB_OUTPUT", "GITHUB_PATH")}
    for f in files.values():
        f.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env.update({k: str(v) for k, v in files.items()})
    env.update({"RUNNER_TEMP": str(tmp_path), "GITHUB_ACTION_PATH": str(ROOT),
                "GITHUB_ACTIONS": "true", "PATH": f"{path}{os.pathsep}{env['PATH']}"})
    for key, template in step.get("env", {}).items():
        # `${{ inputs.NAME }}` is the only expression the steps use in env
        name_ = template.removeprefix("${{ inputs.").removesuffix(" }}")
        env[key] = inputs.get(name_, _action()["inputs"][name_].get("default", ""))
    r = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=600)
    return r, {k: v.read_text() for k, v in files.items()}


def test_action_metadata_is_valid() -> None:
    r = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema",
                        "vendor.github-actions", str(ACTION)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    action = _action()
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], "inputs must reach scripts through env"


def test_check_step_annotates_and_writes_sarif(tmp_path: Path) -> None:
    sarif = tmp_path / "logicmodel.sarif"
    r, files = _run_step("Check models", tmp_path, {
        "paths": "tests/data/report/\nmodels/devolved_budgets.yaml",
        "sarif-file": str(sarif),
    }, str(BIN))
    assert r.returncode == 1
    assert r.stdout == (GOLDEN / "report.github").read_text(encoding="utf-8")
    assert files["GITHUB_OUTPUT"] == "exit-code=1\n"
    assert json.loads(sarif.read_text()) == json.loads(
        (GOLDEN / "report.sarif").read_text(encoding="utf-8"))


def test_check_step_passes_options_and_fails_on_bad_configuration(tmp_path: Path) -> None:
    r, files = _run_step("Check models", tmp_path, {
        "paths": "models/", "args": "--strict --select LM3"}, str(BIN))
    assert (r.returncode, r.stdout, files["GITHUB_OUTPUT"]) == (0, "", "exit-code=0\n")
    bad = tmp_path / "bad.toml"
    bad.write_text('ignore = ["LM99"]\n')
    sarif = tmp_path / "out.sarif"
    r, files = _run_step("Check models", tmp_path, {
        "paths": "models/", "args": f"--config {bad}", "sarif-file": str(sarif)}, str(BIN))
    assert r.returncode == 2
    assert r.stdout.startswith("::error file=")
    assert "LM703" in r.stdout
    assert not sarif.exists()
    assert files["GITHUB_OUTPUT"] == "exit-code=2\n"


@pytest.mark.slow  # pip-installs logicmodel and its dependencies
def test_install_step_installs_this_version(tmp_path: Path) -> None:
    r, files = _run_step("Install logicmodel", tmp_path, {"python": sys.executable}, str(BIN))
    assert r.returncode == 0, r.stdout + r.stderr
    venv_bin = files["GITHUB_PATH"].strip()
    assert venv_bin == str(tmp_path / "logicmodel-venv" / "bin")
    out = subprocess.run([f"{venv_bin}/logicmodel", "check", "models/"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("All checks passed")
