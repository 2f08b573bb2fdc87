"""`ignore:` in a model silences one rule on one element, and nothing else."""

from __future__ import annotations

from logicmodel.checking import check
from logicmodel.config import Config
from logicmodel.diagnostics import Severity

MODEL = """\
logicmodel: 1
title: T
nodes:
  - {id: coaching, kind: activity, label: Coaching}
  - id: calm
    kind: outcome
    horizon: short
    label: Calm
    ignore: [{rule: LM301, reason: measured by the council}]
  - {id: safe, kind: outcome, horizon: medium, label: Safe}
  - {id: spare, kind: output, label: Spare, ignore: [{rule: LM203, reason: kept for the figure}]}
  - id: fewer
    kind: impact
    label: Fewer entries
    indicators:
      - {id: entries, measure: Entries, ignore: [{rule: LM304, reason: from the appendix}]}
links:
  - {from: coaching, to: calm}
  - {from: calm, to: safe}
  - {from: safe, to: fewer}
  - {from: fewer, to: coaching, ignore: [{rule: LM202, reason: drawn against the flow}]}
pathways:
  - id: main
    label: Main
    nodes: [coaching, safe, fewer]
    ignore:
      - {rule: LM401, reason: the short route is argued in the text}
      - {rule: LM404, reason: no mechanism is claimed}
"""


def _found(config: Config | None = None) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in check(MODEL, config)]


def test_only_the_element_named_is_silenced() -> None:
    found = _found()
    codes = [c for c, _, _ in found]
    assert ("LM301", 10, 10) in found        # `safe` has no indicator: still reported
    assert codes.count("LM301") == 1        # `calm` is silenced
    assert "LM203" not in codes             # `spare` has no links, silenced
    assert "LM401" not in codes
    assert "LM404" not in codes
    assert "LM202" not in codes             # the backward link
    # LM201 (the undeclared cycle) is a different rule: not silenced by LM202's entry
    assert "LM201" in codes
    # the indicator's LM304 entry is stale: provenance is not required here
    assert ("LM710", 16, 57) in found


def test_stale_suppressions_follow_the_configuration() -> None:
    assert "LM710" not in [c for c, _, _ in _found(Config(ignore=("LM710",)))]
    strict = check(MODEL, Config(severity={"LM710": Severity.ERROR}))
    assert [d.severity for d in strict if d.code == "LM710"] == [Severity.ERROR]


def test_a_rule_that_is_not_run_makes_its_suppressions_stale() -> None:
    found = _found(Config(ignore=("LM3",)))
    stale = sorted((line, col) for c, line, col in found if c == "LM710")
    assert stale == [(9, 21), (16, 57)]


def test_with_provenance_required_the_indicator_entry_is_used() -> None:
    from logicmodel.rules import CheckOptions

    found = _found(Config(options=CheckOptions(require_provenance=True)))
    assert ("LM710", 16, 57) not in found
    assert not [1 for c, line, _ in found if c == "LM304" and line == 16]
    assert [c for c, _, _ in found].count("LM304") > 3   # every other element still reported


def _strip(data: object) -> object:
    if isinstance(data, dict):
        return {k: _strip(v) for k, v in data.items() if k != "ignore"}
    if isinstance(data, list):
        return [_strip(v) for v in data]
    return data


def test_without_the_entries_every_silenced_problem_is_reported() -> None:
    import yaml

    bare = yaml.safe_dump(_strip(yaml.safe_load(MODEL)), sort_keys=False)
    codes = [d.code for d in check(bare)]
    assert codes.count("LM301") == 2
    for code in ("LM203", "LM401", "LM404", "LM202", "LM201"):
        assert code in codes, code
