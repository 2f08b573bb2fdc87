"""Every output is byte-identical across processes, whatever PYTHONHASHSEED is.

One process per seed runs the real command line for every format the project
writes (figures, diff figures, exports, check reports, analyses, diffs, the
schema), with the formats taken from the project's own tables so that a new
format is covered the day it is added. Each process prints the SHA-256 of every
output; the seeds must agree on all of them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from logicmodel.export import OUTPUTS, STYLES
from logicmodel.render import FORMATS as FIGURE_SUFFIXES
from logicmodel.render.diff import DIFF_FORMATS
from logicmodel.render.themes import THEMES
from logicmodel.report import FORMATTERS
from tests.conftest import MODELS, ROOT, needs_dot

FLAGSHIP = MODELS / "devolved_budgets.yaml"
SUMMARY = MODELS / "devolved_budgets_summary.yaml"  # its short version
PROTOCOL = ROOT / "docs" / "examples" / "devolved_budgets_protocol.yaml"
BROKEN = ROOT / "tests" / "negative" / "graph" / "devolved_budgets_typos.yaml"

# Runs in each process: argv lists in, {output name: sha256} out.
_RUNNER = """
import contextlib, hashlib, io, json, os, sys
from logicmodel.cli import main
jobs = json.loads(sys.argv[1])
digests = {}
for name, argv in jobs:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    digests[name + " stdout"] = hashlib.sha256(out.getvalue().encode()).hexdigest()
    digests[name + " exit"] = str(code)
for folder, dirs, files in sorted(os.walk(".")):
    for name in sorted(files):
        path = os.path.relpath(os.path.join(folder, name))
        with open(path, "rb") as f:
            digests[path] = hashlib.sha256(f.read()).hexdigest()
print(json.dumps(digests, sort_keys=True))
"""


def _jobs() -> list[tuple[str, list[str]]]:
    model, broken = str(FLAGSHIP), str(BROKEN)
    jobs: list[tuple[str, list[str]]] = []
    suffixes = {fmt: suffix for suffix, fmt in reversed(FIGURE_SUFFIXES.items())}
    for theme in THEMES:
        outs = [f"figure-{theme}{suffix}" for suffix in suffixes.values()]
        jobs.append((f"render {theme}", ["render", model, "--theme", theme,
                                          *(a for o in outs for a in ("-o", o))]))
    jobs.append(("render dot engine", ["render", model, "--engine", "dot",
                                       "-o", "engine-dot.svg", "-o", "engine-dot.png"]))
    jobs.append(("render variants", ["render", model, "--variants", "--fit", "page",
                                     "--dpi", "100", *(
        a for suffix in ("svg", "png", "pdf", "tif", "dot", "txt")
        for a in ("-o", f"variants.{suffix}"))]))
    jobs.append(("render paper view", ["render", model, "--view", "paper",
                                       "-o", "paper.svg", "-o", "paper.pdf"]))
    banded = str(ROOT / "docs" / "examples" / "khan2017_ecd_pakistan.yaml")
    jobs.append(("render bands", ["render", banded, "-o", "bands.dot", "-o", "bands.svg"]))
    jobs.append(("render bands TB", ["render", banded, "--view", "paper", "-o",
                                     "bands-tb.svg"]))
    for fmt, suffixes in OUTPUTS.items():
        for style in STYLES.get(fmt, ("",)):
            suffix = next(x for x, implied in suffixes.items() if implied in (style, ""))
            source = str(SUMMARY) if fmt == "versions" else model
            jobs.append((f"export {fmt} {style}", [
                "export", source, "--to", fmt, *(["--style", style] if style else []),
                "-o", f"export-{fmt}-{style or 'plain'}{suffix}"]))
    for fmt in FORMATTERS:
        jobs.append((f"check {fmt}", ["check", "--format", fmt, broken, model]))
    for fmt in ("text", "json"):
        jobs.append((f"analyze {fmt}", ["analyze", model, "--format", fmt]))
        jobs.append((f"paths {fmt}", ["paths", model, "--format", fmt]))
        jobs.append((f"diff {fmt}", ["diff", str(PROTOCOL), model, "--format", fmt]))
    jobs.append(("diff figures", ["diff", str(PROTOCOL), model, *(
        a for f in DIFF_FORMATS for a in ("--render", _diff_file(f)))]))
    jobs.append(("diff figures fitted", ["diff", str(PROTOCOL), model, "--fit", "174mm",
                                         "--render", "diff-fit.svg", "--render", "diff-fit.png",
                                         "--render", "diff-fit.dot"]))
    jobs.append(("render versions", ["render", str(SUMMARY), "--versions", "-o", "versions.svg",
                                     "-o", "versions.png", "-o", "versions.pdf"]))
    jobs.append(("schema", ["schema"]))
    return jobs


def _diff_file(fmt: str) -> str:
    """The diff figure's file in ``fmt`` (the key as caption text: .txt)."""
    return f"diff.{'txt' if fmt == 'caption' else fmt}"


def _digests(seed: str, cwd: Path) -> dict[str, str]:
    cwd.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    proc = subprocess.run([sys.executable, "-c", _RUNNER, json.dumps(_jobs())], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    digests: dict[str, str] = json.loads(proc.stdout)
    return digests


@needs_dot
def test_every_output_is_identical_under_every_hash_seed(tmp_path: Path) -> None:
    runs = {seed: _digests(seed, tmp_path / f"seed-{seed}") for seed in ("1", "2", "1234567")}
    first = runs["1"]
    # every format was written, and every command ran as it should
    for fmt in FIGURE_SUFFIXES.values():
        assert any(name.startswith("figure-") and FIGURE_SUFFIXES.get(Path(name).suffix) == fmt
                   for name in first), fmt
    assert {first[_diff_file(f)] for f in DIFF_FORMATS}
    assert first["check text exit"] == "1"
    assert all(first[f"{name} exit"] == "0" for name, _ in _jobs() if not name.startswith("check"))
    for seed, digests in runs.items():
        differ = sorted(k for k in first.keys() | digests.keys()
                        if first.get(k) != digests.get(k))
        assert not differ, f"PYTHONHASHSEED={seed} changed: {', '.join(differ)}"
