"""What every command that reads a model shares: its arguments, and how a refusal is told.

Every such command reads its model through :func:`logicmodel.pipeline.open_model`
(configuration nearest the model, its limits, its checks) and, when the model
would fail ``logicmodel check``, prints the same located problems on stderr,
says that nothing was done, and exits 1. Standard output is left to the
command's own product (a report, an export), so a refused model never leaves
half a report in a pipe.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..pipeline import Opened

__all__ = ["add_config_argument", "open_for", "refuse"]


def add_config_argument(p: argparse.ArgumentParser) -> None:
    """``--config FILE``, as ``check`` takes it."""
    p.add_argument("--config", metavar="FILE",
                   help="configuration file (default: the nearest logicmodel.toml or "
                   "pyproject.toml with [tool.logicmodel] above the model)")


def open_for(args: argparse.Namespace, path: str, *, data: bytes | None = None,
             display: str | None = None, near: str | None = None,
             acyclic: bool = False) -> Opened:
    """The model at ``path`` read, configured and checked as ``check`` would."""
    from ..pipeline import open_model

    return open_model(path, data=data, display=display, near=near,
                      config=getattr(args, "config", None), acyclic=acyclic)


def refuse(opened: Opened, done: str) -> int:
    """Print why a model cannot be used (as ``check`` prints it) on stderr; exit status 1."""
    from ..diagnostics import escape_text
    from ..report import format_text

    sys.stderr.write(format_text(opened.result))
    print(f"logicmodel: {escape_text(opened.file)} has errors; nothing was {done}",
          file=sys.stderr)
    return 1
