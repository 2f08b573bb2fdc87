"""Optional dependencies: import them on demand, with a coded message when missing.

Word and Excel files need python-docx and openpyxl, installed with the
``office`` extra (``pip install 'logicmodel[office]'``); the rest of logicmodel
works without them. :func:`need` imports a module or raises :class:`MissingExtra`
(LM615) with the install command.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import CodedError

__all__ = ["EXTRAS", "MissingExtra", "need"]

# module -> (PyPI package, extra)
EXTRAS: dict[str, tuple[str, str]] = {
    "docx": ("python-docx", "office"),
    "openpyxl": ("openpyxl", "office"),
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
