"""Which layout to draw: the one that fits the target best."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .. import RenderOptions
from ..engine import Engine, run_engine
from ..fit import Fitted, Target, choose_scale
from ..svg import measure_svg
from ..themes import Theme
from .compose import (
    _INSET,
    _compose,
    _Figure,
    _room_for_markers,
    _thumb_columns,
    thumb_apart,
)
from .entries import _entries, _prefixes
from .legend import _key_scene, _KeyLayouts
from .marked import marked_figures
from .panels import Panel, panels, variant_marks
from .union import _lay_out_union, _panel_dots, _sizes, _union

if TYPE_CHECKING:
    from ...loader import Document


_TIGHT = 0.75      # the closer spacing tried when no layout fits, as a share of the theme's


def _layouts(options: RenderOptions) -> list[RenderOptions]:
    """The layouts to try: as asked, then (to fit a target) compact and turned."""
    if options.fit is None:
        return [options]
    tried = [options]
    for direction, compact in (("LR", True), ("TB", True), ("TB", None), ("LR", None)):
        if options.direction is not None and direction != options.direction:
            continue
        if options.compact is not None and compact != options.compact:
            continue
        tried.append(dataclasses.replace(options, direction=direction,  # type: ignore[arg-type]
                                         compact=compact))
    return tried


def key_places(options: RenderOptions, target: Target | None) -> list[str]:
    """Where the key may go: as asked (``below``, ``beside``), or with ``figure`` and a
    target either of them, whichever fits better; ``none`` for a key in the caption or none.
    """
    if options.key in ("below", "beside"):
        return [options.key]
    if options.key == "figure":
        return ["below", "beside"] if target is not None else ["below"]
    return ["none"]


def _figures(doc: Document, options: RenderOptions, engine: Engine, theme: Theme,
             places: Sequence[str], spacing: float = 1.0, own: bool = False
             ) -> list[tuple[_Figure, list[Panel]]]:
    """The figure of one layout, once for each place of the key in ``places``."""
    ps = panels(doc, options, spacing=spacing, own=own)
    marks = variant_marks(theme)
    dots = _panel_dots(ps, theme)
    u = _union(ps)
    sizes = _sizes(engine, ps, dots, options)
    columns = _thumb_columns(len(ps) - 1)
    apart = thumb_apart(dots, len(ps) - 1, columns)
    _lay_out_union(engine, u, theme, sizes, options, apart=apart)
    assert u.placed is not None
    prefixes = _prefixes(ps)
    entries = [_entries(p, prefix) for p, prefix in zip(ps[1:], prefixes, strict=True)]
    fontsize = theme.compact_fontsize if u.scene.compact else theme.fontsize
    larger = _room_for_markers(u, entries, columns, fontsize, sizes)
    if larger:  # once: the layout hardly changes width, and the room has a margin
        _lay_out_union(engine, u, theme, {**sizes, **larger}, options, apart=apart)
    assert u.placed is not None
    key_scene = _key_scene(u, ps, marks)
    x0, y0, x1, y1 = u.placed.bbox
    cell_w, base_h = x1 - x0 + 2 * _INSET, y1 - y0 + 2 * _INSET

    keys = _KeyLayouts(key_scene, theme, engine, options.timeout)
    title = f"{ps[0].scene.model.title}: " + ", ".join(p.label for p in ps)
    out: list[tuple[_Figure, list[Panel]]] = []
    for place in places:
        laid = keys.at(place, cell_w, base_h)  # beside: as high as the base
        key_dot, key = laid if laid is not None else (None, None)
        out.append((_compose(ps, dots, u, key, key_dot, columns, theme, title, key_scene,
                             entries, key_beside=place == "beside"), ps))
    return out


def _try(doc: Document, options: RenderOptions, engine: Engine, theme: Theme,
         target: Target | None, spacing: float = 1.0, *, marked: bool = False,
         wider: float = 1.0, own: bool = False
         ) -> list[tuple[_Figure, list[Panel], bytes, Fitted]]:
    """One layout of the figure, drawn with its key in each place :func:`key_places`
    allows, each with its size against ``target``: the panels, or with ``marked`` the
    base with every variant's marks (:mod:`.marked`). ``own``: the boxes of a stage drawn
    as a row keep their own widths (see :mod:`..columns`)."""
    out = []
    places = key_places(options, target)
    drawn = (marked_figures(doc, options, engine, theme, places, spacing, wider) if marked
             else _figures(doc, options, engine, theme, places, spacing, own))
    for fig, ps in drawn:
        svg = run_engine(engine, fig.source, "svg", timeout=options.timeout,
                         layout=("-Kneato", "-n2")).output
        w, h, smallest = measure_svg(svg)
        out.append((fig, ps, svg, choose_scale(w, h, smallest, target, options.min_font)))
    return out


def _better(new: Fitted, old: Fitted, target: Target | None) -> bool:
    """Whether ``new`` is the better figure: it fits, or else it is readable at the width.

    A figure that cannot fit keeps its text at the minimum, so it is drawn
    larger than the target; one as wide as the target (taller than it, to be
    continued on the next page) beats one that a reader must shrink to read.
    """
    if new.fits != old.fits:
        return new.fits
    if new.fits:
        return new.min_font > old.min_font + 1e-6
    if target is not None:
        wide = [f.width <= target.width + 0.5 for f in (new, old)]
        if wide[0] != wide[1]:
            return wide[0]
        if wide[0]:
            return new.height < old.height - 0.5
    return new.target_font > old.target_font + 1e-6
