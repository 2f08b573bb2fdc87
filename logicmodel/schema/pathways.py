"""A pathway's route, whichever way it is written: its nodes, its steps, where it starts and ends.

A pathway gives its route as ``nodes`` (a chain: each node leads to the next),
``links`` (link ids) or ``steps`` (``[from, to]`` pairs). :func:`route_of` turns
any of the three into one :class:`Route`, so that rules, figures, exports and
analyses read one shape. Nothing is checked here: the pathway rules (LM4xx)
report unknown links, steps that are not links and routes that do not connect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import LogicModel, Pathway

__all__ = ["Route", "route_of"]


@dataclass(frozen=True)
class Route:
    """The route of one pathway."""

    nodes: list[str]                       # every node on it, in the order first met
    steps: list[tuple[str, str]]           # (from, to), in the order written
    links: list[int | None]                # the model link behind each step, None if none
    start: list[str]
    end: list[str]
    form: str                              # "nodes", "links" or "steps"
    unknown_links: list[tuple[int, str]] = field(default_factory=list)  # (position, id)

    @property
    def edges(self) -> set[tuple[str, str]]:
        """The steps as a set of (from, to) pairs."""
        return set(self.steps)

    def link_indexes(self) -> list[int]:
        """The model links it follows, each once, in route order."""
        return list(dict.fromkeys(i for i in self.links if i is not None))


def route_of(model: LogicModel, pathway: Pathway) -> Route:
    """The route of ``pathway`` in ``model``."""
    pairs = model.link_index
    steps: list[tuple[str, str]] = []
    unknown: list[tuple[int, str]] = []
    if pathway.nodes:
        form = "nodes"
        steps = list(zip(pathway.nodes, pathway.nodes[1:], strict=False))
        links = [pairs.get(s) for s in steps]
    elif pathway.links:
        form = "links"
        by_id = model.link_ids
        links = []
        for j, lid in enumerate(pathway.links):
            k = by_id.get(lid)
            if k is None:
                unknown.append((j, lid))
                continue
            lk = model.links[k]
            steps.append((lk.source, lk.target))
            links.append(k)
    else:
        form = "steps"
        steps = [(a, b) for a, b in pathway.steps]
        links = [pairs.get(s) for s in steps]
    if form == "nodes":
        nodes = list(dict.fromkeys(pathway.nodes))
    else:
        nodes = list(dict.fromkeys(n for s in steps for n in s))
    if pathway.start:
        start = list(pathway.start)
    elif form == "nodes":
        start = [pathway.nodes[0]]
    else:
        has_in = {b for _, b in steps}
        start = [n for n in nodes if n not in has_in]
    if pathway.end:
        end = list(pathway.end)
    elif form == "nodes":
        end = [pathway.nodes[-1]]
    else:
        has_out = {a for a, _ in steps}
        end = [n for n in nodes if n not in has_out]
    return Route(nodes, steps, links, start, end, form, unknown)
