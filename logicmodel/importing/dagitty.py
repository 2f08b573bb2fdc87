"""Reading DAGitty's model syntax: ``dag { a [exposure] a -> b b <- c }``.

The syntax (dagitty.net, and the R package's ``dagitty()``) has a graph type
(``dag``, ``pdag``, ``mag``, ``pag``), statements that declare variables with
options in brackets (``exposure``, ``outcome``, ``latent``, ``adjusted``,
``pos="x,y"``), and chains of directed (``->``, ``<-``) or other edges.
Variables become nodes and directed edges links; DAGitty has no kinds or
labels, so the kind is guessed from the role (exposures are activities, the
outcome is the impact, the rest are outcomes) and the label from the name, and
each guess is noted. Edges a logic model cannot hold (``<->``, ``--``) are
located problems (LM053).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostic, Severity, Span
from ..diagnostics import Path as ModelPath
from ..rules.registry import RULES, rule
from ..schema import FORMAT_VERSION, HORIZON_KINDS, NODE_CLASSES

__all__ = ["DagittyModel", "read_dagitty"]

_TOKEN = re.compile(r'''
    (?P<space>\s+|\#[^\n]*)
  | (?P<quoted>"(?:[^"\\]|\\.)*")
  | (?P<edge><->|->|<-|--|@->|@-@|--@)
  | (?P<punct>[\[\]{},=;])
  | (?P<name>[^\s\[\]{},=;"<>@-]+(?:-(?!>|-)[^\s\[\]{},=;"<>@-]+)*)
''', re.X)


@dataclass
class DagittyModel:
    """What a DAGitty text gave: model data, notes, and problems."""

    data: dict[str, Any] = field(default_factory=dict)
    notes: dict[ModelPath, list[str]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _tokens(text: str, file: str, out: DagittyModel) -> list[tuple[str, str, int, int]]:
    toks: list[tuple[str, str, int, int]] = []
    pos = 0
    line, line_start = 1, 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            out.diagnostics.append(_problem(f"unexpected {text[pos]!r}", file, line,
                                            pos - line_start + 1))
            return []
        kind = m.lastgroup or ""
        if kind != "space":
            value = m.group()
            if kind == "quoted":
                value = re.sub(r"\\(.)", r"\1", value[1:-1])
                kind = "name"
            toks.append((kind, value, line, pos - line_start + 1))
        for nl in re.finditer("\n", m.group()):
            line += 1
            line_start = pos + nl.end()
        pos = m.end()
    return toks


def _problem(message: str, file: str, line: int, col: int, hint: str | None = None
             ) -> Diagnostic:
    r = RULES["LM053"]
    return Diagnostic("LM053", r.name, r.severity, message, file, Span(line, col, line, col + 1),
                      (), hint)


_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")


def _node_id(name: str, taken: dict[str, str]) -> str:
    if name in taken:
        return taken[name]
    base = name if _ID.match(name) else (re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_")
                                         or "node")
    if not base[0].isalpha():
        base = "v_" + base
    base = base[:60]
    out, i = base, 2
    while out in taken.values():
        out = f"{base}_{i}"
        i += 1
    taken[name] = out
    return out


def read_dagitty(text: str, file: str, title: str) -> DagittyModel:
    """The model data for a DAGitty text (see the module docstring)."""
    out = DagittyModel()
    toks = _tokens(text, file, out)
    if out.diagnostics:
        return out
    i = 0
    if i < len(toks) and toks[i][1] in ("dag", "pdag", "mag", "pag", "graph", "digraph"):
        i += 1
    if i >= len(toks) or toks[i][1] != "{":
        line, col = (toks[i][2], toks[i][3]) if i < len(toks) else (1, 1)
        out.diagnostics.append(_problem("expected `dag {`", file, line, col,
                                        "DAGitty's model code starts `dag {`"))
        return out
    i += 1
    options: dict[str, set[str]] = {}
    order: list[str] = []
    edges: list[tuple[str, str, int, int]] = []

    def declare(name: str) -> None:
        if name not in options:
            options[name] = set()
            order.append(name)

    prev: str | None = None
    pending: str | None = None
    at = (1, 1)
    while i < len(toks) and toks[i][1] != "}":
        kind, value, line, col = toks[i]
        if kind == "name":
            declare(value)
            if pending is not None and prev is not None:
                if pending == "->":
                    edges.append((prev, value, line, col))
                elif pending == "<-":
                    edges.append((value, prev, line, col))
                else:
                    out.diagnostics.append(_problem(
                        f"`{prev} {pending} {value}`: a logic model has only directed links",
                        file, *at, "write the edge as -> or <-, or leave it out"))
                pending = None
            prev = value
            i += 1
            if i < len(toks) and toks[i][1] == "[":
                i += 1
                while i < len(toks) and toks[i][1] != "]":
                    word = toks[i][1]
                    if toks[i][0] == "name":
                        options[value].add(word)
                    i += 1
                    if i < len(toks) and toks[i][1] == "=":
                        i += 2  # pos="x,y" and the like
                if i >= len(toks):
                    out.diagnostics.append(_problem("unclosed `[`", file, line, col))
                    return out
                i += 1
            continue
        if kind == "edge":
            if prev is None:
                out.diagnostics.append(_problem(f"`{value}` with nothing before it", file,
                                                line, col))
                return out
            pending = value
            at = (line, col)
            i += 1
            continue
        if value in (",", ";"):
            prev, pending = None, None
            i += 1
            continue
        out.diagnostics.append(_problem(f"unexpected {value!r}", file, line, col))
        return out
    if i >= len(toks):
        out.diagnostics.append(_problem("no closing `}`", file, toks[-1][2] if toks else 1, 1))
        return out
    if pending is not None:
        out.diagnostics.append(_problem(f"`{pending}` with nothing after it", file,
                                        toks[i][2], toks[i][3]))
        return out
    taken: dict[str, str] = {}
    nodes = []
    for n, name in enumerate(order):
        opts = options[name]
        kind = ("activity" if "exposure" in opts else "impact" if "outcome" in opts
                else "mechanism" if "latent" in opts else "outcome")
        node: dict[str, Any] = {"id": _node_id(name, taken), "kind": kind,
                                "label": name.replace("_", " ")}
        if kind in HORIZON_KINDS and NODE_CLASSES[kind].model_fields["horizon"].is_required():
            node["horizon"] = "short"
        why = {"activity": "an exposure", "impact": "the outcome",
               "mechanism": "latent (unmeasured)"}.get(kind, "observed, not an exposure")
        notes = [f"kind {kind} guessed: {why} in DAGitty; label from the name"]
        if kind == "outcome":  # DAGitty says it is observed: logicmodel says so with an indicator
            node["indicators"] = [{"id": _node_id(f"ind_{node['id']}", taken),
                                   "measure": f"{node['label']} (observed in the DAGitty model)"}]
            notes.append("indicator added: the variable is observed in DAGitty")
        out.notes[("nodes", n)] = notes
        nodes.append(node)
    out.data = {"logicmodel": FORMAT_VERSION, "title": title, "nodes": nodes,
                "links": [{"from": taken[a], "to": taken[b]} for a, b, _, _ in edges]}
    out.notes[()] = [f"imported from DAGitty model code; title {title!r} from the file name"]
    return out


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

E = Severity.ERROR


@rule("LM053", "dagitty-syntax", E)
def dagitty_syntax() -> None:
    """DAGitty model code that cannot be read, or holds an edge a logic model cannot.

    ## What it does
    Reads `dag { ... }` with variables, their options (`exposure`, `outcome`,
    `latent`, `pos=...`) and chains of `->` and `<-`. A bidirected (`<->`) or
    undirected (`--`) edge has no logic-model meaning and is refused, located.

    ## Why is this bad?
    Nothing can be imported. Nothing is written.

    ## Example
    ```text
    model.dagitty:3:6: LM053 `a <-> b`: a logic model has only directed links
    ```
    """
