"""One way in for every command that reads a model: load, configure, check.

``check``, ``render``, ``paths``, ``analyze``, ``diff``, ``export`` (and any
command added later) read a model through :func:`open_model`:

1. the configuration nearest to the model file (``logicmodel.toml`` or
   ``[tool.logicmodel]`` in a ``pyproject.toml`` above it), with its
   ``[[overrides]]`` for that file, or the file given with ``--config``;
2. the file loaded under that configuration's limits (``max-file-size``);
3. the checks that configuration turns on, at the severities it sets.

A model with errors under that configuration (its ``severity`` table can make
a rule an error) is refused: the command gets the errors instead of a model,
and prints them as ``check`` does. Warnings never stop a command; ``fail-on``
and ``--strict`` are about what fails ``check``. Analyses also need an acyclic causal skeleton
(``acyclic=True``), and a cycle the configuration let through is LM801.

Example::

    from logicmodel.pipeline import open_model

    opened = open_model("models/devolved_budgets.yaml")
    if opened.model is None:
        print(opened.problems)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from .checking import CheckResult, load_checked
from .config import Config, ConfigFinder
from .diagnostics import Diagnostic, Severity
from .loader import Document, display_path
from .schema import LogicModel

__all__ = ["Opened", "open_model"]


@dataclass
class Opened:
    """A model read for a command: the model if it may be used, else why not."""

    file: str
    config: Config
    model: LogicModel | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    variant: str | None = None
    document: Document | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        """The problems that stop a command: those reported as errors."""
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def result(self) -> CheckResult:
        """The errors, as a check result (to print them as ``check`` does)."""
        return CheckResult(files=[self.file], diagnostics=self.errors)


def open_model(path: str, *, data: bytes | None = None, display: str | None = None,
               near: str | None = None, config: Config | ConfigFinder | str | None = None,
               adjust: Callable[[Config], Config] | None = None,
               acyclic: bool = False, variant: str | None = None) -> Opened:
    """Load, configure and check one model the way every command does.

    Args:
        path: the model file (for ``data``, what it is called, e.g. ``HEAD:m.yaml``).
        data: the file's bytes when they do not come from ``path`` (a git revision).
        display: how the file is named in messages (default: relative to the working
            directory).
        near: the file whose folder's configuration applies (default ``path``; with
            ``data`` and no ``near``, the working directory's).
        config: a resolved :class:`Config`, a :class:`ConfigFinder`, the path of a
            configuration file (``--config``), or None for the nearest one.
        adjust: applied to the configuration found (command-line options).
        acyclic: refuse a model whose causal skeleton has a cycle (LM801), as analyses do.
        variant: the variant of the model to read (``base`` or None: the model itself);
            the base must be valid too.

    Raises:
        ConfigError: the configuration file is invalid (its located LM7xx problems).
        VariantError: the model has no variant ``variant`` (LM046).
    """
    if isinstance(config, Config):
        cfg = adjust(config) if adjust else config
    else:
        finder = config if isinstance(config, ConfigFinder) else ConfigFinder(config, adjust)
        where = near if near is not None else (None if data is not None else path)
        cfg = finder(where if where is None or os.path.exists(where) else None)
    doc, diags = load_checked(path, cfg, data=data,
                              display=display if display is not None else display_path(path))
    if variant not in (None, "base") and doc.model is not None and not any(
            d.severity is Severity.ERROR for d in diags):
        from .checking import check_document
        from .variants import variant_document

        assert variant is not None
        doc = variant_document(doc, variant)
        diags = check_document(doc, cfg)
    opened = Opened(doc.file, cfg, diagnostics=diags, variant=variant, document=doc)
    if doc.model is not None and acyclic and not opened.errors:
        from .analysis.source import cycle_diagnostics

        opened.diagnostics.extend(cycle_diagnostics(doc))
    if doc.model is not None and not opened.errors:
        opened.model = doc.model
    return opened
