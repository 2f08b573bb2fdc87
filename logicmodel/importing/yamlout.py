"""Writing imported data as a model file, with a comment for everything guessed.

Top-level fields come in the format's order; each element of a list is written
as a block mapping, with the notes about it (what was guessed, what was left
out) as ``#`` comments just above it, and notes about the whole model at the
top. The text is deterministic: the same data gives the same bytes.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..diagnostics import Path
from ..schema import LogicModel

__all__ = ["to_yaml"]


def _order() -> list[str]:
    out = []
    for name, info in LogicModel.model_fields.items():
        out.append(info.alias or name)
    return out


def _dump(value: Any) -> str:
    text: str = yaml.safe_dump(value, sort_keys=False, allow_unicode=True,
                               default_flow_style=False, width=88)
    return text


def _comment(text: str) -> str:
    return "# " + " ".join(text.split())


def to_yaml(data: dict[str, Any], notes: dict[Path, list[str]], header: list[str]) -> str:
    """The model file for ``data``; ``notes`` are comments by model path, ``header`` on top."""
    lines = [_comment(h) for h in header]
    lines += [_comment(n) for n in notes.get((), [])]
    keys = [k for k in _order() if k in data] + [k for k in data if k not in _order()]
    for key in keys:
        value = data[key]
        items_with_notes = isinstance(value, list) and value and all(
            isinstance(v, dict) for v in value)
        if not items_with_notes:
            lines.append(_dump({key: value}).rstrip("\n"))
            continue
        lines.append(f"{key}:")
        for i, item in enumerate(value):
            about = [n for path, ns in sorted(notes.items(), key=lambda kv: str(kv[0]))
                     if path[:2] == (key, i) for n in ns]
            lines += ["  " + _comment(n) for n in about]
            body = _dump(item).rstrip("\n").splitlines()
            lines.append("  - " + body[0])
            lines += ["    " + b for b in body[1:]]
    return "\n".join(lines) + "\n"
