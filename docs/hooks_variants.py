"""mkdocs hook: the flagship's pilots side by side on the "Variants" page, drawn at build time.

Rendered by :func:`logicmodel.render.multiples.render_multiples` with the embedded
engine, as `logicmodel render models/devolved_budgets.yaml --variants --fit 180mm`
draws the panels (``gallery/pilots.svg``), as ``--fit page --key caption`` draws
the whole theory on one page (``gallery/pilots-page.svg``: the base with every
pilot's marks), and as the page's version of the panels with ``--view delivery
--key caption`` (``gallery/pilots-delivery.svg``). The SVGs exist only in the
built site; nothing generated is committed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from logicmodel.pipeline import open_model
from logicmodel.render import RenderOptions
from logicmodel.render.multiples import render_multiples

ROOT = Path(__file__).resolve().parent.parent
FIGURES = {
    "gallery/pilots.svg": RenderOptions(fit="180mm"),
    "gallery/pilots-page.svg": RenderOptions(fit="page", key="caption"),
    "gallery/pilots-delivery.svg": RenderOptions(fit="page", view="delivery", key="caption"),
}


def on_files(files: Files, config: Any) -> Files:
    opened = open_model(str(ROOT / "models" / "devolved_budgets.yaml"))
    if opened.document is None or opened.model is None:
        raise RuntimeError("the flagship model has errors")
    for name, options in FIGURES.items():
        svg = render_multiples(opened.document, ["svg"], options)[0].data
        files.append(File.generated(config, name, content=svg))
    return files
