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

__all__ = ["add_model_options", "open_for", "refuse"]


def add_model_options(p: argparse.ArgumentParser, *, variant: bool = True) -> None:
    """``--config FILE`` as ``check`` takes it, and ``--variant NAME``."""
    p.add_argument("--config", metavar="FILE",
                   help="configuration file (default: the nearest logicmodel.toml or "
                   "pyproject.toml with [tool.logicmodel] above the model)")
    if variant:
        p.add_argument("--variant", metavar="NAME",
                       help="a variant of the model (see `logicmodel variants MODEL`); "
                       "`base` is the model without variants")


def open_for(args: argparse.Namespace, path: str, *, data: bytes | None = None,
             display: str | None = None, near: str | None = None,
             acyclic: bool = False, variant: str | None = None) -> Opened:
    """The model at ``path`` read, configured and checked as ``check`` would."""
    from ..pipeline import open_model

    return open_model(path, data=data, display=display, near=near,
                      config=getattr(args, "config", None), acyclic=acyclic,
                      variant=variant if variant is not None else getattr(args, "variant", None))


def refuse(opened: Opened, done: str) -> int:
    """Print why a model cannot be used (as ``check`` prints it) on stderr; exit status 1."""
    from ..diagnostics import escape_text
    from ..report import format_text

    sys.stderr.write(format_text(opened.result))
    which = f" (variant `{opened.variant}`)" if opened.variant not in (None, "base") else ""
    print(f"logicmodel: {escape_text(opened.file)}{which} has errors; nothing was {done}",
          file=sys.stderr)
    return 1
