"""Writing files: the one atomic writer behind every file logicmodel writes.

Figures, exports, migrated models and reports all go through :func:`write_atomic`.
Each file is written to a new temporary file in the destination's folder
(``mkstemp``: a unique name, so parallel runs cannot collide), flushed and
fsynced, given the mode a new file gets under the umask (0666 less the umask,
like ``open``), then renamed over the destination with ``os.replace``. A reader
sees the old file or the new one, never half of one, even after a crash or
Ctrl-C. A destination that is a symbolic link, a folder or a special file is
refused (LM605): renaming over a link would be safe, but a link planted at an
output path is never what the user meant.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from pathlib import Path

from .diagnostics import Severity
from .errors import CodedError
from .rules.registry import rule

__all__ = ["OutputError", "check_destination", "write_atomic"]


class OutputError(CodedError):
    """A file cannot be written (LM604) or its path is unsafe (LM605)."""


def check_destination(path: str | os.PathLike[str]) -> None:
    """Refuse a destination that is a symbolic link, a folder or a special file.

    Raises:
        OutputError: LM605 for an unsafe path, LM604 when it cannot be inspected.
    """
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


# Temporary files are `.NAME.logicmodel-PID-XXXX.tmp`: a run killed with SIGKILL (the only
# way to skip the cleanup) leaves one, and the next write into that folder removes it.
_TEMP_MARK = "logicmodel-"
_LEFTOVER = re.compile(r"^\..+\.logicmodel-(\d+)-[A-Za-z0-9_]+\.tmp$")


def _remove_leftovers(folder: Path) -> None:
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            m = _LEFTOVER.match(entry.name)
            if m and int(m.group(1)) != os.getpid() and not _alive(int(m.group(1))) \
                    and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write ``data`` (text is written as UTF-8) to ``path`` atomically; parents are created.

    Raises:
        OutputError: LM605 for a link, folder or special file at ``path``; LM604 when
            the file cannot be written. Nothing is left half-written either way.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    p = Path(path)
    check_destination(p)
    parent = p.parent if str(p.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(parent)
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{p.name}.{_TEMP_MARK}{os.getpid()}-",
                                   suffix=".tmp")
    except OSError as exc:
        raise OutputError("LM604", f"cannot write {p}: {exc.strerror or exc}",
                          "check that the folder exists and is writable") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
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


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

E = Severity.ERROR
@rule("LM604", "cannot-write", E)
def cannot_write() -> None:
    """An output file cannot be written.

    ## What it does
    Reported when the folder does not exist or is not writable, or the disk is
    full. Files are written to a temporary file in the same folder and renamed
    into place, so an old figure is never left half-overwritten.

    ## Why is this bad?
    The figure is not saved.

    ## Example
    `-o /read-only/figure.svg` fails with LM604.
    """

@rule("LM605", "unsafe-output-path", E)
def unsafe_output_path() -> None:
    """The output path is a symbolic link, a folder or a special file.

    ## What it does
    Refuses to write to a path that is a symbolic link (it could point anywhere,
    for example at a file outside the project), a directory or a device.

    ## Why is this bad?
    In CI a pull request could plant `out/figure.svg -> ~/.ssh/authorized_keys`;
    following it would overwrite that file.

    ## Example
    Remove the link, or write to another path.
    """
