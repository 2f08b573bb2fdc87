"""Declared pathways and the routes between parts of a model.

:func:`pathway_summaries` describes each declared pathway: its nodes by stage,
its mechanism, the assumptions and moderators along it, the weakest evidence
grade on its links, and which of its outcomes have indicators.

:func:`routes` answers "which routes lead from X to Y?" for node ids, kinds or
stages: the exact count, a capped listing that says when it was cut, and the
routes that belong to no declared pathway (the model's undeclared theory). A
route belongs to a pathway when it runs along the whole pathway (starting
earlier or ending later, perhaps) or along a part of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from ..schema import RESULT_KINDS, EvidenceGrade, LogicModel, grade_of
from .routes import list_routes, route_set
from .skeleton import END, START, Edge, Skeleton, skeleton

__all__ = [
    "PathwaySummary",
    "RouteReport",
    "pathway_chains",
    "pathway_summaries",
    "routes",
    "undeclared_links",
]

_GRADE_ORDER = [g.value for g in EvidenceGrade]  # strongest first


@dataclass
class PathwaySummary:
    """What a reader needs to know about one declared pathway."""

    id: str
    label: str
    mechanism: str | None
    stages: list[tuple[str, list[str]]]
    links: list[str]
    assumptions: list[tuple[str, str]]
    moderators: list[tuple[str, str]]
    weakest_grade: str | None
    ungraded_links: list[str]
    outcomes: list[tuple[str, list[str]]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "mechanism": self.mechanism,
            "stages": [{"stage": s, "nodes": ns} for s, ns in self.stages],
            "links": self.links,
            "assumptions": [{"id": a, "on": on} for a, on in self.assumptions],
            "moderators": [{"id": m, "on": on} for m, on in self.moderators],
            "weakest_evidence": self.weakest_grade,
            "ungraded_links": self.ungraded_links,
            "outcomes": [{"id": o, "indicators": inds} for o, inds in self.outcomes],
        }


def _add(seen: list[tuple[str, str]], ids: list[str], on: str) -> None:
    for x in ids:
        if all(x != s for s, _ in seen):
            seen.append((x, on))


def pathway_summaries(model: LogicModel) -> list[PathwaySummary]:
    """One summary per declared pathway, in file order."""
    nodes: dict[str, Any] = {}
    for n in model.nodes:
        nodes.setdefault(n.id, n)
    out: list[PathwaySummary] = []
    for p in model.pathways:
        by_stage: dict[str, list[str]] = {}
        assumptions: list[tuple[str, str]] = []
        moderators: list[tuple[str, str]] = []
        links: list[str] = []
        ungraded: list[str] = []
        grades: list[str] = []
        outcomes: list[tuple[str, list[str]]] = []
        route = model.route(p)
        # A chain reads node, link, node...; a branching pathway its nodes, then its links.
        items: list[tuple[str | None, int | None]] = (
            [(nid, route.links[k] if k < len(route.links) else None)
             for k, nid in enumerate(p.nodes)] if route.form == "nodes"
            else [(nid, None) for nid in route.nodes] + [(None, i) for i in route.links])
        seen_links: set[int] = set()
        for nid, index in items:
            node = nodes.get(nid) if nid is not None else None
            if node is not None:
                by_stage.setdefault(model.layout.stage_of(node), []).append(node.id)
                _add(assumptions, node.assumptions, node.id)
                _add(moderators, node.moderators, node.id)
                if node.kind in RESULT_KINDS:
                    outcomes.append((node.id, [i.id for i in getattr(node, "indicators", ())]))
            if index is None or index in seen_links:
                continue
            seen_links.add(index)
            link = model.links[index]
            name = link.id or f"{link.source}->{link.target}"
            links.append(name)
            _add(assumptions, link.assumptions, name)
            _add(moderators, link.moderators, name)
            grade = grade_of(link)
            if grade is None:
                ungraded.append(name)
            else:
                grades.append(grade.value)
        weakest = max(grades, key=_GRADE_ORDER.index) if grades else None
        stages = [(s, by_stage[s]) for s in model.layout.ids if s in by_stage]
        out.append(PathwaySummary(p.id, p.label, p.mechanism, stages, links, assumptions,
                                  moderators, weakest, ungraded, outcomes))
    return out


@dataclass
class RouteReport:
    """Routes from ``sources`` to ``targets``: counts and capped listings."""

    source_selector: str
    target_selector: str
    sources: list[str]
    targets: list[str]
    count: int
    listed: list[list[Edge]]
    undeclared_count: int
    undeclared: list[list[Edge]]
    limit: int
    feedback: list[str] = field(default_factory=list)
    chosen: list[str] = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        return self.count > len(self.listed)

    @property
    def undeclared_truncated(self) -> bool:
        return self.undeclared_count > len(self.undeclared)

    def to_dict(self) -> dict[str, Any]:
        def route(r: list[Edge]) -> dict[str, Any]:
            return {"nodes": [r[0].source, *(e.target for e in r)],
                    "links": [e.name for e in r]}

        return {
            "from": self.source_selector,
            "to": self.target_selector,
            "sources": self.sources,
            "targets": self.targets,
            "feedback_links_set_aside": self.feedback,
            "chosen": self.chosen,
            "count": self.count,
            "limit": self.limit,
            "truncated": self.truncated,
            "routes": [route(r) for r in self.listed],
            "undeclared": {
                "count": self.undeclared_count,
                "truncated": self.undeclared_truncated,
                "routes": [route(r) for r in self.undeclared],
            },
        }


def routes(model: LogicModel, source: str = START, target: str = END, *,
           limit: int = 10, sk: Skeleton | None = None) -> RouteReport:
    """Count and list the routes from ``source`` to ``target`` (ids, kinds or stages;
    ``start`` and ``end``: where the model starts and ends, see :meth:`Skeleton.ends`).

    Raises:
        SelectorError: a selector names no node, kind or stage (LM803).
    """
    sk = sk or skeleton(model)
    start, end = sk.ends(source), sk.ends(target)
    sources, targets = start.ids, end.ids
    everything = route_set(sk, sources, targets)
    declared = pathway_chains(model)
    outside = route_set(sk, sources, targets, avoid=declared)
    # Routes along part of a pathway belong to it too; there are few, so they are listed.
    parts = _pathway_parts(sk, declared, set(sources), set(targets))
    count = outside.count - sum(parts.values())
    listed = [r for r in list_routes(outside, limit + len(parts))
              if (r[0].source, *(e.target for e in r)) not in parts][:limit]
    return RouteReport(start.label, end.label, sources, targets, everything.count,
                       list_routes(everything, limit), count, listed, limit,
                       [e.name for e in sk.feedback],
                       [c for c in (start.chosen, end.chosen) if c])


def pathway_chains(model: LogicModel) -> list[list[str]]:
    """Each declared pathway as the node chains it runs along, in file order.

    A pathway written as ``nodes`` is its own chain; a branching one (``links`` or
    ``steps``) gives every chain along its steps from one of its starts to one of its
    ends, so a route "runs along the pathway" when it runs along one of them.
    """
    out: list[list[str]] = []
    for p in model.pathways:
        r = model.route(p)
        if r.form == "nodes":
            out.append(list(p.nodes))
            continue
        after: dict[str, list[str]] = {}
        for a, b in dict.fromkeys(r.steps):
            after.setdefault(a, []).append(b)
        ends = set(r.end)
        stack = [[s] for s in reversed(r.start)]
        while stack:
            chain = stack.pop()
            if chain[-1] in ends and len(chain) > 1:
                out.append(chain)
            stack.extend([*chain, b] for b in reversed(after.get(chain[-1], []))
                         if b not in chain)
    return out


def _contains(route: Sequence[str], part: Sequence[str]) -> bool:
    n = len(part)
    return any(tuple(route[i:i + n]) == tuple(part) for i in range(len(route) - n + 1))


def _pathway_parts(sk: Skeleton, declared: list[list[str]], sources: set[str],
                   targets: set[str]) -> dict[tuple[str, ...], int]:
    """Node sequences that run along part of a pathway, from a source to a target, and
    contain no whole pathway; each with its number of routes (parallel links multiply)."""
    out: dict[tuple[str, ...], int] = {}
    for p in declared:
        for i, a in enumerate(p):
            if a not in sources:
                continue
            for j in range(i + 1, len(p)):
                part = tuple(p[i:j + 1])
                if p[j] not in targets or part in out:
                    continue
                if any(_contains(part, q) for q in declared):
                    continue  # already left out as containing a pathway
                ways = 1
                for u, v in pairwise(part):
                    ways *= sum(1 for e in sk.out_edges.get(u, ()) if e.target == v)
                if ways:
                    out[part] = ways
    return out


def undeclared_links(model: LogicModel, sk: Skeleton | None = None) -> list[str]:
    """Links (feedback aside) that no declared pathway follows, in file order."""
    sk = sk or skeleton(model)
    on_pathway = {e for r in model.routes for e in r.steps}
    return [e.name for e in sk.edges if (e.source, e.target) not in on_pathway]
