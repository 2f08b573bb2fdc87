"""Every model in models/ is valid and passes `check --strict`: the project's own dogfood."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from logicmodel.checking import check
from logicmodel.loader import load
from tests.conftest import MODELS, ROOT, CliResult

MODEL_FILES = sorted(p.relative_to(ROOT).as_posix() for p in MODELS.glob("*.yaml"))


@pytest.mark.parametrize("path", MODEL_FILES)
def test_model_is_clean(path: str) -> None:
    assert check(ROOT / path) == []


def test_models_pass_strict_check(cli: Callable[..., CliResult]) -> None:
    result = cli("check", "--strict", "models/")
    assert result.code == 0, result.out
    assert result.out == f"All checks passed ({len(MODEL_FILES)} files checked).\n"


def test_flagship_model_content() -> None:
    m = load(MODELS / "devolved_budgets.yaml")
    assert "reconstruction" in (m.description or "").lower() or "Reconstructed" in (
        m.description or "")
    assert {p.mechanism for p in m.pathways} == {"mech_dedicated", "mech_relationship"}
    kinds = {n.kind for n in m.nodes}
    assert kinds == {"context", "input", "activity", "output", "mechanism", "outcome", "impact"}
    assert m.requirements.provenance
    budget = m.node("in_budget")
    # the base holds no one pilot's cap; Darlington's £10,000 is its variant's
    assert "£10,000" not in budget.label
    assert "£10,000" in budget.description
    assert {x.id for x in m.moderators} >= {"mod_caution", "mod_not_told"}


def test_there_are_several_kinds_of_example() -> None:
    frameworks = {load(ROOT / p).framework for p in MODEL_FILES}
    assert len(MODEL_FILES) >= 3
    assert len(frameworks) >= 2
