"""The rule registry: every diagnostic code logicmodel can emit, with its documentation.

A rule is a small function with a code, a kebab-case name, a default severity and
a docstring that *is* its documentation page (``## What it does``, ``## Why is
this bad?``, ``## Example``). Rules yield bare :class:`Finding` values (where and
what); the engine stamps the code and severity and turns the path into a
position. Codes raised outside rules (reading a file LM0xx, rendering LM6xx,
configuration LM7xx, analysis LM8xx) are registered the same way, with a
function that checks nothing, *in the module that raises them*: the page of
LM604 sits beside the writer that reports it. :func:`stamp` turns such a code
into a diagnostic, with the registered name and severity, for every caller.

The registry is a dict filled by the ``@rule`` decorator at import time. The
modules listed in :data:`CODE_MODULES` are imported the first time the whole
registry is read (``logicmodel rules``, the docs, a ``--select``), so that
``logicmodel check`` does not import the renderer to learn about LM6xx.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, Path, Severity, Span

if TYPE_CHECKING:
    from .context import Context

__all__ = ["CODE_MODULES", "RULES", "Finding", "Rule", "rule", "stamp"]


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
    module: str = field(default="", compare=False)
    local: tuple[str, ...] | None = field(default=None, compare=False)
    """For a rule that looks at one element at a time, the id pools it also reads."""
    reads: tuple[str, ...] | None = field(default=None, compare=False)
    """For a rule about the whole model, what it reads: sections, or ``section.field``."""

    @property
    def summary(self) -> str:
        """The first line of the rule's documentation."""
        return self.doc.splitlines()[0].strip() if self.doc else ""


# Modules outside ``logicmodel.rules`` that raise codes and hold their pages.
CODE_MODULES = (
    "logicmodel.yamlread",
    "logicmodel.loader",
    "logicmodel.checking",
    "logicmodel.config",
    "logicmodel.suppressions",
    "logicmodel.files",
    "logicmodel.extras",
    "logicmodel.importing.grid",
    "logicmodel.importing.sheets",
    "logicmodel.importing.dagitty",
    "logicmodel.render",
    "logicmodel.render.engine",
    "logicmodel.render.svg",
    "logicmodel.render.views",
    "logicmodel.render.mermaid",
    "logicmodel.render.themes",
    "logicmodel.render.fonts",
    "logicmodel.render.fit",
    "logicmodel.render.multiples",
    "logicmodel.variants.merge",
    "logicmodel.variants.load",
    "logicmodel.variants.groups",
    "logicmodel.versions.load",
    "logicmodel.versions.check",
    "logicmodel.analysis.source",
    "logicmodel.analysis.skeleton",
    "logicmodel.analysis.implications",
    "logicmodel.analysis.scorecard",
    "logicmodel.serve",
    "logicmodel.analysis.datatest",
)


class _Registry(Mapping[str, Rule]):
    """Every code, completed on first full read by importing :data:`CODE_MODULES`."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}
        self._complete = False
        self._checks: tuple[Rule, ...] | None = None

    def add(self, r: Rule) -> None:
        if r.code in self._rules:
            raise ValueError(f"rule code {r.code} registered twice")
        self._rules[r.code] = r
        self._checks = None

    def complete(self) -> dict[str, Rule]:
        """All codes: imports the modules that declare codes outside ``logicmodel.rules``."""
        if not self._complete:
            self._complete = True
            for name in CODE_MODULES:
                importlib.import_module(name)
        return self._rules

    def checks(self) -> tuple[Rule, ...]:
        """The rules with a check function, in code order (all live in ``logicmodel.rules``).

        The same tuple until a rule is registered (every check of a run asks for it).
        """
        if self._checks is None:
            self._checks = tuple(r for _, r in sorted(self._rules.items()) if r.check is not None)
        return self._checks

    def __getitem__(self, key: str) -> Rule:
        found = self._rules.get(key)
        return found if found is not None else self.complete()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.complete())

    def __len__(self) -> int:
        return len(self.complete())


RULES: _Registry = _Registry()


def rule(
    code: str, name: str, severity: Severity, *, enabled: bool = True,
    local: tuple[str, ...] | None = None, reads: tuple[str, ...] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a rule. The decorated function's docstring is its documentation.

    ``local`` declares a rule that looks at one element at a time: what it finds
    about an element depends only on that element, the model's fields outside its
    sections (stages, groups, requirements...; never ``title`` or ``description``),
    the options and the context's id pools named in ``local`` (such as ``nodes``
    or ``reference_ids``), and it finds nothing more about an element when one of
    those pools grows. It walks sections with ``ctx.elements(section)`` (or
    ``ctx.holders()``), never ``ctx.model.<section>``, so that a variant is
    re-checked on the elements it adds or changes (:mod:`.incremental`).

    ``reads`` declares, for a rule about the whole model, everything it reads
    besides the model's fields outside its sections (never ``title`` or
    ``description``) and the options: sections (``"pathways"``: every field of
    every pathway) or fields of a section's elements (``"nodes.kind"``;
    ``"nodes.provenance.status"``, what makes a node a placeholder), adding
    or removing an element counting as a change to every facet of its section.
    A variant that changes none of them keeps the base's findings, at their
    places in the variant.
    """

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        doc = inspect.cleandoc(fn.__doc__ or "")
        params = inspect.signature(fn).parameters
        RULES.add(Rule(code, name, severity, doc, fn if params else None, enabled,
                       fn.__module__, local, reads))
        return fn

    return register


def stamp(code: str, message: str, file: str, span: Span | None = None, path: Path = (),
          hint: str | None = None, severity: Severity | None = None) -> Diagnostic:
    """A diagnostic for a code raised outside a rule, with its registered name and severity."""
    r = RULES[code]
    return Diagnostic(code, r.name, severity or r.severity, message, file, span, path, hint)
