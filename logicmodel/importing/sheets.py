"""From sheets to a model's data: each row an element, each column a field.

The sheets are those ``export --to xlsx`` and ``--to csv`` write
(:mod:`logicmodel.export.sheets`): Kumu's Elements and Connections, and the
model's other sheets. Headers are matched without regard to case; a dotted
header fills a nested field (``provenance.status``); what a cell holds (text, a
number, a list of ids, JSON) is read from the schema (:mod:`.shapes`).

A sheet written elsewhere (a Kumu export, a first draft) may lack ids, kinds
or the model's title: those are guessed, and every guess becomes a note that
the YAML carries as a comment next to what it is about. A cell that cannot be
read is a located problem (LM052); a workbook with no Elements sheet is LM051.
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import BaseModel

from ..diagnostics import Diagnostic, Severity
from ..diagnostics import Path as ModelPath
from ..export.sheets import LIST_SEPARATOR, MODEL_SHEET, SHEETS
from ..rules.registry import rule
from ..schema import FORMAT_VERSION, HORIZON_KINDS, NODE_CLASSES, NODE_KINDS, LogicModel
from .grid import Cell, Grid, problem
from .shapes import dict_value, field_type, model_of, shape

__all__ = ["Decoded", "decode_sheets", "sheet_name"]

_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_DERIVED = ("logframe", "assumptions register")
_KNOWN = frozenset({MODEL_SHEET.lower(), *_DERIVED, *(s.lower() for s in SHEETS)})


@dataclass
class Decoded:
    """The model's data, where each part came from, and what was guessed."""

    data: dict[str, Any] = field(default_factory=dict)
    where: dict[ModelPath, tuple[Grid, int, int]] = field(default_factory=dict)
    notes: dict[ModelPath, list[str]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def note(self, path: ModelPath, text: str) -> None:
        self.notes.setdefault(path, []).append(text)


def sheet_name(name: str) -> str:
    """A sheet's name without Kumu's ``(ignore)`` mark, lower case."""
    name = re.sub(r"\s*\(ignore\)\s*$", "", name.strip(), flags=re.I)
    return name.lower().replace("-", " ").replace("_", " ")


def _section_class(section: str) -> type[BaseModel] | None:
    info = LogicModel.model_fields.get(section)
    if info is None:
        return None
    args = typing.get_args(info.annotation)
    return model_of(args[0]) if args else None


class _Reader:
    def __init__(self, out: Decoded, grid: Grid) -> None:
        self.out = out
        self.grid = grid

    def fail(self, row: int, col: int, message: str, hint: str | None = None) -> None:
        self.out.diagnostics.append(problem("LM052", message, self.grid, row, col, hint))

    def text(self, cell: Cell) -> str:
        if isinstance(cell, bool):
            return "true" if cell else "false"
        if isinstance(cell, float):
            return str(int(cell)) if cell.is_integer() else repr(cell)
        if isinstance(cell, int):
            return str(cell)
        text = str(cell)
        if not self.grid.typed and text.startswith("'"):
            return text[1:]  # the CSV export's mark for literal text
        return text

    def leaf(self, kind: str, cell: Cell, row: int, col: int) -> tuple[bool, Any]:
        """Decode one cell for a field of shape ``kind``; (False, None) after a problem."""
        raw = cell
        literal = isinstance(raw, str) and not self.grid.typed and raw.startswith("'")
        if kind in ("text", "model", "dict"):
            return True, self.text(cell)
        if kind == "list":
            items = [s.strip() for s in re.split(r"[|;,]", self.text(cell))]
            return True, [s for s in items if s]
        if kind == "bool":
            if isinstance(raw, bool):
                return True, raw
            word = self.text(cell).strip().lower()
            if word in ("true", "yes", "1"):
                return True, True
            if word in ("false", "no", "0", ""):
                return True, False
            self.fail(row, col, f"expected true or false, not {word!r}")
            return False, None
        if kind in ("integer", "number"):
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                return True, int(raw) if kind == "integer" and float(raw).is_integer() else raw
            text = self.text(cell).strip()
            if _NUMBER.match(text):
                value = float(text)
                return True, int(value) if kind == "integer" and value.is_integer() else value
            self.fail(row, col, f"expected a number, not {text!r}")
            return False, None
        if kind == "value":
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                return True, raw
            text = self.text(cell)
            if not self.grid.typed and not literal and _NUMBER.match(text.strip()):
                number = float(text)
                return True, int(number) if re.fullmatch(r"[-+]?\d+", text.strip()) else number
            return True, text
        # json: a list or mapping written as JSON (or YAML flow syntax)
        text = self.text(cell)
        parsed: Any
        try:
            parsed = json.loads(text)
        except ValueError:
            try:
                parsed = yaml.safe_load(text) if len(text) <= 100_000 else None
            except yaml.YAMLError:
                parsed = None
        if not isinstance(parsed, list | dict):
            self.fail(row, col, "expected a list or mapping as JSON, e.g. "
                      '[{"rule": "LM301", "reason": "..."}]')
            return False, None
        return True, parsed

    def put(self, cls: type[BaseModel], target: dict[str, Any], parts: list[str], cell: Cell,
            row: int, col: int, path: ModelPath) -> None:
        """Set the field named by the dotted ``parts`` of ``target`` (an element of ``cls``)."""
        found = field_type(cls, parts[0])
        if found is None:
            self.fail(row, col, f"`{'.'.join(parts)}` is not a field here")
            return
        _, annotation = found
        kind = shape(annotation)
        key = parts[0]
        path = (*path, key)
        if len(parts) > 1 and kind == "model":
            inner = model_of(annotation)
            assert inner is not None
            self.put(inner, target.setdefault(key, {}), parts[1:], cell, row, col, path)
            return
        if len(parts) > 1 and kind == "dict":
            value_kind = shape(dict_value(annotation))
            ok, value = self.leaf(value_kind, cell, row, col)
            if ok:
                target.setdefault(key, {})[".".join(parts[1:])] = value
                self.out.where[(*path, ".".join(parts[1:]))] = (self.grid, row, col)
            return
        if len(parts) > 1 or kind in ("model", "dict"):
            if kind in ("model", "dict"):
                kind = "json"
            else:
                self.fail(row, col, f"`{parts[0]}` has no part `{'.'.join(parts[1:])}`")
                return
        ok, value = self.leaf(kind, cell, row, col)
        if ok:
            target[key] = value
            self.out.where[path] = (self.grid, row, col)


def _ordered(cls: type[BaseModel], item: dict[str, Any]) -> dict[str, Any]:
    """The item's keys in the order the format declares them (ids first)."""
    order = [info.alias or name for name, info in cls.model_fields.items()]
    rank = {k: i for i, k in enumerate(order)} | {"id": -3, "kind": -2, "label": -1}
    return dict(sorted(item.items(), key=lambda kv: rank.get(kv[0], len(rank))))


def _empty(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


def _rows(grid: Grid) -> Iterator[tuple[int, list[Cell]]]:
    for r, row in enumerate(grid.rows[1:], 1):
        if any(not _empty(c) for c in row):
            yield r, row


def _header(grid: Grid, sheet: str) -> list[str | None]:
    """Each column's field key (dotted YAML keys), or None for an empty header."""
    rename = {v.lower(): k for k, v in SHEETS.get(sheet, ("", {}, ()))[1].items()}
    out: list[str | None] = []
    for cell in grid.rows[0] if grid.rows else []:
        name = "" if cell is None else str(cell).strip()
        if not name:
            out.append(None)
            continue
        out.append(rename.get(name.lower(), name if "." in name else name.lower()))
    return out


def _slug(label: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9]+", "_", label).strip("_").lower()[:60] or "node"
    if not base[0].isalpha():
        base = "n_" + base
    name, i = base, 2
    while name in taken:
        name = f"{base}_{i}"
        i += 1
    taken.add(name)
    return name


_KIND_WORDS = {k: k for k in NODE_KINDS} | {info.plural.lower(): k
                                          for k, info in NODE_KINDS.items()}


def _guess_kind(word: str) -> tuple[str | None, str | None]:
    """A kind (and horizon) from a Kumu type such as ``Short-term outcome``."""
    w = " ".join(re.sub(r"[-_]", " ", word).lower().split())
    if w in _KIND_WORDS:
        return _KIND_WORDS[w], None
    for horizon in ("short", "medium", "long"):
        if w.startswith(horizon) and w.endswith(("outcome", "outcomes")):
            return "outcome", horizon
    for k in NODE_KINDS:
        if w.rstrip("s") == k or w == k + "s" or w.endswith(" " + k):
            return k, None
    return None, None


def _elements(out: Decoded, grid: Grid) -> dict[str, str]:
    """The nodes; returns label -> id, for connections that name nodes by label."""
    reader = _Reader(out, grid)
    header = _header(grid, "Elements")
    if "label" not in header:
        out.diagnostics.append(problem("LM051", "the Elements sheet has no Label column",
                                       grid, 0, 0, "Kumu's layout: ID, Label, Type, ..."))
        return {}
    nodes: list[dict[str, Any]] = []
    taken = {str(row[header.index("id")]).strip() for _, row in _rows(grid)
             if "id" in header and header.index("id") < len(row)
             and not _empty(row[header.index("id")])}
    labels: dict[str, str] = {}
    free_tags = False
    for r, row in _rows(grid):
        i = len(nodes)
        path: ModelPath = ("nodes", i)
        cells = dict(zip(header, row, strict=False))
        node: dict[str, Any] = {}
        kind_cell = cells.get("kind")
        kind_col = header.index("kind") if "kind" in header else 0
        kind = reader.text(kind_cell).strip() if not _empty(kind_cell) else ""
        horizon = None
        if kind not in NODE_CLASSES:
            guessed, horizon = _guess_kind(kind) if kind else ("activity", None)
            if guessed is None:
                reader.fail(r, kind_col, f"Type {kind!r} is not a kind of node",
                            "one of: " + ", ".join(NODE_KINDS))
                continue
            if guessed != kind.lower() or horizon:
                out.note(path, f"kind {guessed} guessed from Type {kind!r}" if kind
                         else "no Type: kind guessed as activity")
            kind = guessed
        cls = NODE_CLASSES[kind]
        node["kind"] = kind
        out.where[(*path, "kind")] = (grid, r, kind_col)
        for c, (name, cell) in enumerate(zip(header, row, strict=False)):
            if name is None or name == "kind" or _empty(cell):
                continue
            if field_type(cls, name.split(".")[0]) is None and not any(
                    field_type(k, name.split(".")[0]) for k in NODE_CLASSES.values()):
                continue  # a column of no node kind: noted once, below
            if name == "tags" and not reader.text(cell).lstrip().startswith("{"):
                free_tags = True  # Kumu's free tags: no declared vocabulary to put them in
                continue
            reader.put(cls, node, name.split("."), cell, r, c, path)
        if horizon and "horizon" not in node:
            node["horizon"] = horizon
        if "id" not in node:
            node["id"] = _slug(str(node.get("label", "node")), taken)
            out.note(path, f"id {node['id']} made from the label")
        if kind in HORIZON_KINDS and "horizon" not in node and \
                cls.model_fields["horizon"].is_required():
            node["horizon"] = "short"
            out.note(path, "no horizon: guessed short")
        labels.setdefault(" ".join(str(node.get("label", "")).lower().split()), node["id"])
        nodes.append(_ordered(cls, node))
    _unknown_columns(out, grid, header, list(NODE_CLASSES.values()), "Elements")
    if free_tags:
        out.note((), "column 'tags' of the Elements sheet holds free tags, not tags of a "
                 "declared vocabulary; left out")
    out.data["nodes"] = nodes
    return labels


def _unknown_columns(out: Decoded, grid: Grid, header: list[str | None],
                     classes: list[type[BaseModel]], sheet: str) -> None:
    for name in header:
        if name is None or name in ("kind", "node"):
            continue
        if not any(field_type(k, name.split(".")[0]) for k in classes):
            out.note((), f"column {name!r} of the {sheet} sheet is not a field; left out")


def _connections(out: Decoded, grid: Grid, labels: dict[str, str]) -> None:
    from ..schema import Link, LinkType

    reader = _Reader(out, grid)
    header = _header(grid, "Connections")
    if "from" not in header or "to" not in header:
        out.diagnostics.append(problem("LM051", "the Connections sheet needs From and To "
                                       "columns", grid, 0, 0))
        return
    ids = {n["id"] for n in out.data.get("nodes", [])}
    links: list[dict[str, Any]] = []
    for r, row in _rows(grid):
        cells = dict(zip(header, row, strict=False))
        targets = [t.strip() for t in reader.text(cells.get("to") or "").split(LIST_SEPARATOR)]
        for target in [t for t in targets if t] or [""]:
            path: ModelPath = ("links", len(links))
            link: dict[str, Any] = {}
            for c, (name, cell) in enumerate(zip(header, row, strict=False)):
                if name is None or _empty(cell) or field_type(Link, name.split(".")[0]) is None:
                    continue
                if name == "to":
                    cell = target
                if name == "type" and reader.text(cell) not in {t.value for t in LinkType}:
                    out.note(path, f"Type {reader.text(cell)!r} is not a link type; left out")
                    continue
                reader.put(Link, link, name.split("."), cell, r, c, path)
            for end in ("from", "to"):
                value = link.get(end, "")
                if value and value not in ids:
                    by_label = labels.get(" ".join(value.lower().split()))
                    if by_label:
                        link[end] = by_label
                        out.note(path, f"{end} {value!r} matched by label to {by_label}")
            if len(targets) > 1:
                out.note(path, "one of several links in one row (To with |)")
            links.append(_ordered(Link, link))
    _unknown_columns(out, grid, header, [Link], "Connections")
    out.data["links"] = links


def _model_sheet(out: Decoded, grid: Grid) -> None:
    reader = _Reader(out, grid)
    for r, row in _rows(grid):
        if len(row) < 2 or _empty(row[0]):
            continue
        name = reader.text(row[0]).strip()
        if name == "logicmodel":
            continue  # the import writes the current format
        if _empty(row[1]):
            continue
        reader.put(LogicModel, out.data, name.split("."), row[1], r, 1, ())


def _section(out: Decoded, grid: Grid, sheet: str) -> None:
    section = SHEETS[sheet][0]
    cls = _section_class(section)
    assert cls is not None
    reader = _Reader(out, grid)
    header = _header(grid, sheet)
    items: list[dict[str, Any]] = []
    for r, row in _rows(grid):
        path: ModelPath = (section, len(items))
        item: dict[str, Any] = {}
        for c, (name, cell) in enumerate(zip(header, row, strict=False)):
            if name is None or _empty(cell) or field_type(cls, name.split(".")[0]) is None:
                continue
            reader.put(cls, item, name.split("."), cell, r, c, path)
        items.append(_ordered(cls, item))
    _unknown_columns(out, grid, header, [cls], sheet)
    if items:
        out.data[section] = items


def _indicators(out: Decoded, grid: Grid) -> None:
    from ..schema import Indicator

    reader = _Reader(out, grid)
    header = _header(grid, "Indicators")
    nodes = {n["id"]: (i, n) for i, n in enumerate(out.data.get("nodes", []))}
    if "node" not in header:
        out.diagnostics.append(problem("LM051", "the Indicators sheet has no node column",
                                       grid, 0, 0, "name the node each indicator measures"))
        return
    col = header.index("node")
    for r, row in _rows(grid):
        node_id = reader.text(row[col]).strip() if col < len(row) and not _empty(row[col]) \
            else ""
        if node_id not in nodes:
            reader.fail(r, col, f"no node {node_id!r} for this indicator" if node_id
                        else "the indicator names no node")
            continue
        i, node = nodes[node_id]
        inds = node.setdefault("indicators", [])
        path: ModelPath = ("nodes", i, "indicators", len(inds))
        item: dict[str, Any] = {}
        for c, (name, cell) in enumerate(zip(header, row, strict=False)):
            if name in (None, "node") or _empty(cell) or name is None or \
                    field_type(Indicator, name.split(".")[0]) is None:
                continue
            reader.put(Indicator, item, name.split("."), cell, r, c, path)
        inds.append(_ordered(Indicator, item))
    _unknown_columns(out, grid, header, [Indicator], "Indicators")


def decode_sheets(grids: list[Grid], title_guess: str) -> Decoded:
    """The model's data from a workbook's (or a CSV folder's) sheets."""
    out = Decoded()
    out.data["logicmodel"] = FORMAT_VERSION
    by_name: dict[str, Grid] = {}
    empty: dict[str, Grid] = {}
    for g in grids:
        name = sheet_name(g.name)
        if name not in _KNOWN and g.sheet is None:  # a CSV file named otherwise: its header
            header = _header(g, "Connections")
            name = ("connections" if "from" in header and "to" in header
                    else "elements" if "label" in header else name)
        if not any(True for _ in _rows(g)):
            empty.setdefault(name, g)
            continue  # a header alone, or nothing
        if name in by_name:
            out.diagnostics.append(problem("LM051", f"a second {name} sheet", g, 0, 0))
            continue
        by_name[name] = g
    elements = by_name.get("elements")
    if elements is None and "elements" in empty:
        out.diagnostics.append(problem("LM051", "the Elements sheet has no nodes",
                                       empty["elements"], 0, 0,
                                       "add a row per node below the header"))
        return out
    if elements is None:
        first = grids[0] if grids else None
        out.diagnostics.append(problem("LM051", "no Elements sheet: the nodes are read from "
                                       "a sheet named Elements", first, 0, 0,
                                       "Kumu's layout: an Elements sheet (ID, Label, Type, "
                                       "...) and a Connections sheet (From, To, ...)",
                                       file=first.file if first else ""))
        return out
    if MODEL_SHEET.lower() in by_name:
        _model_sheet(out, by_name[MODEL_SHEET.lower()])
    if "title" not in out.data:
        out.data["title"] = title_guess
        out.note((), f"no title: {title_guess!r}, from the file name")
    labels = _elements(out, elements)
    if "connections" in by_name:
        _connections(out, by_name["connections"], labels)
    if "indicators" in by_name:
        _indicators(out, by_name["indicators"])
    for sheet in ("Assumptions", "Moderators", "Pathways", "References", "Authors", "Views"):
        if sheet.lower() in by_name:
            _section(out, by_name[sheet.lower()], sheet)
    for name, g in by_name.items():
        if name not in _KNOWN:
            out.note((), f"sheet {g.name!r} is not one logicmodel reads; left out")
    return out


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

E = Severity.ERROR


@rule("LM051", "missing-sheet", E)
def missing_sheet() -> None:
    """A sheet or column the import needs is missing.

    ## What it does
    The nodes are read from a sheet named *Elements* with a *Label* column
    (Kumu's layout); links from *Connections* with *From* and *To*; indicators
    from *Indicators* with a *node* column. A folder of CSV files names them
    `elements.csv`, `connections.csv`, ...; a single CSV file is told apart by
    its header.

    ## Why is this bad?
    Without them there is no model to write.

    ## Example
    ```text
    draft.xlsx:Sheet1:1:1: LM051 no Elements sheet: the nodes are read from a sheet
    named Elements (cell A1)
    ```
    """
