"""Write a commented starter model for a framework, ready to edit.

The starter has one node in each of the framework's stages under the stage's
heading, linked in reading order, with placeholder indicators and an assumption,
and passes `logicmodel check --strict` as written. An existing file is never
overwritten unless --force is given; the file is written whole or not at all.
"""

from __future__ import annotations

import argparse
import sys

HELP = "write a commented starter model for a framework"


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ..schema.names import FRAMEWORK_NAMES

    p.add_argument("file", metavar="FILE",
                   help="the model file to create, e.g. models/my_programme.yaml")
    p.add_argument("--framework", choices=FRAMEWORK_NAMES, default="default",
                   help="whose stages and headings to start from (default: default)")
    p.add_argument("--title", default="A new logic model", help="the model's title")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def run(args: argparse.Namespace) -> int:
    import os

    from ..diagnostics import escape_text
    from ..render.output import OutputError, write_atomic
    from ..starter import starter_text
    from .figures import fail

    if os.path.lexists(args.file) and not args.force:
        fail("LM605", f"{args.file} exists already", "choose another name, or add --force")
        return 3
    try:
        write_atomic(args.file, starter_text(args.framework, args.title).encode("utf-8"))
    except OutputError as exc:
        fail(exc.code, str(exc), exc.hint)
        return 3
    print(f"wrote {escape_text(args.file)} ({args.framework} framework)", file=sys.stderr)
    return 0
