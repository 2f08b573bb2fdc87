"""Plain-text reports of the analyses, for people (JSON comes from each result's ``to_dict``).

User text (labels) is escaped with :func:`~logicmodel.diagnostics.escape_text`,
so a label can never write control sequences to a terminal or a CI log.
"""

from __future__ import annotations

from ..diagnostics import escape_text
from ..schema import LogicModel
from .datatest import DataTest
from .fragility import Fragility
from .implications import Implications
from .paths import PathwaySummary, RouteReport
from .priorities import Priorities
from .scorecard import Metric
from .skeleton import Edge

__all__ = [
    "format_data_test",
    "format_fragility",
    "format_implications",
    "format_pathways",
    "format_priorities",
    "format_routes",
    "format_scorecard",
]


#: The most names or statements a text report lists in one place; the rest are counted.
#: JSON output is never cut.
LIST_LIMIT = 50


def _list(items: list[str], empty: str = "none", limit: int = LIST_LIMIT) -> str:
    if not items:
        return empty
    if len(items) <= limit:
        return ", ".join(items)
    return (", ".join(items[:limit])
            + f" ... and {len(items) - limit:,} more (--format json lists them all)")


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def format_pathways(summaries: list[PathwaySummary]) -> str:
    """Each declared pathway: stages, links, assumptions, moderators, evidence, indicators."""
    if not summaries:
        return "No declared pathways.\n"
    out = [f"Declared pathways: {len(summaries)}"]
    for p in summaries:
        out += ["", f"{p.id}: {escape_text(p.label)}"]
        out.append(f"  mechanism: {p.mechanism or 'none named'}")
        out += [f"  {stage}: {', '.join(ids)}" for stage, ids in p.stages]
        out.append(f"  links: {_list(p.links)}")
        out.append("  assumptions: " + _list([f"{a} (on {on})" for a, on in p.assumptions]))
        out.append("  moderators: " + _list([f"{m} (on {on})" for m, on in p.moderators]))
        weakest = p.weakest_grade or "no link has graded evidence"
        out.append(f"  weakest evidence: {weakest}")
        if p.ungraded_links:
            out.append(f"  links without graded evidence: {_list(p.ungraded_links)}")
        measured = [f"{o} ({', '.join(i)})" for o, i in p.outcomes if i]
        unmeasured = [o for o, i in p.outcomes if not i]
        out.append(f"  outcomes with indicators: {_list(measured)}")
        if unmeasured:
            out.append(f"  outcomes without indicators: {_list(unmeasured)}")
    return "\n".join(out) + "\n"


def _route(r: list[Edge]) -> str:
    return " -> ".join([r[0].source, *(e.target for e in r)])


def _routes_block(title: str, count: int, listed: list[list[Edge]], cut: bool) -> list[str]:
    out = [f"{title}: {count:,}"]
    out += [f"  {i}. {_route(r)}" for i, r in enumerate(listed, 1)]
    if cut:
        more = count - len(listed)
        out.append(f"  ... {more:,} more not listed (limit {len(listed)}; use --limit)")
    return out


def format_routes(report: RouteReport, undeclared_links: list[str] | None = None) -> str:
    """Route counts and listings, declared or not."""
    head = (f"Routes from {report.source_selector} ({_list(report.sources)}) "
            f"to {report.target_selector} ({_list(report.targets)})")
    out = [head]
    out += [f"Chosen: {c}" for c in report.chosen]
    if report.feedback:
        out.append(f"Feedback links set aside: {_list(report.feedback)}")
    out.append("")
    out += _routes_block("Routes", report.count, report.listed, report.truncated)
    out.append("")
    out += _routes_block("Routes on no declared pathway", report.undeclared_count,
                         report.undeclared, report.undeclared_truncated)
    if undeclared_links is not None:
        out += ["", f"Links on no declared pathway: {_list(undeclared_links)}"]
    return "\n".join(out) + "\n"


def _marked(items: list[str], inferred: list[str]) -> list[str]:
    return [f"{x} [inferred]" if x in inferred else x for x in items]


def format_fragility(f: Fragility) -> str:
    """Single points of failure, minimum cuts, and the assumptions every route needs;
    the inferred elements among them are marked ``[inferred]``."""
    out = [f"Fragility: {_plural(f.routes, 'route')} from {_list(f.sources)} "
           f"to {_list(f.targets)}"]
    out += [f"  chosen: {c}" for c in f.chosen]
    if f.feedback:
        out.append(f"  feedback links set aside: {_list(f.feedback)}")
    inf = f.inferred
    out.append(f"  nodes every route passes through: {_list(_marked(f.critical_nodes, inf))}")
    out.append(f"  links every route passes through: {_list(_marked(f.critical_links, inf))}")
    if f.link_cut is not None:
        out.append(f"  fewest links whose loss cuts every route: {len(f.link_cut)} "
                   f"({_list(_marked(f.link_cut, inf))})")
    if f.node_cut is not None:
        out.append(f"  fewest intermediate nodes whose loss cuts every route: "
                   f"{len(f.node_cut)} ({_list(_marked(f.node_cut, inf))})")
    if inf:
        out.append(f"  these findings rest on inferred elements: {_list(inf)} (the source "
                   "does not state them; compare --view stated)")
    out += ["", "Assumptions every route to an outcome depends on:"]
    out += [f"  {o}: {_list(a)}" for o, a in f.outcome_assumptions]
    if not f.outcome_assumptions:
        out.append("  none: no outcome is reached from the inputs")
    return "\n".join(out) + "\n"


def format_scorecard(metrics: list[Metric]) -> str:
    """The scorecard as aligned lines: label, count of total, share, metric name."""
    width = max(len(m.label) for m in metrics)
    out = ["Scorecard (metric names for --fail-under on the right):"]
    for m in metrics:
        share = f"{m.count / m.total:6.1%}" if m.total else "     -"
        out.append(f"  {m.label:<{width}}  {m.count:>4}/{m.total:<4} {share}  {m.key}")
    named = [m for m in metrics if m.rule and m.lacking]
    if named:
        out += ["", "Behind the shares (`check --select CODE` names each with its line):"]
        out += [f"  {m.key} ({m.rule}): lacking in {_list(list(m.lacking), limit=10)}"
                for m in named]
    return "\n".join(out) + "\n"


def format_implications(imp: Implications, limit: int = LIST_LIMIT,
                        model: LogicModel | None = None) -> str:
    """The testable implications, one grouped statement per line, at most ``limit``;
    with the ``model``, each also in words, with the nodes' labels."""
    out = [f"Testable implications among {_plural(len(imp.measured), 'measured node')} "
           "(those with indicators):"]
    if imp.feedback:
        out.append(f"  feedback links set aside: {_list(imp.feedback)}")
    if not imp.statements:
        out.append("  none: no two measured nodes can be separated by measured nodes")
    for s in imp.statements[:limit]:
        given = f" | {_list(list(s.given), limit=limit)}" if s.given else ""
        rests = (f"  [rests on inferred {_list(list(s.rests_on), limit=limit)}]"
                 if s.rests_on else "")
        out.append(f"  {s.x} _||_ {_list(list(s.ys), limit=limit)}{given}{rests}")
        if model is not None:
            from .datatest import in_words

            words = in_words(model, s.x, s.ys[:limit], s.given)
            if len(s.ys) > limit:
                words += f" (and {len(s.ys) - limit:,} more)"
            out.append(f"    in words: {escape_text(words)}")
    if len(imp.statements) > limit:
        out.append(f"  ... {len(imp.statements) - limit:,} more statements not listed "
                   f"(limit {limit}; use --limit or --format json)")
    out.append(f"  ({_plural(imp.pairs, 'pair')} implied independent; "
               f"{_plural(imp.untestable_pairs, 'pair')} joined by a latent common cause; "
               f"{_plural(imp.adjacent_pairs, 'pair')} linked directly)")
    return "\n".join(out) + "\n"


def format_priorities(p: Priorities, limit: int = LIST_LIMIT) -> str:
    """Where to look first: the ranked weak points, each with the routes it carries."""
    out = [f"Where to look first ({_plural(p.routes, 'route')} from {_list(p.sources)} "
           f"to {_list(p.targets)}):"]
    out += [f"  chosen: {c}" for c in p.chosen]
    if not p.items:
        out.append("  nothing: no contested link, high-risk assumption or link without "
                   "evidence")
    for i, item in enumerate(p.items[:limit], 1):
        share = f" ({item.share:.0%})" if item.share is not None else ""
        mark = " [inferred]" if item.inferred else ""
        on = f"; on {_list(list(item.on), limit=limit)}" if item.on else ""
        out.append(f"  {i}. {item.kind} {item.id}{mark}: carries "
                   f"{_plural(item.routes, 'route')}{share}; {escape_text(item.why)}{on}")
    if len(p.items) > limit:
        out.append(f"  ... {len(p.items) - limit:,} more not listed (limit {limit}; "
                   "use --limit or --format json)")
    if p.off_route:
        out.append(f"  links without evidence on no route here: {_list(p.off_route, limit=limit)}")
    return "\n".join(out) + "\n"


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def format_data_test(model: LogicModel, t: DataTest, limit: int = LIST_LIMIT) -> str:
    """The implications tested on data, contradictions first, in plain words."""
    from .datatest import in_words

    out = [f"Data test: {_plural(len(t.tests), 'implication')} tested on {t.rows:,} rows of "
           f"{escape_text(t.source)}",
           f"  method: {t.method}; a true theory is reported contradicted in at most "
           f"{t.alpha:.0%} of data sets"]
    bad = t.contradicted
    if not bad:
        out.append(f"  no implication is contradicted at {t.alpha:.0%}")
    for c in bad[:limit]:
        out.append(f"  CONTRADICTED: {c.x} _||_ {c.y}"
                   + (f" | {', '.join(c.given)}" if c.given else ""))
        out.append(f"    the theory says: {escape_text(in_words(model, c.x, [c.y], c.given))};")
        out.append(f"    the data show a partial correlation of {c.r:+.2f} (95% interval "
                   f"{c.low:+.2f} to {c.high:+.2f}), {_p(c.p_adjusted)} after Holm's "
                   f"adjustment over {len(t.tests)} tests: look for a link the model leaves "
                   "out, or a common cause of both")
    if len(bad) > limit:
        out.append(f"  ... {len(bad) - limit:,} more contradictions not listed (limit {limit})")
    passed = len(t.tests) - len(bad)
    if passed:
        out.append(f"  {_plural(passed, 'implication')} not contradicted (largest partial "
                   "correlation "
                   f"{max((abs(x.r) for x in t.tests if not x.contradicted), default=0):.2f})")
    if t.untested:
        missing = sorted({name for _, _, w in t.untested if w.startswith("no column for ")
                          for name in w.removeprefix("no column for ").split(", ")})
        out.append(f"  {_plural(len(t.untested), 'implication')} not tested"
                   + (f": no column for {_list(missing, limit=limit)}" if missing else ""))
    return "\n".join(out) + "\n"
