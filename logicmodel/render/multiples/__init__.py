"""Small multiples: the base in full and every variant in a smaller panel under it.

Readers compare variants by looking from one panel to the next, so every
element the panels share sits in the same place in each of them. The figure is
made in four steps:

1. **Panels** (:func:`panels`): each variant is drawn as ``render`` draws it
   (with ``--view``, ``--pathway`` and ``--theme``), with what it adds, changes
   and removes compared with the base marked in print, never by colour alone:
   *added* boxes and lines are heavier and tagged ``+``; *changed* ones heavier
   and tagged with a delta; *removed* ones are ghosted, dotted and grey, tagged
   with a minus sign, where the base has them (the signs: :mod:`logicmodel.signs`).
2. **One layout** (:mod:`.union`): the union of every panel (the base's
   elements, then each variant's additions after the element they follow in the
   variant's file) is laid out once by the engine, each box as large as its
   largest version in any panel.
3. **Pinned panels**: each panel's boxes and lines are drawn at the union's
   positions, sizes and routes (Graphviz's ``neato -n2``, which draws given
   positions as they are); an element a panel does not have is left out, so its
   place stays empty. The base is drawn in full, with the stage headings (once,
   for every stage any panel has); each variant's panel is the same drawing at
   a smaller scale, three to a row, its boxes unlabelled outlines except what
   the variant marks, which carries its sign and a number (``+D4``) in type as
   large as the base's and is listed, with its own label, under the panel.
4. **A page**: the layout (as asked, compact, turned) that gives the largest
   text in ``--fit``, or, when none fits, the one readable at the target's
   width and least tall (the best and the narrowest are tried again with the
   boxes closer together); one key under the panels or beside them.

When the panels cannot meet a ``--fit`` target, one drawing of the base with
every variant's codes on it, and each variant's list under it, is tried too
(:mod:`.marked`), and kept if it fits better.

The modules, one step each: :mod:`.panels` (the panels and their marks),
:mod:`.placed` (reading DOT and the engine's layout back), :mod:`.union` (the
one layout), :mod:`.entries` (what a panel marks and lists), :mod:`.tags`
(where a line's code goes), :mod:`.legend` (the key and its layouts),
:mod:`.drawing` (drawing at fixed places: a whole drawing, frames, texts, the
key), :mod:`.compose` (the page of panels), :mod:`.marked` (the page of one
drawing) and :mod:`.arrange` (the figures of one layout); this module chooses
among them and draws the files.

Example::

    from logicmodel.pipeline import open_model
    from logicmodel.render import RenderOptions
    from logicmodel.render.multiples import render_multiples

    doc = open_model("models/devolved_budgets.yaml").document
    svg = render_multiples(doc, ["svg"], RenderOptions(fit="page"))[0].data
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ...diagnostics import Severity
from ...gcpause import paused_gc
from ...rules.registry import rule
from ...signs import ADDED, CHANGED, REMOVED
from .. import (
    DEFAULT_DPI,
    Rendered,
    RenderError,
    RenderOptions,
    _check_pixels,
    _fit_warning,
    format_of,
    scene_for,
)
from ..caption import key_caption
from ..engine import find_engine, run_engine
from ..eps import svg_to_eps
from ..fit import Fitted, parse_target, tall_warning
from ..fonts import check_coverage
from ..output import check_destination, write_atomic
from ..pdf import svg_to_pdf
from ..raster import finish_png, to_tiff
from ..svg import UnsafeSVG, check_svg, finish_svg, scale_svg
from ..themes import Theme, get_theme
from .arrange import _TIGHT, _better, _layouts, _try
from .compose import _Figure
from .panels import Panel, VariantsFigureError, panels, variant_marks

if TYPE_CHECKING:
    from ...loader import Document

__all__ = ["MULTIPLES_FORMATS", "Panel", "VariantsFigureError", "multiples_format_of",
           "panels", "render_multiples", "render_multiples_to_files", "variant_marks"]

# What a figure of pinned panels can be: every laid-out format, its DOT and its key as text.
MULTIPLES_FORMATS = ("svg", "png", "pdf", "eps", "tiff", "dot", "caption")
_WIDER = (1.0, 1.2, 1.35, 1.5)  # the labels' widths tried for one drawing of every variant


def _description(ps: list[Panel], arrangement: str = "panels") -> str:
    parts = [p.title() for p in ps]
    if arrangement == "marked":
        return (f"The logic model with its variants marked on one drawing: {', '.join(parts)}. "
                "Each box and line a variant adds, changes or removes carries that "
                f"variant's code ({ADDED} added, {CHANGED} changed, {REMOVED} removed, then "
                "its initial and a number), listed under the drawing; what only a variant "
                "has is drawn heavier.")
    return (f"Small multiples of the logic model, one panel each for {', '.join(parts)}. "
            "The base is drawn in full, each variant smaller in the same layout: elements "
            "shared by the panels are in the same place in each; a variant's additions are "
            f"marked {ADDED}, its changes {CHANGED} and its removals {REMOVED}, each with a "
            "number listed under its panel.")


def render_multiples(doc: Document, formats: Sequence[str],
                     options: RenderOptions | None = None) -> list[Rendered]:
    """The figure of every variant side by side, in each of ``formats`` from one layout."""
    options = options or RenderOptions()
    if options.bands is not None and tuple(options.bands) != ("none",):
        raise VariantsFigureError(
            "LM640", "the figure of the variants does not draw bands yet",
            "leave out --bands: the panels share one layout, and a variant that changes a "
            "box's groups would need it in another band (--variant NAME --bands TYPE draws "
            "one variant with its bands)")
    for fmt in formats:
        if fmt not in MULTIPLES_FORMATS:
            raise RenderError("LM609", f"the figure of the variants cannot be drawn as {fmt}",
                              _FORMATS_HINT)
    with paused_gc():
        return _render(doc, formats, options)


_FORMATS_HINT = "the figure of the variants can be .svg, .png, .pdf, .eps, .tif, .dot or .txt"


def _render(doc: Document, formats: Sequence[str], options: RenderOptions) -> list[Rendered]:
    theme = get_theme(options.theme).with_overrides(options.attrs)
    engine = find_engine(options.engine)
    target = parse_target(options.fit) if options.fit is not None else None
    best: tuple[_Figure, list[Panel], bytes, Fitted] | None = None
    best_options = narrowest = options
    narrowest_width = math.inf
    base = doc.base.model if doc.overlay is not None and doc.base is not None else doc.model
    seen: set[tuple[object, ...]] = set()
    for opts in _layouts(options):
        if base is not None:  # each layout once: "as asked" may be one of the others
            drawn = scene_for(base, opts)
            if (drawn.direction, drawn.compact) in seen:
                continue
            seen.add((drawn.direction, drawn.compact))
        for tried in _try(doc, opts, engine, theme, target):
            if best is None or _better(tried[3], best[3], target):
                best, best_options = tried, opts
            if tried[3].width < narrowest_width:
                narrowest, narrowest_width = opts, tried[3].width
        if target is None:
            break
    assert best is not None
    if target is not None and not best[3].fits:
        # with the boxes and stages closer, as a single figure tries it: the best layout,
        # and the narrowest, which may then be readable at the target's width; with stages
        # as rows, also with each box of a row at its own width (narrower rows)
        for opts in [best_options] + ([narrowest] if narrowest is not best_options else []):
            rows = base is not None and scene_for(base, opts).direction == "TB"
            for spacing, own in ((_TIGHT, False), *(((1.0, True), (_TIGHT, True)) if rows
                                                    else ())):
                for tried in _try(doc, opts, engine, theme, target, spacing, own=own):
                    if _better(tried[3], best[3], target):
                        best = tried
    if target is not None and not best[3].fits and base is not None:
        # the panels cannot fit: every variant's marks on one drawing of the base, if that
        # fits better; stages as rows (a page is taller than wide), the boxes closer
        # together and the labels wider, to trade the drawing's height for its width
        tall = [opts for opts in _layouts(options) if scene_for(base, opts).direction == "TB"]
        seen.clear()
        for opts, spacing, wider in itertools.product(tall, (1.0, _TIGHT), _WIDER):
            drawn = scene_for(base, opts)
            if (drawn.compact, spacing, wider) in seen:
                continue
            seen.add((drawn.compact, spacing, wider))
            for tried in _try(doc, opts, engine, theme, target, spacing, marked=True,
                              wider=wider):
                if _better(tried[3], best[3], target):
                    best = tried
    fig, ps, raw, fitted = best
    if engine.name == "embedded" and {"png", "pdf", "eps", "tiff"} & set(formats):
        texts = [p.title() for p in ps] + [n.label for p in ps for n in p.scene.nodes]
        check_coverage(texts, next(f for f in formats if f in ("png", "pdf", "eps", "tiff")))
    warnings: tuple[str, ...] = ()
    if target is not None and not fitted.fits:
        warning = _fit_warning(fitted, target, options.min_font,
                               options.key in ("figure", "below", "beside"))
        if fitted.width <= target.width + 0.5:  # readable at the width: say what takes the room
            base_mm = fig.base_height * fitted.height / fig.height * 25.4 / 72
            what = ("the base with every variant's marks" if fig.arrangement == "marked"
                    else "the base in full")
            warning += (f"; {what} takes {base_mm:.0f} mm of its height (a --view or "
                        "a --pathway draws fewer boxes)")
        warnings = (warning,)
    if target is not None:
        warnings += tuple(w for w in (tall_warning(fitted, target),) if w)
    finished = finish_svg(raw, fig.key_scene.model.title + ": variants",
                          _description(ps, fig.arrangement), fig.titles)
    try:
        check_svg(finished)
    except UnsafeSVG as exc:
        raise RenderError("LM607", str(exc), "please report it with the model") from None
    out: list[Rendered] = []
    for fmt in formats:
        if fmt == "dot":
            out.append(Rendered(fmt, fig.source.encode("utf-8")))
        elif fmt == "caption":
            out.append(Rendered(fmt, _caption(fig, ps, theme).encode("utf-8")))
        elif fmt == "svg":
            out.append(Rendered(fmt, scale_svg(finished, fitted.scale), engine,
                                fitted=fitted, warnings=warnings))
        elif fmt in ("pdf", "eps"):
            to_vector = svg_to_pdf if fmt == "pdf" else svg_to_eps
            out.append(Rendered(fmt, to_vector(finished, title=fig.key_scene.model.title,
                                               scale=fitted.scale), engine,
                                fitted=fitted, warnings=warnings))
        else:
            dpi = options.dpi or DEFAULT_DPI[fmt]
            _check_pixels(fmt, fitted, dpi, options.max_pixels)
            result = run_engine(engine, fig.source, "png", dpi=dpi * fitted.scale,
                                timeout=options.timeout, layout=("-Kneato", "-n2"))
            data = finish_png(result.output, dpi) if fmt == "png" else to_tiff(result.output,
                                                                                 dpi)
            out.append(Rendered(fmt, data, engine, result.seconds, warnings, fitted))
    return out


def _caption(fig: _Figure, ps: list[Panel], theme: Theme) -> str:
    """The key as caption text: the panels, each variant's marked changes, the marks."""
    text = key_caption(fig.key_scene, theme).rstrip("\n")
    panels_text = "; ".join(p.title() for p in ps)
    changes = " ".join(
        f"{p.label}: " + "; ".join(f"{e.marker if e.code else e.sign} {e.text}" for e in es)
        + "." for p, es in zip(ps[1:], fig.entries, strict=True) if es).replace("\xa0", " ")
    listed = f". Changes: {changes}" if changes else "."
    if fig.arrangement == "marked":
        lead = (f"Variants: {panels_text}. The base is drawn once, with each variant's changes "
                "marked in its boxes and beside its lines, by the variant's initial and a "
                "number, and listed under it; what only a variant has is drawn heavier"
                + listed + " Key. ")
        return text.replace("Key. ", lead, 1) + "\n"
    lead = (f"Panels: {panels_text}. The base is drawn in full; each variant's panel is the "
            "same layout, smaller, with its changes marked where they are and listed under it"
            + listed + " Key. ")
    text = text.replace("Key. ", lead, 1)
    # the panels draw an added or changed line heavier, its sign beside it (the key's
    # words say so); a removed one dotted and grey, with no sign (the list has it)
    for sign, drawn in ((ADDED, "heavier lines"), (CHANGED, "heavier lines"),
                        (REMOVED, "dotted grey lines")):
        text = text.replace(f"lines marked {sign}, ", f"{drawn}, ")
    return text + "\n"


def multiples_format_of(path: str | Path) -> str:
    """The format of the figure of the variants from its file's suffix (LM609 otherwise)."""
    try:
        fmt = format_of(path)
    except RenderError as exc:
        raise RenderError(exc.code, str(exc), _FORMATS_HINT) from None
    if fmt not in MULTIPLES_FORMATS:
        raise RenderError("LM609", f"the figure of the variants cannot be drawn as "
                          f"{'Mermaid' if fmt == 'mermaid' else fmt.upper()} ({path})",
                          _FORMATS_HINT)
    return fmt


def render_multiples_to_files(doc: Document, paths: Sequence[str | Path],
                              options: RenderOptions | None = None) -> list[Rendered]:
    """Render the figure of the variants to each path; write only if all succeed."""
    formats = [multiples_format_of(p) for p in paths]
    for p in paths:
        check_destination(p)
    results = render_multiples(doc, formats, options)
    for path, result in zip(paths, results, strict=True):
        write_atomic(path, result.data)
    return results


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

@rule("LM640", "variants-figure", Severity.ERROR)
def variants_figure() -> None:
    """The figure of the variants side by side cannot be drawn as asked.

    ## What it does
    `render --variants` draws the base and every variant of a model in panels
    side by side. It is refused, before any work and with exit status 2, when
    the model has no variants, or when `--variants` is combined with
    `--variant NAME`, which names one variant, or with `--bands`: the panels
    share one layout, so that a box is in the same place in each, and a variant
    that changes a box's groups would need it in another band.

    ## Why is this bad?
    The figure would not show what its panels' titles say.

    ## Example
    ```text
    logicmodel: LM640 --variants draws every variant; leave out --variant darlington
    ```
    """
