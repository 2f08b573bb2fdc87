"""Move model files to the newest format (2), with the smallest possible edits.

`logicmodel: 1` becomes `logicmodel: 2` and a link's single `evidence:` mapping
becomes a list of one; everything else, comments and formatting included, stays
as it is. The migrated file must give the same model as the original (LM031
otherwise) before anything is written. Files already in format 2 are left alone.
Folders are searched for *.yaml and *.yml files.
"""

from __future__ import annotations

import argparse

from .rewriting import add_rewrite_arguments, run_rewrite

HELP = "move model files to format 2, keeping comments and formatting"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_rewrite_arguments(p)


def run(args: argparse.Namespace) -> int:
    return run_rewrite(args, transform_name="migrate_transform", same="model",
                       done="migrated", would="would migrate")
