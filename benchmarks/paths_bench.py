"""How fast is route counting? Exact counts by dynamic programming vs naive enumeration.

Run: python benchmarks/paths_bench.py  (prints a table; takes a few seconds)

Models are dense and layered: ``layers`` layers of ``width`` nodes, each node linked
to every node of the next layer, then one impact, so there are ``width ** layers``
routes from the inputs to the impact. For each model it times

* ``count``: :func:`logicmodel.analysis.route_set` (one pass in topological order);
* ``count+avoid``: the same with a declared pathway to avoid (the automaton that
  finds routes on no declared pathway);
* ``list 10``: :func:`logicmodel.analysis.routes` with ``limit=10`` (counts and
  capped listings of all routes and of undeclared ones);
* ``naive``: counting by enumeration (``networkx.all_simple_paths``), on the
  small models only (it grows as the number of routes).

Times are the median of several runs, in milliseconds.

A second table times the whole of ``logicmodel analyze`` (fragility, scorecard,
testable implications) on the synthetic models of ``benchmarks/synthetic.py``
(layered by stage, three links per node, indicators on outputs and outcomes):
implications grow with the square of the number of measured nodes.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from logicmodel.analysis import fragility, implications, route_set, routes, scorecard, skeleton
from logicmodel.loader import load_text
from logicmodel.schema import LogicModel

# The dense layered models are the analysis tests' own (tests/analysis_models.py).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.analysis_models import layered

NAIVE_MAX_ROUTES = 300_000  # above this, enumeration takes seconds to minutes


def timed(fn: Callable[[], object], repeat: int = 5) -> tuple[float, object]:
    times: list[float] = []
    result: object = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def naive(model: LogicModel) -> int:
    g = nx.DiGraph()
    g.add_edges_from((lk.source, lk.target) for lk in model.links)
    sources = [n.id for n in model.nodes if n.kind == "input"]
    return sum(sum(1 for _ in nx.all_simple_paths(g, s, "impact")) for s in sources)


def row(width: int, layers: int) -> str:
    """One line of the table for a ``width x layers`` model."""
    model = layered(width, layers, pathway=True)
    sk = skeleton(model)
    sources, targets = sk.select("input"), sk.select("impact")
    pathway = [model.pathways[0].nodes]
    t_count, count = timed(lambda: route_set(sk, sources, targets).count)
    t_avoid, _ = timed(lambda: route_set(sk, sources, targets, avoid=pathway).count)
    t_list, report = timed(lambda: routes(model, limit=10, sk=sk))
    assert isinstance(count, int)
    assert count == width ** layers == getattr(report, "count", None)
    naive_ms = "-"
    if count <= NAIVE_MAX_ROUTES:
        t_naive, n = timed(lambda: naive(model), repeat=1)
        assert n == count
        naive_ms = f"{t_naive:.1f}"
    exponent = len(str(count)) - 1
    shown = f"{count:,}" if exponent < 7 else f"~10^{exponent}"
    return (f"{f'{width} x {layers}':>14} {len(model.nodes):>6} {len(model.links):>6} "
            f"{shown:>10} {t_count:>9.2f} {t_avoid:>15.2f} {t_list:>11.2f} {naive_ms:>10}")


def analysis_row(n_nodes: int) -> str:
    """One line of the second table: the analyses on a synthetic model."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from synthetic import synthetic_model

    model = load_text(synthetic_model(n_nodes)).model
    assert model is not None
    sk = skeleton(model)
    t_frag, _ = timed(lambda: fragility(model, sk=sk), repeat=3)
    t_score, _ = timed(lambda: scorecard(model), repeat=3)
    t_imp, imp = timed(lambda: implications(model, sk), repeat=1)
    measured = len(getattr(imp, "measured", ()))
    return (f"{n_nodes:>6} {len(model.links):>6} {measured:>9} {t_frag:>13.1f} "
            f"{t_score:>13.1f} {t_imp:>16.1f}")


def main() -> int:
    cases = [(6, 4), (6, 6), (6, 7), (6, 8), (6, 12), (6, 20), (6, 40), (10, 31), (20, 50)]
    print(f"{'width x layers':>14} {'nodes':>6} {'links':>6} {'routes':>10} {'count ms':>9} "
          f"{'count+avoid ms':>15} {'list 10 ms':>11} {'naive ms':>10}")
    for width, layers in cases:
        print(row(width, layers), flush=True)
    print()
    print(f"{'nodes':>6} {'links':>6} {'measured':>9} {'fragility ms':>13} "
          f"{'scorecard ms':>13} {'implications ms':>16}")
    for n_nodes in (50, 100, 300):
        print(analysis_row(n_nodes), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
