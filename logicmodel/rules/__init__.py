"""Coded rules: every check logicmodel runs on a model, and the engine that runs them.

Rules live in modules by theme, one code range each:

* ``references`` LM1xx: ids and references; ``stages`` LM106-LM108: the model's stages;
  ``groups`` LM109-LM111: groups, tags and roles;
* ``structure`` LM2xx: the causal chain (cycles, direction, loose ends);
* ``evidence`` LM3xx: indicators, assumptions, references, provenance;
* ``pathways`` LM4xx: declared pathways;
* ``style`` LM5xx: presentation;
* ``views`` LM61x: named views;
* ``frameworks`` LM9xx: a framework's own checks, where its file lists them.

Codes raised outside a rule are registered, with their pages, in the module
that raises them (see :data:`.registry.CODE_MODULES`): LM0xx in
:mod:`logicmodel.yamlread` and :mod:`logicmodel.loader`, LM60x in the renderer
and :mod:`logicmodel.files`, LM7xx in :mod:`logicmodel.config` and
:mod:`logicmodel.suppressions`, LM8xx in :mod:`logicmodel.analysis`; LM121-LM125,
a short version's mapping onto its full version, in :mod:`logicmodel.versions`.
``logicmodel rules CODE`` says where each one comes from.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from .. import rewrite  # noqa: F401  (registers LM030 and LM031, raised by `fmt` and `migrate`)
from ..diagnostics import Diagnostic, Path, Severity, Span
from . import (  # noqa: F401  (registers)
    evidence,
    frameworks,
    groups,
    pathways,
    references,
    stages,
    structure,
    style,
    views,
)
from .context import CheckOptions, Context
from .registry import RULES, Finding, Rule, rule, stamp


class Locate(Protocol):
    """Maps a path in the model to its position in the file (``Document.locate``)."""

    def __call__(self, path: Path, *, at_key: bool = False) -> Span: ...


__all__ = ["RULES", "CheckOptions", "Context", "Finding", "Locate", "Rule", "located", "rule",
           "run_rules", "stamp"]


def located(r: Rule, findings: Iterable[Finding], locate: Locate, file: str,
            severity: dict[str, Severity]) -> Iterator[Diagnostic]:
    """One rule's findings stamped into located diagnostics.

    ``locate(path, at_key=...)`` maps a path in the model to a position in the file.
    """
    sev = severity.get(r.code, r.severity)
    for f in findings:
        yield Diagnostic(r.code, r.name, sev, f.message, file,
                         locate(f.path, at_key=f.at_key), f.path, f.hint)


def run_rules(
    ctx: Context,
    rules: Iterable[Rule],
    locate: Locate,
    file: str,
    severity: dict[str, Severity] | None = None,
) -> Iterator[Diagnostic]:
    """Run each rule on the model and stamp its findings into located diagnostics."""
    severity = severity or {}
    for r in rules:
        if r.check is not None:
            yield from located(r, r.check(ctx), locate, file, severity)
