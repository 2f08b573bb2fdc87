"""Importing a model from a spreadsheet, a folder of CSV files, or DAGitty model code.

:func:`import_model` reads the files (bounded, never executing a formula), turns
the sheets into a model's data (:mod:`.sheets`) or reads DAGitty syntax
(:mod:`.dagitty`), writes the YAML with a comment for every guess
(:mod:`.yamlout`), and checks that YAML exactly as ``logicmodel check`` would.
Any error, in a cell or in the model it gives, comes back as a diagnostic
located at the sheet, row and column it came from, and no YAML is returned:
the caller writes nothing. An XLSX or CSV written by ``export`` imports to an
equal model.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..checking import check_document
from ..diagnostics import Diagnostic, Severity, Span
from ..diagnostics import Path as ModelPath
from ..loader import display_path, parse_document, read_bytes
from ..rules.registry import RULES
from .dagitty import read_dagitty
from .grid import MAX_BYTES, Grid, problem, read_csv, read_xlsx
from .sheets import decode_sheets
from .yamlout import to_yaml

__all__ = ["Imported", "import_model"]


@dataclass
class Imported:
    """The YAML of an imported model (None when there were errors), and the problems."""

    text: str | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    guesses: int = 0


def _unreadable(path: str, why: str) -> Diagnostic:
    r = RULES["LM050"]
    return Diagnostic("LM050", r.name, r.severity, why, path, Span(1, 1, 1, 1))


def _files(paths: Sequence[str]) -> tuple[list[str], list[Diagnostic]]:
    files: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            found = sorted(str(f) for f in Path(p).glob("*.csv"))
            if not found:
                return [], [_unreadable(p, "the folder has no .csv files")]
            files += found
        else:
            files.append(p)
    return files, []


def _is_dagitty(path: str, data: bytes) -> bool:
    if Path(path).suffix.lower() in (".dagitty", ".dag"):
        return True
    head = data[:200].lstrip().lower()
    return Path(path).suffix.lower() in ("", ".txt", ".r") and head.startswith(
        (b"dag", b"pdag", b"mag", b"pag"))


def import_model(paths: Sequence[str], output_name: str = "model.yaml") -> Imported:
    """Import the model in ``paths`` (one workbook, CSV files or a folder, or DAGitty code)."""
    files, problems = _files(paths)
    if problems:
        return Imported(None, problems)
    grids: list[Grid] = []
    named = Path(paths[0])
    title = (named.name if os.path.isdir(paths[0]) else named.stem)
    title = title.replace("_", " ").replace("-", " ").strip() or "Imported model"
    title = title[:1].upper() + title[1:]
    for f in files:
        name = display_path(f)
        try:
            data = read_bytes(f, MAX_BYTES)
        except OSError as exc:
            return Imported(None, [_unreadable(name, f"cannot read the file: "
                                   f"{(exc.strerror or str(exc)).lower()}")])
        suffix = Path(f).suffix.lower()
        if _is_dagitty(f, data):
            if len(files) > 1:
                return Imported(None, [_unreadable(name, "DAGitty code is imported on its own")])
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                return Imported(None, [_unreadable(name, "the file is not UTF-8 text")])
            dag = read_dagitty(text, name, title)
            if dag.diagnostics:
                return Imported(None, dag.diagnostics)
            return _finish(dag.data, dag.notes, {}, os.path.basename(f), output_name)
        if suffix == ".xlsx":
            got, diags = read_xlsx(data, name)
            grids += got
        elif suffix == ".csv":
            grid, diags = read_csv(data, name, Path(f).stem)
            if grid is not None:
                grids.append(grid)
        else:
            diags = [_unreadable(name, "cannot tell the format from the suffix")]
        problems += diags
    if any(d.severity is Severity.ERROR for d in problems):
        return Imported(None, problems)
    decoded = decode_sheets(grids, title)
    if decoded.diagnostics:
        return Imported(None, decoded.diagnostics)
    source = os.path.basename(files[0]) if len(files) == 1 else \
        os.path.basename(os.path.dirname(files[0]) or ".")
    return _finish(decoded.data, decoded.notes, decoded.where, source, output_name)


def _finish(data: dict[str, object], notes: dict[ModelPath, list[str]],
            where: dict[ModelPath, tuple[Grid, int, int]], source: str,
            output_name: str) -> Imported:
    guesses = sum(len(v) for v in notes.values())
    header = [f"Imported from {source} by `logicmodel import`."]
    if guesses:
        header.append(f"{guesses} thing{'s' if guesses != 1 else ''} had to be guessed or "
                      "left out: see the comments below, then run `logicmodel check`.")
    text = to_yaml(data, notes, header)
    # what the model names (a short version's full version) is relative to where it goes
    doc = parse_document(text.encode("utf-8"), output_name, path=output_name)
    errors = [d for d in (doc.diagnostics if doc.model is None else check_document(doc))
              if d.severity is Severity.ERROR]
    if errors:
        return Imported(None, [_relocate(d, where, source) for d in errors], guesses)
    return Imported(text, [], guesses)


def _relocate(d: Diagnostic, where: dict[ModelPath, tuple[Grid, int, int]],
              source: str) -> Diagnostic:
    """A problem of the imported model, located at the cell it came from."""
    path = d.path
    while path:
        if path in where:
            grid, row, col = where[path]
            cell = problem("LM052", d.message, grid, row, col)
            return Diagnostic(d.code, d.name, d.severity, cell.message, cell.file, cell.span,
                              d.path, d.hint)
        path = path[:-1]
    for key, (grid, row, _) in where.items():  # the element's row, if any cell of it is known
        if d.path and key[:2] == d.path[:2]:
            cell = problem("LM052", d.message, grid, row, 0)
            return Diagnostic(d.code, d.name, d.severity, cell.message, cell.file, cell.span,
                              d.path, d.hint)
    return Diagnostic(d.code, d.name, d.severity, d.message, source, Span(1, 1, 1, 1), d.path,
                      d.hint)

