"""Every shipped framework has its docs page, and the examples those pages include are real.

A page includes its example from the YAML file (`--8<-- "docs/examples/..."`), so the page cannot
drift from the file; these tests make sure every included file exists, uses the page's
framework, and checks clean with `--strict` (expected to fail only while the loader does not
read all the format 2 a file uses: tests/format2_support.py).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, CliResult
from tests.test_examples import example_params

PAGES = ROOT / "docs" / "frameworks"
FRAMEWORKS = ["default", "logframe", "kellogg", "uw_extension", "cdc", "magenta_book",
              "realist", "theory_of_change", "funnell_rogers", "taso", "mayne"]
INCLUDE = re.compile(r'^--8<-- "([^"]+)"$', re.M)


def _included(framework: str) -> list[str]:
    return INCLUDE.findall((PAGES / f"{framework}.md").read_text(encoding="utf-8"))


def _nav_pages(items: Any) -> list[str]:
    found: list[str] = []
    if isinstance(items, str):
        found.append(items)
    elif isinstance(items, list):
        for item in items:
            found += _nav_pages(item)
    elif isinstance(items, dict):
        for value in items.values():
            found += _nav_pages(value)
    return found


def test_every_framework_has_a_page_in_the_nav() -> None:
    nav = _nav_pages(yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"])
    for framework in FRAMEWORKS:
        assert (PAGES / f"{framework}.md").exists(), framework
        assert f"frameworks/{framework}.md" in nav, f"{framework} is not in mkdocs.yml nav"
    assert sorted(p.stem for p in PAGES.glob("*.md") if p.stem != "index") == sorted(FRAMEWORKS)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_page_includes_an_example_of_its_framework(framework: str) -> None:
    paths = _included(framework)
    assert paths, f"docs/frameworks/{framework}.md includes no example"
    for path in paths:
        data = yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))
        assert data["framework"] == framework, f"{path} is not a {framework} model"


EXAMPLES = sorted({path for framework in FRAMEWORKS for path in _included(framework)})


@pytest.mark.parametrize("path", example_params(EXAMPLES, ROOT))
def test_included_example_checks_strict_clean(path: str, cli: Any) -> None:
    result: CliResult = cli("check", "--strict", path)
    assert result.code == 0, result.out + result.err
