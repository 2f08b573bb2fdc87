"""Diagrams for papers: a model -> SVG, PNG, PDF, DOT, Mermaid or an HTML viewer.

The pipeline is: choose what to show (:mod:`.views`), write DOT text with our
own ids and escaped labels in a theme (:mod:`.dot`, :mod:`.themes`), lay it out
with a bounded Graphviz process (:mod:`.engine`), finish and check the result
(:mod:`.svg`), and write files atomically (:mod:`.output`). Mermaid text is
written directly (:mod:`.mermaid`); the interactive HTML page is the SVG inside
the viewer of :mod:`logicmodel.html`.

Example::

    import logicmodel
    from logicmodel.render import RenderOptions, render

    model = logicmodel.load("models/devolved_budgets.yaml")
    svg = render(model, "svg", RenderOptions(theme="paper")).data
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..diagnostics import Severity
from ..errors import CodedError
from ..export.narrative import pathway_outline
from ..gcpause import paused_gc
from ..rules.registry import rule
from ..schema import LogicModel
from .dot import to_dot
from .engine import DEFAULT_TIMEOUT, Engine, EngineError, find_engine, run_engine
from .mermaid import MERMAID_MAX_EDGES, MERMAID_MAX_TEXT, to_mermaid
from .output import OutputError, write_atomic
from .svg import UnsafeSVG, check_svg, finish_svg
from .themes import THEMES, ThemeError, get_theme
from .views import Scene, ViewError, make_scene, resolve_view

__all__ = [
    "FORMATS",
    "THEMES",
    "EngineError",
    "OutputError",
    "RenderError",
    "RenderOptions",
    "Rendered",
    "ThemeError",
    "ViewError",
    "format_of",
    "render",
    "render_scene",
    "render_to_files",
    "scene_for",
]

# suffix -> format
FORMATS: dict[str, str] = {
    ".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot", ".mmd": "mermaid",
    ".html": "html", ".htm": "html",
}


class RenderError(CodedError):
    """A coded rendering failure that is not the engine's or the file system's."""


@dataclass(frozen=True)
class RenderOptions:
    """Everything that decides a figure, besides the model."""

    theme: str = "paper"
    view: str | None = None
    pathways: Sequence[str] = ()
    others: Literal["fade", "hide"] | None = None
    direction: Literal["LR", "TB"] | None = None
    compact: bool | None = None
    engine: str = "embedded"
    dpi: float = 300.0
    timeout: float = DEFAULT_TIMEOUT
    attrs: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Rendered:
    """One rendered figure: its bytes, and which engine made it (None for DOT/Mermaid)."""

    fmt: str
    data: bytes
    engine: Engine | None = None
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()


def format_of(path: str | Path) -> str:
    """The output format for a file name, from its suffix (LM609 if unknown)."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise RenderError("LM609", f"cannot tell the format of {path} from its suffix",
                          "use .svg, .png, .pdf, .dot, .mmd or .html")
    return FORMATS[suffix]


def scene_for(model: LogicModel, options: RenderOptions) -> Scene:
    """What the figure shows, from the model and the options."""
    return make_scene(model, resolve_view(model, options.view),
                      pathways=list(options.pathways) or None, others=options.others,
                      direction=options.direction, compact=options.compact)


def _description(scene: Scene) -> str:
    stages = ", ".join(scene.headings()[s].lower() for s in scene.stages)
    text = (f"Logic model with {len(scene.nodes)} elements in {len(scene.stages)} stages "
            f"({stages}) and {len(scene.links)} links.")
    # The outline of the narrative (`export --to narrative`): each pathway drawn, its
    # mechanism and where it leads, for readers who cannot see the figure.
    told = pathway_outline(scene.model, scene.pathways)
    return text + (" " + told if told else "")


def _deterministic_pdf(pdf: bytes) -> bytes:
    """Blank cairo's creation date and producer version, keeping byte offsets intact."""
    def blank(m: re.Match[bytes]) -> bytes:
        return m.group(1) + b"(" + b" " * (len(m.group(2)) - 2) + b")"
    pdf = re.sub(rb"(/CreationDate\s*)(\([^)]*\))", blank, pdf)
    return re.sub(rb"(/Producer\s*)(\((?:[^()]|\([^()]*\))*\))", blank, pdf)


def render(model: LogicModel, fmt: str, options: RenderOptions | None = None) -> Rendered:
    """Render ``model`` as ``fmt`` (svg, png, pdf, dot, mermaid or html)."""
    with paused_gc():
        return _render(model, fmt, options)


def render_scene(scene: Scene, fmt: str, options: RenderOptions | None = None, *,
                 description: str | None = None) -> Rendered:
    """Render a scene built by the caller (e.g. one with highlights) as ``fmt``.

    The view options in ``options`` are not used: the scene already says what to
    draw. ``description`` replaces the SVG's generated ``<desc>``.
    """
    with paused_gc():
        return _render_scene(scene, fmt, options or RenderOptions(), description)


def _render(model: LogicModel, fmt: str, options: RenderOptions | None) -> Rendered:
    options = options or RenderOptions()
    return _render_scene(scene_for(model, options), fmt, options, None)


def _render_scene(scene: Scene, fmt: str, options: RenderOptions,
                  description: str | None) -> Rendered:
    if fmt == "html":
        from ..html import html_page  # the viewer: the SVG of this scene, inside a page

        svg = _render_scene(scene, "svg", options, description)
        page = html_page(scene, svg.data).encode("utf-8")
        return Rendered(fmt, page, svg.engine, svg.seconds, svg.warnings)
    theme = get_theme(options.theme).with_overrides(options.attrs)
    if fmt == "mermaid":
        text = to_mermaid(scene, theme)
        warnings: tuple[str, ...] = ()
        if len(scene.links) > MERMAID_MAX_EDGES or len(text) > MERMAID_MAX_TEXT:
            warnings = (f"LM606 the Mermaid export has {len(scene.links)} links and "
                        f"{len(text)} characters; Mermaid draws at most {MERMAID_MAX_EDGES} "
                        f"and {MERMAID_MAX_TEXT} by default",)
        return Rendered(fmt, text.encode("utf-8"), warnings=warnings)
    source = to_dot(scene, theme)
    if fmt == "dot":
        return Rendered(fmt, source.encode("utf-8"))
    engine = find_engine(options.engine)
    if not engine.supports(fmt):
        # The embedded engine has no PDF: Graphviz's own dot (cairo) writes it.
        try:
            engine = find_engine("dot")
        except EngineError as exc:
            raise EngineError("LM601", f"{fmt.upper()} output needs Graphviz's `dot`, "
                              "which is not installed", exc.hint) from None
    result = run_engine(engine, source, fmt, dpi=options.dpi if fmt == "png" else None,
                        timeout=options.timeout)
    data = result.output
    if fmt == "svg":
        data = finish_svg(data, scene.title, description or _description(scene))
        try:
            check_svg(data)
        except UnsafeSVG as exc:
            raise RenderError("LM607", str(exc), "please report it with the model") from None
    elif fmt == "pdf":
        data = _deterministic_pdf(data)
    warnings = tuple(line for line in result.warnings.splitlines() if line.strip())
    return Rendered(fmt, data, engine, result.seconds, warnings)


def render_to_files(model: LogicModel, paths: Sequence[str | Path],
                    options: RenderOptions | None = None) -> list[Rendered]:
    """Render ``model`` to each path (format from the suffix); write only if all succeed."""
    formats = [format_of(p) for p in paths]
    results = [render(model, fmt, options) for fmt in formats]
    for path, result in zip(paths, results, strict=True):
        write_atomic(path, result.data)
    return results


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

E = Severity.ERROR


@rule("LM606", "mermaid-limits", Severity.WARNING)
def mermaid_limits() -> None:
    """The Mermaid export is larger than Mermaid draws by default.

    ## What it does
    Warns when the flowchart has more than 500 links or 50,000 characters, the
    default `maxEdges` and `maxTextSize` of Mermaid (GitHub uses the defaults).

    ## Why is this bad?
    GitHub and most sites show an error box instead of the diagram.

    ## Example
    Export a view (`--view`, `--pathway`) instead of the whole model.
    """

@rule("LM607", "unsafe-svg", E)
def unsafe_svg() -> None:
    """The SVG made by the engine failed the safety check.

    ## What it does
    Every SVG is parsed before it is written: it must be well-formed XML with no
    `<script>`, `<foreignObject>`, `<image>`, event attributes (`onload=`) or
    `javascript:`/`data:` links.

    ## Why is this bad?
    SVG files end up in web pages and documentation sites; active content in
    them can run in a reader's browser. logicmodel never puts user text where it
    could become active content, so this code means a bug: please report it.

    ## Example
    Nothing is written when this happens.
    """


@rule("LM609", "unsupported-format", E)
def unsupported_format() -> None:
    """An output file name has no suffix logicmodel can write, or promises another format.

    ## What it does
    For `render`, the format comes from the suffix: `.svg`, `.png`, `.pdf`, `.dot`
    (or `.gv`), `.mmd` (Mermaid) and `.html` (the interactive viewer). For
    `export`, the suffix must fit `--to`: `.md` or `.tex` for a table, `.md`,
    `.txt` or `.docx` for the narrative, `.docx` for the Word report, `.xlsx` for
    the workbook, a folder for `--to csv`. Anything else is refused before any
    work, as is a Word or Excel export without `-o`. Exit status 2.

    ## Why is this bad?
    The file would be written in a format its name does not promise: Word would
    refuse a "table.docx" that holds Markdown.

    ## Example
    `-o figure.jpg` fails with LM609; use `-o figure.png`.
    `export --to logframe -o table.docx` fails; use `--to docx -o report.docx`.
    """
