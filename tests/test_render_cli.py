"""`logicmodel render` end to end: files written, exit codes, bad input, limits and views."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from logicmodel.render import engine as engine_module
from logicmodel.render.themes import THEMES
from tests.conftest import ROOT, CliResult

Cli = Callable[..., CliResult]
FLAGSHIP = "models/devolved_budgets.yaml"
BROKEN = "tests/negative/graph/devolved_budgets_typos.yaml"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_renders_several_formats_from_one_command(cli: Cli, tmp_path: Path) -> None:
    outs = [tmp_path / f"m.{s}" for s in ("svg", "png", "dot", "mmd")]
    r = cli("render", FLAGSHIP, *[a for o in outs for a in ("-o", str(o))])
    assert r.code == 0, r.err
    assert r.out.splitlines() == [f"wrote {o}" for o in outs]
    assert outs[0].read_bytes().startswith(b"<?xml")
    assert outs[1].read_bytes()[:4] == b"\x89PNG"
    assert outs[2].read_text().startswith("digraph")
    assert outs[3].read_text().startswith("---\nconfig:\n")
    assert "\n---\nflowchart LR\n" in outs[3].read_text()
    assert not _leftovers(tmp_path)


def test_verbose_says_which_engine_ran(cli: Cli, tmp_path: Path) -> None:
    r = cli("render", FLAGSHIP, "-o", str(tmp_path / "m.svg"), "--verbose")
    assert r.code == 0
    assert "(embedded engine, graphviz-pure " in r.out


def test_version_names_the_engines(cli: Cli) -> None:
    r = cli("--version")
    assert "layout engines: embedded: graphviz-pure" in r.out


def test_invalid_model_is_not_rendered_and_reports_like_check(cli: Cli, tmp_path: Path
                                                                ) -> None:
    old = tmp_path / "m.svg"
    old.write_text("old figure")
    r = cli("render", BROKEN, "-o", str(old))
    checked = cli("check", BROKEN)
    assert r.code == 1
    errors = [line for line in checked.out.splitlines() if " error: " in line]
    assert errors
    assert all(line in r.err for line in errors)
    assert "nothing was rendered" in r.err
    assert old.read_text() == "old figure"
    assert not _leftovers(tmp_path)


@pytest.mark.parametrize(("args", "code", "message"), [
    (["-o", "x.jpg"], 2, "LM609 cannot tell the format of x.jpg"),
    (["-o", "x.svg", "--view", "nope"], 2, "LM608 the model has no view `nope`"),
    (["-o", "x.svg", "--pathway", "nope"], 2, "LM608 the model has no pathway `nope`"),
    (["-o", "x.svg", "--attr", "node.image=/etc/passwd"], 2, "LM614 `node.image` cannot"),
    (["-o", "x.svg", "--attr", "node.fontsize=100000"], 2, "LM614 `node.fontsize` must be"),
])
def test_usage_errors_have_codes(cli: Cli, tmp_path: Path, args: list[str], code: int,
                                 message: str) -> None:
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    r = cli("render", FLAGSHIP, *args)
    assert r.code == code
    assert message.replace("x.jpg", str(tmp_path / "x.jpg")) in r.err
    assert not list(tmp_path.iterdir())


def test_symlink_at_the_output_path_is_refused(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = tmp_path / "fig.svg"
    link.symlink_to(target)
    r = cli("render", FLAGSHIP, "-o", str(link))
    assert r.code == 3
    assert "LM605" in r.err
    assert target.read_text() == "keep me"
    assert link.is_symlink()


def test_unwritable_folder_is_lm604(cli: Cli, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    r = cli("render", FLAGSHIP, "-o", str(blocker / "fig.svg"))
    assert r.code == 3
    assert "LM604" in r.err


def _dense_model(n: int) -> str:
    stages = ["input", "activity", "output", "outcome"]
    lines = ["logicmodel: 1", "title: Dense", "nodes:"]
    for i in range(n):
        kind = stages[i % 4]
        extra = ", horizon: short" if kind == "outcome" else ""
        lines.append(f"  - {{id: x{i}, kind: {kind}, label: Node number {i}{extra}}}")
    lines.append("links:")
    for i in range(n):
        for j in range(i + 1, min(n, i + 12)):
            if stages.index(stages[i % 4]) < stages.index(stages[j % 4]):
                lines.append(f"  - {{from: x{i}, to: x{j}}}")
    return "\n".join(lines) + "\n"


def test_layout_past_the_time_limit_is_stopped_with_a_message(cli: Cli, tmp_path: Path
                                                                ) -> None:
    model = tmp_path / "dense.yaml"
    model.write_text(_dense_model(300))
    out = tmp_path / "dense.svg"
    r = cli("render", str(model), "-o", str(out), "--timeout", "0.2")
    assert r.code == 3
    assert "LM602 the layout took longer than 0.2 s and was stopped" in r.err
    assert not out.exists()
    assert _leftovers(tmp_path) == []


def test_missing_engine_is_lm601(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                 ) -> None:
    monkeypatch.setattr(engine_module, "_FOUND", {})
    monkeypatch.setattr(engine_module, "_embedded_path", lambda: None)
    r = cli("render", FLAGSHIP, "-o", str(tmp_path / "m.svg"))
    assert r.code == 3
    assert "LM601 the embedded layout engine (graphviz-pure) is not installed" \
        in r.err
    monkeypatch.setattr(shutil, "which", lambda name: None)
    r = cli("render", FLAGSHIP, "-o", str(tmp_path / "m.svg"), "--engine", "dot")
    assert r.code == 3
    assert "LM601 Graphviz's `dot` is not installed" in r.err
    assert "apt-get install graphviz" in r.err
    assert not list(tmp_path.iterdir())


def test_engine_runs_without_file_access_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GV_FILE_PATH", "/")
    monkeypatch.setenv("SECRET_TOKEN", "x")
    env = engine_module._environment()
    assert env["SERVER_NAME"]
    assert "GV_FILE_PATH" not in env
    assert "SECRET_TOKEN" not in env


VIEWS = textwrap.dedent("""\
    logicmodel: 1
    title: Views
    nodes:
      - {id: act, kind: activity, label: Run sessions}
      - {id: out, kind: output, label: Sessions delivered}
      - {id: mech, kind: mechanism, label: Parents feel heard}
      - {id: res, kind: outcome, horizon: short, label: Parents engage}
      - {id: other, kind: outcome, horizon: short, label: Something else}
    links:
      - {from: act, to: out}
      - {from: out, to: mech}
      - {from: mech, to: res}
      - {from: out, to: other}
    pathways:
      - {id: heard, label: Being heard, mechanism: mech, nodes: [act, out, mech, res]}
    views:
      - {id: focus, pathways: [heard], others: hide, label: The pathway}
      - {id: middle, stages: [output, mechanism], direction: TB}
    """)


def test_named_views_from_the_model_file(cli: Cli, tmp_path: Path) -> None:
    model = tmp_path / "v.yaml"
    model.write_text(VIEWS)
    assert cli("check", str(model)).code == 0
    r = cli("render", str(model), "--view", "focus", "-o", str(tmp_path / "f.dot"))
    assert r.code == 0
    dot = (tmp_path / "f.dot").read_text()
    assert dot.startswith('digraph "The pathway"')
    assert "Something else" not in dot
    r = cli("render", str(model), "--view", "middle", "-o", str(tmp_path / "m.mmd"))
    mmd = (tmp_path / "m.mmd").read_text()
    assert "\n---\nflowchart TB\n" in mmd
    assert "Run sessions" not in mmd
    assert mmd.count("  subgraph s") == 2  # two stages, then the key


def test_view_rules_point_at_the_view(cli: Cli, tmp_path: Path) -> None:
    model = tmp_path / "bad.yaml"
    model.write_text(VIEWS + "  - {id: focus, pathways: [nope], hide: [ghost]}\n"
                     "  - {id: empty, stages: [impact]}\n")
    r = cli("check", str(model))
    assert r.code == 1
    codes = [line.split(": ")[1].split()[0] for line in r.out.splitlines() if ": LM6" in line]
    assert codes == ["LM612", "LM610", "LM611", "LM613"]  # in file order
    assert f"{model}:19:28: LM610 error: view `focus` names the unknown pathway `nope`" in r.out


def test_output_path_relative_to_the_working_folder(cli: Cli, tmp_path: Path) -> None:
    r = cli("render", str(ROOT / FLAGSHIP), "-o", "out/fig.mmd", cwd=tmp_path)
    assert r.code == 0
    assert (tmp_path / "out" / "fig.mmd").is_file()
    assert os.stat(tmp_path / "out" / "fig.mmd").st_mode & 0o044  # readable, not 0600


def test_command_defaults_match_the_library() -> None:
    from logicmodel.commands import render as command

    assert command.ENGINES == engine_module.ENGINES
    assert command.DEFAULT_TIMEOUT == engine_module.DEFAULT_TIMEOUT
    assert tuple(THEMES) == command.THEMES


def test_a_view_that_leaves_nothing_is_refused(cli: Cli, tmp_path: Path) -> None:
    model = tmp_path / "v.yaml"
    model.write_text(VIEWS)
    r = cli("render", str(model), "--view", "middle", "--pathway", "heard", "--hide-others",
            "-o", str(tmp_path / "x.svg"))
    assert r.code == 0  # output and mechanism of the pathway are in the middle stages
    r = cli("render", str(model), "--view", "middle", "--pathway", "heard", "--hide-others",
            "-o", str(tmp_path / "y.svg"), "--attr", "graph.nodesep=0.2")
    assert r.code == 0
    model.write_text(VIEWS.replace("stages: [output, mechanism]", "stages: [impact]"))
    r = cli("render", str(model), "--view", "middle", "-o", str(tmp_path / "z.svg"))
    assert r.code == 1  # LM613 from check: nothing is rendered
    assert "LM613" in r.err
    assert not (tmp_path / "z.svg").exists()


def test_a_width_alone_that_gives_a_figure_taller_than_a_page_is_noted(cli: Cli,
                                                                       tmp_path: Path) -> None:
    """LM625: ``--fit 84mm`` bounds the width only; a figure it makes taller than a page
    (230 mm) is written, exit status 0, with a note naming the size that bounds both,
    which then gives a figure a page high and no note."""
    import re

    from logicmodel.render.svg import measure_svg

    out = tmp_path / "column.svg"
    args = ("render", FLAGSHIP, "--view", "resources_pathway", "--min-font", "6", "-o", str(out))
    r = cli(*args, "--fit", "84mm")
    assert r.code == 0, r.err
    notes = [line for line in r.err.splitlines() if "LM625" in line]
    assert len(notes) == 1, r.err
    m = re.fullmatch(r"logicmodel: LM625 the figure is 84 x (\d+) mm, taller than a page "
                     r"\(230 mm\): only its width was given; --fit 84x230mm bounds its "
                     r"height too", notes[0])
    assert m is not None, notes[0]
    high = measure_svg(out.read_bytes())[1] / 72 * 25.4
    assert 230 < high <= int(m.group(1)) < high + 1
    bounded = cli(*args, "--fit", "84x230mm")
    assert bounded.code == 0, bounded.err
    assert "LM625" not in bounded.err
    assert measure_svg(out.read_bytes())[1] / 72 * 25.4 <= 230.05
    # a width alone that gives a figure within a page: no note
    short = cli("render", "models/girls_education_logframe.yaml", "--fit", "174mm",
                "-o", str(tmp_path / "short.svg"))
    assert short.code == 0, short.err
    assert "LM625" not in short.err


def test_a_key_that_takes_much_of_a_fitted_figure_is_noted(cli: Cli, tmp_path: Path) -> None:
    """LM626: with ``--fit``, a key over a third of the figure's area (the Kalahandi
    logframe's lists of assumptions) gets a note naming ``--key caption``; the share it
    gives is the key's, measured from the SVG; with ``--key caption`` there is no key and
    no note, nor for the flagship's key (a fifth of its paper view), nor without ``--fit``."""
    import re

    example = "docs/examples/kalahandi_logframe_food_security.yaml"
    out = tmp_path / "kalahandi.svg"
    r = cli("render", example, "--fit", "174x230mm", "-o", str(out), "-o",
            str(tmp_path / "kalahandi.png"))
    assert r.code == 0, r.err
    notes = [line for line in r.err.splitlines() if "LM626" in line]
    assert len(notes) == 1, r.err  # one layout, one note for both files
    m = re.fullmatch(r"logicmodel: LM626 the key takes (\d+)% of the figure's area: --key "
                     r"caption writes it as text for the figure's caption \(-o FIGURE\.txt\)",
                     notes[0])
    assert m is not None, notes[0]
    from tests.test_render_key import key_geometry

    assert int(m.group(1)) == round(100 * key_geometry(out.read_text())["share"])
    assert int(m.group(1)) > 33
    for quiet in (("render", example, "--fit", "174x230mm", "--key", "caption"),
                  ("render", example),
                  ("render", FLAGSHIP, "--view", "paper", "--fit", "174x230mm")):
        r = cli(*quiet, "-o", str(tmp_path / "q.svg"))
        assert r.code == 0, r.err
        assert "LM626" not in r.err, quiet
