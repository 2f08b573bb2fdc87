"""Format 2's constructs, end to end: groups and tags, branching pathways, evidence for and
against, richer provenance, roles and direction, conditions as boxes."""

from __future__ import annotations

import csv
import io
import json

from logicmodel.checking import check_document
from logicmodel.config import Config
from logicmodel.export import export
from logicmodel.export.tables import assumptions_register
from logicmodel.loader import load_text
from logicmodel.render import RenderOptions, render, scene_for
from logicmodel.schema import LogicModel

MODEL = """\
logicmodel: 2
title: Two actors, one trial
expects_impact: false
references:
  - {id: src, citation: "Author (2020) Figure 1."}
provenance: {status: adapted, placement: inferred, refs: [src], note: Adapted from Figure 1}
groups:
  - {id: mothers, label: Mothers, type: actor}
  - {id: staff, label: Clinic staff, type: actor}
  - {id: both_arms, label: Applies to both trial arms, type: arm}
tags:
  - {id: tdf, label: Theoretical Domains Framework, values: [knowledge, skills]}
roles: [exploratory]
nodes:
  - {id: train, kind: activity, label: Train staff, groups: [staff]}
  - {id: counsel, kind: activity, label: Counsel mothers, groups: [mothers, both_arms]}
  - {id: skilled, kind: output, label: Staff skilled, groups: [staff]}
  - {id: told, kind: output, label: Mothers counselled, groups: [mothers]}
  - id: know
    kind: mechanism
    label: Mothers know what to do
    groups: [mothers]
    tags: {tdf: [knowledge]}
    evidence:
      - {direction: for, refs: [src], note: reported in the trial}
      - {direction: against, refs: [src], note: participation 30% lower among fathers}
  - id: delay
    kind: outcome
    label: Less developmental delay
    role: primary
    direction: decrease
    indicators:
      - {id: asq, measure: ASQ-3 score, role: primary, direction: increase, data_source: ASQ-3}
  - {id: lost, kind: outcome, label: (box not readable),
     provenance: {status: missing, refs: [src]}}
links:
  - {id: L1, from: train, to: skilled, groups: [staff]}
  - {id: L2, from: counsel, to: told}
  - {id: L3, from: skilled, to: know}
  - {id: L4, from: told, to: know, evidence: [{direction: mixed, grade: limited, refs: [src]}]}
  - {id: L5, from: know, to: delay}
pathways:
  - id: both
    label: Staff and mothers together
    mechanism: know
    links: [L1, L2, L3, L4, L5]
    provenance: {status: stated, route: inferred, refs: [src]}
views:
  - {id: mothers_row, groups: [mothers], others: hide}
"""


def _model(text: str = MODEL) -> tuple[LogicModel, list[tuple[str, int]]]:
    doc = load_text(text, "m.yaml")
    assert doc.model is not None, doc.diagnostics
    diags = check_document(doc, Config())
    return doc.model, [(d.code, d.line) for d in diags]


def test_the_model_checks_clean() -> None:
    _, found = _model()
    assert found == []  # the placeholder `lost` needs no links or indicators


def test_a_branching_pathway_fans_out_and_meets_again() -> None:
    model, _ = _model()
    route = model.routes[0]
    assert route.start == ["train", "counsel"]
    assert route.end == ["delay"]
    assert route.nodes == ["train", "skilled", "counsel", "told", "know", "delay"]
    scene = scene_for(model, RenderOptions())
    on = {(lk.source, lk.target) for lk in scene.links if scene.link_pathways.get(id(lk))}
    assert on == set(route.steps)


def test_a_view_by_group_draws_that_row() -> None:
    model, _ = _model()
    scene = scene_for(model, RenderOptions(view="mothers_row"))
    assert [n.id for n in scene.nodes] == ["counsel", "told", "know"]
    faded = scene_for(model, RenderOptions(view="mothers_row", others="fade"))
    assert faded.faded_nodes == {"train", "skilled", "delay", "lost"}


def test_groups_tags_roles_and_evidence_reach_the_exports() -> None:
    model, _ = _model()
    rows = {r["ID"]: r for r in csv.DictReader(io.StringIO(export(model, "csv-nodes")))}
    assert rows["counsel"]["groups"] == "mothers|both_arms"
    assert rows["know"]["tags.tdf"] == "knowledge"
    assert [e["direction"] for e in json.loads(rows["know"]["evidence"])] == ["for", "against"]
    assert (rows["delay"]["role"], rows["delay"]["direction"]) == ("primary", "decrease")
    links = {r["ID"]: r for r in csv.DictReader(io.StringIO(export(model, "csv-links")))}
    assert json.loads(links["L4"]["evidence"]) == [
        {"direction": "mixed", "grade": "limited", "refs": ["src"]}]
    assert links["L1"]["groups"] == "staff"
    data = json.loads(export(model, "json"))
    assert data["groups"][2]["label"] == "Applies to both trial arms"
    assert data["nodes"][4]["evidence"][1]["direction"] == "against"
    assert data["provenance"]["placement"] == "inferred"


def test_misspelt_references_in_format_2_constructs_are_located() -> None:
    text = (MODEL.replace("groups: [staff]}\n  - {id: counsel",
                          "groups: [staf]}\n  - {id: counsel")
            .replace("links: [L1, L2, L3, L4, L5]", "links: [L1, L2, L3, L4, L6]")
            .replace("tags: {tdf: [knowledge]}", "tags: {tdf: [knowlege]}")
            .replace("role: primary\n    direction", "role: primry\n    direction")
            .replace("{direction: mixed, grade: limited, refs: [src]}",
                     "{direction: mixed, grade: limited, refs: [srcc]}"))
    _, found = _model(text)
    # one problem each, where it is; no follow-on from the pathway's unknown link
    assert found == [("LM109", 15), ("LM110", 23), ("LM111", 30), ("LM102", 40), ("LM102", 46)]


def test_an_unknown_evidence_direction_gets_a_suggestion() -> None:
    doc = load_text(MODEL.replace("direction: against", "direction: agianst"))
    assert doc.model is None
    [d] = doc.diagnostics
    assert d.code == "LM024"
    assert d.hint is not None
    assert d.hint.startswith("did you mean `against`?")


def test_conditions_count_in_the_assumptions_register() -> None:
    text = """\
logicmodel: 2
title: Chain of conditions
expects_impact: false
stages:
  - {id: theory, heading: Summary of theory, kinds: [condition, outcome]}
nodes:
  - {id: attend, kind: condition, label: Mothers attend, risk: high}
  - {id: right, kind: condition, label: Mothers decide what children eat,
     evidence: [{direction: against, note: mothers-in-law decide}]}
  - {id: fed, kind: outcome, label: Better nutrition}
links:
  - {from: attend, to: right}
  - {from: right, to: fed}
"""
    model, found = _model(text)
    assert {c for c, _ in found} == {"LM205", "LM301"}
    rows = assumptions_register(model).rows
    assert [(r[0], r[2], r[3]) for r in rows] == [("attend", "high", "right"),
                                                  ("right", "", "fed")]


def test_format_1_keeps_its_evidence_and_kinds() -> None:
    head = "logicmodel: 1\ntitle: T\nnodes:\n  - {id: a, kind: activity, label: A}\n"
    no_grade = head + ("  - {id: i, kind: impact, label: I}\n"
                       "links:\n  - {from: a, to: i, evidence: {refs: []}}\n")
    doc = load_text(no_grade)
    assert [(d.code, d.message) for d in doc.diagnostics] == [
        ("LM021", "links[0].evidence: missing required field `grade`")]
    condition = head + "  - {id: c, kind: condition, label: C}\n"
    doc = load_text(condition)
    assert [(d.code, d.message) for d in doc.diagnostics] == [
        ("LM027", "`condition` is a format-2 kind")]


def test_a_figure_of_every_construct_renders() -> None:
    model, _ = _model()
    dot = render(model, "dot").data.decode()
    assert "Mothers know what to do" in dot
    assert render(model, "mermaid").data


def test_a_copy_with_other_links_computes_its_routes_afresh() -> None:
    model, _ = _model()
    assert len(model.routes[0].steps) == 5
    fewer = model.model_copy(update={"links": model.links[:2]})
    assert fewer.routes[0].steps == [("train", "skilled"), ("counsel", "told")]
    assert fewer.routes[0].unknown_links == [(2, "L3"), (3, "L4"), (4, "L5")]
