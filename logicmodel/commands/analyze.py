"""Analyse a model: single points of failure, evidence scorecard, testable implications.

Fragility: the nodes and links every route from --from to --to passes through
(default: the inputs to the impact), the smallest cuts, and per outcome the
assumptions every route to it depends on. Scorecard: shares of links with a
rationale, evidence and assumptions, of outcomes with indicators, of what is
stated versus inferred. Implications: the conditional independencies the causal
skeleton implies among measured nodes (those with indicators), which a data set
could contradict. Feedback links are set aside, and the report says so.
--fail-under turns the scorecard into a CI gate.
"""

from __future__ import annotations

import argparse
import json
import sys

from .paths import add_route_arguments

HELP = "fragility, evidence scorecard and testable implications of a model"
SECTIONS = ("fragility", "priorities", "scorecard", "implications")
VIEWS = ("all", "stated", "both")  # the same as logicmodel.analysis.provenance.VIEWS


def _sections(value: str) -> list[str]:
    parts = [v.strip() for v in value.split(",") if v.strip()]
    bad = [p for p in parts if p not in SECTIONS]
    if bad:
        raise argparse.ArgumentTypeError(
            f"unknown section {bad[0]!r} (choose from {', '.join(SECTIONS)})")
    return parts


def _threshold(value: str) -> tuple[str, float]:
    key, sep, number = value.partition("=")
    try:
        share = float(number.rstrip("%")) / (100 if number.endswith("%") else 1)
    except ValueError:
        share = -1.0
    if not sep or not key.strip() or not 0 <= share <= 1:
        raise argparse.ArgumentTypeError(
            f"expected METRIC=SHARE, e.g. links_with_evidence=0.5 or =50%, not {value!r}")
    return key.strip(), share


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_route_arguments(p)
    p.add_argument("--only", type=_sections, metavar="SECTIONS",
                   help="only these sections (comma-separated): " + ", ".join(SECTIONS))
    p.add_argument("--pairs", action="store_true",
                   help="list every pairwise independency, not the grouped basis")
    p.add_argument("--fail-under", type=_threshold, action="append", default=[],
                   metavar="METRIC=SHARE",
                   help="exit 1 if a scorecard share is below SHARE (0-1 or a percentage), "
                   "e.g. links_with_evidence=0.5; repeatable")
    p.add_argument("--limit", type=int, default=50, metavar="N",
                   help="list at most N statements and N names per list in text (default: 50; "
                   "JSON lists everything)")
    p.add_argument("--budget", type=int, metavar="UNITS",
                   help="the most work the implications may take (default: the "
                   "`analysis-budget` setting, 20,000,000 units; LM802)")
    p.add_argument("--data", metavar="CSV",
                   help="test each implication on these measurements (one row per unit, one "
                   "column per measured node or indicator id): partial correlations, "
                   "Fisher's z test")
    p.add_argument("--alpha", type=float, default=0.05, metavar="LEVEL",
                   help="the chance of reporting a true theory contradicted (default: 0.05; "
                   "Holm-adjusted over every test)")
    p.add_argument("--view", choices=VIEWS, default="all",
                   help="analyse every element (all, the default; findings that rest on "
                   "inferred elements say so), only what the sources state (stated), or both "
                   "side by side")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")


def run(args: argparse.Namespace) -> int:
    from ..analysis import (
        BudgetError,
        MetricError,
        SelectorError,
        fragility,
        implications,
        priorities,
        scorecard,
        shortfalls,
        skeleton,
    )
    from ..analysis.datatest import DataError, data_test
    from ..analysis.provenance import stated_only
    from ..analysis.text import (
        format_data_test,
        format_fragility,
        format_implications,
        format_priorities,
        format_scorecard,
    )
    from ..diagnostics import escape_text
    from .common import open_for, refuse
    from .figures import fail

    if not 0 < args.alpha < 1:
        print("logicmodel analyze: --alpha must be between 0 and 1", file=sys.stderr)
        return 2
    if args.limit < 0 or (args.budget is not None and args.budget < 1):
        print("logicmodel analyze: --limit must be 0 or more and --budget 1 or more",
              file=sys.stderr)
        return 2
    opened = open_for(args, args.path, acyclic=True)
    if opened.model is None:
        return refuse(opened, "analysed")
    model, config = opened.model, opened.config
    metrics = scorecard(model)
    try:
        below = shortfalls(metrics, args.fail_under)
    except MetricError as exc:
        fail(exc.code, str(exc), exc.hint)
        return 2
    wanted = args.only or list(SECTIONS)
    budget = args.budget if args.budget is not None else config.analysis_budget
    from ..analysis.provenance import VIEW_TITLES, views_of

    views = views_of(args.view)
    per_view: dict[str, dict[str, object]] = {}
    texts: list[str] = []
    for view in views:
        seen = model if view == "all" else stated_only(model)
        sk = skeleton(seen)
        part: dict[str, object] = {}
        if len(views) > 1 or view == "stated":
            texts.append(VIEW_TITLES[view] + "\n")
        if "fragility" in wanted:
            try:
                f = fragility(seen, args.source, args.target, sk=sk)
            except SelectorError as exc:
                fail(exc.code, str(exc), exc.hint)
                return 2
            part["fragility"] = f.to_dict()
            texts.append(format_fragility(f))
        if "priorities" in wanted:
            ranked = priorities(seen, args.source, args.target, sk=sk)
            part["priorities"] = ranked.to_dict()
            texts.append(format_priorities(ranked, args.limit))
        if "scorecard" in wanted and view == views[0]:  # the whole model, whatever the view
            texts.append(format_scorecard(metrics))
        if "implications" in wanted:
            try:
                imp = implications(seen, sk, pairs=args.pairs, budget=budget)
            except BudgetError as exc:
                print(f"{escape_text(args.path)}: {exc.code} {exc}\n    hint: {exc.hint}",
                      file=sys.stderr)
                return 1
            part["implications"] = imp.to_dict()
            texts.append(format_implications(imp, args.limit, seen))
        if args.data:
            try:
                tested = data_test(seen, args.data, alpha=args.alpha, display=args.data,
                                   imp=implications(seen, sk, pairs=True, budget=budget))
            except (DataError, BudgetError) as exc:
                line = exc.line() if isinstance(exc, DataError) else (
                    f"{escape_text(args.path)}: {exc.code} {exc}\n    hint: {exc.hint}")
                print(line, file=sys.stderr)
                return 1
            part["data_test"] = tested.to_dict()
            texts.append(format_data_test(seen, tested, args.limit))
        per_view[view] = part
    data: dict[str, object] = dict(per_view[views[0]]) if len(views) == 1 else {
        "views": per_view}
    if args.view != "all":
        data["view"] = args.view
    if "scorecard" in wanted:
        data["scorecard"] = {m.key: m.to_dict() for m in metrics}
    if args.format == "json":
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write("\n".join(texts))
    for shortfall in below:
        print(f"logicmodel analyze: {shortfall.message()}", file=sys.stderr)
    return 1 if below else 0
