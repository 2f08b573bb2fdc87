"""Format-1 files check exactly as they did before format 2.

``tests/data/format1/`` holds copies of every format-1 model the project had when
format 2 arrived (``models/``, the docs' examples, the negative examples) and the
format-1 models of the rule cases (``rule_cases.yml``). The golden report was
made by the code of that time (the commit that added the table of node kinds,
``python -m tests.test_format1 > tests/golden/format1_checks.txt``); the
current code must give the same codes, positions, messages and hints. One change
is deliberate: the kinds LM024's hint offers include format 2's `condition`; and the
nearest code LM711 suggests for a mistyped one is masked, since the codes grow.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import yaml

from logicmodel.checking import check_document
from logicmodel.config import Config
from logicmodel.loader import load_file, load_text

DATA = Path(__file__).resolve().parent / "data" / "format1"


def _stable(message: str) -> str:
    # The nearest code to a mistyped one depends on which codes exist, which grows.
    return re.sub(r"did you mean `LM\d{3}`", "did you mean `LM...`", message)


def report() -> str:
    """Every diagnostic of every format-1 case, one line each, in a fixed order."""
    lines: list[str] = []
    docs = [load_file(p, display=p.name) for p in sorted(DATA.glob("*.yaml"))]
    cases = yaml.safe_load((DATA / "rule_cases.yml").read_text(encoding="utf-8"))["cases"]
    docs += [load_text(c["model"], c["name"]) for c in cases]
    for doc in docs:
        diags = check_document(doc, Config())
        lines.append(f"== {doc.file}: {'model' if doc.model is not None else 'no model'}")
        lines += [f"{d.line}:{d.column} {d.code} {d.severity.value}: {_stable(d.message)}"
                  + (f" | {d.hint}" if d.hint else "") for d in diags]
    return "\n".join(lines) + "\n"


def test_format1_files_check_as_before(golden: Callable[[str, str], None]) -> None:
    golden("format1_checks.txt", report())


if __name__ == "__main__":
    print(report(), end="")
