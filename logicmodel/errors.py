"""Exceptions: failures of the tool, and the one raised by the convenience :func:`load`.

Problems in a user's model are diagnostics (values), not exceptions. These
exceptions are for callers who asked for a model and cannot get one, and for
configuration and environment failures the command line reports with exit 2 or 3.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .diagnostics import Diagnostic

__all__ = ["CodedError", "ConfigError", "InvalidModelError", "LogicModelError", "UsageError"]


class LogicModelError(Exception):
    """Base class of every exception logicmodel raises on purpose."""


class CodedError(LogicModelError):
    """A failure of the tool with a rule code (LM6xx) and an optional hint for the user."""

    def __init__(self, code: str, message: str, hint: str | None = None) -> None:
        self.code = code
        self.hint = hint
        super().__init__(message)


class UsageError(CodedError, ValueError):
    """The command asked for something the model does not have (exit status 2)."""


class InvalidModelError(LogicModelError, ValueError):
    """The model could not be loaded; ``diagnostics`` say where and why."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        first = self.diagnostics[0] if self.diagnostics else None
        summary = f"{first.location()}: {first.code} {first.message}" if first else "invalid"
        more = len(self.diagnostics) - 1
        super().__init__(summary + (f" (and {more} more)" if more > 0 else ""))


class ConfigError(LogicModelError, ValueError):
    """The configuration is invalid; ``diagnostics`` say where and why."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__(message)
