"""What the variants of a model are, and what differs across them.

:func:`summarise` gives one row per variant (the base first) with what its
patch removes, changes and adds. :func:`variant_models` merges every variant;
:func:`differences` compares each with the base by id (as ``logicmodel diff``
does) and builds the table "what differs across variants": one row per element
that differs in some variant, one column per variant, each cell one of

* ``+`` added in this variant, a minus sign (U+2212) removed, ``~`` changed, with
  the fields that change (``~ label, target``);
* ``=`` as in the base; empty when the element is in neither.

The table is written as Markdown or LaTeX (:mod:`logicmodel.export.tables`) or
CSV.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..diff import diff_models
from ..export.tables import Table
from ..signs import ADDED, CHANGED, SAME, SIGNS
from .load import variant_document

if TYPE_CHECKING:
    from ..loader import Document
    from ..schema import LogicModel

__all__ = ["Cell", "Differences", "VariantRow", "differences", "differences_text", "summarise",
           "to_csv", "variant_models"]

REMOVED = SIGNS["removed"]  # the name other modules import


@dataclass(frozen=True)
class VariantRow:
    """One variant: its id, label, where it is written and the size of its patch."""

    id: str
    label: str | None
    file: str
    removes: int = 0
    changes: int = 0
    adds: int = 0
    extends: str | None = None

    def describe(self) -> str:
        if self.id == "base":
            return f"{self.label or 'the model without variants'} ({self.file})"
        parts = [f"{n} {what}" for n, what in ((self.removes, "removed"),
                                               (self.changes, "changed"),
                                               (self.adds, "added")) if n]
        where = f"{self.file}, extends {self.extends}" if self.extends else self.file
        label = f"{self.label}: " if self.label else ""
        return f"{label}{', '.join(parts) or 'no changes'} ({where})"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "file": self.file, "removes": self.removes,
                "changes": self.changes, "adds": self.adds, "extends": self.extends}


def _count(patch: dict[str, Any], part: str) -> int:
    value = patch.get(part) or {}
    return sum(len(v) if isinstance(v, list) else 1 for v in value.values())


def summarise(doc: Document) -> list[VariantRow]:
    """The base and each variant of a loaded model (an overlay: its base and itself)."""
    spec = doc.overlay
    if spec is not None:
        assert doc.base is not None
        return [VariantRow("base", doc.base.model.title if doc.base.model else None,
                           doc.base.file),
                VariantRow(spec.id, spec.label, doc.file, _count(spec.patch, "remove"),
                           _count(spec.patch, "change"), _count(spec.patch, "add"),
                           doc.base.file)]
    rows = [VariantRow("base", doc.model.title if doc.model else None, doc.file)]
    rows += [VariantRow(v.id, v.label, v.file, _count(v.patch, "remove"),
                        _count(v.patch, "change"), _count(v.patch, "add")) for v in doc.variants]
    return rows


def variant_models(doc: Document) -> list[tuple[str, str, LogicModel]]:
    """(id, label, merged model) for the base and each variant that is a valid model."""
    assert doc.model is not None
    out: list[tuple[str, str, LogicModel]] = [("base", "Base", doc.model)]
    for v in doc.variants:
        merged = variant_document(doc, v.id)
        if merged.model is not None:
            out.append((v.id, v.label or v.id, merged.model))
    return out


_SECTION_WORDS = {"nodes": "node", "links": "link", "indicators": "indicator",
                  "assumptions": "assumption", "moderators": "moderator",
                  "pathways": "pathway", "references": "reference", "groups": "group"}


@dataclass(frozen=True)
class Cell:
    """How one element stands in one variant."""

    kind: str  # "same", "added", "removed", "changed" or "absent"
    fields: tuple[str, ...] = ()

    def sign(self, removed: str = REMOVED) -> str:
        mark = {"same": SAME, "added": ADDED, "removed": removed, "changed": CHANGED,
                "absent": ""}
        fields = f" {', '.join(self.fields)}" if self.fields else ""
        return mark[self.kind] + fields

    def word(self) -> str:
        fields = f": {', '.join(self.fields)}" if self.fields else ""
        return "" if self.kind == "absent" else self.kind + fields


@dataclass(frozen=True)
class Differences:
    """Elements that differ in some variant, by variant: the data behind the table."""

    title: str
    variants: list[tuple[str, str]]  # (id, label), the base first
    rows: list[tuple[str, str, str, list[Cell]]]  # (section, id, summary, cell per variant)

    def table(self, style: str = "markdown") -> Table:
        """The rows as a table: signs (in LaTeX, ``--`` for removed) or, for CSV, words."""
        header = ["Element", "What", *[label for _, label in self.variants]]
        rows = [[f"{_SECTION_WORDS.get(s, s)} {i}", what,
                 *[c.word() if style == "csv" else c.sign("--" if style == "latex" else REMOVED)
                   for c in cells]]
                for s, i, what, cells in self.rows]
        n = len(self.variants)
        return Table(self.title, header, rows, [0.18, 0.3, *([round(0.52 / n, 3)] * n)])


def differences(doc: Document) -> Differences:
    """What differs across a model's inline variants, element by element."""
    from ..diff import _elements

    models = variant_models(doc)
    base = models[0][2]
    known: dict[str, dict[str, tuple[dict[str, Any], str]]] = {}
    found: dict[tuple[str, str], tuple[str, dict[str, Cell]]] = {}
    for vid, _, model in models[1:]:
        for c in diff_models(base, model).changes:
            key = (c.section, c.id)
            in_base = known.setdefault(c.section, _elements(base, c.section)).get(c.id)
            summary, cells = found.setdefault(key, (in_base[1] if in_base else c.summary, {}))
            cells[vid] = Cell(c.kind, tuple(dict.fromkeys(f.field for f in c.fields))
                              if c.kind == "changed" else ())
    rank = {s: i for i, s in enumerate(_SECTION_WORDS)}
    rows = []
    for (section, ident), (summary, cells) in sorted(
            found.items(), key=lambda kv: rank.get(kv[0][0], len(rank))):
        default = Cell("absent" if any(c.kind == "added" for c in cells.values()) else "same")
        rows.append((section, ident, summary,
                     [default, *[cells.get(vid, default) for vid, _, _ in models[1:]]]))
    return Differences(f"What differs across the variants of {base.title}",
                       [(vid, label) for vid, label, _ in models], rows)


def differences_text(doc: Document, style: str) -> str:
    """The table "what differs across variants" as Markdown, LaTeX or CSV."""
    from ..export.tables import to_latex, to_markdown

    table = differences(doc).table(style)
    if style == "csv":
        return to_csv(table)
    return to_latex(table) if style == "latex" else to_markdown(table)


def to_csv(table: Table) -> str:
    """The table as CSV with a header row; cells that a spreadsheet would run are neutralised."""
    from ..export.escape import csv_cell

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow([csv_cell(h) for h in table.header])
    for row in table.rows:
        writer.writerow([csv_cell(c) for c in row])
    return buf.getvalue()
