"""Diagrams for papers: a model -> SVG, PNG, PDF, EPS, TIFF, DOT, Mermaid or an HTML viewer.

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

import dataclasses
import functools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..diagnostics import Severity
from ..errors import CodedError, UsageError
from ..export.narrative import pathway_outline
from ..gcpause import paused_gc
from ..rules.registry import rule
from ..schema import LogicModel
from .bands import plan_bands
from .caption import key_caption
from .compose import (
    compose_outputs,
    compose_png,
    compose_svg,
    figure_size,
    key_share,
    split_outputs,
)
from .dot import (
    banded_links,
    dot_parts,
    element_titles,
    join_dot,
    movable_markers,
    tail_marked,
    to_dot,
)
from .engine import (
    DEFAULT_TIMEOUT,
    Engine,
    EngineError,
    EngineResult,
    Running,
    find_engine,
    run_engine,
    start_engine,
)
from .eps import svg_to_eps
from .fit import (
    MAX_STEPS,
    FitError,
    Fitted,
    Target,
    choose_scale,
    fit_warning,
    key_warning,
    parse_target,
    refinements,
    signature,
    tall_warning,
)
from .fonts import FontCoverageError, check_coverage
from .headings import ceiling_at, ceiling_line, draw_lines, section_lines, spanning
from .key import Key, key_beside, key_margin, key_stands
from .markers import marker_places, move_markers
from .mermaid import MERMAID_MAX_EDGES, MERMAID_MAX_TEXT, to_mermaid
from .output import OutputError, write_atomic
from .pdf import svg_to_pdf
from .raster import finish_png, to_tiff
from .svg import (
    UnsafeSVG,
    check_svg,
    finish_svg,
    measure_svg,
    retitle_svg,
    scale_svg,
    title_table,
    turn_back,
)
from .themes import THEMES, Theme, ThemeError, get_theme
from .views import Scene, ViewError, make_scene, resolve_view

__all__ = [
    "FORMATS",
    "THEMES",
    "EngineError",
    "FitError",
    "Fitted",
    "FontCoverageError",
    "OutputError",
    "RenderError",
    "RenderOptions",
    "Rendered",
    "SceneBuilder",
    "ThemeError",
    "ViewError",
    "candidates",
    "format_of",
    "keyed_as_asked",
    "rebuilt",
    "render",
    "render_all",
    "render_built",
    "render_scene",
    "render_to_files",
    "scene_for",
]

# suffix -> format
FORMATS: dict[str, str] = {
    ".svg": "svg", ".png": "png", ".pdf": "pdf", ".eps": "eps", ".tif": "tiff", ".tiff": "tiff",
    ".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".html": "html", ".htm": "html",
    ".txt": "caption",
}
# Default resolution at final size: PNG for screens and most journals; TIFF for line art.
DEFAULT_DPI = {"png": 300.0, "tiff": 600.0}
_LAID_OUT = frozenset({"svg", "png", "pdf", "eps", "tiff", "html"})
# drawn with the bundled fonts (not the reader's): their scripts are checked (LM618)
_BITMAPS_AND_PDF = frozenset({"png", "pdf", "eps", "tiff"})


class RenderError(CodedError):
    """A coded rendering failure that is not the engine's or the file system's."""


@dataclass(frozen=True)
class RenderOptions:
    """Everything that decides a figure, besides the model.

    ``fit`` is a target size (``174x230mm``, ``84mm``, ``column``, ``full``,
    ``page``; see :mod:`.fit`) and ``min_font`` the smallest text allowed at the
    final size, in points. ``dpi`` is the PNG or TIFF resolution at final size
    (300 for PNG and 600 for TIFF when not given). ``key`` puts the key in the
    figure (``figure``: under it, or beside it when that is what fits the
    ``fit`` target; ``below``, ``beside``: there), leaves it out for the caption
    (``.txt`` output gives its text) or leaves it out. ``bands`` are the group
    types drawn as rows (``["none"]``: no bands; None: the view's, else every
    type of the model's groups).
    """

    theme: str = "paper"
    view: str | None = None
    pathways: Sequence[str] = ()
    others: Literal["fade", "hide"] | None = None
    direction: Literal["LR", "TB"] | None = None
    compact: bool | None = None
    engine: str = "embedded"
    dpi: float | None = None
    timeout: float = DEFAULT_TIMEOUT
    attrs: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    fit: str | None = None
    min_font: float = 7.0
    key: Literal["figure", "below", "beside", "caption", "none"] = "figure"
    bands: Sequence[str] | None = None
    max_pixels: int = 150_000_000  # the default of the `max-pixels` setting (LM622)
    # HTML only: the variants the viewer offers (logicmodel.html.ViewerVariant), the one
    # shown first first; each is laid out on its own. Empty: the model alone.
    variants: Sequence[Any] = ()
    # HTML only: the full version (a LogicModel) a short version summarises, whose boxes
    # the viewer's panel names for each short box; None: the mapping's ids alone. And the
    # label of the full version's variant it is, if it is one.
    full: Any = None
    full_variant: str | None = None

    def __post_init__(self) -> None:
        # numbers that mean something (LM624): a bitmap of a pixel at least, text of some
        # size, a time limit the engine's clock can hold
        checks = (
            ("--dpi", self.dpi, self.dpi is None or (math.isfinite(self.dpi) and self.dpi >= 1),
             "the resolution must be at least 1 dpi", "e.g. --dpi 300 (PNG) or --dpi 600 (TIFF)"),
            ("--min-font", self.min_font, math.isfinite(self.min_font) and self.min_font > 0,
             "the smallest text size must be above 0 pt",
             "e.g. --min-font 7 (points at the final size)"),
            ("--timeout", self.timeout, 0 < self.timeout <= _LONGEST,
             f"the time limit must be above 0 and at most a day ({_LONGEST:g} s)",
             "e.g. --timeout 120 (seconds)"))
        for flag, value, good, what, hint in checks:
            if not good:
                raise UsageError("LM624", f"{what}, not {value:g} ({flag})", hint)


_LONGEST = 86400.0  # seconds: the longest time limit


@dataclass(frozen=True)
class Rendered:
    """One rendered figure: its bytes, and which engine made it (None for DOT/Mermaid).

    ``fitted`` gives the final size and smallest text of a laid-out figure.
    """

    fmt: str
    data: bytes
    engine: Engine | None = None
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()
    fitted: Fitted | None = None


def format_of(path: str | Path) -> str:
    """The output format for a file name, from its suffix (LM609 if unknown)."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise RenderError("LM609", f"cannot tell the format of {path} from its suffix",
                          "use .svg, .png, .pdf, .eps, .tif, .dot, .mmd, .html or .txt")
    return FORMATS[suffix]


def scene_for(model: LogicModel, options: RenderOptions, *,
              direction: Literal["LR", "TB"] | None = None,
              compact: bool | None = None) -> Scene:
    """What the figure shows, from the model and the options."""
    scene = make_scene(model, resolve_view(model, options.view),
                       pathways=list(options.pathways) or None, others=options.others,
                       direction=direction or options.direction,
                       compact=options.compact if compact is None else compact,
                       bands=options.bands)
    return keyed_as_asked(scene, options)


def keyed_as_asked(scene: Scene, options: RenderOptions) -> Scene:
    """``scene`` without its key when ``options.key`` leaves it out (caption, none)."""
    if options.key in ("caption", "none") and scene.legend:
        scene = dataclasses.replace(scene, legend=False)
    return scene


# builds the scene of a figure laid out in a direction and compactness (None: as asked)
SceneBuilder = Callable[[Literal["LR", "TB"] | None, bool | None], Scene]


def _candidates(model: LogicModel, options: RenderOptions) -> list[Scene]:
    """The layouts of ``model``'s figure to try (see :func:`candidates`)."""
    return candidates(
        lambda direction, compact: scene_for(model, options, direction=direction,
                                             compact=compact), options)


def candidates(build: SceneBuilder, options: RenderOptions) -> list[Scene]:
    """The layouts to try: as asked, then (to fit a target) compact and turned.

    ``build(direction, compact)`` makes the scene of each (``None``: as asked). A
    direction or compactness the caller chose is kept.
    """
    first = build(None, None)
    if options.fit is None:
        return [first]
    other: Literal["LR", "TB"] = "TB" if first.direction == "LR" else "LR"
    seen = {(first.direction, first.compact)}
    scenes = [first]
    for direction, compact in ((first.direction, True), (other, True), (other, first.compact)):
        if options.direction is not None and direction != first.direction:
            continue
        if options.compact is not None and compact != first.compact:
            continue
        if (direction, compact) in seen:
            continue
        seen.add((direction, compact))
        scenes.append(build(direction, compact))
    return scenes


def _description(scene: Scene) -> str:
    stages = ", ".join(scene.headings()[s].lower() for s in scene.stages)
    text = (f"Logic model with {len(scene.nodes)} elements in {len(scene.stages)} stages "
            f"({stages}) and {len(scene.links)} links.")
    # The outline of the narrative (`export --to narrative`): each pathway drawn, its
    # mechanism and where it leads, for readers who cannot see the figure.
    told = pathway_outline(scene.model, scene.pathways)
    return text + (" " + told if told else "")


def _texts(scene: Scene) -> list[str]:
    """Every piece of user text a figure of ``scene`` draws."""
    texts = [scene.title, *scene.headings().values()]
    texts += [n.label for n in scene.nodes]
    texts += [p.label for p in scene.pathways]
    texts += [a.label for a in scene.used_assumptions()]
    texts += [m.label for m in scene.used_moderators()]
    return texts


def _deterministic_pdf(pdf: bytes) -> bytes:
    """Blank cairo's creation date and producer version, keeping byte offsets intact."""
    def blank(m: re.Match[bytes]) -> bytes:
        return m.group(1) + b"(" + b" " * (len(m.group(2)) - 2) + b")"
    pdf = re.sub(rb"(/CreationDate\s*)(\([^)]*\))", blank, pdf)
    return re.sub(rb"(/Producer\s*)(\((?:[^()]|\([^()]*\))*\))", blank, pdf)


def render(model: LogicModel, fmt: str, options: RenderOptions | None = None) -> Rendered:
    """Render ``model`` as ``fmt`` (svg, png, pdf, eps, tiff, dot, mermaid or html)."""
    return render_all(model, [fmt], options)[0]


def render_all(model: LogicModel, formats: Sequence[str],
               options: RenderOptions | None = None) -> list[Rendered]:
    """Render ``model`` in each of ``formats`` from one layout (one result per format)."""
    options = options or RenderOptions()
    with paused_gc():
        return _render_formats(_candidates(model, options), formats, options, None)


def render_scene(scene: Scene, fmt: str, options: RenderOptions | None = None, *,
                 description: str | None = None) -> Rendered:
    """Render a scene built by the caller (e.g. one with highlights) as ``fmt``.

    The view options in ``options`` are not used: the scene already says what to
    draw. ``description`` replaces the SVG's generated ``<desc>``.
    """
    with paused_gc():
        return _render_formats([scene], [fmt], options or RenderOptions(), description)[0]


def rebuilt(first: Scene, make: Callable[[RenderOptions], Scene],
            asked: RenderOptions) -> SceneBuilder:
    """The builder (see :func:`render_built`) of a figure whose scene as asked is ``first``
    and that ``make`` builds anew for the options of another direction or compactness."""
    def build(direction: Literal["LR", "TB"] | None, compact: bool | None) -> Scene:
        if direction is None and compact is None:
            return first
        return make(dataclasses.replace(asked, direction=direction or asked.direction,
                                        compact=asked.compact if compact is None else compact))

    return build


def render_built(build: SceneBuilder, formats: Sequence[str],
                 options: RenderOptions | None = None, *,
                 description: str | None = None) -> list[Rendered]:
    """Render the scenes ``build`` makes (e.g. ones with highlights) in each of ``formats``,
    from one layout, fitted to ``options.fit`` as :func:`render` fits a model's figure.

    ``build(direction, compact)`` makes the scene laid out in that direction and
    compactness (``None``: as ``options`` asks); with a target, the layouts
    :func:`render` would try are tried, and the one that fits with the largest
    text is drawn. ``options.key`` leaves the key out (caption, none) or places
    it. ``description`` replaces the SVG's generated ``<desc>``.
    """
    options = options or RenderOptions()
    scenes = candidates(lambda direction, compact: keyed_as_asked(
        build(direction, compact), options), options)
    with paused_gc():
        return _render_formats(scenes, formats, options, description)


@dataclass
class _Layout:
    """One scene laid out: its DOT, the engine's SVG, and its fit to the target.

    Also what finishing its SVG takes from the scene (the elements' titles and the
    description), worked out while the engine lays it out (:meth:`prepare`). What
    is placed from the layout (the ceiling's line, the links' markers) is drawn
    into the SVG and kept in ``scene``; :meth:`drawn_source` is the DOT that has
    the engine draw it too (for the DOT file and the bitmaps).
    """

    scene: Scene
    source: str
    svg: EngineResult | None = None
    fitted: Fitted | None = None
    titled: dict[str, str] | None = None
    table: dict[bytes, bytes] | None = None
    movable: dict[tuple[str, str], str] | None = None
    described: str | None = None
    placed: bool = False  # whether ``scene`` has something placed from the layout
    drawn: str | None = None
    figure_width: float = 0.0  # points: the figure's, without its key
    key: tuple[Key, EngineResult] | None = None  # the key drawn with it, as the engine drew it

    def titles(self) -> dict[str, str]:
        if self.titled is None:
            self.titled = element_titles(self.scene)
        return self.titled

    def title_table(self) -> dict[bytes, bytes]:
        """:func:`.svg.title_table` of :meth:`titles`."""
        if self.table is None:
            self.table = title_table(self.titles())
        return self.table

    def movable_markers(self) -> dict[tuple[str, str], str]:
        """:func:`.dot.movable_markers` of the scene."""
        if self.movable is None:
            self.movable = movable_markers(self.scene)
        return self.movable

    def description(self) -> str:
        if self.described is None:
            self.described = _description(self.scene)
        return self.described

    def prepare(self) -> None:
        """Work out what finishing needs from the scene alone (run during the layout)."""
        self.title_table()
        self.description()
        self.movable_markers()

    def drawn_source(self, theme: Theme) -> str:
        """The DOT of the figure as drawn: the one laid out, with what was placed from it."""
        if not self.placed:
            return self.source
        if self.drawn is None:
            self.drawn = to_dot(self.scene, theme)
        return self.drawn


def _lay_out(scenes: list[Scene], theme: Theme, engine: Engine | None, options: RenderOptions,
             need_svg: bool) -> tuple[_Layout, Target | None]:
    """The layout to draw: the only one, or the one that fits the target with the largest text.

    With a target, each of ``scenes`` is laid out, then the best is adjusted a
    step at a time while it does not fit (see :func:`.fit.refinements`).
    """
    target = parse_target(options.fit) if options.fit is not None else None
    best: _Layout | None = None
    laid: list[_Layout] = []  # each layout measured against the target
    tried: set[tuple[object, ...]] = set()
    # the figure's DOT -> its layouts (with their keys'): two scenes may write the same DOT
    done: dict[str, list[_Layout]] = {}

    def run(scene: Scene) -> _Layout:
        if (scene.ceiling_line is not None or scene.section_lines or scene.marker_places
                or scene.shared_ends or scene.key_width is not None):
            # found for the scene it was copied from
            scene = dataclasses.replace(scene, ceiling_line=None, section_lines=(),
                                        marker_places=(), shared_ends=(), key_width=None)
        figure, key = dot_parts(scene, theme)
        if figure in done:  # laid out before, as wide as then: its key is known
            drawn = _key_for(key, key(None), done[figure][0].figure_width)
            for earlier in done[figure]:
                if earlier.source == join_dot(figure, drawn.text):
                    return earlier
            key = _given(drawn)
        layout = _Layout(scene, "")
        assert engine is not None
        layout.svg, drawn, layout.key = _run_figure(engine, figure, key, options.timeout,
                                                    layout.prepare)
        layout.source = join_dot(figure, drawn.text)
        layout.figure_width = figure_size(layout.svg.output)[0]
        if drawn.width is not None:  # the key's width kept, to draw it again as laid out
            scene = layout.scene = dataclasses.replace(scene, key_width=drawn.width)
        done.setdefault(figure, []).append(layout)
        line = ceiling_line(scene, layout.svg.output)
        sections = section_lines(scene, layout.svg.output)
        if line is not None or sections:  # drawn into this layout, under everything
            layout.scene = dataclasses.replace(scene, ceiling_line=line, section_lines=sections)
            layout.placed = True
            layout.svg = dataclasses.replace(layout.svg, output=draw_lines(
                layout.scene, layout.svg.output, line, sections))
        return layout

    def with_markers(layout: _Layout) -> _Layout:
        """The layout chosen, with the links' markers moved beside their lines (see .markers).

        A shared link's lines each keep their arrowhead, however near they end (as the
        key draws them), so the figure is not laid out again to join them."""
        if layout.svg is None or engine is None:
            return layout
        scene = layout.scene
        ids = {f"n{i}": n.id for i, n in enumerate(scene.nodes)}
        placed = marker_places(layout.svg.output, ids, layout.movable_markers(),
                               scene.ceiling_line, banded=banded_links(scene),
                               midway=tail_marked(scene))
        if not placed.places:
            return layout
        return dataclasses.replace(
            layout, scene=dataclasses.replace(scene, marker_places=placed.places),
            svg=dataclasses.replace(layout.svg,
                                    output=move_markers(layout.svg.output, placed)),
            placed=True, drawn=None)

    def lay_out(scene: Scene) -> _Layout:
        nonlocal best
        tried.add(signature(scene))
        if engine is None or not (need_svg or target is not None):
            return _Layout(scene, to_dot(scene, theme))
        layout = run(scene)
        assert layout.svg is not None
        high = figure_size(layout.svg.output)[1]
        if scene.key_beside is not None and abs(high - scene.key_beside) > 0.05 * high:
            # the key is as high as the figure was before its labels or spacing changed
            layout = run(dataclasses.replace(scene, key_beside=high))
        if layout.fitted is not None:
            return layout
        assert layout.svg is not None
        width, height, smallest = measure_svg(layout.svg.output)
        layout.fitted = choose_scale(width, height, smallest, target, options.min_font)
        laid.append(layout)
        if best is None or _better(layout.fitted, best.fitted):
            best = layout
        return layout

    for scene in scenes:
        if options.key == "beside" and scene.legend and scene.key_beside is None:
            # the key beside is as high as the figure: lay the figure out first
            kept = best
            below = lay_out(scene)
            if below.svg is None:
                return below, target
            best = kept
            if laid and laid[-1] is below:
                laid.pop()
            scene = dataclasses.replace(scene, key_beside=figure_size(below.svg.output)[1])
        layout = lay_out(scene)
        if layout.svg is None:
            return layout, target
        if target is None:
            break
    assert best is not None
    for _ in range(MAX_STEPS if target is not None else 0):
        assert target is not None
        # the best layout's next step; once a best that fits has none (drawn at its own
        # size, say), the next best's that fits too and whose text at its own size is
        # larger than the best's: its steps may yet come to larger text
        steps: list[Scene] = []
        assert best.fitted is not None
        for layout in sorted((la for la in laid if la is best
                              or _may_beat(la, best.fitted)), key=_by_fit):
            assert layout.fitted is not None
            assert layout.svg is not None
            steps = [s for s in refinements(layout.scene, layout.fitted, target,
                                            figure_size(layout.svg.output),
                                            _wrap_of(layout.scene, theme), options.key)
                     if signature(s) not in tried]
            if steps:
                break
        if not steps:
            break
        lay_out(steps[0])
    return with_markers(best), target


def _wrap_of(scene: Scene, theme: Theme) -> int:
    """How many characters wide the labels of ``scene`` are drawn."""
    return scene.wrap or (theme.compact_wrap if scene.compact else theme.wrap)


def _run_svg(engine: Engine, source: str, timeout: float,
             meanwhile: Callable[[], object] | None = None) -> EngineResult:
    """The engine's SVG of ``source``: the figure, with its key (if any) under or beside it.

    ``meanwhile`` runs while the engine lays it out.
    """
    result = run_engine(engine, source, "svg", timeout=timeout, meanwhile=meanwhile)
    return dataclasses.replace(result, output=compose_outputs(
        result.output, key_beside(source), key_margin(source)))


def _given(drawn: Key) -> Callable[[float | None], Key]:
    return lambda _width: drawn


def _key_for(key: Callable[[float | None], Key], laid: Key, width: float) -> Key:
    """The key of a figure laid out ``width`` points wide: ``laid``, written for the width
    estimated before, if it stands for that (see :func:`.key.key_stands`), else the key
    ``key`` writes for that width."""
    if not laid.estimated:
        return laid
    real = key(width)
    return laid if key_stands(laid, real) else real


def _run_figure(engine: Engine, figure: str, key: Callable[[float | None], Key],
                timeout: float, meanwhile: Callable[[], object] | None = None
                ) -> tuple[EngineResult, Key, tuple[Key, EngineResult] | None]:
    """The engine's SVG of the figure ``figure``, with its key (if any) under or beside it,
    the key, and the key with the engine's drawing of it (None if there is no key).

    The key's DOT is written for the figure's width as estimated, and laid out by a
    second engine beside the first, while the figure is laid out (then ``meanwhile``
    runs): a key is a graph of its own. Once the figure's width is known, the key is
    written and laid out again if that width gives it other rows (see :func:`_key_for`).
    """
    keyed: Running | None = None
    laid = Key("")

    def during() -> None:
        nonlocal keyed, laid
        laid = key(None)
        if laid.text:
            keyed = start_engine(engine, laid.text, "svg", timeout=timeout)
        if meanwhile is not None:
            meanwhile()

    try:
        result = run_engine(engine, figure, "svg", timeout=timeout, meanwhile=during)
        result = dataclasses.replace(result, output=turn_back(result.output))
        if keyed is None:
            return result, laid, None
        else:
            drawn = _key_for(key, laid, figure_size(result.output)[0])
            if drawn is not laid:
                keyed.stop()
                keyed = start_engine(engine, drawn.text, "svg", timeout=timeout)
            keyed_result = keyed.result()
    except BaseException:
        if keyed is not None:
            keyed.stop()
        raise
    joined = join_dot(figure, drawn.text)
    output = compose_svg(result.output, keyed_result.output, key_beside(joined),
                         key_margin(joined))
    warnings = "\n".join(w for w in (result.warnings, keyed_result.warnings) if w)
    return (dataclasses.replace(result, output=output, warnings=warnings), drawn,
            (drawn, keyed_result))


def _run_png(engine: Engine, source: str, dpi: float, timeout: float) -> EngineResult:
    """The engine's PNG of ``source`` at ``dpi``, its key (if any) pasted under or beside it."""
    result = run_engine(engine, source, "png", dpi=dpi, timeout=timeout)
    parts = split_outputs(result.output, "png")
    if len(parts) == 2:
        result = dataclasses.replace(result, output=compose_png(
            parts[0], parts[1], dpi, key_beside(source), key_margin(source)))
    return result


def _better(new: Fitted, old: Fitted | None) -> bool:
    if old is None:
        return True
    if new.fits != old.fits:
        return new.fits
    # fitting: the largest text; not fitting: the one that comes closest
    if new.fits:
        return new.min_font > old.min_font + 1e-6
    return new.target_font > old.target_font + 1e-6


def _may_beat(layout: _Layout, best: Fitted) -> bool:
    """Whether steps from ``layout`` may fit with larger text than ``best``, which fits
    (no step draws a figure larger than its own size)."""
    fitted = layout.fitted
    return (best.fits and fitted is not None and fitted.fits
            and fitted.min_font / fitted.scale > best.min_font + 1e-6)


def _compare_fits(a: _Layout, b: _Layout) -> int:
    assert a.fitted is not None
    assert b.fitted is not None
    return -1 if _better(a.fitted, b.fitted) else 1 if _better(b.fitted, a.fitted) else 0


_by_fit = functools.cmp_to_key(_compare_fits)  # the best fit first (equals in the order tried)


def _fit_warning(fitted: Fitted, target: Target, min_font: float, keyed: bool) -> str:
    return fit_warning(fitted, target, min_font, keyed)


def _variants_page(layout: _Layout, with_ids: bytes, theme: Theme, engine: Engine,
                   options: RenderOptions) -> tuple[bytes, tuple[str, ...]]:
    """The viewer of every variant in ``options.variants``, each in its own layout.

    A variant without the view or pathway asked for has no figure: the page's menu
    names it as not available and why, and the warning (LM623) says so too.
    """
    from ..html import variants_page

    figures = []
    missing: list[tuple[str, str]] = []
    warnings: list[str] = []
    for v in options.variants:
        if v.model is layout.scene.model:
            figures.append((v, layout.scene, with_ids))
            continue
        try:
            scenes = _candidates(v.model, options)
        except ViewError as exc:
            why = str(exc).replace("the model has", "it has")
            missing.append((v.label, why))
            warnings.append(f"LM623 variant `{v.id}` is left out of the viewer: {why}")
            continue
        own, _ = _lay_out(scenes, theme, engine, options, True)
        assert own.svg is not None
        figures.append((v, own.scene, finish_svg(own.svg.output, own.scene.title,
                                                 own.description())))
    return variants_page(figures, missing=missing).encode("utf-8"), tuple(warnings)


def _render_formats(scenes: list[Scene], formats: Sequence[str], options: RenderOptions,
                    description: str | None) -> list[Rendered]:
    theme = get_theme(options.theme).with_overrides(options.attrs)
    laid_out = [f for f in formats if f in _LAID_OUT]
    # DOT alone is laid out too when the layout decides what it says: a key beside the
    # figure is as high as the figure, a fitted figure's labels and spacing are chosen,
    # and the ceiling of accountability's line, and a section's over several stages, run
    # where the boxes leave room for them
    placed = "dot" in formats and (options.key == "beside" or options.fit is not None
                                   or ceiling_at(scenes[0]) is not None
                                   or bool(spanning(scenes[0])))
    engine = find_engine(options.engine) if laid_out or placed else None
    if engine is not None and engine.name == "embedded" and _BITMAPS_AND_PDF & set(laid_out):
        check_coverage(_texts(scenes[0]), next(f for f in laid_out if f != "svg"))
    # PNG and TIFF need the figure's size first, to refuse a bitmap too large (LM622)
    # a key is a graph of its own: a PDF with one is drawn from the SVG they make together
    keyed = scenes[0].legend  # a figure's key always has its kinds of box
    need_svg = engine is not None and (placed or any(
        f in ("svg", "html", "png", "tiff", "eps")
        or (f == "pdf" and (keyed or not engine.supports("pdf"))) for f in laid_out))
    layout, target = _lay_out(scenes, theme, engine, options, need_svg)
    fitted = layout.fitted
    scale = fitted.scale if fitted is not None else 1.0
    fit_warnings: tuple[str, ...] = plan_bands(layout.scene).warnings
    if fitted is not None and target is not None:
        if not fitted.fits:
            fit_warnings += (_fit_warning(fitted, target, options.min_font, layout.scene.legend),)
        shown = key_share(layout.svg.output) if layout.svg is not None else None
        fit_warnings += tuple(w for w in (tall_warning(fitted, target), key_warning(shown))
                              if w)
    finished: bytes | None = None  # the SVG as written: each element titled with its text
    with_ids = b""  # the same before that, for the viewer
    bitmaps: dict[float, EngineResult] = {}  # the engine's bitmaps, by resolution
    out: list[Rendered] = []
    for fmt in formats:
        if fmt == "mermaid":
            out.append(_mermaid(layout.scene, theme))
            continue
        if fmt == "dot":
            out.append(Rendered(fmt, layout.drawn_source(theme).encode("utf-8"),
                                warnings=plan_bands(layout.scene).warnings))
            continue
        if fmt == "caption":
            out.append(Rendered(fmt, key_caption(layout.scene, theme).encode("utf-8")))
            continue
        assert engine is not None
        if fmt in ("svg", "pdf", "eps", "html") and layout.svg is not None:
            if finished is None:
                # the viewer finds boxes and links by their DOT ids, then titles them itself
                with_ids = finish_svg(layout.svg.output, layout.scene.title,
                                      description or layout.description())
                finished = retitle_svg(with_ids, layout.titles(), layout.title_table())
                try:
                    check_svg(finished)
                except UnsafeSVG as exc:
                    raise RenderError("LM607", str(exc),
                                      "please report it with the model") from None
            if fmt == "svg":
                data = scale_svg(finished, scale)
            elif fmt == "html":  # the viewer: the SVG of this scene, inside a page
                from ..html import html_page

                if options.variants:
                    data, left_out = _variants_page(layout, with_ids, theme, engine, options)
                    out.append(_result(fmt, data, engine, layout.svg, fitted,
                                       fit_warnings + left_out))
                    continue
                data = html_page(layout.scene, with_ids, full=options.full,
                                 full_variant=options.full_variant).encode("utf-8")
            elif fmt == "eps":
                data = svg_to_eps(finished, title=layout.scene.title, scale=scale)
            else:
                data = svg_to_pdf(finished, title=layout.scene.title, scale=scale)
            out.append(_result(fmt, data, engine, layout.svg, fitted, fit_warnings))
            continue
        if fmt == "pdf":  # --engine dot: Graphviz's own PDF (cairo)
            result = run_engine(engine, layout.drawn_source(theme), "pdf",
                                timeout=options.timeout)
            out.append(_result(fmt, _deterministic_pdf(result.output), engine, result,
                               fitted, fit_warnings))
            continue
        dpi = options.dpi or DEFAULT_DPI[fmt]
        if fitted is not None:
            _check_pixels(fmt, fitted, dpi, options.max_pixels)
        if dpi * scale not in bitmaps:  # a PNG and a TIFF at one resolution: one drawing
            bitmaps[dpi * scale] = _run_png(engine, layout.drawn_source(theme), dpi * scale,
                                            options.timeout)
        result = bitmaps[dpi * scale]
        data = finish_png(result.output, dpi) if fmt == "png" else to_tiff(result.output, dpi)
        out.append(_result(fmt, data, engine, result, fitted, fit_warnings))
    return out


def _check_pixels(fmt: str, fitted: Fitted, dpi: float, budget: int) -> None:
    """Refuse a bitmap over the pixel budget before the engine draws it (LM622)."""
    wide, high = round(fitted.width / 72 * dpi), round(fitted.height / 72 * dpi)
    if wide * high > budget:
        raise RenderError(
            "LM622", f"the {fmt.upper()} would be {wide:,} x {high:,} pixels "
            f"({wide * high / 1e6:.0f} megapixels) at {dpi:g} dpi, over the limit of "
            f"{budget / 1e6:g} megapixels",
            "write SVG or PDF instead (they have no pixels), lower --dpi, draw a view or "
            "--fit the figure to its page, or raise `max-pixels` in the configuration")


def _result(fmt: str, data: bytes, engine: Engine, result: EngineResult, fitted: Fitted | None,
            fit_warnings: tuple[str, ...]) -> Rendered:
    warnings = tuple(line for line in result.warnings.splitlines() if line.strip())
    return Rendered(fmt, data, engine, result.seconds, fit_warnings + warnings, fitted)


def _mermaid(scene: Scene, theme: Theme) -> Rendered:
    text = to_mermaid(scene, theme)
    warnings: tuple[str, ...] = ()
    if len(scene.links) > MERMAID_MAX_EDGES or len(text) > MERMAID_MAX_TEXT:
        warnings = (f"LM606 the Mermaid export has {len(scene.links)} links and "
                    f"{len(text)} characters; Mermaid draws at most {MERMAID_MAX_EDGES} "
                    f"and {MERMAID_MAX_TEXT} by default",)
    return Rendered("mermaid", text.encode("utf-8"), warnings=warnings)


def render_to_files(model: LogicModel, paths: Sequence[str | Path],
                    options: RenderOptions | None = None) -> list[Rendered]:
    """Render ``model`` to each path (format from the suffix); write only if all succeed."""
    formats = [format_of(p) for p in paths]
    results = render_all(model, formats, options)
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


@rule("LM624", "invalid-render-number", E)
def invalid_render_number() -> None:
    """`--dpi`, `--min-font` or `--timeout` is a number that means nothing.

    ## What it does
    The resolution must be at least 1 dot per inch, the smallest text size above
    0 points at the final size, and the layout's time limit above 0 and at most a
    day (86400 seconds). Anything else (0, a negative number, `inf`, `nan`) is
    refused before any work, and nothing is written. Exit status 2.

    ## Why is this bad?
    None of them means anything at 0 or below: a bitmap of no pixels, text of no
    size, a layout stopped before it starts. It is a typing slip, and guessing
    what was meant would make a figure nobody asked for.

    ## Example
    ```text
    logicmodel: LM624 the resolution must be at least 1 dpi, not -5 (--dpi)
        hint: e.g. --dpi 300 (PNG) or --dpi 600 (TIFF)
    ```
    """


@rule("LM622", "bitmap-too-large", E)
def bitmap_too_large() -> None:
    """A PNG or TIFF would have more pixels than the `max-pixels` setting allows.

    ## What it does
    Before a bitmap is drawn, its size in pixels is worked out from the figure's
    layout and the `--dpi` asked for. Over `max-pixels` (150 megapixels by default,
    about seven 174 x 230 mm pages at 600 dpi) nothing is drawn or written and the
    command exits 3.

    ## Why is this bad?
    Drawing a bitmap costs time and memory in proportion to its pixels: a large,
    dense model at a high resolution can take many seconds and gigabytes, which is
    rarely what anyone wants and is a way for an untrusted model to exhaust a
    machine.

    ## Example
    `render big.yaml -o big.png --dpi 1200` fails with LM622; SVG or PDF (which
    have no pixels), a lower `--dpi`, `--fit page` or a view draw it. Raise
    `max-pixels` in `[tool.logicmodel]` when the bitmap really must be that large.
    """


@rule("LM623", "variant-not-in-viewer", Severity.WARNING)
def variant_not_in_viewer() -> None:
    """A variant has no figure in the viewer, because it lacks the view or pathway asked for.

    ## What it does
    An HTML viewer of a model with variants holds a figure of the base and of every
    variant. When the figure asked for is a view or a pathway (`--view`, `--pathway`)
    that a variant removes, that variant cannot be drawn in it: the page is written
    without its figure, its entry in the page's Variant menu says it is not in this
    figure and why, and this warning names it. The command exits 0.

    ## Why is this bad?
    A reader choosing variants in the page would otherwise never learn that one of
    the model's variants is missing from it.

    ## Example
    A variant that removes the pathway `worker_family_relationship`, in a viewer
    rendered with `--pathway worker_family_relationship`, is left out with
    `LM623 variant `resources_only` is left out of the viewer: it has no pathway
    `worker_family_relationship` (it has: dedicated_resources)`. Render the whole
    model, or that variant with `--variant`, to see it.
    """


@rule("LM609", "unsupported-format", E)
def unsupported_format() -> None:
    """An output file name has no suffix logicmodel can write, or promises another format.

    ## What it does
    For `render`, the format comes from the suffix: `.svg`, `.png`, `.pdf`, `.eps`, `.dot`
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
