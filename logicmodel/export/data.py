"""Data exports: canonical JSON and GraphML (CSV tables are sheets: :mod:`.sheets`).

* JSON is canonical: keys sorted, no ``null`` fields, UTF-8, two-space indent;
  reading it back with :meth:`LogicModel.model_validate` gives an equal model.
* GraphML (via networkx) opens in yEd, Gephi and Cytoscape; GraphML attributes
  are scalars, so lists (assumptions, moderators, indicators) are joined with
  ``"; "`` and absent values are left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..schema import LogicModel, evidence_of

__all__ = ["to_graphml", "to_json"]


def to_json(model: LogicModel) -> str:
    """The model as canonical JSON."""
    data = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _status(el: Any) -> str | None:
    p = getattr(el, "provenance", None)
    return p.status.value if p is not None and p.status is not None else None


def _evidence(el: Any) -> str | None:
    """Evidence in a cell: its grades, with `against` or `mixed` where it is not for."""
    parts = [" ".join(p for p in ((e.grade.value if e.grade else ""),
                                  ("" if e.direction in (None, "for") else str(e.direction))) if p)
             for e in evidence_of(el)]
    return "; ".join(p or "ungraded" for p in parts) or None


def _tags(tags: dict[str, list[str]]) -> str:
    """Tags in a cell: `vocabulary: value, value; vocabulary: value`."""
    return "; ".join(f"{k}: {', '.join(v)}" for k, v in tags.items())


def _value(v: Any) -> str | None:
    return None if v is None else str(getattr(v, "value", v))


def _join(items: Iterable[str]) -> str:
    return "; ".join(items)


def _scalars(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in attrs.items() if v is not None and v != ""}


def to_graphml(model: LogicModel) -> str:
    """The model as GraphML (a directed multigraph; feedback links marked ``feedback``)."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for n in model.nodes:
        if n.id in g:
            continue
        g.add_node(n.id, **_scalars({
            "label": n.label, "kind": n.kind, "stage": model.layout.stage_of(n),
            "description": n.description, "status": _status(n),
            "assumptions": _join(n.assumptions), "moderators": _join(n.moderators),
            "indicators": _join(i.id for i in getattr(n, "indicators", ())),
            "groups": _join(n.groups), "tags": _tags(n.tags),
            "role": getattr(n, "role", None), "direction": _value(getattr(n, "direction", None)),
            "evidence": _evidence(n),
        }))
    for i, lk in enumerate(model.links):
        if lk.source not in g or lk.target not in g:
            continue
        g.add_edge(lk.source, lk.target, key=lk.id or f"link{i}", **_scalars({
            "id": lk.id, "type": lk.type.value, "rationale": lk.rationale,
            "evidence": _evidence(lk),
            "assumptions": _join(lk.assumptions), "moderators": _join(lk.moderators),
            "feedback": lk.feedback, "status": _status(lk),
            "groups": _join(lk.groups), "tags": _tags(lk.tags),
        }))
    return "\n".join(nx.generate_graphml(g, prettyprint=True)) + "\n"
