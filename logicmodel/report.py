"""Report formats: diagnostics -> text for people or machines.

Each format is a plain function ``format_x(result, color=False) -> str`` in the
:data:`FORMATTERS` dict. Text for people carries a summary line; machine formats
carry nothing but the format, so output can be piped. All user text is escaped
so that a label can never write to a terminal or a CI log directly.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from .check import CheckResult
from .diagnostics import Diagnostic, Severity, escape_text, pointer

__all__ = ["FORMATTERS", "diagnostic_dict", "format_json", "format_text", "summary"]

_COLOURS = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;36m",
}
_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(result: CheckResult) -> str:
    """One line for people: how many problems of each severity, in how many files."""
    counts = result.counts()
    files = _plural(len(result.files), "file")
    if not result.diagnostics:
        return f"All checks passed ({files} checked)."
    parts = [_plural(counts[s], s.value) for s in Severity if counts[s]]
    return f"Found {_plural(len(result.diagnostics), 'problem')} ({', '.join(parts)}) in {files}."


def format_text(result: CheckResult, color: bool = False) -> str:
    """``file:line:col: CODE severity: message``, the hint below, then a summary line."""
    lines: list[str] = []
    for d in result.diagnostics:
        loc = escape_text(d.location())
        sev = d.severity.value
        if color:
            loc = f"{_BOLD}{loc}{_RESET}"
            sev = f"{_COLOURS[d.severity]}{sev}{_RESET}"
        lines.append(f"{loc}: {d.code} {sev}: {escape_text(d.message)}")
        if d.hint:
            lines.append(f"    hint: {escape_text(d.hint)}")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def diagnostic_dict(d: Diagnostic) -> dict[str, object]:
    """The stable JSON shape of one diagnostic (documented in docs/cli.md)."""
    span = d.span
    return {
        "code": d.code,
        "name": d.name,
        "severity": d.severity.value,
        "message": d.message,
        "hint": d.hint,
        "file": d.file,
        "line": span.line if span else 1,
        "column": span.column if span else 1,
        "end_line": span.end_line if span else 1,
        "end_column": span.end_column if span else 1,
        "path": pointer(d.path),
    }


def format_json(result: CheckResult, color: bool = False) -> str:
    """A JSON list of diagnostics, sorted by file and position."""
    data = [diagnostic_dict(d) for d in result.diagnostics]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


FORMATTERS: dict[str, Callable[[CheckResult, bool], str]] = {
    "text": format_text,
    "json": format_json,
}
