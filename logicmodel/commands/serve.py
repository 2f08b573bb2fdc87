"""Preview a model in the browser while you edit it.

Serves the interactive viewer of MODEL (or of every model in FOLDER) at
http://127.0.0.1:8000/, re-checks and re-renders on every save, and shows the
problems (file:line:col, code, hint) beside the figure; the page reloads by
itself. Only the models are served, only on this machine unless --host says
otherwise. Ctrl-C stops it. Needs the `serve` extra: pip install 'logicmodel[serve]'.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from .render import add_view_options

if TYPE_CHECKING:
    from ..preview import Preview

HELP = "preview a model in the browser, updated on every save"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", metavar="MODEL-OR-FOLDER", help="a model file, or a folder of models")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only); "
                   "anything else lets other machines see the models")
    p.add_argument("--port", type=int, default=8000,
                   help="port to listen on (default 8000; 0 picks a free one)")
    p.add_argument("--open", action="store_true", help="open the page in the web browser")
    p.add_argument("-v", "--verbose", action="store_true", help="log every request")
    add_view_options(p)
    p.add_argument("--variant", metavar="NAME",
                   help="show this variant of the model (see `logicmodel variants MODEL`); "
                   "`base` is the model without variants")


def _check_choices(preview: Preview) -> int:
    """Refuse a variant, view or pathway the model does not have (exit 2), before serving.

    A model with errors is served as it is (its page lists them), so only a model
    that checks is asked.
    """
    from ..errors import UsageError
    from ..pipeline import open_model
    from ..render import scene_for
    from ..render.views import ViewError
    from .figures import fail

    try:
        opened = open_model(str(preview.root / preview.models[0]), variant=preview.variant)
        if opened.model is not None:
            scene_for(opened.model, preview.options)
    except UsageError as exc:
        fail(exc.code, str(exc), exc.hint)
        return 2
    except ViewError as exc:
        fail(exc.code, str(exc), getattr(exc, "hint", None))
        return 2
    return 0


def run(args: argparse.Namespace) -> int:
    import os
    import signal
    import threading

    from ..diagnostics import escape_text
    from ..loader import display_path
    from ..preview import Preview
    from ..serve import PreviewServer, ServeError, check_request, is_loopback, watch
    from .figures import fail
    from .render import view_options

    try:
        check_request(args.target, args.port)
    except ServeError as exc:
        fail(exc.code, str(exc), exc.hint)
        return 2
    from ..extras import MissingExtra, need

    try:
        need("watchfiles", "the live preview")  # before anything listens
    except MissingExtra as exc:
        fail(exc.code, str(exc), exc.hint)
        return 3
    preview = Preview(args.target, view_options(args), args.variant)
    if preview.single:
        refused = _check_choices(preview)
        if refused:
            return refused
    stop = threading.Event()
    errors: list[BaseException] = []

    def report(rel: str, count: int) -> None:
        state = f"{count} error{'s' * (count != 1)}" if count else "ok"
        print(f"rebuilt {escape_text(display_path(preview.root / rel))}: {state}", flush=True)

    def watcher() -> None:
        try:
            watch(preview, stop, report)
        except BaseException as exc:  # shown by the main thread, which then stops
            errors.append(exc)
            os.kill(os.getpid(), signal.SIGINT)

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # Ctrl-C and SIGTERM stop the server, even where a shell started it with SIGINT ignored;
    # from the moment it listens, every way out goes through the clean-up below.
    previous = {signal.SIGINT: signal.signal(signal.SIGINT, signal.default_int_handler),
                signal.SIGTERM: signal.signal(signal.SIGTERM, on_term)}
    try:
        server = PreviewServer(preview, args.host, args.port, verbose=args.verbose)
    except (ServeError, KeyboardInterrupt) as exc:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if isinstance(exc, KeyboardInterrupt):
            return 130
        fail(exc.code, str(exc), exc.hint)
        return 3
    thread = threading.Thread(target=watcher, name="logicmodel-watch", daemon=True)
    try:
        thread.start()
        if not is_loopback(args.host):
            print(f"logicmodel: warning: listening on {escape_text(args.host)}: other "
                  "machines on the network can see these models", file=sys.stderr)
        print(f"serving {escape_text(args.target)} at {server.url} (Ctrl-C to stop)",
              flush=True)
        if args.open:
            import webbrowser

            webbrowser.open(server.url)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        for sig in previous:  # a second Ctrl-C must not cut the clean-up short
            signal.signal(sig, signal.SIG_IGN)
        stop.set()
        preview.close()
        server.server_close()
        if thread.is_alive():
            thread.join(timeout=3)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if errors:
        first = errors[0]
        fail(getattr(first, "code", "LM660"), str(first), getattr(first, "hint", None))
        return 3
    print("stopped", flush=True)
    return 0
