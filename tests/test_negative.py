"""Every negative example fails with exactly the report in tests/golden/negative/."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import NEGATIVE, ROOT, CliResult

EXAMPLES = sorted(p.relative_to(ROOT).as_posix() for p in NEGATIVE.rglob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES)
def test_negative_example_report(path: str, cli: Callable[..., CliResult],
                                 golden: Callable[[str, str], None]) -> None:
    result = cli("check", path)
    assert result.code == 1
    assert result.err == ""
    name = path.removeprefix("tests/negative/").replace("/", "__").removesuffix(".yaml")
    golden(f"negative/{name}.txt", result.out)


def test_there_are_negative_examples_of_each_kind() -> None:
    kinds = {p.split("/")[2] for p in EXAMPLES}
    assert kinds == {"yaml", "schema", "graph"}
