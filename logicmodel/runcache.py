"""Reading a file once per run: documents kept by resolved path while one command runs.

``logicmodel check models/`` reads the flagship for itself and again as the full
version that its summary maps onto. Within :func:`one_run`, the loader keeps
each self-contained document (one that reads no other file: no ``extends:``, no
``summarises:``) under its resolved path, the file's size and modification
time, the name it is shown by and the size limit it was read with, and hands
the same document out again instead of reading and validating the file twice.

A document that reads other files is not kept: what it reads depends on the
chain of files it was read from (cycles are refused along that chain). Nothing
is kept outside :func:`one_run`, so a long-lived caller (``serve``, the Python
API) always reads the file as it is now.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .loader import Document

__all__ = ["lookup", "one_run", "store"]

_Key = tuple[str, str, int, int, int]
_RUN: ContextVar[dict[_Key, Document] | None] = ContextVar("logicmodel_run", default=None)


@contextmanager
def one_run() -> Iterator[None]:
    """Keep the documents read until the block ends (nested blocks share the outer one)."""
    if _RUN.get() is not None:
        yield
        return
    token = _RUN.set({})
    try:
        yield
    finally:
        _RUN.reset(token)


def _key(path: str | os.PathLike[str], display: str, max_size: int) -> _Key | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None  # never a device or a pipe: the loader refuses those itself
    return (str(Path(path).resolve()), display, max_size, info.st_size, info.st_mtime_ns)


def lookup(path: str | os.PathLike[str], display: str, max_size: int) -> Document | None:
    """The document already read from ``path`` in this run, if any."""
    run = _RUN.get()
    if run is None:
        return None
    key = _key(path, display, max_size)
    return run.get(key) if key is not None else None


def store(path: str | os.PathLike[str], display: str, max_size: int, doc: Document) -> None:
    """Keep ``doc``, read from ``path``, for the rest of the run if it reads no other file."""
    run = _RUN.get()
    if run is None or doc.full is not None or doc.base is not None:
        return
    data = doc.tree.data if doc.tree is not None else None
    if isinstance(data, dict) and ("extends" in data or "summarises" in data):
        return
    key = _key(path, display, max_size)
    if key is not None:
        run[key] = doc
