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
_SHARED = frozenset({"groups", "tags"})
FORMAT2_FIELDS: dict[str, frozenset[str]] = {
    "": frozenset({"stages", "expects_impact", "provenance", "ignore", "groups", "tags", "roles",
                   "ceiling", "level", "summarises"}),
    "nodes": _SHARED | {"stage", "evidence", "direction", "risk"},
    "links": _SHARED,
    "assumptions": _SHARED,
    "moderators": _SHARED,
    "pathways": _SHARED | {"links", "steps", "start", "end"},
}
FORMAT2_KINDS = frozenset({"condition"})


class VersionProblem(NamedTuple):
    """A place where a format-1 file says what format 1 cannot."""

    code: str
    path: Path
    message: str
    hint: str | None
    at_key: bool


Memo = dict[tuple[str, int, int], tuple[object, list[VersionProblem]]]


def format1_problems(data: dict[str, object], memo: Memo | None = None
                     ) -> Iterator[VersionProblem]:
    """The format-2 fields and missing horizons in a file that declares ``logicmodel: 1``.

    ``memo`` keeps what each entry gives, for the very entry at the same position
    (the variants of one model share the entries they leave alone).
    """
    if data.get("logicmodel") not in (1, "1"):
        return
    for name, value in data.items():
        if name in FORMAT2_FIELDS[""] and not _empty(value):
            yield _newer((str(name),))
    for section, names in FORMAT2_FIELDS.items():
        items = data.get(section) if section else None
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            if memo is None:
                yield from _entry1(section, names, i, item)
                continue
            key = (section, i, id(item))
            known = memo.get(key)
            if known is None or known[0] is not item:
                known = memo[key] = (item, list(_entry1(section, names, i, item)))
            yield from known[1]


def _entry1(section: str, names: frozenset[str], i: int, item: dict[object, object]
            ) -> Iterator[VersionProblem]:
    for name, value in item.items():
        if name in names and not _empty(value):
            yield _newer((section, i, str(name)))
    if section == "nodes":
        yield from _node1(i, item)
    elif section == "links":
        yield from _evidence1(("links", i), item.get("evidence"))


def _node1(i: int, node: dict[object, object]) -> Iterator[VersionProblem]:
    kind = node.get("kind")
    if kind in FORMAT2_KINDS:
        yield VersionProblem("LM027", ("nodes", i, "kind"), f"`{kind}` is a format-2 kind",
                             "write `logicmodel: 2` at the top to use it", False)
    if kind != "context" and node.get("role") is not None:
        yield _newer(("nodes", i, "role"))
    if kind != "outcome":
        return
    if "horizon" not in node:
        yield VersionProblem("LM021", ("nodes", i, "horizon"),
                             f"nodes[{i}]: missing required field `horizon`", None, False)
    elif node["horizon"] is None:
        yield VersionProblem("LM020", ("nodes", i, "horizon"),
                             f"nodes[{i}].horizon: has no value",
                             "write `short`, `medium` or `long`", False)


def _evidence1(where: Path, evidence: object) -> Iterator[VersionProblem]:
    """Format 1's evidence: one mapping, with a grade, always for the link."""
    if isinstance(evidence, list):
        yield VersionProblem("LM027", (*where, "evidence"),
                             "a list of evidence is format 2",
                             "write `logicmodel: 2` at the top, or give one mapping", False)
    elif isinstance(evidence, dict):
        if "grade" not in evidence:
            yield VersionProblem("LM021", (*where, "evidence", "grade"),
                                 f"{where[0]}[{where[1]}].evidence: missing required field "
                                 "`grade`", None, False)
        if evidence.get("direction", "for") != "for":
            yield _newer((*where, "evidence", "direction"))


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
    Reports, in a file starting `logicmodel: 1`, what format 2 added: the
    model's own `stages:`, `expects_impact`, `groups`, `tags`, `roles`,
    `ceiling`, `level`, model-level `provenance` and `ignore`; a node's `stage`,
    `groups`, `tags`, `evidence`, `role` and `direction`; pathways given by
    `links` or `steps`; lists of evidence and evidence against a link; and the
    kind `condition`.

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
