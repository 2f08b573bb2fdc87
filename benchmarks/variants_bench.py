"""What do variants cost `logicmodel check`? The flagship's pilots, and 20 variants of 1,000 nodes.

Run: python benchmarks/variants_bench.py  (prints two tables; takes about two minutes)

* the flagship with its three pilot variants against the same file without them
  (`variants:` cut off): in-process (read, parse, validate, all rules, every variant)
  and cold start (`logicmodel check FILE`, a fresh process, what CI pays);
* a 1,000-node synthetic model with 0 to 20 variants, each changing two labels and an
  indicator's target, adding a node and a link and removing a link: the time per
  variant should stay flat if checking is linear in the number of variants.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import synthetic_model
from timing import median_seconds

from logicmodel.checking import load_all_checked
from logicmodel.config import Config

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FLAGSHIP = ROOT / "models" / "devolved_budgets.yaml"


def without_variants(text: str) -> str:
    """The model text with its `variants:` section (and the comment above it) cut off."""
    cut = text.index("\nvariants:\n")
    head = text[:cut].rstrip("\n").splitlines()
    while head and head[-1].startswith("#"):
        head.pop()
    return "\n".join(head).rstrip() + "\n"


def with_variants(n_nodes: int, k: int) -> str:
    text = synthetic_model(n_nodes)
    lines = [text.rstrip("\n")]
    if k:
        lines.append("variants:")
    for v in range(k):
        lines += [
            f"  - id: v{v}", f"    label: Variant {v}",
            "    change:", "      nodes:",
            f"        - {{id: inp0_{v % 10}, label: Input {v} as run at site {v}}}",
            f"        - {{id: act1_{v % 10}, label: Activity {v} as run at site {v}}}",
            f"        - id: imp7_{v % 10}",
            f"          indicators: [{{id: ind_imp7_{v % 10}, target: {v}}}]",
            "    add:", "      nodes:",
            f"        - {{id: site{v}, kind: activity, label: What only site {v} does}}",
            "      links:",
            f"        - {{from: site{v}, to: out2_{v % 10}}}",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="lm-bench-"))
    (work / "logicmodel.toml").write_text("")
    plain = work / "flagship_plain.yaml"
    plain.write_text(without_variants(FLAGSHIP.read_text(encoding="utf-8")), encoding="utf-8")
    config = Config()
    rows = []
    for label, path in (("flagship, no variants", plain), ("flagship + 3 pilots", FLAGSHIP)):
        inproc = median_seconds(lambda p=path: load_all_checked(str(p), config), 30)
        cmd = [str(BIN / "logicmodel"), "check", str(path)]
        subprocess.run(cmd, capture_output=True, check=False)
        cold = median_seconds(lambda c=cmd: subprocess.run(c, capture_output=True, check=False),
                              10)
        rows.append((label, inproc, cold))
    print("Flagship (median; ratio to the model without variants)")
    print(f"{'':24} {'in-process':>12} {'ratio':>6} {'cold start':>12} {'ratio':>6}")
    for label, inproc, cold in rows:
        print(f"{label:24} {inproc * 1000:>10.1f} ms {inproc / rows[0][1]:>5.2f}x "
              f"{cold * 1000:>10.0f} ms {cold / rows[0][2]:>5.2f}x")
    print()
    print("1,000-node model with k variants (in-process, median of 5)")
    print(f"{'k':>3} {'total':>10} {'per variant':>13} {'problems':>9}")
    base_time = None
    for k in (0, 1, 5, 10, 20):
        f = work / f"v{k}.yaml"
        f.write_text(with_variants(1000, k))
        seconds = median_seconds(lambda f=f: load_all_checked(str(f), config), 5)
        problems = len(load_all_checked(str(f), config)[1])
        if base_time is None:
            base_time = seconds
            print(f"{k:>3} {seconds * 1000:>8.0f} ms {'':>13} {problems:>9}")
        else:
            per = (seconds - base_time) / k
            print(f"{k:>3} {seconds * 1000:>8.0f} ms {per * 1000:>10.1f} ms {problems:>9}")


if __name__ == "__main__":
    main()
