"""What does the figure of the variants side by side cost? The flagship's three pilots.

Run: python benchmarks/multiples_bench.py  (prints one table; takes about a minute)

For the flagship (the base and three pilots), in-process on an already loaded model:

* ``one figure``: `render` of the base alone as SVG, the floor;
* ``--variants``: the four panels as SVG (the panels' scenes, one engine run to size the
  boxes, one to lay out their union, one for the key, one to draw the pinned panels);
* ``--variants --fit page``: the same, trying the layouts `--fit` tries (as asked,
  compact, turned), each a full set of engine runs;
* ``--variants --fit page`` with SVG, PDF and a 300 dpi PNG from one layout.

Times are medians of several runs, in milliseconds.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import median_seconds

from logicmodel.pipeline import open_model
from logicmodel.render import RenderOptions, render
from logicmodel.render.multiples import render_multiples

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "models" / "devolved_budgets.yaml"


def main() -> None:
    opened = open_model(str(FLAGSHIP))
    assert opened.model is not None
    assert opened.document is not None
    model, doc = opened.model, opened.document
    cases = [
        ("one figure (base, SVG)", lambda: render(model, "svg")),
        ("--variants (SVG)", lambda: render_multiples(doc, ["svg"])),
        ("--variants --fit page (SVG)",
         lambda: render_multiples(doc, ["svg"], RenderOptions(fit="page"))),
        ("--variants --fit page (+PDF, PNG)", lambda: render_multiples(doc, ["svg", "pdf", "png"],
                                                                RenderOptions(fit="page"))),
    ]
    print(f"{'flagship, base and 3 pilots':<32} {'ms':>8}")
    for name, fn in cases:
        fn()  # warm: imports, the engine found
        print(f"{name:<32} {median_seconds(fn, 5) * 1000:>8.0f}")


if __name__ == "__main__":
    main()
