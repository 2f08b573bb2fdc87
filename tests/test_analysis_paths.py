"""Pathway summaries and route counting: exact counts, capped listings, undeclared routes."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logicmodel.analysis import (
    SelectorError,
    fragility,
    pathway_chains,
    pathway_summaries,
    route_set,
    routes,
    skeleton,
    undeclared_links,
)
from logicmodel.analysis.text import format_pathways, format_routes
from logicmodel.loader import load
from tests.analysis_models import FLAGSHIP, from_edges, layered
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


def _all_paths(model: object, sources: list[str], targets: list[str]) -> list[list[str]]:
    """Every route by brute force (networkx), feedback links left out."""
    g = nx.DiGraph()
    g.add_nodes_from(n.id for n in model.nodes)  # type: ignore[attr-defined]
    g.add_edges_from((lk.source, lk.target) for lk in model.links  # type: ignore[attr-defined]
                     if not lk.feedback)
    out: list[list[str]] = []
    for s in sources:
        for t in targets:
            if s != t:
                out.extend(nx.all_simple_paths(g, s, t))
    return out


def _contains(route: list[str], part: list[str]) -> bool:
    return any(route[i:i + len(part)] == part for i in range(len(route) - len(part) + 1))


def test_flagship_pathways_golden(golden: Callable[[str, str], None]) -> None:
    summaries = pathway_summaries(load(FLAGSHIP))
    assert [s.id for s in summaries] == ["dedicated_resources", "worker_family_relationship"]
    first = summaries[0]
    assert first.mechanism == "mech_dedicated"
    assert first.weakest_grade is None  # no source grades its evidence
    assert "L09" in first.ungraded_links
    assert ("as_targeting", "L29") in first.assumptions
    golden("analysis/flagship_pathways.txt", format_pathways(summaries))


def test_weakest_grade_is_the_weakest_a_source_gives() -> None:
    from logicmodel.loader import load_text

    doc = load_text("""logicmodel: 2
title: Graded links
expects_impact: false
references: [{id: r, citation: A trial}]
nodes:
  - {id: a, kind: activity, label: Act}
  - {id: m, kind: mechanism, label: Why}
  - {id: o, kind: outcome, label: Result}
  - {id: p, kind: outcome, label: Later}
links:
  - {id: L1, from: a, to: m, evidence: {grade: moderate, refs: [r]}}
  - {id: L2, from: m, to: o, evidence: [{direction: against, grade: strong, refs: [r]},
                                        {grade: limited, refs: [r]}]}
  - {id: L3, from: o, to: p, evidence: {refs: [r], note: reported but not graded}}
pathways:
  - {id: p1, label: One, mechanism: m, nodes: [a, m, o, p]}
""")
    assert doc.model is not None, doc.diagnostics
    (summary,) = pathway_summaries(doc.model)
    assert summary.weakest_grade == "limited"
    assert summary.ungraded_links == ["L3"]


def test_flagship_routes_match_brute_force() -> None:
    model = load(FLAGSHIP)
    report = routes(model, "input", "impact", limit=1000)
    brute = _all_paths(model, report.sources, report.targets)
    assert report.count == len(brute) == 22
    assert sorted([r[0].source, *(e.target for e in r)] for r in report.listed) == sorted(brute)
    # pathway 1 branches: it runs along each of its chains from its start to its end
    chains = []
    for p in model.pathways:
        r = model.route(p)
        g = nx.DiGraph(r.steps)
        chains += [c for s in r.start for t in r.end for c in nx.all_simple_paths(g, s, t)]
    assert len(chains) == 6 + 2  # pathway 2: from the purchases and from the joint plan
    assert sorted(chains) == sorted(pathway_chains(model))
    outside = [r for r in brute if not any(_contains(r, c) for c in chains)]
    assert report.undeclared_count == len(outside) == 7
    assert report.feedback == ["L25"]


def test_listing_is_capped_and_says_so(golden: Callable[[str, str], None]) -> None:
    model = load(FLAGSHIP)
    report = routes(model, limit=3)
    assert len(report.listed) == 3
    assert report.truncated
    assert routes(model, limit=22).truncated is False
    text = format_routes(report, undeclared_links(model))
    assert "... 19 more not listed (limit 3; use --limit)" in text
    golden("analysis/flagship_routes.txt", text)


def test_selectors_take_ids_kinds_and_stages() -> None:
    model = load(FLAGSHIP)
    sk = skeleton(model)
    assert sk.select("outcome_long") == ["lt_safe_at_home"]
    assert sk.select("in_budget,mechanism") == ["in_budget", "mech_dedicated",
                                                "mech_relationship"]
    assert routes(model, "act_purchase", "mech_dedicated").count == 3
    with pytest.raises(SelectorError) as caught:
        sk.select("outcome_shrot")
    assert caught.value.code == "LM803"
    assert caught.value.hint == "did you mean `outcome_short`?"


def test_feedback_links_are_set_aside() -> None:
    model = layered(2, 3, feedback=True)
    assert routes(model).count == 2 ** 3
    assert routes(model).feedback == ["impact->n0_0"]


def test_10_to_the_30_routes_count_fast() -> None:
    model = layered(10, 31)
    sk = skeleton(model)
    sources, targets = sk.select("input"), sk.select("impact")
    start = time.perf_counter()
    count = route_set(sk, sources, targets).count
    elapsed = time.perf_counter() - start
    assert count == 10 ** 31
    assert elapsed < 0.1, f"counting took {elapsed:.3f} s"


def test_listing_many_routes_is_output_sensitive() -> None:
    model = layered(10, 31)
    start = time.perf_counter()
    report = routes(model, limit=5)
    assert time.perf_counter() - start < 1.0
    assert report.count == 10 ** 31
    assert len(report.listed) == 5
    assert report.truncated


@st.composite
def _dags(draw: st.DrawFn) -> tuple[list[tuple[str, str]], list[str], list[str],
                                    list[list[str]]]:
    n = draw(st.integers(3, 9))
    names = [f"v{i}" for i in range(n)]
    pairs = [(names[i], names[j]) for i in range(n) for j in range(i + 1, n)]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    sources = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    targets = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    g = nx.DiGraph(edges)
    pathways: list[list[str]] = []
    for a, b in draw(st.lists(st.sampled_from(pairs), max_size=3)):
        if a in g and b in g and nx.has_path(g, a, b):
            pathways.append(nx.shortest_path(g, a, b))
    return edges, sources, targets, pathways


@settings(max_examples=150, deadline=None)
@given(_dags())
def test_counts_and_listings_match_brute_force(
        case: tuple[list[tuple[str, str]], list[str], list[str], list[list[str]]]) -> None:
    edges, sources, targets, pathways = case
    model = from_edges(edges, {f"v{i}": "activity" for i in range(9)})
    sk = skeleton(model)
    brute = _all_paths(model, sources, targets)
    everything = route_set(sk, sources, targets)
    assert everything.count == len(brute)
    outside = [r for r in brute if not any(_contains(r, p) for p in pathways)]
    rs = route_set(sk, sources, targets, avoid=pathways)
    assert rs.count == len(outside)
    from logicmodel.analysis import list_routes

    listed = [[r[0].source, *(e.target for e in r)] for r in list_routes(rs, 10 ** 6)]
    assert sorted(listed) == sorted(outside)
    assert len(list_routes(rs, 2)) == min(2, len(outside))
    # the report: a route along part of a pathway belongs to it too
    report = routes(from_edges(edges, {f"v{i}": "activity" for i in range(9)},
                               [p for p in pathways if len(p) > 1]),
                    ",".join(sources), ",".join(targets), limit=1000)
    undeclared = [r for r in brute if not any(_contains(r, p) or _contains(p, r)
                                              for p in pathways if len(p) > 1)]
    assert report.undeclared_count == len(undeclared)
    assert sorted([r[0].source, *(e.target for e in r)] for r in report.undeclared) == sorted(
        undeclared)


def test_cli_paths_text(cli: Cli, golden: Callable[[str, str], None]) -> None:
    r = cli("paths", FLAGSHIP, "--limit", "2")
    assert (r.code, r.err) == (0, "")
    golden("analysis/paths_cli.txt", r.out)


def test_cli_paths_json(cli: Cli) -> None:
    r = cli("paths", FLAGSHIP, "--format", "json", "--from", "in_budget", "--to",
            "outcome_long", "--limit", "100")
    assert r.code == 0
    data = json.loads(r.out)
    assert data["routes"]["sources"] == ["in_budget"]
    assert data["routes"]["count"] == len(data["routes"]["routes"]) == 7
    assert data["routes"]["truncated"] is False
    assert [p["id"] for p in data["pathways"]] == ["dedicated_resources",
                                                   "worker_family_relationship"]


def test_cli_paths_counts_huge_models(cli: Cli, tmp_path: Path) -> None:
    model = layered(10, 31)
    path = tmp_path / "big.json"
    path.write_text(model.model_dump_json(by_alias=True, exclude_none=True))
    r = cli("paths", str(path), "--format", "json", "--limit", "1", cwd=tmp_path)
    assert r.code == 0, r.out + r.err
    assert json.loads(r.out)["routes"]["count"] == 10 ** 31


def test_cli_unknown_selector_is_a_usage_error(cli: Cli) -> None:
    r = cli("paths", FLAGSHIP, "--from", "nowhere")
    assert r.code == 2
    assert r.err == (
        "logicmodel: LM803 `nowhere` is not a node id, kind or stage\n"
        "    hint: give node ids, kinds (e.g. input) or stages, separated by commas\n")


def test_cli_invalid_model_gives_located_diagnostics(cli: Cli) -> None:
    broken = "tests/negative/graph/devolved_budgets_typos.yaml"
    for command in ("paths", "analyze"):
        r = cli(command, broken)
        assert r.code == 1
        assert r.out == ""
        lines = r.err.splitlines()
        assert lines[0].startswith(f"{broken}:")
        assert all(" error: " in ln for ln in lines if ln.startswith(broken))
        errors = [ln for ln in cli("check", broken).out.splitlines() if " error: " in ln]
        assert [ln for ln in lines if " error: " in ln] == errors
        assert lines[-2] == "Found 4 problems (4 errors) in 1 file."
        assert lines[-1] == f"logicmodel: {broken} has errors; nothing was analysed"


def test_a_cycle_let_through_by_the_configuration_is_lm801(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(
        "logicmodel: 1\ntitle: T\nnodes:\n"
        "  - {id: a, kind: activity, label: A}\n  - {id: b, kind: output, label: B}\n"
        "  - {id: c, kind: impact, label: C}\n"
        "links:\n  - {from: a, to: b}\n  - {from: b, to: a}\n  - {from: b, to: c}\n")
    (tmp_path / "logicmodel.toml").write_text('ignore = ["LM201", "LM202"]\n')
    assert cli("check", "m.yaml", cwd=tmp_path).code == 0
    expected = ("m.yaml:8:5: LM801 error: the causal chain has a cycle, `a` -> `b` -> `a`; "
                "analyses need it acyclic\n"
                "    hint: mark the link that closes the loop `feedback: true`, or remove it\n"
                "Found 1 problem (1 error) in 1 file.\n")
    for command, done in ((["paths"], "analysed"), (["analyze"], "analysed"),
                          (["export", "--to", "json"], "exported")):
        r = cli(*command, "m.yaml", cwd=tmp_path)
        assert (r.code, r.out) == (1, "")
        assert r.err == expected + f"logicmodel: m.yaml has errors; nothing was {done}\n"


CHAIN = "docs/examples/results_chain.yaml"


def test_no_inputs_or_impact_start_and_end_where_the_model_does(cli: Cli) -> None:
    model = load(CHAIN)
    report = routes(model)
    assert (report.sources, report.targets, report.count) == (["attend"], ["behaviour"], 2)
    assert report.source_selector == "output"
    assert len(report.chosen) == 2
    assert "no inputs, so routes start at its outputs" in report.chosen[0]
    assert "no impact, so routes end at the results no link leads on from" in report.chosen[1]
    f = fragility(model)
    assert f.routes == 2
    assert f.critical_links == ["L5"]
    assert f.chosen == report.chosen
    r = cli("analyze", CHAIN, "--only", "fragility")
    assert r.code == 0
    assert "Fragility: 2 routes from attend to behaviour" in r.out
    assert "chosen: the model has no inputs" in r.out
    # asking for inputs by name still gets none, and says nothing was chosen
    named = routes(model, "input", "impact")
    assert (named.count, named.chosen) == (0, [])


def test_a_model_with_inputs_and_impact_chooses_nothing() -> None:
    report = routes(load(FLAGSHIP))
    assert report.chosen == []
    assert report.source_selector == "input"
    assert report.target_selector == "impact"
