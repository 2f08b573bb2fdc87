"""mkdocs hook: the gallery page, drawn from models/ when the docs are built.

Each model in ``models/`` is rendered with the embedded engine, as the compact
paper view and as the full model in colour; then the published examples with
rows, sections or a ceiling. The SVG files and the page exist only
in the built site; nothing generated is committed. A model that cannot be drawn
fails the build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from logicmodel.loader import load
from logicmodel.render import RenderOptions, render, render_all
from logicmodel.render.fit import MM
from logicmodel.render.svg import measure_svg, scale_svg

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
    return "\n".join(lines + _before_after(files, config) + _rows(files, config))


def _before_after(files: Files, config: Any) -> list[str]:
    """The flagship on a 174 x 230 mm page: the whole figure shrunk to fit, then fitted."""
    path = ROOT / "models" / "devolved_budgets.yaml"
    model = load(path)
    before = render(model, "svg").data
    width, height, smallest = measure_svg(before)
    scale = min(174 * MM / width, 230 * MM / height)
    shrunk = scale_svg(before, scale)
    options = RenderOptions(view="paper", fit="page", key="caption")
    after, caption = render_all(model, ["svg", "caption"], options)
    if after.fitted is None or not after.fitted.fits:
        raise RuntimeError(f"the flagship no longer fits a page: {after.warnings}")
    files.append(File.generated(config, "gallery/journal.before.svg", content=shrunk))
    files.append(File.generated(config, "gallery/journal.after.svg", content=after.data))
    fitted = after.fitted
    return [
        "## For a journal page: before and after", "",
        "The flagship model on a 174 x 230 mm page of text. Before: the default figure, "
        f"shrunk to the page, has text of {smallest * scale:.1f} pt, below the 6-8 pt "
        "journals accept.", "",
        "[![Before: the whole figure shrunk to a page](gallery/journal.before.svg)]"
        "(gallery/journal.before.svg)", "",
        f"After: `logicmodel render models/{path.name} --view paper --fit page --key caption "
        "-o figure1.pdf -o figure1.txt` draws the compact view at "
        f"{fitted.width_mm:.0f} x {fitted.height_mm:.0f} mm with text of at least "
        f"{fitted.min_font:.1f} pt, and writes the key as the caption's text:", "",
        "[![After: fitted to the page, the key in the caption](gallery/journal.after.svg)]"
        "(gallery/journal.after.svg)", "",
        "> " + caption.data.decode().strip(), "",
    ]


# Published models with rows, sections or a ceiling, drawn as their sources lay them out.
ROWS = (
    ("khan2017_ecd_pakistan", "an arm's row split by actor, as in Box 2 of Khan et al. (2017)"),
    ("tinner2024_realist_cmo", "one band per context-mechanism-outcome configuration"),
    ("muext_bsf_uwex", "UW-Extension's sections over the columns, rows in the outcomes"),
    ("hiltensperger2024_toc_ceiling", "the ceiling of accountability, a dashed line between "
     "the long-term outcome and the impact"),
)


def _rows(files: Files, config: Any) -> list[str]:
    lines = ["## Rows, sections and the ceiling of accountability", "",
             "Published models from `docs/examples/` whose sources have rows (groups drawn "
             "as bands), headings over several columns, or a ceiling of accountability.", ""]
    for stem, caption in ROWS:
        model = load(ROOT / "docs" / "examples" / f"{stem}.yaml")
        uri = f"gallery/{stem}.svg"
        files.append(File.generated(config, uri, content=render(model, "svg").data))
        lines += [f"### {model.title}", "", f"[![{model.title}: {caption}]({uri})]({uri})", "",
                  f"*{caption[:1].upper() + caption[1:]}:* `logicmodel render "
                  f"docs/examples/{stem}.yaml -o {stem}.svg`", ""]
    return lines


def _args(name: str) -> str:
    return "--view paper" if name == "paper" else "--theme color"


def on_files(files: Files, config: Any) -> Files:
    files.append(File.generated(config, "gallery.md", content=_gallery(files, config)))
    return files
