"""Two versions of one model: a short version mapped onto its full version.

Real files in a temporary project, the real command line: every construct of
``summarises:``, every refusal (located, with its code and exit status, nothing
written), the table and the figure.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from logicmodel.pipeline import open_model
from logicmodel.versions.check import reaches
from tests.conftest import MODELS, ROOT, CliResult

Cli = Callable[..., CliResult]
DATA = ROOT / "tests" / "data" / "versions"
SUMMARY = "models/devolved_budgets_summary.yaml"
ONLY = ("--select", "LM047,LM12")  # the versions' codes, without the model rules


def _project(tmp_path: Path) -> Path:
    proj = tmp_path / "proj"
    shutil.copytree(DATA, proj)
    (proj / "logicmodel.toml").write_text("")
    return proj


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def _at(path: Path, text: str, within: str = "") -> str:
    """``line:col`` of ``text`` in the first line of the file holding it (and ``within``)."""
    for i, line in enumerate(path.read_text().splitlines(), 1):
        if text in line and within in line:
            return f"{i}:{line.index(text) + 1}"
    raise AssertionError(text)


def _problems(out: str) -> list[str]:
    return re.findall(r"^\S+:\d+:\d+: LM\d{3} \w+: .*$", out, re.M)


def test_the_flagship_has_a_short_version_that_checks_clean(cli: Cli) -> None:
    r = cli("check", "--strict", SUMMARY)
    assert (r.code, r.out) == (0, "All checks passed (1 file checked).\n")
    doc = open_model(SUMMARY).document
    assert doc is not None
    assert doc.full is not None
    assert doc.full.file == "models/devolved_budgets.yaml"
    short, full = doc.model, doc.full.model
    assert short is not None
    assert full is not None
    assert short.summarises is not None
    mapped = {f for ids in short.summarises.mapping().values() for f in ids}
    assert mapped == {n.id for n in full.nodes}  # every box of the full version is covered
    assert len(short.nodes) == 10
    assert len(full.nodes) > 2 * len(short.nodes)


def test_a_valid_mapping_passes(cli: Cli, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    r = cli("check", *ONLY, "proj/short.yaml", cwd=tmp_path)
    assert r.code == 0, r.out
    # the one box left out is reported, as information (it does not fail the check)
    assert _problems(r.out) == [
        f"proj/short.yaml:{_at(proj / 'short.yaml', 'map:')}: LM125 info: 1 box of the full "
        "version is not in the short version: `need`"]


def test_a_box_may_be_given_alone_or_as_a_list(cli: Cli, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    _edit(proj / "short.yaml", "result: fewer", "result: [fewer]")
    _edit(proj / "short.yaml", "budget: [money, rules]", "budget: [need, money, rules]")
    r = cli("check", *ONLY, "--strict", "proj/short.yaml", cwd=tmp_path)
    assert (r.code, _problems(r.out)) == (0, []), r.out


@pytest.mark.parametrize(("old", "new", "at", "problem", "hint"), [
    # a key that is not a box of the short version
    ("    result: fewer", "    reslt: fewer", "reslt", "LM121 error: `reslt` is not a box of this "
     "model", "did you mean `result`?"),
    # a value that is not a box of the full version, in a list and alone
    ("[spend, goods]", "[spend, gods]", "gods", "LM121 error: `gods` is not a box of the full "
     "version (proj/full.yaml)", "did you mean `goods`?"),
    ("result: fewer", "result: fewr", "fewr", "LM121 error: `fewr` is not a box of the full "
     "version (proj/full.yaml)", "did you mean `fewer`?"),
    # a box of the full version mapped by two short boxes
    ("[trust, calmer]", "[trust, calmer, goods]", "goods]", "LM122 error: `goods` is mapped "
     "twice: by `help` and by `change`",
     "add `goods` to `summarises.shared` if both boxes stand for it"),
    # ... or twice by one
    ("[spend, goods]", "[spend, goods, spend]", "spend]", "LM122 error: `spend` is listed twice "
     "for `help`", "list each box once"),
    # a short link with no route in the full version
    ("  - {from: change, to: result}", "  - {from: change, to: result}\n"
     "  - {from: result, to: budget}", "{from: result", "LM124 warning: link `result` -> "
     "`budget`: the full version has no route from `fewer` to `money`, `rules`", None),
])
def test_mapping_problems_are_located_where_written(cli: Cli, tmp_path: Path, old: str,
                                                    new: str, at: str, problem: str,
                                                    hint: str | None) -> None:
    proj = _project(tmp_path)
    short = proj / "short.yaml"
    _edit(short, old, new)
    r = cli("check", *ONLY, "--ignore", "LM125,LM123", "proj/short.yaml", cwd=tmp_path)
    assert r.code == (1 if " error: " in problem else 0)
    line = new.splitlines()[-1].strip()
    assert _problems(r.out) == [f"proj/short.yaml:{_at(short, at, line)}: {problem}"]
    if hint is not None:
        assert f"    hint: {hint}\n" in r.out


def test_shared_allows_a_box_to_be_mapped_twice(cli: Cli, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    short = proj / "short.yaml"
    _edit(short, "[trust, calmer]", "[trust, calmer, goods]")
    _edit(short, "    result: fewer\n", "    result: fewer\n  shared: [goods]\n")
    r = cli("check", *ONLY, "--ignore", "LM125", "proj/short.yaml", cwd=tmp_path)
    assert (r.code, _problems(r.out)) == (0, [])
    _edit(short, "shared: [goods]", "shared: [goods, gods]")
    r = cli("check", *ONLY, "--ignore", "LM125", "proj/short.yaml", cwd=tmp_path)
    assert _problems(r.out) == [f"proj/short.yaml:{_at(short, 'gods')}: LM121 error: shared: "
                                "`gods` is not a box of the full version (proj/full.yaml)"]


def test_a_short_box_that_stands_for_nothing(cli: Cli, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    short = proj / "short.yaml"
    _edit(short, "    result: fewer\n", "")
    r = cli("check", *ONLY, "proj/short.yaml", cwd=tmp_path)
    assert r.code == 0  # a warning: fails with --strict
    assert f"proj/short.yaml:{_at(short, '{id: result')}: LM123 warning: `result` stands " \
        "for no box of the full version" in r.out
    assert "    hint: map it under `summarises.map`, e.g. `result: [...]`\n" in r.out
    assert cli("check", *ONLY, "--strict", "proj/short.yaml", cwd=tmp_path).code == 1


def test_what_the_short_version_leaves_out(cli: Cli, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    short = proj / "short.yaml"
    _edit(short, "  - {from: help, to: change}\n", "")
    r = cli("check", *ONLY, "proj/short.yaml", cwd=tmp_path)
    at = _at(short, "map:")
    assert _problems(r.out) == [
        f"proj/short.yaml:{at}: LM125 info: 1 box of the full version is not in the short "
        "version: `need`",
        f"proj/short.yaml:{at}: LM125 info: 1 link of the full version between two short boxes "
        "has no link here: `L5`"]


def test_the_configuration_and_the_model_can_silence_the_checks(cli: Cli,
                                                                tmp_path: Path) -> None:
    proj = _project(tmp_path)
    short = proj / "short.yaml"
    _edit(short, "  - {from: change, to: result}", "  - {from: change, to: result}\n"
          "  - {from: result, to: budget, ignore: [{rule: LM124, reason: a loop we claim}]}")
    r = cli("check", *ONLY, "--strict", "--ignore", "LM125", "proj/short.yaml", cwd=tmp_path)
    assert (r.code, _problems(r.out)) == (0, [])
    (proj / "logicmodel.toml").write_text('[severity]\nLM125 = "warning"\n')
    r = cli("check", *ONLY, "proj/short.yaml", cwd=tmp_path)
    assert "LM125 warning:" in r.out


@pytest.mark.parametrize(("model", "says"), [
    ("/etc/hosts", "`model: /etc/hosts` is an absolute path"),
    ("~/full.yaml", "`model: ~/full.yaml` is an absolute path"),
    ("../outside.yaml", "`model: ../outside.yaml` leads out of the project (proj/)"),
    ("link.yaml", "`model: link.yaml` leads out of the project (proj/)"),
    ("missing.yaml", "cannot read the full version `missing.yaml`: no such file or directory"),
    ("pipe.yaml", "cannot read the full version `pipe.yaml`: it is not a regular file"),
    ("sub", "cannot read the full version `sub`: it is a directory"),
    ("short.yaml", "`summarises` goes round in a cycle: short.yaml -> short.yaml"),
    ("loop.yaml", "the full version `loop.yaml` has errors, so the mapping cannot be checked"),
    ("broken.yaml", "the full version `broken.yaml` has errors, so the mapping cannot be "
     "checked"),
])
def test_the_full_version_is_confined_to_the_project(cli: Cli, tmp_path: Path, model: str,
                                                     says: str) -> None:
    proj = _project(tmp_path)
    (tmp_path / "outside.yaml").write_text((proj / "full.yaml").read_text())
    (proj / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    os.mkfifo(proj / "pipe.yaml")
    (proj / "sub").mkdir()
    # loop.yaml summarises short.yaml, which summarises loop.yaml
    (proj / "loop.yaml").write_text((proj / "short.yaml").read_text().replace(
        "model: full.yaml", "model: short.yaml"))
    (proj / "broken.yaml").write_text("logicmodel: 2\ntitle: Broken\nnodes: [{id: a}]\n")
    short = proj / "short.yaml"
    _edit(short, "model: full.yaml", f"model: {model}")
    out = tmp_path / "table.md"
    r = cli("check", "proj/short.yaml", cwd=tmp_path)
    assert r.code == 1
    assert f"proj/short.yaml:4:10: LM047 error: {says}" \
        in r.out, r.out
    # every command refuses the model, and writes nothing
    e = cli("export", "proj/short.yaml", "--to", "versions", "-o", str(out), cwd=tmp_path)
    assert e.code == 1
    assert "LM047" in e.err
    assert not out.exists()


def test_the_cycle_is_named_from_the_file_that_asked(cli: Cli, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    (proj / "loop.yaml").write_text((proj / "short.yaml").read_text().replace(
        "model: full.yaml", "model: short.yaml"))
    _edit(proj / "short.yaml", "model: full.yaml", "model: loop.yaml")
    r = cli("check", "proj/short.yaml", cwd=tmp_path)
    assert "hint: first: proj/loop.yaml:4:10: LM047 `summarises` goes round in a cycle: " \
        "short.yaml -> loop.yaml -> short.yaml" in r.out


def test_summarises_is_format_2(cli: Cli, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    _edit(proj / "short.yaml", "logicmodel: 2", "logicmodel: 1")
    r = cli("check", "proj/short.yaml", cwd=tmp_path)
    assert r.code == 1
    assert "proj/short.yaml:3:1: LM027" in r.out


def test_a_bad_mapping_is_a_schema_error(cli: Cli, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    short = proj / "short.yaml"
    _edit(short, "    result: fewer", "    result: {id: fewer}")
    _edit(short, "  map:", "  mapping: {}\n  map:")
    r = cli("check", "proj/short.yaml", cwd=tmp_path)
    assert r.code == 1
    assert f"proj/short.yaml:{_at(short, 'mapping')}: LM022 error: summarises: unknown field " \
        "`mapping`" in r.out
    assert f"proj/short.yaml:{_at(short, '{id: fewer}')}: LM020 error:" in r.out


def test_export_versions_as_markdown_latex_and_csv(cli: Cli, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    md = cli("export", "proj/short.yaml", "--to", "versions", cwd=tmp_path)
    assert md.code == 0, md.err
    assert md.out.splitlines() == [
        "| Short version | Full version | Stage |",
        "|---|---|---|",
        "| Budgets that workers spend (budget) | A budget per family (money) | Inputs |",
        "|  | Workers decide the spending (rules) | Inputs |",
        "| Help bought for families (help) | Buy what the family needs (spend) | Activities |",
        "|  | Goods and services bought (goods) | Outputs |",
        "| Families trust workers and calm down (change) | The family trusts the worker (trust) "
        "| Mechanisms |",
        "|  | Less stress at home (calmer) | Short-term outcomes |",
        "| Fewer children in care (result) | Fewer children in care (fewer) | Impact |",
        "| (not in the short version) | Families lack basics (need) | Context |"]
    csv = cli("export", "proj/short.yaml", "--to", "versions", "--style", "csv", cwd=tmp_path)
    assert csv.out.splitlines()[:3] == [
        '"Short version","Full version","Stage"',
        '"Budgets that workers spend (budget)","A budget per family (money)","Inputs"',
        '"Budgets that workers spend (budget)","Workers decide the spending (rules)","Inputs"']
    out = proj / "versions.tex"
    tex = cli("export", "proj/short.yaml", "--to", "versions", "-o", str(out), cwd=tmp_path)
    assert (tex.code, tex.err) == (0, "")
    assert "Budgets that workers spend (budget) & A budget per family (money) & Inputs \\\\" \
        in out.read_text()


def test_export_versions_of_a_model_that_summarises_nothing(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "t.md"
    r = cli("export", "models/devolved_budgets.yaml", "--to", "versions", "-o", str(out))
    assert (r.code, r.out) == (2, "")
    assert r.err == ("logicmodel: LM126 models/devolved_budgets.yaml is not a short version: "
                     "it has no `summarises:`\n    hint: run it on the short version, the model "
                     "whose `summarises:` names the full one\n")
    assert not out.exists()
    r = cli("render", "models/devolved_budgets.yaml", "--versions", "-o", str(tmp_path / "f.svg"))
    assert r.code == 2
    assert "LM126" in r.err
    assert not (tmp_path / "f.svg").exists()


def test_render_versions_tags_every_box(cli: Cli, tmp_path: Path) -> None:
    _project(tmp_path)
    svg, dot = tmp_path / "v.svg", tmp_path / "v.dot"
    r = cli("render", "proj/short.yaml", "--versions", "-o", str(svg), "-o", str(dot),
            cwd=tmp_path)
    assert r.code == 0, r.err
    text = dot.read_text()
    for tag, label in (("S1", "A budget per family"), ("S1", "Workers decide"),
                       ("S2", "Buy what"), ("S3", "Less stress at home"),
                       ("S4", "Fewer children in"), ("\N{MINUS SIGN}", "Families lack basics")):
        assert f'label="{tag}{":" if tag[0] == "S" else ""} {label}' in text, (tag, label)
    # the key explains the tags in words: no colour needed
    assert "Boxes of the short version (S1: before a label)" in text
    assert "S3  Families trust workers and calm down" in text
    assert "Not in the short version" in text
    assert "<svg" in svg.read_text()
    bad = cli("render", "proj/short.yaml", "--versions", "-o", str(tmp_path / "v.mmd"),
              cwd=tmp_path)
    assert bad.code == 2
    assert "LM609 the figure of two versions cannot be drawn as mermaid" in bad.err
    assert not (tmp_path / "v.mmd").exists()
    both = cli("render", "proj/short.yaml", "--versions", "--variants", "-o", str(svg),
               cwd=tmp_path)
    assert both.code == 2
    assert "not allowed with argument" in both.err


def test_render_versions_fits_a_page_as_render_does(cli: Cli, tmp_path: Path) -> None:
    """With ``--fit``, the figure of two versions tries the layouts ``render`` tries and
    keeps the one with the largest text: the flagship's stages turned into rows come to
    6.7 pt at a page's size, where the layout as asked (stages as columns) came to 4.2 pt.
    One layout serves every file; a direction given is kept."""
    from pypdf import PdfReader

    from logicmodel.render.fit import MM
    from logicmodel.render.svg import measure_svg

    def at_target(err: str) -> float:
        """The smallest text at the page's size: the minimum, or what LM619 says."""
        said = re.search(r"LM619 .* its smallest text would be ([0-9.]+) pt", err)
        return 7.0 if said is None else float(said.group(1))

    svg, pdf = tmp_path / "v.svg", tmp_path / "v.pdf"
    r = cli("render", SUMMARY, "--versions", "--fit", "174x230mm", "-o", str(svg),
            "-o", str(pdf), cwd=ROOT)
    assert r.code == 0, r.err
    width, height, _ = measure_svg(svg.read_bytes())
    assert height > width  # the stages as rows
    assert at_target(r.err) >= 6.5, r.err
    assert r.err.count("LM619") <= 1  # one layout for both files: one warning at most
    page = PdfReader(str(pdf)).pages[0].mediabox
    assert float(page.width) == pytest.approx(width, abs=0.5 * MM)
    assert float(page.height) == pytest.approx(height, abs=0.5 * MM)
    across = cli("render", SUMMARY, "--versions", "--fit", "174x230mm", "--direction", "LR",
                 "-o", str(svg), cwd=ROOT)
    assert across.code == 0, across.err
    width, height, _ = measure_svg(svg.read_bytes())
    assert width > height  # as asked
    assert at_target(across.err) < 5.0, across.err


def test_a_shared_box_carries_both_tags(tmp_path: Path) -> None:
    from logicmodel.versions.figure import versions_scene

    proj = _project(tmp_path)
    short = proj / "short.yaml"
    _edit(short, "[trust, calmer]", "[trust, calmer, goods]")
    _edit(short, "    result: fewer\n", "    result: fewer\n  shared: [goods]\n")
    doc = open_model(str(short)).document
    assert doc is not None
    scene = versions_scene(doc)
    assert scene.node_highlight["goods"].sign == "S2+S3:"
    assert scene.node_highlight["need"].sign == "\N{MINUS SIGN}"


def test_routes_are_followed_through_the_full_version() -> None:
    full = open_model(str(MODELS / "devolved_budgets.yaml")).model
    assert full is not None
    assert reaches(full, ["in_budget"], ["imp_less_care"])
    assert not reaches(full, ["imp_less_care"], ["in_budget"])
    assert reaches(full, ["act_purchase"], ["act_purchase"])  # a box on both sides
    assert reaches(full, ["mech_relationship"], ["act_joint_plan"])  # the feedback link


# --- a short version's variants and overlays ----------------------------------------------

VARIANTS = """
variants:
  - id: lean
    change:
      summarises:
        map:
          help: [spend, goods, trust]
    add:
      nodes:
        - {id: extra, kind: output, label: Only in this variant}
      links:
        - {from: result, to: budget}
  - id: gone
    remove:
      nodes: [change]
"""


def test_each_variant_of_a_short_version_is_checked(cli: Cli, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    short = proj / "short.yaml"
    short.write_text(short.read_text() + VARIANTS)
    r = cli("check", *ONLY, "--ignore", "LM125", "proj/short.yaml", cwd=tmp_path)
    assert r.code == 1
    assert _problems(r.out) == [
        # its own mapping, checked for it: a box mapped twice in this variant only
        f"proj/short.yaml:{_at(short, 'trust]', 'help:')}: LM122 error: variant `lean`: "
        "`trust` is mapped twice: by `help` and by `change`",
        f"proj/short.yaml:{_at(short, '{id: extra')}: LM123 warning: variant `lean`: `extra` "
        "stands for no box of the full version",
        f"proj/short.yaml:{_at(short, '{from: result')}: LM124 warning: variant `lean`: link "
        "`result` -> `budget`: the full version has no route from `fewer` to `money`, `rules`",
        # a box the mapping still needs cannot be removed
        f"proj/short.yaml:{_at(short, 'change]', 'nodes:')}: LM043 error: variant `gone` "
        "removes `change`, which `summarises.map`, link `help->change`, link `change->result` "
        "still use"]
    assert "hint: remove or change what uses it in the same variant, or keep it" in r.out
    one = cli("check", *ONLY, "--ignore", "LM125", "proj/short.yaml", "--variant", "lean",
              cwd=tmp_path)
    assert [p for p in _problems(one.out) if "`gone`" in p] == []
    assert len(_problems(one.out)) == 3


def test_a_variant_maps_onto_the_full_version_s_variant_of_its_name(cli: Cli,
                                                                   tmp_path: Path) -> None:
    proj = _project(tmp_path)
    full, short = proj / "full.yaml", proj / "short.yaml"
    full.write_text(full.read_text() + """variants:
  - id: site
    remove: {nodes: [trust], links: [L5, L6]}
    add:
      nodes: [{id: visit, kind: mechanism, label: A home visit}]
      links: [{id: V1, from: goods, to: visit}, {id: V2, from: visit, to: calmer}]
""")
    short.write_text(short.read_text() + """variants:
  - id: site
    change:
      summarises: {map: {change: [visit, calmer]}}
  - id: other
""")
    r = cli("check", *ONLY, "proj/short.yaml", cwd=tmp_path)
    assert r.code == 0, r.out
    assert "variant `site`" not in r.out  # site's own theory has `visit`, not `trust`
    _edit(short, "{map: {change: [visit, calmer]}}", "{map: {change: [trust, calmer]}}")
    r = cli("check", *ONLY, "proj/short.yaml", cwd=tmp_path)
    assert _problems(r.out)[-2:] == [
        f"proj/short.yaml:{_at(short, 'map:')}: LM125 info: variant `site`: 2 boxes of the "
        "full version are not in the short version: `need`, `visit`",
        f"proj/short.yaml:{_at(short, 'trust, calmer]}')}: LM121 error: variant `site`: "
        "`trust` is not a box of the full version (proj/full.yaml, variant `site`)"]
    assert "hint: the full version's variant `site` removes it: change this variant's mapping" \
        in r.out


def test_an_overlay_of_a_short_version_is_checked(cli: Cli, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    overlay = proj / "short_east.yaml"
    overlay.write_text("extends: short.yaml\nvariant: {id: east}\nchange:\n  summarises:\n"
                       "    map:\n      help: [spend, goods, goods]\n")
    r = cli("check", *ONLY, "--ignore", "LM125", "proj/short_east.yaml", cwd=tmp_path)
    assert r.code == 1
    assert _problems(r.out) == [
        f"proj/short_east.yaml:{_at(overlay, 'goods]')}: LM122 error: variant `east`: `goods` "
        "is listed twice for `help`"]
    # a variant maps onto the full version its base names
    overlay.write_text("extends: short.yaml\nchange:\n  summarises:\n    model: other.yaml\n"
                       "    mapp: {}\n")
    r = cli("check", *ONLY, "proj/short_east.yaml", cwd=tmp_path)
    assert r.code == 1
    assert _problems(r.out) == [
        f"proj/short_east.yaml:{_at(overlay, 'model:')}: LM047 error: a variant cannot change "
        "`summarises.model`",
        f"proj/short_east.yaml:{_at(overlay, 'mapp:')}: LM022 error: change.summarises: "
        "unknown field `mapp`"]
    assert "hint: did you mean `map`?" in r.out


def test_a_model_that_summarises_nothing_has_no_mapping_to_change(cli: Cli,
                                                                   tmp_path: Path) -> None:
    proj = _project(tmp_path)
    full = proj / "full.yaml"
    full.write_text(full.read_text() + "variants:\n  - id: site\n    change:\n"
                    "      summarises: {map: {x: [y]}}\n")
    r = cli("check", *ONLY, "--select", "LM041", "proj/full.yaml", cwd=tmp_path)
    assert r.code == 1
    assert _problems(r.out) == [
        f"proj/full.yaml:{_at(full, '{map')}: LM041 error: variant `site` changes "
        "`summarises`, but the base is not a short version of another model"]
    assert "hint: only a model with `summarises:` has a mapping to change" in r.out


def test_the_flagship_s_pilots_are_summarised_pilot_by_pilot() -> None:
    for pilot in ("darlington", "hillingdon", "wigan"):
        doc = open_model(SUMMARY, variant=pilot).document
        assert doc is not None
        assert doc.full is not None
        assert doc.full.variant == pilot
    darlington = open_model(SUMMARY, variant="darlington").document
    assert darlington is not None
    assert darlington.model is not None
    assert darlington.model.summarises is not None
    assert "act_allocate" in darlington.model.summarises.mapping()["spending"]


# --- reading the full version once per run ------------------------------------------------

def test_check_reads_a_full_version_once_per_run(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import logicmodel.loader as loader
    from logicmodel.checking import check_paths
    from logicmodel.loader import load_file

    _project(tmp_path)
    read: list[str] = []
    original = loader.parse_document

    def counting(data: bytes, file: str, **kw: object) -> loader.Document:
        read.append(Path(file).name)
        return original(data, file, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "parse_document", counting)
    monkeypatch.chdir(tmp_path)
    result = check_paths(["proj/"])
    assert not result.failed
    assert sorted(read) == ["full.yaml", "short.yaml"]  # full.yaml: for itself and the summary
    # outside a run nothing is kept: a long-lived caller reads the file as it is now
    assert load_file("proj/full.yaml") is not load_file("proj/full.yaml")


def test_a_variant_s_mapping_of_the_wrong_shape_is_refused(cli: Cli, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    short = proj / "short.yaml"
    short.write_text(short.read_text() + "variants:\n  - id: a\n    change:\n"
                     "      summarises: {map: [help], shared: goods}\n"
                     "  - id: b\n    change: {summarises: []}\n")
    r = cli("check", "--select", "LM020", "proj/short.yaml", cwd=tmp_path)
    assert r.code == 1
    assert _problems(r.out) == [
        f"proj/short.yaml:{_at(short, '[help]')}: LM020 error: change.summarises.map must be "
        "a mapping of short boxes to full ones",
        f"proj/short.yaml:{_at(short, 'goods}')}: LM020 error: change.summarises.shared must "
        "be a list of ids",
        f"proj/short.yaml:{_at(short, '[]}')}: LM020 error: change.summarises must be a "
        "mapping"]
    assert r.out.count("    hint: ") == 3


# --- which variant of the full version a short version's variant maps onto ----------------

_FULL_VARIANTS = """variants:
  - id: site
    remove: {nodes: [trust], links: [L5, L6]}
    add:
      nodes: [{id: visit, kind: mechanism, label: A home visit}]
      links: [{id: V1, from: goods, to: visit}, {id: V2, from: visit, to: calmer}]
  - id: east
    change:
      nodes: [{id: money, label: A budget for the East}]
"""


def _with_full_variants(tmp_path: Path, short_variants: str) -> tuple[Path, Path]:
    proj = _project(tmp_path)
    full, short = proj / "full.yaml", proj / "short.yaml"
    full.write_text(full.read_text() + _FULL_VARIANTS)
    short.write_text(short.read_text() + short_variants)
    return full, short


def test_a_variant_names_the_full_variant_it_maps_onto(cli: Cli, tmp_path: Path) -> None:
    _, short = _with_full_variants(tmp_path, """variants:
  - id: funder
    change:
      summarises: {variant: site, map: {change: [visit, calmer]}}
  - id: east
  - id: plain
    change:
      summarises: {variant: base}
""")
    r = cli("check", *ONLY, "--ignore", "LM125", "proj/short.yaml", cwd=tmp_path)
    assert r.code == 0, r.out
    assert _problems(r.out) == []
    funder = open_model(str(short), variant="funder").document
    assert funder is not None
    assert funder.full is not None
    assert funder.full.variant == "site"
    east = open_model(str(short), variant="east").document  # by its name
    assert east is not None
    assert east.full is not None
    assert east.full.variant == "east"
    plain = open_model(str(short), variant="plain").document  # the full version's base
    assert plain is not None
    assert plain.full is not None
    assert plain.full.variant is None
    table = cli("export", "proj/short.yaml", "--to", "versions", "--variant", "funder",
                "--style", "csv", cwd=tmp_path)
    assert table.code == 0, table.err
    assert '"Families trust workers and calm down (change)","A home visit (visit)"' \
        in table.out
    # mapped onto `site`, the funder's summary is checked against the site's theory
    _edit(short, "{change: [visit, calmer]}", "{change: [trust, calmer]}")
    r = cli("check", *ONLY, "--ignore", "LM125", "proj/short.yaml", cwd=tmp_path)
    assert _problems(r.out) == [
        f"proj/short.yaml:{_at(short, 'trust, calmer]}')}: LM121 error: variant `funder`: "
        "`trust` is not a box of the full version (proj/full.yaml, variant `site`)"]


def test_a_full_variant_that_does_not_exist_is_lm127_where_it_is_named(
        cli: Cli, tmp_path: Path) -> None:
    _, short = _with_full_variants(tmp_path, """variants:
  - id: funder
    change:
      summarises: {variant: sitee}
  - id: site
""")
    out = tmp_path / "out.md"
    r = cli("check", "--select", "LM127", "proj/short.yaml", cwd=tmp_path)
    assert r.code == 1
    assert _problems(r.out) == [
        f"proj/short.yaml:{_at(short, 'sitee}')}: LM127 error: variant `funder`: the full "
        "version (proj/full.yaml) has no variant `sitee`"]
    assert "    hint: did you mean `site`?" in r.out
    r = cli("export", "proj/short.yaml", "--to", "versions", "--variant", "funder", "-o",
            str(out), cwd=tmp_path)
    assert r.code == 1
    assert "LM127" in r.out + r.err
    assert not out.exists()
    # with no close name, the hint lists the full version's variants
    _edit(short, "{variant: sitee}", "{variant: wigan}")
    r = cli("check", "--select", "LM127", "proj/short.yaml", cwd=tmp_path)
    assert "    hint: its variants: `site`, `east` (`base`: the full version without its " \
        "variants)" in r.out


def test_the_short_version_itself_may_summarise_a_full_variant(cli: Cli,
                                                               tmp_path: Path) -> None:
    _, short = _with_full_variants(tmp_path, "")
    _edit(short, "  model: full.yaml\n", "  model: full.yaml\n  variant: est\n")
    r = cli("check", *ONLY, "proj/short.yaml", cwd=tmp_path)
    assert r.code == 1
    assert _problems(r.out) == [
        f"proj/short.yaml:{_at(short, 'est', 'variant:')}: LM127 error: the full version "
        "(proj/full.yaml) has no variant `est`"]
    assert "    hint: did you mean `east`?" in r.out
    _edit(short, "variant: est", "variant: east")
    r = cli("check", *ONLY, "proj/short.yaml", cwd=tmp_path)
    assert r.code == 0, r.out
    doc = open_model(str(short)).document
    assert doc is not None
    assert doc.full is not None
    assert doc.full.variant == "east"


def test_a_full_variant_nothing_summarises_is_information(cli: Cli, tmp_path: Path) -> None:
    full, short = _with_full_variants(tmp_path, "variants:\n  - id: site\n    change:\n"
                                      "      summarises: {map: {change: [visit, calmer]}}\n")
    r = cli("check", *ONLY, "--ignore", "LM125", "proj/short.yaml", cwd=tmp_path)
    assert r.code == 0, r.out
    assert _problems(r.out) == [
        f"proj/short.yaml:{_at(short, 'variants:')}: LM128 info: the full version's variant "
        "`east` has no counterpart here: no variant of this model maps onto it"]
    assert "hint: add a variant `east` (or one with `change: {summarises: {variant: east}}`)" \
        in r.out
    assert cli("check", *ONLY, "--ignore", "LM125", "--strict", "proj/short.yaml",
               cwd=tmp_path).code == 0
    # checking both files says it once, in the short version
    both = cli("check", *ONLY, "--ignore", "LM125", "proj/", cwd=tmp_path)
    assert [p for p in _problems(both.out) if "LM128" in p] == _problems(r.out)
    # a short version without variants summarises the full version's base only
    short.write_text(short.read_text().split("variants:")[0])
    r = cli("check", *ONLY, "--ignore", "LM125", "proj/short.yaml", cwd=tmp_path)
    assert _problems(r.out) == [
        f"proj/short.yaml:{_at(short, 'full.yaml', 'model:')}: LM128 info: the full "
        "version's variants `site`, `east` have no counterpart here: no variant maps onto them"]
    assert full.exists()


def test_a_variant_s_full_variant_of_the_wrong_shape_is_refused(cli: Cli,
                                                                tmp_path: Path) -> None:
    _, short = _with_full_variants(tmp_path, "variants:\n  - id: a\n    change:\n"
                                   "      summarises: {variant: [site]}\n")
    r = cli("check", "--select", "LM020", "proj/short.yaml", cwd=tmp_path)
    assert r.code == 1
    assert _problems(r.out) == [
        f"proj/short.yaml:{_at(short, '[site]')}: LM020 error: change.summarises.variant "
        "must be the id of a variant of the full version"]
