"""``logicmodel migrate``: format 1 -> 2 with the smallest edits, checking the same afterwards."""

from __future__ import annotations

import difflib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from logicmodel.checking import check_document
from logicmodel.config import Config
from logicmodel.loader import load_text
from logicmodel.rewrite import migrate_transform, rewrite_text

from .conftest import MODELS, NEGATIVE, CliResult
from .test_fmt import comments

CASES = Path(__file__).parent / "rules"


def _format1_texts() -> list[tuple[str, str]]:
    texts = [(p.name, p.read_text(encoding="utf-8"))
             for p in [*sorted(MODELS.glob("*.yaml")), *sorted((NEGATIVE / "graph").glob("*"))]]
    for f in sorted(CASES.glob("LM*.yaml")):
        for case in yaml.safe_load(f.read_text(encoding="utf-8"))["cases"]:
            model = case["model"]
            if isinstance(model, str) and model.startswith("logicmodel: 1\n"):
                texts.append((f"{f.stem}:{case['name']}", model))
    return texts


def _findings(text: str) -> list[tuple[str, int, int]]:
    """What check finds, where (format 2's messages name stages by their headings)."""
    doc = load_text(text, "m.yaml")
    return sorted((d.code, d.line, d.column) for d in check_document(doc, Config()))


FORMAT1 = _format1_texts()


def test_there_are_many_format1_models() -> None:
    assert len(FORMAT1) > 60


@pytest.mark.parametrize(("name", "text"), FORMAT1, ids=[n for n, _ in FORMAT1])
def test_migrates_and_checks_the_same(name: str, text: str) -> None:
    before = load_text(text, "m.yaml")
    # a model that names another file (a short version's full version) is read where it is
    where = str(MODELS / name) if (MODELS / name).is_file() else None
    result = rewrite_text(text, "m.yaml", migrate_transform, same="model", path=where)
    if before.model is None:
        assert result.refused  # a file that does not load is never migrated
        return
    assert result.after is not None, [d.message for d in result.diagnostics]
    assert "logicmodel: 2" in result.after
    assert comments(result.after) >= comments(text)  # every comment kept (and one may be added)
    # the same problems at the same places (lines move only below an inserted stages block)
    if "\nstages:\n" not in result.after:
        assert _findings(result.after) == _findings(text)
        # only the version line and evidence lines change
        changed = [line for line in difflib.ndiff(text.splitlines(), result.after.splitlines())
                   if line[:1] in "+-"]
        assert all("logicmodel:" in line or "evidence" in line or line[2:].startswith(" ")
                   for line in changed), changed
    else:
        assert [c for c, _, _ in _findings(result.after)] == [c for c, _, _ in _findings(text)]
    again = rewrite_text(result.after, "m.yaml", migrate_transform, same="model", path=where)
    assert again.after == result.after  # already format 2: nothing to do


def test_block_evidence_becomes_a_list_keeping_comments() -> None:
    text = (
        "logicmodel: 1  # the format\n"
        "title: t\n"
        "references:\n"
        "  - {id: r, citation: Someone 2020}\n"
        "nodes:\n"
        "  - {id: a, kind: activity, label: A}\n"
        "  - {id: b, kind: outcome, horizon: short, label: B}\n"
        "links:\n"
        "  - from: a\n"
        "    to: b\n"
        "    evidence:\n"
        "      grade: strong  # two trials\n"
        "      # and a review\n"
        "      refs: [r]\n"
        "      note: >-\n"
        "        folded\n"
        "        text\n"
        "    rationale: r\n"
    )
    result = rewrite_text(text, "m.yaml", migrate_transform, same="model")
    assert result.after == (
        "logicmodel: 2  # the format\n"
        "title: t\n"
        "references:\n"
        "  - {id: r, citation: Someone 2020}\n"
        "nodes:\n"
        "  - {id: a, kind: activity, label: A}\n"
        "  - {id: b, kind: outcome, horizon: short, label: B}\n"
        "links:\n"
        "  - from: a\n"
        "    to: b\n"
        "    evidence:\n"
        "      - grade: strong  # two trials\n"
        "        # and a review\n"
        "        refs: [r]\n"
        "        note: >-\n"
        "          folded\n"
        "          text\n"
        "    rationale: r\n"
    )


def test_cli_migrates_in_place_and_check_mode(cli: Callable[..., CliResult],
                                              tmp_path: Path) -> None:
    for p in MODELS.glob("*.yaml"):
        shutil.copy(p, tmp_path / p.name)
    r = cli("migrate", "--check", str(tmp_path))
    assert r.code == 1
    assert "2 files would migrate, 2 unchanged" in r.err  # the flagship and its summary: format 2
    r = cli("migrate", str(tmp_path))
    assert r.code == 0, r.out + r.err
    assert all(p.read_text().count("logicmodel: 2") == 1 for p in tmp_path.glob("*.yaml"))
    assert list(tmp_path.glob(".*")) == []
    assert cli("migrate", "--check", str(tmp_path)).code == 0
    assert cli("check", "--strict", str(tmp_path)).code == 0


def test_a_broken_file_is_reported_and_left_alone(cli: Callable[..., CliResult],
                                                  tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    original = b"logicmodel: 1\ntitle: t\nnodes:\n  - {id: a, kind: activty, label: A}\n"
    bad.write_bytes(original)
    r = cli("migrate", str(bad))
    assert r.code == 1
    assert f"{bad}:4:" in r.out
    assert "LM024" in r.out
    assert bad.read_bytes() == original
