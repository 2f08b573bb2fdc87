"""Compare two versions of a model by meaning, not by line.

Elements are matched by id: nodes, links, indicators, assumptions, moderators,
pathways and references added (+), removed (-) or changed (~, field by field),
then the pathways whose route changed. OLD and NEW are files or git revisions
written REV:path (e.g. HEAD~1:models/x.yaml); --git REV1 REV2 FILE compares two
revisions of one file. As a git diff driver, git runs it with --git-driver and
its seven arguments (see the docs for the .gitattributes set-up).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..schema import LogicModel

HELP = "semantic diff of two versions of a model (files or git revisions)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("args", nargs="*", metavar="OLD NEW",
                   help="two model files or REV:path specs (with --git: REV1 REV2 FILE)")
    p.add_argument("--git", action="store_true",
                   help="compare two git revisions of one file: --git REV1 REV2 FILE")
    p.add_argument("--git-driver", action="store_true",
                   help="run as git's external diff driver (seven arguments from git)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.add_argument("--exit-code", action="store_true",
                   help="exit with 1 if the models differ (like git diff --exit-code)")


def _usage(message: str) -> int:
    print(f"logicmodel diff: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from ..analysis.source import checked_model, problems_text
    from ..diff import (
        RevisionError,
        diff_models,
        format_diff_json,
        format_diff_text,
        read_revision,
    )

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

    models: list[LogicModel | None] = []
    failed = False
    for spec, shown in specs:
        if spec is None:
            models.append(None)
            continue
        data = None
        if args.git or (":" in spec and not os.path.exists(spec) and not args.git_driver):
            try:
                data = read_revision(spec)
            except RevisionError as exc:
                return _usage(str(exc))
        model, result = checked_model(spec, data=data, display=shown)
        if model is None:
            sys.stdout.write(problems_text(result))
            failed = True
        models.append(model)
    if failed:
        return 0 if args.git_driver else 1
    d = diff_models(models[0], models[1], specs[0][1], specs[1][1])
    sys.stdout.write(format_diff_json(d) if args.format == "json" else format_diff_text(d))
    return 1 if (args.exit_code and d and not args.git_driver) else 0
