"""Shared test helpers: golden files, the CLI runner, paths to the models."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

_T = TypeVar("_T")

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
GOLDEN = Path(__file__).resolve().parent / "golden"
NEGATIVE = Path(__file__).resolve().parent / "negative"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current output (review the diff!)")


# Tests never write into the working tree: every file there is noted when the session
# starts, and a file that appears, disappears or changes (other than a tracked file being
# edited meanwhile) fails the run. Tool caches are not the tree.
_NOT_THE_TREE = {".git", ".hypothesis", ".pytest_cache", ".mypy_cache", ".ruff_cache",
                 "__pycache__", "site"}
_tree_before: dict[str, tuple[int, int]] = {}


def _tree() -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in _NOT_THE_TREE and not d.startswith(".venv")
                   and not d.endswith(".egg-info")]
        for name in files:
            path = Path(folder, name)
            st = path.lstat()
            found[path.relative_to(ROOT).as_posix()] = (st.st_mtime_ns, st.st_size)
    return found


def _tracked() -> set[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {name.decode() for name in out.split(b"\0") if name}


def pytest_sessionstart(session: pytest.Session) -> None:
    if not session.config.getoption("--update-golden"):
        _tree_before.update(_tree())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not _tree_before:
        return
    after, tracked = _tree(), _tracked()
    touched = sorted(
        {*after.keys() ^ _tree_before.keys()}
        | {k for k in after.keys() & _tree_before.keys()
           if after[k] != _tree_before[k] and k not in tracked})
    if touched:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("tests wrote into the working tree: " + ", ".join(touched[:20]),
                                red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def project_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository to run examples in, so what they write lands outside the tree."""
    target = tmp_path_factory.mktemp("project") / "logicmodel"
    shutil.copytree(ROOT, target, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "out", "site", "*.egg-info", *_NOT_THE_TREE))
    return target


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with tests/golden/NAME; ``--update-golden`` rewrites the file instead."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            return
        assert path.exists(), f"no golden file {name}: run pytest --update-golden and review it"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"output differs from tests/golden/{name}"

    return check


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
        ) -> Callable[..., CliResult]:
    """Run ``logicmodel ARGS`` in-process (from the repository root) and capture its output."""
    from logicmodel.cli import main

    def run(*args: str, cwd: Path | None = None) -> CliResult:
        monkeypatch.chdir(cwd or ROOT)
        monkeypatch.setenv("NO_COLOR", "1")
        monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def _has_dot() -> bool:
    from logicmodel.render.engine import find_engine

    try:
        find_engine("dot")
    except Exception:
        return False
    return True


# Tests of PDF and of the system engine need Graphviz's `dot`. A developer without it
# skips them; CI (which installs it in .ci/run) never does, so a missing install fails there.
needs_dot = pytest.mark.skipif(
    not _has_dot() and not os.environ.get("CI"),
    reason="Graphviz's dot is not installed (apt-get install graphviz); .ci/run installs it")

# Cross-checks against an independent reader that is too heavy for the test extra
# (pgmpy for DAGitty): skipped unless installed, never skipped when .ci/run asks for them.
_crosscheck_missing = pytest.mark.skipif(
    importlib.util.find_spec("pgmpy") is None and not os.environ.get("LOGICMODEL_CROSSCHECK"),
    reason="pip install -e '.[crosscheck]' for the DAGitty cross-check; .ci/run runs it")


def needs_crosscheck(test: _T) -> _T:
    """Mark a test `crosscheck` (``pytest -m crosscheck``) and skip it where pgmpy is missing."""
    marked: _T = pytest.mark.crosscheck(_crosscheck_missing(test))
    return marked
