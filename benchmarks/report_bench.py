"""How fast are the report formats, the configuration lookup and a check in CI?

Run: python benchmarks/report_bench.py  (prints tables; takes about half a minute)

* formatting: each `--format` on 1,000 and 10,000 diagnostics (in-process, median);
* configuration: reading and validating the project's own pyproject.toml, and finding
  the configuration for 200 files in 20 folders (walking up from each file);
* cold start: `logicmodel check --format F` on the flagship model, a fresh process each
  time, which is what a pre-commit hook or a CI step pays.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from logicmodel.checking import CheckResult
from logicmodel.config import ConfigFinder, load_config
from logicmodel.diagnostics import Diagnostic, Severity, Span
from logicmodel.report import FORMATTERS
from logicmodel.rules import RULES

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import median_seconds

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def result_with(n: int) -> CheckResult:
    codes = [c for c in sorted(RULES) if RULES[c].check is not None]
    diags = []
    for i in range(n):
        code = codes[i % len(codes)]
        r = RULES[code]
        line = 1 + i // 3
        severity = r.severity if i % 5 else Severity.ERROR
        diags.append(Diagnostic(code, r.name, severity,
                                f"`node_{i}` has a problem, 100% of the time",
                                f"models/m{i % 7}.yaml", Span(line, 5, line, 17),
                                ("nodes", i, "id"), "a hint, with: punctuation"))
    return CheckResult(files=[f"models/m{k}.yaml" for k in range(7)], diagnostics=diags)


def main() -> None:
    print("## Formatting (median, in-process)\n")
    print("| format | 1,000 diagnostics | 10,000 diagnostics | output size at 10,000 |")
    print("|---|---|---|---|")
    small, large = result_with(1000), result_with(10_000)
    for name, fmt in FORMATTERS.items():
        t1 = median_seconds(lambda fmt=fmt: fmt(small, False), 7)
        t2 = median_seconds(lambda fmt=fmt: fmt(large, False), 3)
        size = len(fmt(large, False).encode())
        print(f"| {name} | {t1 * 1000:.1f} ms | {t2 * 1000:.0f} ms | {size / 1e6:.1f} MB |")

    print("\n## Configuration (median, in-process)\n")
    t = median_seconds(lambda: load_config(ROOT / "pyproject.toml"), 50)
    print(f"- read and validate pyproject.toml: {t * 1000:.2f} ms")
    with tempfile.TemporaryDirectory(prefix="lm-bench-") as tmp:
        root = Path(tmp)
        (root / "logicmodel.toml").write_text(
            'fail-on = "error"\n[[overrides]]\npaths = ["d1*/"]\nfail-on = "warning"\n')
        files = []
        for d in range(20):
            folder = root / f"d{d}" / "deeper"
            folder.mkdir(parents=True)
            files += [folder / f"m{k}.yaml" for k in range(10)]

        def find_all() -> None:
            finder = ConfigFinder()
            for f in files:
                finder(f)
        t = median_seconds(find_all, 10)
        print(f"- configuration for 200 files in 20 folders (walk up, overrides): "
              f"{t * 1000:.1f} ms ({t / len(files) * 1e6:.0f} µs a file)")

    print("\n## Cold start on the flagship model (median of 9, fresh process)\n")
    print("| command | time |")
    print("|---|---|")
    model = str(ROOT / "models" / "devolved_budgets.yaml")
    for fmt in ("text", "json", "github", "sarif", "junit"):
        cmd = [str(BIN / "logicmodel"), "check", "--format", fmt, model]
        subprocess.run(cmd, capture_output=True, check=False)  # warm the file cache
        t = median_seconds(
            lambda cmd=cmd: subprocess.run(cmd, capture_output=True, check=False), 9)
        print(f"| `logicmodel check --format {fmt}` | {t * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
