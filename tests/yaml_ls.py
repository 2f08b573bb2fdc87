"""A small Language Server Protocol client for yaml-language-server, used by the tests.

It starts the real server (``yaml-language-server --stdio``, from npm), opens a
model and an overlay file, and returns what an editor would show: diagnostics, completion
items and hover text. Run as a script it prints the session recorded in
docs/editors.md:

    python -m tests.yaml_ls
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["YamlLanguageServer", "find_server"]

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "logicmodel.schema.json"


def find_server() -> list[str] | None:
    """The command that starts yaml-language-server, or None if it is not installed.

    ``YAML_LANGUAGE_SERVER`` may name the executable (as ``.ci/run`` does).
    """
    exe = os.environ.get("YAML_LANGUAGE_SERVER") or shutil.which("yaml-language-server")
    if not exe or not Path(exe).exists() or shutil.which("node") is None:
        return None
    return [exe, "--stdio"]


class YamlLanguageServer:
    """One running server; use as a context manager."""

    def __init__(self, command: list[str], timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self._id = 0
        self.notifications: list[dict[str, Any]] = []

    def __enter__(self) -> YamlLanguageServer:
        self.request("initialize", {
            "processId": os.getpid(), "rootUri": ROOT.as_uri(),
            "capabilities": {"textDocument": {
                "completion": {"completionItem": {"snippetSupport": False}},
                "hover": {"contentFormat": ["plaintext"]},
            }},
        })
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": {
            "validate": True, "completion": True, "hover": True, "schemas": {},
            "schemaStore": {"enable": False},
        }}})
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=5)
        except (OSError, RuntimeError, TimeoutError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            for stream in (self.proc.stdin, self.proc.stdout):
                if stream is not None:
                    stream.close()

    # --- transport ---
    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        length = 0
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("yaml-language-server stopped")
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        message: dict[str, Any] = json.loads(self.proc.stdout.read(length))
        return message

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self._id += 1
        self._send({"id": self._id, "method": method, "params": params})
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            msg = self._read()
            if msg.get("id") == self._id and "method" not in msg:
                if "error" in msg:
                    raise RuntimeError(msg["error"])
                return msg.get("result")
            if "method" in msg and "id" in msg:  # a request from the server: answer it
                result: Any = None
                if msg["method"] == "workspace/configuration":
                    result = [{"validate": True, "completion": True, "hover": True}
                              for _ in msg["params"]["items"]]
                self._send({"id": msg["id"], "result": result})
            else:
                self.notifications.append(msg)
        raise TimeoutError(method)

    # --- what an editor shows ---
    def open(self, uri: str, text: str) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": text}})

    def diagnostics(self, uri: str) -> list[dict[str, Any]]:
        """The diagnostics published for a document (waits for them)."""
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            for msg in reversed(self.notifications):
                if (msg.get("method") == "textDocument/publishDiagnostics"
                        and msg["params"]["uri"] == uri):
                    found: list[dict[str, Any]] = msg["params"]["diagnostics"]
                    return found
            self.notifications.append(self._read())
        raise TimeoutError("publishDiagnostics")

    def completion(self, uri: str, line: int, character: int) -> list[str]:
        """The labels offered at a position (0-based, as in LSP)."""
        result = self.request("textDocument/completion", {
            "textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
        items = result.get("items", []) if isinstance(result, dict) else (result or [])
        return [str(i["label"]) for i in items]

    def hover(self, uri: str, line: int, character: int) -> str:
        result = self.request("textDocument/hover", {
            "textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
        if not result:
            return ""
        contents = result["contents"]
        value = contents.get("value", "") if isinstance(contents, dict) else str(contents)
        return str(value)


# The document the recorded session edits: `|` marks where completion is asked.
DEMO = """\
# yaml-language-server: $schema=../schema/logicmodel.schema.json
logicmodel: 1
title: Devolved budgets
nodes:
  - id: budget
    kind: activity
    label: Give families a budget
    horizon: short
    |
  - id: fewer_entries
    kind: outcome
    label: Fewer children entering care
    |
  - id: new_box
    |
links:
  - {from: budget, to: fewer_entries, type: leads_too}
"""


# An overlay file (a variant in a file of its own): the same schema, its other branch.
OVERLAY_DEMO = """\
# yaml-language-server: $schema=../schema/logicmodel.schema.json
extends: devolved_budgets.yaml
variant: {id: darlington_2021, label: Darlington in 2021}
|
title: Darlington in 2021
change:
  nodes:
    - {id: in_budget, label: A smaller budget}
  nodez: []
  |
"""


def _text_and_marks(demo: str) -> tuple[str, list[tuple[int, int]]]:
    lines = demo.splitlines()
    marks = [(i, line.index("|")) for i, line in enumerate(lines) if "|" in line]
    return "\n".join(line.replace("|", "") for line in lines) + "\n", marks


def _diagnostic_lines(diags: list[dict[str, Any]]) -> list[str]:
    out = []
    for d in sorted(diags, key=lambda d: (d["range"]["start"]["line"],
                                           d["range"]["start"]["character"],
                                           str(d["message"]))):
        start = d["range"]["start"]
        message = " ".join(str(d["message"]).split())
        out.append(f"  {start['line'] + 1}:{start['character'] + 1}: {message}")
    return out


def record(command: list[str], root: Path = ROOT) -> str:
    """The session shown in docs/editors.md: completion, hover and diagnostics.

    The document is opened as ``root/models/demo.yaml`` (never written: its text is
    sent), so its modeline finds the schema at ``root/schema/logicmodel.schema.json``.
    """
    text, marks = _text_and_marks(DEMO)
    uri = (root / "models" / "demo.yaml").as_uri()
    out: list[str] = []
    with YamlLanguageServer(command) as ls:
        ls.open(uri, text)
        diags = ls.diagnostics(uri)
        places = ("an activity", "an outcome", "a node without a kind yet")
        for (line, col), where in zip(marks, places, strict=True):
            labels = sorted(ls.completion(uri, line, col))
            out.append(f"completion on a new line of {where} (line {line + 1}):")
            out.append("  " + ", ".join(labels))
        out.append("hover on `kind` of the outcome (line 11):")
        hover_text = ls.hover(uri, 10, 6)
        out.append("  " + " ".join(hover_text.split()))
        out.append("diagnostics:")
        out.extend(_diagnostic_lines(diags))
        overlay, [(line, col), (inner, inner_col)] = _text_and_marks(OVERLAY_DEMO)
        overlay_uri = (root / "models" / "darlington_2021.yaml").as_uri()
        ls.open(overlay_uri, overlay)
        overlay_diags = ls.diagnostics(overlay_uri)
        out.append(f"overlay file: completion on a new top-level line (line {line + 1}):")
        out.append("  " + ", ".join(sorted(ls.completion(overlay_uri, line, col))))
        out.append(f"overlay file: completion on a new line inside `change` (line {inner + 1}):")
        out.append("  " + ", ".join(sorted(ls.completion(overlay_uri, inner, inner_col))))
        out.append("overlay file: diagnostics:")
        out.extend(_diagnostic_lines(overlay_diags))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    cmd = find_server()
    if cmd is None:
        sys.exit("yaml-language-server not found: npm install yaml-language-server")
    sys.stdout.write(record(cmd))
