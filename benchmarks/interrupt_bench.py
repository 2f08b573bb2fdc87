"""Kill `logicmodel render` while its engine runs, many times, and count what is left.

    python benchmarks/interrupt_bench.py [RUNS]

For each of SIGTERM, SIGINT and SIGKILL, RUNS renders of a 300-node model to a
300-dpi PNG (``--timeout 5``) are signalled at a random moment after the engine
starts. Printed per signal: exit statuses seen, engines still running 0.3 s
afterwards, how long the longest outlived logicmodel (wall and CPU seconds),
engines still running past their CPU-time limit (6 s; none may be), temporary
folders and files left, tracebacks printed, and how many leftovers the next run
removed.

SIGTERM and SIGINT stop the engine before logicmodel exits. A SIGKILL cannot be
caught: the engine then runs on until it next writes (nobody reads its output)
or reaches its CPU-time limit, whichever comes first.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.test_interrupt import _alive, _big_model, _children, _cpu_seconds, _lays_out

TIMEOUT = 5  # the engine's CPU-time limit is a second over it


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    work = Path(tempfile.mkdtemp(prefix="interrupt-bench-"))
    model = _big_model(work / "big.yaml")
    rng = random.Random(8)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGKILL):
        statuses: Counter[int] = Counter()
        orphans = past_limit = temp_left = out_left = tracebacks = tidied = 0
        longest, most_cpu = 0.0, 0.0
        for _ in range(runs):
            temp, out = work / "tmp", work / "out"
            for d in (temp, out):
                shutil.rmtree(d, ignore_errors=True)
                d.mkdir()
            env = {**os.environ, "TMPDIR": str(temp)}
            proc = subprocess.Popen(
                [sys.executable, "-c", "from logicmodel.cli import console_main; console_main()",
                 "render", str(model), "--dpi", "300", "-o", str(out / "big.png"),
                 "--timeout", str(TIMEOUT)],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            engines: list[int] = []
            while not engines and proc.poll() is None:
                engines = [pid for pid in _children(proc.pid) if _lays_out(pid)]
                time.sleep(0.01)
            time.sleep(rng.uniform(0, 1.0))
            proc.send_signal(signum)
            signalled = time.monotonic()
            _, err = proc.communicate(timeout=60)
            statuses[proc.returncode] += 1
            tracebacks += "Traceback" in err
            time.sleep(0.3)
            orphans += sum(_alive(pid) for pid in engines)
            for pid in engines:
                used = 0.0
                while _alive(pid) and time.monotonic() < signalled + 120:
                    used = max(used, _cpu_seconds(pid))
                    time.sleep(0.02)
                longest = max(longest, time.monotonic() - signalled)
                most_cpu = max(most_cpu, used)
                if _alive(pid):
                    past_limit += 1
                    os.kill(pid, signal.SIGKILL)
            temp_left += len(os.listdir(temp))
            out_left += len([n for n in os.listdir(out) if n.endswith(".tmp")])
            if os.listdir(temp):
                from logicmodel.render.engine import remove_leftovers

                tidied += len(remove_leftovers(str(temp)))
        print(f"{signal.Signals(signum).name}: {runs} runs, exit {dict(statuses)}, "
              f"engines running 0.3 s later {orphans} (the longest for {longest:.1f} s, "
              f"{most_cpu:.1f} s of CPU), past the CPU-time limit {past_limit}, "
              f"temp folders left {temp_left} "
              f"(removed by the next run: {tidied}), temp files beside the output {out_left}, "
              f"tracebacks {tracebacks}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
