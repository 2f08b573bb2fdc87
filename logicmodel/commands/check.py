"""Check logic-model files: schema, references, the causal chain, pathways and evidence.

Each problem is reported as `file:line:col: CODE severity: message` with a hint
below it, then a summary line. Folders are searched for *.yaml and *.yml files;
`-` reads a model from standard input. Each file is checked with the nearest
configuration (logicmodel.toml, or [tool.logicmodel] in pyproject.toml) above
it, unless --config names one.

--format picks the report: text (for people), json, github (annotations in
GitHub Actions), sarif (2.1.0, for code scanning), junit (XML, one test case per
file), gitlab (a code-quality report) or auto (the default: github inside GitHub
Actions, text elsewhere).
Machine formats print nothing but the format on stdout; the summary line goes
to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import ConfigFinder

HELP = "check models for problems (like a linter)"
# The same names as logicmodel.report.FORMATS (a test keeps them equal); listed
# here so that building the parser imports nothing heavy.
FORMATS = ("text", "json", "github", "sarif", "junit", "gitlab", "auto")


def _codes(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="model files or folders; - for stdin")
    p.add_argument("--format", choices=FORMATS, default="auto",
                   help="output format (default: auto, github inside GitHub Actions, else text)")
    p.add_argument("--select", type=_codes, action="extend", metavar="CODES",
                   help="run only these rule codes or prefixes (comma-separated, e.g. LM2,LM301)")
    p.add_argument("--ignore", type=_codes, action="extend", metavar="CODES",
                   help="skip these rule codes or prefixes")
    p.add_argument("--strict", action="store_true", help="warnings fail the check too")
    p.add_argument("--config", metavar="FILE",
                   help="configuration file for every checked file (default: the nearest "
                   "logicmodel.toml or pyproject.toml with [tool.logicmodel] above each file)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the text report (auto: on a terminal, unless NO_COLOR is set)")
    p.add_argument("--variant", metavar="NAME",
                   help="check the base and this variant only (default: the base and every "
                   "variant)")
    p.add_argument("--show-config", action="store_true",
                   help="print the configuration that applies to each file, and check nothing")


def use_color(choice: str) -> bool:
    """Whether to colour output: never with NO_COLOR, always on request, else on a terminal."""
    if choice == "never" or (choice == "auto" and os.environ.get("NO_COLOR")):
        return False
    return choice == "always" or sys.stdout.isatty()


def run(args: argparse.Namespace) -> int:
    from ..checking import CheckResult, check_paths
    from ..config import Config, ConfigFinder
    from ..errors import ConfigError
    from ..report import FORMATTERS, MACHINE_FORMATS, format_text, resolve_format, summary

    fmt = resolve_format(args.format)

    def adjust(cfg: Config) -> Config:
        return cfg.with_overrides(select=args.select, ignore=args.ignore, strict=args.strict)

    try:
        adjust(Config())  # reject unknown --select/--ignore codes before reading anything
        finder = ConfigFinder(args.config, adjust)
        if args.show_config:
            return _show_config(args.paths, finder)
        stdin_text = sys.stdin.read() if "-" in args.paths else None
        result = check_paths(args.paths, finder, stdin_text, args.variant)
    except ConfigError as exc:
        if not exc.diagnostics:
            raise
        # A broken configuration is reported like a model problem, then exit 2.
        bad = CheckResult(files=sorted({d.file for d in exc.diagnostics}),
                          diagnostics=exc.diagnostics)
        if fmt == "github":
            sys.stdout.write(FORMATTERS["github"](bad, False))
        report = format_text(bad).splitlines()[:-1]
        print("\n".join(report), file=sys.stderr)
        print(f"logicmodel: the configuration is invalid ({len(exc.diagnostics)} "
              f"problem{'s' if len(exc.diagnostics) != 1 else ''})", file=sys.stderr)
        return 2
    sys.stdout.write(FORMATTERS[fmt](result, fmt == "text" and use_color(args.color)))
    if fmt in MACHINE_FORMATS:
        print(summary(result), file=sys.stderr)
    return 1 if result.failed else 0


def _show_config(paths: list[str], finder: ConfigFinder) -> int:
    """Print, for each file, where its settings come from and what they are."""
    from ..checking import expand_paths
    from ..diagnostics import escape_text
    from ..loader import display_path

    files, missing = expand_paths(paths)
    for name in [*files, *missing]:
        base = finder.base(name)
        print(escape_text(name if name == "-" else display_path(name)))
        print(f"  # from {escape_text(base.source or '(defaults: no configuration file found)')}")
        for o in () if name == "-" else base.overrides_for(name):
            shown = ", ".join(f'"{p}"' for p in o.paths)
            print(f"  # with the override for paths = [{shown}]")
        for line in finder(name).describe():
            print(f"  {line}")
    return 0
