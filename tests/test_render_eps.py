"""EPS for journals: the SVG's layout and size, the font embedded.

(That its bytes are the same under every hash seed is checked with every other
format in test_determinism.py.)

Ghostscript reads the EPS back (as a journal's or a typesetter's software
would): it must find every font in the file, and draw the same picture as it
draws from the PDF. A developer without Ghostscript (``gs``) skips that test;
CI (``.ci/run`` installs it) never does.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

import logicmodel
from logicmodel.loader import load_text
from logicmodel.render import RenderOptions, render, render_all
from logicmodel.schema import LogicModel

from .conftest import MODELS, CliResult

FLAGSHIP = MODELS / "devolved_budgets.yaml"

GS = shutil.which("gs")
needs_gs = pytest.mark.skipif(GS is None and not os.environ.get("CI"),
                              reason="needs Ghostscript (apt-get install ghostscript); "
                                     ".ci/run installs it")


def _svg_size(svg: bytes) -> tuple[float, float]:
    m = re.search(rb'<svg[^>]*width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    assert m is not None
    return float(m.group(1)), float(m.group(2))


def _fonts(eps: bytes) -> tuple[set[str], set[str]]:
    """The fonts the EPS draws with, and the Type 42 fonts it carries."""
    used = set(re.findall(rb"/([A-Za-z0-9-]+) findfont", eps))
    carried = set(re.findall(rb"%%BeginResource: font ([A-Za-z0-9-]+)\n11 dict begin\n"
                             rb"/FontName /\1 def\n/FontType 42 def", eps))
    return {u.decode() for u in used}, {c.decode() for c in carried}


def test_eps_has_the_svg_size_and_carries_its_font() -> None:
    model = logicmodel.load(FLAGSHIP)
    for options in (RenderOptions(), RenderOptions(view="paper", fit="page")):
        svg, eps = (r.data for r in render_all(model, ["svg", "eps"], options))
        width, height = _svg_size(svg)
        assert eps.startswith(b"%!PS-Adobe-3.0 EPSF-3.0\n")
        assert f"%%BoundingBox: 0 0 {math.ceil(width)} {math.ceil(height)}\n".encode() in eps
        hires = re.search(rb"%%HiResBoundingBox: 0 0 ([\d.]+) ([\d.]+)\n", eps)
        assert hires is not None
        assert float(hires.group(1)) == pytest.approx(width, abs=0.01)
        assert float(hires.group(2)) == pytest.approx(height, abs=0.01)
        used, carried = _fonts(eps)
        assert used
        assert used == carried  # every font drawn with is in the file: none left to the reader
        assert b"CreationDate" not in eps
        assert b"(Reduced need for) show" in eps or b"(Reduced need for ) show" in eps


MANY_LETTERS = """\
logicmodel: 1
title: "Ünïcode: Ελληνικά и кириллица"
nodes:
  - {id: a, kind: activity, label: "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ αβγδεζηθικλμνξοπρστυφχψω άέήίόύώ"}
  - {id: b, kind: output, label: "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ ёЁ"}
  - {id: b2, kind: output, label: "абвгдежзийклмнопрстуфхцчшщъыьэюя"}
  - {id: c, kind: outcome, horizon: short,
     label: "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞß àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ ĀāĂăĄąĆćĈĉĊċČčĎď"}
  - {id: d, kind: impact, label: "ĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĲĳĴĵĶķĸĹĺĻļĽľĿŀŁłŃńŅņŇňŉŊŋŌō"}
links:
  - {from: a, to: b}
  - {from: a, to: b2}
  - {from: b, to: c}
  - {from: c, to: d}
"""


def _many_letters() -> LogicModel:
    doc = load_text(MANY_LETTERS)
    assert doc.model is not None, doc.diagnostics
    return doc.model


def test_text_beyond_one_subset_of_256_characters_is_carried_too() -> None:
    eps = render(_many_letters(), "eps").data
    used, carried = _fonts(eps)
    assert len(used) >= 2  # more characters than one subset holds
    assert used == carried


def test_scripts_the_font_lacks_are_refused_with_lm618() -> None:
    from logicmodel.render import FontCoverageError

    doc = load_text("logicmodel: 1\ntitle: T\nnodes:\n"
                    "  - {id: a, kind: activity, label: 家庭访视}\n")
    assert doc.model is not None
    with pytest.raises(FontCoverageError, match="EPS output cannot draw") as caught:
        render(doc.model, "eps")
    assert caught.value.code == "LM618"


def _gs(args: list[str]) -> subprocess.CompletedProcess[str]:
    assert GS is not None, "Ghostscript (gs) is not installed"
    return subprocess.run([GS, "-dSAFER", "-dBATCH", "-dNOPAUSE", *args],
                          capture_output=True, text=True, timeout=120, check=True)


@needs_gs
@pytest.mark.parametrize("which", ["flagship", "many letters"])
def test_ghostscript_draws_the_eps_as_it_draws_the_pdf(tmp_path: Path, which: str) -> None:
    from PIL import Image, ImageChops

    model = logicmodel.load(FLAGSHIP) if which == "flagship" else _many_letters()
    eps, pdf = (r.data for r in render_all(model, ["eps", "pdf"]))
    (tmp_path / "fig.eps").write_bytes(eps)
    (tmp_path / "fig.pdf").write_bytes(pdf)
    run = _gs(["-dEPSCrop", "-sDEVICE=png16m", "-r100", f"-sOutputFile={tmp_path / 'eps.png'}",
               str(tmp_path / "fig.eps")])
    assert "Can't find" not in run.stdout + run.stderr  # no font substituted
    assert "Error" not in run.stdout + run.stderr
    _gs(["-sDEVICE=png16m", "-r100", f"-sOutputFile={tmp_path / 'pdf.png'}",
         str(tmp_path / "fig.pdf")])
    a = Image.open(tmp_path / "eps.png").convert("L")
    b = Image.open(tmp_path / "pdf.png").convert("L")
    assert a.size == b.size
    assert sum(a.histogram()[:64]) > 0  # something was drawn, in black
    differ = sum(ImageChops.difference(a, b).histogram()[32:])
    assert differ < a.size[0] * a.size[1] / 1000


@pytest.mark.parametrize("figure", ["diff", "variants", "versions"])
def test_diff_variants_and_versions_figures_are_eps_and_tiff_too(
        cli: Callable[..., CliResult], tmp_path: Path, figure: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The other figures take a journal's formats too, at the size of their own SVG."""
    args = {"diff": ["diff", "docs/examples/devolved_budgets_protocol.yaml",
                     "models/devolved_budgets.yaml", "--render"],
            "variants": ["render", "models/devolved_budgets.yaml", "--variants", "-o"],
            "versions": ["render", "models/devolved_budgets_summary.yaml", "--versions", "-o"],
            }[figure]
    outputs = [str(tmp_path / f"f.{suffix}") for suffix in ("svg", "eps", "tif")]
    *command, flag = args
    # the diff's TIFF at its 600 dpi is over 100 megapixels: within the pixel budget, past
    # the size at which Pillow warns of a decompression bomb
    dpi = [] if figure == "diff" else ["--dpi", "150"]
    r = cli(*command, *dpi, *(x for out in outputs for x in (flag, out)))
    assert r.code == 0, r.err
    width, height = _svg_size((tmp_path / "f.svg").read_bytes())
    eps = (tmp_path / "f.eps").read_bytes()
    assert f"%%BoundingBox: 0 0 {math.ceil(width)} {math.ceil(height)}\n".encode() in eps
    used, carried = _fonts(eps)
    assert used
    assert used == carried
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)  # a 600 dpi figure, ~100 megapixels
    with Image.open(tmp_path / "f.tif") as tif:
        assert tif.format == "TIFF"
        dpi = tif.info["dpi"][0]
        assert tif.size[0] == pytest.approx(width / 72 * dpi, rel=0.002)
