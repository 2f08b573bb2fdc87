"""Where to look first: the weak points of a theory, ranked by how much of it they carry.

An evaluation cannot test everything, so it starts where a failure would cost the
most and the theory is least sure of itself. :func:`priorities` lists

1. **contested links**: evidence against them, or mixed (format 2's
   ``direction: against`` or ``mixed``);
2. **high-risk assumptions** (``risk: high``), and conditions written as boxes with
   ``risk: high``;
3. **links without evidence**;

(links without evidence on no route between the two ends are counted, not
ranked), each with the number of routes from where the model starts to where it ends that
it carries (a link: the routes through it; an assumption: the routes through any
link or node that rests on it), in that order of concern, and within each kind the
one carrying most routes first. Ties keep file order. Inferred links are marked.
The route counts come from the same pass as the single points of failure
(:mod:`.routes`), so ranking costs linear time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..schema import LogicModel
from .fragility import _ways
from .provenance import direction, evidence_items, grade, inferred_elements, is_inferred
from .routes import route_set
from .skeleton import END, START, Skeleton, skeleton

__all__ = ["Priorities", "Priority", "priorities"]

_KINDS = ("contested link", "high-risk assumption", "link without evidence")


@dataclass(frozen=True)
class Priority:
    """One weak point: what it is, why it is listed, and how many routes it carries."""

    kind: str          # one of "contested link", "high-risk assumption", "link without evidence"
    id: str
    why: str
    routes: int
    share: float | None
    inferred: bool = False
    on: tuple[str, ...] = ()  # for an assumption: the links and nodes that rest on it

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "why": self.why, "routes": self.routes,
                "share_of_routes": self.share, "inferred": self.inferred, "on": list(self.on)}


@dataclass
class Priorities:
    """The ranked list, with the routes it was ranked against."""

    sources: list[str]
    targets: list[str]
    routes: int
    items: list[Priority] = field(default_factory=list)
    chosen: list[str] = field(default_factory=list)
    #: links without evidence that carry no route between the two ends (left out)
    off_route: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.sources, "to": self.targets, "routes": self.routes,
                "chosen": self.chosen, "where_to_look_first": [p.to_dict() for p in self.items],
                "links_without_evidence_on_no_route": self.off_route}


def _contest(link: Any) -> str | None:
    """Why a link is contested, or None: its evidence against, or mixed."""
    items = evidence_items(link)
    against = [e for e in items if direction(e) == "against"]
    mixed = [e for e in items if direction(e) == "mixed"]
    if not against and not mixed:
        return None
    parts = []
    for word, found in (("against", against), ("mixed", mixed)):
        if found:
            notes = [str(getattr(e, "note", "") or "") for e in found]
            graded = [g for g in (grade(e) for e in found) if g]
            text = f"{len(found)} item{'s' if len(found) > 1 else ''} of evidence {word}"
            if graded:
                text += f" ({', '.join(graded)})"
            note = next((n for n in notes if n), "")
            if note:
                text += f": {note}"
            parts.append(text)
    return "; ".join(parts)


def priorities(model: LogicModel, source: str = START, target: str = END,
               sk: Skeleton | None = None) -> Priorities:
    """The weak points of the theory between ``source`` and ``target``, ranked.

    Raises:
        SelectorError: a selector names no node, kind or stage.
    """
    sk = sk or skeleton(model)
    start, end = sk.ends(source), sk.ends(target)
    rs = route_set(sk, start.ids, end.ids)
    total = rs.count
    inferred = set(inferred_elements(model).names)

    def through_link(u: str, v: str) -> int:
        return rs.ways.get(u, {}).get(0, 0) * rs.ahead.get(v, {}).get(0, 0)

    def share(n: int) -> float | None:
        return round(n / total, 3) if total else None

    ranked: list[tuple[int, int, int, Priority]] = []
    off_route: list[str] = []
    for pos, e in enumerate(sk.edges):
        link = sk.link(e)
        carried = through_link(e.source, e.target)
        why = _contest(link)
        if why is not None:
            ranked.append((0, -carried, pos, Priority(_KINDS[0], e.name, why, carried,
                                                      share(carried), e.name in inferred)))
        elif not evidence_items(link) and total and not carried:
            off_route.append(e.name)
        elif not evidence_items(link):
            ranked.append((2, -carried, pos, Priority(
                _KINDS[2], e.name, "no evidence recorded for this link", carried,
                share(carried), e.name in inferred)))
    # assumptions (and conditions) at high risk: the routes that pass anything resting on them
    base = _ways(sk, start.ids, set(), set()) if total else {}
    reached = sum(base.get(t, 0) for t in end.ids)
    for pos, a in enumerate(model.assumptions):
        if a.risk != "high":
            continue
        nodes = {n for n, node in sk.nodes.items() if a.id in node.assumptions}
        links = {e.index for e in sk.edges if a.id in sk.link(e).assumptions}
        on = (*(n for n in sk.nodes if n in nodes),
                    *(e.name for e in sk.edges if e.index in links))
        carried = 0
        if total and (nodes or links):
            without = _ways(sk, start.ids, nodes, links)
            carried = reached - sum(without.get(t, 0) for t in end.ids)
        why = f"risk: high; {a.label}"
        ranked.append((1, -carried, pos, Priority(_KINDS[1], a.id, why, carried, share(carried),
                                                  is_inferred(a), on)))
    for pos, (n, node) in enumerate(sk.nodes.items()):
        if str(node.kind) == "condition" and getattr(node, "risk", None) == "high":
            carried = (rs.ways.get(n, {}).get(0, 0) * rs.ahead.get(n, {}).get(0, 0))
            ranked.append((1, -carried, len(model.assumptions) + pos, Priority(
                _KINDS[1], n, f"a condition at risk: high; {node.label}", carried,
                share(carried), n in inferred)))
    ranked.sort(key=lambda t: t[:3])
    return Priorities(start.ids, end.ids, total, [t[3] for t in ranked],
                      [c for c in (start.chosen, end.chosen) if c], off_route)
