"""Optional dependencies: import them on demand, with a coded message when missing.

Word and Excel files need python-docx and openpyxl, installed with the
``office`` extra (``pip install 'logicmodel[office]'``), and the live preview
needs watchfiles (the ``serve`` extra); the rest of logicmodel works without
them. :func:`need` imports a module or raises :class:`MissingExtra`
(LM615) with the install command.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .diagnostics import Severity
from .errors import CodedError
from .rules.registry import rule

__all__ = ["EXTRAS", "MissingExtra", "need"]

# module -> (PyPI package, extra)
EXTRAS: dict[str, tuple[str, str]] = {
    "docx": ("python-docx", "office"),
    "openpyxl": ("openpyxl", "office"),
    "watchfiles": ("watchfiles", "serve"),
}


class MissingExtra(CodedError):
    """An optional library a feature needs is not installed (LM615)."""


def need(module: str, what: str) -> ModuleType:
    """Import ``module`` (a key of :data:`EXTRAS`) for ``what``, or raise LM615."""
    try:
        return importlib.import_module(module)
    except ImportError:
        package, extra = EXTRAS[module]
        raise MissingExtra(
            "LM615", f"{what} needs {package}, which is not installed",
            f"install the {extra} extra: pip install 'logicmodel[{extra}]'") from None


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

E = Severity.ERROR


@rule("LM615", "missing-extra", E)
def missing_extra() -> None:
    """An optional library that this output needs is not installed.

    ## What it does
    Word and Excel files are written with python-docx and openpyxl, which come
    with the `office` extra. Without them, `export --to docx`, `--to xlsx`, the
    narrative as `.docx` and `import` of an `.xlsx` stop with this code and the
    install command. `serve` needs watchfiles, from the `serve` extra. Exit
    status 3 (environment).

    ## Why is this bad?
    The file cannot be made. Nothing is written.

    ## Example
    ```text
    logicmodel: LM615 Word output needs python-docx, which is not installed
        hint: install the office extra: pip install 'logicmodel[office]'
    ```
    """
