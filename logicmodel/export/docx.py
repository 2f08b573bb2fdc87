"""Word documents: the theory as a report (``--to docx``) or its narrative alone.

The report has the model's title and description, the figure (a PNG from the
renderer, with the outline as its alternative text) and its caption, the
narrative (:mod:`.narrative`), then, on landscape pages, the logframe matrix,
the indicator plan, the assumptions register and the context-mechanism-outcome
table (:mod:`.tables`), each with its caption, and where an evaluation should
look first (the ranked weak points of ``logicmodel analyze``). Everything uses Word's built-in
styles (Title, Heading 1-3, List Bullet, Caption, Table Grid), so a report can
adopt the content by pasting it or by attaching its own template.

User text only ever becomes the text of a run: python-docx escapes it as XML,
and nothing here writes field codes or hyperlinks, so a label such as
``{ HYPERLINK "file:///etc/passwd" }`` stays the characters it is. Web
addresses are written out as text. The package is repacked with fixed dates
(:mod:`.ooxml`), so the same model gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from ..extras import need
from ..schema import LogicModel
from .narrative import Block, narrative, outline
from .ooxml import repack
from .tables import TABLES, Table

__all__ = ["narrative_docx", "report_docx", "where_to_look_first"]

# Fixed document dates: the file says nothing about when it was made.
_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

_EMPTY = {
    "logframe": "The model has no results, activities or inputs to tabulate.",
    "indicator-plan": "No indicators are declared.",
    "assumptions": "No assumptions are declared.",
    "cmo": "The model declares no pathways.",
}


def _new(model: LogicModel) -> Any:
    docx = need("docx", "Word output")
    d = docx.Document()
    props = d.core_properties
    props.title = " ".join(model.title.split())
    props.author = "; ".join(a.name for a in model.authors)
    props.last_modified_by = "logicmodel"
    props.comments = ""
    props.revision = 1
    props.created = _DATE
    props.modified = _DATE
    props.last_printed = _DATE
    # Table text in 9 points, set once on the table style rather than on every run.
    d.styles["Table Grid"].font.size = need("docx.shared", "Word output").Pt(9)
    d.add_paragraph(" ".join(model.title.split()), style="Title")
    return d


def _save(d: Any) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return repack(buf.getvalue())


def _blocks(d: Any, blocks: list[Block], shift: int) -> None:
    for b in blocks:
        if b.kind == "heading":
            d.add_heading(" ".join(b.text.split()), max(1, min(b.level - shift, 9)))
        elif b.kind == "paragraph":
            p = d.add_paragraph()
            if b.lead:
                p.add_run(b.lead).bold = True
                if b.text:
                    p.add_run(" ")
            if b.text:
                p.add_run(" ".join(b.text.split()))
        else:
            for lead, text in b.items:
                p = d.add_paragraph(style="List Bullet")
                if lead:
                    p.add_run(" ".join(lead.split())).bold = True
                    p.add_run(" ")
                p.add_run(" ".join(text.split()))


def _text_width(section: Any) -> int:
    return int(section.page_width - section.left_margin - section.right_margin)


def _table(d: Any, table: Table, number: int, width: int) -> None:
    oxml = need("docx.oxml", "Word output")
    ns = need("docx.oxml.ns", "Word output")
    d.add_paragraph(f"Table {number}. {table.title}", style="Caption")
    t = d.add_table(rows=1, cols=len(table.header))
    t.style = "Table Grid"
    t.autofit = False
    widths = [int(width * w / sum(table.widths)) for w in table.widths]
    table_mod = need("docx.table", "Word output")
    for col, w in zip(t.columns, widths, strict=True):
        col.width = w  # the grid's widths: each row added below takes them
    header = t.rows[0]
    trpr = header._tr.get_or_add_trPr()  # repeat the header row on every page
    repeat = oxml.OxmlElement("w:tblHeader")
    repeat.set(ns.qn("w:val"), "true")
    trpr.append(repeat)
    for tc, text, w in zip(header._tr.tc_lst, table.header, widths, strict=True):
        tc.width = w
        table_mod._Cell(tc, t).paragraphs[0].add_run(text).bold = True
    for row in table.rows:
        # Cells straight from the row's XML: python-docx's Row.cells walks the whole
        # table each time, which makes a long table quadratic.
        tr = t.add_row()._tr
        keep = oxml.OxmlElement("w:cantSplit")  # a row is never broken across pages
        keep.set(ns.qn("w:val"), "true")
        tr.get_or_add_trPr().append(keep)
        for tc, text in zip(tr.tc_lst, row, strict=True):
            table_mod._Cell(tc, t).paragraphs[0].add_run(" ".join(text.split()))


def _landscape(d: Any, landscape: bool) -> Any:
    """A new section on a new page, landscape or portrait."""
    enum_section = need("docx.enum.section", "Word output")
    section = d.add_section(enum_section.WD_SECTION.NEW_PAGE)
    wide = section.page_width > section.page_height
    if wide != landscape:
        section.page_width, section.page_height = section.page_height, section.page_width
    section.orientation = (enum_section.WD_ORIENT.LANDSCAPE if landscape
                           else enum_section.WD_ORIENT.PORTRAIT)
    return section


def _png_size(png: bytes) -> tuple[int, int]:
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        return (1, 1)
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _figure(d: Any, model: LogicModel, png: bytes) -> None:
    w, h = _png_size(png)
    wide = w > 1.4 * h
    section = _landscape(d, True) if wide else d.sections[-1]
    width = _text_width(section)
    room = int((section.page_height - section.top_margin - section.bottom_margin) * 0.8)
    pic = d.add_picture(io.BytesIO(png), width=width)
    if pic.height > room:  # a tall figure: fit the page's height instead
        pic.width = int(pic.width * room / pic.height)
        pic.height = room
    doc_pr = pic._inline.docPr
    doc_pr.set("name", "Logic model")
    doc_pr.set("descr", outline(model))
    d.paragraphs[-1].alignment = 1  # centred
    cap = d.add_paragraph(style="Caption")
    cap.add_run(f"Figure 1. {' '.join(model.title.split())}.")
    if wide:
        _landscape(d, False)


def _section(d: Any, table: Table, intro: str | None, empty: str, number: int,
             width: int) -> int:
    """A table under its heading (with an introduction), or a sentence when it has no rows.

    Returns the number of the last table captioned so far.
    """
    d.add_heading(table.title, 1)
    if intro:
        d.add_paragraph(intro)
    if not table.rows:
        d.add_paragraph(empty)
        return number
    _table(d, table, number + 1, width)
    return number + 1


def report_docx(model: LogicModel, figure: bytes | None = None) -> bytes:
    """The Word report of ``model``; ``figure`` is a PNG of it (left out when None).

    Raises:
        MissingExtra: LM615 when python-docx is not installed.
    """
    d = _new(model)
    story = narrative(model)
    blocks = story.blocks[1:]  # the title is the document's
    if model.description and blocks and blocks[0].kind == "paragraph":
        _blocks(d, blocks[:1], 0)
        blocks = blocks[1:]
    if figure is not None:
        _figure(d, model, figure)
    d.add_heading("Theory of change", 1)
    _blocks(d, blocks, 0)
    width = _text_width(_landscape(d, True))
    number = 0
    for name in TABLES:
        number = _section(d, TABLES[name](model), None,
                          _EMPTY.get(name, "Nothing to show."), number, width)
    from ..analysis.evalplan import evaluation_plan

    number = _section(
        d, evaluation_plan(model),
        "The questions an evaluation of this theory should answer, one for each pathway and "
        "for each contested or fragile link, with the indicators and data sources that answer "
        "it and the assumptions to test (logicmodel export --to evaluation-plan).",
        "The model declares no pathway and no contested or fragile link.", number, width)
    look = where_to_look_first(model)
    if look is not None:
        _section(d, look,
                 "The weak points of the theory, ranked by the share of routes from where the "
                 "model starts to where it ends that each carries: links with evidence against "
                 "them or mixed, assumptions at high risk, then links with no evidence recorded "
                 "(logicmodel analyze).",
                 "No contested link, high-risk assumption or link without evidence carries a "
                 "route.", number, width)
    return _save(d)


def where_to_look_first(model: LogicModel) -> Table | None:
    """The ranked weak points of :func:`logicmodel.analysis.priorities.priorities` as a table.

    None when the causal skeleton has a cycle (the ranking counts routes).
    """
    from ..analysis.priorities import priorities
    from ..analysis.skeleton import skeleton

    sk = skeleton(model)
    if sk.cyclic:
        return None
    found = priorities(model, sk=sk)
    labels = {n.id: n.label for n in model.nodes}
    names = {a.id: a.label for a in model.assumptions}
    for lk in model.links:
        name = lk.id or f"{lk.source}->{lk.target}"
        names[name] = (f"{labels.get(lk.source, lk.source)} → "
                       f"{labels.get(lk.target, lk.target)} ({name})")
    rows = [[str(i), p.kind + (" (inferred)" if p.inferred else ""),
             names.get(p.id, labels.get(p.id, p.id)), p.why,
             f"{p.routes} ({p.share:.0%})" if p.share is not None else str(p.routes)]
            for i, p in enumerate(found.items, 1)]
    return Table("Where to look first", ["Rank", "Weak point", "Element", "Why", "Routes"],
                 rows, [0.07, 0.17, 0.36, 0.28, 0.12])


def narrative_docx(model: LogicModel) -> bytes:
    """The narrative alone as a Word document (pathways as Heading 1).

    Raises:
        MissingExtra: LM615 when python-docx is not installed.
    """
    d = _new(model)
    _blocks(d, narrative(model).blocks[1:], 1)
    return _save(d)
