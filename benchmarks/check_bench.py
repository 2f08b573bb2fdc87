"""How fast is `logicmodel check`? Side by side with PyYAML's C loader and check-jsonschema.

Run: python benchmarks/check_bench.py  (prints a table; takes about a minute)

* in-process: full check (read, parse, validate, all rules) vs yaml.load(CSafeLoader), the floor
  (as a user calls it, and with the garbage collector paused as logicmodel does); the ratio is
  check / C loader as called by default;
* cold start: `logicmodel check FILE` vs `check-jsonschema --schemafile SCHEMA FILE`, each a
  fresh process, which is what a user pays in CI or a pre-commit hook.
"""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import synthetic_model
from timing import median_seconds

from logicmodel.checking import check_document
from logicmodel.config import Config
from logicmodel.jsonschema import json_schema
from logicmodel.loader import load_file

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def cold(cmd: list[str], repeat: int) -> float:
    def run() -> None:
        subprocess.run(cmd, capture_output=True, check=False)
    run()  # warm the file cache
    return median_seconds(run, repeat)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="lm-bench-"))
    files: dict[str, Path] = {"flagship": ROOT / "models" / "devolved_budgets.yaml"}
    for label, n in (("1,000 nodes", 1000), ("10,000 nodes", 10_000)):
        f = work / f"n{n}.yaml"
        f.write_text(synthetic_model(n))
        files[label] = f
    # the 1 MB model: grow until the file passes 1 MB
    n = 2000
    while True:
        text = synthetic_model(n)
        if len(text.encode()) >= 1_000_000:
            break
        n += 250
    files[f"1 MB ({n:,} nodes)"] = work / "1mb.yaml"
    files[f"1 MB ({n:,} nodes)"].write_text(text)
    schema = work / "logicmodel.schema.json"
    schema.write_text(json.dumps(json_schema()))
    config = Config()

    print(f"{'model':<22}{'size':>10}{'C loader':>12}{'(gc off)':>10}{'check':>10}{'ratio':>8}"
          f"{'ms/1k nodes':>13}")
    for label, f in files.items():
        data = f.read_text()
        doc = load_file(f)
        problems = check_document(doc, config)
        assert doc.model is not None, problems[:3]
        assert not [d for d in problems if d.severity == "error"], problems[:3]
        repeat = 5 if len(data) > 500_000 else 15
        def c_loader(data: str = data) -> object:
            return yaml.load(data, Loader=yaml.CSafeLoader)

        floor = median_seconds(c_loader, repeat)
        gc.disable()
        floor_gc_off = median_seconds(c_loader, repeat)
        gc.enable()
        full = median_seconds(lambda f=f: check_document(load_file(f), config), repeat)
        nodes = len(doc.model.nodes)
        print(f"{label:<22}{len(data) / 1024:>8.0f}KB{floor * 1000:>10.1f}ms"
              f"{floor_gc_off * 1000:>8.1f}ms{full * 1000:>8.1f}ms"
              f"{full / floor:>7.2f}x{full * 1000 / nodes * 1000:>13.1f}")

    print("\ncold start, one process per run (median)")
    print(f"{'model':<22}{'logicmodel check':>18}{'check-jsonschema':>18}{'speed-up':>10}")
    cj = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    lm = str(BIN / "logicmodel")
    for label in ("flagship", next(k for k in files if k.startswith("1 MB"))):
        f = files[label]
        ours = cold([lm, "check", str(f)], 7)
        if cj:
            theirs = cold([cj, "--schemafile", str(schema), str(f)], 5)
            print(f"{label:<22}{ours * 1000:>16.0f}ms{theirs * 1000:>16.0f}ms"
                  f"{theirs / ours:>9.1f}x")
        else:
            print(f"{label:<22}{ours * 1000:>16.0f}ms{'(not installed)':>18}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
