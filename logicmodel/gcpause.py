"""Pausing the garbage collector around bursts of allocation.

Loading and checking a model allocate many small objects and free almost none,
yet every burst of allocations triggers a collection that walks the whole heap:
on a 5 MB model that makes the work grow faster than the file. Pausing the
collector for the duration is 2-4x faster and safe, since nothing cyclic is
thrown away meanwhile.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the garbage collector inside the block (re-enabling it only if it was on)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
