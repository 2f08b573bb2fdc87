"""How fast is `logicmodel diff --render`, and what does marking the changes cost?

Run: python benchmarks/diff_render_bench.py  (prints a table; takes about a minute)

Pairs of versions: the flagship's protocol version against the final one, and
synthetic layered models of 100 and 300 nodes (``synthetic.py``) against the
same model drawn with another seed, so that most links differ (a heavy
revision: many added and removed links to draw). For each pair:

* ``diff``: :func:`diff_models` on loaded models;
* ``scene+DOT``: the diff figure's scene and DOT text (:func:`render_diff` to
  ``dot``), against ``plain DOT``, :func:`render` of the new model to ``dot``;
* ``diff SVG`` and ``plain SVG``: the same through the embedded engine;
* ``CLI``: ``logicmodel diff OLD NEW --render FILE.svg`` in a fresh process, and
  ``logicmodel diff OLD NEW`` without a figure.

Times are medians, in milliseconds.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import synthetic_model
from timing import median_seconds

from logicmodel.diff import diff_models
from logicmodel.loader import load
from logicmodel.render import render
from logicmodel.render.diff import render_diff

ROOT = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).parent / "logicmodel"


def ms(fn: Callable[[], object], repeat: int) -> float:
    return median_seconds(fn, repeat) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pairs: list[tuple[str, Path, Path]] = [
            ("flagship", ROOT / "docs/examples/devolved_budgets_protocol.yaml",
             ROOT / "models/devolved_budgets.yaml")]
        for n in (100, 300):
            old, new = Path(tmp, f"old{n}.yaml"), Path(tmp, f"new{n}.yaml")
            old.write_text(synthetic_model(n, seed=1), encoding="utf-8")
            new.write_text(synthetic_model(n, seed=2), encoding="utf-8")
            pairs.append((f"{n} nodes", old, new))
        head = (f"{'pair':<10} {'changes':>8} {'diff':>7} {'scene+DOT':>10} {'plain DOT':>10} "
                f"{'diff SVG':>9} {'plain SVG':>10} {'CLI+fig':>8} {'CLI':>6}")
        print(head)
        print("-" * len(head))
        for name, old_path, new_path in pairs:
            print(f"{name:<10} " + _row(old_path, new_path, Path(tmp, "c.svg"),
                                         svg_runs=3 if "300" in name else 5))


def _row(old_path: Path, new_path: Path, out: Path, svg_runs: int) -> str:
    a, b = load(old_path), load(new_path)
    d = diff_models(a, b)
    return " ".join([
        f"{len(d.changes):>8}",
        f"{ms(lambda: diff_models(a, b), 20):>7.1f}",
        f"{ms(lambda: render_diff(a, b, 'dot', d=d), 20):>10.1f}",
        f"{ms(lambda: render(b, 'dot'), 20):>10.1f}",
        f"{ms(lambda: render_diff(a, b, 'svg', d=d), svg_runs):>9.0f}",
        f"{ms(lambda: render(b, 'svg'), svg_runs):>10.0f}",
        f"{ms(lambda: _cli(old_path, new_path, out), 3):>8.0f}",
        f"{ms(lambda: _cli(old_path, new_path, None), 3):>6.0f}",
    ])


def _cli(old: Path, new: Path, out: Path | None) -> None:
    args = [str(EXE), "diff", str(old), str(new)] + (["--render", str(out)] if out else [])
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True)


if __name__ == "__main__":
    main()
