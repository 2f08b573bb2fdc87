"""Testable implications (d-separation among measured nodes) and the DAGitty export."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from itertools import combinations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from logicmodel.analysis import causal_dag, implications, skeleton, to_dagitty
from logicmodel.analysis.implications import _Separation
from logicmodel.analysis.text import format_implications
from logicmodel.loader import load
from tests.analysis_models import FLAGSHIP, from_edges
from tests.conftest import CliResult

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
    assert imp.pairs == len(imp.statements) == 36
    assert imp.untestable_pairs == 10
    assert imp.adjacent_pairs == 9
    n = len(imp.measured)
    assert imp.pairs + imp.untestable_pairs + imp.adjacent_pairs == n * (n - 1) // 2


def test_grouped_statements_imply_the_pairs() -> None:
    model = load(FLAGSHIP)
    grouped = implications(model)
    pairs = implications(model, pairs=True)
    covered = {frozenset((s.x, y)) for s in grouped.statements for y in s.ys}
    assert covered == {frozenset((s.x, s.ys[0])) for s in pairs.statements}
    assert len(grouped.statements) == 6


def test_implications_golden(golden: Callable[[str, str], None]) -> None:
    golden("analysis/flagship_implications.txt", format_implications(implications(
        load(FLAGSHIP))))


def test_dagitty_golden(golden: Callable[[str, str], None]) -> None:
    golden("analysis/flagship.dagitty", to_dagitty(load(FLAGSHIP)))


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


def test_dagitty_quotes_ids_with_hyphens() -> None:
    model = load(FLAGSHIP)
    data = model.model_dump(by_alias=True, exclude_none=True)
    data["nodes"][0]["id"] = "ctx-hardship"
    for lk in data["links"]:
        if lk["from"] == "ctx_hardship":
            lk["from"] = "ctx-hardship"
    text = to_dagitty(type(model).model_validate(data))
    assert '"ctx-hardship" [latent]' in text
    assert '"ctx-hardship" -> in_budget' in text
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
