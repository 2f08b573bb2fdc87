"""Fitting a figure to a journal's page at a readable size.

A target is a width and optionally a height (``174x230mm``, ``84mm``,
``6.5in``, ``500x700pt``) or a name: ``column`` (a single column, 84 mm wide, at
most a page of text high), ``full`` (the full text width, 174 mm, at most half a
page high, so that text or a caption fits under it) and ``page`` (174 x 230 mm).
Journals' own figures run 84-90 mm for a column, 174-190 mm for the full width
and 230-240 mm for a page; the names use the smaller figures, which fit them all.

The figure is scaled to fit, never enlarged; its smallest text at that scale
must stay at or above the minimum (7 pt by default). Layouts are tried in turn
(as asked, then compact, then with the stages the other way) and the one with
the largest text wins. Then the best one is adjusted a step at a time
(:func:`refinements`), each step kept only if its text is larger at the target
(or, not fitting, it comes closer): a figure too high for its target gets its
key beside it, wider labels (six characters wider, then three), tighter spacing
or a wider key under it; one too wide gets narrower labels, tighter spacing, its
key back under it and, with its stages drawn as rows, boxes of their own widths.
Tighter spacing (boxes closer by 15%, only along the side that is too long:
between the rows of a figure too high, or across one too wide), the narrowest
labels and boxes of a row at different widths (a row's boxes share one width, see
:mod:`.columns`) crowd or untidy a figure, and are tried only to make it fit.
Text is never made smaller than the minimum. If nothing fits, the figure is drawn at the
size that keeps the minimum and LM619 says what size that is.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass

from ..diagnostics import Severity
from ..errors import CodedError
from ..rules.registry import rule
from .views import Scene

__all__ = ["MAX_STEPS", "MM", "NAMED_TARGETS", "FitError", "Fitted", "Target", "choose_scale",
           "fit_warning", "key_warning", "parse_target", "refinements", "signature",
           "tall_warning", "too_high"]

MM = 72 / 25.4  # points per millimetre
_UNITS = {"mm": MM, "cm": 10 * MM, "in": 72.0, "pt": 1.0}
NAMED_TARGETS: dict[str, tuple[float, float]] = {  # mm
    "column": (84.0, 230.0),
    "full": (174.0, 115.0),
    "page": (174.0, 230.0),
}
_TARGET = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(?:x\s*([0-9]+(?:\.[0-9]+)?))?\s*"
                     r"(mm|cm|in|pt)\s*$", re.I)


class FitError(CodedError):
    """A target that cannot be read (LM620)."""


@dataclass(frozen=True)
class Target:
    """Where the figure must fit, in points (no height: any height)."""

    text: str
    width: float
    height: float | None

    def describe(self) -> str:
        """``174 x 230 mm`` or ``84 mm wide``."""
        if self.height is None:
            return f"{self.width / MM:.0f} mm wide"
        return f"{self.width / MM:.0f} x {self.height / MM:.0f} mm"


def parse_target(text: str) -> Target:
    """The target ``text`` names (LM620 if it names none)."""
    name = text.strip().lower()
    if name in NAMED_TARGETS:
        w, h = NAMED_TARGETS[name]
        return Target(name, w * MM, h * MM)
    m = _TARGET.match(text)
    if m is None:
        raise FitError("LM620", f"cannot read the figure size {text!r}",
                       "give WIDTHxHEIGHT or WIDTH with a unit (mm, cm, in, pt), "
                       "e.g. 174x230mm or 84mm, or one of " + ", ".join(NAMED_TARGETS))
    unit = _UNITS[m.group(3).lower()]
    width = float(m.group(1)) * unit
    height = float(m.group(2)) * unit if m.group(2) else None
    if width < 10 or (height is not None and height < 10):
        raise FitError("LM620", f"the figure size {text!r} is too small to draw in",
                       "give at least 10 pt (3.5 mm) each way")
    return Target(text, width, height)


@dataclass(frozen=True)
class Fitted:
    """A figure's final size and smallest text, and whether it met its target."""

    width: float        # points, at final size
    height: float
    min_font: float     # points, at final size
    scale: float
    fits: bool          # inside the target with text at or above the minimum
    target_font: float  # points: the smallest text if it were scaled into the target

    @property
    def width_mm(self) -> float:
        """Final width in millimetres."""
        return self.width / MM

    @property
    def height_mm(self) -> float:
        """Final height in millimetres."""
        return self.height / MM


def choose_scale(width: float, height: float, smallest: float, target: Target | None,
                 min_font: float) -> Fitted:
    """The scale for a ``width`` x ``height`` pt figure whose smallest text is ``smallest``."""
    if target is None:
        return Fitted(width, height, smallest, 1.0, smallest >= min_font, smallest)
    scale = min(1.0, target.width / width)
    if target.height is not None:
        scale = min(scale, target.height / height)
    at_target = smallest * scale
    fits = at_target >= min_font - 1e-6
    if not fits:
        scale = min_font / smallest  # keep the text readable; the figure is larger
    return Fitted(width * scale, height * scale, smallest * scale, scale, fits, at_target)


def _up(mm: float) -> int:
    """Millimetres rounded up: a size a figure needs is never understated."""
    return math.ceil(mm - 0.05)


def fit_warning(fitted: Fitted, target: Target, min_font: float, keyed: bool) -> str:
    """LM619's text for a figure that does not fit: the size it needs and the way out.

    The size is rounded up, how much too wide or too high it is says which side
    keeps it out, and the text size the target would force is the ``--min-font``
    that would fit it (rounded down).
    """
    over = []
    if fitted.width_mm > target.width / MM + 0.05:
        over.append(f"{_up(fitted.width_mm - target.width / MM)} mm too wide")
    if target.height is not None and fitted.height_mm > target.height / MM + 0.05:
        over.append(f"{_up(fitted.height_mm - target.height / MM)} mm too high")
    smaller = math.floor(fitted.target_font * 10 + 1e-6) / 10
    hint = "; --key caption moves the key to the caption" if keyed else ""
    return (f"LM619 the figure does not fit {target.describe()} with text of at least "
            f"{min_font:g} pt: it needs {_up(fitted.width_mm)} x {_up(fitted.height_mm)} mm"
            f"{' (' + ' and '.join(over) + ')' if over else ''} and is drawn at that size; "
            f"at {target.describe()} its smallest text would be {smaller:.1f} pt "
            f"(--min-font {smaller:g} fits it){hint}")


MAX_STEPS = 6          # layouts tried after the first ones, at most
_WIDEST_KEY = 1.3      # the widest key under the figure, as a share of its width
_NARROWEST_WRAP = 10   # characters: the narrowest labels tried to make a figure fit
_NARROW_WRAP = 14      # and to make the text of one that fits larger
_TIGHT = 0.85          # the tighter spacing tried, as a share of the theme's


def _closer(scene: Scene, high: bool) -> Scene:
    """``scene`` with its boxes closer together along the side that keeps it from its target.

    Too high: the gaps down the figure (between stages drawn as rows, or between
    the boxes of a stage drawn as a column); too wide: those across it. The other
    gaps keep the theme's spacing, so that links keep their room where it does not
    help the figure fit.
    """
    rows = scene.direction == "TB"
    gap = "ranksep" if rows == high else "nodesep"
    return dataclasses.replace(scene, spacing=_TIGHT, tighten=(gap,))


def too_high(fitted: Fitted, target: Target) -> bool:
    """Whether the figure's height, not its width, keeps it from its target."""
    return (target.height is not None
            and target.height / fitted.height < target.width / fitted.width)


def refinements(scene: Scene, fitted: Fitted, target: Target, figure: tuple[float, float],
                wrap_at: int, key_place: str) -> list[Scene]:
    """The next layouts to try for ``scene``, scaled down to its target: best first.

    The steps the module describes, for the side that keeps the figure from its
    target; a figure that fits tries those that do not crowd it (its key moved,
    labels wider or a little narrower), for larger text.

    ``figure`` is the size of the figure alone (without its key), ``wrap_at`` its
    labels' width in characters and ``key_place`` the ``--key`` asked for
    (``figure``: wherever fits best). Each is ``scene`` changed in one way.
    """
    out: list[Scene] = []
    keyed = scene.legend and key_place == "figure"
    if fitted.scale >= 1:  # drawn at its own size: no step can make its text larger
        return out
    # a figure that fits only tries what does not crowd it: its key moved, labels wider
    # or a little narrower; closer boxes and the narrowest labels only to make it fit
    squeeze = not fitted.fits
    if too_high(fitted, target):
        if keyed and scene.key_beside is None:
            out.append(dataclasses.replace(scene, key_beside=figure[1]))
        out.append(dataclasses.replace(scene, wrap=wrap_at + 6))
        # half as much wider, for a figure the full step makes too wide for its target
        out.append(dataclasses.replace(scene, wrap=wrap_at + 3))
        if squeeze and scene.spacing == 1.0:
            out.append(_closer(scene, high=True))
        if scene.legend and scene.key_beside is None and scene.key_room < _WIDEST_KEY:
            out.append(dataclasses.replace(scene, key_room=round(scene.key_room + 0.3, 1)))
    else:
        if keyed and scene.key_beside is not None:
            out.append(dataclasses.replace(scene, key_beside=None))
        # never so narrow that the engine would cut a word (see .text.wrap)
        longest = max((len(w) for n in scene.nodes for w in n.label.split()), default=0)
        narrowest = _NARROWEST_WRAP if squeeze else _NARROW_WRAP
        if wrap_at - 4 >= max(narrowest, (longest + 1) // 2):
            out.append(dataclasses.replace(scene, wrap=wrap_at - 4))
        if squeeze and scene.spacing == 1.0:
            out.append(_closer(scene, high=False))
        if squeeze and scene.direction == "TB" and not scene.own_widths:
            out.append(dataclasses.replace(scene, own_widths=True))
    return out


def signature(scene: Scene) -> tuple[object, ...]:
    """What tells apart the layouts the fit tries of one view."""
    return (scene.direction, scene.compact, scene.wrap, scene.spacing, scene.tighten,
            scene.key_beside, scene.key_room, scene.own_widths)


def tall_warning(fitted: Fitted, target: Target) -> str | None:
    """LM625's text for a figure fitted to a width alone that came out taller than a page
    (the ``page`` target's height), else None."""
    page = NAMED_TARGETS["page"][1] * MM
    if target.height is not None or fitted.height <= page + 0.5:
        return None
    return (f"LM625 the figure is {_up(fitted.width_mm)} x {_up(fitted.height_mm)} mm, taller "
            f"than a page ({page / MM:.0f} mm): only its width was given; "
            f"--fit {target.width / MM:g}x{page / MM:.0f}mm bounds its height too")


KEY_SHARE = 1 / 3  # the share of a fitted figure's area its key may take without a note


def key_warning(share: float | None) -> str | None:
    """LM626's text for a fitted figure whose key takes more than :data:`KEY_SHARE` of its
    area (``share``, see :func:`.compose.key_share`), else None."""
    if share is None or share <= KEY_SHARE:
        return None
    return (f"LM626 the key takes {share:.0%} of the figure's area: --key caption writes it "
            f"as text for the figure's caption (-o FIGURE.txt)")


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

@rule("LM619", "figure-does-not-fit", Severity.WARNING)
def figure_does_not_fit() -> None:
    """The figure cannot fit the `--fit` size with text at `--min-font` or larger.

    ## What it does
    `--fit` scales the figure down to a target (`column`, `full`, `page` or a
    size such as `174x230mm`); every layout logicmodel can make of the view is
    tried. When none fits with its smallest text at or above `--min-font`
    (7 pt by default), the figure is drawn at the size that keeps the text
    readable, and this warning gives that size (rounded up), how much too wide
    or too high it is, and the text size the target would have forced (the
    `--min-font` that would fit it).

    ## Why is this bad?
    Journals refuse figures whose text is below 6-8 pt at final size, and text
    shrunk silently is the commonest reason. Show less (a `--view` or
    `--pathway`), give the figure a page, or accept smaller text with
    `--min-font`.

    ## Example
    ```text
    logicmodel: LM619 the figure does not fit 84 x 230 mm with text of at least 7 pt: it needs
    122 x 269 mm (38 mm too wide and 39 mm too high) and is drawn at that size; at 84 x 230 mm
    its smallest text would be 4.8 pt (--min-font 4.8 fits it); --key caption moves the key
    to the caption
    ```
    """


@rule("LM625", "figure-taller-than-page", Severity.INFO)
def figure_taller_than_page() -> None:
    """`--fit` gave a width alone, and the figure is taller than a page.

    ## What it does
    A width such as `--fit 174mm` or `--fit 84mm` bounds the figure's width
    only: its height is whatever that width gives. When that is more than a
    page's text block (230 mm, the height of `--fit page`), this note says so
    and names the size that bounds both. The figure is drawn as fitted.

    ## Why is this bad?
    A figure taller than the page cannot be placed in a paper without being
    shrunk again, by the typesetter, below the text size `--fit` kept. Give a
    height as well (`174x230mm`, or `page`), draw less (`--view`,
    `--pathway`), or move the key to the caption (`--key caption`).

    ## Example
    ```text
    logicmodel: LM625 the figure is 84 x 242 mm, taller than a page (230 mm): only its width
    was given; --fit 84x230mm bounds its height too
    ```
    """


@rule("LM626", "key-takes-much-of-figure", Severity.INFO)
def key_takes_much_of_figure() -> None:
    """With `--fit`, the key takes more than a third of the figure's area.

    ## What it does
    A key is part of the figure `--fit` scales to its target. Long lists of
    assumptions, barriers or enablers make a key that takes more of the page
    than the model does, and the model's text is drawn smaller for it. When the
    key takes more than a third of the fitted figure's area, this note says how
    much and names the way out. The figure is drawn as fitted (exit status 0).

    ## Why is this bad?
    Journals ask for a figure's legend in its caption, where it can be as long
    as it needs; in a figure that is mostly key, the model is small. Write the
    key as text with `--key caption` (and `-o FIGURE.txt` for the caption's
    text), or draw less (`--view`, `--pathway`).

    ## Example
    ```text
    logicmodel: LM626 the key takes 43% of the figure's area: --key caption writes it as
    text for the figure's caption (-o FIGURE.txt)
    ```
    """


@rule("LM620", "invalid-fit", Severity.ERROR)
def invalid_fit() -> None:
    """`--fit` gives a size logicmodel cannot read.

    ## What it does
    A size is a width, optionally `x` a height, and a unit: `174x230mm`,
    `84mm`, `6.5in`, `17.4x23cm`, `500x650pt`; or a name: `column`, `full`,
    `page`. Exit status 2.

    ## Why is this bad?
    A size without a unit, or one too small to draw in, is more likely a typing
    slip than a wish; guessing would make a figure of the wrong size.

    ## Example
    ```text
    logicmodel: LM620 cannot read the figure size '174mm x'
    ```
    """
