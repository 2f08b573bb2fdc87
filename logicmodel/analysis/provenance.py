"""What the sources state and what the modeller inferred, for the analyses.

An element is *inferred* when its provenance says so (``status: inferred``); in
format 2 a pathway whose route was inferred (``route: inferred``) counts too.
Everything else is kept in the *stated-only* view: elements marked stated,
adapted, missing or truncated, and those that say nothing (with a model-level
``provenance:``, they inherit it). :func:`stated_only` builds that view as a model,
so every analysis runs on it unchanged; :func:`inferred_elements` names what it
leaves out, so reports on the whole model can say which of their findings rest
on inferred elements.

Evidence is read the same way for format 1 (one ``evidence:`` mapping with a
grade) and format 2 (a list of items, each ``for``, ``against`` or ``mixed``, with
an optional grade): :func:`evidence_items`, :func:`direction`, :func:`grade`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..schema import LogicModel
from .skeleton import link_name

__all__ = [
    "VIEWS",
    "VIEW_TITLES",
    "Inferred",
    "direction",
    "evidence_items",
    "grade",
    "inferred_elements",
    "is_inferred",
    "stated_only",
    "status_of",
    "views_of",
]

#: The views an analysis can run on (``--view``).
VIEWS = ("all", "stated", "both")
#: The heading of each view's part of a text report.
VIEW_TITLES = {"all": "== Every element, stated or inferred ==",
               "stated": "== Only what the sources state (inferred elements left out) =="}


def views_of(choice: str) -> list[str]:
    """The views ``--view CHOICE`` runs: ``both`` is every element, then the stated only."""
    return ["all", "stated"] if choice == "both" else [choice]


def status_of(element: Any, default: str | None = None) -> str | None:
    """An element's provenance status (``stated``, ``inferred``, ...), or ``default``."""
    prov = getattr(element, "provenance", None)
    status = getattr(prov, "status", None) if prov is not None else None
    if status is None:
        return default
    return str(getattr(status, "value", status))


def is_inferred(element: Any, default: str | None = None) -> bool:
    """Whether the element, or (format 2) the route of a pathway, is marked inferred."""
    if status_of(element, default) == "inferred":
        return True
    prov = getattr(element, "provenance", None)
    route = getattr(prov, "route", None) if prov is not None else None
    return str(getattr(route, "value", route)) == "inferred"


def _model_default(model: LogicModel) -> str | None:
    return status_of(model)  # format 2: a model-level provenance is inherited


@dataclass
class Inferred:
    """The inferred elements of a model, by section (link names as reports give them)."""

    nodes: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    pathways: list[str] = field(default_factory=list)

    @property
    def names(self) -> set[str]:
        return {*self.nodes, *self.links, *self.assumptions, *self.pathways}

    def __bool__(self) -> bool:
        return bool(self.nodes or self.links or self.assumptions or self.pathways)

    def to_dict(self) -> dict[str, list[str]]:
        return {"nodes": self.nodes, "links": self.links, "assumptions": self.assumptions,
                "pathways": self.pathways}


def inferred_elements(model: LogicModel) -> Inferred:
    """Every element marked inferred, in file order. A link is also counted inferred when
    one of its ends is an inferred node: it cannot be stated without them."""
    default = _model_default(model)
    nodes = [n.id for n in model.nodes if is_inferred(n, default)]
    dropped = set(nodes)
    links = [link_name(i, lk) for i, lk in enumerate(model.links)
             if is_inferred(lk, default) or lk.source in dropped or lk.target in dropped]
    return Inferred(
        nodes, links,
        [a.id for a in model.assumptions if is_inferred(a, default)],
        [p.id for p in model.pathways if is_inferred(p, default)],
    )


def stated_only(model: LogicModel) -> LogicModel:
    """The model without its inferred nodes, links, assumptions and pathways.

    Links to or from an inferred node go with it; references to dropped assumptions
    are left in place (the analyses only follow assumptions the register declares).
    """
    default = _model_default(model)
    gone = {n.id for n in model.nodes if is_inferred(n, default)}
    return model.model_copy(update={
        "nodes": [n for n in model.nodes if n.id not in gone],
        "links": [lk for lk in model.links if not is_inferred(lk, default)
                  and lk.source not in gone and lk.target not in gone],
        "assumptions": [a for a in model.assumptions if not is_inferred(a, default)],
        "pathways": [p for p in model.pathways if not is_inferred(p, default)],
    })


def evidence_items(element: Any) -> list[Any]:
    """An element's evidence as a list (format 1's single mapping is one item)."""
    ev = getattr(element, "evidence", None)
    if ev is None:
        return []
    if isinstance(ev, Iterable) and not hasattr(ev, "grade"):
        return list(ev)
    return [ev]


def direction(item: Any) -> str:
    """``for`` (the default), ``against`` or ``mixed``."""
    d = getattr(item, "direction", None)
    return "for" if d is None else str(getattr(d, "value", d))


def grade(item: Any) -> str | None:
    """The item's grade (``strong`` ... ``none``), or None when it has none."""
    g = getattr(item, "grade", None)
    return None if g is None else str(getattr(g, "value", g))
