"""The live preview's server: the pages of a :class:`~logicmodel.preview.Preview` over HTTP.

It serves generated pages only, never files: ``/`` (the model, or the list of
models for a folder), ``/view/PATH`` for each model found under the project
root, and ``/events/PATH``, a stream of server-sent events carrying the page's
version, which the page uses to reload itself. Any other path is 404, whatever
its spelling (``..``, ``%2e%2e``, an absolute path): a request can only name a
model in the list, so nothing outside the project, and no file that is not a
model, is ever read for it.

It listens on 127.0.0.1 unless told otherwise, and then refuses requests whose
``Host`` is not a loopback name, so a web page elsewhere cannot reach it
through DNS rebinding. Changes are seen with ``watchfiles`` (the ``serve``
extra), which waits on the operating system's file events rather than polling.
"""

from __future__ import annotations

import contextlib
import html
import ipaddress
import sys
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from .diagnostics import Severity
from .errors import CodedError
from .extras import need
from .preview import Preview
from .rules.registry import rule

__all__ = ["PreviewServer", "ServeError", "check_request", "is_loopback", "watch"]

HEARTBEAT = 15.0   # seconds between keep-alive comments on an event stream


class ServeError(CodedError):
    """The preview cannot listen where it was asked to (LM660), or has nothing to serve (LM661)."""


def check_request(target: str, port: int) -> None:
    """Refuse a target that does not exist or a port that is not one (LM661), before any work."""
    if not Path(target).exists():
        raise ServeError("LM661", f"{target} does not exist", "give a model file or a folder")
    if not 0 <= port <= 65535:
        raise ServeError("LM661", f"--port {port} is not a port number", "use 1-65535, or 0")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) only ever means this machine."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _index_page(preview: Preview) -> bytes:
    from .html.page import content_security_policy

    css = resources.files("logicmodel.html").joinpath("viewer.css").read_text(encoding="utf-8")
    live = resources.files("logicmodel.html").joinpath("live.js").read_text(encoding="utf-8")
    rows = []
    for rel in preview.models:
        rows.append(f'<li><a href="/view/{html.escape(quote(rel, safe="/"))}">'
                    f"{html.escape(rel)}</a></li>")
    listing = "".join(rows) or ("<li>No models here (YAML files with a "
                                "<code>logicmodel:</code> line).</li>")
    csp = content_security_policy([css], [live], connect_self=True)
    name = html.escape(preview.root.name or str(preview.root))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{html.escape(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Models in {name}</title><style>{css}</style></head>
<body class="lm-index"><header class="lm-bar"><h1>Models in {name}</h1></header>
<main class="lm-side"><ul id="lm-models">{listing}</ul>
<div id="lm-live" hidden data-version="{html.escape(preview.version(None))}"
 data-events="/events/"></div>
</main><script>{live}</script></body></html>
""".encode()


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    server_version = "logicmodel-preview"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def _headers(self, status: HTTPStatus, ctype: str, length: int | None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Content-Security-Policy", "frame-ancestors 'none'")
        self.end_headers()

    def _send(self, status: HTTPStatus, body: bytes, ctype: str = "text/html; charset=utf-8",
              head: bool = False) -> None:
        self._headers(status, ctype, len(body))
        if not head:
            self.wfile.write(body)

    def _refuse(self, status: HTTPStatus, head: bool = False) -> None:
        text = f"{status.value} {status.phrase}\n".encode()
        self._send(status, text, "text/plain; charset=utf-8", head)

    def _host_ok(self) -> bool:
        if not self.server.loopback_only:
            return True
        host = self.headers.get("Host", "")
        name = urlsplit(f"//{host}").hostname or ""
        return is_loopback(name)

    def do_HEAD(self) -> None:
        self._route(head=True)

    def do_GET(self) -> None:
        self._route(head=False)

    def _other(self) -> None:
        self.close_connection = True
        self._refuse(HTTPStatus.METHOD_NOT_ALLOWED)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _other

    def _route(self, head: bool) -> None:
        if not self._host_ok():
            self.close_connection = True
            self._refuse(HTTPStatus.FORBIDDEN, head)
            return
        path = urlsplit(self.path).path
        preview = self.server.preview
        if path == "/":
            if preview.single:
                self._send(HTTPStatus.OK, preview.page(preview.models[0]).page, head=head)
            else:
                self._send(HTTPStatus.OK, _index_page(preview), head=head)
            return
        for prefix, handler in (("/view/", self._view), ("/events/", self._events)):
            if path.startswith(prefix):
                handler(unquote(path[len(prefix):]), head)
                return
        if path == "/events":
            self._events("", head)
            return
        self._refuse(HTTPStatus.NOT_FOUND, head)

    def _known(self, rel: str) -> str | None:
        # Only the exact names of the models found may be asked for.
        return rel if rel in self.server.preview.models else None

    def _view(self, rel: str, head: bool) -> None:
        known = self._known(rel)
        if known is None:
            self._refuse(HTTPStatus.NOT_FOUND, head)
            return
        self._send(HTTPStatus.OK, self.server.preview.page(known).page, head=head)

    def _events(self, rel: str, head: bool) -> None:
        preview = self.server.preview
        target: str | None
        if rel == "":
            target = preview.models[0] if preview.single else None
        else:
            target = self._known(rel)
            if target is None:
                self._refuse(HTTPStatus.NOT_FOUND, head)
                return
        if target is not None:
            preview.page(target)
        self.close_connection = True
        self._headers(HTTPStatus.OK, "text/event-stream; charset=utf-8", None)
        if head:
            return
        seen = ""
        try:
            while not preview.closed:
                version = preview.wait(target, seen, HEARTBEAT)
                if preview.closed:
                    break
                if version != seen:
                    self.wfile.write(f"data: {version}\n\n".encode())
                    seen = version
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


class PreviewServer(ThreadingHTTPServer):
    """An HTTP server for one :class:`Preview`; each request has its own daemon thread."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, preview: Preview, host: str = "127.0.0.1", port: int = 8000, *,
                 verbose: bool = False) -> None:
        self.preview = preview
        self.verbose = verbose
        self.loopback_only = is_loopback(host)
        try:
            super().__init__((host, port), _Handler)
        except OSError as exc:
            raise ServeError("LM660", f"cannot listen on {host}:{port}: "
                             f"{(exc.strerror or str(exc)).lower()}",
                             "choose another --port (0 picks a free one)") from None

    @property
    def url(self) -> str:
        host, port = str(self.server_address[0]), self.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser closing a tab mid-stream is not news; anything else is shown briefly.
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError, TimeoutError)):
            return
        print(f"logicmodel: preview request failed: {type(exc).__name__}: {exc}",
              file=sys.stderr)


def watch(preview: Preview, stop: threading.Event,
          on_rebuild: Callable[[str, int], None] | None = None) -> None:
    """Rebuild the models that change on disk until ``stop`` is set (run it in a thread)."""
    watchfiles = need("watchfiles", "the live preview")

    def interesting(change: Any, path: str) -> bool:
        name = Path(path).name
        return name.endswith((".yaml", ".yml", ".toml")) and not name.startswith(".")

    for changes in watchfiles.watch(preview.root, watch_filter=interesting, stop_event=stop,
                                    debounce=400, step=30, rust_timeout=1000,
                                    raise_interrupt=False):
        paths = {p for _, p in changes}
        if any(p.endswith(".toml") for p in paths):
            targets = list(preview.models)        # the configuration changed: all of them
        else:
            if not preview.single:
                preview.rescan()
            targets = sorted({m for m in (preview.model_of(p) for p in paths) if m})
        for rel in targets:
            with contextlib.suppress(FileNotFoundError):
                build = preview.refresh(rel)
                if on_rebuild is not None:
                    on_rebuild(rel, build.errors)


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

@rule("LM660", "cannot-serve", Severity.ERROR)
def cannot_serve() -> None:
    """The live preview cannot listen on the address and port asked for.

    ## What it does
    `logicmodel serve` listens on 127.0.0.1, port 8000 by default. When the port
    is taken (another preview, `mkdocs serve`) or the address is not this
    machine's, it stops before serving anything. Exit status 3.

    ## Why is this bad?
    No preview can be shown.

    ## Example
    ```text
    logicmodel: LM660 cannot listen on 127.0.0.1:8000: address already in use
        hint: choose another --port (0 picks a free one)
    ```
    """


@rule("LM661", "serve-bad-target", Severity.ERROR)
def serve_bad_target() -> None:
    """`logicmodel serve` was given a path that does not exist, or an invalid port.

    ## What it does
    The target must be a model file or a folder; `--port` a number from 0 to
    65535. Exit status 2.

    ## Why is this bad?
    There is nothing to preview.

    ## Example
    ```text
    logicmodel: LM661 models/devolved_budget.yaml does not exist
        hint: give a model file or a folder
    ```
    """
