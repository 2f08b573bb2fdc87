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

from .diagnostics import Diagnostic, Path, Severity, Span
from .rules import RULES
from .rules.registry import rule, stamp
from .schema import LogicModel

__all__ = ["apply_suppressions", "suppressible", "suppressions"]

_SECTIONS = ("nodes", "links", "assumptions", "moderators", "pathways", "references")


def suppressible(code: str) -> bool:
    """Whether a code can be silenced in a model (not LM0xx reading problems, not LM7xx)."""
    return code in RULES and not code.startswith(("LM0", "LM7"))


def suppressions(model: LogicModel, only: dict[str, list[int]] | None = None
                 ) -> Iterator[tuple[Path, int, Any]]:
    """Every ``ignore:`` entry: (the element's path, the entry's index, the entry).

    The model's own ``ignore:`` has the empty path: it silences the rule everywhere.
    ``only`` limits each section to the elements at those positions.
    """
    for j, s in enumerate(model.ignore):
        yield (), j, s
    for section in _SECTIONS:
        items = getattr(model, section)
        for i in (only.get(section, ()) if only is not None else range(len(items))):
            el = items[i]
            fields = el.__dict__  # a model's elements are pydantic models (see field_value)
            for j, s in enumerate(fields.get("ignore", ())):
                yield (section, i), j, s
            for k, ind in enumerate(fields.get("indicators", ())):
                for j, s in enumerate(ind.ignore):
                    yield (section, i, "indicators", k), j, s


def apply_suppressions(
    model: LogicModel,
    diagnostics: Sequence[Diagnostic],
    locate: Callable[..., Span],
    file: str,
    report: Callable[[str], Any],
    entries: Sequence[tuple[Path, int, Any]] | None = None,
) -> list[Diagnostic]:
    """The diagnostics left after the model's suppressions, plus LM710/LM711 about them.

    ``report(code)`` is the configuration's say on LM710/LM711: None when the
    code is turned off, else the severity to report it with. ``entries`` are the
    model's :func:`suppressions`, when already listed.
    """
    kept = list(diagnostics)
    extra: list[Diagnostic] = []
    for where, j, s in (suppressions(model) if entries is None else entries):
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
            on = f"`{element}`" if where else "the model"
            extra += _own("LM710", f"the suppression of {s.rule} on {on} silences "
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
    return [stamp(code, message, file, span, path, hint, severity)]


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

E = Severity.ERROR


@rule("LM710", "unused-suppression", Severity.WARNING)
def unused_suppression() -> None:
    """An `ignore:` entry in the model silences nothing.

    ## What it does
    Reports an entry `{rule: LMxxx, reason: ...}` in the `ignore:` of a node,
    link, assumption, moderator, pathway, indicator or reference when that rule
    reports nothing on that element (any more), or is not run at all.

    ## Why is this bad?
    Suppressions are visible in review so that readers can weigh them. One left
    behind after the problem was fixed claims a problem that is no longer
    there, and would hide the next one.

    ## Example
    ```yaml
    - id: fewer_entries
      kind: outcome
      horizon: long
      label: Fewer children entering care
      ignore:
        - rule: LM301
          reason: measured by the national evaluation, not by this programme
    ```
    Remove the entry once the outcome has an indicator.
    """

@rule("LM711", "unknown-suppressed-rule", Severity.ERROR)
def unknown_suppressed_rule() -> None:
    """An `ignore:` entry in the model names a rule code that does not exist.

    ## What it does
    Reports `ignore: [{rule: LM999, ...}]` entries whose code is not a rule,
    with the nearest code, and entries naming a code that cannot be silenced
    (LM0xx problems reading the file, LM7xx).

    ## Why is this bad?
    A suppression of a code that does not exist silences nothing, and usually
    means the code was mistyped: the problem it was meant for is still reported
    under its real code.

    ## Example
    ```yaml
    ignore:
      - {rule: LM203, reason: "kept for the 2024 version of the figure"}
    ```
    """
