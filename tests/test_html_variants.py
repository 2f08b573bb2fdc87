"""The viewer of a model with variants: one figure per variant, switched in the page.

The page is written by the real CLI from the flagship (three pilots as variants); the
browser tests choose a variant in headless Chromium and look at what it shows.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from logicmodel.signs import CHANGED
from tests.browser import browser_fixture, console, needs_browser  # noqa: F401 - fixture
from tests.conftest import MODELS
from tests.test_html import _Page, _sha

FLAGSHIP = MODELS / "devolved_budgets.yaml"
EXE = Path(sys.executable).parent / "logicmodel"


def _render(out: Path, *args: str, model: Path = FLAGSHIP, seed: str = "0") -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run([str(EXE), "render", str(model), *args, "-o", str(out)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out.read_bytes()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    where = tmp_path_factory.mktemp("variants")
    out = {"all": where / "all.html", "darlington": where / "darlington.html",
           "base": where / "base.html"}
    _render(out["all"])
    _render(out["darlington"], "--variant", "darlington")
    _render(out["base"], "--variant", "base")
    return out


def _parsed(path: Path) -> tuple[_Page, dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    data = json.loads(next(t for a, t in page.scripts if a.get("id") == "lm-data"))
    return page, data, text


def _by_id(elements: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {el["id"]: el for el in elements.values()}


def test_the_page_holds_every_variant_with_its_own_elements(pages: dict[str, Path]) -> None:
    page, data, text = _parsed(pages["all"])
    assert [v["id"] for v in data["variants"]] == ["base", "darlington", "hillingdon", "wigan"]
    assert text.count('<template class="lm-variant-figure">') == 3
    assert text.count('<svg id="lm-svg"') == 4
    base, darlington = (_by_id(v["elements"]) for v in data["variants"][:2])
    assert "lt_reunified" not in base  # Wigan's alone
    assert "act_allocate" not in base
    assert "L07" not in {el.get("id") for el in darlington.values()}
    assert "act_allocate" in darlington
    wigan = _by_id(data["variants"][3]["elements"])
    assert wigan["lt_reunified"]["mark"] == "added"
    assert darlington["act_allocate"]["mark"] == "added"
    budget = darlington["in_budget"]
    assert budget["label"] == "Devolved budget of up to £10,000 per family"
    assert budget["mark"] == "changed"
    changed = next(s for s in budget["sections"] if s["h"] == "In Darlington")
    assert ["Label", "Devolved budget held by social workers"] in changed["items"][0]["rows"]
    assert "mark" not in base["in_budget"]
    # what Darlington removes is listed, since its figure cannot show it
    removed = next(s for s in data["variants"][1]["changes"] if s["h"].startswith("Removed"))
    titles = [i["title"] for i in removed["items"]]
    assert any(t.startswith("Link") and "Worker and family decide what would help" in t
               for t in titles), titles
    # the figure marks what the variant adds and changes, in words for screen readers
    tpl = text[text.index('<template class="lm-variant-figure">'):]
    tpl = tpl[:tpl.index("</template>")]
    assert 'lm-node lm-added' in tpl
    assert "(added in this variant)" in tpl
    assert 'lm-node lm-changed' in tpl
    # still one policy for the page's own scripts and style only
    policy = dict(part.strip().split(" ", 1) for part in page.policy().split(";"))
    runnable = [t for a, t in page.scripts if a.get("type") != "application/json"]
    assert policy["script-src"] == " ".join(_sha(s) for s in runnable)
    assert policy["default-src"] == "'none'"


def test_one_variant_asked_for_is_the_page_and_is_marked_against_the_base(
        pages: dict[str, Path]) -> None:
    _, data, text = _parsed(pages["darlington"])
    assert [v["id"] for v in data["variants"]] == ["darlington"]
    assert '<template class="lm-variant-figure">' not in text
    assert 'id="lm-variant"' not in text
    assert '<span class="lm-variant-name">(Darlington)</span>' in text
    assert _by_id(data["variants"][0]["elements"])["act_allocate"]["mark"] == "added"
    _, data, text = _parsed(pages["base"])
    assert "variants" not in data
    assert "lm-node lm-added" not in text
    assert "lm-node lm-changed" not in text


def test_the_page_is_the_same_bytes_in_every_process(pages: dict[str, Path],
                                                     tmp_path: Path) -> None:
    again = _render(tmp_path / "again.html", seed="12345")
    assert again == pages["all"].read_bytes()


def test_a_hostile_variant_label_stays_text(tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text(FLAGSHIP.read_text(encoding="utf-8").replace(
        "label: Darlington", "label: '</script><img src=x onerror=\"window.pwned=1\">'", 1),
        encoding="utf-8")
    out = tmp_path / "m.html"
    text = _render(out, model=model).decode()
    assert "<img src=x" not in text
    assert "&lt;/script&gt;&lt;img src=x" in text  # in the variant menu, escaped
    assert '"label":"\\u003c/script\\u003e\\u003cimg' in text  # in the data, escaped


# ---- in the browser ---------------------------------------------------------------------

def _open(driver: Any, url: str) -> None:
    driver.get(url)
    console(driver)
    assert driver.execute_script("return document.body.dataset.ready") == "1"


def _boxes(driver: Any) -> dict[str, Any]:
    """Shown boxes by their label (without the variant's words)."""
    from selenium.webdriver.common.by import By

    out = {}
    for g in driver.find_elements(By.CSS_SELECTOR, "#lm-svg .lm-node"):
        if g.is_displayed():
            name = re.sub(r" \((added|changed) in this variant\)$", "",
                          g.get_attribute("aria-label"))
            out[name] = g
    return out


def _choose(driver: Any, label: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.ID, "lm-variant")).select_by_visible_text(label)


@needs_browser
def test_choose_a_variant_and_see_its_model(browser: Any, pages: dict[str, Path],
                                            tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _open(browser, pages["all"].as_uri())
    boxes = _boxes(browser)
    assert "Children in care reunified with family" not in boxes  # Wigan's alone
    assert "Devolved budget held by social workers" in boxes
    assert not browser.find_elements(By.CSS_SELECTOR, "#lm-svg .lm-badge")
    _choose(browser, "Darlington")
    boxes = _boxes(browser)
    assert "Allocate budgets to 30-50 families at random" in boxes  # added
    assert "Devolved budget held by social workers" not in boxes
    assert browser.title == "Devolved budgets in children's social care (Darlington)"
    # the marks are signs, not colours: a + on what it adds, a delta on what it changes
    added = boxes["Allocate budgets to 30-50 families at random"]
    assert added.find_element(By.CSS_SELECTOR, ".lm-badge text").text == "+"
    budget = boxes["Devolved budget of up to £10,000 per family"]
    assert budget.find_element(By.CSS_SELECTOR, ".lm-badge text").text == CHANGED
    changes = browser.find_element(By.ID, "lm-changes").text
    assert "removed (not drawn)" in changes.lower()
    assert "Worker and family decide what would help" in changes  # the link it removes
    budget.click()
    panel = browser.find_element(By.ID, "lm-panel").text
    assert "Devolved budget of up to £10,000 per family" in panel
    assert "Changed in this variant" in panel
    assert "Devolved budget held by social workers" in panel  # the base's label
    browser.save_screenshot(str(tmp_path / "darlington.png"))
    # the same box stays selected in another pilot, with that pilot's values
    _choose(browser, "Hillingdon")
    panel = browser.find_element(By.ID, "lm-panel").text
    assert "Devolved budget: no cap, approval above £500" in panel
    # a pathway filter applies to the variant's own figure
    pathway = Select(browser.find_element(By.ID, "lm-facet-pathway"))
    pathway.select_by_visible_text("Resources dedicated to the family's needs")
    shown = _boxes(browser)
    assert "Devolved budget: no cap, approval above £500" in shown
    assert "Relationship-building activities" not in shown
    pathway.select_by_index(0)
    # Wigan adds the reunification outcome, marked +
    _choose(browser, "Wigan")
    reunified = _boxes(browser)["Children in care reunified with family"]
    assert reunified.find_element(By.CSS_SELECTOR, ".lm-badge text").text == "+"
    # back to the base: its own boxes, nothing marked
    _choose(browser, "Base")
    assert "Children in care reunified with family" not in _boxes(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, "#lm-svg .lm-badge")
    assert not [m for m in console(browser) if "Content Security Policy" in m]


@needs_browser
def test_an_address_can_open_a_variant(browser: Any, pages: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, pages["all"].as_uri() + "#variant=wigan")
    assert browser.find_element(By.ID, "lm-variant").get_attribute("value") == "3"
    assert "Devolved budget: cap and approval rule not reported" in _boxes(browser)
    search = browser.find_element(By.ID, "lm-search")
    search.send_keys("reunification")
    results = browser.find_element(By.ID, "lm-results").text
    assert "Identify families for reunification or at high risk" in results


def test_an_overlay_file_is_its_variant_marked_against_its_base(tmp_path: Path) -> None:
    from tests.conftest import ROOT

    overlay = ROOT / "tests" / "data" / "variants" / "overlay" / "east.yaml"
    _render(tmp_path / "east.html", model=overlay)
    _, data, text = _parsed(tmp_path / "east.html")
    assert [v["id"] for v in data["variants"]] == ["east"]
    marks = {e["id"]: e.get("mark") for e in data["variants"][0]["elements"].values()}
    assert marks["money"] == "changed"
    assert marks["team"] == "added"
    assert marks["L6"] == "added"
    assert '<span class="lm-variant-name">(East)</span>' in text


# ---- what a page cannot show ------------------------------------------------------------

_NO_PATHWAY_2 = """
  - id: resources_only
    label: Resources only
    description: A site that delivered budgets without the relationship work.
    remove:
      pathways: [worker_family_relationship]
      views: [relationship_pathway]
"""


def _with_variant(tmp_path: Path, extra: str) -> Path:
    model = tmp_path / "m.yaml"
    model.write_text(FLAGSHIP.read_text(encoding="utf-8").rstrip("\n") + "\n" + extra,
                     encoding="utf-8")
    return model


def test_a_variant_without_the_pathway_asked_for_is_named_not_dropped(tmp_path: Path) -> None:
    model = _with_variant(tmp_path, _NO_PATHWAY_2)
    out = tmp_path / "p2.html"
    proc = subprocess.run([str(EXE), "render", str(model), "--pathway",
                           "worker_family_relationship", "-o", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert ("LM623 variant `resources_only` is left out of the viewer: it has no pathway "
            "`worker_family_relationship`") in proc.stderr
    _, data, text = _parsed(out)
    assert [v["id"] for v in data["variants"]] == ["base", "darlington", "hillingdon", "wigan"]
    # the menu still lists it, as not available, and says why
    assert re.search(r'<option disabled title="it has no pathway '
                     r'`worker_family_relationship` [^"]*">Resources only \(not in this '
                     r"figure: it has no pathway", text)
    # and the other pathway's figure has every variant
    proc = subprocess.run([str(EXE), "render", str(model), "--pathway", "dedicated_resources",
                           "-o", str(tmp_path / "p1.html")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "LM623" not in proc.stderr
    _, data, _ = _parsed(tmp_path / "p1.html")
    assert len(data["variants"]) == 5


def test_without_scripts_the_page_says_the_variants_need_them(pages: dict[str, Path]) -> None:
    _, _, text = _parsed(pages["all"])
    note = re.search(r"<noscript>(.*?)</noscript>", text, re.S)
    assert note is not None
    assert "Base and its variants (Darlington, Hillingdon, Wigan)" in note.group(1)
    assert "only Base is shown" in note.group(1)
    # one variant on its own page needs no scripts to be read
    _, _, alone = _parsed(pages["darlington"])
    assert "<noscript>" not in alone


_CHANGED_ASSUMPTION = """
  - id: sceptical
    label: Sceptical site
    change:
      assumptions:
        - id: as_best_placed
          risk: high
      moderators:
        - id: {moderator}
          description: Said otherwise at this site.
"""


def test_a_changed_assumption_or_moderator_marks_what_rests_on_it(tmp_path: Path) -> None:
    from logicmodel.loader import load_file

    base = load_file(FLAGSHIP).model
    assert base is not None
    moderator = base.moderators[0]
    held_by = ([n.id for n in base.nodes if moderator.id in n.moderators]
               + [lk.id for lk in base.links if moderator.id in lk.moderators])
    assert held_by, "the flagship's first moderator acts on something"
    model = _with_variant(tmp_path, _CHANGED_ASSUMPTION.format(moderator=moderator.id))
    out = tmp_path / "m.html"
    _render(out, "--variant", "sceptical", model=model)
    _, data, _ = _parsed(out)
    elements = _by_id(data["variants"][0]["elements"])
    rests = [lk.id for lk in base.links if "as_best_placed" in lk.assumptions]
    assert rests == ["L08"]
    assert elements["L08"]["mark"] == "changed"
    for el in held_by:
        assert elements[el]["mark"] == "changed", el
    unchanged = [lk.id for lk in base.links if lk.id not in rests + held_by]
    assert all("mark" not in elements[i] for i in unchanged)
    # the panel names the assumption's field and what it was in the base
    assert '["Assumption as_best_placed: risk", "low"]' in json.dumps(elements["L08"])


@needs_browser
def test_the_variant_left_out_cannot_be_chosen_in_the_browser(browser: Any,
                                                              tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    model = _with_variant(tmp_path, _NO_PATHWAY_2)
    out = tmp_path / "p2.html"
    _render(out, "--pathway", "worker_family_relationship", model=model)
    _open(browser, out.as_uri())
    menu = Select(browser.find_element(By.ID, "lm-variant"))
    offered = [(o.text, o.is_enabled()) for o in menu.options]
    assert offered[:4] == [("Base", True), ("Darlington", True), ("Hillingdon", True),
                           ("Wigan", True)]
    assert offered[4][0].startswith("Resources only (not in this figure: it has no pathway")
    assert offered[4][1] is False
    _choose(browser, "Wigan")
    assert browser.execute_script("return document.title").endswith("(Wigan)")
