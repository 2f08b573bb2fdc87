"""Does every named view of every model fit a journal's page, and each pathway view a column?

Run: python benchmarks/fit_table.py  (prints a table; takes a few seconds)
     python benchmarks/fit_table.py --variants  (the figure of the flagship's variants)

Each view of each model in ``models/`` (``full``, ``paper`` and the views it
declares) is drawn with ``--fit 174x230mm`` (the text block of a page) and its
key in the figure; each pathway view (a declared view of some pathways) also
with ``--fit column --min-font 6`` (84 mm wide). The table gives, measured from
the files themselves, the size of the SVG and of the PDF in millimetres, the
smallest text of each at that size in points, where the key is, and the LM619
warning when the figure does not fit. ``tests/test_render_files.py`` asserts
the same figures.

With ``--variants``, the figure of the flagship's three pilots side by side
(``render --variants``) with each target and place of the key the docs show:
which arrangement ``--fit`` chose (the panels, or one drawing of the base with
every pilot's marks), its size and smallest text, read back the same way.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from logicmodel.loader import load
from logicmodel.render import RenderOptions, render_all
from logicmodel.render.fit import MM
from logicmodel.render.svg import measure_svg
from logicmodel.schema import LogicModel

ROOT = Path(__file__).resolve().parent.parent
PAGE, COLUMN = "174x230mm", "column"
_KEY_AT = re.compile(rb'<g id="lm-key" class="lm-key" transform="translate\(([\d.]+) ')


@dataclass(frozen=True)
class Row:
    """One figure at its final size, read back from its SVG and PDF."""

    model: str
    view: str
    fit: str
    min_font: float       # the --min-font asked for
    svg_mm: tuple[float, float]
    svg_font: float       # smallest text in the SVG at its size, pt
    pdf_mm: tuple[float, float]
    pdf_font: float       # smallest text in the PDF, pt
    key: str              # below, beside or none
    fits: bool
    warning: str          # the LM619 warning, if any


def views(model: LogicModel) -> list[str]:
    """The named views of ``model``: the whole model, the paper view, then its own."""
    return ["full", "paper", *(v.id for v in model.views if v.id not in ("full", "paper"))]


def pathway_views(model: LogicModel) -> list[str]:
    """The views of ``model`` that show some of its pathways."""
    return [v.id for v in model.views if v.pathways]


def pdf_smallest_pt(pdf: bytes) -> float:
    """The smallest text a PDF draws, in points on its page."""
    import io

    from pypdf import PdfReader

    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            sizes.append(size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return min(sizes)


def measure(model: LogicModel, name: str, view: str, fit: str, min_font: float) -> Row:
    """``view`` of ``model`` fitted to ``fit``, measured from its SVG and its PDF."""
    import io

    from pypdf import PdfReader

    svg, pdf = render_all(model, ["svg", "pdf"],
                          RenderOptions(view=view, fit=fit, min_font=min_font))
    width, height, _ = measure_svg(svg.data)
    box = re.search(rb'viewBox="[\d.]+ [\d.]+ ([\d.]+) ', svg.data)
    assert box is not None
    smallest = measure_svg(svg.data)[2] * width / float(box.group(1))
    page = PdfReader(io.BytesIO(pdf.data)).pages[0].mediabox
    at = _KEY_AT.search(svg.data)
    key = "none" if at is None else "below" if float(at.group(1)) == 0 else "beside"
    warning = next((w for w in svg.warnings if w.startswith("LM619")), "")
    assert svg.fitted is not None
    return Row(name, view, fit, min_font, (width / MM, height / MM), smallest,
               (float(page.width) / MM, float(page.height) / MM), pdf_smallest_pt(pdf.data),
               key, svg.fitted.fits, warning)


def rows() -> list[Row]:
    """Every figure of the table, in order."""
    out = []
    for path in sorted((ROOT / "models").glob("*.yaml")):
        model = load(path)
        for view in views(model):
            out.append(measure(model, path.name, view, PAGE, 7.0))
        for view in pathway_views(model):
            out.append(measure(model, path.name, view, COLUMN, 6.0))
    return out


def table(found: list[Row]) -> str:
    """The rows as a Markdown table."""
    lines = ["| model | view | --fit | size (mm) | smallest text (pt) | key | fits |",
             "|---|---|---|---|---|---|---|"]
    for r in found:
        fit = f"{r.fit}, ≥ {r.min_font:g} pt"
        lines.append(f"| {r.model.removesuffix('.yaml')} | {r.view} | {fit} | "
                     f"{r.svg_mm[0]:.0f} x {r.svg_mm[1]:.0f} | {min(r.svg_font, r.pdf_font):.1f} "
                     f"| {r.key} | {'yes' if r.fits else 'no: ' + r.warning} |")
    return "\n".join(lines)


@dataclass(frozen=True)
class VariantsRow:
    """The figure of the variants with one target and key, read back from its SVG and PDF."""

    options: str
    arrangement: str      # panels, or one drawing
    svg_mm: tuple[float, float]
    font: float           # smallest text of the SVG and the PDF at their size, pt
    pdf_mm: tuple[float, float]
    fits: bool


VARIANTS_CASES: list[tuple[str, dict[str, str]]] = [
    ("--fit page", {"fit": PAGE}),
    ("--fit page --key caption", {"fit": PAGE, "key": "caption"}),
    ("--fit page --key below", {"fit": PAGE, "key": "below"}),
    ("--fit page --key beside", {"fit": PAGE, "key": "beside"}),
    ("--fit 174mm", {"fit": "174mm"}),
    ("--view delivery --fit page --key caption",
     {"view": "delivery", "fit": PAGE, "key": "caption"}),
    ("--fit column --key caption", {"fit": COLUMN, "key": "caption"}),
]


def variants_rows() -> list[VariantsRow]:
    """The flagship's pilots side by side, for each of :data:`VARIANTS_CASES`."""
    import io

    from pypdf import PdfReader

    from logicmodel.pipeline import open_model
    from logicmodel.render.multiples import render_multiples

    doc = open_model(str(ROOT / "models" / "devolved_budgets.yaml")).document
    assert doc is not None
    out = []
    for name, kwargs in VARIANTS_CASES:
        svg, pdf = render_multiples(doc, ["svg", "pdf"], RenderOptions(**kwargs))  # type: ignore[arg-type]
        width, height, _ = measure_svg(svg.data)
        box = re.search(rb'viewBox="[\d.]+ [\d.]+ ([\d.]+) ', svg.data)
        assert box is not None
        smallest = measure_svg(svg.data)[2] * width / float(box.group(1))
        page = PdfReader(io.BytesIO(pdf.data)).pages[0].mediabox
        assert svg.fitted is not None
        one = b'id="all.' in svg.data
        out.append(VariantsRow(name, "one drawing" if one else "panels",
                               (width / MM, height / MM), min(smallest, pdf_smallest_pt(pdf.data)),
                               (float(page.width) / MM, float(page.height) / MM),
                               svg.fitted.fits))
    return out


def variants_table(found: list[VariantsRow]) -> str:
    """The variants' rows as a Markdown table."""
    lines = ["| render --variants | arrangement | size (mm) | smallest text (pt) | fits |",
             "|---|---|---|---|---|"]
    lines += [f"| `{r.options}` | {r.arrangement} | {r.svg_mm[0]:.0f} x {r.svg_mm[1]:.0f} | "
              f"{r.font:.2f} | {'yes' if r.fits else 'no'} |" for r in found]
    return "\n".join(lines)


def main() -> int:
    if "--variants" in sys.argv[1:]:
        variants = variants_rows()
        print(variants_table(variants))
        return 0 if all(abs(r.svg_mm[0] - r.pdf_mm[0]) <= 0.5 for r in variants) else 1
    found = rows()
    print(table(found))
    for r in found:  # the SVG and the PDF agree
        if abs(r.svg_mm[0] - r.pdf_mm[0]) > 0.5 or abs(r.svg_font - r.pdf_font) > 0.05:
            print(f"SVG and PDF differ: {r}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
