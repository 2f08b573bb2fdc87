"""What a rule sees: the model, indexes over it, and the light-weight graph.

Indexes are built once per model and shared by every rule. Nothing here
imports networkx: ``logicmodel check`` runs in pre-commit hooks and must start
fast (see :mod:`logicmodel.graph`).

A rule that looks at one element at a time (declared ``local``, see
:func:`.registry.rule`) walks a section with :meth:`Context.elements`: every
element, or, when a variant is re-checked (:mod:`.incremental`), only those the
variant adds or changes, with their positions in the whole model.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..diagnostics import Path
from ..graph import FlowGraph, flow_graph
from ..schema import AnyNode, Layout, LogicModel, field_value

__all__ = ["HOLDER_SECTIONS", "CheckOptions", "Context", "provenance_holders"]


HOLDER_SECTIONS = ("nodes", "links", "assumptions", "moderators", "pathways")


def provenance_holders(model: LogicModel, only: dict[str, list[int]] | None = None
                       ) -> Iterator[tuple[Path, Any]]:
    """Every element that can carry ``provenance:``, with its path, in file order.

    The model itself (its own ``provenance:``) is not among them. ``only`` limits
    each section to the elements at those positions.
    """
    for section in HOLDER_SECTIONS:
        items = getattr(model, section)
        indices = only.get(section, ()) if only is not None else range(len(items))
        for i in indices:
            el = items[i]
            yield (section, i), el
            for j, ind in enumerate(field_value(el, "indicators", ())):
                yield (section, i, "indicators", j), ind


@dataclass(frozen=True)
class CheckOptions:
    """Settings that change what rules look for (from configuration)."""

    max_label_length: int = 60
    require_provenance: bool = False
    require_indicators: bool = True


@dataclass
class Context:
    """The model under check and everything rules share about it."""

    model: LogicModel
    options: CheckOptions = field(default_factory=CheckOptions)
    only: dict[str, list[int]] | None = None
    """Positions of the elements a local rule looks at, by section (None: all)."""

    def elements(self, section: str) -> Iterator[tuple[int, Any]]:
        """(position, element) for the elements of ``section`` a local rule looks at."""
        items = getattr(self.model, section)
        if self.only is None:
            yield from enumerate(items)
        else:
            for i in self.only.get(section, ()):
                yield i, items[i]

    def holders(self) -> Iterator[tuple[Path, Any]]:
        """:func:`provenance_holders` of the elements a local rule looks at."""
        return provenance_holders(self.model, self.only)

    @cached_property
    def nodes(self) -> dict[str, AnyNode]:
        """Node id -> node (the first, where an id is duplicated)."""
        out: dict[str, AnyNode] = {}
        for n in self.model.nodes:
            out.setdefault(n.id, n)
        return out

    @cached_property
    def node_index(self) -> dict[str, int]:
        """Node id -> position in ``nodes:`` (the first, where duplicated)."""
        out: dict[str, int] = {}
        for i, n in enumerate(self.model.nodes):
            out.setdefault(n.id, i)
        return out

    @cached_property
    def stage(self) -> dict[str, str]:
        """Node id -> stage (diagram column)."""
        layout = self.layout
        return {nid: layout.stage_of(n) for nid, n in self.nodes.items()}

    @property
    def layout(self) -> Layout:
        """The model's stages, resolved."""
        return self.model.layout

    @cached_property
    def placeholders(self) -> set[str]:
        """Ids of nodes that stand for a box the source does not show (`status: missing`).

        Rules do not ask of them what the source cannot give: links, indicators, a
        short label.
        """
        return {nid for nid, n in self.nodes.items()
                if n.provenance is not None and n.provenance.status == "missing"}

    @cached_property
    def assumption_ids(self) -> set[str]:
        return {a.id for a in self.model.assumptions}

    @cached_property
    def moderator_ids(self) -> set[str]:
        return {m.id for m in self.model.moderators}

    @cached_property
    def reference_ids(self) -> set[str]:
        return {r.id for r in self.model.references}

    @cached_property
    def link_ids(self) -> dict[str, int]:
        """Link id -> position in ``links:`` (the first, where duplicated)."""
        return self.model.link_ids

    @cached_property
    def graph(self) -> FlowGraph:
        """The causal graph over valid links (unknown ends and self-links left out)."""
        return flow_graph(self.model)
