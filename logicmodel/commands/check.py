"""Check logic-model files: schema, references, the causal chain, pathways and evidence.

Each problem is reported as `file:line:col: CODE severity: message` with a hint
below it, then a summary line. Folders are searched for *.yaml and *.yml files;
`-` reads a model from standard input.
"""

from __future__ import annotations

import argparse
import os
import sys

HELP = "check models for problems (like a linter)"
FORMATS = ("text", "json")


def _codes(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="model files or folders; - for stdin")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format")
    p.add_argument("--select", type=_codes, action="extend", metavar="CODES",
                   help="run only these rule codes or prefixes (comma-separated, e.g. LM2,LM301)")
    p.add_argument("--ignore", type=_codes, action="extend", metavar="CODES",
                   help="skip these rule codes or prefixes")
    p.add_argument("--strict", action="store_true", help="warnings fail the check too")
    p.add_argument("--config", metavar="FILE",
                   help="configuration file (default: nearest logicmodel.toml or pyproject.toml)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the text report (auto: on a terminal, unless NO_COLOR is set)")


def use_color(choice: str) -> bool:
    """Whether to colour output: never with NO_COLOR, always on request, else on a terminal."""
    if choice == "never" or (choice == "auto" and os.environ.get("NO_COLOR")):
        return False
    return choice == "always" or sys.stdout.isatty()


def run(args: argparse.Namespace) -> int:
    from ..check import check_paths
    from ..config import load_config
    from ..report import FORMATTERS

    config = load_config(args.config).with_overrides(
        select=args.select, ignore=args.ignore, strict=args.strict)
    stdin_text = sys.stdin.read() if "-" in args.paths else None
    result = check_paths(args.paths, config, stdin_text)
    sys.stdout.write(FORMATTERS[args.format](result, use_color(args.color)))
    if args.format != "text":
        from ..report import summary

        print(summary(result), file=sys.stderr)
    return 1 if result.failed else 0
