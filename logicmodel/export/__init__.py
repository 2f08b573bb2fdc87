"""Exports: the model in other tools' formats, and tables for papers.

:data:`FORMATS` maps each ``logicmodel export --to`` name to a function
``(model, style) -> str``; ``style`` is ``markdown`` or ``latex`` for the
tables and ignored by the data formats. Every export is deterministic: the same
model gives the same bytes. :func:`write_atomic` writes a file so that a reader
never sees half of it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable

from ..analysis.dagitty import to_dagitty
from ..schema import LogicModel
from .data import to_csv_indicators, to_csv_links, to_csv_nodes, to_graphml, to_json
from .tables import TABLES, to_latex, to_markdown

__all__ = ["FORMATS", "export", "write_atomic"]


def _table(name: str) -> Callable[[LogicModel, str], str]:
    def render(model: LogicModel, style: str) -> str:
        table = TABLES[name](model)
        return to_latex(table) if style == "latex" else to_markdown(table)

    return render


FORMATS: dict[str, Callable[[LogicModel, str], str]] = {
    "json": lambda m, s: to_json(m),
    "graphml": lambda m, s: to_graphml(m),
    "csv-nodes": lambda m, s: to_csv_nodes(m),
    "csv-links": lambda m, s: to_csv_links(m),
    "csv-indicators": lambda m, s: to_csv_indicators(m),
    "dagitty": lambda m, s: to_dagitty(m),
    **{name: _table(name) for name in TABLES},
}


def export(model: LogicModel, to: str, style: str = "markdown") -> str:
    """The model in the format ``to`` (a key of :data:`FORMATS`)."""
    return FORMATS[to](model, style)


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder, fsync, rename.

    Raises:
        OSError: the file cannot be written; nothing is left half-written.
    """
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".logicmodel-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
