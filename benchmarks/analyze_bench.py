"""How does `logicmodel analyze` compare with `logicmodel check` on the same file?

Run: python benchmarks/analyze_bench.py  (prints a table; takes about a minute)

Models come from ``benchmarks/synthetic.py`` with indicators on outputs, outcomes and the
impact (1,000 nodes: 625 measured). For each, the table gives the cold-start wall time
of ``logicmodel check FILE`` and ``logicmodel analyze FILE`` (fresh processes, as CI
pays them), their ratio, and in-process times of the three parts of ``analyze``.

Before the testable implications were computed from one walk per measured node
(instead of one per pair), ``analyze`` took 83.5 s on the 1,000-node model, about 60
times ``check``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import synthetic_model
from timing import median_seconds

from logicmodel.analysis import fragility, implications, scorecard, skeleton
from logicmodel.loader import load

BIN = Path(sys.executable).parent / "logicmodel"


def cold(args: list[str], repeat: int) -> float:
    def run() -> None:
        subprocess.run([str(BIN), *args], capture_output=True, check=False)
    run()  # warm the file cache
    return median_seconds(run, repeat)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="lm-analyze-bench-"))
    print(f"{'nodes':>6} {'links':>6} {'measured':>9} {'check s':>8} {'analyze s':>10} "
          f"{'ratio':>6} {'fragility s':>12} {'scorecard s':>12} {'implications s':>15}")
    for n in (100, 300, 1000, 2000):
        path = work / f"n{n}.yaml"
        path.write_text(synthetic_model(n, measure_outputs=True), encoding="utf-8")
        model = load(path)
        sk = skeleton(model)
        measured = sum(1 for node in model.nodes if getattr(node, "indicators", None))
        t_check = cold(["check", str(path)], 5)
        t_analyze = cold(["analyze", str(path)], 5)
        t_frag = median_seconds(lambda: fragility(model, sk=sk), 3)  # noqa: B023
        t_score = median_seconds(lambda: scorecard(model), 3)  # noqa: B023
        t_imp = median_seconds(lambda: implications(model, sk), 3)  # noqa: B023
        print(f"{n:>6} {len(model.links):>6} {measured:>9} {t_check:>8.2f} {t_analyze:>10.2f} "
              f"{t_analyze / t_check:>6.2f} {t_frag:>12.3f} {t_score:>12.3f} {t_imp:>15.3f}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
