"""What a format-1 file may not say: the fields format 2 added, and horizons it required.

Format 2 is a superset of format 1, so one set of Pydantic models reads both.
A file that declares ``logicmodel: 1`` keeps format 1's meaning: a field that
only format 2 has is refused (LM027: the file should say ``logicmodel: 2``),
and an outcome still needs its ``horizon`` (LM021), as it always did.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from ..diagnostics import Path, Severity
from ..rules.registry import rule

__all__ = ["FORMAT2_FIELDS", "VersionProblem", "format1_problems"]

# Section -> fields that format 2 added there ("" is the model itself).
FORMAT2_FIELDS: dict[str, frozenset[str]] = {
    "": frozenset({"stages", "expects_impact", "provenance", "ignore"}),
    "nodes": frozenset({"stage"}),
}


class VersionProblem(NamedTuple):
    """A place where a format-1 file says what format 1 cannot."""

    code: str
    path: Path
    message: str
    hint: str | None
    at_key: bool


def format1_problems(data: dict[str, object]) -> Iterator[VersionProblem]:
    """The format-2 fields and missing horizons in a file that declares ``logicmodel: 1``."""
    if data.get("logicmodel") not in (1, "1"):
        return
    for name, value in data.items():
        if name in FORMAT2_FIELDS[""] and not _empty(value):
            yield _newer((str(name),))
    nodes = data.get("nodes")
    if not isinstance(nodes, list):
        return
    for i, node in enumerate(nodes):
        if not isinstance(node, dict):
            continue
        for name, value in node.items():
            if name in FORMAT2_FIELDS["nodes"] and not _empty(value):
                yield _newer(("nodes", i, str(name)))
        if node.get("kind") != "outcome":
            continue
        if "horizon" not in node:
            yield VersionProblem("LM021", ("nodes", i, "horizon"),
                                 f"nodes[{i}]: missing required field `horizon`", None, False)
        elif node["horizon"] is None:
            yield VersionProblem("LM020", ("nodes", i, "horizon"),
                                 f"nodes[{i}].horizon: has no value",
                                 "write `short`, `medium` or `long`", False)


def _empty(value: object) -> bool:
    # what a format-1 model dumped by this version writes for a field it does not use
    return value is None or value == [] or value == {}


def _newer(path: Path) -> VersionProblem:
    return VersionProblem("LM027", path, f"`{path[-1]}` is a format-2 field",
                          "write `logicmodel: 2` at the top to use it", True)


# --- the code raised here: its page for `logicmodel rules` --------------------------------

@rule("LM027", "format-2-field", Severity.ERROR)
def format_2_field() -> None:
    """A file that declares format 1 uses a field only format 2 has.

    ## What it does
    Reports, in a file starting `logicmodel: 1`, the fields format 2 added: the
    model's own `stages:`, `expects_impact`, model-level `provenance` and
    `ignore`, and a node's `stage:`.

    ## Why is this bad?
    A format-1 file keeps format 1's meaning (the default stages, an impact
    expected), so the field would be read and then have no effect. Declaring
    `logicmodel: 2` says the file means what format 2 says.

    ## Example
    ```yaml
    logicmodel: 1
    title: T
    expects_impact: false     # fails: write `logicmodel: 2`
    ```
    """
