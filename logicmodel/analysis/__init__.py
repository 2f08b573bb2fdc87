"""Reasoning about a theory: pathways, routes, fragility, testable implications, DAGitty.

Everything here works on the *causal skeleton* of a model
(:mod:`.skeleton`): its links as a DAG, feedback links set aside. None of it is
imported by ``logicmodel check``; networkx is imported inside the functions
that need it.
"""

from __future__ import annotations

from .dagitty import to_dagitty
from .fragility import Fragility, fragility
from .implications import (
    DEFAULT_BUDGET,
    BudgetError,
    Implication,
    Implications,
    causal_dag,
    implications,
)
from .paths import (
    PathwaySummary,
    RouteReport,
    pathway_chains,
    pathway_summaries,
    routes,
    undeclared_links,
)
from .priorities import Priorities, Priority, priorities
from .routes import count_routes, list_routes, route_set
from .scorecard import Metric, MetricError, Shortfall, scorecard, shortfalls
from .skeleton import SelectorError, Skeleton, skeleton

__all__ = [
    "DEFAULT_BUDGET",
    "BudgetError",
    "Fragility",
    "Implication",
    "Implications",
    "Metric",
    "MetricError",
    "PathwaySummary",
    "Priorities",
    "Priority",
    "RouteReport",
    "SelectorError",
    "Shortfall",
    "Skeleton",
    "causal_dag",
    "count_routes",
    "fragility",
    "implications",
    "list_routes",
    "pathway_chains",
    "pathway_summaries",
    "priorities",
    "route_set",
    "routes",
    "scorecard",
    "shortfalls",
    "skeleton",
    "to_dagitty",
    "undeclared_links",
]
