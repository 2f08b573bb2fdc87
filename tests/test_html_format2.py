"""The viewer on a format-2 model: groups are a filter, a branching pathway filters whole."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import logicmodel
from logicmodel.render import render
from tests.browser import browser_fixture, needs_browser  # noqa: F401 - fixture
from tests.conftest import ROOT

GROUPS = ROOT / "tests" / "data" / "html" / "groups.yaml"


def _data(page: str) -> Any:
    start = page.index('<script type="application/json" id="lm-data">') + 45
    return json.loads(page[start:page.index("</script>", start)])


def _keys(model: Any) -> tuple[dict[str, str], dict[str, str]]:
    nodes = {n.id: f"n{i}" for i, n in enumerate(model.nodes)}
    links = {lk.id: f"l{k}" for k, lk in enumerate(model.links)}
    return nodes, links


def test_groups_and_a_branching_pathway_are_facets() -> None:
    model = logicmodel.load(GROUPS)
    page = render(model, "html").data.decode("utf-8")
    facets = {f["id"]: f["members"] for f in _data(page)["facets"]}
    nodes, links = _keys(model)
    on = {k for k, v in facets["pathway"].items() if "branch" in v}
    assert on == {nodes[n] for n in ("train", "skills", "visits", "know", "health")} | {
        links[lk] for lk in ("L2", "L3", "L4", "L5", "L6")}
    staff = {k for k, v in facets["group"].items() if "staff" in v}
    # a group's boxes, and the links both of whose ends are in it
    assert staff == {nodes["funding"], nodes["train"], nodes["skills"], links["L1"], links["L2"]}
    assert '<select id="lm-facet-group" data-facet="group">' in page
    assert '<option value="mothers">Mothers</option>' in page


def test_evidence_against_is_in_the_panel() -> None:
    model = logicmodel.load(GROUPS)
    data = _data(render(model, "html").data.decode("utf-8"))
    _, links = _keys(model)
    sections = {s["h"]: s for s in data["elements"][links["L5"]]["sections"]}
    rows = [i["rows"] for i in sections["Evidence"]["items"]]
    assert ["Direction", "against"] in rows[1]
    assert sections["Evidence"]["items"][1]["text"] == "Participation 30% lower among fathers"


@needs_browser
def test_filter_a_group_in_the_browser(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    model = logicmodel.load(GROUPS)
    nodes, _ = _keys(model)
    out = tmp_path / "groups.html"
    out.write_bytes(render(model, "html").data)
    browser.get(out.as_uri())

    def shown(node: str) -> bool:
        return bool(browser.find_element(
            By.CSS_SELECTOR, f'g[data-key="{nodes[node]}"]').is_displayed())

    Select(browser.find_element(By.ID, "lm-facet-group")).select_by_value("mothers")
    assert shown("visits")
    assert shown("know")
    assert not shown("train")
    assert not shown("health")
    # two filters at once: what is in both
    Select(browser.find_element(By.ID, "lm-facet-pathway")).select_by_value("branch")
    assert shown("visits")
    assert not shown("funding")
    Select(browser.find_element(By.ID, "lm-facet-group")).select_by_value("")
    assert shown("health")
    assert not shown("funding")

