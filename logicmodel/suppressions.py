"""Suppressions written in a model: ``ignore: [{rule: LM301, reason: ...}]`` on an element.

A suppression silences one rule on one element (and what it contains: a node's
indicators). It is data in the model, not a comment directive, so it shows up
in review with its reason. A suppression that silences nothing is reported
(LM710), and one naming a code that does not exist or cannot be silenced is an
error (LM711).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .diagnostics import Diagnostic, Path, Span
from .rules import RULES
from .schema import LogicModel

__all__ = ["apply_suppressions", "suppressible", "suppressions"]

_SECTIONS = ("nodes", "links", "assumptions", "moderators", "pathways", "references")


def suppressible(code: str) -> bool:
    """Whether a code can be silenced in a model (not LM0xx reading problems, not LM7xx)."""
    return code in RULES and not code.startswith(("LM0", "LM7"))


def suppressions(model: LogicModel) -> Iterator[tuple[Path, int, Any]]:
    """Every ``ignore:`` entry: (the element's path, the entry's index, the entry)."""
    for section in _SECTIONS:
        for i, el in enumerate(getattr(model, section)):
            for j, s in enumerate(getattr(el, "ignore", ())):
                yield (section, i), j, s
            for k, ind in enumerate(getattr(el, "indicators", ())):
                for j, s in enumerate(ind.ignore):
                    yield (section, i, "indicators", k), j, s


def apply_suppressions(
    model: LogicModel,
    diagnostics: Sequence[Diagnostic],
    locate: Callable[..., Span],
    file: str,
    report: Callable[[str], Any],
) -> list[Diagnostic]:
    """The diagnostics left after the model's suppressions, plus LM710/LM711 about them.

    ``report(code)`` is the configuration's say on LM710/LM711: None when the
    code is turned off, else the severity to report it with.
    """
    kept = list(diagnostics)
    extra: list[Diagnostic] = []
    for where, j, s in suppressions(model):
        path: Path = (*where, "ignore", j, "rule")
        if not suppressible(s.rule):
            if s.rule in RULES:
                message = f"`{s.rule}` cannot be silenced in a model"
            else:
                close = difflib.get_close_matches(s.rule, [c for c in RULES if suppressible(c)],
                                                  n=1)
                hint = f" (did you mean `{close[0]}`?)" if close else ""
                message = f"`{s.rule}` is not a rule code{hint}"
            extra += _own("LM711", message, file, locate(path), path, report)
            continue
        n = len(where)
        hit = [d for d in kept if d.code == s.rule and d.path[:n] == where]
        if hit:
            kept = [d for d in kept if d not in hit]
        else:
            name = "/".join(map(str, where))
            element = getattr(_element(model, where), "id", None) or name
            extra += _own("LM710", f"the suppression of {s.rule} on `{element}` silences "
                          "nothing", file, locate(path), path, report,
                          "remove it: the rule reports nothing here (or is not run)")
    return kept + extra


def _element(model: LogicModel, where: Path) -> Any:
    el: Any = model
    for part in where:
        el = el[part] if isinstance(part, int) else getattr(el, str(part))
    return el


def _own(code: str, message: str, file: str, span: Span, path: Path,
         report: Callable[[str], Any], hint: str | None = None) -> list[Diagnostic]:
    severity = report(code)
    if severity is None:
        return []
    return [Diagnostic(code, RULES[code].name, severity, message, file, span, path, hint)]
