"""The rule registry: every diagnostic code logicmodel can emit, with its documentation.

A rule is a small function with a code, a kebab-case name, a default severity and
a docstring that *is* its documentation page (``## What it does``, ``## Why is
this bad?``, ``## Example``). Rules yield bare :class:`Finding` values (where and
what); the engine stamps the code and severity and turns the path into a
position. Codes emitted while reading a file (LM0xx) are registered too, with
no check function, so that ``logicmodel rules`` documents every code.

The registry is a plain dict filled by the ``@rule`` decorator at import time.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..diagnostics import Path, Severity

if TYPE_CHECKING:
    from .context import Context

__all__ = ["RULES", "Finding", "Rule", "rule"]


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule found: where (a path into the model) and what."""

    path: Path
    message: str
    hint: str | None = None
    at_key: bool = False


CheckFn = Callable[["Context"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """One diagnostic code and, for model rules, the function that checks it."""

    code: str
    name: str
    severity: Severity
    doc: str
    check: CheckFn | None = field(default=None, compare=False)
    enabled: bool = True

    @property
    def summary(self) -> str:
        """The first line of the rule's documentation."""
        return self.doc.splitlines()[0].strip() if self.doc else ""


RULES: dict[str, Rule] = {}


def rule(
    code: str, name: str, severity: Severity, *, enabled: bool = True
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a rule. The decorated function's docstring is its documentation."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        if code in RULES:
            raise ValueError(f"rule code {code} registered twice")
        doc = inspect.cleandoc(fn.__doc__ or "")
        params = inspect.signature(fn).parameters
        RULES[code] = Rule(code, name, severity, doc, fn if params else None, enabled)
        return fn

    return register
