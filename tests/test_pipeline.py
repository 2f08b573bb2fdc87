"""Every command reads a model the same way: nearest configuration, its limits, its checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from logicmodel.pipeline import open_model
from tests.conftest import MODELS, CliResult

Cli = Callable[..., CliResult]
FLAGSHIP = MODELS / "devolved_budgets.yaml"
# A valid model with one warning: its impact has no indicator (LM301).
SMALL = """\
logicmodel: 1
title: Budgets
nodes:
  - {id: money, kind: input, label: Money}
  - {id: spend, kind: activity, label: Spend it}
  - {id: fewer, kind: impact, label: Fewer children in care}
links:
  - {from: money, to: spend}
  - {from: spend, to: fewer}
"""

# Every command that reads a model, with what it would write or print.
COMMANDS: dict[str, list[str]] = {
    "render": ["-o", "out.svg"],
    "paths": [],
    "analyze": [],
    "export": ["--to", "json", "-o", "out.json"],
}
DONE = {"render": "rendered", "paths": "analysed", "analyze": "analysed", "export": "exported",
        "diff": "compared"}


def _project(tmp_path: Path, config: str) -> Path:
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "m.yaml").write_text(SMALL)
    (proj / "logicmodel.toml").write_text(config)
    return proj


def _located(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("proj/m.yaml:")]


@pytest.mark.parametrize("config", [
    '[severity]\nLM301 = "error"\n',
    '[[overrides]]\npaths = ["m.yaml"]\nseverity = {LM301 = "error"}\n',
], ids=["folder", "override"])
def test_a_folder_configuration_stops_every_command(cli: Cli, tmp_path: Path,
                                                    config: str) -> None:
    """The configuration beside the model, not the working directory's, with its overrides."""
    _project(tmp_path, config)
    check = cli("check", "proj/m.yaml", cwd=tmp_path)
    assert check.code == 1
    errors = [line for line in _located(check.out) if " error: " in line]
    assert errors
    assert all(" LM301 error: " in line for line in errors)
    runs = {name: cli(name, "proj/m.yaml", *extra, cwd=tmp_path)
            for name, extra in COMMANDS.items()}
    runs["diff"] = cli("diff", str(FLAGSHIP), "proj/m.yaml", cwd=tmp_path)
    for name, r in runs.items():
        assert r.code == 1, name
        assert r.out == "", f"{name} printed its problems on stdout"
        assert [ln for ln in _located(r.err) if " error: " in ln] == errors, name
        assert r.err.endswith(f"logicmodel: proj/m.yaml has errors; nothing was "
                              f"{DONE[name]}\n"), name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proj"]


def test_config_names_the_configuration_for_every_command(cli: Cli, tmp_path: Path) -> None:
    proj = _project(tmp_path, "")
    strict = tmp_path / "strict.toml"
    strict.write_text('[severity]\nLM301 = "error"\n')
    for name, extra in COMMANDS.items():
        assert cli(name, "proj/m.yaml", *extra, "--config", str(strict), cwd=tmp_path).code == 1
        assert cli(name, "proj/m.yaml", *extra, cwd=tmp_path).code == 0, name
    assert (proj / "m.yaml").exists()


def test_max_file_size_is_what_the_loader_allows(cli: Cli, tmp_path: Path) -> None:
    """A model over the default 10 MiB checks when the configuration raises the limit."""
    big = FLAGSHIP.read_text(encoding="utf-8") + ("#" + "x" * 1023 + "\n") * (11 * 1024)
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "m.yaml").write_text(big, encoding="utf-8")
    assert len(big.encode()) > 11 * 1024 * 1024
    too_big = cli("check", "proj/m.yaml", cwd=tmp_path)
    assert too_big.code == 1
    assert " LM002 error: " in too_big.out
    (proj / "logicmodel.toml").write_text("max-file-size = 20_000_000\n")
    r = cli("check", "proj/m.yaml", cwd=tmp_path)
    assert "LM002" not in r.out
    assert r.code == 0, r.out


def test_a_lower_max_file_size_refuses_for_every_command(cli: Cli, tmp_path: Path) -> None:
    _project(tmp_path, "max-file-size = 100\n")
    for name, extra in COMMANDS.items():
        r = cli(name, "proj/m.yaml", *extra, cwd=tmp_path)
        assert r.code == 1, name
        assert "proj/m.yaml:1:1: LM002 error: the file is larger than the limit of 100 " \
            "bytes" in r.err, name
    data = FLAGSHIP.read_bytes()
    opened = open_model("HEAD:m.yaml", data=data, near=str(tmp_path / "proj" / "m.yaml"))
    assert [d.code for d in opened.errors] == ["LM002"]


def test_render_is_one_library_call(cli: Cli, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import logicmodel.render as render

    calls: list[list[str]] = []
    real = render.render_to_files

    def spy(model: object, paths: list[str], options: object) -> object:
        calls.append(list(paths))
        return real(model, paths, options)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "render_to_files", spy)
    r = cli("render", str(FLAGSHIP), "-o", str(tmp_path / "a.dot"), "-o",
            str(tmp_path / "a.mmd"))
    assert r.code == 0, r.err
    assert calls == [[str(tmp_path / "a.dot"), str(tmp_path / "a.mmd")]]


def test_diff_render_is_one_library_call(cli: Cli, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import logicmodel.render.diff as rdiff

    calls: list[list[str]] = []
    real = rdiff.render_diff_to_files

    def spy(old: object, new: object, paths: list[str], *args: object) -> object:
        calls.append(list(paths))
        return real(old, new, paths, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(rdiff, "render_diff_to_files", spy)
    r = cli("diff", str(FLAGSHIP), str(FLAGSHIP), "--render", str(tmp_path / "d.dot"))
    assert r.code == 0, r.err
    assert calls == [[str(tmp_path / "d.dot")]]


def test_fail_under_is_the_library_gate(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import logicmodel.analysis as analysis
    from logicmodel.analysis import Metric, Shortfall, scorecard, shortfalls

    metrics = scorecard(open_model(str(FLAGSHIP)).model)  # type: ignore[arg-type]
    below = shortfalls(metrics, [("links_with_evidence", 0.5), ("links_with_rationale", 1.0)])
    assert [s.metric.key for s in below] == ["links_with_evidence"]
    empty = Metric("x", "x", 0, 0)
    assert shortfalls([empty], [("x", 1.0)]) == []
    monkeypatch.setattr(analysis, "shortfalls", lambda m, t: [Shortfall(empty, 0.5)] * 0 +
                        [Shortfall(Metric("k", "k", 1, 4), 0.5)])
    r = cli("analyze", str(FLAGSHIP), "--only", "scorecard")
    assert r.code == 1
    assert r.err == "logicmodel analyze: k is 25.0% (1/4), under the required 50.0%\n"


def test_a_bug_in_an_analysis_is_not_an_unknown_selector(cli: Cli,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import logicmodel.analysis.paths as paths

    def broken(*args: object, **kwargs: object) -> object:
        raise KeyError("mech_dedicated")

    monkeypatch.setattr(paths, "route_set", broken)
    r = cli("paths", str(FLAGSHIP))
    assert r.code == 70
    assert "internal error (KeyError" in r.err
    assert "is not a node id" not in r.err
    typo = cli("paths", str(FLAGSHIP), "--to", "imapct")
    assert typo.code == 2
    assert typo.err == ("logicmodel: LM803 `imapct` is not a node id, kind or stage\n"
                        "    hint: did you mean `impact`?\n")
