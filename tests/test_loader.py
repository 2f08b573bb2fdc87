"""Loading: positions, safe YAML, and hostile input that must end in a located error."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from logicmodel.diagnostics import Span
from logicmodel.errors import InvalidModelError
from logicmodel.loader import load, load_file, load_text
from tests.conftest import MODELS, NEGATIVE

MINIMAL = "logicmodel: 1\ntitle: T\nnodes:\n  - {id: a, kind: activity, label: A}\n"


def codes(text: str) -> list[str]:
    return [d.code for d in load_text(text).diagnostics]


def test_flagship_loads_with_positions() -> None:
    doc = load_file(MODELS / "devolved_budgets.yaml")
    assert doc.model is not None
    assert not doc.diagnostics
    assert doc.model.title == "Devolved budgets in children's social care"
    # the position of a nested value: the second pathway's mechanism
    span = doc.locate(("pathways", 1, "mechanism"))
    line = (MODELS / "devolved_budgets.yaml").read_text(encoding="utf-8").splitlines()[
        span.line - 1]
    assert line[span.column - 1:].startswith("mech_relationship")


def test_locate_falls_back_to_nearest_ancestor() -> None:
    doc = load_text(MINIMAL)
    assert doc.locate(("nodes", 0, "missing")) == doc.locate(("nodes", 0))
    assert doc.locate(("nodes", 0, "id"), at_key=True) == Span(4, 6, 4, 8)


@pytest.mark.parametrize(("text", "expected"), [
    ("no", "no"), ("on", "on"), ("NO", "NO"), ("010", "010"), ("12:30", "12:30"),
    ("2024-02-30", "2024-02-30"), ("1e3", "1e3"), ("0x1F", "0x1F"), ("1_000", "1_000"),
    ("~", None), ("", None), ("'null'", "null"),
])
def test_scalars_stay_what_was_written(text: str, expected: str | None) -> None:
    doc = load_text(f"logicmodel: 1\ntitle: T\nnodes:\n  - {{id: a, kind: activity, label: A, "
                    f"description: {text}}}\n")
    assert doc.model is not None, doc.diagnostics
    assert doc.model.nodes[0].description == expected


def test_yaml_11_booleans_read_where_the_field_is_boolean() -> None:
    text = MINIMAL + "  - {id: o, kind: outcome, horizon: short, label: O}\nlinks:\n" \
        "  - {from: a, to: o, feedback: yes}\n"
    doc = load_text(text)
    assert doc.model is not None
    assert doc.model.links[0].feedback is True


def test_ids_never_collapse_into_booleans() -> None:
    doc = load_text("logicmodel: 1\ntitle: T\nnodes:\n  - {id: no, kind: activity, label: A}\n"
                    "  - {id: on, kind: activity, label: B}\n")
    assert doc.model is not None
    assert [n.id for n in doc.model.nodes] == ["no", "on"]


def test_utf8_bom_and_utf16_are_read() -> None:
    for data in (b"\xef\xbb\xbf" + MINIMAL.encode(), MINIMAL.encode("utf-16")):
        from logicmodel.loader import parse_document

        doc = parse_document(data, "x.yaml")
        assert doc.model is not None
        assert doc.model.title == "T"


def test_latin1_pound_sign_is_located() -> None:
    doc = load_file(NEGATIVE / "yaml" / "latin1.yaml")
    (d,) = doc.diagnostics
    assert (d.code, d.line, d.column) == ("LM003", 4, 57)


def test_unreadable_paths(tmp_path: Path) -> None:
    assert [d.code for d in load_file(tmp_path / "nope.yaml").diagnostics] == ["LM001"]
    assert [d.code for d in load_file(tmp_path).diagnostics] == ["LM001"]
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    start = time.monotonic()
    assert [d.code for d in load_file(fifo).diagnostics] == ["LM001"]
    assert time.monotonic() - start < 5  # never blocks on a pipe


def test_file_too_large(tmp_path: Path) -> None:
    f = tmp_path / "big.yaml"
    f.write_text(MINIMAL + "# " + "x" * 5000 + "\n")
    assert [d.code for d in load_file(f, max_size=1000).diagnostics] == ["LM002"]


def test_alias_bomb_is_refused_quickly() -> None:
    start = time.monotonic()
    doc = load_file(NEGATIVE / "yaml" / "alias_bomb.yaml")
    assert time.monotonic() - start < 2
    assert [d.code for d in doc.diagnostics] == ["LM010"]


def test_recursive_alias() -> None:
    assert codes("logicmodel: 1\ntitle: T\nnodes: &n [*n]\n") == ["LM010"]


def test_python_tag_runs_nothing(tmp_path: Path) -> None:
    marker = Path("/tmp/logicmodel-pwned")
    marker.unlink(missing_ok=True)
    doc = load_file(NEGATIVE / "yaml" / "python_tag.yaml")
    assert [d.code for d in doc.diagnostics] == ["LM011", "LM020"]  # and the empty list
    assert not marker.exists()


@pytest.fixture(params=["libyaml", "pure"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both YAML readers PyYAML may use: the codes must not depend on which is installed."""
    from logicmodel import yamlread

    if request.param == "pure":
        monkeypatch.setattr(yamlread, "_COMPOSER", yamlread._PyComposer)
        monkeypatch.setattr(yamlread, "_HAVE_LIBYAML", False)
    elif not yamlread._HAVE_LIBYAML:  # pragma: no cover - PyYAML built without libyaml
        pytest.skip("PyYAML without libyaml")
    return str(request.param)


@pytest.mark.parametrize(("depth", "style"), [
    (70, "flow"), (1_000, "flow"), (4_000, "flow"), (200_000, "flow"), (70, "block"),
    (1_100, "block"),
])
def test_deep_nesting_is_refused(depth: int, style: str, parser: str) -> None:
    # libyaml >= 0.2.5 stops at 1,000 levels with its own error; the code and the
    # position are ours whichever reader stops first: where level 65 opens
    if style == "flow":
        text = "logicmodel: 1\ntitle: T\nnodes: " + "[" * depth + "]" * depth + "\n"
        where = (3, len("nodes: ") + 64)
    else:
        text = "logicmodel: 1\ntitle: T\nnodes:\n" + "".join(
            "  " * (i + 1) + "-\n" for i in range(depth)) + "  " * (depth + 1) + "- x\n"
        where = (3 + 64, 2 * 64 + 1)
    (d,) = load_text(text).diagnostics
    assert (d.code, d.line, d.column) == ("LM008", *where), d


def test_duplicate_anchor_is_an_alias_problem(parser: str) -> None:
    text = "logicmodel: 1\ntitle: &t T\ndescription: &t D\nnodes: []\n"
    (d,) = load_text(text).diagnostics
    assert (d.code, d.line, d.column) == ("LM010", 4 - 1, len("description: ") + 1)


def test_deep_nesting_does_not_crash_a_fresh_process(tmp_path: Path) -> None:
    f = tmp_path / "deep.yaml"
    f.write_text("nodes: " + "[" * 100_000 + "]" * 100_000 + "\n")
    proc = subprocess.run([sys.executable, "-m", "logicmodel", "check", str(f)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert "LM008" in proc.stdout
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(("text", "code"), [
    ("", "LM007"),
    ("# only a comment\n", "LM007"),
    ("a: 1\n---\nb: 2\n", "LM006"),
    ("- a\n- b\n", "LM020"),
    ("logicmodel: 1\ntitle: T\nnodes: ~\n", "LM020"),
    ("logicmodel: 1\ntitle: T\nnodes:\n  - {<<: {id: a}, kind: activity, label: A}\n", "LM012"),
    ("logicmodel: 1\ntitle: T\n? [a]\n: 1\nnodes: []\n", "LM013"),
    ("logicmodel: 1\ntitle: !!binary aGVsbG8=\nnodes: []\n", "LM011"),
    ("logicmodel: 1\ntitle: T\nyear: " + "9" * 5000 + "\nnodes: []\n", "LM022"),
    ('logicmodel: 1\ntitle: "a\\u202eb"\nnodes: [{id: a, kind: activity, label: A}]\n', "LM025"),
    ("logicmodel: 1\ntitle: T\nnodes:\n\t- a\n", "LM005"),
    ("logicmodel: 1\ntitle: [unclosed\n", "LM005"),
    ("logicmodel: '1.0'\ntitle: T\nnodes: [{id: a, kind: activity, label: A}]\n", "LM026"),
])
def test_hostile_inputs_get_a_code(text: str, code: str) -> None:
    assert code in codes(text)


@pytest.mark.parametrize("escape", ["\\ud800", "\\udc00", "\\ud83d\\ude00"])
def test_lone_surrogate_is_refused(escape: str, parser: str) -> None:
    # libyaml refuses it while reading, the pure-Python reader lets the schema say so:
    # the same code either way, on the title's line
    text = f'logicmodel: 1\ntitle: "{escape}"\nnodes: [{{id: a, kind: activity, label: A}}]\n'
    (d,) = load_text(text).diagnostics
    assert (d.code, d.line) == ("LM025", 2), d
    assert "U0001F600" in (d.hint or "")


def test_references_huge_year_is_a_located_error() -> None:
    text = ("logicmodel: 1\ntitle: T\nreferences:\n  - {id: r, citation: C, year: "
            + "9" * 5000 + "}\nnodes: [{id: a, kind: activity, label: A}]\n")
    (d,) = load_text(text).diagnostics
    assert (d.code, d.line) == ("LM020", 4)


def test_load_raises_with_diagnostics() -> None:
    with pytest.raises(InvalidModelError) as info:
        load("logicmodel: 1\ntitle: T\nnodes: []\n")
    assert info.value.diagnostics[0].code == "LM020"
    assert "<string>:3:8: LM020" in str(info.value)


def test_load_from_path_and_text_agree() -> None:
    path = MODELS / "devolved_budgets.yaml"
    assert load(path) == load(path.read_text(encoding="utf-8"))


def test_uses_libyaml_when_available() -> None:
    import yaml

    from logicmodel import yamlread

    assert yaml.__with_libyaml__ == yamlread._HAVE_LIBYAML


def test_references_say_what_a_doi_url_or_orcid_looks_like() -> None:
    text = ('logicmodel: 1\ntitle: T\nreferences:\n'
            '  - {id: r, citation: C, doi: "https://doi.org/10.1/x", url: "javascript:alert(1)"}\n'
            'authors:\n  - {name: A, orcid: 1234}\n'
            'nodes:\n  - {id: a, kind: activity, label: A, provenance: {refs: [r]}}\n')
    found = sorted((d.code, d.line, d.message) for d in load_text(text).diagnostics)
    assert found == [
        ("LM020", 4, "references[0].doi: not a DOI"),
        ("LM020", 4, "references[0].url: not a web address"),
        ("LM020", 6, "authors[0].orcid: not an ORCID iD"),
    ]


def test_a_reading_problem_does_not_hide_independent_schema_problems() -> None:
    doc = load_text(
        "logicmodel: 2\n"
        "title: T\n"
        "nodes:\n"
        "  - {id: a, kind: activity, label: A, label: 5}\n"   # duplicate key, then a bad value
        "  - {id: b, kind: activity, label: B, colour: red}\n"  # independent: reported too
    )
    assert [(d.code, d.line) for d in doc.diagnostics] == [("LM009", 4), ("LM022", 5)]
    assert doc.model is None  # nothing is built from data that is not what was written
