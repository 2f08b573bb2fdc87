"""The evidence and coverage scorecard: shares a CI job can track from one version to the next.

Each metric is a count out of a total (never a bare percentage), so a report
says both "how much" and "of what": links with a rationale, with evidence, with
assumptions; outcomes and outputs with indicators; what is stated in a source
versus inferred by the modeller; evidence grades.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Severity
from ..errors import CodedError
from ..rules.registry import rule
from ..schema import MEASURED_KINDS, EvidenceGrade, LogicModel, grade_of, indicators_of
from .skeleton import link_name

__all__ = ["Metric", "MetricError", "Shortfall", "scorecard", "shortfalls"]


class MetricError(CodedError, ValueError):
    """A threshold names a metric the scorecard does not have (LM804, a usage error)."""


@dataclass(frozen=True)
class Metric:
    """``count`` of ``total`` elements have a property."""

    key: str
    label: str
    count: int
    total: int
    #: the elements behind the share that lack the property (ids; links by their names)
    lacking: tuple[str, ...] = ()
    #: the off-by-default check that names them in ``check`` (``select`` it to enforce)
    rule: str | None = None

    @property
    def share(self) -> float | None:
        return round(self.count / self.total, 3) if self.total else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"label": self.label, "count": self.count, "total": self.total,
                               "share": self.share, "lacking": list(self.lacking)}
        if self.rule:
            out["rule"] = self.rule
        return out


def _metric(key: str, label: str, items: list[tuple[str, bool]],
            rule: str | None = None) -> Metric:
    """A metric from (element name, has the property) pairs."""
    return Metric(key, label, sum(1 for _, ok in items if ok), len(items),
                  tuple(name for name, ok in items if not ok), rule)


def _status(el: Any) -> str | None:
    prov = getattr(el, "provenance", None)
    return prov.status.value if prov is not None and prov.status is not None else None


def scorecard(model: LogicModel) -> list[Metric]:
    """The scorecard's metrics, in a fixed order."""
    links = model.links
    names = [link_name(i, lk) for i, lk in enumerate(links)]
    results = [n for n in model.nodes if n.kind in MEASURED_KINDS]
    outputs = [n for n in model.nodes if n.kind == "output"]
    graded = [(name, lk) for name, lk in zip(names, links, strict=True)
              if grade_of(lk) is not None]
    metrics = [
        _metric("links_with_rationale", "links with a rationale",
                [(n, bool(lk.rationale)) for n, lk in zip(names, links, strict=True)], "LM307"),
        _metric("links_with_evidence", "links with evidence",
                [(n, lk.evidence is not None) for n, lk in zip(names, links, strict=True)]),
        _metric("links_with_assumptions", "links with assumptions",
                [(n, bool(lk.assumptions)) for n, lk in zip(names, links, strict=True)]),
    ]
    metrics += [
        _metric(f"evidence_{g.value}", f"graded links rated {g.value}",
                [(n, grade_of(lk) == g) for n, lk in graded])
        for g in EvidenceGrade
    ]
    indicators = [i for n in [*results, *outputs] for i in indicators_of(n)]
    metrics += [
        _metric("outcomes_with_indicators", "outcomes and impacts with indicators",
                [(n.id, bool(indicators_of(n))) for n in results], "LM301"),
        _metric("outputs_with_indicators", "outputs with indicators",
                [(n.id, bool(indicators_of(n))) for n in outputs]),
        _metric("indicators_with_baseline", "indicators with a baseline",
                [(i.id, i.baseline is not None) for i in indicators], "LM306"),
        _metric("indicators_with_target", "indicators with a target",
                [(i.id, i.target is not None) for i in indicators], "LM306"),
    ]
    for section in ("nodes", "links", "assumptions"):
        items = getattr(model, section)
        ids = names if section == "links" else [el.id for el in items]
        metrics.append(_metric(f"{section}_stated", f"{section} stated in a source",
                               [(n, _status(el) == "stated")
                                for n, el in zip(ids, items, strict=True)]))
        metrics.append(_metric(f"{section}_inferred", f"{section} inferred by the modeller",
                               [(n, _status(el) == "inferred")
                                for n, el in zip(ids, items, strict=True)]))
    mechanisms = [n for n in model.nodes if n.kind == "mechanism"]
    on_pathway = {nid for r in model.routes for nid in r.nodes}
    metrics.append(_metric("mechanisms_on_pathways", "mechanisms on a declared pathway",
                           [(n.id, n.id in on_pathway) for n in mechanisms]))
    return metrics


@dataclass(frozen=True)
class Shortfall:
    """A scorecard share under the threshold a CI gate asked for."""

    metric: Metric
    minimum: float

    def message(self) -> str:
        m = self.metric
        return (f"{m.key} is {m.count / m.total:.1%} ({m.count}/{m.total}), "
                f"under the required {self.minimum:.1%}")


def shortfalls(metrics: Sequence[Metric], thresholds: Sequence[tuple[str, float]]
               ) -> list[Shortfall]:
    """The thresholds (metric key, minimum share 0-1) that ``metrics`` fall under.

    A metric with nothing to count (a total of 0) meets every threshold.

    Raises:
        MetricError: a key is not a metric of the scorecard (LM804), checked before
            any share is compared.
    """
    known = {m.key: m for m in metrics}
    for key, _ in thresholds:
        if key not in known:
            close = difflib.get_close_matches(key, list(known), n=1)
            raise MetricError("LM804", f"`{key}` is not a scorecard metric",
                              f"did you mean `{close[0]}`?" if close
                              else "metrics: " + ", ".join(known))
    out: list[Shortfall] = []
    for key, minimum in thresholds:
        m = known[key]
        if m.total and m.count / m.total < minimum:
            out.append(Shortfall(m, minimum))
    return out


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

@rule("LM804", "unknown-metric", Severity.ERROR)
def unknown_metric() -> None:
    """A `--fail-under` threshold names no scorecard metric.

    ## What it does
    `logicmodel analyze --fail-under METRIC=SHARE` turns the evidence scorecard
    into a CI gate. A METRIC that is not one of the scorecard's keys stops the
    command with exit status 2 (a usage error) before anything is compared,
    with a "did you mean" when one is close.

    ## Why is this bad?
    A misspelt metric would make a gate that never fails.

    ## Example
    ```text
    logicmodel: LM804 `links_with_evidance` is not a scorecard metric
        hint: did you mean `links_with_evidence`?
    ```
    """
