"""The table of two versions: each short box and the boxes of the full version it stands for.

One row per box of the full version, grouped under the short box that stands
for it, in the short version's order (a box under ``shared`` appears under
each of its short boxes); then the full boxes no short box covers, under
"(not in the short version)". Markdown and LaTeX name each short box once, at
the head of its group; CSV repeats it on every row, for sorting and filtering.

Example::

    from logicmodel.pipeline import open_model
    from logicmodel.versions.table import versions_text

    print(versions_text(open_model("models/devolved_budgets_summary.yaml").document,
                        "markdown"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..export.tables import Table, to_csv, to_latex, to_markdown
from .check import mapping_of

if TYPE_CHECKING:
    from ..loader import Document

__all__ = ["NOT_SHORT", "versions_table", "versions_text"]

NOT_SHORT = "(not in the short version)"


def versions_table(doc: Document, style: str = "markdown") -> Table:
    """The mapping of ``doc`` (a short version whose full version was read) as a table."""
    assert doc.model is not None
    assert doc.full is not None
    assert doc.full.model is not None
    short, full = doc.model, doc.full.model
    m = mapping_of(short, full)
    layout = full.layout
    full_nodes = {n.id: n for n in full.nodes}
    rows: list[list[str]] = []
    covered: set[str] = set()
    for node in short.nodes:
        head = f"{node.label} ({node.id})"
        ids = [i for i in m.boxes.get(node.id, ()) if i in full_nodes]
        if not ids:
            rows.append([head, "", ""])
        for k, full_id in enumerate(ids):
            f = full_nodes[full_id]
            covered.add(full_id)
            shown = head if k == 0 or style == "csv" else ""
            rows.append([shown, f"{f.label} ({f.id})", layout.heading(layout.stage_of(f))])
    left = [n for n in full.nodes if n.id not in covered]
    for k, f in enumerate(left):
        shown = NOT_SHORT if k == 0 or style == "csv" else ""
        rows.append([shown, f"{f.label} ({f.id})", layout.heading(layout.stage_of(f))])
    return Table(f"{short.title}: the boxes of {full.title}",
                 ["Short version", "Full version", "Stage"], rows, [0.4, 0.45, 0.15])


def versions_text(doc: Document, style: str) -> str:
    """The table of the two versions as Markdown, LaTeX or CSV."""
    table = versions_table(doc, style)
    if style == "csv":
        return to_csv(table)
    return to_latex(table) if style == "latex" else to_markdown(table)
