"""The HTML viewer in a real browser (headless Chromium): click, filter, search, keys, safety."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import logicmodel
from logicmodel.render import render
from tests.browser import browser_fixture, console, needs_browser  # noqa: F401 - fixture
from tests.conftest import MODELS, ROOT

pytestmark = needs_browser

FLAGSHIP = MODELS / "devolved_budgets.yaml"
HOSTILE = ROOT / "tests" / "data" / "html" / "hostile.yaml"


@pytest.fixture(scope="module")
def flagship_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "devolved budgets.html"
    out.write_bytes(render(logicmodel.load(FLAGSHIP), "html").data)
    return out


def _open(driver: Any, path: Path) -> None:
    driver.get(path.as_uri())
    console(driver)  # forget what earlier pages logged
    assert driver.execute_script("return document.body.dataset.ready") == "1"


def _css(driver: Any, selector: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, selector)


def _key(driver: Any, key: str) -> Any:
    return _css(driver, f'g[data-key="{key}"]')


def _panel_text(driver: Any) -> str:
    panel = _css(driver, "#lm-panel")
    assert panel.is_displayed()
    return str(panel.text)


def _click_on_path(driver: Any, key: str) -> None:
    """Click a link where its line is drawn (the middle of its path), as a user would."""
    from selenium.webdriver.common.action_chains import ActionChains

    # the point nearest the middle of the line where no other link lies on top
    x, y = driver.execute_script("""
        const p = document.querySelector('g[data-key="' + arguments[0] + '"] path:not(.lm-hit)');
        for (const t of [.5, .45, .55, .4, .6, .35, .65, .3, .7, .25, .75, .2, .8]) {
          const pt = p.getPointAtLength(p.getTotalLength() * t).matrixTransform(p.getScreenCTM());
          const el = document.elementFromPoint(pt.x, pt.y);
          if (el && el.closest('.lm-el') && el.closest('.lm-el').dataset.key === arguments[0])
            return [pt.x, pt.y];
        }
        return [-1, -1];""", key)
    assert x >= 0, f"no point of link {key} can be clicked"
    actions = ActionChains(driver)
    actions.w3c_actions.pointer_action.move_to_location(int(x), int(y)).click()
    actions.perform()


def _index(model: Any, node_id: str) -> str:
    return f"n{[n.id for n in model.nodes].index(node_id)}"


def test_click_a_box_and_see_its_description_and_sources(browser: Any,
                                                         flagship_page: Path) -> None:
    model = logicmodel.load(FLAGSHIP)
    refs = {r.id: r for r in model.references}
    node = next(n for n in model.nodes if n.description and n.provenance and n.provenance.refs)
    _open(browser, flagship_page)
    assert not _css(browser, "#lm-panel").is_displayed()
    _key(browser, _index(model, node.id)).click()
    text = _panel_text(browser)
    assert node.label in text
    assert node.description in " ".join(text.split("\n"))
    assert "Provenance" in text or "PROVENANCE" in text
    first = refs[node.provenance.refs[0]]
    assert " ".join(first.citation.split()) in " ".join(text.split())
    assert "lm-selected" in _key(browser, _index(model, node.id)).get_attribute("class")
    assert not [m for m in console(browser) if "SEVERE" in m or "Content Security" in m]


def test_click_a_link_and_see_its_evidence(browser: Any, flagship_page: Path) -> None:
    model = logicmodel.load(FLAGSHIP)
    def first(lk: Any) -> Any:  # format 2: a list of evidence items
        return lk.evidence[0] if isinstance(lk.evidence, list) else lk.evidence

    k, link = next((k, lk) for k, lk in enumerate(model.links)
                   if lk.evidence and first(lk).note)
    _open(browser, flagship_page)
    _click_on_path(browser, f"l{k}")
    text = " ".join(_panel_text(browser).split())
    assert "EVIDENCE" in text.upper()
    item = first(link)
    assert item.note is not None
    assert " ".join(item.note.split()) in text
    if item.grade is not None:
        assert item.grade.value in text
    else:  # no source grades the flagship's evidence: the panel shows no grade
        assert "GRADE" not in text.upper()
    # its ends are one click away
    from selenium.webdriver.common.by import By

    ends = [b for b in browser.find_elements(By.CSS_SELECTOR, "#lm-panel .lm-goto")
            if b.get_attribute("data-goto") == _index(model, link.target)]
    ends[0].click()
    assert model.node(link.target).label in _panel_text(browser)


def test_filter_a_pathway_and_see_the_rest_hidden(browser: Any, flagship_page: Path) -> None:
    from selenium.webdriver.support.ui import Select

    model = logicmodel.load(FLAGSHIP)
    pathway = model.pathways[0]  # pathway 1 branches: three outputs, two short-term outcomes
    route = model.route(pathway)
    assert route.form == "links"
    on = {_index(model, n) for n in route.nodes}
    off = [f"n{i}" for i, n in enumerate(model.nodes) if f"n{i}" not in on]
    assert off
    _open(browser, flagship_page)
    Select(_css(browser, "#lm-facet-pathway")).select_by_value(pathway.id)
    assert all(_key(browser, k).is_displayed() for k in on)
    assert not any(_key(browser, k).is_displayed() for k in off)
    steps = route.edges
    for k, lk in enumerate(model.links):
        assert _key(browser, f"l{k}").is_displayed() == ((lk.source, lk.target) in steps)
    assert "shown" in _css(browser, "#lm-status").text
    # hidden boxes leave the tab order
    assert _key(browser, off[0]).get_attribute("tabindex") == "-1"
    # fade instead: everything is there, the rest faint
    _css(browser, "#lm-fade").click()
    assert _key(browser, off[0]).is_displayed()
    assert float(_key(browser, off[0]).value_of_css_property("opacity")) < 0.5
    Select(_css(browser, "#lm-facet-pathway")).select_by_value("")
    assert all(_key(browser, f"n{i}").is_displayed() for i in range(len(model.nodes)))
    assert float(_key(browser, off[0]).value_of_css_property("opacity")) == 1


def test_search_by_label_and_by_id(browser: Any, flagship_page: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    model = logicmodel.load(FLAGSHIP)
    target = model.nodes[5]
    word = target.label.split()[-1].lower()
    expected = [i for i, n in enumerate(model.nodes) if word in f"{n.label} {n.id}".lower()]
    _open(browser, flagship_page)
    box = _css(browser, "#lm-search")
    box.send_keys(word)
    results = browser.find_elements(By.CSS_SELECTOR, "#lm-results .lm-goto")
    node_hits = [r.get_attribute("data-goto") for r in results
                 if r.get_attribute("data-goto").startswith("n")]
    assert node_hits == [f"n{i}" for i in expected]
    other = next(i for i in range(len(model.nodes)) if i not in expected)
    assert float(_key(browser, f"n{other}").value_of_css_property("opacity")) < 0.5
    assert float(_key(browser, f"n{expected[0]}").value_of_css_property("opacity")) == 1
    assert "lm-match" in _key(browser, f"n{expected[0]}").get_attribute("class")
    # by id, and Enter opens the first match
    box.clear()
    box.send_keys(target.id, Keys.ENTER)
    assert target.label in _panel_text(browser)
    # Escape closes the panel, a second Escape clears the search
    box.send_keys(Keys.ESCAPE)
    assert not _css(browser, "#lm-panel").is_displayed()
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert _css(browser, "#lm-search").get_attribute("value") == ""
    assert float(_key(browser, f"n{other}").value_of_css_property("opacity")) == 1


def test_keyboard_only(browser: Any, flagship_page: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    model = logicmodel.load(FLAGSHIP)
    _open(browser, flagship_page)
    # the figure takes the focus as a Tab would give it (a click in its middle may land on a box)
    browser.execute_script("arguments[0].focus()", _css(browser, "#lm-figure"))
    active = browser.switch_to.active_element
    assert active.get_attribute("id") == "lm-figure"
    active.send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.get_attribute("data-key") == "n0"
    focused.send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.get_attribute("data-key") == "n1"
    focused.send_keys(Keys.ENTER)
    assert model.nodes[1].label in _panel_text(browser)
    assert browser.switch_to.active_element.get_attribute("id") == "lm-panel"
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert not _css(browser, "#lm-panel").is_displayed()
    assert browser.switch_to.active_element.get_attribute("data-key") == "n1"
    browser.switch_to.active_element.send_keys(" ")
    assert model.nodes[1].label in _panel_text(browser)
    # / goes to the search box
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    browser.switch_to.active_element.send_keys("/")
    assert browser.switch_to.active_element.get_attribute("id") == "lm-search"


def test_pan_and_zoom(browser: Any, flagship_page: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    def box() -> list[float]:
        text = browser.execute_script("return document.getElementById('lm-svg')"
                                      ".getAttribute('viewBox')")
        return [float(v) for v in text.split()]

    _open(browser, flagship_page)
    home = box()
    _css(browser, "#lm-zoom-in").click()
    assert box()[2] == pytest.approx(home[2] / 1.25, rel=1e-3)
    figure = _css(browser, "#lm-figure")
    before = box()
    ActionChains(browser).move_to_element_with_offset(figure, -200, 150).click_and_hold() \
        .move_by_offset(120, 40).release().perform()
    after = box()
    assert after[0] < before[0]
    assert after[1] < before[1]
    assert after[2] == before[2]
    assert not _css(browser, "#lm-panel").is_displayed()  # a drag is not a click
    ActionChains(browser).scroll_to_element(figure).perform()
    ActionChains(browser).move_to_element(figure).perform()
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin

    ActionChains(browser).scroll_from_origin(ScrollOrigin.from_element(figure), 0, -300) \
        .perform()
    assert box()[2] < after[2]
    figure.send_keys("0")
    assert box() == pytest.approx(home)
    figure.send_keys("-")
    out = box()
    assert out[2] > home[2]
    figure.send_keys(Keys.ARROW_RIGHT)
    assert box()[0] == pytest.approx(out[0] + out[2] / 10, abs=0.02)


def test_a_hostile_model_runs_no_script(browser: Any, tmp_path: Path) -> None:
    model = logicmodel.load(HOSTILE)
    page = tmp_path / "hostile.html"
    page.write_bytes(render(model, "html").data)
    _open(browser, page)
    assert browser.title == model.title
    assert browser.execute_script("return window.pwned") is None
    _key(browser, "n0").click()
    text = _panel_text(browser)
    assert model.nodes[0].label in text
    assert browser.execute_script("return window.pwned") is None
    from selenium.webdriver.support.ui import Select

    Select(_css(browser, "#lm-facet-pathway")).select_by_index(1)
    _click_on_path(browser, "l0")
    assert "window.pwned" in _panel_text(browser)  # the rationale, shown as text
    assert browser.execute_script("return window.pwned") is None
    assert browser.execute_script(
        "return document.querySelectorAll('img, iframe, script:not([id]) ~ script').length") == 0


def test_the_policy_stops_script_that_escaping_missed(browser: Any, tmp_path: Path,
                                                       flagship_page: Path) -> None:
    """Were a label ever to reach the page as markup, the browser would still not run it."""
    text = flagship_page.read_text(encoding="utf-8")
    injected = ('<script>window.pwned = 1</script>'
                '<img src="x" onerror="window.pwned = 2">'
                '<a id="js" href="javascript:window.pwned = 3">x</a>')
    page = tmp_path / "injected.html"
    page.write_text(text.replace('<main class="lm-main">', injected + '<main class="lm-main">'),
                    encoding="utf-8")
    _open(browser, page)
    _css(browser, "#js").click()
    assert browser.execute_script("return window.pwned") is None
    assert browser.execute_script("return document.body.dataset.ready") == "1"
    assert any("Content Security Policy" in m for m in console(browser))


def test_nothing_is_fetched_and_print_hides_the_controls(browser: Any,
                                                         flagship_page: Path) -> None:
    _open(browser, flagship_page)
    assert browser.execute_script(
        "return performance.getEntriesByType('resource').length") == 0
    assert _css(browser, ".lm-tools").is_displayed()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not _css(browser, ".lm-tools").is_displayed()
        assert _css(browser, "#lm-svg").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
