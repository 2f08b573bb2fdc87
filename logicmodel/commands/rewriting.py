"""What ``fmt`` and ``migrate`` share: options, the library call, and how they report.

Both rewrite model files in place through :mod:`logicmodel.rewrite`; ``--check``
writes nothing and fails when a file would change (for CI and pre-commit);
``--diff`` prints the change as a unified diff instead. A file that does not load
is reported with its located diagnostics, as ``check`` reports it, and is never
written.
"""

from __future__ import annotations

import argparse
import difflib
import sys

__all__ = ["add_rewrite_arguments", "run_rewrite"]


def add_rewrite_arguments(p: argparse.ArgumentParser) -> None:
    """The options ``fmt`` and ``migrate`` share."""
    p.add_argument("paths", nargs="+", metavar="PATH", help="model files or folders")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 if any file would change")
    mode.add_argument("--diff", action="store_true",
                      help="write nothing; print the changes as a unified diff")


def run_rewrite(args: argparse.Namespace, *, transform_name: str, same: str,
                done: str, would: str) -> int:
    """Rewrite the files named in ``args`` and report; returns the exit code."""
    from .. import rewrite
    from ..checking import CheckResult
    from ..diagnostics import escape_text
    from ..render.output import OutputError
    from ..report import format_text
    from .figures import fail

    transform = getattr(rewrite, transform_name)
    write = not (args.check or args.diff)
    try:
        results = rewrite.rewrite_paths(args.paths, transform, same=same, write=write)
    except OutputError as exc:
        fail(exc.code, str(exc), exc.hint)
        return 3
    refused = [r for r in results if r.refused]
    changed = [r for r in results if r.changed]
    diagnostics = [d for r in refused for d in r.diagnostics]
    if diagnostics:
        files = [r.file for r in refused]
        sys.stdout.write(format_text(CheckResult(files, diagnostics)))
    for r in changed:
        if args.diff:
            assert r.after is not None
            sys.stdout.writelines(difflib.unified_diff(
                r.before.splitlines(keepends=True), r.after.splitlines(keepends=True),
                f"a/{r.file}", f"b/{r.file}"))
        else:
            print(f"{would if not write else done} {escape_text(r.file)}", file=sys.stderr)
    unchanged = len(results) - len(changed) - len(refused)
    verb = done if write else would
    print(f"{len(changed)} file{'s' if len(changed) != 1 else ''} {verb}, {unchanged} unchanged"
          + (f", {len(refused)} left alone because of problems" if refused else ""),
          file=sys.stderr)
    return 1 if refused or (changed and not write) else 0
