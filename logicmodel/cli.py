"""The ``logicmodel`` command line: argument parsing, one library call, printing, an exit code.

Each subcommand lives in :mod:`logicmodel.commands` as a module with
``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``; the module is
imported only to build the parser, and heavy libraries only inside ``run``.

Exit codes: 0 no failing problems; 1 problems found (errors, or warnings with
``--strict``); 2 usage or configuration error; 3 environment error (a file
cannot be written, the layout engine is missing or timed out); 70 internal
error (a bug: please report it); 128 + the signal's number when interrupted (130 Ctrl-C,
143 SIGTERM), after removing temporary files and stopping the engine.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from . import __version__
from .errors import ConfigError, LogicModelError, UsageError

__all__ = ["COMMANDS", "EXIT_CONFIG", "EXIT_ENV", "EXIT_INTERNAL", "build_parser", "main"]

EXIT_OK, EXIT_PROBLEMS, EXIT_CONFIG, EXIT_ENV, EXIT_INTERNAL = 0, 1, 2, 3, 70

# name -> module; the order is the order of `logicmodel --help`.
COMMANDS: dict[str, str] = {
    "check": "logicmodel.commands.check",
    "rules": "logicmodel.commands.rules",
    "schema": "logicmodel.commands.schema",
    "render": "logicmodel.commands.render",
    "paths": "logicmodel.commands.paths",
    "analyze": "logicmodel.commands.analyze",
    "diff": "logicmodel.commands.diff",
    "export": "logicmodel.commands.export",
    "fmt": "logicmodel.commands.fmt",
    "migrate": "logicmodel.commands.migrate",
    "import": "logicmodel.commands.import_",
    "new": "logicmodel.commands.new",
    "serve": "logicmodel.commands.serve",
    "variants": "logicmodel.commands.variants",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_CONFIG, f"{self.prog}: error: {message}\n")


def version_text() -> str:
    """What ``logicmodel --version`` prints."""
    extra: list[str] = []
    for name in COMMANDS:
        module = importlib.import_module(COMMANDS[name])
        describe = getattr(module, "describe_version", None)
        if describe is not None:
            extra.append(describe())
    py = ".".join(map(str, sys.version_info[:3]))
    return "\n".join([f"logicmodel {__version__} (Python {py})", *extra])


class _VersionAction(argparse.Action):
    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        print(version_text())
        parser.exit(0)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (used by ``main`` and by the docs' CLI page)."""
    parser = _Parser(
        prog="logicmodel",
        description="Logic models and theories of change as YAML: check them, render them.",
        epilog="Exit codes: 0 clean, 1 problems found, 2 usage or configuration error, "
        "3 environment error, 70 internal error.",
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        p = sub.add_parser(name, help=module.HELP, description=module.__doc__)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code; never calls ``sys.exit``."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits for --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_CONFIG
    if args.command is None:
        parser.print_help()
        return EXIT_CONFIG
    try:
        code: int = args._run(args)
        return code
    except ConfigError as exc:
        print(f"logicmodel: configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except UsageError as exc:
        from .diagnostics import escape_text

        print(f"logicmodel: {exc.code} {escape_text(str(exc))}", file=sys.stderr)
        if exc.hint:
            print(f"    hint: {escape_text(exc.hint)}", file=sys.stderr)
        return EXIT_CONFIG
    except LogicModelError as exc:
        print(f"logicmodel: {exc}", file=sys.stderr)
        return EXIT_ENV
    except KeyboardInterrupt as exc:
        return _interrupted(exc)
    except BrokenPipeError:
        # The reader went away (`logicmodel check | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PROBLEMS
    except Exception as exc:
        if args.debug:
            raise
        print(f"logicmodel: internal error ({type(exc).__name__}: {exc}); please report it "
              "with the model that caused it (run with --debug for a traceback)",
              file=sys.stderr)
        return EXIT_INTERNAL


class Interrupted(KeyboardInterrupt):
    """A termination signal (SIGTERM, SIGHUP), raised so that every cleanup runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupted(exc: KeyboardInterrupt) -> int:
    """Exit status 128 + the signal's number (130 for Ctrl-C, 143 for SIGTERM), as a shell does."""
    import signal

    signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
    name = signal.Signals(signum).name
    print(f"logicmodel: interrupted ({name}); nothing was left half-written", file=sys.stderr)
    return 128 + int(signum)


def _on_signal(signum: int, frame: object) -> None:
    import signal

    # A second signal must not cut the cleanup that the first one started.
    for other in _signals():
        signal.signal(other, signal.SIG_IGN)
    raise Interrupted(signum)


def _signals() -> list[int]:
    import signal

    names = ("SIGINT", "SIGTERM", "SIGHUP")  # SIGHUP: not on Windows
    return [getattr(signal, n) for n in names if hasattr(signal, n)]


def _catch_signals() -> None:
    import signal

    for signum in _signals():
        if signal.getsignal(signum) is not signal.SIG_IGN:  # nohup's choice stands
            signal.signal(signum, _on_signal)


def console_main() -> None:
    """Entry point of the ``logicmodel`` console script."""
    try:
        _catch_signals()
        raise SystemExit(_console_main())
    except KeyboardInterrupt as exc:  # before or after main(): still no traceback
        raise SystemExit(_interrupted(exc)) from None


def _console_main() -> int:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    return main()
