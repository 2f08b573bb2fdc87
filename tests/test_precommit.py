"""The pre-commit hook, end to end: real pre-commit, a temporary git repository, real commits.

The hook repository is a copy of this working tree committed in a temporary
folder, so the test checks the manifest and the code as they are now. pre-commit
builds the hook's own virtualenv from it (pip installs logicmodel and its
dependencies), once per test session.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
GOOD = (ROOT / "models" / "devolved_budgets.yaml").read_text(encoding="utf-8")
BAD = GOOD.replace("to: in_budget,", "to: in_budjet,", 1)


def _docs_block(kind: str, after: str) -> str:
    """The first ```kind block after the text ``after`` in docs/ci.md."""
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    m = re.compile(rf"^```{kind}\n(.*?)^```", re.S | re.M).search(text, text.index(after))
    assert m, f"docs/ci.md has no {kind} block after {after!r}"
    return m.group(1)


def _git(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    out = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    out.update({
        "HOME": str(home), "PRE_COMMIT_HOME": str(home / "pre-commit-cache"),
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1",
    })
    out.pop("GITHUB_ACTIONS", None)
    return out


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> tuple[str, str]:
    """A git repository holding this working tree; returns (path, commit)."""
    src = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        path = ROOT / name
        if path.is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, src / name)
    for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-q", "-m", "hook")):
        assert _git(src, *args, env=env).returncode == 0
    sha = _git(src, "rev-parse", "HEAD", env=env).stdout.strip()
    return str(src), sha


def _install(tmp_path: Path, env: dict[str, str], hook_repo: tuple[str, str],
             config: dict[str, Any]) -> Path:
    config["repos"][0]["repo"], config["repos"][0]["rev"] = hook_repo
    (tmp_path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    assert _git(tmp_path, "init", "-q", "-b", "main", env=env).returncode == 0
    r = subprocess.run([str(PRE_COMMIT), "install"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    return tmp_path


@pytest.fixture
def project(tmp_path: Path, env: dict[str, str], hook_repo: tuple[str, str]) -> Path:
    """A user's repository with the logicmodel hook installed."""
    # the configuration documented in docs/ci.md, pointed at this working tree
    return _install(tmp_path, env, hook_repo, yaml.safe_load(_docs_block("yaml", "## pre-commit")))


def test_fmt_hook_formats_the_model_and_stops_the_commit_once(
        tmp_path: Path, env: dict[str, str], hook_repo: tuple[str, str]) -> None:
    # the configuration documented in docs/authoring.md, with both hooks
    text = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    block = re.compile(r"^```yaml\n(.*?)^```", re.S | re.M).search(text, text.index("pre-commit"))
    assert block
    project = _install(tmp_path, env, hook_repo, yaml.safe_load(block.group(1)))
    models = project / "models"
    models.mkdir()
    messy = (ROOT / "docs" / "snippets" / "unformatted.yaml").read_text(encoding="utf-8")
    (models / "programme.yaml").write_text(messy, encoding="utf-8")
    _git(project, "add", "-A", env=env)
    r = _git(project, "commit", "-m", "add the programme's model", env=env)
    assert r.returncode != 0, r.stdout + r.stderr
    assert "files were modified by this hook" in r.stdout + r.stderr
    formatted = (models / "programme.yaml").read_text(encoding="utf-8")
    assert formatted != messy
    assert "title: Peer mentoring for new teachers\n" in formatted
    _git(project, "add", "-A", env=env)
    r = _git(project, "commit", "-m", "add the programme's model", env=env)
    assert r.returncode == 0, r.stdout + r.stderr


def test_manifest_is_valid() -> None:
    r = subprocess.run([str(PRE_COMMIT), "validate-manifest", ".pre-commit-hooks.yaml"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["logicmodel-check", "logicmodel-fmt"]


@pytest.mark.slow  # pip-installs logicmodel and its dependencies
def test_bad_model_blocks_the_commit_and_a_good_one_passes(
        project: Path, env: dict[str, str]) -> None:
    models = project / "models"
    models.mkdir()
    (models / "programme.yaml").write_text(BAD, encoding="utf-8")
    # YAML that is not a model, outside models/, is left alone by the hook
    (project / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    _git(project, "add", "-A", env=env)
    r = _git(project, "commit", "-m", "add the programme's model", env=env)
    output = r.stdout + r.stderr
    assert r.returncode != 0, output
    assert "logicmodel check" in output
    assert "Failed" in output
    line = next(n for n, text in enumerate(BAD.splitlines(), 1) if "in_budjet" in text)
    assert f"models/programme.yaml:{line}:" in output
    assert "LM102 error: `in_budjet` is not the id of any node" in output
    assert "mkdocs.yml" not in output
    for documented in _docs_block("text", "A commit that adds").splitlines():
        assert documented in output.splitlines(), documented
    assert _git(project, "log", "--oneline", env=env).returncode != 0  # nothing committed

    (models / "programme.yaml").write_text(GOOD, encoding="utf-8")
    _git(project, "add", "-A", env=env)
    r = _git(project, "commit", "-m", "add the programme's model", env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "logicmodel check" in r.stdout + r.stderr
    assert "Passed" in r.stdout + r.stderr
