"""Export a model to another format: data for other tools, or tables for papers.

Data: json (canonical; reads back to an equal model), graphml (yEd, Gephi),
csv-nodes, csv-links, csv-indicators (formulas neutralised), dagitty (for
DAGitty and its R package). Tables, as Markdown or with --style latex as a
booktabs tabular: logframe (matrix), indicator-plan, assumptions (register),
cmo (realist context-mechanism-outcome). Output goes to standard output, or to
-o FILE, written whole or not at all.
"""

from __future__ import annotations

import argparse
import sys

HELP = "export to JSON, GraphML, CSV, DAGitty, or Markdown/LaTeX tables for papers"
FORMATS = ("json", "graphml", "csv-nodes", "csv-links", "csv-indicators", "dagitty",
           "logframe", "indicator-plan", "assumptions", "cmo")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="model file")
    p.add_argument("--to", required=True, choices=FORMATS, metavar="FORMAT",
                   help="one of: " + ", ".join(FORMATS))
    p.add_argument("--style", choices=("markdown", "latex"), default="markdown",
                   help="table style for logframe, indicator-plan, assumptions, cmo")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")


def run(args: argparse.Namespace) -> int:
    from ..analysis.source import checked_model, problems_text
    from ..export import export, write_atomic

    model, result = checked_model(args.path)
    if model is None:
        sys.stdout.write(problems_text(result))
        return 1
    text = export(model, args.to, args.style)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        write_atomic(args.output, text)
    except OSError as exc:
        print(f"logicmodel export: cannot write {args.output}: "
              f"{(exc.strerror or str(exc)).lower()}", file=sys.stderr)
        return 3
    return 0
