"""Show the declared pathways and count the routes between two parts of a model.

For each declared pathway: its nodes by stage, mechanism, the assumptions and
moderators along it, its weakest evidence and which outcomes have indicators.
Then the routes from --from to --to (node ids, kinds or stages; comma-separated
for several): the exact count, however large, a listing cut at --limit, and the
routes and links that belong to no declared pathway. Feedback links are set aside.
"""

from __future__ import annotations

import argparse
import json
import sys

from .common import add_model_options

HELP = "declared pathways, and routes between nodes or kinds (counted exactly)"


def add_route_arguments(p: argparse.ArgumentParser) -> None:
    """The model and the two ends of the routes, as `paths` and `analyze` take them."""
    p.add_argument("path", metavar="PATH", help="model file")
    add_model_options(p)
    p.add_argument("--from", dest="source", default="start", metavar="NODES",
                   help="where routes start: node ids, kinds or stages (default: `start`, the "
                   "inputs, or the earliest kind the model has when it has no inputs)")
    p.add_argument("--to", dest="target", default="end", metavar="NODES",
                   help="where routes end: node ids, kinds or stages (default: `end`, the "
                   "impact, or the results no link leads on from when it has none)")


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_route_arguments(p)
    p.add_argument("--only", choices=("pathways", "routes"),
                   help="show only the declared pathways, or only the routes")
    p.add_argument("--limit", type=int, default=10, metavar="N",
                   help="list at most N routes of each kind (default: 10; counts are exact)")
    p.add_argument("--view", choices=("all", "stated"), default="all",
                   help="follow every link (all, the default) or only the nodes and links the "
                   "sources state (stated: inferred elements left out)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")


def run(args: argparse.Namespace) -> int:
    from ..analysis import SelectorError, pathway_summaries, routes, skeleton, undeclared_links
    from ..analysis.text import format_pathways, format_routes
    from .common import open_for, refuse
    from .figures import fail

    if args.limit < 0:
        print("logicmodel paths: --limit must be 0 or more", file=sys.stderr)
        return 2
    opened = open_for(args, args.path, acyclic=True)
    if opened.model is None:
        return refuse(opened, "analysed")
    model = opened.model
    if args.view == "stated":
        from ..analysis.provenance import stated_only

        model = stated_only(model)
    sk = skeleton(model)
    try:
        report = routes(model, args.source, args.target, limit=args.limit, sk=sk)
    except SelectorError as exc:
        fail(exc.code, str(exc), exc.hint)
        return 2
    summaries = pathway_summaries(model)
    loose = undeclared_links(model, sk)
    data: dict[str, object] = {} if args.view == "all" else {"view": args.view}
    texts: list[str] = []
    if args.view == "stated":
        texts.append("== Only what the sources state (inferred elements left out) ==\n")
    if args.only in (None, "pathways"):
        data["pathways"] = [s.to_dict() for s in summaries]
        texts.append(format_pathways(summaries))
    if args.only in (None, "routes"):
        data["routes"] = report.to_dict()
        data["links_on_no_pathway"] = loose
        texts.append(format_routes(report, loose))
    if args.format == "json":
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write("\n".join(texts))
    return 0
