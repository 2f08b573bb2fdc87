"""Timing helpers shared by the benchmark scripts."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable, Sequence

__all__ = ["interleaved_medians", "median_seconds"]


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``repeat`` calls of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _cpu() -> float:
    """CPU seconds used so far by this process and the children it has waited for."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def interleaved_medians(fns: Sequence[Callable[[], object]], repeat: int
                        ) -> list[tuple[float, float]]:
    """(median wall seconds, median CPU seconds) of each of ``fns``, called in turn.

    The functions take turns (a, b, a, b, ...) so that a busy spell of the machine
    weighs on all of them alike; CPU time (this process's and its children's) is
    less disturbed by other work on the machine than wall time is.
    """
    wall: list[list[float]] = [[] for _ in fns]
    cpu: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            c0, w0 = _cpu(), time.perf_counter()
            fn()
            wall[k].append(time.perf_counter() - w0)
            cpu[k].append(_cpu() - c0)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(wall, cpu, strict=True)]
