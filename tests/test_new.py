"""``logicmodel new``: a starter model for every shipped framework that checks clean."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from logicmodel.loader import load_text
from logicmodel.schema.frameworks import framework
from logicmodel.schema.names import FRAMEWORK_NAMES
from logicmodel.starter import starter_text

from .conftest import CliResult
from .test_fmt import comments


def test_every_framework_is_offered() -> None:
    assert len(FRAMEWORK_NAMES) >= 11


@pytest.mark.parametrize("name", FRAMEWORK_NAMES)
def test_starter_checks_strict_clean_and_uses_the_framework_stages(
        name: str, cli: Callable[..., CliResult], tmp_path: Path) -> None:
    path = tmp_path / f"{name}.yaml"
    r = cli("new", "--framework", name, "--title", "Homework clubs", str(path))
    assert r.code == 0, r.err
    text = path.read_text(encoding="utf-8")
    check = cli("check", "--strict", str(path))
    assert check.code == 0, check.out
    doc = load_text(text)
    assert doc.model is not None
    assert doc.model.title == "Homework clubs"
    spec = framework(name)
    assert [n.stage for n in doc.model.nodes] == [s.id for s in spec.stages]
    assert comments(text), "a starter explains itself in comments"
    assert cli("fmt", "--check", str(path)).code == 0  # written in the canonical style
    assert starter_text(name, "Homework clubs") == text  # deterministic


def test_never_overwrites_without_force(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("mine\n")
    r = cli("new", str(path))
    assert (r.code, r.err.split(" ")[1]) == (3, "LM605")
    assert path.read_text() == "mine\n"
    assert cli("new", "--force", str(path)).code == 0
    assert path.read_text().startswith("# ")


def test_unknown_framework_is_a_usage_error(cli: Callable[..., CliResult], tmp_path: Path
                                             ) -> None:
    r = cli("new", "--framework", "logfram", str(tmp_path / "m.yaml"))
    assert r.code == 2
    assert "invalid choice: 'logfram'" in r.err
    assert not (tmp_path / "m.yaml").exists()
