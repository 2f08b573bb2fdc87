"""Every code has a page, and the page of a code raised outside a rule sits where it is raised."""

from __future__ import annotations

import importlib
import inspect
import re
import subprocess
import sys
from pathlib import Path

from logicmodel.commands.rules import page
from logicmodel.rules import RULES

PACKAGE = Path(__file__).resolve().parents[1] / "logicmodel"
CODE = re.compile(r"\bLM\d{3}\b")
PAGE = re.compile(r"@rule\(\"LM\d{3}\".*\ndef .*\n(?:    .*\n|\n)*")


def _source_without_pages(module: str) -> str:
    return PAGE.sub("", inspect.getsource(importlib.import_module(module)))


def test_every_code_in_the_source_has_a_page() -> None:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        # Pages may show a wrong code on purpose (LM999 in LM711's example).
        found |= set(CODE.findall(PAGE.sub("", path.read_text(encoding="utf-8"))))
    missing = sorted(c for c in found if c not in RULES)
    assert not missing, f"codes without a page: {missing}"


def test_codes_raised_outside_rules_are_documented_where_they_are_raised() -> None:
    for code in sorted(RULES):
        r = RULES[code]
        if r.check is not None:
            assert r.module.startswith("logicmodel.rules."), code
            continue
        # A code with no check function is not a rule: its page lives in the module
        # that emits it, and that module's code (outside the pages) names it.
        assert not r.module.startswith("logicmodel.rules"), f"{code} is documented in {r.module}"
        assert code in _source_without_pages(r.module), f"{r.module} documents {code} " \
            "but does not raise it"


def test_the_page_says_where_a_code_comes_from() -> None:
    assert "Reported by `logicmodel.files`" in page("LM604")
    assert "Reported by `logicmodel.loader`" in page("LM022")
    assert "Checked by `logicmodel.rules.structure`" in page("LM201")


def test_check_does_not_import_the_renderer_to_know_its_codes() -> None:
    probe = ("import sys, logicmodel\n"
             "logicmodel.check('logicmodel: 1\\ntitle: t\\nnodes: []\\n')\n"
             "print('logicmodel.render' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


def test_rules_lists_every_code() -> None:
    out = subprocess.run([sys.executable, "-m", "logicmodel", "rules"], capture_output=True,
                         text=True, check=True).stdout
    listed = {line.split()[0] for line in out.splitlines()}
    assert listed == set(RULES)
    assert {"LM001", "LM090", "LM604", "LM614", "LM701", "LM711", "LM801"} <= listed
