"""Semantic diff: by id, field by field, rerouted pathways; files, git revisions, git driver."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from logicmodel.diff import diff_models, format_diff_text
from logicmodel.loader import load
from tests.conftest import ROOT, CliResult

Cli = Callable[..., CliResult]
FLAGSHIP = ROOT / "models" / "devolved_budgets.yaml"

EDITS = [
    ("label: Families lack basic resources", "label: Families lack money and basic resources"),
    ("links: [L05, L09, L10, L11, L13, L14, L15, L16, L17, L18, L19, L20",
     "links: [L05, L09, L10, L11, L13, L14, L15, L16, L19, L20"),
    ("measure: Rate of children starting to be looked after, per 10,000",
     "measure: Rate of children starting to be looked after, per 10,000 children"),
    ("    risk: high\n", "    risk: medium\n"),
    ("  - {id: L03b, from: ctx_austerity, to: ctx_scarce_help, type: contributes_to,\n"
     "     rationale: Austerity left councils unused to giving practical help,\n"
     "     provenance: {status: inferred, refs: [cc2019interim]}}\n", ""),
    ("  - id: ctx_austerity\n",
     "  - id: ctx_housing\n    kind: context\n    label: Poor housing\n"
     "    provenance: {status: inferred}\n  - id: ctx_austerity\n"),
]


def _edited(tmp_path: Path) -> Path:
    text = FLAGSHIP.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    out = tmp_path / "revised.yaml"
    out.write_text(text, encoding="utf-8")
    return out


def test_same_model_has_no_differences() -> None:
    model = load(FLAGSHIP)
    d = diff_models(model, model)
    assert not d
    assert d.changes == []
    assert d.rerouted == []
    assert format_diff_text(d) == "--- old\n+++ new\nNo semantic differences.\n"


def test_order_and_written_defaults_are_not_changes(tmp_path: Path) -> None:
    model = load(FLAGSHIP)
    data = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    for key in ("nodes", "links", "assumptions", "moderators", "pathways", "references"):
        data[key].reverse()
    data["links"][0]["type"] = data["links"][0].get("type", "leads_to")
    reordered = type(model).model_validate(data)
    assert not diff_models(model, reordered)


def test_changes_by_section(tmp_path: Path) -> None:
    d = diff_models(load(FLAGSHIP), load(_edited(tmp_path)))
    got = {(c.section, c.id, c.kind) for c in d.changes}
    assert got == {
        ("nodes", "ctx_hardship", "changed"),
        ("nodes", "ctx_housing", "added"),
        ("links", "L03b", "removed"),
        ("indicators", "ind_care_entry", "changed"),
        ("assumptions", "as_targeting", "changed"),
        ("pathways", "dedicated_resources", "changed"),
    }
    risk = next(c for c in d.changes if c.id == "as_targeting").fields
    assert [(f.field, f.old, f.new) for f in risk] == [("risk", "high", "medium")]
    (r,) = d.rerouted
    assert r.id == "dedicated_resources"
    assert not r.chains  # a branching pathway: its steps that went, none came
    assert r.removed_steps == [("mech_dedicated", "st_better_home"),
                               ("st_better_home", "st_less_stress")]
    assert r.added_steps == []
    assert d.counts() == {"added": 1, "removed": 1, "changed": 4}


def test_cli_text_golden(cli: Cli, tmp_path: Path, golden: Callable[[str, str], None]) -> None:
    revised = _edited(tmp_path)
    shutil.copy(FLAGSHIP, tmp_path / "devolved_budgets.yaml")
    r = cli("diff", "devolved_budgets.yaml", "revised.yaml", cwd=tmp_path)
    assert (r.code, r.err) == (0, "")
    golden("diff/flagship_revised.txt", r.out)
    assert cli("diff", "--exit-code", "devolved_budgets.yaml", revised.name,
               cwd=tmp_path).code == 1
    assert cli("diff", "--exit-code", "devolved_budgets.yaml", "devolved_budgets.yaml",
               cwd=tmp_path).code == 0


P1 = ["in_budget", "act_purchase", "out_material", "out_therapeutic", "out_skills",
      "mech_dedicated", "st_needs_met", "st_better_home", "st_less_stress",
      "mt_sustainable_change", "mt_risk_reduced", "lt_safe_at_home", "imp_less_care"]


def test_cli_json(cli: Cli, tmp_path: Path) -> None:
    _edited(tmp_path)
    shutil.copy(FLAGSHIP, tmp_path / "devolved_budgets.yaml")
    r = cli("diff", "--format", "json", "devolved_budgets.yaml", "revised.yaml", cwd=tmp_path)
    data = json.loads(r.out)
    assert data["counts"] == {"added": 1, "removed": 1, "changed": 4}
    label = next(c for c in data["changes"] if c["id"] == "ctx_hardship")["fields"][0]
    assert label == {"field": "label", "old": "Families lack basic resources",
                     "new": "Families lack money and basic resources"}
    assert data["rerouted_pathways"] == [{
        "id": "dedicated_resources",
        "old": P1,
        "new": [n for n in P1 if n != "st_better_home"],
        "steps_removed": [["mech_dedicated", "st_better_home"],
                          ["st_better_home", "st_less_stress"]],
        "steps_added": [],
        "start": {"old": ["in_budget"], "new": ["in_budget"]},
        "end": {"old": ["imp_less_care"], "new": ["imp_less_care"]},
    }]


def test_cli_invalid_model(cli: Cli) -> None:
    broken = "tests/negative/graph/devolved_budgets_typos.yaml"
    r = cli("diff", "models/devolved_budgets.yaml", broken)
    assert r.code == 1
    assert r.out == ""
    assert r.err.startswith(f"{broken}:")
    assert " error: " in r.err.splitlines()[0]
    assert r.err.endswith(f"logicmodel: {broken} has errors; nothing was compared\n")
    assert cli("diff", "only-one.yaml").code == 2


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=True)
    return proc.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.fail("git is needed for these tests")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "config", "user.email", "test@example.org")
    _git(tmp_path, "config", "user.name", "Test")
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(FLAGSHIP, models / "m.yaml")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "protocol version")
    revised = _edited(tmp_path)
    revised.replace(models / "m.yaml")
    _git(tmp_path, "commit", "-q", "-am", "final report version")
    return tmp_path


def test_two_git_revisions(cli: Cli, repo: Path, golden: Callable[[str, str], None]) -> None:
    r = cli("diff", "--git", "HEAD~1", "HEAD", "models/m.yaml", cwd=repo)
    assert (r.code, r.err) == (0, "")
    assert r.out.startswith("--- HEAD~1:models/m.yaml\n+++ HEAD:models/m.yaml\n")
    r2 = cli("diff", "HEAD~1:models/m.yaml", "models/m.yaml", cwd=repo)
    assert r2.out.splitlines()[2:] == r.out.splitlines()[2:]
    inside = cli("diff", "--git", "HEAD~1", "HEAD", "m.yaml", cwd=repo / "models")
    assert inside.out.splitlines()[2:] == r.out.splitlines()[2:]


def test_unknown_revision_is_a_usage_error(cli: Cli, repo: Path) -> None:
    r = cli("diff", "--git", "nope", "HEAD", "models/m.yaml", cwd=repo)
    assert r.code == 2
    assert r.err.startswith("logicmodel diff: cannot read nope:models/m.yaml from git: ")


def test_git_diff_driver(repo: Path) -> None:
    (repo / ".gitattributes").write_text("*.yaml diff=logicmodel\n")
    _git(repo, "config", "diff.logicmodel.command",
         f"{sys.executable} -m logicmodel diff --git-driver")
    out = _git(repo, "diff", "HEAD~1", "HEAD")
    assert "--- a/models/m.yaml\n+++ b/models/m.yaml\n" in out
    assert "  ~ ctx_hardship\n" in out
    assert "pathways whose route changed:\n  ~ dedicated_resources\n" in out
    # a file added in a commit: the old side is /dev/null, every element is added
    shutil.copy(repo / "models" / "m.yaml", repo / "models" / "n.yaml")
    _git(repo, "add", "models/n.yaml")
    added = _git(repo, "diff", "--cached")
    assert "--- a/models/n.yaml" in added
    assert "  + imp_less_care" in added


ONE_OR_MANY = """\
logicmodel: 2
title: One or many
expects_impact: false
stages:
  - {id: doing, heading: Doing, kinds: [activity]}
  - {id: soon, heading: Soon, kinds: [outcome], horizon: HORIZON}
references:
  - {id: r1, citation: A source}
nodes:
  - {id: act, kind: activity, label: Act}
  - {id: out, kind: outcome, horizon: short, label: Result,
     indicators: [{id: ind, measure: Result measured}],
     evidence: NODE_EVIDENCE}
links:
  - {id: L1, from: act, to: out, evidence: LINK_EVIDENCE}
"""


def _one_or_many(tmp_path: Path, name: str, **values: str) -> Path:
    text = ONE_OR_MANY
    for key, value in values.items():
        text = text.replace(key, value)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_one_mapping_and_a_list_of_one_are_the_same(tmp_path: Path) -> None:
    """Evidence (on a node or a link) and a stage's horizon take one value or a list."""
    ev = "{direction: against, refs: [r1], note: It did not}"
    one = load(_one_or_many(tmp_path, "one", HORIZON="short", NODE_EVIDENCE=ev,
                            LINK_EVIDENCE="{grade: limited, refs: [r1]}"))
    many = load(_one_or_many(tmp_path, "many", HORIZON="[short]", NODE_EVIDENCE=f"[{ev}]",
                             LINK_EVIDENCE="[{grade: limited, refs: [r1]}]"))
    assert not isinstance(one.links[0].evidence, list)
    assert isinstance(many.links[0].evidence, list)
    assert not diff_models(one, many)
    assert not diff_models(many, one)


def test_a_real_change_beside_a_change_of_form_is_reported_once(tmp_path: Path) -> None:
    one = load(_one_or_many(tmp_path, "one", HORIZON="short",
                            NODE_EVIDENCE="{refs: [r1]}",
                            LINK_EVIDENCE="{grade: limited, refs: [r1]}"))
    two = load(_one_or_many(tmp_path, "two", HORIZON="[short, medium]",
                            NODE_EVIDENCE="[{refs: [r1]}]",
                            LINK_EVIDENCE="[{grade: moderate, refs: [r1]},"
                                          " {direction: against, refs: [r1]}]"))
    d = diff_models(one, two)
    got = {c.id: [(f.field, f.old, f.new) for f in c.fields] for c in d.changes}
    assert got == {
        "model": [("stages[1].horizon", ["short"], ["short", "medium"])],
        "L1": [("evidence[0].grade", "limited", "moderate"),
               ("evidence[1].direction", None, "against"),
               ("evidence[1].refs", None, ["r1"])],
    }
    text = format_diff_text(d)
    assert '      evidence[0].grade: "limited" -> "moderate"\n' in text
    assert '  stages[1].horizon: ["short"] -> ["short", "medium"]\n' in text


CHAIN = """\
logicmodel: 2
title: A chain rerouted
expects_impact: false
nodes:
  - {id: a, kind: activity, label: A}
  - {id: m, kind: mechanism, label: M}
  - {id: b, kind: outcome, label: B, indicators: [{id: ib, measure: B measured}]}
  - {id: c, kind: outcome, label: C, indicators: [{id: ic, measure: C measured}]}
links:
  - {id: L1, from: a, to: m}
  - {id: L2, from: m, to: b}
  - {id: L3, from: m, to: c}
  - {id: L4, from: b, to: c}
pathways:
  - {id: p, label: P, mechanism: m, ROUTE}
"""


def _route(tmp_path: Path, name: str, route: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(CHAIN.replace("ROUTE", route), encoding="utf-8")
    return path


def test_a_chain_reads_as_its_nodes_a_branching_route_as_its_steps(tmp_path: Path) -> None:
    chain = load(_route(tmp_path, "chain", "nodes: [a, m, c]"))
    longer = load(_route(tmp_path, "longer", "nodes: [a, m, b, c]"))
    text = format_diff_text(diff_models(chain, longer))
    assert "pathways whose route changed:\n  ~ p\n      was: a -> m -> c\n" \
        "      now: a -> m -> b -> c\n" in text
    branching = load(_route(tmp_path, "branching", "links: [L1, L2, L3, L4]"))
    text = format_diff_text(diff_models(chain, branching))
    assert "  ~ p\n      + step m -> b\n      + step b -> c\n" in text
    # the same steps, written as links or as [from, to] pairs, are the same route
    steps = load(_route(tmp_path, "steps", "steps: [[a, m], [m, c], [m, b], [b, c]]"))
    assert diff_models(branching, steps).rerouted == []
    shorter = load(_route(tmp_path, "shorter", "links: [L1, L2]"))
    text = format_diff_text(diff_models(branching, shorter))
    assert "      - step m -> c\n      - step b -> c\n      ends: c -> b\n" in text
    d = diff_models(chain, branching)
    added = next(c for c in diff_models(None, branching).changes if c.id == "p")
    assert added.summary == "4 steps from a to c"
    assert d.rerouted[0].to_dict()["steps_added"] == [["m", "b"], ["b", "c"]]
