"""Simulated measurements from a model: data that a true (or a deliberately wrong) theory makes.

:func:`simulate` draws data from a linear model with Gaussian noise that follows
the causal skeleton: each node is the sum of its parents, each weighted by a
coefficient, plus noise. Extra links (``plant``) add dependencies the model does
not claim, which its testable implications should then catch. Use it to see how
many rows a data test needs to notice a missing link (its power), and to check
that a true model passes. Pure Python, deterministic for a seed.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence

from ..schema import LogicModel
from .skeleton import skeleton

__all__ = ["simulate"]


def simulate(model: LogicModel, rows: int, *, seed: int = 1, weight: float = 0.5,
             plant: Sequence[tuple[str, str, float]] = ()) -> str:
    """CSV text with a column per measured node (named by its first indicator) and
    ``rows`` rows, drawn from the skeleton (plus the ``plant`` links: from, to, weight).

    Raises:
        ValueError: a planted link names an unknown node or makes a cycle.
    """
    sk = skeleton(model)
    rng = random.Random(seed)
    parents: dict[str, list[tuple[str, float]]] = {n: [] for n in sk.nodes}
    for e in sk.edges:
        parents[e.target].append((e.source, weight))
    for u, v, w in plant:
        if u not in parents or v not in parents:
            raise ValueError(f"unknown node in the planted link {u} -> {v}")
        parents[v].append((u, w))
    order = _order(list(sk.nodes), parents)
    measured = [n for n in sk.order if getattr(sk.nodes[n], "indicators", None)]
    names = [sk.nodes[n].indicators[0].id for n in measured]  # type: ignore[union-attr]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for _ in range(rows):
        value: dict[str, float] = {}
        for n in order:
            value[n] = sum(w * value[p] for p, w in parents[n]) + rng.gauss(0.0, 1.0)
        writer.writerow([f"{value[n]:.4f}" for n in measured])
    return out.getvalue()


def _order(nodes: list[str], parents: dict[str, list[tuple[str, float]]]) -> list[str]:
    done: set[str] = set()
    order: list[str] = []
    pending = list(nodes)
    while pending:
        ready = [n for n in pending if all(p in done for p, _ in parents[n])]
        if not ready:
            raise ValueError("the planted links make a cycle")
        for n in ready:
            done.add(n)
            order.append(n)
        pending = [n for n in pending if n not in done]
    return order
