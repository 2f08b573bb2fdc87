"""A real browser for the tests: Debian's headless Chromium driven by Selenium.

A developer without Chromium skips these tests; CI (``.ci/run`` installs
``chromium`` and ``chromium-driver``) never does, so a missing install fails there.
The driver is the system's ``chromedriver``, named explicitly, so Selenium never
tries to download one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _have_browser() -> bool:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return False
    return os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)


needs_browser = pytest.mark.skipif(
    not _have_browser() and not os.environ.get("CI"),
    reason="needs chromium, chromium-driver (apt-get) and selenium; .ci/run installs them")


def start_browser(width: int = 1400, height: int = 850) -> Any:
    """A fresh headless Chromium with its own profile, logging the console."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="lm-chromium-")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    driver._lm_profile = profile  # type: ignore[attr-defined]
    return driver


def stop_browser(driver: Any) -> None:
    driver.quit()
    shutil.rmtree(driver._lm_profile, ignore_errors=True)


@pytest.fixture(scope="module", name="browser")
def browser_fixture() -> Iterator[Any]:
    """One browser for a test module (starting one takes a second or two)."""
    driver = start_browser()
    try:
        yield driver
    finally:
        stop_browser(driver)


def console(driver: Any) -> list[str]:
    """What the page logged since the last call (errors, CSP reports, messages)."""
    return [str(entry.get("message", "")) for entry in driver.get_log("browser")]
