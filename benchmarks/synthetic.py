"""Synthetic logic models for benchmarks: layered by stage, about three links per node.

Deterministic for a given size and seed, written in the block style people use.
"""

from __future__ import annotations

import itertools
import random

STAGES = [("input", None), ("activity", None), ("output", None), ("mechanism", None),
          ("outcome", "short"), ("outcome", "medium"), ("outcome", "long"), ("impact", None)]


def synthetic_model(n_nodes: int, links_per_node: int = 3, seed: int = 1, *,
                    measure_outputs: bool = False) -> str:
    """YAML text of a valid model with ``n_nodes`` nodes in stage order.

    Outcomes and the impact have indicators; ``measure_outputs`` gives outputs one too
    (1,000 nodes then have 625 measured nodes instead of 500).
    """
    measured = ("output", "outcome", "impact") if measure_outputs else ("outcome", "impact")
    rng = random.Random(seed)
    per_stage = max(1, n_nodes // len(STAGES))
    layers: list[list[str]] = []
    lines = ["logicmodel: 1", f"title: Synthetic model with {n_nodes} nodes", "nodes:"]
    count = 0
    for s, (kind, horizon) in enumerate(STAGES):
        size = per_stage if s < len(STAGES) - 1 else max(1, n_nodes - count)
        layer = []
        for i in range(size):
            nid = f"{kind[:3]}{s}_{i}"
            layer.append(nid)
            lines += [f"  - id: {nid}", f"    kind: {kind}"]
            if horizon:
                lines.append(f"    horizon: {horizon}")
            lines += [f"    label: {kind.title()} number {i} of stage {s}",
                      f"    description: A generated {kind} used to measure how fast checks run."]
            if kind in measured:
                lines += ["    indicators:", f"      - id: ind_{nid}",
                          f"        measure: Measure of {nid}", "        data_source: Survey"]
        count += size
        layers.append(layer)
    lines.append("links:")
    for a, b in itertools.pairwise(layers):
        for u in a:
            for v in rng.sample(b, k=min(links_per_node, len(b))):
                lines += [f"  - from: {u}", f"    to: {v}",
                          "    rationale: Generated link between adjacent stages"]
        for v in b:  # every node has at least one incoming link
            lines += [f"  - from: {rng.choice(a)}", f"    to: {v}"]
    return "\n".join(lines) + "\n"
