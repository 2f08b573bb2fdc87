"""What the commands that write figures (`render`, `diff --render`) share.

Messages for the tool's own failures (`logicmodel: LM6xx message` and a hint on
stderr), and the checks on output paths that run before any work is done.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

__all__ = ["check_outputs", "fail"]


def fail(code: str, message: str, hint: str | None) -> None:
    """Print a coded failure of the tool (not of the model) on stderr."""
    from ..diagnostics import escape_text

    print(f"logicmodel: {code} {escape_text(message)}", file=sys.stderr)
    if hint:
        print(f"    hint: {escape_text(hint)}", file=sys.stderr)


def check_outputs(paths: Sequence[str], format_of: Callable[[str], str]) -> int:
    """Refuse unknown suffixes (exit 2) and unsafe output paths (exit 3) before any work."""
    from ..render import RenderError
    from ..render.output import OutputError, check_destination

    try:
        for path in paths:
            format_of(path)
        for path in paths:
            check_destination(path)
    except RenderError as exc:
        fail(exc.code, str(exc), exc.hint)
        return 2
    except OutputError as exc:
        fail(exc.code, str(exc), exc.hint)
        return 3
    return 0
