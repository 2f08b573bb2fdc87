"""Interruptions leave nothing behind: SIGTERM and Ctrl-C clean up, SIGKILL takes the engine along.

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


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start(tmp_path: Path) -> tuple[subprocess.Popen[str], int, Path]:
    model = _big_model(tmp_path / "big.yaml")
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", "from logicmodel.cli import console_main; console_main()",
         "render", str(model), "--dpi", "300", "-o", str(out / "big.png")],
        env={**os.environ, "TMPDIR": str(temp)}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        kids = _children(proc.pid)
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


def test_sigkill_takes_the_engine_along_and_the_next_run_tidies_up(tmp_path: Path) -> None:
    proc, engine, temp = _start(tmp_path)
    time.sleep(0.2)
    proc.kill()
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 5
    while _alive(engine) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(engine), "the engine outlived logicmodel"
    left = os.listdir(temp)
    assert left, "a SIGKILL leaves the engine's folder"
    assert all(name.startswith(f"{_TEMP_PREFIX}{proc.pid}-") for name in left)
    assert remove_leftovers(str(temp)) == [str(temp / name) for name in left]
    assert os.listdir(temp) == []


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
