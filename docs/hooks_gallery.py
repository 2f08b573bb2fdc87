"""mkdocs hook: the gallery page, drawn from models/ when the docs are built.

Each model in ``models/`` is rendered with the embedded engine, as the compact
paper view and as the full model in colour. The SVG files and the page exist only
in the built site; nothing generated is committed. A model that cannot be drawn
fails the build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from logicmodel.loader import load
from logicmodel.render import RenderOptions, render

ROOT = Path(__file__).resolve().parent.parent
FIGURES = (
    ("paper", RenderOptions(view="paper"), "compact paper view, `paper` theme"),
    ("color", RenderOptions(theme="color"), "whole model, `color` theme"),
)


def _gallery(files: Files, config: Any) -> str:
    lines = [
        "# Gallery",
        "",
        "Every model in the project's `models/` folder, drawn by `logicmodel render` when",
        "these pages were built. Click a figure for the full-size SVG.",
        "",
    ]
    for path in sorted((ROOT / "models").glob("*.yaml")):
        model = load(path)
        lines += [f"## {model.title}", "", f"`models/{path.name}`", ""]
        for name, options, caption in FIGURES:
            svg = render(model, "svg", options).data
            uri = f"gallery/{path.stem}.{name}.svg"
            files.append(File.generated(config, uri, content=svg))
            lines += [f"[![{model.title}: {caption}]({uri})]({uri})", "",
                      f"*{caption.capitalize()}:* "
                      f"`logicmodel render models/{path.name} {_args(name)} "
                      f"-o {path.stem}.svg`", ""]
    return "\n".join(lines)


def _args(name: str) -> str:
    return "--view paper" if name == "paper" else "--theme color"


def on_files(files: Files, config: Any) -> Files:
    files.append(File.generated(config, "gallery.md", content=_gallery(files, config)))
    return files
