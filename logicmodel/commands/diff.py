"""Compare two versions of a model by meaning, not by line.

Elements are matched by id: nodes, links, indicators, assumptions, moderators,
pathways and references added (+), removed (-) or changed (~, field by field),
then the pathways whose route changed. OLD and NEW are files or git revisions
written REV:path (e.g. HEAD~1:models/x.yaml); --git REV1 REV2 FILE compares two
revisions of one file. FILE@VARIANT compares a variant (`base` for the model
without its variants); --variant NAME reads that variant on both sides. As a git
diff driver, git runs it with --git-driver and
its seven arguments (see the docs for the .gitattributes set-up). --render FILE
draws the new version with what was added, changed and removed marked (.svg,
.png, .pdf, .eps, .tif or .dot; repeat for several), fitted to a page with
--fit, --min-font and --key as `render` fits a figure.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import TYPE_CHECKING

from .common import add_model_options
from .render import (  # the render command's choices and options (light: no render import)
    DEFAULT_TIMEOUT,
    ENGINES,
    THEMES,
    add_size_options,
)

if TYPE_CHECKING:
    from ..diff import ModelDiff
    from ..render import RenderOptions
    from ..schema import LogicModel

HELP = "semantic diff of two versions of a model (files or git revisions)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("args", nargs="*", metavar="OLD NEW",
                   help="two model files or REV:path specs (with --git: REV1 REV2 FILE)")
    p.add_argument("--git", action="store_true",
                   help="compare two git revisions of one file: --git REV1 REV2 FILE")
    p.add_argument("--git-driver", action="store_true",
                   help="run as git's external diff driver (seven arguments from git)")
    add_model_options(p)
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.add_argument("--exit-code", action="store_true",
                   help="exit with 1 if the models differ (like git diff --exit-code)")
    g = p.add_argument_group("figure of the changes")
    g.add_argument("--render", action="append", default=[], metavar="FILE",
                   help="draw NEW with additions, changes and removals marked; the suffix "
                   "gives the format (.svg .png .pdf .eps .tif .dot, .txt: the key as caption "
                   "text); repeat for several, all from one layout")
    g.add_argument("--theme", default="paper", choices=THEMES,
                   help="with --render: paper (grayscale, default) or color")
    g.add_argument("--direction", choices=("LR", "TB"),
                   help="with --render: stages as columns (LR) or rows (TB); default LR, "
                   "and with --fit whichever fits the target at the larger text")
    g.add_argument("--compact", action="store_true", help="with --render: the compact layout")
    add_size_options(g, "with --render: ")
    g.add_argument("--engine", choices=ENGINES, default="embedded",
                   help="with --render: the layout engine")


def _usage(message: str) -> int:
    print(f"logicmodel diff: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from ..diff import (
        RevisionError,
        diff_models,
        format_diff_json,
        format_diff_text,
        read_revision,
    )
    from .common import open_for, refuse

    specs: list[tuple[str | None, str]]  # (revision spec or file, display name)
    n = len(args.args)
    if args.git_driver:
        if n != 7:
            return _usage("--git-driver takes the seven arguments git passes")
        path, old_file, new_file = args.args[0], args.args[1], args.args[4]
        specs = [(None if old_file == os.devnull else old_file, f"a/{path}"),
                 (None if new_file == os.devnull else new_file, f"b/{path}")]
    elif args.git:
        if n != 3:
            return _usage("--git takes REV1 REV2 FILE")
        rev1, rev2, path = args.args
        specs = [(f"{rev1}:{path}", f"{rev1}:{path}"), (f"{rev2}:{path}", f"{rev2}:{path}")]
    else:
        if n != 2:
            return _usage("give two models: OLD NEW (files or REV:path)")
        specs = [(a, a) for a in args.args]

    if args.render and args.git_driver:
        return _usage("--render cannot be used with --git-driver")
    if not args.render and (args.theme != "paper" or args.direction or args.compact
                            or args.dpi is not None or args.engine != "embedded"
                            or args.fit is not None or args.min_font != 7.0
                            or args.key != "figure" or args.timeout != DEFAULT_TIMEOUT):
        return _usage("--theme, --direction, --compact, --fit, --min-font, --key, --dpi, "
                      "--timeout and --engine are for --render FILE")
    if args.render and (code := _check_figure(args)):
        return code

    models: list[LogicModel | None] = []
    failed = False
    for spec, shown in specs:
        if spec is None:
            models.append(None)
            continue
        spec, variant = split_variant(spec) if not args.git_driver else (spec, None)
        variant = variant or args.variant
        data, near = None, None
        if args.git or (":" in spec and not os.path.exists(spec) and not args.git_driver):
            try:
                data = read_revision(spec)
            except RevisionError as exc:
                return _usage(str(exc))
            near = spec.partition(":")[2]
        elif args.git_driver:
            near = args.args[0]  # git's temporary copy: configure it as the file in the tree
        opened = open_for(args, spec, data=data, display=shown, near=near, acyclic=True,
                          variant=variant)
        if opened.model is None:
            refuse(opened, "compared")
            failed = True
        models.append(opened.model)
    if failed:
        return 0 if args.git_driver else 1
    d = diff_models(models[0], models[1], specs[0][1], specs[1][1])
    sys.stdout.write(format_diff_json(d) if args.format == "json" else format_diff_text(d))
    if args.render:
        old, new = models
        assert old is not None  # only the git driver compares with nothing
        assert new is not None
        if code := _render(args, old, new, d):
            return code
    return 1 if (args.exit_code and d and not args.git_driver) else 0


_VARIANT = re.compile(r"@([A-Za-z][A-Za-z0-9_-]{0,63})$")


def split_variant(spec: str) -> tuple[str, str | None]:
    """``FILE@VARIANT`` (or ``REV:FILE@VARIANT``) -> (the rest, the variant id)."""
    m = _VARIANT.search(spec)
    if m is None or os.path.exists(spec):
        return spec, None
    return spec[:m.start()], m.group(1)


def _check_figure(args: argparse.Namespace) -> int:
    """Refuse, before any work, what `render` refuses: unknown suffixes (LM609), unsafe
    paths, a --fit target that cannot be read (LM620) and numbers that mean nothing
    (LM624); exit status 2, or 3 for a path."""
    from ..errors import UsageError
    from ..render import RenderOptions
    from ..render.diff import diff_format_of
    from ..render.fit import FitError, parse_target
    from .figures import check_outputs, fail

    if code := check_outputs(args.render, diff_format_of):
        return code
    try:
        if args.fit is not None:
            parse_target(args.fit)
        _options(args, RenderOptions)
    except (FitError, UsageError) as exc:
        fail(exc.code, str(exc), exc.hint)
        return 2
    return 0


def _options(args: argparse.Namespace, make: type[RenderOptions]) -> RenderOptions:
    return make(theme=args.theme, direction=args.direction,
                compact=True if args.compact else None, dpi=args.dpi, engine=args.engine,
                fit=args.fit, min_font=args.min_font, key=args.key, timeout=args.timeout)


def _render(args: argparse.Namespace, old: LogicModel, new: LogicModel, d: ModelDiff) -> int:
    """Draw the figure in every format, then write the files (all or none); say so on stderr."""
    from ..diagnostics import escape_text
    from ..errors import CodedError
    from ..files import OutputError
    from ..render import RenderError, RenderOptions
    from ..render.diff import render_diff_to_files
    from ..render.engine import EngineError
    from .figures import fail
    from .render import OWN_WARNING

    try:
        results = render_diff_to_files(old, new, args.render, _options(args, RenderOptions), d)
    except (EngineError, RenderError, OutputError, CodedError) as exc:
        fail(exc.code, str(exc), exc.hint)
        return 3
    for path in args.render:
        print(f"wrote {escape_text(path)}", file=sys.stderr)
    shown: set[str] = set()
    for res in results:  # logicmodel's own warnings (LM619: too large to fit), once each
        for w in res.warnings:
            if OWN_WARNING.match(w) and w not in shown:
                print(f"logicmodel: {w}", file=sys.stderr)
                shown.add(w)
    return 0

