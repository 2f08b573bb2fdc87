"""Synthetic models for the analysis tests: dense layered models with known route counts."""

from __future__ import annotations

from typing import Any

from logicmodel.schema import LogicModel

FLAGSHIP = "models/devolved_budgets.yaml"


def layered(width: int, layers: int, *, feedback: bool = False,
            pathway: bool = False) -> LogicModel:
    """``layers`` layers of ``width`` nodes, each joined to every node of the next.

    Layer 0 are inputs, the rest activities, then one impact fed by the last layer:
    ``width ** layers`` routes from the inputs to the impact. ``feedback`` adds a
    feedback link from the impact back to the first node; ``pathway`` declares one
    pathway ``p`` along the first node of every layer.
    """
    nodes: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for layer in range(layers):
        kind = "input" if layer == 0 else "activity"
        nodes += [{"id": f"n{layer}_{i}", "kind": kind, "label": f"N {layer} {i}"}
                  for i in range(width)]
        if layer:
            links += [{"from": f"n{layer - 1}_{i}", "to": f"n{layer}_{j}"}
                      for i in range(width) for j in range(width)]
    nodes.append({"id": "impact", "kind": "impact", "label": "Impact"})
    links += [{"from": f"n{layers - 1}_{i}", "to": "impact"} for i in range(width)]
    if feedback:
        links.append({"from": "impact", "to": "n0_0", "feedback": True})
    data: dict[str, Any] = {"logicmodel": 1, "title": "Layered", "nodes": nodes, "links": links}
    if pathway:
        route = [f"n{layer}_0" for layer in range(layers)] + ["impact"]
        data["pathways"] = [{"id": "p", "label": "P", "nodes": route}]
    return LogicModel.model_validate(data)


def from_edges(edges: list[tuple[str, str]], kinds: dict[str, str],
               pathways: list[list[str]] | None = None) -> LogicModel:
    """A model with the given links and pathways; node kinds default to ``activity``."""
    names = sorted({n for e in edges for n in e} | set(kinds))
    return LogicModel.model_validate({
        "logicmodel": 1, "title": "Random",
        "nodes": [{"id": n, "kind": kinds.get(n, "activity"), "label": n,
                   **({"horizon": "short"} if kinds.get(n) == "outcome" else {})}
                  for n in names],
        "links": [{"from": a, "to": b} for a, b in edges],
        "pathways": [{"id": f"p{i}", "label": f"P{i}", "nodes": p}
                     for i, p in enumerate(pathways or [])],
    })
