"""Comment-preserving YAML round trips, for the commands that rewrite a user's file.

``fmt`` and ``migrate`` edit the file a person keeps in git, so they must keep
every comment, the order of keys and the flow or block style of each
collection. ruamel.yaml's round-trip mode does that; this module holds the one
configuration of it that logicmodel writes with (the canonical style), so that
``fmt`` and ``migrate`` cannot disagree about how a file looks.

The canonical style: mappings indented by two spaces, sequence dashes indented
two spaces under their key, quotes kept as written, a flow collection
(``{id: a, label: A}``) kept on one line when it fits in 99 characters and
written as a block otherwise, scalars never re-wrapped, no trailing white space
and one final newline.

Reading for *checking* never goes through here: ruamel is slower than the
libyaml reader ``check`` uses, and it is imported only by the rewriting commands.
"""

from __future__ import annotations

import io
import re
from typing import Any

__all__ = ["WIDTH", "dump", "load"]

WIDTH = 99
_TRAILING = re.compile(r"[ \t]+$", re.MULTILINE)


# Scalars are never re-wrapped: ruamel would break a long URL onto its own line.
_NO_WRAP = 1 << 20


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = _NO_WRAP
    yaml.allow_duplicate_keys = False
    return yaml


def _one_line(node: Any) -> int:
    out = io.StringIO()
    _yaml().dump(node, out)
    text = out.getvalue().rstrip("\n")
    return len(text) if "\n" not in text else _NO_WRAP


def _is_flow(node: Any) -> bool:
    fa = getattr(node, "fa", None)
    return bool(fa is not None and fa.flow_style())


def _fit_flow(node: Any, column: int) -> None:
    """Block style for every flow collection that does not fit on its line."""
    if isinstance(node, dict):
        if _is_flow(node):
            if column + _one_line(node) <= WIDTH:
                return
            node.fa.set_block_style()  # type: ignore[attr-defined]
        for key, value in node.items():
            _fit_flow(value, column + len(str(key)) + 2 if _is_flow(value) else column + 2)
    elif isinstance(node, list):
        if _is_flow(node):
            if column + _one_line(node) <= WIDTH:
                return
            node.fa.set_block_style()  # type: ignore[attr-defined]
        for item in node:
            _fit_flow(item, column + 4)


def load(text: str) -> Any:
    """The round-trip tree of ``text`` (comments attached), for editing and :func:`dump`."""
    return _yaml().load(text)


def dump(tree: Any) -> str:
    """``tree`` as YAML text in the canonical style."""
    _fit_flow(tree, 0)
    out = io.StringIO()
    _yaml().dump(tree, out)
    text = _TRAILING.sub("", out.getvalue())
    return text.rstrip("\n") + "\n"
