"""Every text field of a model is clean text: no control characters, no runaway lengths.

The test does not list the fields: it takes real models, adds the optional fields
they lack, and puts hostile text in every place that holds text or a value, one
place at a time. Each must be refused with a located error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from logicmodel.loader import load_text
from logicmodel.yamlread import parse
from tests.conftest import MODELS

Path = tuple[str | int, ...]
HOSTILE = {
    "escape sequences": "Budget \x1b[2J\x1b[31mRED",
    "bidi override": "abc\u202edef",
    "over any limit": "x" * 10_001,
}


def _rich_models() -> Iterator[tuple[str, object]]:
    for path in [MODELS / "girls_education_logframe.yaml"]:  # the one with indicator values
        data = parse(path.read_text(encoding="utf-8")).data
        assert isinstance(data, dict)
        data["$schema"] = "https://example.org/logicmodel.schema.json"
        data.setdefault("references", []).append(
            {"id": "extra_ref", "citation": "A. Author (2024). Title.", "year": "2024",
             "doi": "10.1234/abc", "url": "https://example.org/paper"})
        yield path.stem, data


def _text_places(data: object, path: Path = ()) -> Iterator[Path]:
    """Every leaf that holds text or a number (booleans and years aside)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _text_places(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _text_places(value, (*path, i))
    elif isinstance(data, str) and path[-1] not in ("logicmodel", "year", "feedback"):
        yield path


def _replace(data: object, path: Path, value: str) -> object:
    if not path:
        return value
    head, *rest = path
    if isinstance(data, dict):
        return {k: _replace(v, tuple(rest), value) if k == head else v for k, v in data.items()}
    assert isinstance(data, list)
    return [_replace(v, tuple(rest), value) if i == head else v for i, v in enumerate(data)]


@pytest.mark.parametrize("hostile", HOSTILE.values(), ids=list(HOSTILE))
def test_no_text_field_takes_hostile_text(hostile: str) -> None:
    checked = 0
    for name, data in _rich_models():
        clean = load_text(json.dumps(data))
        assert clean.model is not None, (name, clean.diagnostics)
        for place in _text_places(data):
            if isinstance(place[-1], str):
                doc = load_text(json.dumps(_replace(data, place, hostile)))
                errors = [d for d in doc.diagnostics if d.severity.value == "error"]
                assert doc.model is None, f"{name}: {place} took {hostile[:20]!r}"
                assert errors, place
                checked += 1
    assert checked > 50


def test_indicator_values_are_refused_where_they_are() -> None:
    text = (MODELS / "girls_education_logframe.yaml").read_text(encoding="utf-8")
    line = next(n for n, s in enumerate(text.splitlines(), 1) if "baseline: 71%" in s)
    bad = text.replace("baseline: 71%", 'baseline: "\\e[2J\\e[31mRED\\u202e"', 1)
    (d,) = load_text(bad).diagnostics
    assert (d.code, d.line) == ("LM025", line)
    assert "U+001B" in d.message
    long = text.replace("baseline: 71%", "baseline: " + "9" * 5_000_000 + "%", 1)
    (d,) = load_text(long).diagnostics
    assert (d.code, d.line) == ("LM025", line)
