"""``logicmodel fmt``: canonical formatting that keeps comments and never changes a value."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from logicmodel.loader import load_text
from logicmodel.rewrite import format_transform, rewrite_text

from .conftest import MODELS, NEGATIVE, ROOT, CliResult

MODEL_FILES = sorted(MODELS.glob("*.yaml")) + sorted((NEGATIVE / "graph").glob("*.yaml"))


def comments(text: str) -> Counter[str]:
    """Every comment in a YAML text, found with PyYAML's scanner (independent of ruamel).

    A ``#`` is a comment when no scalar token of the scanner covers it.
    """
    covered: set[tuple[int, int]] = set()
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(token, yaml.ScalarToken):
            s, e = token.start_mark, token.end_mark
            for line in range(s.line, e.line + 1):
                first = s.column if line == s.line else 0
                last = e.column if line == e.line else 1 << 30
                covered.update((line, c) for c in range(first, min(last, first + 4000)))
    found: Counter[str] = Counter()
    for n, line in enumerate(text.splitlines()):
        for col, ch in enumerate(line):
            if ch == "#" and (n, col) not in covered and (col == 0 or line[col - 1] in " \t"):
                found[line[col:].strip()] += 1
                break
    return found


def formatted(text: str, path: Path | None = None) -> str:
    """``text`` formatted; ``path`` is where it was read (what it names is relative to it)."""
    result = rewrite_text(text, "m.yaml", format_transform, same="data",
                          path=str(path) if path is not None else None)
    assert result.after is not None, [d.message for d in result.diagnostics]
    return result.after


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_keeps_every_comment_and_value_and_is_idempotent(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    once = formatted(text, path)
    assert comments(once) == comments(text)
    assert comments(text), "the model files are commented, so this test can fail"
    before, after = load_text(text), load_text(once)
    assert before.tree is not None
    assert after.tree is not None
    assert after.tree.data == before.tree.data
    assert formatted(once, path) == once


def test_canonical_style() -> None:
    text = (
        "logicmodel: 1\n"
        "title:   Tiny   # the title (a comment keeps its column)\n"
        "nodes:\n"
        "- {id: a, kind: input, label: A}\n"
        "- id: b\n"
        "  kind: activity\n"
        "  label: \"B\"   \n"
        "links:\n"
        "  - {from: a, to: b, rationale: a rationale long enough that the whole flow mapping "
        "cannot fit on one line of the file}\n"
    )
    assert formatted(text) == (
        "logicmodel: 1\n"
        "title: Tiny     # the title (a comment keeps its column)\n"
        "nodes:\n"
        "  - {id: a, kind: input, label: A}\n"
        "  - id: b\n"
        "    kind: activity\n"
        "    label: \"B\"\n"
        "links:\n"
        "  - from: a\n"
        "    to: b\n"
        "    rationale: a rationale long enough that the whole flow mapping cannot fit on one "
        "line of the file\n"
    )


def test_a_value_that_would_change_is_refused_at_its_position() -> None:
    text = "logicmodel: 1\ntitle: t\nnodes:\n  - {id: a, kind: input, label: +12}\n"
    result = rewrite_text(text, "m.yaml", format_transform, same="data")
    assert result.refused
    [d] = result.diagnostics
    assert (d.code, d.location()) == ("LM030", "m.yaml:4:33")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for p in MODELS.glob("*.yaml"):
        shutil.copy(p, tmp_path / p.name)
    return tmp_path


def test_check_mode_writes_nothing_and_fails_on_unformatted(
        cli: Callable[..., CliResult], project: Path) -> None:
    messy = project / "messy.yaml"
    messy.write_text("logicmodel: 1\ntitle:   t\nnodes:\n- {id: a, kind: input, label: A}\n")
    before = {p.name: p.read_bytes() for p in project.iterdir()}
    r = cli("fmt", "--check", str(project))
    assert r.code == 1
    assert f"would format {messy}" in r.err
    assert {p.name: p.read_bytes() for p in project.iterdir()} == before
    r = cli("fmt", "--diff", str(messy))
    assert r.code == 1
    assert "-title:   t\n+title: t\n" in r.out


def test_formats_in_place_then_check_passes(cli: Callable[..., CliResult], project: Path
                                              ) -> None:
    r = cli("fmt", str(project))
    assert r.code == 0, r.out + r.err
    assert list(project.glob(".*")) == []  # no temporary file left behind
    r = cli("fmt", "--check", str(project))
    assert (r.code, r.err.strip().splitlines()[-1]) == (0, "0 files would format, 4 unchanged")
    assert cli("check", "--strict", str(project)).code == 0


def test_a_file_that_does_not_load_is_reported_and_left_alone(
        cli: Callable[..., CliResult], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    original = b"logicmodel: 1\ntitle: t\ntitle: again\nnodes: []\n"
    bad.write_bytes(original)
    r = cli("fmt", str(bad))
    assert r.code == 1
    assert f"{bad}:3:1: LM009" in r.out
    assert "1 left alone because of problems" in r.err
    assert bad.read_bytes() == original
    missing = cli("fmt", str(tmp_path / "none.yaml"))
    assert missing.code == 1
    assert "LM001" in missing.out


def test_a_symlink_is_not_followed(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    target = tmp_path / "target.yaml"
    target.write_text("logicmodel: 1\ntitle:   t\nnodes:\n  - {id: a, kind: input, label: A}\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    r = cli("fmt", str(link))
    assert r.code == 3
    assert "LM605" in r.err
    assert "title:   t" in target.read_text()


def test_pre_commit_hook_is_declared() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    fmt = next(h for h in hooks if h["id"] == "logicmodel-fmt")
    assert fmt["entry"] == "logicmodel fmt"


def test_real_process(tmp_path: Path) -> None:
    messy = tmp_path / "m.yaml"
    messy.write_text("logicmodel: 1\ntitle:   t\nnodes:\n- {id: a, kind: input, label: A}\n")
    proc = subprocess.run([sys.executable, "-m", "logicmodel", "fmt", str(messy)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert messy.read_text() == (
        "logicmodel: 1\ntitle: t\nnodes:\n  - {id: a, kind: input, label: A}\n")
