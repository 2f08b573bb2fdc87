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
    p.add_argument("--view", choices=("all", "stated", "both"), default="all",
                   help="follow every link (all, the default), only the nodes and links the "
                   "sources state (stated: inferred elements left out), or both in turn")
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
    from ..analysis.provenance import VIEW_TITLES, stated_only, views_of

    views = views_of(args.view)
    per_view: dict[str, dict[str, object]] = {}
    texts: list[str] = []
    for view in views:
        model = opened.model if view == "all" else stated_only(opened.model)
        sk = skeleton(model)
        try:
            report = routes(model, args.source, args.target, limit=args.limit, sk=sk)
        except SelectorError as exc:
            fail(exc.code, str(exc), exc.hint)
            return 2
        part: dict[str, object] = {}
        if len(views) > 1 or view == "stated":
            texts.append(VIEW_TITLES[view] + "\n")
        if args.only in (None, "pathways"):
            summaries = pathway_summaries(model)
            part["pathways"] = [s.to_dict() for s in summaries]
            texts.append(format_pathways(summaries))
        if args.only in (None, "routes"):
            loose = undeclared_links(model, sk)
            part["routes"] = report.to_dict()
            part["links_on_no_pathway"] = loose
            texts.append(format_routes(report, loose))
        per_view[view] = part
    data: dict[str, object] = (dict(per_view[views[0]]) if len(views) == 1
                               else {"views": per_view})
    if args.view != "all":
        data = {"view": args.view, **data}
    if args.format == "json":
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write("\n".join(texts))
    return 0
