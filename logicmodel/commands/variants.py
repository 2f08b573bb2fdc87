"""List a model's variants: the base, each variant's id and label, and what it changes.

A variant is written under the model's `variants:` or as an overlay file that
`extends:` a base file. Each line says how many elements the variant removes,
changes and adds; `--variant NAME` on every other command reads that variant,
and `check` checks the base and every variant. For an overlay file, the line
names the base it extends.
"""

from __future__ import annotations

import argparse
import json
import sys

from .common import add_model_options

HELP = "list the variants of a model (sites, pilots, arms, phases)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="MODEL", help="model file")
    add_model_options(p, variant=False)
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")


def run(args: argparse.Namespace) -> int:
    from ..diagnostics import escape_text
    from ..variants.summary import summarise
    from .common import open_for, refuse

    opened = open_for(args, args.path)
    if opened.model is None or opened.document is None:
        return refuse(opened, "listed")
    rows = summarise(opened.document)
    if args.format == "json":
        sys.stdout.write(json.dumps([r.to_dict() for r in rows], indent=2,
                                    ensure_ascii=False) + "\n")
        return 0
    width = max(len(r.id) for r in rows)
    for r in rows:
        print(escape_text(f"{r.id:<{width}}  {r.describe()}"))
    return 0
