"""Stated versus inferred: the stated-only view, and findings that say they rest on inferences."""

from __future__ import annotations

import json
from collections.abc import Callable

import networkx as nx

from logicmodel.analysis import causal_dag, fragility, implications, routes
from logicmodel.analysis.provenance import (
    direction,
    evidence_items,
    inferred_elements,
    stated_only,
)
from logicmodel.loader import load
from tests.analysis_models import FLAGSHIP
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


def test_inferred_elements_of_the_flagship() -> None:
    model = load(FLAGSHIP)
    inferred = inferred_elements(model)
    assert inferred.nodes == ["act_joint_plan", "mt_sustainable_change", "mt_risk_reduced"]
    assert "L26" in inferred.links
    assert "L09" not in inferred.links
    assert len(inferred.links) == 24
    stated = stated_only(model)
    assert {n.id for n in stated.nodes}.isdisjoint(inferred.nodes)
    assert [lk.id for lk in stated.links] == ["L09", "L10", "L11", "L12", "L29"]
    assert len(model.links) == 29  # the model itself is untouched


def test_stated_only_results_differ_where_they_must() -> None:
    model = load(FLAGSHIP)
    whole = fragility(model)
    assert whole.critical_links == ["L26", "L27", "L29"]
    assert whole.inferred == ["mt_sustainable_change", "mt_risk_reduced", "L26", "L27"]
    stated = fragility(stated_only(model))
    assert (stated.routes, stated.critical_links, stated.inferred) == (0, [], [])
    assert routes(stated_only(model)).count == 0


def test_implications_name_the_inferred_links_they_rest_on() -> None:
    model = load(FLAGSHIP)
    imp = implications(model)
    by_x = {s.x: s for s in imp.statements}
    assert by_x["mt_risk_reduced"].rests_on == ("mt_risk_reduced", "mt_sustainable_change",
                                                "L26")
    inferred = set(inferred_elements(model).links)
    g = causal_dag(model)
    for s in imp.statements:  # every link named is inferred and runs from the given set to x
        for name in s.rests_on:
            if name in inferred:
                lk = next(lk for lk in model.links if lk.id == name)
                assert any(lk.source == z or nx.has_path(g, z, lk.source) for z in s.given)
                assert lk.target == s.x or nx.has_path(g, lk.target, s.x)
    # stated-only: the same machinery, fewer links, and nothing rests on inferences
    assert all(not s.rests_on for s in implications(stated_only(model)).statements)


def test_a_model_without_provenance_marks_nothing() -> None:
    from tests.analysis_models import layered

    model = layered(3, 3)
    assert not inferred_elements(model)
    assert fragility(model).inferred == []
    assert stated_only(model).links == model.links


def test_views_on_the_command_line(cli: Cli) -> None:
    both = cli("analyze", FLAGSHIP, "--only", "fragility", "--view", "both", "--format", "json")
    assert both.code == 0
    data = json.loads(both.out)
    assert data["view"] == "both"
    assert data["views"]["all"]["fragility"]["routes"] == 22
    assert data["views"]["stated"]["fragility"]["routes"] == 0
    text = cli("analyze", FLAGSHIP, "--only", "fragility").out
    assert "links every route passes through: L26 [inferred], L27 [inferred], L29" in text
    assert "these findings rest on inferred elements" in text
    stated = cli("paths", FLAGSHIP, "--only", "routes", "--view", "stated")
    assert stated.code == 0
    assert "Routes: 0" in stated.out
    both = cli("paths", FLAGSHIP, "--only", "routes", "--view", "both", "--format", "json")
    assert both.code == 0
    data = json.loads(both.out)
    assert data["view"] == "both"
    assert data["views"]["all"]["routes"]["count"] == 22
    assert data["views"]["stated"]["routes"]["count"] == 0
    text = cli("paths", FLAGSHIP, "--only", "routes", "--view", "both").out
    assert text.index("== Every element") < text.index("== Only what the sources state")
    assert "Routes: 22" in text
    assert "Routes: 0" in text


def test_evidence_reads_format_one_and_lists() -> None:
    model = load(FLAGSHIP)
    graded = [lk for lk in model.links if lk.evidence is not None]
    assert graded
    items = evidence_items(graded[0])
    assert len(items) == 1
    assert direction(items[0]) == "for"
    assert evidence_items(next(lk for lk in model.links if lk.evidence is None)) == []
