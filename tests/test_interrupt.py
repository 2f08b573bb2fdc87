"""Interruptions leave nothing behind: SIGTERM and Ctrl-C clean up; after a SIGKILL the engine
stops by itself, at the latest at its CPU-time limit, and the next run tidies up.

A real `logicmodel render` of a large model runs in a subprocess; once its layout
engine is running, the test signals logicmodel and then looks for what is left:
engine processes, temporary folders and files, a traceback, the exit status.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from logicmodel.render.engine import _TEMP_PREFIX, remove_leftovers

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux /proc")


def _big_model(path: Path, n: int = 300) -> Path:
    lines = ["logicmodel: 1", "title: Big", "nodes:"]
    kinds = ["input", "activity", "output", "outcome", "impact"]
    for i in range(n):
        kind = kinds[min(i * len(kinds) // n, 4)]
        extra = ", horizon: short" if kind == "outcome" else ""
        lines.append(f"  - {{id: n{i}, kind: {kind}{extra}, label: Node number {i} with a "
                     "fairly long label that wraps}")
    lines.append("links:")
    lines += [f"  - {{from: n{i}, to: n{j}}}" for i in range(n) for j in (i + 60, i + 61)
              if j < n and min(i * 5 // n, 4) < min(j * 5 // n, 4)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _lays_out(pid: int) -> bool:
    """Whether process ``pid`` is an engine run for a figure (not ``-V``, asked for its
    version)."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return any(a.startswith(b"-T") for a in args)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _dense_model(path: Path, n: int = 400) -> Path:
    """A model the engine needs far longer than a few seconds to lay out."""
    kinds = ["input", "activity", "output", "outcome"]
    lines = ["logicmodel: 1", "title: Dense", "nodes:"]
    for i in range(n):
        extra = ", horizon: short" if kinds[i % 4] == "outcome" else ""
        lines.append(f"  - {{id: x{i}, kind: {kinds[i % 4]}, label: Node {i}{extra}}}")
    lines.append("links:")
    lines += [f"  - {{from: x{i}, to: x{j}}}" for i in range(n)
              for j in range(i + 1, min(n, i + 80)) if i % 4 < j % 4]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _cpu_seconds(pid: int) -> float:
    """CPU time used so far by process ``pid`` (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _limits(pid: int) -> dict[str, tuple[str, str]]:
    """Process ``pid``'s resource limits, by name, as (soft, hard)."""
    out = {}
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines()[1:]:
        cells = line[26:].split()
        out[line[:26].strip()] = (cells[0], cells[1])
    return out


def _start(tmp_path: Path, model: Path | None = None, *options: str
           ) -> tuple[subprocess.Popen[str], int, Path]:
    model = model or _big_model(tmp_path / "big.yaml")
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", "from logicmodel.cli import console_main; console_main()",
         "render", str(model), "--dpi", "300", "-o", str(out / "big.png"), *options],
        env={**os.environ, "TMPDIR": str(temp)}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        kids = [pid for pid in _children(proc.pid) if _lays_out(pid)]
        if kids:
            return proc, kids[0], temp
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    proc.kill()
    pytest.fail("the engine never started")


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_cleanly(tmp_path: Path, signum: int, status: int) -> None:
    proc, engine, temp = _start(tmp_path)
    time.sleep(0.2)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == status, err
    assert "Traceback" not in err
    assert "interrupted" in err
    time.sleep(0.2)
    assert not _alive(engine)
    assert os.listdir(temp) == []
    assert os.listdir(tmp_path / "out") == []


def test_the_engine_runs_with_a_memory_and_a_cpu_time_limit(tmp_path: Path) -> None:
    dense = _dense_model(tmp_path / "dense.yaml")
    proc, engine, _ = _start(tmp_path, dense, "--timeout", "7.5")
    try:
        # set just after it starts, before it is given the DOT: in place once it works
        deadline = time.monotonic() + 30
        while _cpu_seconds(engine) < 0.05 and time.monotonic() < deadline:
            time.sleep(0.01)
        limits = _limits(engine)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    assert limits["Max cpu time"] == ("9", "10")  # the time limit rounded up, plus a second
    assert limits["Max address space"] == (str(4 << 30), str(4 << 30))
    assert limits["Max core file size"] == ("0", "0")


def test_after_a_sigkill_the_engine_stops_by_itself_and_the_next_run_tidies_up(
        tmp_path: Path) -> None:
    proc, engine, temp = _start(tmp_path)
    time.sleep(0.2)
    proc.kill()
    proc.communicate(timeout=30)
    # its input has ended and nobody reads its output: it stops when it next writes
    deadline = time.monotonic() + 60
    while _alive(engine) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(engine), "the engine outlived logicmodel"
    left = os.listdir(temp)
    assert left, "a SIGKILL leaves the engine's folder"
    assert all(name.startswith(f"{_TEMP_PREFIX}{proc.pid}-") for name in left)
    assert remove_leftovers(str(temp)) == [str(temp / name) for name in left]
    assert os.listdir(temp) == []


def test_an_engine_left_laying_out_stops_at_its_cpu_time_limit(tmp_path: Path) -> None:
    # a layout that would take minutes; logicmodel killed while it runs: nobody is left to
    # stop it at the time limit (2 s), so the CPU-time limit does (3 s, SIGKILL at 4 s)
    proc, engine, _ = _start(tmp_path, _dense_model(tmp_path / "dense.yaml"), "--timeout", "2")
    while _cpu_seconds(engine) < 0.5 and _alive(engine):
        time.sleep(0.05)
    proc.kill()
    proc.communicate(timeout=30)
    used = 0.0
    deadline = time.monotonic() + 120  # CPU time, on a busy machine, comes slowly
    while _alive(engine) and time.monotonic() < deadline:
        used = max(used, _cpu_seconds(engine))
        time.sleep(0.05)
    assert not _alive(engine), f"the engine was still running after {used:.1f} s of CPU"
    assert 2.5 <= used <= 4.2, used


def test_a_killed_writers_temporary_file_is_removed_by_the_next_write(tmp_path: Path) -> None:
    from logicmodel.files import write_atomic

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / f".fig.svg.logicmodel-{dead.pid}-abc123.tmp").write_bytes(b"half")
    live = tmp_path / f".fig.svg.logicmodel-{os.getppid()}-abc123.tmp"
    live.write_bytes(b"another run, still going")
    (tmp_path / ".notes.tmp").write_bytes(b"not ours")
    write_atomic(tmp_path / "fig.svg", "<svg/>")
    assert sorted(os.listdir(tmp_path)) == sorted(["fig.svg", live.name, ".notes.tmp"])
