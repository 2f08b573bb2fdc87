"""Files a submission system takes: opaque PNG and TIFF with their DPI, PDF with pip alone,
figures fitted to a journal's column or page, and scripts the bundled font cannot draw.

Everything here runs with the embedded engine only (no system Graphviz), reads the
files back with independent readers (Pillow for bitmaps, pypdf for PDF) and checks
byte-identity across processes with different hash seeds.
"""

from __future__ import annotations

import io
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from logicmodel.loader import load, load_document, load_text
from logicmodel.render import (
    FontCoverageError,
    RenderOptions,
    format_of,
    render,
    render_all,
)
from logicmodel.render import engine as engine_module
from logicmodel.render.fit import MM, FitError, parse_target
from logicmodel.render.svg import measure_svg
from tests.conftest import MODELS, ROOT, CliResult

FLAGSHIP = MODELS / "devolved_budgets.yaml"
SMALL = """\
logicmodel: 1
title: Reading club
nodes:
  - {id: books, kind: input, label: Donated books}
  - {id: club, kind: activity, label: Weekly reading club}
  - {id: read, kind: outcome, horizon: short, label: Children read more}
links:
  - {from: books, to: club}
  - {from: club, to: read}
"""


def _small():  # type: ignore[no-untyped-def]
    doc = load_text(SMALL)
    assert doc.model is not None
    return doc.model


def test_png_is_opaque_rgb_with_its_dpi_recorded() -> None:
    result = render_all(load(FLAGSHIP), ["svg", "png"])[1]
    image = Image.open(io.BytesIO(result.data))
    assert image.mode == "RGB"
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    assert result.fitted is not None
    assert abs(image.size[0] - result.fitted.width / 72 * 300) <= 2
    # the engine's last row was part-transparent: now every pixel is a colour on white
    corner = image.getpixel((image.size[0] - 1, image.size[1] - 1))
    assert corner == (255, 255, 255)


def test_tiff_is_lzw_at_600_dpi_by_default() -> None:
    result = render(_small(), "tiff")
    image = Image.open(io.BytesIO(result.data))
    assert image.format == "TIFF"
    assert image.mode == "RGB"
    assert image.info["compression"] == "tiff_lzw"
    assert image.info["dpi"] == pytest.approx((600, 600), abs=0.01)
    assert format_of("fig.tif") == format_of("fig.TIFF") == "tiff"


def test_tiff_has_no_stray_bytes_between_its_strips_and_its_directory() -> None:
    # libtiff skips a byte to align the directory; written through Pillow's memory
    # buffer (Pillow 10.1), that byte was whatever the heap held once the buffer grew,
    # so a figure's TIFF changed between processes. Noise makes the strips megabytes
    # long (the buffer grows), and two of the widths leave them an odd length.
    import random

    from logicmodel.render.raster import to_tiff

    odd = 0
    for width in range(1201, 1205):
        garbage = [os.urandom(1 << 16) for _ in range(64)]  # a heap that is not zeroed
        del garbage
        noise = random.Random(width).randbytes(width * 800 * 3)
        png = io.BytesIO()
        Image.frombytes("RGB", (width, 800), noise).save(png, format="PNG", compress_level=1)
        data = to_tiff(png.getvalue(), 600)
        tags = Image.open(io.BytesIO(data)).tag_v2
        strips_end = max(o + n for o, n in zip(tags[273], tags[279], strict=True))
        directory = int.from_bytes(data[4:8], "little")
        odd += directory > strips_end
        assert data[strips_end:directory] == bytes(directory - strips_end)
    assert odd  # the case that matters was exercised


def test_pdf_needs_no_system_graphviz_and_has_the_svgs_layout(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # no `dot` and no `fc-match`: nothing from the system's Graphviz or fontconfig
    monkeypatch.setattr(engine_module.shutil, "which", lambda name: None)
    engine_module._FOUND.pop("dot", None)
    model = load(FLAGSHIP)
    svg, pdf = render_all(model, ["svg", "pdf"])
    assert pdf.engine is not None
    assert pdf.engine.name == "embedded"
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    width, height, _ = measure_svg(svg.data)
    # the page is the SVG's own box: same layout, even margins (the theme's pad)
    assert float(page.mediabox.width) == pytest.approx(width, abs=0.5)
    assert float(page.mediabox.height) == pytest.approx(height, abs=0.5)
    # text is real, selectable text in reading order, in an embedded font
    text = page.extract_text()
    for n in model.nodes:
        assert n.label.split()[0] in text, n.id
    fonts = page["/Resources"]["/Font"]
    for ref in fonts.values():
        font = ref.get_object()
        assert "LiberationSans" in font["/BaseFont"]
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor
    assert reader.metadata is not None
    assert reader.metadata.title == model.title


def test_pdf_of_a_fitted_figure_has_the_final_size() -> None:
    pdf = render(_small(), "pdf", RenderOptions(fit="84x70mm"))
    box = PdfReader(io.BytesIO(pdf.data)).pages[0].mediabox
    assert pdf.fitted is not None
    assert float(box.width) == pytest.approx(pdf.fitted.width, abs=0.5)
    assert float(box.width) <= 84 * MM + 0.5
    assert float(box.height) <= 70 * MM + 0.5
    assert pdf.fitted is not None
    assert pdf.fitted.fits


def _engine_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The formats the engine is run for from now on (the figure's runs, not the key's)."""
    runs: list[str] = []
    real = engine_module.run_engine

    def counting(engine, source, fmt, **kw):  # type: ignore[no-untyped-def]
        runs.append(fmt)
        return real(engine, source, fmt, **kw)

    monkeypatch.setattr("logicmodel.render.run_engine", counting)
    return runs


def test_one_layout_for_several_outputs(monkeypatch: pytest.MonkeyPatch) -> None:
    runs = _engine_runs(monkeypatch)
    results = render_all(_small(), ["svg", "pdf", "dot", "png"])
    assert [r.fmt for r in results] == ["svg", "pdf", "dot", "png"]
    assert runs == ["svg", "png"]  # PDF is drawn from the SVG's layout


@pytest.mark.parametrize(("dpi", "bitmaps"), [(None, ["png@300", "png@600"]), (100, ["png@100"])])
def test_every_output_from_one_layout_of_the_figure_and_its_key(
        monkeypatch: pytest.MonkeyPatch, dpi: float | None, bitmaps: list[str]) -> None:
    runs: list[str] = []
    graphs: list[int] = []
    real, real_start = engine_module.run_engine, engine_module.start_engine

    def counting(engine, source, fmt, **kw):  # type: ignore[no-untyped-def]
        runs.append(fmt + (f"@{kw['dpi']:g}" if kw.get("dpi") else ""))
        graphs.append(len(re.findall(r"^digraph ", source, re.M)))
        return real(engine, source, fmt, **kw)

    def starting(engine, source, fmt, **kw):  # type: ignore[no-untyped-def]
        runs.append(f"{fmt} (key)")
        graphs.append(len(re.findall(r"^digraph ", source, re.M)))
        return real_start(engine, source, fmt, **kw)

    monkeypatch.setattr("logicmodel.render.run_engine", counting)
    monkeypatch.setattr("logicmodel.render.start_engine", starting)
    formats = ["svg", "png", "pdf", "tiff", "eps", "html", "dot", "caption"]
    results = render_all(load(FLAGSHIP), formats, RenderOptions(dpi=dpi))
    assert [r.fmt for r in results] == formats
    # one run lays out the figure while a second beside it lays out its key (a graph of
    # its own): the links' markers are moved beside their lines in the figure's SVG, from
    # which the PDF, EPS and the viewer are drawn; the engine draws bitmaps itself, from
    # the DOT of both (the DOT file's), once per resolution; a shared link whose lines are to
    # meet under one arrowhead routes them anew, so the figure is laid out twice, its key
    # once: routing lines anew changes neither the figure's width nor its key (render/shared;
    # the flagship's budget-to-purchases link)
    dot = results[formats.index("dot")].data.decode()
    ends = re.findall(r"^  (n\d+ -> n\d+) \[.*samehead", dot, re.M)
    again = ["svg"] if any(ends.count(e) > 1 for e in ends) else []
    assert runs == ["svg", "svg (key)", *again, *bitmaps]
    assert graphs == [1, 1, *[1] * len(again), *[2] * len(bitmaps)]


def _drawn(svg: bytes) -> list[tuple[str, str, list[float]]]:
    """What an SVG draws, element by element: each text and line, and its coordinates."""
    out = []
    for m in re.finditer(rb"<(text|path|polyline|polygon|ellipse)\b([^>]*)>([^<]*)", svg):
        attrs = dict(re.findall(rb'\s([\w-]+)="([^"]*)"', m.group(2)))
        text = m.group(3).replace(b"&#160;", b" ").strip().decode()
        if attrs.get(b"fill") == b"transparent" or (m.group(1) == b"text" and not text):
            continue
        where = b" ".join(attrs.get(k, b"") for k in (b"x", b"y", b"d", b"points", b"cx"))
        out.append((m.group(1).decode(), text,
                    [float(v) for v in re.findall(rb"-?\d+(?:\.\d+)?", where)]))
    return out


@pytest.mark.parametrize(("model", "options"), [
    (FLAGSHIP, RenderOptions()),
    (FLAGSHIP, RenderOptions(view="paper", direction="TB")),
    (FLAGSHIP, RenderOptions(view="relationship_pathway", fit="column", min_font=6)),
    (ROOT / "docs" / "examples" / "hiltensperger2024_toc_ceiling.yaml", RenderOptions()),
    (ROOT / "docs" / "examples" / "muext_bsf_uwex.yaml", RenderOptions()),
    (ROOT / "docs" / "examples" / "muext_bsf_uwex.yaml", RenderOptions(direction="TB")),
])
def test_what_is_placed_from_the_layout_is_drawn_as_the_engine_draws_the_dot_file(
        monkeypatch: pytest.MonkeyPatch, model: Path, options: RenderOptions) -> None:
    """The markers beside their lines and the ceiling's line are drawn into the engine's
    SVG without a second layout; the DOT file has the engine draw them at the same places."""
    from logicmodel.render import _run_svg
    from logicmodel.render.engine import find_engine
    from logicmodel.render.svg import finish_svg

    runs = _engine_runs(monkeypatch)
    fitting = options.fit is not None
    svg, dot = render_all(load(model), ["svg", "dot"], options)
    text = dot.data.decode()
    # a shared link whose lines ended too near for an arrowhead each has them aimed at one
    # point, which routes them anew: that figure alone is drawn a second time (render/shared)
    ends = re.findall(r"^  (n\d+ -> n\d+) \[.*samehead", text, re.M)
    joined = any(ends.count(e) > 1 for e in ends)
    assert fitting or runs == ["svg"] * (2 if joined else 1)
    assert "taillabel=" in text or "_background=" in text, "something was placed"
    again = finish_svg(_run_svg(find_engine("embedded"), text, 30).output, "", "")
    # (a fitted figure's scale is only its printed size, in the root element)
    ours, theirs = _drawn(svg.data), _drawn(again)
    assert [d[:2] for d in ours] == [d[:2] for d in theirs]
    assert len(ours) > 50
    for (_, _, a), (_, _, b) in zip(ours, theirs, strict=True):
        # as the engine rounds its numbers, to the hundredth of a point: ours are found from
        # the first layout's rounded numbers and rounded again (a hundredth each way)
        assert a == pytest.approx(b, abs=0.021)


@pytest.mark.parametrize(("text", "width", "height"), [
    ("174x230mm", 174, 230), ("84mm", 84, None), ("17.4 x 23 cm", 174, 230),
    ("column", 84, 230), ("full", 174, 115), ("page", 174, 230), ("6.5in", 165.1, None),
])
def test_fit_targets(text: str, width: float, height: float | None) -> None:
    target = parse_target(text)
    assert target.width / MM == pytest.approx(width, abs=0.01)
    assert (target.height / MM if target.height else None) == (
        pytest.approx(height, abs=0.01) if height else None)


@pytest.mark.parametrize("bad", ["", "84", "x230mm", "174x230", "wide", "2mm", "84 furlongs"])
def test_unreadable_fit_targets_are_lm617(bad: str) -> None:
    with pytest.raises(FitError) as info:
        parse_target(bad)
    assert info.value.code == "LM620"


@pytest.mark.parametrize(("flag", "value", "says"), [
    ("--dpi", "-5", "the resolution must be at least 1 dpi, not -5 (--dpi)"),
    ("--dpi", "0", "the resolution must be at least 1 dpi, not 0 (--dpi)"),
    ("--dpi", "nan", "the resolution must be at least 1 dpi, not nan (--dpi)"),
    ("--min-font", "0", "the smallest text size must be above 0 pt, not 0 (--min-font)"),
    ("--min-font", "nan", "the smallest text size must be above 0 pt, not nan (--min-font)"),
    ("--timeout", "-1", "the time limit must be above 0 and at most a day (86400 s), not -1"),
    ("--timeout", "inf", "the time limit must be above 0 and at most a day (86400 s), not inf"),
    ("--timeout", "1e300", "at most a day (86400 s), not 1e+300 (--timeout)"),
])
def test_a_number_that_means_nothing_is_lm624_before_any_work(
        cli: CliResult, tmp_path: Path, flag: str, value: str, says: str) -> None:
    # each was an internal error (--dpi -5, --min-font nan, --timeout 1e300), a layout
    # "stopped after 0 s" (--timeout 0) or a bitmap at 0 dpi
    out = tmp_path / "m.png"
    r = cli("render", str(MODELS / "devolved_budgets.yaml"), "-o", str(out), "--fit", "84mm",
            flag, value)  # type: ignore[operator]
    assert r.code == 2, r.err
    assert "LM624" in r.err, r.err
    assert says in r.err, r.err
    assert "internal error" not in r.err
    assert list(tmp_path.iterdir()) == []
    d = cli("diff", "docs/examples/devolved_budgets_protocol.yaml",  # type: ignore[operator]
            str(MODELS / "devolved_budgets.yaml"), "--render", str(out), "--dpi", "0")
    assert d.code == 2, d.err
    assert "LM624 the resolution must be at least 1 dpi" in d.err, d.err
    assert list(tmp_path.iterdir()) == []


def test_render_options_refuse_numbers_that_mean_nothing() -> None:
    from logicmodel.errors import UsageError

    for bad in ({"dpi": 0.5}, {"min_font": -7.0}, {"timeout": 0.0}):
        with pytest.raises(UsageError) as info:
            RenderOptions(**bad)  # type: ignore[arg-type]
        assert info.value.code == "LM624"
    assert RenderOptions(dpi=1.0, min_font=0.5, timeout=86400.0).dpi == 1.0


def test_fit_scales_down_never_up_and_keeps_text_readable() -> None:
    small = render(_small(), "svg", RenderOptions(fit="page"))
    assert small.fitted is not None
    assert small.fitted.scale == 1.0  # a small figure is not enlarged
    assert not small.warnings
    narrow = render(_small(), "svg", RenderOptions(fit="column"))
    assert narrow.fitted is not None
    width, _, _ = measure_svg(narrow.data)
    assert width <= 84 * MM + 0.5
    assert _final_smallest_pt(narrow.data) == pytest.approx(narrow.fitted.min_font, abs=0.02)
    assert narrow.fitted.min_font >= 7.0
    assert narrow.fitted.fits


def test_a_figure_that_cannot_fit_says_what_it_needs(cli: CliResult, tmp_path: Path) -> None:
    out = tmp_path / "fig.svg"
    result = cli("render", str(FLAGSHIP), "--fit", "column", "-o", str(out), "-o",  # type: ignore[operator]
                 str(tmp_path / "fig.pdf"))
    assert result.code == 0
    assert result.err.count("LM619") == 1  # once for the layout, not once per file
    assert "does not fit 84 x 230 mm with text of at least 7 pt: it needs" in result.err
    assert _final_smallest_pt(out.read_bytes()) >= 7.0 - 0.01  # never shrunk below it


def _final_smallest_pt(svg: bytes) -> float:
    """The smallest text of an SVG at its printed size (width over viewBox width)."""
    import re

    width, _, smallest = measure_svg(svg)
    m = re.search(rb'viewBox="[0-9.]+ [0-9.]+ ([0-9.]+) ', svg)
    assert m is not None
    return smallest * width / float(m.group(1))


def test_fit_never_draws_text_below_the_minimum() -> None:
    model = load(FLAGSHIP)
    for fit, minimum in (("column", 7.0), ("page", 6.0), ("84mm", 5.0)):
        result = render(model, "svg", RenderOptions(fit=fit, min_font=minimum))
        assert result.fitted is not None
        assert result.fitted.min_font >= minimum - 1e-6
        target = parse_target(fit)
        inside = result.fitted.width <= target.width + 0.5 and (
            target.height is None or result.fitted.height <= target.height + 0.5)
        assert inside == result.fitted.fits
        assert any(w.startswith("LM619") for w in result.warnings) == (not result.fitted.fits)


def test_bad_fit_is_a_usage_error(cli: CliResult, tmp_path: Path) -> None:
    result = cli("render", str(FLAGSHIP), "--fit", "huge", "-o",  # type: ignore[operator]
                 str(tmp_path / "fig.svg"))
    assert result.code == 2
    assert "LM620" in result.err
    assert not (tmp_path / "fig.svg").exists()


CJK = """\
logicmodel: 1
title: T
nodes:
  - {id: a, kind: activity, label: 家庭访问}
  - {id: b, kind: outcome, horizon: short, label: تحسين الصحة}
links:
  - {from: a, to: b}
"""


@pytest.mark.parametrize("fmt", ["png", "pdf", "tiff"])
def test_scripts_the_font_cannot_draw_fail_loudly(fmt: str) -> None:
    doc = load_text(CJK)
    assert doc.model is not None
    with pytest.raises(FontCoverageError) as info:
        render(doc.model, fmt)
    assert info.value.code == "LM618"
    assert "U+5BB6" in str(info.value)


def test_svg_keeps_scripts_for_the_browser(cli: CliResult, tmp_path: Path) -> None:
    model_file = tmp_path / "m.yaml"
    model_file.write_text(CJK, encoding="utf-8")
    svg = render(load(model_file), "svg").data.decode()
    assert "家庭访问" in svg
    assert "تحسين الصحة" in svg
    result = cli("render", str(model_file), "-o", str(tmp_path / "m.svg"),  # type: ignore[operator]
                 "-o", str(tmp_path / "m.pdf"))
    assert result.code == 3
    assert "LM618" in result.err
    assert not (tmp_path / "m.svg").exists()  # nothing half-written


def test_greek_and_cyrillic_are_drawn() -> None:
    doc = load_text(SMALL.replace("Donated books", "Δωρεά βιβλίων").replace(
        "Children read more", "Дети читают больше"))
    assert doc.model is not None
    pdf = render(doc.model, "pdf").data
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Δωρεά" in text
    assert "Дети" in text


_SCRIPT = """
import sys
from logicmodel.loader import load
from logicmodel.render import RenderOptions, render_all
out = render_all(load(sys.argv[1]), ["pdf", "png", "tiff"],
                 RenderOptions(view="paper", fit="page", dpi=150))
sys.stdout.buffer.write(b"".join(r.data for r in out))
"""


def test_pdf_png_and_tiff_are_byte_identical_across_hash_seeds() -> None:
    outputs = set()
    for seed in ("0", "1", "4242"):
        proc = subprocess.run(
            [sys.executable, "-c", _SCRIPT, str(FLAGSHIP)], cwd=ROOT, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, timeout=120)
        outputs.add(proc.stdout)
    assert len(outputs) == 1


def test_key_as_caption_text(cli: CliResult, tmp_path: Path) -> None:
    model = load(FLAGSHIP)
    in_figure, caption = render_all(model, ["svg", "caption"], RenderOptions(view="paper"))
    text = caption.data.decode()
    assert text.startswith("Key. Boxes: boxes with a dashed border, context;")
    assert "hexagons, mechanism" in text
    for p in model.pathways:
        assert f"\u201c{p.label}\u201d" in text
    for i, a in enumerate(model.assumptions, 1):
        assert f"A{i}, {a.label}" in text
    assert "Barriers (B) and enablers (E): B1, " in text
    # --key caption leaves the key out of the figure, which is then smaller
    out = tmp_path / "fig.svg"
    result = cli("render", str(FLAGSHIP), "--view", "paper", "--key", "caption",  # type: ignore[operator]
                 "-o", str(out), "-o", str(tmp_path / "fig.txt"))
    assert result.code == 0
    assert (tmp_path / "fig.txt").read_text(encoding="utf-8") == text
    svg = out.read_text(encoding="utf-8")
    assert "lm&#45;key" in in_figure.data.decode()
    assert "lm&#45;key" not in svg
    assert "Markers" not in svg
    assert "Pathway:" not in svg
    assert measure_svg(out.read_bytes())[1] < 0.9 * measure_svg(in_figure.data)[1]


def test_key_headings_name_only_what_is_drawn() -> None:
    doc = load_text(SMALL.replace("label: Weekly reading club}",
                                  "label: Weekly reading club, moderators: [m1]}")
                    + "moderators:\n  - {id: m1, effect: barrier, label: Few volunteers}\n")
    assert doc.model is not None, doc.diagnostics
    dot, caption = (r.data.decode() for r in render_all(doc.model, ["dot", "caption"]))
    assert "Markers [in a box]: B barrier\\l" in dot
    assert "enabler" not in dot.lower()
    assert "[B1]" in dot
    assert "Markers [in a box]. Barriers (B): B1, Few volunteers." in caption
    assert "enabler" not in caption.lower()


FIT_VIEWS = ["paper", "resources_pathway", "relationship_pathway", "delivery"]


@pytest.mark.parametrize("view", FIT_VIEWS)
def test_flagship_views_fit_a_page_at_7pt_with_the_key_in_the_caption(view: str) -> None:
    result = render(load(FLAGSHIP), "svg",
                    RenderOptions(view=view, fit="174x230mm", key="caption"))
    assert result.fitted is not None
    assert result.fitted.fits, result.warnings
    assert result.fitted.width_mm <= 174.01
    assert result.fitted.height_mm <= 230.01
    assert _final_smallest_pt(result.data) >= 7.0 - 0.01


sys.path.insert(0, str(ROOT / "benchmarks"))
import fit_table  # noqa: E402  (benchmarks/fit_table.py prints the table these figures make)

NAMED_VIEWS = [(p.name, v) for p in sorted(MODELS.glob("*.yaml"))
               for v in fit_table.views(load(p))]
PATHWAY_VIEWS = [(p.name, v) for p in sorted(MODELS.glob("*.yaml"))
                 for v in fit_table.pathway_views(load(p))]


@pytest.mark.parametrize(("name", "view"), NAMED_VIEWS)
def test_every_named_view_fits_a_page_at_7pt_with_its_key(name: str, view: str) -> None:
    """Measured from the SVG and the PDF: within 174 x 230 mm, no text under 7 pt."""
    row = fit_table.measure(load(MODELS / name), name, view, "174x230mm", 7.0)
    print(fit_table.table([row]))
    assert row.fits, row.warning
    assert not row.warning
    for width, height in (row.svg_mm, row.pdf_mm):
        assert width <= 174.01
        assert height <= 230.01
    assert min(row.svg_font, row.pdf_font) >= 7.0 - 0.01


FLAGSHIP_VARIANT_VIEWS = [(spec.id, v) for spec in load_document(FLAGSHIP).variants
                          for v in fit_table.views(load(FLAGSHIP))]


@pytest.mark.parametrize(("variant", "view"), FLAGSHIP_VARIANT_VIEWS)
def test_every_pilot_of_the_flagship_fits_a_page_at_7pt_in_each_named_view(
        cli: CliResult, tmp_path: Path, variant: str, view: str) -> None:
    """A pilot drawn alone (``--variant``), as a paper on one pilot would print it: each
    named view within 174 x 230 mm with no text under 7 pt, measured from the SVG. (The
    Darlington pilot's paper view, 3 mm too high, fits once the fit tries labels half a
    step wider than its first step, which made it too wide.)"""
    out = tmp_path / "fig.svg"
    result = cli("render", str(FLAGSHIP), "--variant", variant, "--view", view,  # type: ignore[operator]
                 "--fit", "174x230mm", "-o", str(out))
    assert result.code == 0, result.err
    assert "LM619" not in result.err, result.err
    width, height, _ = measure_svg(out.read_bytes())
    assert width <= 174 * MM + 0.05
    assert height <= 230 * MM + 0.05
    assert _final_smallest_pt(out.read_bytes()) >= 7.0 - 0.01


@pytest.mark.parametrize(("name", "view"), PATHWAY_VIEWS)
def test_pathway_views_fit_a_column_at_6pt_with_their_key(name: str, view: str) -> None:
    row = fit_table.measure(load(MODELS / name), name, view, "column", 6.0)
    print(fit_table.table([row]))
    assert row.fits, row.warning
    for width, height in (row.svg_mm, row.pdf_mm):
        assert width <= 84.01
        assert height <= 230.01
    assert min(row.svg_font, row.pdf_font) >= 6.0 - 0.01


def test_a_figure_too_wide_for_its_column_says_by_how_much_and_what_would_fit() -> None:
    result = render(load(FLAGSHIP), "svg", RenderOptions(view="resources_pathway", fit="70mm",
                                                         min_font=6))
    fitted = result.fitted
    assert fitted is not None
    assert not fitted.fits
    warning = next(w for w in result.warnings if w.startswith("LM619"))
    # the size is rounded up, never understated; the side that is over is named
    need_w, need_h = math.ceil(fitted.width_mm - 0.05), math.ceil(fitted.height_mm - 0.05)
    assert need_w > 70
    assert f"it needs {need_w} x {need_h} mm ({need_w - 70} mm too wide) and" in warning
    assert "too high" not in warning
    # the text size the target would force is a --min-font that fits it
    m = re.search(r"its smallest text would be ([0-9.]+) pt \(--min-font ([0-9.]+) fits it\)",
                  warning)
    assert m is not None, warning
    assert m.group(1) == m.group(2)
    smaller = render(load(FLAGSHIP), "svg", RenderOptions(view="resources_pathway", fit="70mm",
                                                          min_font=float(m.group(2))))
    assert smaller.fitted is not None
    assert smaller.fitted.fits
    assert smaller.fitted.width_mm <= 70.01


@pytest.mark.parametrize("view", FIT_VIEWS)
def test_with_the_key_drawn_a_view_fits_or_says_precisely_what_it_needs(view: str) -> None:
    result = render(load(FLAGSHIP), "svg", RenderOptions(view=view, fit="page"))
    fitted = result.fitted
    assert fitted is not None
    if fitted.fits:
        assert not [w for w in result.warnings if w.startswith("LM619")]
        return
    warning = next(w for w in result.warnings if w.startswith("LM619"))
    assert (f"it needs {math.ceil(fitted.width_mm - 0.05)} x "
            f"{math.ceil(fitted.height_mm - 0.05)} mm") in warning
    assert fitted.width_mm > 174.01 or fitted.height_mm > 230.01
    assert fitted.target_font < 7.0
    assert _final_smallest_pt(result.data) >= 7.0 - 0.01


def _pathway_styles(dot: str) -> dict[str, tuple[str, str]]:
    """Pathway name in the key -> (colour, dash pattern) of its sample line."""
    import re

    out = {}
    for m in re.finditer(r'kt(\d+) \[[^\n]*label="Pathway: ([^"]*)"', dot):
        j, name = m.group(1), m.group(2).replace("\\l", " ").strip()
        sample = re.search(rf'ka{j} -> kt{j} \[color="([^"]+)", style="([^"]+)"', dot)
        assert sample is not None
        out[name] = (sample.group(1), sample.group(2))
    return out


@pytest.mark.parametrize("theme", ["paper", "color"])
def test_a_pathway_keeps_its_style_in_every_view_and_focus(theme: str) -> None:
    model = load(FLAGSHIP)
    full = _pathway_styles(render(model, "dot", RenderOptions(theme=theme)).data.decode())
    assert len(full) == len(model.pathways) == len(set(full.values()))
    for p in model.pathways:
        for options in (RenderOptions(theme=theme, pathways=(p.id,)),
                        RenderOptions(theme=theme, pathways=(p.id,), others="hide"),
                        RenderOptions(theme=theme, view="paper")):
            styles = _pathway_styles(render(model, "dot", options).data.decode())
            name = " ".join(p.label.split())
            key = next(k for k in styles if " ".join(k.split()) == name)
            full_key = next(k for k in full if " ".join(k.split()) == name)
            assert styles[key] == full[full_key], (p.id, options)


@pytest.mark.parametrize(("view", "fit"), [("paper", "174x230mm"), ("paper", "84x100mm"),
                                           (None, "84x60mm")])
def test_fitting_tries_each_layout_and_a_few_steps_each_once(
        view: str | None, fit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each layout, then at most a few adjustments of the best (or of the next best, once the
    best has none), none laid out twice."""
    import logicmodel.render as rendering

    runs: list[str] = []
    real = rendering._run_figure

    def counted(engine: object, figure: str, key: object, timeout: float,
                meanwhile: object = None, **kw: object) -> object:
        runs.append(figure + key(None).text)  # type: ignore[operator]
        return real(engine, figure, key, timeout, meanwhile, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(rendering, "_run_figure", counted)
    model = load(FLAGSHIP)
    options = RenderOptions(view=view, fit=fit)
    render(model, "svg", options)
    candidates = rendering._candidates(model, options)
    # a key beside the figure may be laid out again at the figure's new height
    assert len(runs) <= len(candidates) + 2 * rendering.MAX_STEPS
    assert len(set(runs)) == len(runs)  # no layout laid out twice


def test_fitting_steps_from_the_next_best_layout_once_the_best_has_none() -> None:
    # at a column, the framework's compact layout fits at its own size first, so that no
    # step can make its text larger; the layout turned, with the theme's larger text, is
    # then wrapped narrower until its text at the column is larger than the compact one's
    path = ROOT / "docs" / "examples" / "frameworks" / "mayne.yaml"
    fitted = render(load(path), "svg", RenderOptions(fit="84mm")).fitted
    assert fitted is not None
    assert fitted.fits
    assert fitted.min_font > 9.5


@pytest.mark.parametrize(("path", "options", "gap", "crowded"), [
    # stages as rows, too wide: the boxes of a row closer; links pass close to boxes there
    (FLAGSHIP, {"pathways": ("dedicated_resources",), "fit": "column", "min_font": 6},
     "nodesep", True),
    # stages as columns, too wide: the columns closer
    (ROOT / "docs" / "examples" / "muext_bsf_uwex.yaml", {"fit": "page"}, "ranksep", False),
])
def test_closer_spacing_keeps_the_links_room_beside_the_boxes(
        path: Path, options: dict[str, object], gap: str, crowded: bool) -> None:
    """Boxes drawn closer to fit only along the side that is too long, and not so close that
    a link runs along a box it passes: it keeps three quarters of its room or more."""
    import dataclasses

    import logicmodel.render as rendering
    from logicmodel.render import render_scene
    from logicmodel.render.engine import find_engine
    from logicmodel.render.themes import get_theme
    from tests.svg_geometry import link_clearances

    model = load(path)
    opts = RenderOptions(**options)  # type: ignore[arg-type]
    best, _ = rendering._lay_out(rendering._candidates(model, opts), get_theme("paper"),
                                 find_engine("embedded"), opts, True)
    scene = best.scene
    assert scene.spacing < 1 , "the closer spacing is the step taken"
    other = "ranksep" if gap == "nodesep" else "nodesep"
    dot = render_scene(scene, "dot").data.decode()
    graph_line = next(line for line in dot.splitlines() if line.strip().startswith("graph ["))
    loose_dot = render_scene(dataclasses.replace(scene, spacing=1.0), "dot").data.decode()
    loose_line = next(line for line in loose_dot.splitlines()
                      if line.strip().startswith("graph ["))
    value = re.compile(r'\b(nodesep|ranksep)="([0-9.]+)"')
    tight_seps, loose_seps = dict(value.findall(graph_line)), dict(value.findall(loose_line))
    assert float(tight_seps[gap]) < float(loose_seps[gap])
    assert tight_seps[other] == loose_seps[other]
    tight = link_clearances(render_scene(scene, "svg").data)
    loose = link_clearances(render_scene(dataclasses.replace(scene, spacing=1.0), "svg").data)
    close = {k: v for k, v in loose.items() if v < 12}
    assert bool(close) == crowded, "links pass close to boxes: the test measures something"
    squeezed = {k: (v, tight[k]) for k, v in close.items() if k in tight
                and tight[k] < 0.75 * v - 0.2}
    assert not squeezed


def test_closer_spacing_tightens_the_gaps_along_the_side_too_long() -> None:
    from logicmodel.render import scene_for
    from logicmodel.render.fit import _closer

    model = load(FLAGSHIP)
    for direction, high, gap in (("TB", True, "ranksep"), ("TB", False, "nodesep"),
                                 ("LR", True, "nodesep"), ("LR", False, "ranksep")):
        scene = scene_for(model, RenderOptions(direction=direction))  # type: ignore[arg-type]
        closer = _closer(scene, high)
        assert closer.tighten == (gap,), (direction, high)
        assert closer.spacing < 1
