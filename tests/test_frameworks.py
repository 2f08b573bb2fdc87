"""Frameworks and stages as data: the shipped files, a model's own stages, and what reads them."""

from __future__ import annotations

import pytest

from logicmodel.checking import check, check_document
from logicmodel.config import Config
from logicmodel.jsonschema import json_schema
from logicmodel.loader import load_text
from logicmodel.render import render
from logicmodel.schema import FRAMEWORK_NAMES, framework
from logicmodel.schema.names import FRAMEWORKS_DIR

# The frameworks the format promises (issue: "ship at least").
PROMISED = {"default", "logframe", "kellogg", "uw_extension", "cdc", "magenta_book", "realist",
            "theory_of_change", "funnell_rogers", "taso", "mayne"}


def test_every_promised_framework_ships_and_validates() -> None:
    assert set(FRAMEWORK_NAMES) >= PROMISED
    assert FRAMEWORK_NAMES[0] == "default"
    for name in FRAMEWORK_NAMES:
        spec = framework(name)
        assert spec.id == name
        assert spec.sources
        assert all(s.strip() for s in spec.sources)
        ids = [s.id for s in spec.stages]
        assert len(ids) == len(set(ids)), name
        assert all(c.startswith("LM9") for c in spec.checks), name


def test_framework_files_are_read_once_and_live_in_the_package() -> None:
    assert framework("logframe") is framework("logframe")
    assert (FRAMEWORKS_DIR / "logframe.yaml").is_file()
    assert FRAMEWORKS_DIR.parent.name == "logicmodel"


def test_a_misspelt_framework_is_located_with_a_suggestion() -> None:
    doc = load_text("logicmodel: 2\ntitle: T\nframework: uw_extention\n"
                    "nodes:\n  - {id: a, kind: activity, label: A}\n")
    assert doc.model is None
    [d] = doc.diagnostics
    assert (d.code, d.line, d.column) == ("LM024", 3, 12)
    assert d.hint is not None
    assert d.hint.startswith("did you mean `uw_extension`?")


def test_a_misspelt_kind_in_a_stage_is_located_with_a_suggestion() -> None:
    doc = load_text("logicmodel: 2\ntitle: T\nstages:\n"
                    "  - {id: doing, heading: Doing, kinds: [activty]}\n"
                    "nodes:\n  - {id: a, kind: activity, label: A}\n")
    [d] = doc.diagnostics
    assert (d.code, d.line) == ("LM024", 4)
    assert d.hint is not None
    assert d.hint.startswith("did you mean `activity`?")


# The protocol figure of the issue: an output after the mechanism ("intended changes").
PROTOCOL = """\
logicmodel: 2
title: Protocol figure
expects_impact: false
stages:
  - {id: inputs, heading: Inputs, kinds: [input]}
  - {id: processes, heading: Processes and actions, kinds: [activity]}
  - {id: changes, heading: Intended changes, kinds: [mechanism]}
  - {id: outputs, heading: Intended outputs, kinds: [output]}
  - {id: outcomes, heading: Intended outcomes, kinds: [outcome]}
nodes:
  - {id: staff, kind: input, label: Trained staff}
  - {id: visits, kind: activity, label: Home visits}
  - {id: trust, kind: mechanism, label: Mothers trust the visitor}
  - {id: plans, kind: output, label: Care plans agreed}
  - {id: care, kind: outcome, label: Better infant care}
links:
  - {from: staff, to: visits}
  - {from: visits, to: trust}
  - {from: trust, to: plans}
  - {from: plans, to: care}
"""


def _codes(text: str, *codes: str) -> list[tuple[str, int, str]]:
    doc = load_text(text, "m.yaml")
    assert doc.model is not None, doc.diagnostics
    config = Config(select=codes) if codes else Config()
    return [(d.code, d.line, d.message) for d in check_document(doc, config)]


def test_the_backward_link_rule_follows_the_declared_order() -> None:
    assert _codes(PROTOCOL, "LM202") == []
    backwards = PROTOCOL + "  - {from: care, to: visits}\n"
    assert _codes(backwards, "LM202") == [
        ("LM202", 21, "the link runs backwards, from `care` (Intended outcomes) "
                      "to `visits` (Processes and actions)")]


def test_the_protocol_figure_checks_clean_and_draws_its_own_columns() -> None:
    # what remains is what the source does not give: indicators, a declared pathway
    assert {c for c, *_ in _codes(PROTOCOL)} == {"LM301", "LM405"}
    doc = load_text(PROTOCOL)
    assert doc.model is not None
    dot = render(doc.model, "dot").data.decode()
    headings = ["Inputs", "Processes and actions", "Intended changes", "Intended outputs",
                "Intended outcomes"]
    where = [dot.index(f'label="{h}"') for h in headings]
    assert where == sorted(where)  # the columns in the declared order
    mermaid = render(doc.model, "mermaid").data.decode()
    assert [mermaid.index(f'["{h}"]') for h in headings] == sorted(
        mermaid.index(f'["{h}"]') for h in headings)


def test_stages_in_any_order_and_any_language() -> None:
    text = """\
logicmodel: 2
title: Modèle logique
expects_impact: false
stages:
  - {id: resultats, heading: Résultats attendus, kinds: [outcome]}
  - {id: activites, heading: 活动, kinds: [activity]}
nodes:
  - {id: a, kind: activity, label: Ateliers}
  - {id: o, kind: outcome, label: Parents plus confiants}
links:
  - {from: a, to: o}
"""
    # outcomes first: the activity -> outcome link now runs backwards, in the model's words
    assert _codes(text, "LM202") == [
        ("LM202", 11, "the link runs backwards, from `a` (活动) to `o` (Résultats attendus)")]
    doc = load_text(text)
    assert doc.model is not None
    dot = render(doc.model, "dot").data.decode()
    assert dot.index('"Résultats attendus"') < dot.index('"活动"')


def test_a_framework_gives_its_stages_headings_and_words() -> None:
    text = """\
logicmodel: 2
title: UW-Extension
framework: uw_extension
nodes:
  - {id: need, kind: context, label: Families lack food skills}
  - {id: staff, kind: input, label: Educators}
  - {id: classes, kind: activity, label: Cooking classes}
  - {id: reached, kind: output, label: Parents of young children}
  - {id: learn, kind: outcome, horizon: short, label: Parents learn to plan meals}
  - {id: habits, kind: outcome, horizon: long, label: Healthier family diets}
links:
  - {from: need, to: staff}
  - {from: staff, to: classes}
  - {from: classes, to: reached}
  - {from: reached, to: learn}
  - {from: learn, to: habits}
"""
    doc = load_text(text)
    assert doc.model is not None
    layout = doc.model.layout
    assert [layout.stage_of(n) for n in doc.model.nodes] == [
        "situation", "inputs", "activities", "participation", "short", "long"]
    assert layout.sections()[2] == ("Outputs", ["activities", "participation"])
    assert not layout.expects_impact
    assert [c for c, *_ in _codes(text)] == ["LM301", "LM301"]  # no LM206
    dot = render(doc.model, "dot").data.decode()
    for heading in ("Situation", "Inputs", "Activities", "Participation", "Short", "Long"):
        assert f'label="{heading}"' in dot


def test_a_node_can_name_its_stage() -> None:
    text = PROTOCOL.replace("{id: plans, kind: output, label: Care plans agreed}",
                            "{id: plans, kind: output, label: Care plans agreed, "
                            "stage: changes}")
    doc = load_text(text)
    assert doc.model is not None
    assert doc.model.layout.stage_of(doc.model.nodes[3]) == "changes"


def test_format1_frameworks_keep_their_format1_headings() -> None:
    head = "title: T\nframework: logframe\nnodes:\n"
    nodes = ("  - {id: a, kind: activity, label: A}\n"
             "  - {id: o, kind: outcome, horizon: long, label: O}\n"
             "  - {id: g, kind: impact, label: G}\n")
    one = load_text("logicmodel: 1\n" + head + nodes).model
    two = load_text("logicmodel: 2\n" + head + nodes).model
    assert one is not None
    assert two is not None
    assert [one.layout.heading(one.layout.stage_of(n)) for n in one.nodes] == [
        "Activities", "Outcomes (long term)", "Goal"]
    assert [two.layout.heading(two.layout.stage_of(n)) for n in two.nodes] == [
        "Activities", "Purpose", "Goal"]


def test_the_logframe_export_uses_the_framework_rows() -> None:
    from logicmodel.export.tables import logframe

    text = ("logicmodel: 2\ntitle: T\nframework: logframe\nnodes:\n"
            "  - {id: a, kind: activity, label: Dig wells}\n"
            "  - {id: o, kind: outcome, label: Clean water used}\n"
            "  - {id: g, kind: impact, label: Less diarrhoea}\n")
    model = load_text(text).model
    assert model is not None
    table = logframe(model)
    assert [r[0] for r in table.rows] == ["Goal", "Purpose", "Activities"]
    assert table.header[2:] == ["Objectively verifiable indicators", "Means of verification",
                                "Assumptions"]


def test_model_provenance_cites_for_every_element() -> None:
    text = """\
logicmodel: 2
title: Adapted
requirements: {provenance: true}
references:
  - {id: src, citation: "Author (2020) A figure."}
provenance: {status: stated, refs: [src], note: Adapted from Figure 2}
nodes:
  - {id: a, kind: activity, label: A}
  - {id: i, kind: impact, label: I, provenance: {status: inferred}}
links:
  - {from: a, to: i}
"""
    assert [c for c, *_ in _codes(text, "LM303", "LM304", "LM102")] == []
    missing = text.replace("refs: [src], note", "refs: [srcc], note")
    assert [(c, line) for c, line, _ in _codes(missing, "LM102")] == [("LM102", 6)]


def test_model_ignore_silences_a_rule_everywhere_and_reports_when_unused() -> None:
    text = """\
logicmodel: 2
title: T
ignore:
  - {rule: LM203, reason: the source draws no arrows}
nodes:
  - {id: a, kind: activity, label: A}
  - {id: b, kind: activity, label: B}
  - {id: i, kind: impact, label: I}
"""
    assert "LM203" not in [c for c, *_ in _codes(text)]
    unused = text.replace("LM203", "LM202")
    found = [(c, line, m) for c, line, m in _codes(unused) if c == "LM710"]
    assert found == [("LM710", 4, "the suppression of LM202 on the model silences nothing")]


def test_the_json_schema_lists_the_frameworks() -> None:
    prop = json_schema()["$defs"]["Model"]["properties"]["framework"]
    assert prop["enum"] == list(FRAMEWORK_NAMES)


@pytest.mark.parametrize("name", FRAMEWORK_NAMES)
def test_a_model_in_every_framework_loads_and_renders(name: str) -> None:
    spec = framework(name)
    lines = ["logicmodel: 2", f"title: {spec.label}", f"framework: {name}", "nodes:"]
    for i, s in enumerate(spec.stages):
        kind = s.kinds[0] if s.kinds else "output"
        extra = f", horizon: {s.horizons[0]}" if s.horizons and kind == "outcome" else ""
        lines.append(f"  - {{id: n{i}, kind: {kind}, label: Box {i}, stage: {s.id}{extra}}}")
    doc = load_text("\n".join(lines) + "\n")
    assert doc.model is not None, doc.diagnostics
    errors = [d for d in check(doc.model) if d.severity.value == "error"]
    assert errors == []
    dot = render(doc.model, "dot").data.decode()
    for s in spec.stages:
        assert s.heading.split()[0] in dot


def test_the_format_page_lists_every_framework_with_its_stages() -> None:
    from tests.conftest import ROOT

    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    for name in FRAMEWORK_NAMES:
        spec = framework(name)
        stages = " · ".join(f"{s.heading} (`{s.id}`)" for s in spec.stages)
        row = f"| `{name}` | {stages} | {'yes' if spec.expects_impact else 'no'} |"
        assert row in text, f"docs/format.md: the row of `{name}` is missing or out of date"


def test_every_framework_check_is_a_registered_rule() -> None:
    from logicmodel.rules import RULES

    for name in FRAMEWORK_NAMES:
        for code in framework(name).checks:
            assert RULES[code].check is not None, (name, code)


def test_the_json_schema_offers_each_framework_its_stage_ids() -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(json_schema())
    head = {"logicmodel": 2, "title": "T", "framework": "uw_extension"}

    def errors(stage: str, **extra: object) -> list[str]:
        model = {**head, **extra,
                 "nodes": [{"id": "a", "kind": "output", "label": "A", "stage": stage}]}
        return [e.message for e in validator.iter_errors(model)]

    assert errors("participation") == []
    assert any("participaton" in m for m in errors("participaton"))
    own = [{"id": "participaton", "heading": "Who we reach", "kinds": ["output"]}]
    assert errors("participaton", stages=own) == []  # the model's own stages
    default = {"logicmodel": 2, "title": "T", "ceiling": "outcome_long",
               "nodes": [{"id": "a", "kind": "output", "label": "A", "stage": "output"}]}
    assert list(validator.iter_errors(default)) == []
    assert list(validator.iter_errors({**default, "ceiling": "long"}))
