"""An evaluation plan from the theory: the evaluation matrix of theory-based evaluation.

In contribution analysis and the Magenta Book's theory-based evaluation, an
evaluation starts from the theory of change: each causal claim becomes an
evaluation question, answered by indicators with data sources, and tested
against the assumptions it rests on. :func:`evaluation_plan` builds that matrix
from a model:

* one row per **declared pathway**: does it work, through its mechanism?
* one row per **contested link** (evidence against or mixed), per **single point
  of failure** (a link every route passes through) and per link carrying a
  **high-risk assumption**: does this step hold?

in the order of :func:`~.priorities.priorities` (where to look first). Each row
gives the question, why it matters, the indicators and data sources that answer
it (those of the nodes at either end), and the assumptions to test. The result
is a :class:`~logicmodel.export.tables.Table`, so the same function gives
Markdown, LaTeX, CSV and Word (``export --to evaluation-plan``).
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

from ..schema import LogicModel
from .fragility import fragility
from .priorities import priorities
from .provenance import inferred_elements
from .routes import route_set
from .skeleton import skeleton

if TYPE_CHECKING:
    from ..export.tables import Table

__all__ = ["evaluation_plan", "evaluation_rows"]

HEADER = ["Evaluation question", "Why it matters", "Indicators and data sources",
          "Assumptions to test"]


def _indicators(nodes: dict[str, Any], ids: list[str]) -> str:
    parts: list[str] = []
    for nid in ids:
        for ind in getattr(nodes.get(nid), "indicators", None) or ():
            source = f" ({ind.data_source})" if ind.data_source else " (no data source yet)"
            text = f"{ind.id}: {ind.measure}{source}"
            if text not in parts:
                parts.append(text)
    return "; ".join(parts) if parts else "none yet: add an indicator"


def _assumptions(model: LogicModel, ids: list[str]) -> str:
    labels = {a.id: a for a in model.assumptions}
    out = []
    for a in dict.fromkeys(ids):
        found = labels.get(a)
        if found is None:
            continue
        risk = f" (risk: {found.risk})" if found.risk else ""
        out.append(f"{found.label}{risk}")
    return "; ".join(out) if out else "none recorded"


def evaluation_rows(model: LogicModel) -> list[list[str]]:
    """The rows of the evaluation matrix (see the module docstring), as text cells."""
    sk = skeleton(model)
    nodes: dict[str, Any] = dict(sk.nodes)
    inferred = inferred_elements(model).names

    def label(nid: str) -> str:
        node = nodes.get(nid)
        return f"“{node.label}”" if node is not None else nid

    rows: list[list[str]] = []
    for p in model.pathways:
        route = model.route(p)  # a chain, or a branching pathway's links or steps
        ids = [n for n in route.nodes if n in nodes]
        if not ids:
            continue
        # a branching pathway may start or end at more than one node
        first = " or ".join(label(n) for n in route.start if n in nodes) or label(ids[0])
        last = " or ".join(label(n) for n in route.end if n in nodes) or label(ids[-1])
        mech = f", through {label(p.mechanism)}" if p.mechanism else ""
        question = (f"Does the pathway “{p.label}” work: does {first} lead to "
                    f"{last}{mech}?")
        why = "a declared pathway of the theory"
        marked = [n for n in ids if n in inferred]
        if marked:
            why += f"; rests on inferred {', '.join(marked)}"
        steps = set(pairwise(ids)) if route.form == "nodes" else set(route.steps)
        held = [a for n in ids for a in nodes[n].assumptions]
        held += [a for lk in model.links if (lk.source, lk.target) in steps
                 for a in lk.assumptions]
        rows.append([question, why, _indicators(nodes, ids), _assumptions(model, held)])
    ranked = priorities(model, sk=sk)
    critical = set(fragility(model, sk=sk).critical_links) if ranked.routes else set()
    reasons: dict[str, list[str]] = {}
    for item in ranked.items:
        if item.kind == "contested link":
            reasons.setdefault(item.id, []).append(f"contested: {item.why}")
        elif item.kind == "high-risk assumption":
            for on in item.on:
                reasons.setdefault(on, []).append(f"rests on a high-risk assumption ({item.id})")
    for name in sorted(critical, key=lambda n: [e.name for e in sk.edges].index(n)):
        reasons.setdefault(name, []).append("every route passes through it")
    order: dict[str, int] = {}
    for i, item in enumerate(ranked.items):
        for name in (item.id, *item.on):
            order.setdefault(name, i)
    by_name = {e.name: e for e in sk.edges}
    rs = route_set(sk, ranked.sources, ranked.targets)
    for name in sorted(reasons, key=lambda n: (order.get(n, len(order)), n)):
        e = by_name.get(name)
        if e is None:
            continue  # a node carrying a high-risk assumption: its pathway row covers it
        link = sk.link(e)
        routes = (rs.ways.get(e.source, {}).get(0, 0)
                  * rs.ahead.get(e.target, {}).get(0, 0))
        why = "; ".join(reasons[name])
        if ranked.routes:
            why += f"; carries {routes:,} of {ranked.routes:,} routes"
        if name in inferred:
            why += "; inferred by the modeller"
        question = f"Does {label(e.source)} lead to {label(e.target)} (link {name})?"
        rows.append([question, why, _indicators(nodes, [e.source, e.target]),
                     _assumptions(model, [*link.assumptions, *nodes[e.target].assumptions])])
    return rows


def evaluation_plan(model: LogicModel) -> Table:
    """The evaluation matrix as a table (Markdown, LaTeX, CSV or Word from the exports)."""
    from ..export.tables import Table

    return Table("Evaluation plan", list(HEADER), evaluation_rows(model), [0.3, 0.22, 0.28, 0.2])
