"""Positions in TOML text: the line and column of a key or value, which tomllib does not give.

Used to locate configuration problems (``file:line:col: LM7xx ...``). The
search is textual and tolerant: a table is found by its header (``[a.b]`` or
the n-th ``[[a.b]]``), a key by ``key =`` (bare, quoted, dotted or inside an
inline table) within that table, and a value by its quoted text after the key.
Anything not found falls back to the table's header, then to the file's start.
"""

from __future__ import annotations

import re

from .diagnostics import Span

__all__ = ["TomlLocator"]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")


class TomlLocator:
    """Finds the line and column of keys and values in TOML text (tomllib gives none).

    A table is named by its path below the configuration's root table: ``()``
    for the root, ``("severity",)``, ``("overrides", 0)``, ``("overrides", 0,
    "severity")``. Anything that cannot be found falls back to its table's
    header, then to the start of the file.
    """

    def __init__(self, text: str, prefix: str) -> None:
        self.lines = text.splitlines()
        self.prefix = prefix
        # header name -> list of (first line index, end line index) regions
        self.regions: dict[str, list[tuple[int, int]]] = {}
        name, start = "", 0
        for i, line in enumerate(self.lines):
            m = _HEADER.match(line)
            if m and not line.lstrip().startswith("#"):
                self.regions.setdefault(name, []).append((start, i))
                name, start = m.group(2).replace(" ", ""), i
        self.regions.setdefault(name, []).append((start, len(self.lines)))

    def _header(self, table: tuple[str | int, ...]) -> tuple[str, int]:
        parts = [self.prefix] if self.prefix else []
        n = 0
        for t in table:
            if isinstance(t, int):
                n = t
            else:
                parts.append(t)
        return ".".join(parts), n

    def _region(self, table: tuple[str | int, ...]) -> tuple[int, int] | None:
        name, n = self._header(table)
        regions = self.regions.get(name, [])
        return regions[n] if n < len(regions) else None

    def locate(self, table: tuple[str | int, ...], key: str | None = None,
               item: str | None = None) -> Span:
        region = self._region(table)
        if region is None and table and isinstance(table[-1], str):
            # `severity = {...}` or `severity.LM301 = ...` inside the parent table
            parent = self._region(table[:-1])
            if parent is not None and key is not None:
                found = self._find(parent, table[-1], key)
                if found:
                    return found
            region = parent
        if region is None:
            return Span(1, 1, 1, 1)
        if key is not None:
            found = self._find(region, key, item)
            if found:
                return found
        line = region[0] + 1
        return Span(line, 1, line, len(self.lines[region[0]]) + 1 if self.lines else 1)

    def _find(self, region: tuple[int, int], key: str, item: str | None) -> Span | None:
        key_re = re.compile(r'(^|[{,\s.])(["\']?)' + re.escape(key) + r'\2\s*[=.]')
        for i in range(region[0], region[1]):
            m = key_re.search(self.lines[i])
            if not m or self.lines[i].lstrip().startswith("#"):
                continue
            if item is not None:
                found = self._find_item(i, region[1], item)
                if found:
                    return found
            col = m.start(2) + 1
            return Span(i + 1, col, i + 1, col + len(key) + 2 * len(m.group(2)))
        return None

    def _find_item(self, first: int, end: int, item: str) -> Span | None:
        item_re = re.compile(r'(["\'])' + re.escape(item) + r'\1|(?<![\w"\'])'
                             + re.escape(item) + r'(?=\s*=)')
        for i in range(first, end):
            m = item_re.search(self.lines[i])
            if m:
                return Span(i + 1, m.start() + 1, i + 1, m.end() + 1)
        return None
