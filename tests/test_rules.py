"""Every rule against its case file, plus checks on the registry itself.

Case files live in tests/rules/CODE.yaml: a list of small models, each with the
positions (and optionally the message or hint) the rule must report. Only the
rule under test runs, so a case shows exactly what that rule does.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from logicmodel.checking import check_document
from logicmodel.config import Config
from logicmodel.loader import load_text
from logicmodel.rules import RULES

CASES = Path(__file__).parent / "rules"


def _load_cases() -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for f in sorted(CASES.glob("LM*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        for case in data["cases"]:
            out.append((data["rule"], case["name"], case))
    return out


@pytest.mark.parametrize(("code", "name", "case"), _load_cases(),
                         ids=[f"{c}-{n}" for c, n, _ in _load_cases()])
def test_rule_case(code: str, name: str, case: dict[str, Any]) -> None:
    doc = load_text(case["model"], "case.yaml")
    if RULES[code].check is not None:
        assert doc.model is not None, f"{name}: the case model must be valid: {doc.diagnostics}"
    diags = [d for d in check_document(doc, Config(select=(code,))) if d.code == code]
    got = [(d.line, d.column) for d in diags]
    want = [(e["line"], e["column"]) for e in case["expect"]]
    assert got == want, [f"{d.location()}: {d.message}" for d in diags]
    for d, e in zip(diags, case["expect"], strict=True):
        if "message" in e:
            assert d.message == e["message"]
        if "hint" in e:
            assert d.hint == e["hint"]
        assert d.severity == RULES[code].severity
        assert d.name == RULES[code].name


def test_every_rule_has_cases() -> None:
    files = {f.stem for f in CASES.glob("LM*.yaml")}
    # need real files or bytes, or hundreds of problems: see test_loader.py and test_cli.py
    undocumented = {"LM001", "LM002", "LM003", "LM090",
                    "LM030", "LM031"}  # raised by `fmt`, `migrate`: test_fmt.py, test_migrate.py
    # reading spreadsheets and DAGitty code: cases are workbooks, see test_import.py
    undocumented |= {c for c in RULES if RULES[c].module.startswith("logicmodel.importing")}
    # the variants' codes (LM04x) need a base and its variants: see test_variants.py
    undocumented |= {"LM041", "LM042", "LM043", "LM044", "LM045", "LM046", "LM048"}
    # a short version's codes need its full version too: see test_versions.py
    undocumented |= {"LM047", "LM121", "LM122", "LM123", "LM124", "LM125", "LM126", "LM127",
                     "LM128"}
    # loading, references, structure, evidence, pathways, style: the model checks of `check`
    core = {code for code in RULES if code[:3] in ("LM0", "LM1", "LM2", "LM3", "LM4", "LM5")}
    assert core - files == undocumented
    for code in sorted(core):
        r = RULES[code]
        if r.check is None or code in undocumented:
            continue
        cases = [c for c0, _, c in _load_cases() if c0 == code]
        assert any(not c["expect"] for c in cases), f"{code} needs a passing case"
        assert any(c["expect"] for c in cases), f"{code} needs a failing case"


def test_codes_names_and_docs() -> None:
    names = [r.name for r in RULES.values()]
    assert len(names) == len(set(names))
    for code, r in RULES.items():
        assert re.fullmatch(r"LM\d{3}", code)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name)
        for heading in ("## What it does", "## Why is this bad?", "## Example"):
            assert heading in r.doc, f"{code} doc lacks {heading!r}"
        if r.check is not None:
            assert r.check.__name__ == r.name.replace("-", "_")


def test_code_ranges_match_modules() -> None:
    ranges = {"loading": "LM0", "references": "LM1", "structure": "LM2", "evidence": "LM3",
              "pathways": "LM4", "style": "LM5"}
    for r in RULES.values():
        if r.check is None:
            continue
        module = r.check.__module__.rsplit(".", 1)[-1]
        if module in ranges:
            assert r.code.startswith(ranges[module]), f"{r.code} is in {module}"
