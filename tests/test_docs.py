"""The examples in docs/ are tested.

* A ```console block runs each `$ logicmodel ...` line through the real command
  line, from a copy of the repository (so what it writes stays out of the tree), and
  compares its output with the lines that follow it (up to the next `$` line). A line
  `# exit: N` right after the command states the expected exit code (default 0).
* A ```python block runs as it is, from that copy (its asserts are the test).
* A ```yaml block that starts with `logicmodel: 1` or `2` is a model: it must load and
  pass `check` with no errors, unless its first comment line says
  `# expect: LM102, LM204` (the codes it must produce, in any order).
* A ```yaml block whose first line is `# from PATH` is an excerpt of that file: each of its lines
  (comments and lines with `...` aside) must appear in the file, so excerpts cannot drift.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from logicmodel.checking import check
from tests.conftest import ROOT, CliResult

DOCS = ROOT / "docs"
FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```", re.S | re.M)


def _blocks(kind: str) -> list[tuple[str, str]]:
    out = []
    for md in sorted(DOCS.rglob("*.md")):
        text = md.read_text(encoding="utf-8")
        for i, m in enumerate(FENCE.finditer(text)):
            if m.group(1) == kind:
                out.append((f"{md.relative_to(ROOT)}#{i}", m.group(2)))
    return out


def _console_cases() -> list[tuple[str, str, list[str], int]]:
    cases = []
    for where, body in _blocks("console"):
        lines = body.splitlines()
        i = 0
        while i < len(lines):
            if lines[i].startswith("$ logicmodel"):
                cmd = lines[i][2:]
                j = i + 1
                code = 0
                if j < len(lines) and lines[j].startswith("# exit: "):
                    code = int(lines[j][8:])
                    j += 1
                out = []
                while j < len(lines) and not lines[j].startswith("$ "):
                    out.append(lines[j])
                    j += 1
                cases.append((where, cmd, out, code))
                i = j
            else:
                i += 1
    return cases


@pytest.mark.parametrize(("where", "cmd", "expected", "code"), _console_cases(),
                         ids=lambda v: v if isinstance(v, str) and "#" in v else "")
def test_console_example(where: str, cmd: str, expected: list[str], code: int,
                         cli: object, project_copy: Path) -> None:
    args = shlex.split(cmd)[1:]
    result: CliResult = cli(*args, cwd=project_copy)  # type: ignore[operator]
    got = [line.rstrip() for line in (result.out + result.err).rstrip("\n").splitlines()]
    want = [line.rstrip() for line in "\n".join(expected).rstrip("\n").splitlines()]
    assert got == want, f"{where}: `{cmd}` printed something else"
    assert result.code == code, f"{where}: `{cmd}` exited {result.code}, docs say {code}"


def _yaml_cases() -> list[tuple[str, str]]:
    return [(w, b) for w, b in _blocks("yaml")
            if re.match(r"(#[^\n]*\n)*logicmodel: [12]", b) and not b.startswith("# from ")]


def _excerpts() -> list[tuple[str, str]]:
    return [(w, b) for w, b in _blocks("yaml") if b.startswith("# from ")]


@pytest.mark.parametrize(("where", "body"), _excerpts(), ids=lambda v: v if "#" in v else "")
def test_yaml_excerpt_matches_its_file(where: str, body: str) -> None:
    first, *lines = body.splitlines()
    source = (ROOT / first.removeprefix("# from ").strip()).read_text(encoding="utf-8")
    have = {line.strip() for line in source.splitlines()}
    for line in lines:
        text = re.sub(r"\s+#.*$", "", line).strip()
        if text and not text.startswith("#") and "..." not in text:
            assert text in have, f"{where}: `{text}` is not in {first}"


@pytest.mark.parametrize(("where", "body"), _yaml_cases(), ids=lambda v: v if "#" in v else "")
def test_yaml_example(where: str, body: str) -> None:
    m = re.match(r"# expect: ([A-Z0-9, ]+)", body)
    expected = sorted(c.strip() for c in m.group(1).split(",")) if m else []
    diags = check(body + ("\n" if not body.endswith("\n") else ""))
    if expected:
        assert sorted({d.code for d in diags}) == expected, f"{where}: {diags}"
    else:
        errors = [d for d in diags if d.severity.value == "error"]
        assert not errors, f"{where}: {errors}"


@pytest.mark.parametrize(("where", "body"), _blocks("python"),
                         ids=lambda v: v if "#" in v else "")
def test_python_example(where: str, body: str, monkeypatch: pytest.MonkeyPatch,
                        project_copy: Path) -> None:
    monkeypatch.chdir(project_copy)
    exec(compile(body, where, "exec"), {"__name__": "__docs__"})


def test_docs_have_examples() -> None:
    assert _console_cases(), "the docs should show real command output"
    assert _yaml_cases(), "the docs should show real models"


def test_paths_exist() -> None:
    assert Path(DOCS / "index.md").exists()
