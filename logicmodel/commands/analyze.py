"""Analyse a model: single points of failure, evidence scorecard, testable implications.

Fragility: the nodes and links every route from --from to --to passes through
(default: the inputs to the impact), the smallest cuts, and per outcome the
assumptions every route to it depends on. Scorecard: shares of links with a
rationale, evidence and assumptions, of outcomes with indicators, of what is
stated versus inferred. Implications: the conditional independencies the causal
skeleton implies among measured nodes (those with indicators), which a data set
could contradict. Feedback links are set aside, and the report says so.
"""

from __future__ import annotations

import argparse
import json
import sys

HELP = "fragility, evidence scorecard and testable implications of a model"
SECTIONS = ("fragility", "scorecard", "implications")


def _sections(value: str) -> list[str]:
    parts = [v.strip() for v in value.split(",") if v.strip()]
    bad = [p for p in parts if p not in SECTIONS]
    if bad:
        raise argparse.ArgumentTypeError(
            f"unknown section {bad[0]!r} (choose from {', '.join(SECTIONS)})")
    return parts


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="model file")
    p.add_argument("--from", dest="source", default="input", metavar="NODES",
                   help="where routes start: node ids, kinds or stages (default: input)")
    p.add_argument("--to", dest="target", default="impact", metavar="NODES",
                   help="where routes end: node ids, kinds or stages (default: impact)")
    p.add_argument("--only", type=_sections, metavar="SECTIONS",
                   help="only these sections (comma-separated): " + ", ".join(SECTIONS))
    p.add_argument("--pairs", action="store_true",
                   help="list every pairwise independency, not the grouped basis")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")


def run(args: argparse.Namespace) -> int:
    from ..analysis import fragility, implications, scorecard, skeleton
    from ..analysis.source import checked_model, problems_text
    from ..analysis.text import format_fragility, format_implications, format_scorecard

    model, result = checked_model(args.path)
    if model is None:
        sys.stdout.write(problems_text(result))
        return 1
    sk = skeleton(model)
    wanted = args.only or list(SECTIONS)
    data: dict[str, object] = {}
    texts: list[str] = []
    if "fragility" in wanted:
        try:
            f = fragility(model, args.source, args.target, sk=sk)
        except KeyError as exc:
            print(f"logicmodel analyze: `{exc.args[0]}` is not a node id, kind or stage",
                  file=sys.stderr)
            return 2
        data["fragility"] = f.to_dict()
        texts.append(format_fragility(f))
    if "scorecard" in wanted:
        metrics = scorecard(model)
        data["scorecard"] = {m.key: m.to_dict() for m in metrics}
        texts.append(format_scorecard(metrics))
    if "implications" in wanted:
        imp = implications(model, sk, pairs=args.pairs)
        data["implications"] = imp.to_dict()
        texts.append(format_implications(imp))
    if args.format == "json":
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write("\n".join(texts))
    return 0
