"""Shared test helpers: golden files, the CLI runner, paths to the models."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
GOLDEN = Path(__file__).resolve().parent / "golden"
NEGATIVE = Path(__file__).resolve().parent / "negative"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current output (review the diff!)")


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
