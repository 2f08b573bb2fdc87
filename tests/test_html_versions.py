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
from tests.browser import browser_fixture, console, needs_browser  # noqa: F401 - fixture
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


def test_a_pilot_s_panel_names_the_full_version_s_variant(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "summary.html"
    assert cli("render", SUMMARY, "-o", str(out)).code == 0
    _, data = _data(out)
    by_id = {v["id"]: v for v in data["variants"]}
    assert _panel(by_id["base"]["elements"], "spending")["items"][0]["text"] == \
        "This box stands for 3 boxes of devolved_budgets.yaml:"
    assert _panel(by_id["darlington"]["elements"], "spending")["items"][0]["text"] == \
        "This box stands for 4 boxes of devolved_budgets.yaml, variant Darlington:"
    assert _panel(by_id["wigan"]["elements"], "at_home")["items"][0]["text"] == \
        "This box stands for 2 boxes of devolved_budgets.yaml, variant Wigan:"
    # one variant asked for: its page says the same
    one = tmp_path / "hillingdon.html"
    assert cli("render", SUMMARY, "--variant", "hillingdon", "-o", str(one)).code == 0
    _, data = _data(one)
    [hillingdon] = data["variants"]
    assert _panel(hillingdon["elements"], "at_home")["items"][0]["text"] == \
        "This box stands for 1 box of devolved_budgets.yaml, variant Hillingdon:"


def test_a_short_version_of_a_full_variant_names_it_without_variants_of_its_own(
        cli: Cli, tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    shutil.copytree(ROOT / "tests" / "data" / "pilots", proj)
    (proj / "logicmodel.toml").write_text("")
    short = proj / "funder.yaml"
    text = short.read_text()
    short.write_text(text[:text.index("variants:")].replace(
        "  model: programme.yaml\n", "  model: programme.yaml\n  variant: east\n"))
    out = tmp_path / "east.html"
    r = cli("render", "proj/funder.yaml", "-o", str(out), cwd=tmp_path)
    assert r.code == 0, r.err
    _, data = _data(out)
    items = _panel(data["elements"], "budget")["items"]
    assert items[0]["text"] == "This box stands for 2 boxes of programme.yaml, variant East:"
    assert items[1]["title"] == "A budget of up to £500 per family"  # East's own label


# ---- in the browser ---------------------------------------------------------------------

def _open(driver: Any, url: str) -> None:
    driver.get(url)
    console(driver)
    assert driver.execute_script("return document.body.dataset.ready") == "1"


def _click_box(driver: Any, label: str) -> None:
    from selenium.webdriver.common.by import By

    box = next(g for g in driver.find_elements(By.CSS_SELECTOR, "#lm-svg .lm-node")
               if g.is_displayed() and g.get_attribute("aria-label").startswith(label))
    box.click()


def _choose(driver: Any, label: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.ID, "lm-variant")).select_by_visible_text(label)


@needs_browser
def test_choose_a_pilot_and_the_panel_names_its_full_variant(browser: Any, cli: Cli,
                                                             tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    out = tmp_path / "summary.html"
    assert cli("render", SUMMARY, "-o", str(out)).code == 0
    _open(browser, out.as_uri())
    _click_box(browser, "Worker and family agree on help and buy it quickly")
    panel = browser.find_element(By.ID, "lm-panel").text
    assert "This box stands for 3 boxes of devolved_budgets.yaml:" in panel
    _choose(browser, "Darlington")
    panel = browser.find_element(By.ID, "lm-panel").text
    assert "This box stands for 4 boxes of devolved_budgets.yaml, variant Darlington:" in panel
    assert "Allocate budgets to 30-50 families at random" in panel
    _choose(browser, "Wigan")
    _click_box(browser, "Children live safely at home, or return home")
    panel = browser.find_element(By.ID, "lm-panel").text
    assert "This box stands for 2 boxes of devolved_budgets.yaml, variant Wigan:" in panel
    assert "Children in care reunified with family" in panel
    browser.save_screenshot(str(tmp_path / "wigan.png"))
    assert not [m for m in console(browser) if "Content Security Policy" in m]


@needs_browser
def test_serve_a_summary_and_the_panel_names_the_pilot(browser: Any,
                                                       tmp_path: Path) -> None:
    import re
    import signal
    import subprocess
    import sys

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "logicmodel.toml").write_text("")
    for name in ("devolved_budgets.yaml", "devolved_budgets_summary.yaml"):
        shutil.copy(ROOT / "models" / name, proj / name)
    exe = Path(sys.executable).parent / "logicmodel"
    proc = subprocess.Popen([str(exe), "serve", "devolved_budgets_summary.yaml", "--port", "0",
                             "--variant", "hillingdon"], cwd=proj, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout is not None
        m = re.search(r"at (http://\S+/) ", proc.stdout.readline())
        assert m, proc.stderr.read() if proc.stderr else ""
        browser.get(m.group(1))
        WebDriverWait(browser, 60, poll_frequency=0.1).until(
            lambda d: d.execute_script("return document.body.dataset.ready") == "1")
        _click_box(browser, "Children live safely at home")
        panel = browser.find_element(By.ID, "lm-panel").text
        assert "This box stands for 1 box of devolved_budgets.yaml, variant Hillingdon:" \
            in panel
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=15)
        finally:
            if proc.poll() is None:
                proc.kill()
