"""Variants: a base model and named variants, inline or as overlay files extending a base."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from logicmodel.pipeline import open_model
from logicmodel.signs import CHANGED
from logicmodel.variants.summary import differences
from tests.conftest import ROOT, CliResult

Cli = Callable[..., CliResult]
DATA = ROOT / "tests" / "data" / "variants"
SITES = "tests/data/variants/sites.yaml"
EAST = "tests/data/variants/overlay/east.yaml"


def _project(tmp_path: Path) -> Path:
    """A copy of the test project: sites.yaml and overlay/east.yaml, with a project marker."""
    proj = tmp_path / "proj"
    shutil.copytree(DATA, proj)
    (proj / "logicmodel.toml").write_text("")
    return proj


def _line(path: Path, text: str) -> int:
    return next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if text in ln)


def test_a_variant_merges_into_an_ordinary_model() -> None:
    north = open_model(SITES, variant="north").model
    assert north is not None
    money = north.node("money")
    assert money is not None
    assert money.label == "Up to £10000 per family"
    fewer = north.node("fewer")
    assert fewer is not None
    [rate] = fewer.indicators  # type: ignore[union-attr]
    assert (rate.measure, str(rate.target)) == ("Children in care per 10000", "50")
    assert [n.id for n in north.nodes][-1] == "lottery"
    assert [lk.id for lk in north.links] == ["L1", "L2", "L7", "L3", "L4"]
    south = open_model(SITES, variant="south").model
    assert south is not None
    assert [n.id for n in south.nodes] == ["money", "spend", "trust", "fewer"]
    assert south.pathways[0].nodes == ["money", "spend", "trust", "fewer"]
    assert south.pathways[0].label == "Money to needs"
    base = open_model(SITES).model
    assert base is not None
    assert base == open_model(SITES, variant="base").model
    assert [n.id for n in base.nodes] == ["money", "spend", "trust", "needs", "fewer"]


def test_an_overlay_file_extends_its_base(cli: Cli) -> None:
    east = open_model(EAST).model
    assert east is not None
    assert east.title == "Budgets for families in the East"
    assert [n.id for n in east.nodes][-1] == "team"
    r = cli("variants", EAST)
    assert r.code == 0, r.err
    assert r.out.splitlines()[1] == (f"east  East: 2 changed, 2 added ({EAST}, extends {SITES})")


def test_variants_lists_them(cli: Cli) -> None:
    r = cli("variants", SITES)
    assert (r.code, r.err) == (0, "")
    assert r.out == (f"base   Budgets for families ({SITES})\n"
                     f"north  North: 2 changed, 2 added ({SITES})\n"
                     f"south  South: 3 removed, 1 changed, 1 added ({SITES})\n")


def test_check_checks_the_base_and_every_variant(cli: Cli, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    model = proj / "sites.yaml"
    text = model.read_text()
    # West cuts a link of the pathway without rerouting it: the pathway rule reports it,
    # naming the variant, at the pathway in the base; North's new label is too long,
    # reported at the override.
    text = text.replace("label: Up to £10000 per family", "label: " + "x" * 301)
    model.write_text(text + "  - id: west\n    remove: {links: [L7]}\n"
                     "    add: {links: [{id: L8, from: needs, to: fewer}]}\n")
    r = cli("check", "proj/sites.yaml", cwd=tmp_path)
    assert r.code == 1
    lines = [ln for ln in r.out.splitlines() if ln.startswith("proj/")]
    long_at = _line(model, "x" * 301)
    [too_long] = [ln for ln in lines if " LM025 " in ln]
    assert too_long.startswith(f"proj/sites.yaml:{long_at}:")
    assert " LM025 error: variant `north`: " in too_long
    route = [ln for ln in lines if " LM401 " in ln]
    assert route
    assert all("variant `west`: pathway `direct`" in ln for ln in route)
    assert all(ln.startswith(f"proj/sites.yaml:{_line(model, 'nodes: [money, spend, needs')}:")
               for ln in route)
    only = cli("check", "proj/sites.yaml", "--variant", "north", cwd=tmp_path)
    assert " LM401 " not in only.out
    assert " LM025 " in only.out


def test_problems_of_the_base_are_reported_once(cli: Cli, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    model = proj / "sites.yaml"
    model.write_text(model.read_text().replace(
        "  - {id: L1, from: money, to: spend}\n",
        "  - {id: L1, from: money, to: spend}\n  - {id: L9, from: fewer, to: money}\n"))
    r = cli("check", "proj/sites.yaml", cwd=tmp_path)
    cycle = [ln for ln in r.out.splitlines() if " LM201 " in ln]
    assert len(cycle) == 1
    assert "variant" not in cycle[0]


@pytest.mark.parametrize(("patch", "code", "where", "says"), [
    ("    change:\n      nodes:\n        - {id: mony, label: X}\n", "LM041", "id: mony",
     "variant `west` changes `mony`, which is not a node of the base"),
    ("    remove:\n      links: [L99]\n", "LM041", "links: [L99]",
     "variant `west` removes `L99`, which is not a link of the base"),
    ("    add:\n      nodes:\n        - {id: money, kind: input, label: Again}\n", "LM042",
     "label: Again", "variant `west` adds `money`, which the base already has"),
    ("    remove:\n      nodes: [spend]\n", "LM043", "nodes: [spend]",
     "variant `west` removes `spend`, which link `L1`, link `L2`, pathway `direct` still use"),
    ("    change:\n      nodes:\n        - {id: spend, kind: activty}\n", "LM024",
     "kind: activty", "variant `west`: nodes[1]: `activty` is not a valid kind"),
    ("    chnage: {}\n", "LM022", "chnage", "variants[2]: unknown field `chnage`"),
])
def test_a_bad_variant_is_located_where_it_is_written(cli: Cli, tmp_path: Path, patch: str,
                                                       code: str, where: str,
                                                       says: str) -> None:
    proj = _project(tmp_path)
    model = proj / "sites.yaml"
    model.write_text(model.read_text() + "  - id: west\n" + patch)
    r = cli("check", "proj/sites.yaml", cwd=tmp_path)
    assert r.code == 1
    first = r.out.splitlines()[0]
    assert first.startswith(f"proj/sites.yaml:{_line(model, where)}:"), first
    assert f" {code} error: {says}" in first


def test_two_variants_with_one_name(cli: Cli, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    model = proj / "sites.yaml"
    model.write_text(model.read_text() + "  - {id: north, label: North again}\n")
    r = cli("check", "proj/sites.yaml", cwd=tmp_path)
    assert r.code == 1
    assert f"proj/sites.yaml:{_line(model, 'North again')}:" in r.out
    assert "LM042 error: two variants are named `north`" in r.out


def test_an_overlay_problem_is_in_the_overlay_and_a_base_problem_in_the_base(
        cli: Cli, tmp_path: Path) -> None:
    proj = _project(tmp_path)
    east = proj / "overlay" / "east.yaml"
    east.write_text(east.read_text().replace("to: spend}", "to: spedn}"))
    r = cli("check", "proj/overlay/east.yaml", cwd=tmp_path)
    assert r.code == 1
    assert r.out.startswith(f"proj/overlay/east.yaml:{_line(east, 'spedn')}:")
    assert "LM102 error: variant `east`: `spedn` is not the id of any node" in r.out
    base = proj / "sites.yaml"
    base.write_text(base.read_text().replace("to: needs}", "to: neds}"))
    r = cli("check", "proj/overlay/east.yaml", cwd=tmp_path)
    assert f"proj/sites.yaml:{_line(base, 'neds')}:" in r.out


@pytest.mark.parametrize(("extends", "says"), [
    ("/etc/hosts", "`extends: /etc/hosts` is an absolute path"),
    ("../../outside.yaml", "`extends: ../../outside.yaml` leads out of the project"),
    ("missing.yaml", "cannot read the base `missing.yaml`: no such file or directory"),
    ("pipe.yaml", "cannot read the base `pipe.yaml`: it is not a regular file"),
    ("../overlay", "cannot read the base `../overlay`: it is a directory"),
    ("east.yaml", "`extends` goes round in a cycle"),
    ("loop.yaml", "the base `loop.yaml` has errors"),
])
def test_extends_is_confined_to_the_project(cli: Cli, tmp_path: Path, extends: str,
                                            says: str) -> None:
    proj = _project(tmp_path)
    (tmp_path / "outside.yaml").write_text((proj / "sites.yaml").read_text())
    os.mkfifo(proj / "overlay" / "pipe.yaml")
    (proj / "overlay" / "loop.yaml").write_text("logicmodel: 1\nextends: east.yaml\n")
    east = proj / "overlay" / "east.yaml"
    east.write_text(east.read_text().replace("extends: ../sites.yaml", f"extends: {extends}"))
    r = cli("check", "proj/overlay/east.yaml", cwd=tmp_path)
    assert r.code == 1
    assert "proj/overlay/east.yaml:3:10: LM04" in r.out
    assert says in r.out


def test_every_command_takes_variant(cli: Cli, tmp_path: Path) -> None:
    r = cli("export", SITES, "--to", "csv-nodes", "--variant", "north")
    assert r.code == 0, r.err
    assert "lottery" in r.out
    assert "lottery" not in cli("export", SITES, "--to", "csv-nodes").out
    assert cli("paths", SITES, "--variant", "north", "--from", "lottery").code == 0
    assert cli("paths", SITES, "--from", "lottery").code == 2
    assert cli("analyze", SITES, "--variant", "south", "--only", "scorecard").code == 0
    out = tmp_path / "south.dot"
    assert cli("render", SITES, "--variant", "south", "-o", str(out)).code == 0
    assert "Needs met quickly" not in out.read_text()
    bad = cli("render", SITES, "--variant", "nrth", "-o", str(tmp_path / "x.svg"))
    assert bad.code == 2
    assert bad.err == (f"logicmodel: LM046 {SITES} has no variant `nrth` (it has: north, south)\n"
                       "    hint: did you mean `north`?\n")
    assert not (tmp_path / "x.svg").exists()


def test_diff_between_variants(cli: Cli) -> None:
    r = cli("diff", f"{SITES}@north", f"{SITES}@south")
    assert r.code == 0, r.err
    assert r.out.startswith(f"--- {SITES}@north\n+++ {SITES}@south\n")
    assert "  - lottery  activity: Families allocated at random" in r.out
    base = cli("diff", SITES, f"{SITES}@north", "--format", "json")
    assert '"lottery"' in base.out
    assert cli("diff", f"{SITES}@base", f"{SITES}@north").out == \
        cli("diff", SITES, f"{SITES}@north").out.replace(f"--- {SITES}\n", f"--- {SITES}@base\n")


def test_what_differs_across_variants(cli: Cli) -> None:
    d = differences(open_model(SITES).document)  # type: ignore[arg-type]
    assert [v for v, _ in d.variants] == ["base", "north", "south"]
    cells = {f"{s}:{i}": [c.sign() for c in row] for s, i, _, row in d.rows}
    assert cells["nodes:money"] == ["=", f"{CHANGED} label", "="]
    assert cells["nodes:lottery"] == ["", "+", ""]
    assert cells["nodes:needs"] == ["=", "=", "\N{MINUS SIGN}"]
    assert cells["indicators:rate"] == ["=", f"{CHANGED} target", "="]
    assert cells["pathways:direct"] == ["=", "=", f"{CHANGED} nodes"]
    md = cli("export", SITES, "--to", "variants")
    assert md.out.splitlines()[:3] == [
        "| Element | What | Base | North | South |", "|---|---|---|---|---|",
        f"| node money | input: A budget per family | = | {CHANGED} label | = |"]
    tex = cli("export", SITES, "--to", "variants", "--style", "latex").out
    assert "node needs & output: Needs met quickly & = & = & -- \\\\" in tex
    assert "node money & input: A budget per family & = & \\ensuremath{\\Delta} label & =" in tex
    csv = cli("export", SITES, "--to", "variants", "--style", "csv").out
    assert csv.splitlines()[:2] == ['"Element","What","Base","North","South"',
                                    '"node money","input: A budget per family","same",'
                                    '"changed: label","same"']


def test_a_variant_shares_the_elements_it_leaves_alone_and_equals_a_fresh_validation() -> None:
    """Checking a variant validates what it changes; the rest is the base's own, unchanged."""
    from logicmodel.loader import load_file
    from logicmodel.schema import LogicModel
    from logicmodel.variants.load import variant_document

    doc = load_file(str(ROOT / "models" / "devolved_budgets.yaml"))
    assert doc.model is not None
    assert doc.variants
    base = {n.id: n for n in doc.model.nodes}
    for spec in doc.variants:
        v = variant_document(doc, spec.id)
        assert v.model is not None
        assert v.tree is not None
        changed = {e["id"] for e in spec.patch.get("change", {}).get("nodes", [])}
        added = {e["id"] for e in spec.patch.get("add", {}).get("nodes", [])}
        for n in v.model.nodes:
            assert (n is base.get(n.id)) == (n.id not in changed | added), (spec.id, n.id)
        # the same model as validating the merged data from scratch
        assert v.model == LogicModel.model_validate(v.tree.data)


_STEPS_MODEL = """\
logicmodel: 2
title: One budget, two kinds of help
nodes:
  - {id: budget, kind: input, label: Devolved budget}
  - {id: goods, kind: output, label: Goods bought}
  - {id: courses, kind: output, label: Courses paid for}
  - {id: dedicated, kind: mechanism, label: Help fits the family}
  - {id: fewer, kind: impact, label: Fewer children in care,
     indicators: [{id: ind_care, measure: Care entries per 10000 children}]}
links:
  - {id: L1, from: budget, to: goods}
  - {id: L2, from: budget, to: courses}
  - {id: L3, from: goods, to: dedicated}
  - {id: L4, from: courses, to: dedicated}
  - {id: L5, from: dedicated, to: fewer}
pathways:
  - id: resources
    label: Resources dedicated to needs
    mechanism: dedicated
    steps: [[budget, goods], [budget, courses], [goods, dedicated], [courses, dedicated],
            [dedicated, fewer]]
    start: [budget]
    end: [fewer]
variants:
  - id: west
    remove:
"""


@pytest.mark.parametrize(("remove", "gone"), [
    ("      nodes: [courses]\n      links: [L2, L4]\n", "courses"),  # named in `steps`
    ("      nodes: [fewer]\n      links: [L5]\n", "fewer"),  # in `steps` and `end`
])
def test_removing_a_node_a_pathways_steps_still_name_is_reported_at_the_removal(
        cli: Cli, tmp_path: Path, remove: str, gone: str) -> None:
    model = tmp_path / "m.yaml"
    model.write_text(_STEPS_MODEL + remove)
    (tmp_path / "logicmodel.toml").write_text("")
    r = cli("check", "m.yaml", cwd=tmp_path)
    assert r.code == 1
    first = r.out.splitlines()[0]
    assert first.startswith(f"m.yaml:{_line(model, f'nodes: [{gone}]')}:"), r.out
    assert (f" LM043 error: variant `west` removes `{gone}`, which pathway `resources` "
            "still uses") in first


# --- groups: a variant removes, changes and adds them, and keeps them whole ----------------

_GROUPS_MODEL = """\
logicmodel: 2
title: Two sites
expects_impact: false
groups:
  - {id: east, label: East, type: site}
  - {id: west, label: West, type: site}
nodes:
  - {id: money, kind: input, label: A budget, groups: [east, west]}
  - {id: visits, kind: activity, label: Home visits, groups: [west]}
  - {id: calmer, kind: outcome, label: Less stress, groups: [east],
     indicators: [{id: stress, measure: Stress score}]}
links:
  - {id: L1, from: money, to: visits}
  - {id: L2, from: visits, to: calmer}
  - {id: L3, from: money, to: calmer}
views:
  - {id: east_only, groups: [east], others: hide}
  - {id: west_only, groups: [west], others: hide}
variants:
"""


def _groups_project(tmp_path: Path, variants: str) -> Path:
    (tmp_path / "logicmodel.toml").write_text("")
    model = tmp_path / "m.yaml"
    model.write_text(_GROUPS_MODEL + variants)
    return model


def test_removing_a_group_something_still_names_is_lm043_at_the_removal(
        cli: Cli, tmp_path: Path) -> None:
    model = _groups_project(tmp_path, "  - id: one_site\n    remove:\n      groups: [east]\n")
    out = tmp_path / "out.svg"
    r = cli("check", "m.yaml", cwd=tmp_path)
    assert r.code == 1
    line = len(model.read_text().splitlines())  # the removal, the file's last line
    col = model.read_text().splitlines()[line - 1].index("east") + 1
    assert r.out.splitlines()[0] == (
        f"m.yaml:{line}:{col}: LM043 error: variant `one_site` removes `east`, which node "
        "`money`, node `calmer`, view `east_only` still use")
    assert "hint: remove or change what uses it in the same variant, or keep it" in r.out
    # nothing is drawn from a variant that is not a model
    r = cli("render", "m.yaml", "--variant", "one_site", "-o", str(out), cwd=tmp_path)
    assert r.code == 1
    assert "LM043" in r.out + r.err
    assert not out.exists()


def test_a_group_removed_with_everything_that_names_it_passes(cli: Cli,
                                                                tmp_path: Path) -> None:
    _groups_project(tmp_path, """\
  - id: east_site
    remove:
      nodes: [visits]
      links: [L1, L2]
      views: [west_only]
      groups: [west]
    change:
      nodes: [{id: money, groups: [east]}]
""")
    r = cli("check", "--select", "LM04", "m.yaml", cwd=tmp_path)
    assert r.code == 0, r.out
    east = open_model(str(tmp_path / "m.yaml"), variant="east_site").model
    assert east is not None
    assert [g.id for g in east.groups] == ["east"]
    r = cli("diff", "m.yaml@base", "m.yaml@east_site", cwd=tmp_path)
    assert r.code == 0, r.err
    assert "groups:\n  - west  West\n" in r.out


def test_removing_the_last_member_of_a_group_is_a_warning_at_the_removal(
        cli: Cli, tmp_path: Path) -> None:
    model = _groups_project(tmp_path, """\
  - id: no_visits
    remove:
      nodes: [visits]
      links: [L1, L2]
    change:
      nodes: [{id: money, groups: [east]}]
""")
    r = cli("check", "--select", "LM04", "m.yaml", cwd=tmp_path)
    assert r.code == 0, r.out  # a warning: the variant is still a valid model
    line = _line(model, "nodes: [visits]")
    col = model.read_text().splitlines()[line - 1].index("visits") + 1
    assert r.out.splitlines()[0] == (
        f"m.yaml:{line}:{col}: LM048 warning: variant `no_visits` removes `visits`, the last "
        "member of group `west`, which is left with no member; view `west_only` focuses on it")
    assert "hint: remove the group too (`remove: {groups: [west]}`), or keep a member in it" \
        in r.out
    assert cli("check", "--select", "LM04", "--strict", "m.yaml", cwd=tmp_path).code == 1
    assert cli("check", "--select", "LM04", "--ignore", "LM048", "m.yaml",
               cwd=tmp_path).out.startswith("All checks passed")


def test_a_group_a_member_leaves_by_a_change_is_not_said_at_a_removal(
        cli: Cli, tmp_path: Path) -> None:
    _groups_project(tmp_path, """\
  - id: moved
    change:
      nodes: [{id: visits, groups: [east]}, {id: money, groups: [east]}]
""")
    r = cli("check", "--select", "LM04", "m.yaml", cwd=tmp_path)
    assert r.code == 0, r.out
    assert "LM048" not in r.out


def test_groups_can_be_changed_and_added_by_a_variant(cli: Cli, tmp_path: Path) -> None:
    model = _groups_project(tmp_path, """\
  - id: three
    change:
      groups: [{id: west, label: The West}]
    add:
      groups: [{id: north, label: North, type: site}]
      nodes: [{id: clinic, kind: activity, label: A clinic, groups: [north]}]
      links: [{id: L4, from: money, to: clinic}, {id: L5, from: clinic, to: calmer}]
  - id: typo
    change:
      groups: [{id: wets, label: The West}]
""")
    r = cli("check", "m.yaml", cwd=tmp_path)
    assert r.code == 1
    line = _line(model, "{id: wets")
    col = model.read_text().splitlines()[line - 1].index("wets") + 1
    assert f"m.yaml:{line}:{col}: LM041 error: variant `typo` changes `wets`, which is not a " \
        "group of the base" in r.out
    assert "hint: did you mean `west`?" in r.out
    three = open_model(str(model), variant="three").model
    assert three is not None
    assert [(g.id, g.label) for g in three.groups] == [
        ("east", "East"), ("west", "The West"), ("north", "North")]
    table = cli("export", "m.yaml", "--to", "variants", "--style", "csv", cwd=tmp_path)
    assert '"group west","West","same","changed: label"' in table.out
    assert '"group north","North","","added"' in table.out
