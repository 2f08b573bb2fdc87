"""Format model files in the canonical style, keeping every comment and the order of keys.

The canonical style: two-space indentation, list dashes indented under their key,
quotes and flow/block style kept as written, long lines wrapped at 99 characters
where YAML allows it, no trailing white space, one final newline. Formatting
never changes a value: the file is read back and compared before it is written
(LM030 otherwise). Folders are searched for *.yaml and *.yml files.

Use --check in CI or pre-commit (like `ruff format --check`): nothing is written
and the exit code is 1 when a file is not formatted.
"""

from __future__ import annotations

import argparse

from .rewriting import add_rewrite_arguments, run_rewrite

HELP = "format model files, keeping comments (--check for CI)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_rewrite_arguments(p)


def run(args: argparse.Namespace) -> int:
    return run_rewrite(args, transform_name="format_transform", same="data",
                       done="formatted", would="would format")
