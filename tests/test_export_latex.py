"""The LaTeX tables compile: pdflatex with booktabs, on the flagship and on hostile text."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from logicmodel.export import export
from logicmodel.loader import load, load_text
from tests.conftest import ROOT
from tests.test_export import HOSTILE

TABLES = ("logframe", "indicator-plan", "assumptions", "cmo")


def _pdflatex() -> str:
    found = shutil.which("pdflatex")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("pdflatex is missing: .ci/run installs texlive-latex-recommended")
        pytest.skip("pdflatex is not installed (apt-get install texlive-latex-recommended)")
    return found


@pytest.mark.parametrize("which", ["flagship", "hostile"])
def test_latex_tables_compile(which: str, tmp_path: Path) -> None:
    pdflatex = _pdflatex()
    if which == "flagship":
        model = load(ROOT / "models" / "devolved_budgets.yaml")
    else:
        doc = load_text(HOSTILE)
        assert doc.model is not None
        model = doc.model
    body = "\n\n".join(export(model, t, "latex") for t in TABLES)
    tex = ("\\documentclass{article}\n\\usepackage[T1]{fontenc}\n"
           "\\usepackage{booktabs,longtable}\n"
           "\\usepackage[margin=2cm,landscape]{geometry}\n\\begin{document}\n\\small\n"
           f"{body}\n\\end{{document}}\n")
    (tmp_path / "tables.tex").write_text(tex, encoding="utf-8")
    proc = subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
         "tables.tex"], cwd=tmp_path, capture_output=True, timeout=120,
        check=False)
    log = (tmp_path / "tables.log").read_text(encoding="utf-8", errors="replace")
    assert proc.returncode == 0, log[-3000:]
    assert (tmp_path / "tables.pdf").stat().st_size > 1000
    for problem in ("Undefined control sequence", "Missing $ inserted", "Overfull \\hbox"):
        assert problem not in log, problem
