"""What do variants cost `logicmodel check`? The flagship's pilots, and 20 variants of 1,000 nodes.

Run: python benchmarks/variants_bench.py  (prints three tables; takes two minutes or so)

* the flagship with its three pilot variants against the same file without them
  (`variants:` cut off), in-process (read, parse, validate, all rules, every
  variant) and cold start (`logicmodel check FILE`, a fresh process, what CI
  pays, with compiled modules cached as an installed package has them, in a
  temporary folder); the runs take turns, and the medians of CPU time (less disturbed by
  other work on the machine) and wall time are shown. "pilots afresh" checks each
  pilot with every rule on the whole variant, as before a variant reused its
  base's findings (logicmodel.rules.incremental);
* where the flagship's pilots' time goes, stage by stage (medians; each run reads
  the file afresh, so what is worked out once per base is paid by its first
  variant, as in `logicmodel check`);
* a 1,000-node synthetic model with 0 to 20 variants, each changing two labels and
  an indicator's target, adding a node and a link and removing a link: "per
  variant" (the time above the model alone, divided by k) and "step" (the time
  each variant added since the row above costs) stay flat when checking is linear
  in the number of variants; "afresh" is the same check with every variant
  checked with every rule on the whole variant.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import synthetic_model
from timing import interleaved_medians

from logicmodel.checking import check_document, check_variants, load_all_checked, load_checked
from logicmodel.config import Config
from logicmodel.loader import parse_document
from logicmodel.variants.load import variant_document

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FLAGSHIP = ROOT / "models" / "devolved_budgets.yaml"
SIZES = (0, 1, 2, 5, 10, 20)
T = TypeVar("T")


def without_variants(text: str) -> str:
    """The model text with its `variants:` section (and the comment above it) cut off."""
    cut = text.index("\nvariants:\n")
    head = text[:cut].rstrip("\n").splitlines()
    while head and head[-1].startswith("#"):
        head.pop()
    return "\n".join(head).rstrip() + "\n"


def _first_links(text: str) -> dict[str, str]:
    """The first link of each node of a synthetic model: its id -> ``from->to``."""
    out: dict[str, str] = {}
    for m in re.finditer(r"  - from: (\S+)\n    to: (\S+)", text):
        out.setdefault(m.group(1), f"{m.group(1)}->{m.group(2)}")
    return out


def with_variants(n_nodes: int, k: int) -> str:
    text = synthetic_model(n_nodes)
    first = _first_links(text)
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
            "    remove:",
            f"      links: ['{first[f'act1_{10 + v}']}']",
        ]
    return "\n".join(lines) + "\n"


def _afresh(path: Path | str, config: Config) -> None:
    """The flagship checked with each pilot checked afresh (no findings of the base kept)."""
    doc, _ = load_checked(str(path), config)
    doc.rule_run = None
    check_variants(doc, config)


def flagship(work: Path, config: Config) -> None:
    plain = work / "flagship_plain.yaml"
    plain.write_text(without_variants(FLAGSHIP.read_text(encoding="utf-8")), encoding="utf-8")
    assert not load_all_checked(str(plain), config)[0].variants
    assert len(load_all_checked(str(FLAGSHIP), config)[0].variants) == 3
    inproc = interleaved_medians([
        lambda: load_all_checked(str(plain), config),
        lambda: load_all_checked(str(FLAGSHIP), config),
        lambda: _afresh(FLAGSHIP, config),
    ], 60)
    cmds = [[str(BIN / "logicmodel"), "check", str(p)] for p in (plain, FLAGSHIP)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    for cmd in cmds:  # the first runs compile and cache every module they import
        subprocess.run(cmd, capture_output=True, check=False, env=env)
    cold = interleaved_medians(
        [lambda c=cmd: subprocess.run(c, capture_output=True, check=False, env=env)
         for cmd in cmds], 12)
    print("Flagship: `check` on the model without its variants, and with its three pilots")
    print("(medians; the ratio is to the model without variants)")
    print(f"{'':26} {'in-process CPU':>14} {'ratio':>6} {'wall':>9} "
          f"{'cold start CPU':>15} {'ratio':>6} {'wall':>9}")
    rows = [("flagship, no variants", inproc[0], cold[0]),
            ("flagship + 3 pilots", inproc[1], cold[1]),
            ("  (pilots afresh)", inproc[2], None)]
    for label, (wall, cpu), start in rows:
        line = (f"{label:26} {cpu * 1000:>11.2f} ms {cpu / inproc[0][1]:>5.2f}x "
                f"{wall * 1000:>6.2f} ms")
        if start is not None:
            line += (f" {start[1] * 1000:>12.0f} ms {start[1] / cold[0][1]:>5.2f}x "
                     f"{start[0] * 1000:>6.0f} ms")
        print(line)


def stages(work: Path, config: Config, repeat: int = 200) -> None:
    """The flagship's check, stage by stage, with and without its pilots."""
    plain = (work / "flagship_plain.yaml").read_bytes()
    full = FLAGSHIP.read_bytes()
    name = str(FLAGSHIP.relative_to(ROOT))
    pilots = [v.id for v in parse_document(full, name).variants]
    times: dict[str, list[float]] = {}

    def timed(label: str, fn: Callable[[], T]) -> T:
        start = time.process_time()
        out = fn()
        times.setdefault(label, []).append(time.process_time() - start)
        return out

    for _ in range(repeat):
        alone = timed("read, no variants", lambda: parse_document(plain, name))
        timed("check, no variants", lambda d=alone: check_document(d, config))
        doc = timed("read, with pilots", lambda: parse_document(full, name))
        base = timed("check the base", lambda d=doc: check_document(d, config))
        doc.checked = (config, base)
        for pilot in pilots:
            merged = timed(f"merge {pilot}", lambda p=pilot, d=doc: variant_document(d, p))
            timed(f"check {pilot}", lambda m=merged: check_document(m, config))
    med = {label: statistics.median(ts) * 1000 for label, ts in times.items()}
    single = med["read, no variants"] + med["check, no variants"]
    print()
    print("Where the pilots' time goes (medians of CPU time; share of the model alone)")
    rows = [("read the model (no variants)", med["read, no variants"]),
            ("check it", med["check, no variants"]),
            ("read it with its variants", med["read, with pilots"]),
            ("check the base", med["check the base"])]
    rows += [(f"{what} {pilot}", med[f"{what} {pilot}"])
             for pilot in pilots for what in ("merge", "check")]
    for label, ms in rows:
        print(f"  {label:34} {ms:>7.3f} ms {ms / single:>6.1%}")
    extra = (med["read, with pilots"] - med["read, no variants"]
             + med["check the base"] - med["check, no variants"])
    merges = sum(med[f"merge {p}"] for p in pilots)
    checks = sum(med[f"check {p}"] for p in pilots)
    print(f"  {'reading `variants:`':34} {extra:>7.3f} ms {extra / single:>6.1%}")
    print(f"  {'merging the pilots':34} {merges:>7.3f} ms {merges / single:>6.1%}")
    print(f"  {'checking the pilots':34} {checks:>7.3f} ms {checks / single:>6.1%}")
    total = single + extra + merges + checks
    print(f"  {'with the pilots, in all':34} {total:>7.3f} ms {total / single:>6.2f}x")


def linearity(work: Path, config: Config) -> None:
    files = []
    for k in SIZES:
        f = work / f"v{k}.yaml"
        f.write_text(with_variants(1000, k))
        files.append(f)
        load_all_checked(str(f), config)
    runs = [lambda f=f: load_all_checked(str(f), config) for f in files]
    runs += [lambda f=f: _afresh(f, config) for f in files]
    times = interleaved_medians(runs, 5)
    fresh = times[len(files):]
    print()
    print("1,000-node model with k variants (in-process; medians of 5; CPU time, wall beside)")
    print(f"{'k':>3} {'total':>9} {'wall':>9} {'per variant':>12} {'step':>9} {'problems':>9}"
          f" {'afresh':>9} {'per variant':>12}")
    base = times[0][1]
    for n, (k, f, (wall, cpu)) in enumerate(zip(SIZES, files, times[:len(files)], strict=True)):
        problems = len(load_all_checked(str(f), config)[1])
        if not k:
            print(f"{k:>3} {cpu * 1000:>6.0f} ms {wall * 1000:>6.0f} ms {'':>12} {'':>9} "
                  f"{problems:>9} {fresh[n][1] * 1000:>6.0f} ms")
            continue
        per = (cpu - base) / k
        step = (cpu - times[n - 1][1]) / (k - SIZES[n - 1])
        again = (fresh[n][1] - fresh[0][1]) / k
        print(f"{k:>3} {cpu * 1000:>6.0f} ms {wall * 1000:>6.0f} ms {per * 1000:>9.1f} ms "
              f"{step * 1000:>6.1f} ms {problems:>9} {fresh[n][1] * 1000:>6.0f} ms "
              f"{again * 1000:>9.1f} ms")


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="lm-bench-"))
    (work / "logicmodel.toml").write_text("")
    config = Config()
    flagship(work, config)
    stages(work, config)
    linearity(work, config)


if __name__ == "__main__":
    main()
