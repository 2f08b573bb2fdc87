"""How much does `logicmodel check models/` save by reading the flagship once?

Run: python benchmarks/versions_bench.py  (prints a table; takes about ten seconds)

`check models/` checks the flagship for itself and reads it again as the full
version of its summary. Within one run the loader keeps a file already read
(logicmodel.runcache); this prints how many times the flagship is parsed and the
median wall time of the whole check, with the run's cache and without it.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import median_seconds

import logicmodel.checking as checking
import logicmodel.loader as loader
from logicmodel.checking import check_paths

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    os.chdir(ROOT)
    parsed = [0]
    original = loader.parse_document

    def counting(data: bytes, file: str, **kw: object) -> loader.Document:
        if file.endswith("devolved_budgets.yaml"):
            parsed[0] += 1
        return original(data, file, **kw)  # type: ignore[arg-type]

    loader.parse_document = counting  # type: ignore[assignment]
    cached = checking.one_run
    ways = {"one read per run": cached, "read for each use": contextlib.nullcontext}
    reads: dict[str, int] = {}
    times: dict[str, list[float]] = {label: [] for label in ways}
    for label, run in ways.items():
        checking.one_run = run  # type: ignore[assignment]
        parsed[0] = 0
        result = check_paths(["models/"])
        assert not result.failed, result.diagnostics[:3]
        reads[label] = parsed[0]
    for _ in range(15):  # the two ways in turn, so that a busy machine slows both alike
        for label, run in ways.items():
            checking.one_run = run  # type: ignore[assignment]
            times[label].append(median_seconds(lambda: check_paths(["models/"]), 1))
    checking.one_run = cached  # type: ignore[assignment]
    loader.parse_document = original  # type: ignore[assignment]
    print(f"{'check models/':<22}{'flagship parsed':>16}{'median':>10}")
    for label in ways:
        print(f"{label:<22}{reads[label]:>16}{statistics.median(times[label]) * 1000:>8.1f} ms")
    one, each = (statistics.median(times[label]) for label in ways)
    print(f"one read per run: {one / each:.2f}x the time of reading for each use")


if __name__ == "__main__":
    main()
