"""A bitmap over the pixel budget is refused before the engine draws it (LM622)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from .conftest import MODELS, CliResult


def test_refused_before_drawing_and_nothing_written(cli: Callable[..., CliResult],
                                                    tmp_path: Path) -> None:
    shutil.copy(MODELS / "parenting_realist.yaml", tmp_path / "m.yaml")
    (tmp_path / "logicmodel.toml").write_text("max-pixels = 500000\n")
    r = cli("render", "m.yaml", "-o", "fig.svg", "-o", "fig.png", cwd=tmp_path)
    assert r.code == 3
    assert "LM622 the PNG would be" in r.err
    assert "over the limit of 0.5 megapixels" in r.err
    assert "hint: write SVG or PDF instead" in r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["logicmodel.toml", "m.yaml"]
    # SVG and PDF have no pixels; a low enough resolution fits the budget
    assert cli("render", "m.yaml", "-o", "fig.svg", "-o", "fig.pdf", cwd=tmp_path).code == 0
    assert cli("render", "m.yaml", "-o", "fig.png", "--dpi", "30", cwd=tmp_path).code == 0
    tiff = cli("render", "m.yaml", "-o", "fig.tif", cwd=tmp_path)
    assert (tiff.code, "LM622 the TIFF" in tiff.err) == (3, True)


def test_the_default_budget_takes_a_page_at_600_dpi(cli: Callable[..., CliResult],
                                                    tmp_path: Path) -> None:
    r = cli("render", str(MODELS / "devolved_budgets.yaml"), "--view", "paper", "--fit", "page",
            "--key", "caption", "-o", str(tmp_path / "fig.tif"))
    assert r.code == 0, r.err
    huge = cli("render", str(MODELS / "devolved_budgets.yaml"), "-o", str(tmp_path / "x.png"),
               "--dpi", "2400")
    assert huge.code == 3
    assert "LM622" in huge.err
    assert not (tmp_path / "x.png").exists()
