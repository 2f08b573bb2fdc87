"""The bounded engine run: its input and output pipes, its folder, work done during the layout."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from logicmodel.render import engine as engine_module
from logicmodel.render.engine import EngineError, find_engine, run_engine

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux /proc")


def _engines() -> list[int]:
    """This process's children, running or not yet reaped."""
    me, found = os.getpid(), []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == me:
                found.append(int(entry))
    return found


def _many_boxes(n: int = 3000) -> str:
    names = [f"box{i}" for i in range(n)]
    return ("digraph {\n" + "".join(f'  {n} [label="{n} {"x" * 20}"]\n' for n in names)
            + "  box0 [shape=nonsense]\n}\n")


def test_large_input_and_output_pass_through_the_pipes() -> None:
    # more than a pipe holds each way (64 KiB), and the engine's warnings on stderr
    dot = _many_boxes()
    assert len(dot) > 1 << 16
    result = run_engine(find_engine("embedded"), dot, "svg")
    assert len(result.output) > 1 << 19
    assert result.output.count(b'class="node"') == 3000
    assert result.output.rstrip().endswith(b"</svg>")
    assert "nonsense" in result.warnings


def test_meanwhile_runs_once_while_the_engine_has_its_input() -> None:
    calls: list[float] = []
    started = time.perf_counter()
    result = run_engine(find_engine("embedded"), "digraph { a -> b }", "svg",
                        meanwhile=lambda: calls.append(time.perf_counter()))
    assert len(calls) == 1
    assert started < calls[0] < started + result.seconds
    assert b"<svg" in result.output


@linux
def test_an_error_in_meanwhile_stops_the_engine() -> None:
    def fail() -> None:
        assert _engines(), "the engine is running while meanwhile runs"
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        run_engine(find_engine("embedded"), _many_boxes(), "svg", meanwhile=fail)
    assert _engines() == []


def _long_layout(n: int = 300) -> str:
    """A densely linked graph: a layout of many seconds."""
    return "digraph {" + " ".join(f"a{i} -> a{j};" for i in range(n)
                                  for j in range(i + 1, min(n, i + 40))) + "}"


def test_the_time_limit_stops_a_long_layout() -> None:
    dot = _long_layout()
    started = time.monotonic()
    with pytest.raises(EngineError) as err:
        run_engine(find_engine("embedded"), dot, "svg", timeout=0.3)
    assert err.value.code == "LM602"
    assert time.monotonic() - started < 5
    if sys.platform.startswith("linux"):
        assert _engines() == []


def test_the_engine_runs_in_an_empty_folder_of_this_process() -> None:
    first = engine_module._workdir()
    assert Path(first).name.startswith(f"{engine_module._TEMP_PREFIX}{os.getpid()}-")
    run_engine(find_engine("embedded"), "digraph { a -> b }", "svg")
    assert engine_module._workdir() == first  # one folder for the process's runs
    assert os.listdir(first) == []
    Path(first, "left.txt").write_text("something an engine wrote")
    second = engine_module._workdir()
    assert os.listdir(second) == []  # not run where something was left
    assert not Path(first).exists()
    assert run_engine(find_engine("embedded"), "digraph { a -> b }", "svg").output


@linux
def test_an_engine_stopped_by_its_cpu_time_limit_is_lm602(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    import resource

    real = engine_module._limit

    def low(pid: int, timeout: float) -> None:
        real(pid, timeout)
        resource.prlimit(pid, resource.RLIMIT_CPU, (1, 2))

    monkeypatch.setattr(engine_module, "_limit", low)
    with pytest.raises(EngineError) as err:
        run_engine(find_engine("embedded"), _long_layout(), "svg", timeout=60)
    assert err.value.code == "LM602"
    assert _engines() == []
