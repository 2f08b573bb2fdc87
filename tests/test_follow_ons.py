"""One cause, one report: problems that only follow from a link to a misspelt id are left out."""

from __future__ import annotations

from logicmodel.checking import check

MODEL = """\
logicmodel: 2
title: T
nodes:
  - {id: a, kind: activity, label: A}
  - {id: m, kind: mechanism, label: M}
  - {id: o, kind: outcome, horizon: short, label: O}
  - {id: i, kind: impact, label: I}
  - {id: lone, kind: outcome, horizon: short, label: Lone}
links:
  - {from: a, to: m}
  - {from: m, to: oo}
  - {from: o, to: i}
pathways:
  - {id: p, label: P, mechanism: m, nodes: [a, m, o, i]}
  - {id: p, label: P2, mechanism: m, nodes: [a, m]}
"""


def test_follow_ons_of_a_misspelt_link_end_are_left_out_and_the_rest_kept() -> None:
    found = {(d.code, d.line) for d in check(MODEL) if d.code != "LM301"}
    assert ("LM102", 11) in found   # the cause: `oo`, did you mean `o`?
    assert ("LM205", 6) not in found  # `o` unreached: only because of the misspelt link
    assert ("LM401", 14) not in found  # pathway step m -> o unlinked: the same
    assert ("LM101", 15) in found   # independent problems stay: a duplicate pathway id,
    assert ("LM203", 8) in found    # a box with no links at all,
    assert ("LM403", 15) in found   # a pathway that ends at its mechanism


def test_without_a_suggestion_nothing_is_left_out() -> None:
    text = MODEL.replace("to: oo", "to: zzzzzz")
    found = {(d.code, d.line) for d in check(text)}
    assert {("LM102", 11), ("LM205", 6), ("LM401", 14)} <= found
