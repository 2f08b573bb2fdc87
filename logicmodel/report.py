"""Report formats: diagnostics -> text for people or machines.

Each format is a plain function ``format_x(result, color=False) -> str`` in the
:data:`FORMATTERS` dict:

* ``text``: ``file:line:col: CODE severity: message`` with the hint below, then a
  summary line (for people);
* ``json``: a stable list of diagnostics, each with its documentation URL;
* ``github``: GitHub Actions workflow commands, one annotation per diagnostic;
* ``sarif``: SARIF 2.1.0 for code-scanning upload, with the rules that reported
  something documented;
* ``junit``: JUnit XML, one test case per checked file (GitLab, Jenkins, Azure);
* ``gitlab``: a GitLab code-quality report (Code Climate JSON), shown on the lines
  of a merge request.

``auto`` is not a format but a choice: :func:`resolve_format` turns it into
``github`` inside GitHub Actions and ``text`` elsewhere. Machine formats carry
nothing but the format, so output can be piped; the summary line goes to
standard error. All user text is escaped so that a label can never write to a
terminal or a CI log directly. Output is deterministic: no timestamps, versions
or absolute paths.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from .checking import CheckResult
from .diagnostics import Diagnostic, Severity, escape_text, pointer

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

__all__ = [
    "DOCS_URL",
    "FORMATS",
    "FORMATTERS",
    "MACHINE_FORMATS",
    "diagnostic_dict",
    "docs_url",
    "format_github",
    "format_gitlab",
    "format_json",
    "format_junit",
    "format_sarif",
    "format_text",
    "github_annotation",
    "resolve_format",
    "rule_url",
    "sarif_log",
    "summary",
]

# The same address as `Documentation` under [project.urls] in pyproject.toml
# (a test keeps the two equal); used when the package metadata is unavailable.
DOCS_URL = "https://logicmodel.readthedocs.io/en/latest/"

_COLOURS = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;36m",
}
_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"


def docs_url() -> str:
    """The documentation's base address, ending in ``/``."""
    return DOCS_URL


def rule_url(code: str) -> str:
    """The address of a rule's documentation page, e.g. ``.../rules/LM301/``."""
    return f"{docs_url()}rules/{code}/"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(result: CheckResult) -> str:
    """One line for people: how many problems of each severity, in how many files."""
    counts = result.counts()
    files = _plural(len(result.files), "file")
    if not result.diagnostics:
        return f"All checks passed ({files} checked)."
    parts = [_plural(counts[s], s.value) for s in Severity if counts[s]]
    return f"Found {_plural(len(result.diagnostics), 'problem')} ({', '.join(parts)}) in {files}."


def format_text(result: CheckResult, color: bool = False) -> str:
    """``file:line:col: CODE severity: message``, the hint below, then a summary line."""
    lines: list[str] = []
    for d in result.diagnostics:
        loc = escape_text(d.location())
        sev = d.severity.value
        if color:
            loc = f"{_BOLD}{loc}{_RESET}"
            sev = f"{_COLOURS[d.severity]}{sev}{_RESET}"
        lines.append(f"{loc}: {d.code} {sev}: {escape_text(d.message)}")
        if d.hint:
            lines.append(f"    hint: {escape_text(d.hint)}")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def diagnostic_dict(d: Diagnostic) -> dict[str, object]:
    """The stable JSON shape of one diagnostic (documented in docs/ci.md)."""
    span = d.span
    return {
        "code": d.code,
        "name": d.name,
        "severity": d.severity.value,
        "message": d.message,
        "hint": d.hint,
        "file": d.file,
        "line": span.line if span else 1,
        "column": span.column if span else 1,
        "end_line": span.end_line if span else 1,
        "end_column": span.end_column if span else 1,
        "path": pointer(d.path),
        "url": rule_url(d.code),
    }


def format_json(result: CheckResult, color: bool = False) -> str:
    """A JSON list of diagnostics, sorted by file and position."""
    data = [diagnostic_dict(d) for d in result.diagnostics]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- GitHub Actions ---------------------------------------------------------

_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _gh_data(text: str) -> str:
    """Escape a workflow-command message (actions/toolkit ``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    """Escape a workflow-command property value (actions/toolkit ``escapeProperty``)."""
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(d: Diagnostic) -> str:
    """One ``::error file=...,line=...::message`` workflow command."""
    span = d.span
    props = [("file", d.file), ("line", str(d.line))]
    if span is not None:
        props.append(("endLine", str(span.end_line)))
        # Columns may only be given when the annotation starts and ends on one line.
        if span.end_line == span.line:
            props += [("col", str(span.column)), ("endColumn", str(span.end_column))]
    props.append(("title", f"{d.code} {d.name}"))
    head = ",".join(f"{k}={_gh_property(escape_text(v))}" for k, v in props)
    text = escape_text(d.message)
    if d.hint:
        text += "\nhint: " + escape_text(d.hint)
    text += "\n" + rule_url(d.code)
    return f"::{_GITHUB_LEVEL[d.severity]} {head}::{_gh_data(text)}"


def format_github(result: CheckResult, color: bool = False) -> str:
    """GitHub Actions annotations, one line per diagnostic (nothing else)."""
    return "".join(github_annotation(d) + "\n" for d in result.diagnostics)


# --- SARIF 2.1.0 -------------------------------------------------------------

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _doc_section(doc: str, title: str) -> str:
    """The text under ``## title`` in a rule's documentation, or ''."""
    out: list[str] = []
    inside = False
    for line in doc.splitlines():
        if line.startswith("## "):
            inside = line[3:].strip().lower() == title.lower()
            continue
        if inside:
            out.append(line)
    return "\n".join(out).strip()


def _sarif_rule(code: str) -> dict[str, object]:
    from .rules import RULES

    r = RULES[code]
    body = "\n".join(r.doc.splitlines()[1:]).strip()
    full = _doc_section(r.doc, "What it does") or r.summary
    why = _doc_section(r.doc, "Why is this bad?")
    return {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": " ".join(full.split())},
        "help": {"text": " ".join(why.split()) or r.summary,
                 "markdown": f"**{r.summary}**\n\n{body}"},
        "helpUri": rule_url(r.code),
        "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity], "enabled": r.enabled},
    }


def _artifact_uri(file: str) -> str:
    from urllib.parse import quote

    return quote(file.replace(os.sep, "/"), safe="/")


def _sarif_result(d: Diagnostic, index: Mapping[str, int]) -> dict[str, object]:
    span = d.span
    region: dict[str, int] = {"startLine": d.line, "startColumn": d.column}
    if span is not None:
        region |= {"endLine": span.end_line, "endColumn": span.end_column}
    text = escape_text(d.message)
    if d.hint:
        text += f" (hint: {escape_text(d.hint)})"
    result: dict[str, object] = {
        "ruleId": d.code,
        "ruleIndex": index[d.code],
        "level": _SARIF_LEVEL[d.severity],
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": _artifact_uri(d.file), "uriBaseId": "%SRCROOT%"},
                "region": region,
            },
        }],
    }
    if d.path:
        result["properties"] = {"path": pointer(d.path)}
    return result


def sarif_log(result: CheckResult) -> dict[str, object]:
    """The SARIF 2.1.0 log of a check, as a dict.

    ``tool.driver.rules`` describes each rule that reported something, with its
    description, help and page; results point at their rule by ``ruleIndex``.
    """
    codes = sorted({d.code for d in result.diagnostics})
    index = {code: i for i, code in enumerate(codes)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "logicmodel",
                "informationUri": docs_url(),
                "rules": [_sarif_rule(c) for c in codes],
            }},
            "columnKind": "unicodeCodePoints",
            "artifacts": [{"location": {"uri": _artifact_uri(f), "uriBaseId": "%SRCROOT%"}}
                          for f in result.files],
            "results": [_sarif_result(d, index) for d in result.diagnostics],
        }],
    }


def format_sarif(result: CheckResult, color: bool = False) -> str:
    """SARIF 2.1.0 JSON for GitHub code scanning and other SARIF viewers."""
    return json.dumps(sarif_log(result), indent=2, ensure_ascii=False) + "\n"


# --- JUnit XML -----------------------------------------------------------------

def _junit_line(d: Diagnostic) -> str:
    line = f"{d.location()}: {d.code} {d.severity.value}: {d.message}"
    return escape_text(line) + (f"\n    hint: {escape_text(d.hint)}" if d.hint else "")


def format_junit(result: CheckResult, color: bool = False) -> str:
    """JUnit XML: one test case per file, failed when the file has failing problems.

    The failure text lists every problem as ``file:line:col: CODE severity: message``
    (some consumers ignore the ``file`` and ``line`` attributes). Problems below the
    failing severity are listed in ``system-out`` of a passing test case.
    """
    from xml.etree import ElementTree as ET

    by_file: dict[str, list[Diagnostic]] = {f: [] for f in result.files}
    for d in result.diagnostics:
        by_file.setdefault(d.file, []).append(d)
    failures = 0
    cases: list[Element] = []
    for file, diags in by_file.items():
        shown = escape_text(file)  # XML cannot hold control characters, even escaped
        case = ET.Element("testcase", {"classname": "logicmodel", "name": shown, "file": shown})
        failing = [d for d in diags if result.is_failing(d)]
        if failing:
            failures += 1
            first = failing[0]
            failure = ET.SubElement(case, "failure", {
                "message": escape_text(f"{_plural(len(failing), 'problem')}; first: "
                                       f"{first.location()}: {first.code} {first.message}"),
                "type": first.code,
            })
            failure.text = "\n".join(_junit_line(d) for d in diags) + "\n"
        elif diags:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(_junit_line(d) for d in diags) + "\n"
        cases.append(case)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0",
              "skipped": "0"}
    root = ET.Element("testsuites", {"name": "logicmodel", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "logicmodel check", **counts})
    suite.extend(cases)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


# --- GitLab code quality ---------------------------------------------------------

_GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def format_gitlab(result: CheckResult, color: bool = False) -> str:
    """A GitLab code-quality report: a JSON list of Code Climate issues.

    The fingerprint identifies a problem across runs (code, file, place in the
    model, message) without its line number, so moving a block does not make
    GitLab report it as new.
    """
    import hashlib

    seen: dict[str, int] = {}
    issues = []
    for d in result.diagnostics:
        key = "\0".join((d.code, d.file, pointer(d.path), d.message))
        seen[key] = seen.get(key, 0) + 1
        digest = hashlib.sha256(f"{key}\0{seen[key]}".encode()).hexdigest()
        description = f"{d.code} {escape_text(d.message)}"
        if d.hint:
            description += f" (hint: {escape_text(d.hint)})"
        issues.append({
            "type": "issue",
            "check_name": f"{d.code} {d.name}",
            "description": description,
            "categories": ["Bug Risk" if d.severity is Severity.ERROR else "Style"],
            "severity": _GITLAB_SEVERITY[d.severity],
            "fingerprint": digest,
            "location": {"path": d.file, "lines": {"begin": d.line, "end": (
                d.span.end_line if d.span else d.line)}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


FORMATTERS: dict[str, Callable[[CheckResult, bool], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
    "junit": format_junit,
    "gitlab": format_gitlab,
}

FORMATS: tuple[str, ...] = (*FORMATTERS, "auto")
"""The names ``--format`` accepts."""

MACHINE_FORMATS = frozenset({"json", "github", "sarif", "junit", "gitlab"})
"""Formats that print nothing but the format on stdout (the summary goes to stderr)."""


def resolve_format(name: str, environ: Mapping[str, str] | None = None) -> str:
    """Turn ``auto`` into ``github`` inside GitHub Actions and ``text`` elsewhere."""
    if name != "auto":
        return name
    env = os.environ if environ is None else environ
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"
