"""The evaluation plan: a question per pathway and per contested or fragile link."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

from logicmodel.analysis.evalplan import HEADER, evaluation_plan
from logicmodel.export import export
from logicmodel.export.tables import logframe, to_csv
from logicmodel.loader import load
from tests.analysis_models import FLAGSHIP
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


def test_flagship_plan_rows() -> None:
    table = evaluation_plan(load(FLAGSHIP))
    assert table.header == HEADER
    questions = [r[0] for r in table.rows]
    assert questions[0].startswith("Does the pathway “Resources dedicated to the family's needs”")
    assert questions[1].startswith("Does the pathway “Improved worker-family relationship”")
    # the high-risk assumption's link first (where to look first), then the single point
    # of failure
    assert questions[2].endswith("(link L29)?")
    assert questions[3].endswith("(link L26)?")
    assert "every route passes through it; carries 22 of 22 routes" in table.rows[3][1]
    assert "inferred by the modeller" in table.rows[3][1]
    assert "Budgets reach families near the care threshold (risk: high)" in table.rows[2][3]
    assert "ind_plan_stepdown: Children stepped down" in table.rows[3][2]


def test_a_contested_link_gets_its_question() -> None:
    model = load(FLAGSHIP)
    links = [lk.model_copy(update={"evidence": [SimpleNamespace(
        direction="against", grade="limited", note="participation 30% lower among fathers")]})
        if lk.id == "L22" else lk for lk in model.links]
    table = evaluation_plan(model.model_copy(update={"links": links}))
    links_rows = [r for r in table.rows if "(link " in r[0]]
    # after the flagship's own contested link, L29 (key finding 8), which carries more routes
    assert [r[0].rsplit("(", 1)[1] for r in links_rows[:2]] == ["link L29)?", "link L22)?"]
    assert "contested: 1 item of evidence against (limited): participation 30% lower" in (
        links_rows[1][1])


def test_plan_in_markdown_latex_and_csv(cli: Cli) -> None:
    model = load(FLAGSHIP)
    md = export(model, "evaluation-plan")
    assert md.splitlines()[0] == "| " + " | ".join(HEADER) + " |"
    tex = export(model, "evaluation-plan", "latex")
    assert "\\begin{longtable}" in tex
    assert "\\textbf{Evaluation question}" in tex
    rows = list(csv.reader(io.StringIO(export(model, "evaluation-plan", "csv"))))
    assert rows[0] == HEADER
    assert len(rows) == 1 + len(evaluation_plan(model).rows)
    r = cli("export", FLAGSHIP, "--to", "evaluation-plan", "--style", "csv")
    assert (r.code, r.out) == (0, export(model, "evaluation-plan", "csv"))


def test_csv_cells_cannot_run_as_formulas() -> None:
    from logicmodel.export.tables import Table

    text = to_csv(Table("t", ["a"], [["=HYPERLINK(1)"]], [1.0]))
    assert "\"'=HYPERLINK(1)\"" in text


def test_logframe_carries_baselines_targets_and_risks() -> None:
    model = load(FLAGSHIP)
    data = model.model_dump(by_alias=True, exclude_none=True)
    for n in data["nodes"]:
        for ind in n.get("indicators", []):
            if ind["id"] == "ind_care_entry":
                ind["baseline"] = "92 per 10,000 (2019)"
                ind["target"] = "80 per 10,000"
    table = logframe(type(model).model_validate(data))
    impact = next(r for r in table.rows if r[0] == "Impact")
    assert impact[2] == ("Rate of children starting to be looked after, per 10,000 "
                         "(baseline: 92 per 10,000 (2019); target: 80 per 10,000)")
    assert any("Budgets reach families near the care threshold (risk: high)" in r[4]
               for r in table.rows)


def test_a_branching_pathway_row_covers_every_branch() -> None:
    row = evaluation_plan(load(FLAGSHIP)).rows[0]
    assert row[0] == ("Does the pathway “Resources dedicated to the family's needs” work: does "
                      "“Devolved budget held by social workers” lead to “Reduced need for "
                      "children to enter care”, through “Resources dedicated to the family's "
                      "needs”?")
    # the therapeutic branch's assumption and the needs-met branch's outcome are in it
    assert "Budgets add to other services, not replace them (risk: medium)" in row[3]
    assert "Quicker decisions without referral help families (risk: medium)" in row[3]
    assert "ind_needs_met: Share of agreed needs met within four weeks" in row[2]


def test_a_pathway_with_two_starts_asks_about_both(tmp_path: Path) -> None:
    path = tmp_path / "two_starts.yaml"
    path.write_text("""\
logicmodel: 2
title: Two starts
expects_impact: false
nodes:
  - {id: a, kind: activity, label: Visit}
  - {id: b, kind: activity, label: Phone}
  - {id: m, kind: mechanism, label: Trust}
  - {id: o, kind: outcome, horizon: short, label: Engagement,
     indicators: [{id: i, measure: Engagement rating}]}
links:
  - {id: L1, from: a, to: m}
  - {id: L2, from: b, to: m}
  - {id: L3, from: m, to: o}
pathways:
  - {id: p, label: Contact, mechanism: m, links: [L1, L2, L3]}
""", encoding="utf-8")
    row = evaluation_plan(load(path)).rows[0]
    assert row[0] == ("Does the pathway “Contact” work: does “Visit” or “Phone” lead to "
                      "“Engagement”, through “Trust”?")
