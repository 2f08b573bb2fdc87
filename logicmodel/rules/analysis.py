"""LM8xx: analysis and export (emitted by ``paths``, ``analyze``, ``diff`` and ``export``).

These codes are not model checks that ``logicmodel check`` runs: they are raised
when an analysis cannot work on a model that ``check`` let through (because the
configuration ignores or downgrades the rule that would have stopped it). They
are registered here so that each has its documentation page. Nothing here
imports the analysis code: ``check`` stays lean.
"""

from __future__ import annotations

from ..diagnostics import Severity
from .registry import rule


@rule("LM801", "cyclic-skeleton", Severity.ERROR)
def cyclic_skeleton() -> None:
    """The causal chain has a cycle not marked as feedback, so it cannot be analysed.

    ## What it does
    Before `paths`, `analyze`, `diff` or `export` work on a model, they set aside
    the links marked `feedback: true` and need what is left (the *causal
    skeleton*) to be acyclic. This reports a link on a cycle that remains.
    `check` reports the same cycle as LM201 unless the configuration ignores it.

    ## Why is this bad?
    Routes are counted along the skeleton, single points of failure are found
    from its topological order, and conditional independencies are read from it
    as a DAG. Round a cycle there are infinitely many routes, and d-separation
    has no meaning.

    ## Example
    ```yaml
    links:
      - {id: L1, from: engagement, to: trust}
      - {id: L2, from: trust, to: engagement}                  # fails
      - {id: L2, from: trust, to: engagement, feedback: true}  # a declared loop: passes
    ```
    """


@rule("LM802", "analysis-over-budget", Severity.ERROR)
def analysis_over_budget() -> None:
    """An analysis would take longer than its budget allows, so it stopped before starting.

    ## What it does
    `analyze` estimates the work of the testable implications before doing it:
    one unit per pair of measured nodes examined, and one unit per node of the
    model for each separating set it must find. When the estimate passes the
    budget (the `analysis-budget` setting, 20,000,000 units by default;
    `--budget` on the command line), it stops, writes nothing, and exits 1,
    instead of running for minutes.

    ## Why is this bad?
    A listing nobody can read, bought with minutes of a CI job. A model of
    1,000 nodes with 625 measured ones needs about 1.5 million units for the
    grouped statements, but 370 million to list its 185,000 independencies
    pair by pair (`--pairs`).

    ## Example
    ```toml
    [tool.logicmodel]
    analysis-budget = 100000000   # allow about 25 seconds
    ```
    Or narrow the question: drop `--pairs`, measure fewer nodes, or ask for
    other sections only (`--only fragility,scorecard`).
    """
