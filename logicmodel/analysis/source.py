"""Reading a model for analysis: the same loading and checks as ``logicmodel check``.

An analysis of a broken model would mislead, so every analysis, diff and
export first loads the file and runs the checks; if any error is found the
caller gets the located diagnostics (the same ``file:line:col: CODE`` lines as
``check``) instead of a model. Warnings do not stop an analysis.
"""

from __future__ import annotations

from ..checking import CheckResult, check_document
from ..config import Config
from ..diagnostics import Severity
from ..loader import display_path, load_file, parse_document
from ..report import format_text
from ..schema import LogicModel

__all__ = ["checked_model", "problems_text"]


def checked_model(path: str, *, data: bytes | None = None, display: str | None = None,
                  config: Config | None = None) -> tuple[LogicModel | None, CheckResult]:
    """Load ``path`` (or the bytes ``data``, named ``display``) and check it.

    Returns the model, or None with the diagnostics when the file has errors.
    """
    config = config or Config()
    name = display if display is not None else display_path(path)
    if data is not None:
        doc = parse_document(data, name)
    else:
        doc = load_file(path, max_size=config.max_file_size, display=name)
    result = CheckResult(files=[doc.file], fail_on=Severity.ERROR)
    diags = check_document(doc, config)
    if doc.model is None or any(d.severity is Severity.ERROR for d in diags):
        result.diagnostics = [d for d in diags if d.severity is Severity.ERROR]
        return None, result
    return doc.model, result


def problems_text(result: CheckResult) -> str:
    """The errors that stopped an analysis, as ``check`` prints them."""
    return format_text(result)
