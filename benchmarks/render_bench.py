"""How fast is `logicmodel render`, and what does it add to the layout engine itself?

Run: python benchmarks/render_bench.py [--quick | --table]  (prints tables; a few minutes)

Models: the flagship, and synthetic layered models of 100, 300 and 1,000 nodes
(about three links per node, from ``synthetic.py``). For each, SVG with the
embedded engine:

* ``engine``: graphviz-pure run directly (``-Tsvg``, the DOT on stdin) on the
  exact DOT text logicmodel gives it: the figure's graph and the key's graph
  after it, laid out in one run; the floor. ``key`` is the key's graph alone,
  run on its own, to show what the key costs of that;
* ``render()``: logicmodel's library call on an already loaded model;
* ``overhead``: (render() - engine) / engine, from the fastest of the interleaved
  runs of each (noise on a shared machine only ever adds time); ``paired``: the
  median over the runs of each render() against the engine run just before it;
  ``CPU``: the same from the median CPU time (logicmodel's and the engine's) of
  each, which other work on a shared machine disturbs less; the ``med`` columns:
  the median run of each.

Then the overhead by stage, in milliseconds and as a share of the engine's time
(each the fastest of the runs): building the scene, writing the DOT (of which
the key's, written while the engine lays out the figure and laid out by a
second engine beside it), running the engine (what the bounded run adds to the
bare one: the folder check, the limits, the loop over its pipes, and whatever of
the work done during the layout it does not hide), putting the key under the
figure, moving the links' markers beside their lines, measuring the SVG for
``--fit``, finishing it (titles, fonts, order of the boxes), working out the
titles and description (while the engine lays out), the safety check, and
everything else.

Then ``CLI``: ``logicmodel render MODEL -o FILE`` in a fresh process (start-up,
loading, checking, rendering, the atomic write); how many engine runs several
outputs take (SVG, PDF, EPS and HTML are drawn from one layout; a bitmap is
drawn by the engine at its resolution: one more run per resolution); and a
model too large to lay out in the time limit, to show that it ends with a
message. ``--table`` prints the first two tables only, ``--quick`` those without the
1,000-node model.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import synthetic_model

import logicmodel.render as render_module
import logicmodel.render.dot as dot_module
from logicmodel.loader import load_text
from logicmodel.render import render, render_all
from logicmodel.render.engine import find_engine
from logicmodel.render.key import KEY_GRAPH

ROOT = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).parent / "logicmodel"

# stage -> the functions timed for it, as (module, name) looked up where they are called
STAGES: dict[str, list[tuple[Any, str]]] = {
    "scene": [(render_module, "_candidates")],
    "DOT": [(render_module, "dot_parts"),  # earlier versions: to_dot, the key's DOT in it
            (render_module, "to_dot")],
    "key DOT": [(dot_module, "key_dot"), (dot_module, "key_content")],
    "engine run": [(render_module, "run_engine")],
    "compose": [(render_module, "compose_outputs"),  # earlier versions: the two below
                (render_module, "split_outputs"), (render_module, "compose_svg")],
    "markers": [(render_module, "marker_places"), (render_module, "move_markers")],
    "measure": [(render_module, "measure_svg"), (render_module, "choose_scale")],
    "finish": [(render_module, "finish_svg"), (render_module, "retitle_svg")],
    "titles": [(render_module, "element_titles"), (render_module, "_description")],
    "check": [(render_module, "check_svg")],
}
NESTED = {"key DOT"}  # inside DOT (earlier versions) or during the layout: not added


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


class StageClock:
    """Time spent in each stage's functions during one call, in milliseconds.

    ``during`` collects the stages that ran while the engine laid out (render()
    does some of its work then): their time is hidden in the engine's, so it is
    not added to the others.
    """

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.during: set[str] = set()
        self.originals: list[tuple[Any, str, Any]] = []
        self.in_engine = 0

    def install(self) -> None:
        for stage, targets in STAGES.items():
            for module, name in targets:
                real = getattr(module, name, None)
                if real is None:  # not in this version of logicmodel
                    continue
                self.originals.append((module, name, real))
                setattr(module, name, self._timed(stage, real))

    def remove(self) -> None:
        for module, name, real in reversed(self.originals):
            setattr(module, name, real)
        self.originals.clear()

    def _timed(self, stage: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self.in_engine and stage != "engine run":
                self.during.add(stage)
            self.in_engine += stage == "engine run"
            t = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                self.in_engine -= stage == "engine run"
                self.spent[stage] = self.spent.get(stage, 0.0) + (
                    time.perf_counter() - t) * 1000
        return timed


def cpu_ms() -> float:
    """CPU time used so far by this process and the children it has waited for, in ms."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return (me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime) * 1000


def bare_engine_ms(path: str, dot: bytes) -> float:
    t = time.perf_counter()
    subprocess.run([path, "-Tsvg"], input=dot, capture_output=True, check=True)
    return (time.perf_counter() - t) * 1000


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


def overhead_table(cases: list[tuple[str, str, int]], path: str) -> None:
    print("what render() adds to the bare engine on the same DOT (ms; overhead = "
          "render() / engine - 1)")
    header = (f"{'model':<22}{'links':>6}{'engine':>8}{'render()':>10}{'overhead':>10}"
              f"{'paired':>9}{'CPU':>8}{'key':>6}{'engine med':>12}{'render() med':>14}")
    print(header)
    breakdowns: list[tuple[str, float, dict[str, float], float]] = []
    clock = StageClock()
    for name, text, runs in cases:
        doc = load_text(text)
        assert doc.model is not None, doc.diagnostics[:3]
        model = doc.model
        dot = render(model, "dot").data
        at = dot.find(f"\n{KEY_GRAPH}\n".encode())
        key = dot[at + 1:] if at >= 0 else b""
        render(model, "svg")  # warm: imports, fonts, caches of the engine's path
        direct, lib, key_runs, cpu_direct, cpu_lib = [], [], [], [], []
        stages: dict[str, list[float]] = {s: [] for s in STAGES}
        for _ in range(runs):  # interleaved, so that both see the same machine load
            c = cpu_ms()
            direct.append(bare_engine_ms(path, dot))
            cpu_direct.append(cpu_ms() - c)
            clock.spent = {}
            clock.install()
            try:
                c = cpu_ms()
                lib.append(median_ms(lambda m=model: render(m, "svg"), 1))  # type: ignore[misc]
                cpu_lib.append(cpu_ms() - c)
            finally:
                clock.remove()
            for s in STAGES:
                stages[s].append(clock.spent.get(s, 0.0))
            if key:
                key_runs.append(bare_engine_ms(path, key))
        best_direct, best_lib = min(direct), min(lib)
        over = (best_lib - best_direct) / best_direct * 100
        # each render() against the engine run just before it: the median of those ratios
        paired = (statistics.median(b / a for a, b in zip(direct, lib, strict=True)) - 1) * 100
        # CPU time (logicmodel's and the engine's), which other work on the machine
        # disturbs less than it does wall time; the timing wrappers' own cost is in it
        cpu = (statistics.median(cpu_lib) / statistics.median(cpu_direct) - 1) * 100
        key_ms = f"{min(key_runs):.0f}" if key_runs else "-"
        print(f"{name:<22}{len(model.links):>6}{best_direct:>8.1f}{best_lib:>10.1f}"
              f"{over:>9.1f}%{paired:>8.1f}%{cpu:>7.1f}%{key_ms:>6}"
              f"{statistics.median(direct):>12.1f}"
              f"{statistics.median(lib):>14.1f}")
        floor = {s: min(v) for s, v in stages.items()}
        floor["engine run"] = max(0.0, floor["engine run"] - best_direct)
        breakdowns.append((name, best_direct, floor, best_lib))

    print()
    print("overhead by stage, ms (and % of the engine's time); each the fastest run")
    names = [n for n, *_ in breakdowns]
    print(f"{'stage':<14}" + "".join(f"{n[:20]:>22}" for n in names))
    nested = NESTED | clock.during
    for s in [*STAGES, "other"]:
        cells = []
        for _, engine_ms, floor, lib_ms in breakdowns:
            if s == "other":
                summed = sum(v for k, v in floor.items() if k not in nested)
                value = max(0.0, lib_ms - engine_ms - summed)
            else:
                value = floor[s]
            cells.append(f"{value:>12.1f} ({value / engine_ms * 100:>5.1f}%)")
        label = s if s != "engine run" else "engine wrap"
        label += " *" if s in clock.during else ""
        print(f"{label:<14}" + "".join(f"{c:>22}" for c in cells))
    if clock.during:
        print("* done while the engine lays out (what it does not hide is in the engine wrap)")


def engine_runs(model: Any, formats: list[str], **options: Any) -> list[str]:
    """The formats the engine was run for while rendering ``formats``."""
    runs: list[str] = []
    real = render_module.run_engine

    def counting(engine: Any, source: str, fmt: str, **kw: Any) -> Any:
        runs.append(f"{fmt}" + (f"@{kw['dpi']:g}" if kw.get("dpi") else ""))
        return real(engine, source, fmt, **kw)

    render_module.run_engine = counting  # type: ignore[assignment]
    try:
        render_all(model, formats, render_module.RenderOptions(**options))
    finally:
        render_module.run_engine = real  # type: ignore[assignment]
    return runs


def main() -> None:
    quick = "--quick" in sys.argv
    table_only = quick or "--table" in sys.argv
    engine = find_engine("embedded")
    print(f"engine: {engine.version}; Python {sys.version.split()[0]}")
    flagship_text = (ROOT / "models/devolved_budgets.yaml").read_text()
    cases = [("flagship (25 nodes)", flagship_text, 41),
             ("synthetic 100 nodes", synthetic_model(100), 21),
             ("synthetic 300 nodes", synthetic_model(300), 15)]
    if not quick:
        cases.append(("synthetic 1000 nodes", synthetic_model(1000), 9))
    print()
    overhead_table(cases, engine.path)
    if table_only:
        return

    with tempfile.TemporaryDirectory() as tmp:
        print()
        print(f"{'model':<22}{'CLI med':>9}")
        for name, text, runs in cases:
            yaml_file = Path(tmp) / "m.yaml"
            yaml_file.write_text(text)
            cli = median_ms(lambda y=yaml_file: subprocess.run(  # type: ignore[misc]
                [str(EXE), "render", str(y), "-o", str(Path(tmp) / "m.svg")],
                capture_output=True, check=True), max(3, runs // 3))
            print(f"{name:<22}{cli:>9.0f}")

        print()
        flagship = load_text(flagship_text).model
        assert flagship is not None
        formats = ["svg", "pdf", "eps", "png", "tiff"]
        print(f"engine runs for {'+'.join(formats)}: {', '.join(engine_runs(flagship, formats))}")
        print(f"  with --dpi 600: {', '.join(engine_runs(flagship, formats, dpi=600))}")
        formats = ["svg", "pdf", "png"]
        shared = median_ms(lambda: render_all(flagship, formats), 5)
        apart = median_ms(lambda: [render(flagship, f) for f in formats], 5)
        print(f"flagship svg+pdf+png: one call {shared:.0f} ms, "
              f"one call per format {apart:.0f} ms")

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
