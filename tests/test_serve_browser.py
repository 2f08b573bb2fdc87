"""The live preview in a real browser: a save shows up, a broken save shows where it broke."""

from __future__ import annotations

import contextlib
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import browser_fixture, needs_browser  # noqa: F401 - fixture
from tests.conftest import MODELS

pytestmark = needs_browser

EXE = Path(sys.executable).parent / "logicmodel"


@contextlib.contextmanager
def _serve(tmp_path: Path, *args: str) -> Iterator[tuple[Path, str]]:
    model = tmp_path / "model.yaml"
    shutil.copy(MODELS / "devolved_budgets.yaml", model)
    proc = subprocess.Popen([str(EXE), "serve", str(model), "--port", "0", *args],
                            cwd=tmp_path, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None
    m = re.search(r"at (http://\S+/) ", proc.stdout.readline())
    assert m
    try:
        yield model, m.group(1)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=15)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    with _serve(tmp_path) as both:
        yield both


def _wait_for(driver: Any, script: str, timeout: float = 30) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(
        lambda d: d.execute_script(script))


def test_save_a_broken_model_and_see_the_located_diagnostic(browser: Any,
                                                             served: tuple[Path, str]) -> None:
    from selenium.webdriver.common.by import By

    model, url = served
    browser.get(url)
    assert "Checked: no problems." in browser.find_element(By.ID, "lm-diagnostics").text
    first = browser.find_element(By.CSS_SELECTOR, 'g[data-key="n0"]')
    first.click()  # the selection survives the reloads
    text = model.read_text(encoding="utf-8")
    broken = text.replace("to: out_relational", "to: out_relationl", 1)
    model.write_text(broken, encoding="utf-8")
    line = next(i for i, s in enumerate(broken.splitlines(), 1) if "out_relationl" in s)
    shown = _wait_for(browser, "const d = document.getElementById('lm-diagnostics');"
                      "return d && /LM102/.test(d.textContent) && d.textContent;")
    assert re.search(rf"model\.yaml:{line}:\d+: LM102 error: `out_relationl` is not the id "
                     "of any node", shown)
    assert "did you mean `out_relational`?" in shown
    assert "last version that rendered" in shown
    # the last good figure stays, with the box still selected
    assert browser.find_element(By.CSS_SELECTOR, 'g[data-key="n0"]').is_displayed()
    assert "lm-selected" in browser.find_element(
        By.CSS_SELECTOR, 'g[data-key="n0"]').get_attribute("class")
    # fixed, and with a new label: the figure updates and the problems go
    model.write_text(text.replace("label: Families lack basic resources",
                                  "label: Families short of basics", 1), encoding="utf-8")
    _wait_for(browser, "return /no problems/.test("
              "document.getElementById('lm-diagnostics').textContent)")
    assert "Families short of basics" in browser.find_element(By.ID, "lm-svg").text
    assert browser.execute_script("return window.pwned") is None


def test_serve_a_pathway_of_a_variant_and_see_the_rest_hidden(browser: Any,
                                                                tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    from logicmodel.pipeline import open_model

    darlington = open_model(str(MODELS / "devolved_budgets.yaml"), variant="darlington").model
    assert darlington is not None
    route = darlington.route(next(p for p in darlington.pathways
                                  if p.id == "dedicated_resources"))
    on = {n.label for n in darlington.nodes if n.id in route.nodes}
    with _serve(tmp_path, "--variant", "darlington", "--pathway", "dedicated_resources",
                "--hide-others", "--theme", "color") as (_, url):
        browser.get(url)
        _wait_for(browser, "return document.body.dataset.ready === '1'")
        boxes = browser.find_elements(By.CSS_SELECTOR, "#lm-svg .lm-node")
        named = {b.get_attribute("aria-label") for b in boxes if b.is_displayed()}
        shown = {re.sub(r" \((added|changed) in this variant\)$", "", n) for n in named}
        assert shown == on
        # Darlington's label, marked as what the variant changed
        assert "Devolved budget of up to £10,000 per family (changed in this variant)" in named
        browser.save_screenshot(str(tmp_path / "serve-pathway.png"))


def test_the_chosen_variant_survives_a_save(browser: Any, served: tuple[Path, str]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    model, url = served
    browser.get(url)
    _wait_for(browser, "return document.body.dataset.ready === '1'")
    Select(browser.find_element(By.ID, "lm-variant")).select_by_visible_text("Wigan")
    has = ("return [...document.querySelectorAll('#lm-svg .lm-node')].some("
           "(g) => g.getAttribute('aria-label').startsWith(arguments[0]))")
    assert browser.execute_script(has, "Devolved budget: cap and approval rule not reported")
    text = model.read_text(encoding="utf-8")
    changed = text.replace('label: "Devolved budget: cap and approval rule not reported"',
                           "label: Wigan's budget, rule not reported", 1)
    assert changed != text
    model.write_text(changed, encoding="utf-8")
    _wait_for(browser, "return [...document.querySelectorAll('#lm-svg .lm-node')].some("
              "(g) => g.getAttribute('aria-label').startsWith(\"Wigan's budget\"))")
    assert browser.find_element(By.ID, "lm-variant").get_attribute("value") == "3"
