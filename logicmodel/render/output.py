"""Writing output files atomically, never through a symbolic link.

Each file is written to a new temporary file in the destination's folder
(``mkstemp``: a unique name, so parallel runs cannot collide), flushed and
fsynced, then renamed over the destination with ``os.replace``. A reader sees
the old file or the new one, never half of one, even after a crash or Ctrl-C.
A destination that is a symbolic link, a folder or a special file is refused
(LM605): renaming over a link would be safe, but a link planted at an output
path is never what the user meant.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from ..errors import CodedError

__all__ = ["OutputError", "check_destination", "write_atomic"]


class OutputError(CodedError):
    """A file cannot be written (LM604) or its path is unsafe (LM605)."""


def check_destination(path: str | os.PathLike[str]) -> None:
    """Refuse a destination that is a symbolic link, a folder or a special file."""
    p = Path(path)
    try:
        info = os.lstat(p)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError("LM604", f"cannot write {p}: {exc.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        raise OutputError("LM605", f"{p} is a symbolic link; logicmodel does not write "
                          "through links", "remove the link or choose another file name")
    if stat.S_ISDIR(info.st_mode):
        raise OutputError("LM605", f"{p} is a folder", "give a file name, e.g. out/model.svg")
    if not stat.S_ISREG(info.st_mode):
        raise OutputError("LM605", f"{p} is not a regular file",
                          "write to a regular file instead")


def _mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file, fsync, rename); parents are created."""
    p = Path(path)
    check_destination(p)
    parent = p.parent if str(p.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{p.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError("LM604", f"cannot write {p}: {exc.strerror or exc}",
                          "check that the folder exists and is writable") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode())
        check_destination(p)  # again, just before the rename
        os.replace(tmp, p)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError("LM604", f"cannot write {p}: {exc.strerror or exc}") from None
        raise
