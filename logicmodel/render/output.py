"""Writing figures: the project's one atomic writer, :mod:`logicmodel.files`.

Kept as a module of the renderer so that ``from logicmodel.render.output import
write_atomic`` keeps working.
"""

from __future__ import annotations

from ..files import OutputError, check_destination, write_atomic

__all__ = ["OutputError", "check_destination", "write_atomic"]
