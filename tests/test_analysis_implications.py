"""Testable implications (d-separation among measured nodes) and the DAGitty export."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logicmodel.analysis import BudgetError, causal_dag, implications, skeleton, to_dagitty
from logicmodel.analysis.implications import _Separation
from logicmodel.analysis.text import format_implications
from logicmodel.loader import load
from tests.analysis_models import FLAGSHIP, from_edges
from tests.conftest import CliResult, needs_crosscheck

Cli = Callable[..., CliResult]


def test_every_statement_is_a_d_separation() -> None:
    model = load(FLAGSHIP)
    g = causal_dag(model)
    assert nx.is_directed_acyclic_graph(g)
    assert not g.has_edge("mech_relationship", "act_joint_plan")  # L25, feedback
    for pairwise in (False, True):
        imp = implications(model, pairs=pairwise)
        measured = set(imp.measured)
        for s in imp.statements:
            assert {s.x, *s.ys, *s.given} <= measured
            assert nx.is_d_separator(g, {s.x}, set(s.ys), set(s.given))
            for drop in s.given:  # minimal: no conditioning node can be left out
                smaller = set(s.given) - {drop}
                if len(s.ys) == 1:
                    assert not nx.is_d_separator(g, {s.x}, set(s.ys), smaller)


def test_pairs_cover_every_separable_pair() -> None:
    model = load(FLAGSHIP)
    g = causal_dag(model)
    imp = implications(model, pairs=True)
    measured = set(imp.measured)
    found = {frozenset((s.x, s.ys[0])) for s in imp.statements}
    for x, y in combinations(imp.measured, 2):
        if g.has_edge(x, y) or g.has_edge(y, x):
            continue
        separable = nx.find_minimal_d_separator(g, x, y, restricted=measured - {x, y})
        assert (frozenset((x, y)) in found) == (separable is not None)
    assert imp.pairs == len(imp.statements) == 28
    assert imp.untestable_pairs == 10
    assert imp.adjacent_pairs == 7
    n = len(imp.measured)
    assert imp.pairs + imp.untestable_pairs + imp.adjacent_pairs == n * (n - 1) // 2


def test_grouped_statements_imply_the_pairs() -> None:
    model = load(FLAGSHIP)
    grouped = implications(model)
    pairs = implications(model, pairs=True)
    covered = {frozenset((s.x, y)) for s in grouped.statements for y in s.ys}
    assert covered == {frozenset((s.x, s.ys[0])) for s in pairs.statements}
    assert len(grouped.statements) == 5


def test_implications_golden(golden: Callable[[str, str], None]) -> None:
    golden("analysis/flagship_implications.txt", format_implications(implications(
        load(FLAGSHIP))))


def test_dagitty_golden(golden: Callable[[str, str], None]) -> None:
    golden("analysis/flagship.dagitty", to_dagitty(load(FLAGSHIP)))


@needs_crosscheck
def test_dagitty_read_back_by_an_independent_parser() -> None:
    model = load(FLAGSHIP)
    text = to_dagitty(model)
    with warnings.catch_warnings():  # pgmpy's parser uses deprecated pyparsing names
        warnings.simplefilter("ignore")
        from pgmpy.base import DAG

        dag = DAG.from_dagitty(text)
    assert set(dag.edges()) == set(causal_dag(model).edges())
    assert set(dag.nodes()) == {n.id for n in model.nodes}
    roles = dag.get_role_dict()
    assert set(roles["outcomes"]) == {"imp_less_care"}
    assert set(roles["exposures"]) == {n.id for n in model.nodes
                                       if n.kind in ("input", "activity")}
    assert {"mech_dedicated", "mech_relationship"} <= set(roles["latents"])
    assert not set(roles["latents"]) & {n.id for n in model.nodes
                                        if getattr(n, "indicators", None)}


def _hyphenated_dagitty() -> str:
    model = load(FLAGSHIP)
    data = model.model_dump(by_alias=True, exclude_none=True)
    data["nodes"][0]["id"] = "ctx-hardship"
    for lk in data["links"]:
        if lk["from"] == "ctx_hardship":
            lk["from"] = "ctx-hardship"
    return to_dagitty(type(model).model_validate(data))


def test_dagitty_quotes_ids_with_hyphens() -> None:
    text = _hyphenated_dagitty()
    assert '"ctx-hardship" [latent]' in text
    assert '"ctx-hardship" -> in_budget' in text


@needs_crosscheck
def test_dagitty_quoted_ids_read_back_by_an_independent_parser() -> None:
    text = _hyphenated_dagitty()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pgmpy.base import DAG

        assert ("ctx-hardship", "in_budget") in DAG.from_dagitty(text).edges()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=22),
       st.sets(st.integers(0, 8), min_size=2))
def test_separation_matches_networkx(pairs: list[tuple[int, int]], chosen: set[int]) -> None:
    edges = sorted({(f"v{a}", f"v{b}") for a, b in pairs if a < b})
    model = from_edges(edges, {f"v{i}": "activity" for i in range(9)})
    sk = skeleton(model)
    measured = {f"v{i}" for i in chosen}
    sep = _Separation(sk, measured)
    g = causal_dag(model, sk)
    for x, y in combinations(sorted(measured), 2):
        z_nx = nx.find_minimal_d_separator(g, {x}, {y}, restricted=measured - {x, y})
        assert sep.separable(x, y) == (z_nx is not None)
        z = sep.minimal([x], [y])
        assert (z is None) == (z_nx is None)
        if z is not None:
            assert nx.is_d_separator(g, {x}, {y}, set(z))
            for drop in z:  # minimal
                assert not nx.is_d_separator(g, {x}, {y}, set(z) - {drop})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=30),
       st.sets(st.integers(0, 11), min_size=2))
def test_quick_separability_matches_networkx(pairs: list[tuple[int, int]],
                                             chosen: set[int]) -> None:
    # the per-node walks settle most pairs without a walk per pair; every answer is
    # the one networkx gives, ancestors and unrelated pairs alike
    edges = sorted({(f"v{a}", f"v{b}") for a, b in pairs if a < b})
    model = from_edges(edges, {f"v{i}": "activity" for i in range(12)})
    sk = skeleton(model)
    measured = {f"v{i}" for i in chosen}
    sep = _Separation(sk, measured)
    g = causal_dag(model, sk)
    ordered = [n for n in sk.order if n in measured]
    for j, y in enumerate(ordered):
        apart = [x for x in ordered[:j] if not g.has_edge(x, y) and not g.has_edge(y, x)]
        yes, no = sep.separable_from(y, apart)
        assert sorted(yes + no) == sorted(apart)
        for x in apart:
            z_nx = nx.find_minimal_d_separator(g, {x}, {y}, restricted=measured - {x, y})
            assert (x in yes) == (z_nx is not None)
    imp = implications(model)
    for s in imp.statements:
        assert nx.is_d_separator(g, {s.x}, set(s.ys), set(s.given))


def test_quick_tests_leave_few_pairs_to_walk() -> None:
    # 1,000 nodes, 625 measured: of ~190,000 pairs, the per-pair walk runs for a handful
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from synthetic import synthetic_model

    from logicmodel.loader import load_text

    model = load_text(synthetic_model(1000, measure_outputs=True)).model
    assert model is not None
    sk = skeleton(model)
    measured = {n.id for n in model.nodes if getattr(n, "indicators", None)}
    assert len(measured) == 625
    sep = _Separation(sk, measured)
    imp = implications(model, sk)
    ordered = [n for n in sk.order if n in measured]
    linked = {(e.source, e.target) for e in sk.edges}
    for j, y in enumerate(ordered):
        sep.separable_from(y, [x for x in ordered[:j] if (x, y) not in linked])
    assert imp.pairs + imp.untestable_pairs + imp.adjacent_pairs == 625 * 624 // 2
    assert sep.walked < 0.01 * imp.pairs


def test_pairs_the_quick_tests_leave_open_are_walked() -> None:
    # u and v are common causes of x and y, each behind a measured node on one side:
    # each walk reaches the other's ancestors but no latent node in common
    edges = [("u", "m1"), ("m1", "x"), ("u", "l1"), ("l1", "y"),
             ("v", "l2"), ("l2", "x"), ("v", "m2"), ("m2", "y")]
    model = from_edges(edges, {})
    sk = skeleton(model)
    measured = {"m1", "m2", "x", "y"}
    sep = _Separation(sk, measured)
    first, second = sorted(("x", "y"), key=sk.order.index)
    yes, no = sep.separable_from(second, [first])
    assert (yes, no, sep.walked) == ([first], [], 1)
    assert nx.is_d_separator(causal_dag(model, sk), {"x"}, {"y"}, {"m1", "m2"})


def test_over_budget_is_refused_with_a_code(cli: Cli) -> None:
    model = load(FLAGSHIP)
    with pytest.raises(BudgetError) as info:
        implications(model, pairs=True, budget=1_000)
    assert info.value.code == "LM802"
    assert implications(model, pairs=True, budget=None).pairs == 28
    r = cli("analyze", FLAGSHIP, "--pairs", "--budget", "1000")
    assert r.code == 1
    assert r.out == ""
    assert "LM802 listing 28 implications pair by pair" in r.err
    assert "hint: drop `--pairs`" in r.err


def test_budget_setting_is_read_from_the_configuration(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "logicmodel.toml").write_text("analysis-budget = 200\n")
    model = tmp_path / "m.yaml"
    model.write_bytes(Path(FLAGSHIP).read_bytes())
    r = cli("analyze", str(model), "--only", "implications")
    assert r.code == 1
    assert "over the budget of 200 (`analysis-budget`)" in r.err
    assert cli("analyze", str(model), "--only", "implications", "--budget", "5000").code == 0
    assert cli("analyze", str(model), "--only", "fragility").code == 0


def test_text_lists_are_capped_with_a_count() -> None:
    model = load(FLAGSHIP)
    text = format_implications(implications(model, pairs=True), limit=5)
    assert "... 23 more statements not listed (limit 5; use --limit or --format json)" in text
    assert len([ln for ln in text.splitlines() if "_||_" in ln]) == 5
    grouped = format_implications(implications(model), limit=2)
    assert "... and " in grouped
