"""Layout engines: run Graphviz as a bounded subprocess and return what it wrote.

Two engines:

* ``embedded`` (the default): ``graphviz-pure``, a port of Graphviz 16.1 that
  installs from PyPI with logicmodel, so ``pip install logicmodel`` alone gives
  SVG and PNG, byte-identical on every platform. It has no PDF output.
* ``dot``: the system Graphviz (``apt-get install graphviz``). logicmodel uses it
  for PDF (cairo embeds the fonts it laid out with) and when asked with
  ``--engine dot``.

The engine is untrusted with respect to time and memory: it runs with the DOT
on stdin, in an empty temporary directory, with ``SERVER_NAME`` set and
``GV_FILE_PATH`` unset (Graphviz then refuses to read image files), in its own
process group, with a memory limit, and it is killed with its children when the
time limit passes.

The limits are set from here on the running engine (Linux: ``prlimit``) before it
is given its input, so the engine starts by the fast path (``vfork``, no Python
code in the child). One of them is a CPU-time limit a second over the time
limit: an engine whose logicmodel was killed (SIGKILL, which no cleanup code
sees) stops by itself, at the latest when it has used that much CPU time, and
sooner when it reads the end of its input or writes to an output nobody reads.
"""

from __future__ import annotations

import atexit
import contextlib
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Severity
from ..errors import CodedError
from ..rules.registry import rule

__all__ = [
    "ENGINES",
    "Engine",
    "EngineError",
    "EngineResult",
    "Running",
    "find_engine",
    "remove_leftovers",
    "run_engine",
    "start_engine",
]

ENGINES = ("embedded", "dot")
DEFAULT_TIMEOUT = 60.0
MEMORY_LIMIT = 4 << 30  # bytes of address space for the engine process
_FORMATS = {"embedded": ("svg", "png", "dot", "json"), "dot": ("svg", "png", "pdf", "dot", "json")}
_ENV_KEEP = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "HOME", "TMPDIR", "SYSTEMROOT",
             "FONTCONFIG_FILE", "FONTCONFIG_PATH", "XDG_CACHE_HOME", "XDG_DATA_DIRS")


class EngineError(CodedError):
    """The engine is missing (LM601), timed out (LM602) or failed (LM603)."""


@dataclass(frozen=True)
class Engine:
    """A layout engine found on this machine."""

    name: str          # "embedded" or "dot"
    path: str          # the program run
    version: str       # e.g. "graphviz-pure 0.2.2 (Graphviz 16.1.0)"

    def supports(self, fmt: str) -> bool:
        """Whether this engine writes ``fmt`` itself."""
        return fmt in _FORMATS[self.name]

    def describe(self) -> str:
        """One line for ``--verbose`` and ``--version``."""
        return f"{self.name}: {self.version} ({self.path})"


@dataclass(frozen=True)
class EngineResult:
    """What one run of the engine produced."""

    output: bytes
    warnings: str
    seconds: float


_INSTALL_HINT = ("install Graphviz (Debian/Ubuntu: apt-get install graphviz; "
                 "Fedora: dnf install graphviz; macOS: brew install graphviz)")


def _embedded_path() -> str | None:
    here = Path(sys.executable).parent
    for name in ("graphviz-pure", "graphviz-pure.exe"):
        if (here / name).is_file():
            return str(here / name)
    return shutil.which("graphviz-pure")


def _version(path: str) -> str:
    try:
        proc = subprocess.run([path, "-V"], capture_output=True, timeout=10,
                              stdin=subprocess.DEVNULL, env=_environment(), check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown version"
    text = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()
    m = re.search(r"graphviz-pure version (\S+) \(Rust port of Graphviz (\S+)\)", text)
    if m:
        return f"graphviz-pure {m.group(1)} (Graphviz {m.group(2)})"
    m = re.search(r"graphviz version (\S+)", text)
    return f"Graphviz {m.group(1)}" if m else (text.splitlines() or ["unknown version"])[0]


_FOUND: dict[str, Engine] = {}


def find_engine(name: str) -> Engine:
    """The engine called ``name`` (``embedded`` or ``dot``), or :class:`EngineError` LM601."""
    if name in _FOUND:
        return _FOUND[name]
    if name == "embedded":
        path = _embedded_path()
        if path is None:
            raise EngineError("LM601", "the embedded layout engine (graphviz-pure) is not "
                              "installed", "reinstall logicmodel: pip install logicmodel")
    elif name == "dot":
        path = shutil.which("dot")
        if path is None:
            raise EngineError("LM601", "Graphviz's `dot` is not installed", _INSTALL_HINT)
    else:
        raise EngineError("LM601", f"no layout engine `{name}` (engines: {', '.join(ENGINES)})")
    engine = Engine(name, path, _version(path))
    _FOUND[name] = engine
    return engine


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in _ENV_KEEP}
    env["SERVER_NAME"] = "logicmodel"      # Graphviz: no file loading (image, shapefile)
    env["SOURCE_DATE_EPOCH"] = "0"         # cairo: no creation time in PDFs (where honoured)
    return env


def _limit(pid: int, timeout: float) -> None:
    """Cap the engine's address space and CPU time (Linux: ``prlimit``, from the parent).

    The CPU limit is the time limit rounded up, plus a second (SIGXCPU), and a
    second more (SIGKILL). :func:`run_engine` stops the engine at the time limit, before
    that (the engine lays out on one thread, so its CPU time never runs ahead of the
    wall clock); the CPU limit stops it when nobody is left to. No core file is
    written. A limit the process may not raise (a lower ``ulimit``) stays as it is.
    """
    try:
        import resource

        prlimit = resource.prlimit
    except (ImportError, AttributeError):  # not Linux
        return
    limits = [(resource.RLIMIT_AS, MEMORY_LIMIT, MEMORY_LIMIT), (resource.RLIMIT_CORE, 0, 0)]
    if math.isfinite(timeout):
        seconds = max(0, math.ceil(timeout)) + 1
        limits.append((resource.RLIMIT_CPU, seconds, seconds + 1))
    for which, soft, hard in limits:
        with contextlib.suppress(ValueError, OSError):
            prlimit(pid, which, (soft, hard))


_TEMP_PREFIX = "logicmodel-engine-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def remove_leftovers(folder: str | None = None) -> list[str]:
    """Remove the engine folders of runs that were killed (named after their dead process).

    The engine runs in ``logicmodel-engine-PID-*`` in the temporary folder, which its
    process removes when it exits; only a SIGKILL leaves one behind. Returns what was
    removed.
    """
    folder = folder or tempfile.gettempdir()
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            pid = entry.name.removeprefix(_TEMP_PREFIX).split("-", 1)[0]
            if (entry.name.startswith(_TEMP_PREFIX) and pid.isdigit() and int(pid) != os.getpid()
                    and not _alive(int(pid)) and entry.is_dir(follow_symlinks=False)):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(entry.path)
    return removed


_WORKDIRS: dict[int, str] = {}  # process id -> its empty folder for the engine
_WORKDIR_LOCK = threading.Lock()


def _workdir() -> str:
    """An empty folder for the engine to run in: this process's, made on its first run.

    It is checked to be empty before each run (and made again if it is not, or is
    gone) and removed when the process exits; a killed process's is removed by
    :func:`remove_leftovers` on the first run of the next. (One folder per run would
    cost a creation and a removal each time.)
    """
    pid = os.getpid()
    with _WORKDIR_LOCK:
        path = _WORKDIRS.get(pid)
        if path is not None:
            try:
                with os.scandir(path) as entries:
                    if next(entries, None) is None:
                        return path
            except OSError:
                pass
            shutil.rmtree(path, ignore_errors=True)
        else:
            remove_leftovers()
            atexit.register(_remove_workdir, pid)
        path = _WORKDIRS[pid] = tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}{pid}-")
        return path


def _remove_workdir(pid: int) -> None:
    """Remove the engine's folder of process ``pid`` (at exit; not a forked child's)."""
    if pid == os.getpid() and pid in _WORKDIRS:
        shutil.rmtree(_WORKDIRS.pop(pid), ignore_errors=True)


def run_engine(engine: Engine, dot_source: str, fmt: str, *, dpi: float | None = None,
               timeout: float = DEFAULT_TIMEOUT, layout: tuple[str, ...] = (),
               meanwhile: Callable[[], object] | None = None) -> EngineResult:
    """Lay out ``dot_source`` and return the output in ``fmt``; never hangs past ``timeout``.

    ``layout`` gives the engine's layout options, such as ``("-Kneato", "-n2")`` to
    draw positions given in the DOT as they are. ``meanwhile`` is called once the
    engine has its input, while it lays it out (work that does not need its output).
    """
    return start_engine(engine, dot_source, fmt, dpi=dpi, timeout=timeout,
                        layout=layout).result(meanwhile)


class Running:
    """An engine started on its input (:func:`start_engine`); :meth:`result` waits for it."""

    def __init__(self, engine: Engine, proc: subprocess.Popen[bytes], data: bytes,
                 timeout: float, started: float) -> None:
        self.engine, self.proc, self.data = engine, proc, data
        self.timeout, self.started = timeout, started
        self.deadline = time.monotonic() + timeout
        self.sent = 0
        if os.name == "posix" and len(data) <= _CHUNK:
            # a small input all at once, if the pipe takes it: the engine starts on it now
            self._send_small()

    def _send_small(self) -> None:
        assert self.proc.stdin is not None
        fd = self.proc.stdin.fileno()
        os.set_blocking(fd, False)
        try:
            self.sent = os.write(fd, self.data)
        except BlockingIOError:
            return
        except BrokenPipeError:  # the engine stopped reading: its status says why
            self.sent = len(self.data)
        if self.sent >= len(self.data):
            self.proc.stdin.close()

    def result(self, meanwhile: Callable[[], object] | None = None) -> EngineResult:
        """What the engine wrote; ``meanwhile`` runs while it lays out."""
        proc = self.proc
        try:
            if os.name == "posix":
                done = _exchange(proc, self.data, self.sent, self.deadline, meanwhile)
            else:  # pragma: no cover - Windows: no select() on pipes
                done = _exchange_by_thread(proc, self.data, self.timeout, meanwhile)
        except BaseException:
            _kill(proc)
            raise
        xcpu = getattr(signal, "SIGXCPU", None)
        if done is None or (xcpu is not None and proc.returncode == -xcpu):  # or its CPU limit
            _kill(proc)
            raise EngineError(
                "LM602", f"the layout took longer than {self.timeout:g} s and was stopped",
                "draw less (--view, --pathway or a view with fewer stages) "
                "or allow more time with --timeout")
        out, err = done
        seconds = time.perf_counter() - self.started
        warnings = err.decode("utf-8", "replace").strip()
        if proc.returncode != 0:
            if proc.returncode < 0:
                what = f"crashed (signal {-proc.returncode})"
            else:
                what = f"failed (exit status {proc.returncode})"
            detail = warnings.splitlines()[-1] if warnings else "no message"
            raise EngineError("LM603", f"the layout engine {what}: {detail}",
                              "please report it with the model that caused it")
        if not out:
            raise EngineError("LM603", "the layout engine wrote nothing")
        return EngineResult(out, warnings, seconds)

    def stop(self) -> None:
        """Kill the engine (its result is no longer wanted)."""
        _kill(self.proc)


def start_engine(engine: Engine, dot_source: str, fmt: str, *, dpi: float | None = None,
                 timeout: float = DEFAULT_TIMEOUT, layout: tuple[str, ...] = ()) -> Running:
    """Start the engine on ``dot_source`` (see :func:`run_engine`), to lay it out while the
    caller does other work; :meth:`Running.result` waits for its output."""
    args = [engine.path, *layout, f"-T{fmt}"]
    if dpi is not None:
        args.append(f"-Gdpi={dpi:g}")
    started = time.perf_counter()
    try:
        proc = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            cwd=_workdir(), env=_environment(), start_new_session=True,
        )
    except OSError as exc:
        raise EngineError("LM601", f"cannot run the layout engine {engine.path}: "
                          f"{exc.strerror or exc}") from None
    try:
        # before the engine has its input, so before it does any work
        _limit(proc.pid, timeout)
        return Running(engine, proc, dot_source.encode("utf-8"), timeout, started)
    except BaseException:
        _kill(proc)
        raise


_CHUNK = 1 << 16  # bytes written to the engine or read from it at a time


def _exchange(proc: subprocess.Popen[bytes], data: bytes, sent: int, deadline: float,
              meanwhile: Callable[[], object] | None) -> tuple[bytes, bytes] | None:
    """Write ``data`` (from byte ``sent`` on) to the engine, run ``meanwhile``, read its
    output until it exits.

    One loop over the three pipes (and, on Linux, the process itself: a pidfd), with
    no thread and no polling; None when ``deadline`` (``time.monotonic()``) passes.
    """
    import selectors

    assert proc.stdout is not None
    assert proc.stderr is not None
    stdout, stderr = proc.stdout.fileno(), proc.stderr.fileno()
    chunks: dict[int, list[bytes]] = {stdout: [], stderr: []}
    view = memoryview(data)
    stdin = -1
    if sent >= len(data) and meanwhile is not None:  # the engine has all of it already
        meanwhile()
        meanwhile = None
    with selectors.PollSelector() as sel:
        if proc.stdin is not None and not proc.stdin.closed:
            stdin = proc.stdin.fileno()
            os.set_blocking(stdin, False)
            sel.register(stdin, selectors.EVENT_WRITE)
        sel.register(stdout, selectors.EVENT_READ)
        sel.register(stderr, selectors.EVENT_READ)
        while len(sel.get_map()):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            for key, _ in sel.select(remaining):
                fd = key.fd
                if fd != stdin:
                    chunk = os.read(fd, _CHUNK)
                    if chunk:
                        chunks[fd].append(chunk)
                    else:
                        sel.unregister(fd)
                        (proc.stdout if fd == stdout else proc.stderr).close()
                    continue
                try:
                    sent += os.write(stdin, view[sent:sent + _CHUNK])
                except BlockingIOError:
                    continue
                except BrokenPipeError:  # the engine stopped reading: its status says why
                    sent = len(data)
                if sent >= len(data):
                    sel.unregister(stdin)
                    assert proc.stdin is not None
                    proc.stdin.close()
                    if meanwhile is not None:
                        meanwhile()
                        meanwhile = None
    if meanwhile is not None:
        meanwhile()
    if not _exited_by(proc, deadline):
        return None
    proc.wait()
    return b"".join(chunks[stdout]), b"".join(chunks[stderr])


def _exited_by(proc: subprocess.Popen[bytes], deadline: float) -> bool:
    """Whether the engine, its output closed, exits before ``deadline``.

    (A pidfd where there is one: no polling wait.)
    """
    import select
    import time

    remaining = max(0.0, deadline - time.monotonic())
    try:
        pidfd = os.pidfd_open(proc.pid)
    except (AttributeError, OSError):
        try:
            proc.wait(timeout=remaining)
        except subprocess.TimeoutExpired:
            return False
        return True
    try:
        poll = select.poll()
        poll.register(pidfd, select.POLLIN)
        return bool(poll.poll(remaining * 1000))
    finally:
        os.close(pidfd)


def _exchange_by_thread(proc: subprocess.Popen[bytes], data: bytes, timeout: float,
                        meanwhile: Callable[[], object] | None
                        ) -> tuple[bytes, bytes] | None:  # pragma: no cover - Windows
    """:func:`_exchange` where pipes cannot be selected: a timer kills the engine at the limit."""
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        _kill_group(proc)

    timer = threading.Timer(timeout, stop)
    timer.daemon = True
    timer.start()
    try:
        if meanwhile is not None:
            meanwhile()
        out, err = proc.communicate(data)
    finally:
        timer.cancel()
    return None if timed_out.is_set() else (out, err)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the engine and everything it started (its own process group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover
            proc.kill()


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Kill the engine's process group, then close its pipes and reap it."""
    _kill_group(proc)
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

E = Severity.ERROR


@rule("LM601", "engine-not-found", E)
def engine_not_found() -> None:
    """The layout engine is not installed.

    ## What it does
    Reported when the engine asked for cannot be found: the embedded engine
    (the `graphviz-pure` program installed with logicmodel) or the system
    Graphviz `dot`, which `--engine dot` and PDF output need.

    ## Why is this bad?
    No figure can be made. Nothing is written.

    ## Example
    ```text
    logicmodel: LM601 PDF output needs Graphviz's `dot`, which is not installed
        hint: install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: ...)
    ```
    """

@rule("LM602", "engine-timeout", E)
def engine_timeout() -> None:
    """The layout took longer than the time limit and was stopped.

    ## What it does
    The engine runs as a separate process with a time limit (`--timeout`, 60
    seconds by default). When the limit is reached the process and its children
    are killed and nothing is written.

    ## Why is this bad?
    Some graphs (hundreds of densely linked nodes) take Graphviz minutes or hours
    to lay out. Rather than hang a CI job, logicmodel stops.

    ## Example
    Render a view of the model (`--view`, `--pathway`) or fewer stages, or raise
    `--timeout`.
    """

@rule("LM603", "engine-failed", E)
def engine_failed() -> None:
    """The layout engine failed or crashed.

    ## What it does
    Reported when the engine exits with an error or is killed by a signal (for
    example when it runs out of memory). Its own message follows.

    ## Why is this bad?
    No figure can be made. Nothing is written. Please report it with the model.

    ## Example
    ```text
    logicmodel: LM603 the layout engine failed (exit status 1): Error: syntax error in line 3
    ```
    """
