"""Properties that hold for any input: the loader returns a model or located diagnostics, never
an exception; checks never raise on a valid model and report only registered codes."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logicmodel.checking import check_document
from logicmodel.loader import load_text, parse_document
from logicmodel.rules import RULES
from logicmodel.schema import LogicModel
from tests.conftest import MODELS

FLAGSHIP = (MODELS / "devolved_budgets.yaml").read_bytes()
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _assert_well_formed(data: bytes) -> None:
    doc = parse_document(data, "fuzz.yaml")
    if doc.model is None:  # no model means at least one error says why
        assert any(d.severity.value == "error" for d in doc.diagnostics)
    diags = check_document(doc)
    lines = data.count(b"\n") + 2
    for d in diags:
        assert d.code in RULES
        assert d.span is None or 1 <= d.span.line <= lines


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data: bytes) -> None:
    _assert_well_formed(data)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\n\t ,?%@`~0123456789")),
               max_size=300))
def test_yaml_punctuation_soup(text: str) -> None:
    _assert_well_formed(text.encode("utf-8"))


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, len(FLAGSHIP)), st.integers(0, 3),
                          st.binary(max_size=4)), min_size=1, max_size=4))
def test_mutated_flagship(edits: list[tuple[int, int, bytes]]) -> None:
    data = bytearray(FLAGSHIP)
    for pos, cut, insert in edits:
        data[pos:pos + cut] = insert
    _assert_well_formed(bytes(data))


KINDS = ["context", "input", "activity", "output", "mechanism", "outcome", "impact"]


@st.composite
def models(draw: st.DrawFn) -> str:
    n = draw(st.integers(1, 12))
    rng = random.Random(draw(st.integers(0, 10**6)))
    lines = ["logicmodel: 1", "title: Generated", "nodes:"]
    ids = [f"n{i}" for i in range(n)]
    for nid in ids:
        kind = rng.choice(KINDS)
        horizon = rng.choice(['short', 'medium', 'long'])
        extra = f", horizon: {horizon}" if kind == "outcome" else ""
        lines.append(f"  - {{id: {nid}, kind: {kind}, label: Node {nid}{extra}}}")
    lines.append("links:" if n > 1 else "links: []")
    for _ in range(draw(st.integers(1, 3 * n)) if n > 1 else 0):
        a, b = rng.choice(ids), rng.choice([*ids, "ghost"])
        lines.append(f"  - {{from: {a}, to: {b}, feedback: {rng.choice(['true', 'false'])}}}")
    if n > 1 and draw(st.booleans()):
        route = rng.sample(ids, k=min(len(ids), 3))
        lines.append("pathways:")
        lines.append(f"  - {{id: p, label: P, nodes: [{', '.join(route)}]}}")
    return "\n".join(lines) + "\n"


@SETTINGS
@given(models())
def test_rules_never_raise_on_valid_models(text: str) -> None:
    doc = load_text(text)
    assert doc.model is not None, doc.diagnostics
    for d in check_document(doc):
        assert d.code in RULES
        assert d.span is not None


@SETTINGS
@given(models())
def test_json_round_trip(text: str) -> None:
    model = load_text(text).model
    assert model is not None
    again = LogicModel.model_validate_json(model.model_dump_json(by_alias=True))
    assert again == model
