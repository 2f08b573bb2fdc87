"""Diagnostics: the values every stage of logicmodel reports problems with.

A diagnostic is data, not an exception: the loader, the rules and the renderer
all return them, and one run reports every problem it can find. Positions are
1-based, as in compilers, yamllint and ruff.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

__all__ = ["Diagnostic", "Path", "Severity", "Span", "escape_text", "pointer", "sort_key"]

Path = tuple[str | int, ...]


class Severity(enum.StrEnum):
    """How serious a diagnostic is; ``error`` fails a check, ``warning`` fails with --strict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more serious."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True, slots=True)
class Span:
    """Where something is in a file: 1-based start and end, end exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in one file."""

    code: str
    name: str
    severity: Severity
    message: str
    file: str = "<string>"
    span: Span | None = None
    path: Path = field(default=())
    hint: str | None = None

    @property
    def line(self) -> int:
        return self.span.line if self.span else 1

    @property
    def column(self) -> int:
        return self.span.column if self.span else 1

    def location(self) -> str:
        """``file:line:col``, the prefix editors and CI systems understand."""
        return f"{self.file}:{self.line}:{self.column}"


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    """Order diagnostics by file, position, then code: stable output for golden files."""
    return (d.file, d.line, d.column, d.code, d.message)


def pointer(path: Path) -> str:
    """A JSON pointer (RFC 6901) for a path inside a model, e.g. ``/links/3/to``."""
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
    return "/" + "/".join(parts) if parts else ""


_SAFE = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_text(text: str) -> str:
    """Make user text safe to print on a terminal or in a CI log.

    Control characters, bidi overrides and line separators are shown escaped, so a
    label can never move the cursor, forge a log line or reorder what a reader sees.
    """
    out: list[str] = []
    for ch in text:
        o = ord(ch)
        if ch in _SAFE:
            out.append(_SAFE[ch])
        elif o < 0x20 or 0x7F <= o < 0xA0 or o in _BIDI or 0xD800 <= o < 0xE000:
            out.append(f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}")
        else:
            out.append(ch)
    return "".join(out)


_BIDI = frozenset(
    [0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
