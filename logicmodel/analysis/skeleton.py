"""The causal skeleton: a model's links as an acyclic graph, feedback links set aside.

Every analysis works on the same skeleton: the links between known, distinct
nodes, in file order, without the links marked ``feedback: true`` (they are
kept in :attr:`Skeleton.feedback` so reports can say what was set aside).
Parallel links are kept: two links claiming the same step are two routes.
No networkx here: counting and listing routes need only adjacency lists, and the
topological order is the one :func:`logicmodel.graph.topological_order` gives ``check``.
The networkx view of the skeleton, for the analyses that use networkx, is
:func:`logicmodel.analysis.causal_dag`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from ..diagnostics import Severity
from ..errors import CodedError
from ..graph import topological_order
from ..rules.registry import rule
from ..schema import NODE_KINDS, AnyNode, Link, LogicModel, kind_label

__all__ = ["END", "START", "Edge", "Ends", "SelectorError", "Skeleton", "link_name", "skeleton"]

#: Selectors for where the model starts and ends (the defaults of ``--from`` and ``--to``).
START, END = "start", "end"


class SelectorError(CodedError, ValueError):
    """A ``--from``/``--to`` selector names no node, kind or stage (LM803, a usage error)."""

    def __init__(self, part: str, choices: list[str]) -> None:
        close = difflib.get_close_matches(part, choices, n=1)
        super().__init__("LM803", f"`{part}` is not a node id, kind or stage",
                         f"did you mean `{close[0]}`?" if close else
                         "give node ids, kinds (e.g. input) or stages, separated by commas")
        self.part = part


def link_name(index: int, link: Link) -> str:
    """How a link is named in reports: its id, or ``from->to`` when it has none."""
    return link.id or f"{link.source}->{link.target}"


@dataclass(frozen=True, slots=True)
class Edge:
    """One link of the skeleton: its ends and its position in ``links:``."""

    source: str
    target: str
    index: int
    name: str


@dataclass(frozen=True)
class Ends:
    """Where routes start or end: how the report names them, the node ids, and, when the
    model had none of the usual kind, a sentence saying what was chosen instead."""

    label: str
    ids: list[str]
    chosen: str | None = None


@dataclass
class Skeleton:
    """The model's causal graph without feedback links, with a topological order."""

    model: LogicModel
    nodes: dict[str, AnyNode] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    out_edges: dict[str, list[Edge]] = field(default_factory=dict)
    in_edges: dict[str, list[Edge]] = field(default_factory=dict)
    feedback: list[Edge] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    cyclic: list[str] = field(default_factory=list)

    def ids_of_kind(self, kind: str) -> list[str]:
        """Node ids of a kind (``outcome``) or a stage (``outcome_short``), in file order."""
        stage = self.model.layout.stage_of
        return [n for n, node in self.nodes.items()
                if node.kind == kind or stage(node) == kind]

    def select(self, selector: str) -> list[str]:
        """Node ids for a selector: a node id, a kind, a stage, or several joined by commas.

        Raises:
            SelectorError: a part of the selector is neither a node id, a kind nor a stage.
        """
        out: list[str] = []
        for part in (p.strip() for p in selector.split(",")):
            if part in self.nodes:
                found = [part]
            elif part in self.model.layout.rank or part in NODE_KINDS:
                found = self.ids_of_kind(part)
            else:
                raise SelectorError(part, [*self.nodes, *NODE_KINDS, *self.model.layout.ids])
            out.extend(n for n in found if n not in out)
        return out

    def ends(self, selector: str) -> Ends:
        """The nodes a selector names, with ``start`` and ``end`` resolved to where the model
        starts and ends (see :class:`Ends`).

        Raises:
            SelectorError: a part of the selector is neither a node id, a kind nor a stage.
        """
        if selector == START:
            return self._start()
        if selector == END:
            return self._end()
        return Ends(selector, self.select(selector))

    def _start(self) -> Ends:
        inputs = self.ids_of_kind("input")
        if inputs:
            return Ends("input", inputs)
        for kind, info in NODE_KINDS.items():
            found = self.ids_of_kind(kind) if kind != "context" and not info.end else []
            # where the chain begins: those of the kind no link leads to (a chain made
            # of one kind, such as conditions, would otherwise start everywhere)
            first = [n for n in found if not self.in_edges.get(n)]
            if first:
                words = kind_label(kind, plural=True).lower()
                return Ends(kind, first, f"the model has no inputs, so routes start at its "
                            f"{words} that no link leads to, the earliest kind it has "
                            "(choose with --from)")
        return Ends("input", [])

    def _end(self) -> Ends:
        impacts = [n for n, node in self.nodes.items() if NODE_KINDS[node.kind].end]
        if impacts:
            return Ends("impact", impacts)
        last = [n for n, node in self.nodes.items()
                if NODE_KINDS[node.kind].result and not self.out_edges.get(n)]
        if last:
            return Ends("final results", last, "the model has no impact, so routes end at "
                        "the results no link leads on from (choose with --to)")
        return Ends("impact", [])

    def link(self, edge: Edge) -> Link:
        """The model's link behind an edge."""
        return self.model.links[edge.index]


def skeleton(model: LogicModel) -> Skeleton:
    """Build the skeleton of a model (links with unknown ends or to themselves are left out)."""
    sk = Skeleton(model)
    for n in model.nodes:
        sk.nodes.setdefault(n.id, n)
    sk.out_edges = {n: [] for n in sk.nodes}
    sk.in_edges = {n: [] for n in sk.nodes}
    for i, link in enumerate(model.links):
        u, v = link.source, link.target
        if u == v or u not in sk.nodes or v not in sk.nodes:
            continue
        edge = Edge(u, v, i, link_name(i, link))
        if link.feedback:
            sk.feedback.append(edge)
            continue
        sk.edges.append(edge)
        sk.out_edges[u].append(edge)
        sk.in_edges[v].append(edge)
    sk.order, sk.cyclic = topological_order(
        sk.nodes, {n: [e.target for e in es] for n, es in sk.out_edges.items()})
    return sk


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

@rule("LM803", "unknown-selector", Severity.ERROR)
def unknown_selector() -> None:
    """A `--from` or `--to` names no node, kind or stage.

    ## What it does
    `paths` and `analyze` take the two ends of the routes they count as node
    ids, node kinds (`input`, `outcome`, ...) or stages (`outcome_short`, ...),
    several joined by commas. A part that is none of these stops the command
    with exit status 2 (a usage error), with a "did you mean" when one is close.

    ## Why is this bad?
    A misspelt end would silently count no routes at all.

    ## Example
    ```text
    logicmodel: LM803 `imapct` is not a node id, kind or stage
        hint: did you mean `impact`?
    ```
    """
