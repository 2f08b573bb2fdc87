"""The hostile corpus: one file per hazard of tests/hostile/, each refused with its code.

Every file starts with `# expect: CODE` (the empty file excepted) and is checked
through the real command line: exit status 1, the expected code located at a
line and column, and never a traceback or an internal error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import CliResult

HOSTILE = Path(__file__).resolve().parent / "hostile"
CORPUS = sorted(HOSTILE.glob("*.yaml"))
HEADERLESS = {"empty_file.yaml": "LM007"}


def _expected(path: Path) -> str:
    if path.name in HEADERLESS:
        return HEADERLESS[path.name]
    first = path.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
    m = re.fullmatch(r"# expect: (LM\d{3})", first)
    assert m, f"{path.name} has no `# expect: CODE` header"
    return m.group(1)


def test_the_corpus_is_growing() -> None:
    assert len(CORPUS) >= 29


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_hostile_file_is_refused_with_its_code(path: Path, cli: object) -> None:
    code = _expected(path)
    result: CliResult = cli("check", str(path), cwd=HOSTILE)  # type: ignore[operator]
    assert result.code == 1, result.out + result.err
    assert re.search(rf":\d+:\d+: {code} ", result.out), result.out
    assert "Traceback" not in result.out + result.err
    assert "internal error" not in result.out + result.err
