"""Where to look first: contested links, high-risk assumptions, links without evidence."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from logicmodel.analysis import fragility, priorities, route_set, skeleton
from logicmodel.analysis.text import format_priorities
from logicmodel.loader import load
from logicmodel.schema import LogicModel
from tests.analysis_models import FLAGSHIP
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


def _with_evidence(model: LogicModel, link_id: str, items: list[Any]) -> LogicModel:
    """The model with a link's evidence replaced by format-2 style items."""
    links = [lk.model_copy(update={"evidence": items}) if lk.id == link_id else lk
             for lk in model.links]
    return model.model_copy(update={"links": links})


def _wigan() -> LogicModel:
    """The flagship's Wigan pilot: reunification is a second way to the impact, so links
    carry different shares of the routes (in the base, every route runs through L27 and L29)."""
    from logicmodel.pipeline import open_model

    model = open_model(str(FLAGSHIP), variant="wigan").model
    assert model is not None
    return model


def _brute_routes_through(model: LogicModel, u: str, v: str) -> int:
    sk = skeleton(model)
    ins = sk.select("input")
    into = route_set(sk, ins, [u]).count + (1 if u in ins else 0)
    out = route_set(sk, [v], ["imp_less_care"]).count + (1 if v == "imp_less_care" else 0)
    return into * out


def test_flagship_ranks_the_contested_link_the_high_risk_assumption_then_unevidenced_links(
        ) -> None:
    model = load(FLAGSHIP)
    p = priorities(model)
    assert p.routes == 22
    # key finding 8 cuts both ways: some children stayed at home, many were not at risk
    first, second = p.items[:2]
    assert (first.kind, first.id, first.routes) == ("contested link", "L29", 22)
    assert "1 item of evidence mixed: Key finding 8: for some families" in first.why
    assert (second.kind, second.id, second.routes, second.on) == (
        "high-risk assumption", "as_targeting", 22, ("L29",))
    links = [i for i in p.items if i.kind == "link without evidence"]
    assert [i.id for i in links[:2]] == ["L26", "L27"]
    assert links[0].routes == 22  # the single points of failure carry every route
    assert [i.routes for i in links] == sorted((i.routes for i in links), reverse=True)
    for item in links:
        lk = next(lk for lk in model.links if lk.id == item.id)
        assert item.routes == _brute_routes_through(model, lk.source, lk.target)
    assert "L01" in p.off_route  # a context link on no route to the impact
    # in Wigan's pilot, reunification takes half the routes past L27 and L29
    w = priorities(_wigan())
    assert w.routes == 44
    assert [(i.id, i.routes) for i in w.items[:2]] == [("L29", 22), ("as_targeting", 22)]
    assert next(i for i in w.items if i.kind == "link without evidence").id == "L26"


def test_a_planted_contested_link_tops_the_list() -> None:
    model = _with_evidence(_wigan(), "L22", [
        SimpleNamespace(direction="for", grade="moderate", note=None),
        SimpleNamespace(direction="against", grade="limited",
                        note="participation 30% lower among fathers"),
    ])
    p = priorities(model)
    # after the flagship's own contested link (L29, 22 routes), before everything else
    assert [(i.kind, i.id) for i in p.items[:3]] == [
        ("contested link", "L29"), ("contested link", "L22"),
        ("high-risk assumption", "as_targeting")]
    top = p.items[1]
    assert top.routes == 2  # carries few routes, yet evidence against comes first
    assert "1 item of evidence against (limited): participation 30% lower" in top.why
    assert "L22" not in [i.id for i in p.items[2:]]
    text = format_priorities(p)
    assert "2. contested link L22 [inferred]: carries 2 routes (4%)" in text


def test_mixed_evidence_is_contested_and_ranks_by_routes() -> None:
    model = _with_evidence(_wigan(), "L20", [
        SimpleNamespace(direction="mixed", grade=None, note=None)])
    model = _with_evidence(model, "L22", [
        SimpleNamespace(direction="against", grade=None, note=None)])
    p = priorities(model)
    assert [(i.kind, i.id) for i in p.items[:3]] == [("contested link", "L20"),
                                                     ("contested link", "L29"),
                                                     ("contested link", "L22")]
    assert p.items[0].routes == 36 > p.items[1].routes == 22 > p.items[2].routes


def test_routes_agree_with_fragility() -> None:
    model = load(FLAGSHIP)
    p = priorities(model)
    critical = set(fragility(model).critical_links)
    assert {i.id for i in p.items if i.routes == p.routes and i.kind != "high-risk assumption"
            } == critical


def test_cli_json_and_text(cli: Cli) -> None:
    r = cli("analyze", FLAGSHIP, "--only", "priorities", "--format", "json")
    data = json.loads(r.out)["priorities"]
    assert [i["id"] for i in data["where_to_look_first"][:2]] == ["L29", "as_targeting"]
    text = cli("analyze", FLAGSHIP, "--only", "priorities", "--limit", "3").out
    assert text.splitlines()[0].startswith("Where to look first (22 routes")
    assert "... 12 more not listed (limit 3; use --limit or --format json)" in text
