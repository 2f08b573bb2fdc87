"""How fast is `logicmodel render`, and what does it add to the layout engine itself?

Run: python benchmarks/render_bench.py  (prints tables; takes about a minute)

Models: the flagship, and synthetic layered models of 100 and 300 nodes (about
three links per node, from ``synthetic.py``). For each, SVG with the embedded
engine:

* ``engine``: graphviz-pure run directly on the same DOT file (``-Tsvg``), the floor;
* ``render()``: logicmodel's library call (scene, DOT text, bounded engine run,
  SVG finishing and safety check) on an already loaded model;
* ``overhead``: (render() - engine) / engine, from the fastest of the interleaved
  runs of each (noise on a shared machine only ever adds time); medians follow;
* ``CLI``: ``logicmodel render MODEL -o FILE`` in a fresh process: start-up,
  loading, checking, rendering and the atomic write, what a user waits for.

Then several outputs of the flagship (SVG, PDF and a 300 dpi PNG) rendered with
one ``render_all`` call, which lays the figure out once, against one ``render``
call per format; and a model too large to lay out in the time limit, to show
that it ends with a message. Times are medians of several runs, in milliseconds.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import synthetic_model

from logicmodel.loader import load_text
from logicmodel.render import render, render_all
from logicmodel.render.engine import find_engine

ROOT = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).parent / "logicmodel"


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def dense_model(n: int) -> str:
    """A model the layout engine needs far longer than a few seconds for."""
    kinds = ["input", "activity", "output", "outcome"]
    lines = ["logicmodel: 1", "title: Dense", "nodes:"]
    for i in range(n):
        extra = ", horizon: short" if kinds[i % 4] == "outcome" else ""
        lines.append(f"  - {{id: x{i}, kind: {kinds[i % 4]}, label: Node {i}{extra}}}")
    lines.append("links:")
    for i in range(n):
        for j in range(i + 1, min(n, i + 80)):
            if i % 4 < j % 4:
                lines.append(f"  - {{from: x{i}, to: x{j}}}")
    return "\n".join(lines) + "\n"


def main() -> None:
    engine = find_engine("embedded")
    print(f"engine: {engine.version}; Python {sys.version.split()[0]}")
    cases = [("flagship (25 nodes)", (ROOT / "models/devolved_budgets.yaml").read_text(), 31),
             ("synthetic 100 nodes", synthetic_model(100), 15),
             ("synthetic 300 nodes", synthetic_model(300), 11)]
    print()
    print(f"{'model':<22}{'links':>6}{'engine':>9}{'render()':>10}{'overhead':>10}"
          f"{'engine med':>12}{'render() med':>14}{'CLI med':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, text, runs in cases:
            doc = load_text(text)
            assert doc.model is not None, doc.diagnostics[:3]
            model = doc.model
            dot = render(model, "dot").data
            dot_file = Path(tmp) / "m.dot"
            dot_file.write_bytes(dot)
            yaml_file = Path(tmp) / "m.yaml"
            yaml_file.write_text(text)
            # interleaved, so that both see the same machine load
            direct_runs, lib_runs = [], []
            for _ in range(runs):
                direct_runs.append(median_ms(lambda f=dot_file: subprocess.run(  # type: ignore[misc]
                    [engine.path, "-Tsvg", str(f)], capture_output=True, check=True), 1))
                lib_runs.append(median_ms(lambda m=model: render(m, "svg"), 1))  # type: ignore[misc]
            # the overhead from the fastest run of each: the machine's noise only adds time
            direct, lib = min(direct_runs), min(lib_runs)
            direct_med, lib_med = statistics.median(direct_runs), statistics.median(lib_runs)
            cli = median_ms(lambda y=yaml_file: subprocess.run(  # type: ignore[misc]
                [str(EXE), "render", str(y), "-o", str(Path(tmp) / "m.svg")],
                capture_output=True, check=True), runs)
            over = (lib - direct) / direct * 100
            print(f"{name:<22}{len(model.links):>6}{direct:>9.1f}{lib:>10.1f}{over:>9.1f}%"
                  f"{direct_med:>12.1f}{lib_med:>14.1f}{cli:>9.0f}")

        print()
        flagship = load_text((ROOT / "models/devolved_budgets.yaml").read_text()).model
        assert flagship is not None
        formats = ["svg", "pdf", "png"]
        shared = median_ms(lambda: render_all(flagship, formats), 5)
        apart = median_ms(lambda: [render(flagship, f) for f in formats], 5)
        print(f"flagship svg+pdf+png: one layout {shared:.0f} ms, one per format {apart:.0f} ms")

        print()
        text = dense_model(400)
        doc = load_text(text)
        assert doc.model is not None
        yaml_file = Path(tmp) / "dense.yaml"
        yaml_file.write_text(text)
        t = time.perf_counter()
        proc = subprocess.run([str(EXE), "render", str(yaml_file), "-o",
                               str(Path(tmp) / "dense.svg"), "--timeout", "10"],
                              capture_output=True, text=True, check=False)
        took = time.perf_counter() - t
        print(f"dense model, 400 nodes / {len(doc.model.links)} links, --timeout 10: "
              f"exit {proc.returncode} after {took:.1f} s")
        print("  " + proc.stderr.strip().replace("\n", "\n  "))
        print(f"  file written: {(Path(tmp) / 'dense.svg').exists()}")


if __name__ == "__main__":
    main()
