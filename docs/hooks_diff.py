"""mkdocs hook: the diff figures on the "Comparing versions" page, drawn when the docs are built.

The flagship model's protocol version against its final version, both ways, and
fitted to a page's width (``--fit 174mm``), rendered by
:func:`logicmodel.render.diff.render_diff` with the embedded engine.
The SVG files exist only in the built site; nothing generated is committed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from logicmodel.diff import diff_models
from logicmodel.loader import load
from logicmodel.render import RenderOptions
from logicmodel.render.diff import render_diff

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL = "docs/examples/devolved_budgets_protocol.yaml"
FINAL = "models/devolved_budgets.yaml"
# site path -> (old, new, the --fit target or None)
FIGURES = {
    "diff/protocol_to_final.svg": (PROTOCOL, FINAL, None),
    "diff/final_to_protocol.svg": (FINAL, PROTOCOL, None),
    "diff/protocol_to_final_174mm.svg": (PROTOCOL, FINAL, "174mm"),
}


def on_files(files: Files, config: Any) -> Files:
    for uri, (old_path, new_path, fit) in FIGURES.items():
        old, new = load(ROOT / old_path), load(ROOT / new_path)
        svg = render_diff(old, new, "svg", RenderOptions(fit=fit),
                          d=diff_models(old, new, old_path, new_path)).data
        files.append(File.generated(config, uri, content=svg))
    return files
