"""The node kinds: one table that the schema, the rules, the figures and the exports read.

A kind is a row of :data:`NODE_KINDS`: its id (the `kind:` a node is written
with), the words for it, what part it plays in the causal chain, and the name of
the shape it is drawn with. Nothing else in the package spells out the list of
kinds: code that needs "the results" or "where routes start" asks this table
(:data:`RESULT_KINDS`, :data:`START_KINDS`, ...), so that adding a kind is a row
here and its node class in :mod:`logicmodel.schema.model`.

Shapes are names, not drawing instructions: each renderer maps a shape name to
its own syntax (Graphviz attributes in :mod:`logicmodel.render.themes`, Mermaid
brackets in :mod:`logicmodel.render.mermaid`). A new kind that reuses a shape
needs no change there.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "END_KINDS",
    "HORIZON_KINDS",
    "INDICATOR_KINDS",
    "MEASURED_KINDS",
    "NODE_KINDS",
    "RESULT_KINDS",
    "SHAPES",
    "START_KINDS",
    "KindInfo",
    "kind_label",
]


@dataclass(frozen=True, slots=True)
class KindInfo:
    """One kind of node and the part it plays."""

    id: str
    label: str
    plural: str
    description: str
    shape: str
    indicators: bool = False   # may carry `indicators:`
    measured: bool = False     # an indicator is expected (LM301)
    result: bool = False       # a change the programme aims at: routes end here
    start: bool = False        # what the programme has or does: routes start here
    end: bool = False          # the ultimate aim: needs no onward link
    horizon: bool = False      # may say when it is expected (`horizon:`)


# In the order a logic model reads from left to right.
_TABLE = (
    KindInfo("context", "Context", "Context",
             "the situation the programme responds to: a problem, a need or an external factor",
             shape="dashed"),
    KindInfo("input", "Input", "Inputs",
             "a resource the programme uses: money, staff, powers, time",
             shape="plain", start=True),
    KindInfo("activity", "Activity", "Activities",
             "something the programme does with its inputs",
             shape="rounded", start=True),
    KindInfo("output", "Output", "Outputs",
             "a direct, countable product of the activities",
             shape="note", indicators=True),
    KindInfo("mechanism", "Mechanism", "Mechanisms",
             "how the programme brings about change: what it gives and how people respond",
             shape="hexagon"),
    KindInfo("condition", "Condition", "Conditions",
             "something that must hold on the way to the results (a results chain written "
             "as conditions); counted with the assumptions",
             shape="octagon", indicators=True, result=True, horizon=True),
    KindInfo("outcome", "Outcome", "Outcomes",
             "a change the programme expects, short, medium or long term",
             shape="bold-rounded", indicators=True, measured=True, result=True, horizon=True),
    KindInfo("impact", "Impact", "Impacts",
             "the ultimate change the programme aims at",
             shape="double", indicators=True, measured=True, result=True, end=True),
)

NODE_KINDS: dict[str, KindInfo] = {k.id: k for k in _TABLE}
"""Kind id -> its record, in reading order."""

SHAPES: tuple[str, ...] = tuple(dict.fromkeys(k.shape for k in _TABLE))
"""Every shape name a kind uses: the renderers give each one a drawing."""

RESULT_KINDS = frozenset(k.id for k in _TABLE if k.result)
START_KINDS = frozenset(k.id for k in _TABLE if k.start)
END_KINDS = frozenset(k.id for k in _TABLE if k.end)
INDICATOR_KINDS = frozenset(k.id for k in _TABLE if k.indicators)
MEASURED_KINDS = frozenset(k.id for k in _TABLE if k.measured)
HORIZON_KINDS = frozenset(k.id for k in _TABLE if k.horizon)


def kind_label(kind: str, *, plural: bool = False) -> str:
    """The words for a kind (``Activity``, or ``Activities`` with ``plural``)."""
    info = NODE_KINDS[kind]
    return info.plural if plural else info.label
