"""Render a model as a diagram: SVG, PNG, PDF, EPS, TIFF, DOT, Mermaid or an interactive HTML page.

The format comes from each output file's suffix (.svg, .png, .pdf, .eps, .tif, .dot,
.mmd, .html); give -o several times to write several formats from one layout.
The model is checked first: a model with errors is not rendered, and the errors
are reported as `check` reports them. Every format comes from the embedded
engine installed with logicmodel; `--engine dot` uses the system Graphviz
instead. `--fit` scales the figure to a journal's column or page, keeping its
text at `--min-font` or larger. `--versions`, given a short version (a model
with `summarises:`), draws its full version whole with each box tagged by the
short box that stands for it (.svg, .png, .pdf, .tif or .dot).
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING, Any

from .common import add_model_options

if TYPE_CHECKING:
    from ..pipeline import Opened
    from ..render import Rendered, RenderOptions
    from ..schema import LogicModel

HELP = "draw a model as SVG, PNG, PDF, EPS, TIFF, DOT, Mermaid or an interactive HTML page"


def _attr(value: str) -> tuple[str, str, str]:
    scope_name, sep, val = value.partition("=")
    scope, dot, name = scope_name.partition(".")
    if not sep or not dot or not name:
        raise argparse.ArgumentTypeError(
            f"expected SCOPE.NAME=VALUE, e.g. graph.nodesep=0.3, not {value!r}")
    return scope, name, val


# Kept here, not imported from logicmodel.render: building the parser must stay light
# (`logicmodel check` builds it too). tests/test_render_cli.py checks they agree.
ENGINES = ("embedded", "dot")
THEMES = ("paper", "color")
DEFAULT_TIMEOUT = 60.0


def add_size_options(p: argparse.ArgumentParser | argparse._ArgumentGroup,
                     first: str = "") -> None:
    """--fit, --min-font, --key, --dpi and --timeout: how large a figure is drawn, and its key
    (`render`'s, and `diff --render`'s, each help text after ``first``)."""
    p.add_argument("--fit", metavar="SIZE",
                   help=f"{first}scale to fit, e.g. 174x230mm, 84mm, 6.5in, or column (84 mm), "
                   "full (174 x 115 mm), page (174 x 230 mm); never enlarges")
    p.add_argument("--min-font", type=float, default=7.0, metavar="PT",
                   help=f"{first}smallest text allowed at the final size (default 7 pt); "
                   "LM619 if the figure cannot fit with it")
    p.add_argument("--key", choices=("figure", "below", "beside", "caption", "none"),
                   default="figure",
                   help=f"{first}figure: draw the key under the figure, or beside it where that "
                   "fits --fit better (default); below, beside: draw it there; caption: "
                   "leave it out, for the caption (FILE.txt gets its text); none: "
                   "leave it out")
    p.add_argument("--dpi", type=float, default=None,
                   help=f"{first}PNG/TIFF resolution at final size "
                   "(default 300 PNG, 600 TIFF)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"{first}stop the layout after this long "
                   f"(default {DEFAULT_TIMEOUT:g})")


def add_view_options(p: argparse.ArgumentParser) -> None:
    """What the figure shows and how: the options `render` and `serve` share."""
    p.add_argument("--theme", default="paper", choices=THEMES,
                   help="paper: grayscale, print-safe (default); color: colour-blind-safe")
    p.add_argument("--view", metavar="NAME",
                   help="a view declared under `views:` in the model, or `full` / `paper`")
    p.add_argument("--pathway", action="append", metavar="ID", default=[],
                   help="focus on this pathway (repeatable); others are faded")
    p.add_argument("--hide-others", action="store_true",
                   help="with --pathway: hide what is off the pathway instead of fading it")
    p.add_argument("--direction", choices=("LR", "TB"),
                   help="LR: stages as columns; TB: stages as rows; default: the view's, "
                   "else LR, and with --fit whichever fits the target at the larger text")
    p.add_argument("--compact", action="store_true", help="the compact paper layout")
    p.add_argument("--bands", type=_bands, metavar="TYPE[,TYPE]",
                   help="group types drawn as labelled rows, outer first (e.g. arm,actor), "
                   "or none; default: the view's, else every type of the model's groups")


def view_options(args: argparse.Namespace, **more: Any) -> RenderOptions:
    """The render options those arguments give, with ``more`` fields set."""
    from ..render import RenderOptions

    return RenderOptions(theme=args.theme, view=args.view, pathways=tuple(args.pathway),
                         others="hide" if args.hide_others else None,
                         direction=args.direction, compact=True if args.compact else None,
                         bands=args.bands, **more)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", metavar="MODEL", help="the model file")
    add_model_options(p)
    p.add_argument("-o", "--output", action="append", required=True, metavar="FILE",
                   help="output file; the suffix gives the format "
                   "(.svg .png .pdf .eps .tif .dot .mmd .html, .txt: the key as caption text); "
                   "repeat for several")
    whole = p.add_mutually_exclusive_group()  # figures of several models at once
    whole.add_argument("--variants", action="store_true",
                       help="draw the base and every variant side by side, one panel each, "
                       "with what each variant adds, changes and removes marked")
    whole.add_argument("--versions", action="store_true",
                       help="for a short version (a model with `summarises:`): draw the full "
                       "version, each box tagged with the short box it belongs to")
    add_view_options(p)
    p.add_argument("--engine", choices=ENGINES, default="embedded",
                   help="embedded: graphviz-pure, installed with logicmodel (default); "
                   "dot: the system Graphviz")
    add_size_options(p)
    p.add_argument("--attr", type=_attr, action="append", default=[], metavar="SCOPE.NAME=VALUE",
                   help="override a graph, node or edge attribute, e.g. graph.nodesep=0.3")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="say which engine ran, how long it took, and what it warned about")


def _bands(text: str) -> tuple[str, ...]:
    types = tuple(t.strip() for t in text.split(",") if t.strip())
    if not types:
        raise argparse.ArgumentTypeError("give a group type, several separated by commas, "
                                         "or none")
    return types


def describe_version() -> str:
    """The layout engines, for `logicmodel --version`."""
    from ..render.engine import EngineError, find_engine

    parts = []
    for name in ("embedded", "dot"):
        try:
            parts.append(find_engine(name).describe())
        except EngineError:
            parts.append(f"{name}: not installed")
    return "layout engines: " + "; ".join(parts)


def run(args: argparse.Namespace) -> int:
    from ..diagnostics import escape_text
    from ..errors import CodedError, UsageError
    from ..files import OutputError
    from ..render import FitError, RenderError, format_of, render_to_files
    from ..render.engine import EngineError
    from ..render.themes import ThemeError
    from ..render.views import ViewError
    from .common import open_for, refuse
    from .figures import check_outputs, fail

    if args.variants and args.variant is not None:
        fail("LM640", f"--variants draws the base and every variant; leave out --variant "
             f"{args.variant}", "to draw one variant alone, leave out --variants")
        return 2
    from ..render.multiples import VariantsFigureError, multiples_format_of

    # Usage errors first, before any work: unknown suffixes and unsafe paths.
    if args.versions:
        from ..versions.figure import versions_format_of

        refused = check_outputs(args.output, versions_format_of)
    else:
        refused = check_outputs(args.output,
                                multiples_format_of if args.variants else format_of)
    if refused:
        return refused
    opened = open_for(args, args.model)
    if opened.model is None:
        return refuse(opened, "rendered")
    if args.variants and opened.document is not None:
        # every panel must be a valid model, as `check` and `--variant NAME` require
        for spec in opened.document.variants:
            each = open_for(args, args.model, variant=spec.id)
            if each.model is None:
                return refuse(each, "rendered")
    attrs: dict[str, dict[str, str]] = {}
    for scope, name, value in args.attr:
        attrs.setdefault(scope, {})[name] = value
    try:
        options = view_options(
            args, engine=args.engine, dpi=args.dpi, timeout=args.timeout, attrs=attrs,
            fit=args.fit, min_font=args.min_font, key=args.key,
            max_pixels=opened.config.max_pixels)
    except UsageError as exc:  # a number that means nothing (LM624)
        fail(exc.code, str(exc), exc.hint)
        return 2
    if "html" in {format_of(o) for o in args.output} and args.variant != "base":
        from dataclasses import replace

        from ..html import viewer_variants

        # the viewer offers the base and every variant, or shows the one asked for
        options = replace(options, variants=tuple(viewer_variants(opened.document)))
    if opened.document is not None and opened.document.full is not None:
        from dataclasses import replace

        # a short version's viewer names, in each box's panel, the full boxes it stands for
        from ..html.variants import full_variant_label

        options = replace(options, full=opened.document.full.model,
                          full_variant=full_variant_label(opened.document))
    try:
        if args.versions:
            results = _render_versions(opened, args.output, options)
        elif args.variants:
            from ..render.multiples import render_multiples_to_files

            assert opened.document is not None
            results = render_multiples_to_files(opened.document, args.output, options)
        else:
            results = render_to_files(_drawn(opened), args.output, options)
    except UsageError as exc:
        fail(exc.code, str(exc), exc.hint)
        return 2
    except (ViewError, ThemeError, FitError, VariantsFigureError) as exc:
        fail(exc.code, str(exc), getattr(exc, "hint", None))
        return 2
    except (EngineError, RenderError, OutputError, CodedError) as exc:
        fail(exc.code, str(exc), exc.hint)
        return 3
    shown: set[str] = set()
    for path, res in zip(args.output, results, strict=True):
        how = (f"{res.engine.name} engine, {res.engine.version}, {res.seconds:.2f} s"
               if res.engine else "written by logicmodel")
        line = f"wrote {escape_text(str(path))}"
        print(f"{line} ({how})" if args.verbose else line)
        for w in res.warnings:
            if OWN_WARNING.match(w):  # logicmodel's own warnings, each with its code
                if w not in shown:  # one layout, one warning for all its files
                    print(f"logicmodel: {w}", file=sys.stderr)
                shown.add(w)
            elif args.verbose:
                print(f"    engine: {escape_text(w)}", file=sys.stderr)
    return 0


OWN_WARNING = re.compile(r"LM\d{3} ")


def _render_versions(opened: Opened, outputs: list[str], options: RenderOptions
                     ) -> list[Rendered]:
    """The figure of two versions, written to each of ``outputs``.

    Raises:
        NotAShortVersion: the model summarises nothing (LM126).
        RenderError: a format the figure cannot be drawn in (LM609).
    """
    from ..files import write_atomic
    from ..render import format_of
    from ..versions.figure import render_versions_all
    from ..versions.load import short_version

    doc = short_version(opened.document)
    results = render_versions_all(doc, [format_of(path) for path in outputs], options)
    for path, res in zip(outputs, results, strict=True):
        write_atomic(path, res.data)
    return results


def _drawn(opened: Opened) -> LogicModel:
    """The model to draw: a variant's with the boxes it adds next to the boxes they come
    from, as the figure of every variant draws them (see :mod:`..variants.order`)."""
    assert opened.model is not None
    doc = opened.document
    if doc is None or doc.base is None or doc.base.model is None:
        return opened.model
    from ..variants.order import drawn_in_order

    return drawn_in_order(opened.model, doc.base.model)
