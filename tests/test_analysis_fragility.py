"""Fragility (single points of failure, cuts, assumptions every route needs) and the scorecard."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from logicmodel.analysis import fragility, route_set, scorecard, skeleton
from logicmodel.analysis.text import format_fragility, format_scorecard
from logicmodel.loader import load
from tests.analysis_models import FLAGSHIP, from_edges, layered
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


def _dominators(model: object, sources: list[str], targets: list[str]) -> set[str]:
    """Nodes on every source-target route, by networkx's dominator tree (independent check)."""
    g = nx.DiGraph()
    g.add_edges_from((lk.source, lk.target) for lk in model.links  # type: ignore[attr-defined]
                     if not lk.feedback)
    g.add_edges_from(("START", s) for s in sources)
    g.add_edges_from((t, "END") for t in targets)
    idom = nx.immediate_dominators(g, "START")
    out: set[str] = set()
    node = idom.get("END")
    while node is not None and node != "START":
        out.add(node)
        node = idom[node]
    return out - set(targets)


def test_flagship_fragility() -> None:
    model = load(FLAGSHIP)
    f = fragility(model)
    # the base: the pilots' shared theory, with one long-term outcome
    assert f.routes == 22
    assert f.critical_nodes == ["mt_sustainable_change", "mt_risk_reduced", "lt_safe_at_home"]
    assert set(f.critical_nodes) == _dominators(model, f.sources, f.targets)
    assert f.critical_links == ["L26", "L27", "L29"]
    assert f.link_cut is not None
    assert len(f.link_cut) == 1
    assert f.node_cut is not None
    assert len(f.node_cut) == 1
    assert dict(f.outcome_assumptions)["imp_less_care"] == ["as_hardship_risk", "as_targeting"]
    assert dict(f.outcome_assumptions)["st_needs_met"] == ["as_timely"]
    assert f.feedback == ["L25"]
    # Wigan adds reunification, a second way from reduced risk to the impact
    from logicmodel.pipeline import open_model

    wigan = open_model(str(FLAGSHIP), variant="wigan").model
    assert wigan is not None
    w = fragility(wigan)
    assert w.routes == 44
    assert w.critical_nodes == ["mt_sustainable_change", "mt_risk_reduced"]
    assert set(w.critical_nodes) == _dominators(wigan, w.sources, w.targets)
    assert w.critical_links == w.link_cut == ["L26"]
    assert dict(w.outcome_assumptions)["imp_less_care"] == ["as_hardship_risk"]


def test_flagship_fragility_golden(golden: Callable[[str, str], None]) -> None:
    golden("analysis/flagship_fragility.txt", format_fragility(fragility(load(FLAGSHIP))))


def test_dense_model_has_no_single_point_of_failure() -> None:
    f = fragility(layered(3, 4))
    assert f.routes == 81
    assert f.critical_nodes == []
    assert f.critical_links == []
    assert f.link_cut is not None
    assert len(f.link_cut) == 3
    assert f.node_cut is not None
    assert len(f.node_cut) == 3


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=20))
def test_critical_elements_match_removal(pairs: list[tuple[int, int]]) -> None:
    edges = sorted({(f"v{a}", f"v{b}") for a, b in pairs if a < b})
    model = from_edges(edges, {"v0": "input", "v1": "input", "v7": "impact"})
    f = fragility(model)
    sk = skeleton(model)
    total = route_set(sk, ["v0", "v1"], ["v7"]).count
    assert f.routes == total
    if not total:
        assert f.critical_nodes == []
        assert f.link_cut is None
        return
    assert set(f.critical_nodes) == _dominators(model, ["v0", "v1"], ["v7"])
    g = nx.DiGraph(edges)
    g.add_nodes_from(["v0", "v1", "v7"])
    for u, v in edges:  # a link is critical iff removing it leaves no route
        h = g.copy()
        h.remove_edge(u, v)
        cut = not any(nx.has_path(h, s, "v7") for s in ("v0", "v1"))
        assert (f"{u}->{v}" in f.critical_links) == cut
    assert f.link_cut is not None
    assert len(f.link_cut) == len(nx.minimum_edge_cut(_super(g), "S", "T"))


def _super(g: nx.DiGraph) -> nx.DiGraph:
    h = g.copy()
    for s in ("v0", "v1"):
        h.add_edge("S", s)
    h.add_edge("v7", "T")
    # the super links must never be cut: give them parallel copies through fresh nodes
    for s in ("v0", "v1"):
        for k in range(len(g.edges) + 1):
            h.add_edge("S", f"s{s}{k}")
            h.add_edge(f"s{s}{k}", s)
    for k in range(len(g.edges) + 1):
        h.add_edge("v7", f"t{k}")
        h.add_edge(f"t{k}", "T")
    return h


def test_assumptions_every_route_needs() -> None:
    model = from_edges([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")],
                       {"a": "input", "d": "outcome"})
    data = model.model_dump(by_alias=True, exclude_none=True)
    data["links"][0]["assumptions"] = ["x"]
    data["links"][2]["assumptions"] = ["y"]
    data["links"][3]["assumptions"] = ["y"]
    data["assumptions"] = [{"id": "x", "label": "X"}, {"id": "y", "label": "Y"}]
    f = fragility(type(model).model_validate(data), "input", "outcome")
    assert f.outcome_assumptions == [("d", ["y"])]


def test_scorecard_counts() -> None:
    metrics = {m.key: m for m in scorecard(load(FLAGSHIP))}
    assert (metrics["links_with_rationale"].count, metrics["links_with_rationale"].total) == (
        29, 29)
    assert (metrics["links_with_evidence"].count, metrics["links_with_evidence"].total) == (
        10, 29)
    assert metrics["outcomes_with_indicators"].share == 1.0
    assert metrics["links_inferred"].count + metrics["links_stated"].count == 29


def test_scorecard_golden(golden: Callable[[str, str], None]) -> None:
    golden("analysis/flagship_scorecard.txt", format_scorecard(scorecard(load(FLAGSHIP))))


def test_cli_analyze(cli: Cli, golden: Callable[[str, str], None]) -> None:
    r = cli("analyze", FLAGSHIP)
    assert (r.code, r.err) == (0, "")
    golden("analysis/analyze_cli.txt", r.out)


def test_cli_analyze_json_sections(cli: Cli) -> None:
    r = cli("analyze", FLAGSHIP, "--format", "json", "--only", "scorecard,fragility")
    assert r.code == 0
    data = json.loads(r.out)
    assert list(data) == ["fragility", "scorecard"]
    evidence = data["scorecard"]["links_with_evidence"]
    assert {k: evidence[k] for k in ("label", "count", "total", "share")} == {
        "label": "links with evidence", "count": 10, "total": 29, "share": 0.345}
    assert len(evidence["lacking"]) == 29 - 10
    assert "L26" in evidence["lacking"]
    target = data["scorecard"]["indicators_with_target"]
    assert (target["count"], target["rule"], len(target["lacking"])) == (0, "LM306", 10)
    assert cli("analyze", FLAGSHIP, "--only", "nothing").code == 2


def test_cli_fail_under_is_a_ci_gate(cli: Cli) -> None:
    ok = cli("analyze", FLAGSHIP, "--only", "scorecard", "--fail-under",
             "links_with_rationale=1", "--fail-under", "links_with_evidence=30%")
    assert (ok.code, ok.err) == (0, "")
    low = cli("analyze", FLAGSHIP, "--only", "scorecard", "--fail-under",
              "links_with_evidence=0.5")
    assert low.code == 1
    assert low.err == ("logicmodel analyze: links_with_evidence is 34.5% (10/29), "
                       "under the required 50.0%\n")
    typo = cli("analyze", FLAGSHIP, "--fail-under", "links_with_evidnce=0.5")
    assert typo.code == 2
    assert typo.err == ("logicmodel: LM804 `links_with_evidnce` is not a scorecard metric\n"
                        "    hint: did you mean `links_with_evidence`?\n")
    assert typo.out == ""
    assert cli("analyze", FLAGSHIP, "--fail-under", "links_with_evidence=2").code == 2


def test_a_model_without_routes_is_reported_plainly(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text(
        "logicmodel: 1\ntitle: T\nnodes:\n  - {id: a, kind: activity, label: A}\n")
    r = cli("analyze", "one.yaml", "--only", "fragility,implications", cwd=tmp_path)
    assert r.code == 0
    assert r.out.splitlines()[:7] == [
        "Fragility: 0 routes from a to none",
        "  chosen: the model has no inputs, so routes start at its activities that no link "
        "leads to, the earliest kind it has (choose with --from)",
        "  nodes every route passes through: none",
        "  links every route passes through: none",
        "",
        "Assumptions every route to an outcome depends on:",
        "  none: no outcome is reached from the inputs",
    ]
    assert cli("paths", "one.yaml", cwd=tmp_path).out.startswith("No declared pathways.\n")


def test_scorecard_shares_name_the_elements_behind_them() -> None:
    model = load(FLAGSHIP)
    for m in scorecard(model):
        assert m.total - m.count == len(m.lacking)
    by_key = {m.key: m for m in scorecard(model)}
    graded = {lk.id for lk in model.links if lk.evidence is not None}
    assert set(by_key["links_with_evidence"].lacking) == {lk.id for lk in model.links} - graded


def test_a_chain_of_conditions_starts_where_it_begins_and_counts_them_as_assumptions(
        cli: Cli) -> None:
    """White (2009): a results chain written as conditions, with two branches that meet."""
    r = cli("analyze", "docs/examples/white2009_binp_conditions.yaml", "--only", "fragility",
            "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)["fragility"]
    assert data["from"] == ["participate"]
    assert data["critical_nodes"] == ["participate"]
    needs = {d["outcome"]: d["assumptions"] for d in data["assumptions_every_route_needs"]}
    assert needs["food_sufficient"] == ["participate", "children_identified", "food_delivered",
                                        "no_leakage"]
    assert needs["improved_nutrition"] == ["participate"]  # the two branches meet there
    assert needs["participate"] == []  # a condition does not depend on itself
