"""Which parts of format 2 a docs example uses that this logicmodel does not read yet.

Format 2 lands piece by piece. An example written to the whole of format 2 fails to load
while a field or value it uses is still unknown to the loader (LM022 unknown field, LM024
invalid value). The tests that check, draw or export such an example are expected to fail
(strict xfail) with the loader's own words as the reason; as soon as the loader reads every
part a file uses, its tests run for real, and a failure then is a finding about the tool
or the file.

Only the names that format 2 adds count as "not read yet": a misspelt field in an example
(`grups`) is an ordinary failure, never an expected one.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from logicmodel.checking import check

# Field names and values that format 2 adds (docs/format.md and the format-2 design).
FORMAT_2_NAMES = frozenset({
    # fields
    "groups", "tags", "placement", "ceiling", "direction", "role", "roles", "level",
    "evidence", "risk", "steps", "start", "end", "within", "parent", "route",
    # values
    "truncated", "missing", "adapted", "condition", "against", "mixed", "primary",
    "secondary", "increase", "decrease", "maintain",
})

_NAMED = re.compile(r"`([^`]+)`")
_LOADER_CODES = frozenset({"LM022", "LM024"})


@cache
def not_read_yet(path: Path) -> tuple[str, ...]:
    """What the loader does not read yet of the format 2 that `path` uses, and how often."""
    counts: dict[str, int] = {}
    for d in check(path):
        if d.code not in _LOADER_CODES:
            continue
        names = _NAMED.findall(d.message)
        if names and names[0] in FORMAT_2_NAMES:
            what = f"{d.code} {d.message.rsplit(': ', 1)[-1]}"
            counts[what] = counts.get(what, 0) + 1
    return tuple(f"{what} ({n}\N{MULTIPLICATION SIGN})" for what, n in counts.items())


def expect_format_2(path: Path) -> pytest.MarkDecorator:
    """A strict xfail while the loader still rejects format-2 names that `path` uses."""
    missing = not_read_yet(path)
    return pytest.mark.xfail(
        bool(missing), strict=True,
        reason="not read yet: " + "; ".join(missing) if missing else "")
