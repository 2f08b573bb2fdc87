"""Semantic diff of two versions of a model, element by element, matched by id.

A line diff of YAML shows moved lines, re-wrapped text and re-ordered lists; a
semantic diff shows what the theory now says: nodes, links, assumptions,
moderators, pathways, indicators and references added, removed, or changed
field by field, and the pathways whose route changed. Elements are matched by
id (links without an id by ``from->to``); order in the file does not matter,
and a field written out with its default value is no change.

:func:`diff_models` is the library entry point; :func:`read_revision` reads a
version of a file from git (``REV:path``), for two revisions of one file and
for git's external diff driver.
"""

from __future__ import annotations

import json
import subprocess
import types
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from .diagnostics import escape_text
from .errors import LogicModelError
from .schema import LogicModel
from .schema.pathways import Route

__all__ = [
    "Change",
    "FieldChange",
    "ModelDiff",
    "Reroute",
    "RevisionError",
    "diff_models",
    "format_diff_json",
    "format_diff_text",
    "read_revision",
]

SECTIONS = ("nodes", "links", "indicators", "assumptions", "moderators", "pathways",
            "references", "groups")
_MODEL_FIELDS = ("title", "description", "framework", "stages", "authors", "requirements")


@dataclass(frozen=True)
class FieldChange:
    """One field of one element: its value before and after (None: absent)."""

    field: str
    old: Any
    new: Any


@dataclass
class Change:
    """An element added, removed or changed."""

    section: str
    id: str
    kind: str  # "added", "removed" or "changed"
    summary: str = ""
    fields: list[FieldChange] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"section": self.section, "id": self.id, "change": self.kind}
        if self.summary:
            out["summary"] = self.summary
        if self.fields:
            out["fields"] = [{"field": f.field, "old": f.old, "new": f.new}
                             for f in self.fields]
        return out


@dataclass(frozen=True)
class Reroute:
    """A pathway whose route changed: its nodes before and after, and the steps that went and
    came (a chain reads as its nodes; a branching pathway as its steps)."""

    id: str
    old: list[str]
    new: list[str]
    removed_steps: list[tuple[str, str]]
    added_steps: list[tuple[str, str]]
    chains: bool  # both routes written as chains (``nodes:``)
    start: tuple[list[str], list[str]] = ([], [])  # where it starts, before and after
    end: tuple[list[str], list[str]] = ([], [])

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "old": self.old, "new": self.new,
                "steps_removed": [list(s) for s in self.removed_steps],
                "steps_added": [list(s) for s in self.added_steps],
                "start": {"old": self.start[0], "new": self.start[1]},
                "end": {"old": self.end[0], "new": self.end[1]}}


@dataclass
class ModelDiff:
    """Everything that differs between two versions of a model."""

    old_name: str
    new_name: str
    changes: list[Change] = field(default_factory=list)
    rerouted: list[Reroute] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def counts(self) -> dict[str, int]:
        out = {"added": 0, "removed": 0, "changed": 0}
        for c in self.changes:
            out[c.kind] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old_name,
            "new": self.new_name,
            "counts": self.counts(),
            "changes": [c.to_dict() for c in self.changes],
            "rerouted_pathways": [r.to_dict() for r in self.rerouted],
        }


def _members(annotation: Any) -> list[Any]:
    """The members of a union (``Annotated`` unwrapped), or the annotation alone."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        return [m for a in get_args(annotation) for m in _members(a)]
    return [annotation]


@cache
def _one_or_many(cls: type[BaseModel]) -> frozenset[str]:
    """The fields of ``cls`` that take one value or a list of them (``evidence``, ``horizon``)."""
    out = set()
    for name, info in cls.model_fields.items():
        members = _members(info.annotation)
        lists = [get_args(m)[0] for m in members if get_origin(m) is list and get_args(m)]
        if any(_members(inner)[0] in members for inner in lists):
            out.add(info.alias or name)
    return frozenset(out)


def _as_lists(el: BaseModel, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (``el`` dumped) with every one-or-many field written as a list, at any depth.

    One mapping and a list of one say the same thing, so they must compare equal.
    """
    many = _one_or_many(type(el))
    for name, info in type(el).model_fields.items():
        key = info.alias or name
        if key not in data:
            continue
        value = getattr(el, name)
        if key in many and not isinstance(data[key], list):
            data[key], value = [data[key]], [value]
        if isinstance(value, BaseModel):
            _as_lists(value, data[key])
        elif isinstance(value, list):
            for v, d in zip(value, data[key], strict=True):
                if isinstance(v, BaseModel):
                    _as_lists(v, d)
    return data


def _dump(el: Any) -> dict[str, Any]:
    data: dict[str, Any] = el.model_dump(mode="json", by_alias=True, exclude_none=True)
    return _as_lists(el, data)


def _elements(model: LogicModel | None, section: str) -> dict[str, tuple[dict[str, Any], str]]:
    """id -> (fields, one-line summary) for one section, in file order."""
    out: dict[str, tuple[dict[str, Any], str]] = {}
    if model is None:
        return out
    if section == "indicators":
        for n in model.nodes:
            for ind in getattr(n, "indicators", ()):
                data = {"of": n.id, **_dump(ind)}
                out.setdefault(ind.id, (data, f"{ind.measure} (of {n.id})"))
        return out
    for el in getattr(model, section):
        data = _dump(el)
        if section == "nodes":
            data.pop("indicators", None)
            key, summary = el.id, f"{el.kind}: {el.label}"
        elif section == "links":
            key = el.id or f"{el.source}->{el.target}"
            summary = f"{el.source} -> {el.target}"
        elif section == "references":
            key, summary = el.id, el.citation
        elif section == "pathways":
            key, summary = el.id, _route_summary(model.route(el))
        else:
            key, summary = el.id, el.label
        data.pop("id", None)
        out.setdefault(key, (data, summary))
    return out


def _route_summary(route: Route) -> str:
    """A chain as its nodes; a branching route as its steps, starts and ends."""
    if route.form == "nodes":
        return " -> ".join(route.nodes)
    return (f"{len(dict.fromkeys(route.steps))} steps from {', '.join(route.start)} "
            f"to {', '.join(route.end)}")


def _reroute(pid: str, old: Route, new: Route) -> Reroute | None:
    """How ``pid``'s route changed from ``old`` to ``new`` (None: it did not).

    Routes are compared as what they claim: their steps as a set, where they start
    and end, and, for a chain, its order.
    """
    if (set(old.steps) == set(new.steps) and set(old.start) == set(new.start)
            and set(old.end) == set(new.end)
            and (old.form != "nodes" or new.form != "nodes" or old.nodes == new.nodes)):
        return None
    before, after = dict.fromkeys(old.steps), dict.fromkeys(new.steps)
    return Reroute(pid, list(old.nodes), list(new.nodes),
                   [s for s in before if s not in after], [s for s in after if s not in before],
                   old.form == new.form == "nodes", (list(old.start), list(new.start)),
                   (list(old.end), list(new.end)))


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(v, f"{prefix}.{k}" if prefix else k, out)
    elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
        for i, v in enumerate(value):
            _flatten(v, f"{prefix}[{i}]", out)
    else:
        out[prefix] = value


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    a: dict[str, Any] = {}
    b: dict[str, Any] = {}
    _flatten(old, "", a)
    _flatten(new, "", b)
    keys = list(a) + [k for k in b if k not in a]
    return [FieldChange(k, a.get(k), b.get(k)) for k in keys if a.get(k) != b.get(k)]


def diff_models(old: LogicModel | None, new: LogicModel | None, old_name: str = "old",
                new_name: str = "new") -> ModelDiff:
    """The semantic difference from ``old`` to ``new`` (None: the file does not exist)."""
    result = ModelDiff(old_name, new_name)
    a = {k: v for k, v in (_dump(old).items() if old else ()) if k in _MODEL_FIELDS}
    b = {k: v for k, v in (_dump(new).items() if new else ()) if k in _MODEL_FIELDS}
    if old is None or new is None:
        pass  # a whole model added or removed: its elements say it all
    elif fields := _field_changes(a, b):
        result.changes.append(Change("model", "model", "changed", "", fields))
    for section in SECTIONS:
        before, after = _elements(old, section), _elements(new, section)
        for key, (data, summary) in before.items():
            if key not in after:
                result.changes.append(Change(section, key, "removed", summary))
            elif fields := _field_changes(data, after[key][0]):
                result.changes.append(Change(section, key, "changed", after[key][1], fields))
        result.changes.extend(Change(section, key, "added", summary)
                              for key, (_, summary) in after.items() if key not in before)
    if old is not None and new is not None:
        routes = {p.id: old.route(p) for p in old.pathways}
        for p in new.pathways:
            if p.id in routes and (r := _reroute(p.id, routes[p.id], new.route(p))):
                result.rerouted.append(r)
    return result


def _value(v: Any) -> str:
    return "(none)" if v is None else json.dumps(v, ensure_ascii=False)


_MARK = {"added": "+", "removed": "-", "changed": "~"}


def format_diff_text(d: ModelDiff) -> str:
    """The diff for people: one block per section, fields indented below their element."""
    out = [f"--- {d.old_name}", f"+++ {d.new_name}"]
    if not d.changes:
        out.append("No semantic differences.")
        return "\n".join(escape_text(line) for line in out) + "\n"
    section = None
    for c in d.changes:
        if c.section != section:
            section = c.section
            out.append(f"{section}:")
        if c.section == "model":
            out += [f"  {f.field}: {_value(f.old)} -> {_value(f.new)}" for f in c.fields]
            continue
        head = f"  {_MARK[c.kind]} {c.id}"
        if c.summary and c.kind != "changed":
            head += f"  {c.summary}"
        out.append(head)
        out += [f"      {f.field}: {_value(f.old)} -> {_value(f.new)}"
                if (c.section, f.field) != ("pathways", "nodes") else "      nodes: (route below)"
                for f in c.fields]
    if d.rerouted:
        out.append("pathways whose route changed:")
        for r in d.rerouted:
            out.append(f"  ~ {r.id}")
            if r.chains:
                out += [f"      was: {' -> '.join(r.old)}", f"      now: {' -> '.join(r.new)}"]
                continue
            out += [f"      - step {a} -> {b}" for a, b in r.removed_steps]
            out += [f"      + step {a} -> {b}" for a, b in r.added_steps]
            out += [f"      {which}: {', '.join(was) or '(none)'} -> {', '.join(now) or '(none)'}"
                    for which, (was, now) in (("starts", r.start), ("ends", r.end))
                    if set(was) != set(now)]
    n = d.counts()
    out.append(f"{n['added']} added, {n['removed']} removed, {n['changed']} changed.")
    return "\n".join(escape_text(line) for line in out) + "\n"


def format_diff_json(d: ModelDiff) -> str:
    """The diff as JSON (see :meth:`ModelDiff.to_dict`)."""
    return json.dumps(d.to_dict(), indent=2, ensure_ascii=False) + "\n"


class RevisionError(LogicModelError):
    """A ``REV:path`` cannot be read from git (unknown revision or path)."""


def read_revision(spec: str, cwd: str | None = None) -> bytes:
    """The bytes of ``REV:path`` from the git repository around ``cwd``.

    A path that does not start with ``./`` or ``/`` is taken relative to the
    current directory, as the user typed it, not to the repository root.

    Raises:
        RevisionError: git does not know the revision or the path.
        LogicModelError: git is not installed.
    """
    rev, _, path = spec.partition(":")
    if path and not path.startswith(("./", "/")):
        path = "./" + path
    try:
        proc = subprocess.run(["git", "cat-file", "blob", f"{rev}:{path}"], cwd=cwd,
                              capture_output=True, check=False, timeout=60)
    except FileNotFoundError as exc:
        raise LogicModelError("git is not installed; it is needed to read REV:path") from exc
    except subprocess.TimeoutExpired as exc:
        raise LogicModelError(f"git took too long to read {spec}") from exc
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(f"cannot read {spec} from git: "
                            + (reason[-1] if reason else "unknown revision or path"))
    return proc.stdout
