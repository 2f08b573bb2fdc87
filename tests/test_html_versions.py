"""The viewer of a short version: each box's panel names the boxes of the full version it
stands for (as text, with no network), for the base and for each variant."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from logicmodel.pipeline import open_model
from logicmodel.render import RenderOptions, render
from tests.conftest import ROOT, CliResult
from tests.test_html import _Page

Cli = Callable[..., CliResult]
SUMMARY = "models/devolved_budgets_summary.yaml"


def _data(path: Path) -> tuple[_Page, dict[str, Any]]:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page, json.loads(next(t for a, t in page.scripts if a.get("id") == "lm-data"))


def _panel(elements: dict[str, Any], node_id: str) -> dict[str, Any]:
    el = next(e for e in elements.values() if e.get("id") == node_id)
    sections = {s["h"]: s for s in el["sections"]}
    return sections["In the full version"]


def test_a_summary_box_names_the_full_boxes_it_stands_for(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "summary.html"
    r = cli("render", SUMMARY, "-o", str(out))
    assert r.code == 0, r.err
    page, data = _data(out)
    assert "connect-src 'none'" in page.policy() or "default-src 'none'" in page.policy()
    base, darlington = data["variants"][0], data["variants"][1]
    assert (base["id"], darlington["id"]) == ("base", "darlington")
    items = _panel(base["elements"], "spending")["items"]
    assert items[0]["text"] == "This box stands for 3 boxes of devolved_budgets.yaml:"
    assert [i["title"] for i in items[1:]] == [
        "Identify eligible families or young people", "Worker and family decide what would help",
        "Buy goods and services quickly"]
    assert ["Id", "act_purchase"] in items[3]["rows"]
    assert ["Kind", "Activity"] in items[3]["rows"]
    # a pilot's summary names its pilot's own boxes: Darlington's random allocation
    pilot = _panel(darlington["elements"], "spending")["items"]
    assert "Allocate budgets to 30-50 families at random" in [i.get("title") for i in pilot]
    assert [i.get("title") for i in _panel(darlington["elements"], "at_home")["items"][1:]] \
        == ["Children live safely at home"]
    # links and the full version's own page have no such section
    assert all(s["h"] != "In the full version" for e in base["elements"].values()
               if e["type"] == "Link" for s in e["sections"])
    full = tmp_path / "full.html"
    assert cli("render", "models/devolved_budgets.yaml", "-o", str(full)).code == 0
    assert "In the full version" not in full.read_text(encoding="utf-8")


def test_full_labels_stay_text_and_a_shared_box_says_where_else(cli: Cli,
                                                                tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    shutil.copytree(ROOT / "tests" / "data" / "versions", proj)
    (proj / "logicmodel.toml").write_text("")
    full = proj / "full.yaml"
    full.write_text(full.read_text().replace(
        "label: Goods and services bought",
        "label: \"</script><img src=x onerror=\\\"window.pwned=1\\\">\""))
    short = proj / "short.yaml"
    short.write_text(short.read_text().replace("change: [trust, calmer]",
                                               "change: [trust, calmer, goods]")
                     .replace("    result: fewer\n", "    result: fewer\n  shared: [goods]\n"))
    out = tmp_path / "short.html"
    r = cli("render", "proj/short.yaml", "-o", str(out), cwd=tmp_path)
    assert r.code == 0, r.err
    page, data = _data(out)
    for tag, attrs in page.tags:
        assert tag != "img"
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
    block = next(t for a, t in page.scripts if a.get("id") == "lm-data")
    assert "<" not in block
    help_items = _panel(data["elements"], "help")["items"]
    goods = next(i for i in help_items if ["Id", "goods"] in i.get("rows", []))
    assert goods["title"] == "</script><img src=x onerror=\"window.pwned=1\">"
    assert ["Also in", "Families trust workers and calm down"] in goods["rows"]


def test_without_the_full_version_the_panel_gives_the_ids() -> None:
    doc = open_model(SUMMARY).document
    assert doc is not None
    assert doc.model is not None
    page = _Page()
    page.feed(render(doc.model, "html", RenderOptions()).data.decode("utf-8"))
    data = json.loads(next(t for a, t in page.scripts if a.get("id") == "lm-data"))
    items = _panel(data["elements"], "dedicated")["items"]
    assert items[1] == {"title": "mech_dedicated", "rows": [["Id", "mech_dedicated"]]}


def test_the_preview_of_a_short_version_names_the_full_boxes(tmp_path: Path) -> None:
    from logicmodel.preview import Preview

    proj = tmp_path / "proj"
    shutil.copytree(ROOT / "tests" / "data" / "versions", proj)
    (proj / "logicmodel.toml").write_text("")
    preview = Preview(proj / "short.yaml")
    try:
        build = preview.page("short.yaml")
        assert build.rendered
        page = _Page()
        page.feed(build.page.decode("utf-8"))
        data = json.loads(next(t for a, t in page.scripts if a.get("id") == "lm-data"))
        titles = [i.get("title") for i in _panel(data["elements"], "help")["items"]]
        assert titles == [None, "Buy what the family needs", "Goods and services bought"]
    finally:
        preview.close()
