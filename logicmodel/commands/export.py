"""Export a model to another format: data for other tools, tables, Word, spreadsheets.

Data: json (canonical; reads back to an equal model), graphml (yEd, Gephi),
csv-nodes, csv-links, csv-indicators (formulas neutralised), dagitty (for
DAGitty and its R package). Tables, as Markdown or with --style latex as a
booktabs tabular: logframe (matrix), indicator-plan, assumptions (register),
cmo (realist context-mechanism-outcome), evaluation-plan (the evaluation
matrix: a question per pathway and per contested or fragile link, its indicators
and data sources, the assumptions to test; also --style csv). narrative: the theory as text,
pathway by pathway (Markdown, --style text, or -o FILE.docx). docx: a Word
report with the figure, the narrative and the four tables. xlsx: a workbook in
the layout Kumu imports (Elements, Connections) with logframe and register
sheets; csv: the same sheets as a folder of CSV files (-o FOLDER); both read
back with `logicmodel import`. variants: the table "what differs across
variants" (elements by variant; Markdown, --style latex or --style csv).
versions: for a short version (a model with `summarises:`), each of its boxes
and the boxes of the full version it stands for (Markdown, LaTeX or CSV).
Output goes to standard output (text formats),
or to -o FILE, written whole or not at all; a FILE whose suffix promises
another format is refused (LM609).
"""

from __future__ import annotations

import argparse
import sys

from .common import add_model_options

HELP = "export to JSON, GraphML, CSV, DAGitty, tables, narrative text, Word or Excel"
FORMATS = ("json", "graphml", "csv-nodes", "csv-links", "csv-indicators", "dagitty",
           "logframe", "indicator-plan", "assumptions", "cmo", "evaluation-plan", "narrative",
           "docx", "xlsx", "csv", "variants", "versions")
STYLES = ("markdown", "latex", "text", "docx", "csv")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="model file")
    add_model_options(p)
    p.add_argument("--to", required=True, choices=FORMATS, metavar="FORMAT",
                   help="one of: " + ", ".join(FORMATS))
    p.add_argument("--style", choices=STYLES, default=None,
                   help="markdown or latex for the tables (csv too for evaluation-plan); "
                   "markdown, text or docx for the narrative (default: from the -o suffix, "
                   "else markdown)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE instead of stdout (a folder for --to csv)")


def run(args: argparse.Namespace) -> int:
    from ..errors import CodedError, UsageError
    from ..export import BINARY, ExportError, export_bytes, style_for
    from ..extras import MissingExtra, need
    from ..files import OutputError, check_destination, write_atomic
    from ..versions.load import short_version
    from .common import open_for, refuse
    from .figures import fail

    try:
        style = style_for(args.to, args.output, args.style)
        if args.output is None and (args.to in BINARY or f"{args.to}/{style}" in BINARY
                                    or args.to == "csv"):
            what = "a folder" if args.to == "csv" else "a file"
            raise ExportError("LM609", f"--to {args.to} writes {what}, not standard output",
                              "give -o " + ("FOLDER" if args.to == "csv" else
                                            "FILE.xlsx" if args.to == "xlsx" else "FILE.docx"))
        if args.output is not None and args.to != "csv":
            check_destination(args.output)
        if args.to == "docx" or style == "docx":
            need("docx", "Word output")
        elif args.to == "xlsx":
            need("openpyxl", "Excel output")
    except MissingExtra as exc:
        fail(exc.code, str(exc), exc.hint)
        return 3
    except ExportError as exc:
        fail(exc.code, str(exc), exc.hint)
        return 2
    except OutputError as exc:
        fail(exc.code, str(exc), exc.hint)
        return 3

    opened = open_for(args, args.path, acyclic=True,
                      variant="base" if args.to == "variants" else None)
    if opened.model is None:
        return refuse(opened, "exported")
    model = opened.model
    try:
        if args.to == "csv":
            from ..export.sheets import write_csv_folder

            write_csv_folder(model, args.output)
            return 0
        figure = _figure(model) if args.to == "docx" else None
        if args.to == "versions":
            from ..versions.table import versions_text

            data = versions_text(short_version(opened.document), style).encode("utf-8")
        elif args.to == "variants":
            from ..variants.summary import differences_text

            assert opened.document is not None
            data = differences_text(opened.document, style).encode("utf-8")
        else:
            data = export_bytes(model, args.to, style, figure=figure)
        if args.output is None:
            sys.stdout.write(data.decode("utf-8"))
            return 0
        write_atomic(args.output, data)
    except UsageError as exc:
        fail(exc.code, str(exc), exc.hint)
        return 2
    except CodedError as exc:
        fail(exc.code, str(exc), exc.hint)
        return 3
    return 0


def _figure(model: object) -> bytes:
    """The figure for the Word report: a PNG from the embedded engine."""
    from ..render import RenderOptions, render

    return render(model, "png", RenderOptions(dpi=200.0)).data  # type: ignore[arg-type]
