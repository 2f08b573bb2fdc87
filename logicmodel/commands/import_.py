"""Import a model from a spreadsheet, CSV files or DAGitty model code, as YAML.

FILE is an Excel workbook (.xlsx) or CSV files in the layout `export --to xlsx`
and `--to csv` write, which is Kumu's (an Elements sheet: ID, Label, Type,
Description, ...; a Connections sheet: From, To, Type, ...), or a folder of
such CSV files, or DAGitty model code (`dag { ... }`). The model is written as
YAML in the current format, with a comment for everything that had to be
guessed (ids, kinds, labels, the title), to standard output or to -o FILE. It
is checked first: a cell that cannot be read, or a model with errors, is
reported at its sheet, row and column, and nothing is written.
"""

from __future__ import annotations

import argparse
import sys

HELP = "import a model from Excel, CSV (Kumu's layout) or DAGitty code, as YAML"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="an .xlsx workbook, .csv files or a folder of them, or DAGitty code")
    p.add_argument("-o", "--output", metavar="FILE", help="write the YAML to FILE (.yaml)")


def run(args: argparse.Namespace) -> int:
    from ..diagnostics import escape_text
    from ..extras import MissingExtra
    from ..files import OutputError, check_destination, write_atomic
    from ..importing import import_model
    from .figures import fail

    if args.output is not None:
        if not args.output.lower().endswith((".yaml", ".yml")):
            fail("LM609", f"cannot write a model as {args.output}", "use .yaml or .yml")
            return 2
        try:
            check_destination(args.output)
        except OutputError as exc:
            fail(exc.code, str(exc), exc.hint)
            return 3
    try:
        result = import_model(args.files, output_name=args.output or "model.yaml")
    except MissingExtra as exc:
        fail(exc.code, str(exc), exc.hint)
        return 3
    if result.text is None:
        for d in result.diagnostics:
            line = f"{escape_text(d.location())}: {d.code} {escape_text(d.message)}"
            print(line)
            if d.hint:
                print(f"    hint: {escape_text(d.hint)}")
        print(f"logicmodel: nothing was imported ({len(result.diagnostics)} "
              f"problem{'s' if len(result.diagnostics) != 1 else ''})", file=sys.stderr)
        return 1
    if args.output is None:
        sys.stdout.write(result.text)
        return 0
    try:
        write_atomic(args.output, result.text.encode("utf-8"))
    except OutputError as exc:
        fail(exc.code, str(exc), exc.hint)
        return 3
    return 0
