"""Loading a model: file or text -> :class:`Document` with a model and located diagnostics.

The loader reads bytes (bounded), decodes them, parses YAML safely
(:mod:`logicmodel.yamlread`), then validates the data with the Pydantic schema
and turns every validation error into a located diagnostic with a hint. It never
raises for a problem in the user's file; only :func:`load` does, for callers
who want a model or an exception.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic, Path, Severity, Span, sort_key
from .errors import InvalidModelError
from .gcpause import paused_gc
from .rules.registry import rule, stamp
from .schema import NODE_CLASSES, LogicModel
from .schema.model import UNION_TAGS
from .schema.versions import Memo, format1_problems
from .yamlread import MAX_FILE_SIZE, Problem, YamlTree, decode, locate, parse

if typing.TYPE_CHECKING:
    from .rules.incremental import RuleRun
    from .variants.load import VariantSpec
    from .variants.merge import BaseIndex, Src

__all__ = ["Document", "load", "load_document", "load_file", "load_text", "parse_document"]


@dataclass
class Document:
    """One model file: its name, YAML tree, validated model (if valid) and problems.

    A merged document (a variant, or an overlay file with its base) also has an
    ``origin``: where each part of its data was written, so that its problems
    are located in the base or in the override (:mod:`logicmodel.variants`).
    A short version of another model (``summarises:``) holds the ``full``
    version it maps onto, read when it was loaded (:mod:`logicmodel.versions`):
    the full version's file as read is ``full_read``, and ``full`` is that or the
    variant of it that this model (or this variant of it) summarises.
    """

    file: str
    tree: YamlTree | None = None
    model: LogicModel | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    variants: list[VariantSpec] = field(default_factory=list)
    origin: Src | None = None
    base: Document | None = None
    variant: str | None = None
    overlay: VariantSpec | None = None
    full: Document | None = None
    full_read: Document | None = None
    checked: tuple[Any, list[Diagnostic]] | None = field(default=None, repr=False, compare=False)
    rule_run: RuleRun | None = field(default=None, repr=False, compare=False)
    merge_index: BaseIndex | None = field(default=None, repr=False, compare=False)

    def locate(self, path: Path, *, at_key: bool = False) -> Span:
        """The position of ``path`` in the file (nearest existing ancestor)."""
        if self.origin is not None:
            return self.origin.locate(path, at_key=at_key)
        return locate(self.tree.root if self.tree else None, path, at_key=at_key)

    def file_at(self, path: Path) -> str:
        """The file that wrote the part at ``path`` (this file, unless merged)."""
        return self.origin.resolve(path).file if self.origin is not None else self.file


def _diagnostic(file: str, code: str, message: str, span: Span | None,
                hint: str | None = None, path: Path = ()) -> Diagnostic:
    return stamp(code, message, file, span, path, hint)


def _from_problem(file: str, p: Problem) -> Diagnostic:
    return _diagnostic(file, p.code, p.message, p.span, p.hint, p.path)


def read_bytes(path: str | os.PathLike[str], max_size: int = MAX_FILE_SIZE) -> bytes:
    """Read a regular file of at most ``max_size`` bytes, without blocking on special files.

    Raises:
        OSError: the file cannot be read; the message says why.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError("it is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise OSError("it is not a regular file")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > max_size:
                raise _TooLarge(total)
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


class _TooLarge(OSError):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def load_file(path: str | os.PathLike[str], *, max_size: int = MAX_FILE_SIZE,
              display: str | None = None) -> Document:
    """Load and validate one model file; problems come back as diagnostics.

    Within :func:`logicmodel.runcache.one_run`, a file already read in the run is
    not read again.
    """
    from . import runcache

    file = display if display is not None else os.fspath(path)
    seen = runcache.lookup(path, file, max_size)
    if seen is not None:
        return seen
    try:
        data = read_bytes(path, max_size)
    except _TooLarge:
        return Document(file, diagnostics=[_diagnostic(
            file, "LM002", f"the file is larger than the limit of {max_size:,} bytes", None,
            hint=_SIZE_HINT)])
    except OSError as exc:
        reason = exc.strerror or (exc.args[0] if exc.args else type(exc).__name__)
        return Document(file, diagnostics=[_diagnostic(
            file, "LM001", f"cannot read the file: {str(reason).lower()}", None)])
    doc = parse_document(data, file, max_size=max_size, path=os.fspath(path))
    runcache.store(path, file, max_size, doc)
    return doc


def load_text(text: str, filename: str = "<string>", *, max_size: int = MAX_FILE_SIZE
              ) -> Document:
    """Load and validate a model from YAML text; problems come back as diagnostics."""
    return parse_document(text.encode("utf-8", errors="surrogatepass"), filename,
                          max_size=max_size)


_SIZE_HINT = ("a logic model is rarely over 100 KB; raise `max-file-size` in the "
              "configuration if this one really is")


def parse_document(data: bytes, file: str, *, max_size: int = MAX_FILE_SIZE,
                   path: str | None = None, chain: tuple[FsPath, ...] = ()) -> Document:
    """Bytes -> Document. The one path every loading entry point goes through.

    ``path`` is where the bytes were read from, which an overlay's ``extends``
    is relative to (the working directory when None); ``chain`` holds the
    overlays already being read, to refuse cycles.
    """
    if len(data) > max_size:
        return Document(file, diagnostics=[_diagnostic(
            file, "LM002", f"the model is larger than the limit of {max_size:,} bytes",
            None, hint=_SIZE_HINT)])
    text, problem = decode(data)
    if text is None:
        assert problem is not None
        return Document(file, diagnostics=[_from_problem(file, problem)])
    with paused_gc():
        return _validate(parse(text), file, path, max_size, chain)


def _validate(tree: YamlTree, file: str, path: str | None = None,
              max_size: int = MAX_FILE_SIZE, chain: tuple[FsPath, ...] = ()) -> Document:
    doc = Document(file, tree)
    doc.diagnostics.extend(_from_problem(file, p) for p in tree.problems)
    if tree.root is None:
        return doc
    if not isinstance(tree.data, dict):
        doc.diagnostics.append(_diagnostic(
            file, "LM020", "a model must be a mapping of fields, starting with `logicmodel: 1`",
            doc.locate(())))
        return doc
    if tree.problems:
        _independent_schema_problems(doc, tree.data)
        return doc
    data = tree.data
    if "extends" in data:
        from .variants.load import load_overlay

        return load_overlay(doc, path, max_size, chain)
    if "variants" in data:
        from .variants.load import read_variants

        doc.variants = read_variants(doc, data["variants"])
        data = {k: v for k, v in data.items() if k != "variants"}
    validate_data(doc, data)
    if doc.model is not None and doc.model.summarises is not None:
        from .versions.load import load_full

        load_full(doc, path, max_size, chain)
    return doc


def _independent_schema_problems(doc: Document, data: dict[str, Any]) -> None:
    """After a reading problem, the schema's findings elsewhere in the file, but no model.

    The data is not quite what the user wrote (one of two duplicate keys is kept, an
    alias or a tag is left out), so no model is built from it and no rule runs; but a
    misspelt field three nodes further down is independent of a duplicated key, and
    one run should name both. Findings at or under a place the reading problem
    touched are left out: they could be artefacts of it.
    """
    assert doc.tree is not None
    touched = [p.path for p in doc.tree.problems]
    if any(not t for t in touched) or not isinstance(data, dict):
        return
    data = {k: v for k, v in data.items() if k not in ("variants", "extends")}
    try:
        LogicModel.model_validate(data)
    except ValidationError as exc:
        found = [d for d in _schema_diagnostics(exc, doc)
                 if not any(d.path[:len(t)] == t or t[:len(d.path)] == d.path
                            for t in touched)]
        doc.diagnostics.extend(found)
        doc.diagnostics.sort(key=sort_key)


def validate_data(doc: Document, data: object, prepared: object = None,
                  memo: Memo | None = None) -> None:
    """Validate ``data`` as a model into ``doc.model``, or add located diagnostics to ``doc``.

    ``prepared`` is ``data`` with some elements already validated (a variant's
    untouched elements, taken from its base); it is validated in its place.
    ``memo`` is shared by the variants of one model (see :func:`format1_problems`).
    """
    older = list(format1_problems(data, memo)) if isinstance(data, dict) else []
    try:
        doc.model = LogicModel.model_validate(data if prepared is None else prepared)
    except ValidationError as exc:
        doc.diagnostics.extend(_schema_diagnostics(exc, doc))
    if older:
        doc.model = None  # not a valid format-1 file
        seen = {d.path for d in doc.diagnostics}
        doc.diagnostics.extend(
            _diagnostic(doc.file, p.code, p.message, doc.locate(p.path, at_key=p.at_key),
                        p.hint, p.path)
            for p in older if p.path not in seen)
    if doc.origin is not None:
        doc.diagnostics = [relocated(doc, d) for d in doc.diagnostics]
    doc.diagnostics.sort(key=sort_key)


def relocated(doc: Document, d: Diagnostic) -> Diagnostic:
    """A diagnostic of a merged document, named by the file that wrote its part and its variant."""
    from dataclasses import replace

    path = d.path
    if d.code == "LM024" and " valid kind" in d.message and doc.origin is not None:
        path = (*path, "kind")  # an overridden kind is reported where it is written
    file = doc.file_at(path)
    span = doc.locate(path) if path != d.path else d.span
    message = f"variant `{doc.variant}`: {d.message}" if doc.variant else d.message
    return replace(d, file=file, span=span, message=message)


def load_document(source: str | os.PathLike[str], *, max_size: int = MAX_FILE_SIZE) -> Document:
    """A path, or YAML text (a str holding a newline), loaded into a Document."""
    if isinstance(source, str) and "\n" in source:
        return load_text(source, max_size=max_size)
    return load_file(source, max_size=max_size)


def load(source: str | os.PathLike[str]) -> LogicModel:
    """Load a model from a path, or from YAML text if ``source`` is a str holding a newline.

    Raises:
        InvalidModelError: the file cannot be read or is not a valid model; its
            ``diagnostics`` say where and why.
    """
    doc = load_document(source)
    if doc.model is None:
        raise InvalidModelError(doc.diagnostics)
    return doc.model


# --- Pydantic errors -> diagnostics -------------------------------------------------------

_QUOTED = re.compile(r"'([^']*)'")

# Fields with a pattern that are not ids: what they should look like.
_PATTERN_HINTS = {
    "doi": ("a DOI", "write the DOI alone, e.g. `10.1093/bjsw/bcac019` (no https://doi.org/)"),
    "url": ("a web address", "start it with https:// or http://"),
    "orcid": ("an ORCID iD", "write the 16 digits with dashes, e.g. `0000-0002-1825-0097`"),
}


def _yaml_path(loc: tuple[int | str, ...], data: object) -> Path:
    """Drop the parts Pydantic adds that are not in the file (union tags, type names)."""
    out: list[str | int] = []
    cur: object = data
    for part in loc:
        if part in UNION_TAGS:
            continue  # which member of a one-or-many union was tried
        if isinstance(cur, dict) and isinstance(part, str) and part in cur:
            out.append(part)
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            out.append(part)
            cur = cur[part]
        elif isinstance(cur, dict) and isinstance(part, str):
            if cur.get("kind") == part and part in NODE_CLASSES:
                continue  # discriminator tag
            out.append(part)  # a missing or unknown field
            cur = None
        else:
            break
    return tuple(out)


def _display(path: Path) -> str:
    text = ""
    for p in path:
        text += f"[{p}]" if isinstance(p, int) else (f".{p}" if text else p)
    return text or "the model"


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The Pydantic class that validates the mapping at ``loc`` (for "did you mean")."""
    cls: Any = LogicModel
    for part in loc:
        if isinstance(part, int):
            continue
        if part in NODE_CLASSES and cls is None:
            cls = NODE_CLASSES[part]
            continue
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
            return None
        fields = cls.model_fields
        name = next((n for n, f in fields.items() if part in (n, f.alias)), None)
        if name is None:
            return cls
        cls = _inner_model(fields[name].annotation)
    return cls if isinstance(cls, type) and issubclass(cls, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """The model class inside ``list[X]``, ``X | None``; None for a union of node kinds."""
    for arg in (typing.get_args(annotation) or (annotation,)):
        inner = arg
        while typing.get_origin(inner) is typing.Annotated:
            inner = typing.get_args(inner)[0]
        if typing.get_origin(inner) is list:
            return _inner_model(typing.get_args(inner)[0])
        args = typing.get_args(inner)
        if args and all(isinstance(a, type) and issubclass(a, BaseModel) for a in args):
            return None  # the node union: the next loc part is the kind tag
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    return annotation


def _field_names(cls: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in cls.model_fields.items() if n != "schema_uri"]


def _did_you_mean(word: str, options: list[str]) -> str | None:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


def _schema_diagnostics(exc: ValidationError, doc: Document) -> Iterator[Diagnostic]:
    seen: set[Path] = set()
    assert doc.tree is not None
    data = doc.tree.data
    errors = exc.errors(include_url=False, include_input=False, include_context=True)
    unknown: dict[Path, list[str]] = {}  # parent -> unknown keys, to explain missing fields
    for err in errors:
        if err["type"] == "extra_forbidden":
            path = _yaml_path(tuple(err["loc"]), data)
            unknown.setdefault(path[:-1], []).append(str(path[-1]))
    for err in errors:
        loc = tuple(err["loc"])
        path = _yaml_path(loc, data)
        if path in seen:
            continue  # one message per place: unions report once per member
        seen.add(path)
        code, message, hint, at_key = _describe(err, loc, path, data)
        if err["type"] == "missing" and path and hint is None:
            close = difflib.get_close_matches(str(path[-1]), unknown.get(path[:-1], []), n=1)
            if close:
                hint = f"`{close[0]}` looks like a misspelling of it"
        span = doc.locate(path, at_key=at_key)
        yield _diagnostic(doc.file, code, message, span, hint, path)


def _describe(err: Any, loc: tuple[int | str, ...], path: Path, data: object
              ) -> tuple[str, str, str | None, bool]:
    kind: str = err["type"]
    ctx: dict[str, Any] = err.get("ctx") or {}
    last = path[-1] if path else ""
    where = _display(path)
    parent = _display(path[:-1])
    if kind == "missing":
        if last == "logicmodel":
            return ("LM021", "missing `logicmodel: 2`, the format version",
                    "add `logicmodel: 2` as the first line", False)
        return ("LM021", f"{parent}: missing required field `{last}`", None, False)
    if kind == "extra_forbidden":
        cls = _model_at(loc[:-1])
        options = _field_names(cls) if cls else []
        hint = _did_you_mean(str(last), options) or (
            f"allowed fields: {', '.join(options)}" if options else None)
        if " " in str(last):
            hint = ("a comma inside {...} starts a new field: put text with commas "
                    "in quotes")
        return ("LM022", f"{parent}: unknown field `{last}`", hint, True)
    if kind == "union_tag_not_found":
        return ("LM021", f"{where}: missing required field `kind`",
                "one of: " + ", ".join(NODE_CLASSES), False)
    if kind in ("union_tag_invalid", "literal_error", "enum"):
        expected = ctx.get("expected_tags") or ctx.get("expected") or ""
        options = _QUOTED.findall(str(expected)) or [
            s.strip() for s in str(expected).split(",") if s.strip()]
        if last == "logicmodel":
            return ("LM026", "unsupported format version; this logicmodel reads versions 1 and 2",
                    "write `logicmodel: 2`", False)
        found = _data_at(data, path)
        value = ctx.get("tag") or (found if isinstance(found, str) else None)
        named = next((p for p in reversed(path) if isinstance(p, str)), "value")
        field_name = "kind" if kind == "union_tag_invalid" else str(named)
        hint = _did_you_mean(str(value), options) if value is not None else None
        allowed = "expected one of: " + ", ".join(options)
        return ("LM024", f"{where}: `{value}` is not a valid {field_name}",
                f"{hint} ({allowed})" if hint else allowed, False)
    if kind == "string_pattern_mismatch":
        if last in _PATTERN_HINTS:
            what, hint = _PATTERN_HINTS[str(last)]
            return ("LM020", f"{where}: not {what}", hint, False)
        return ("LM023", f"{where}: not a valid id",
                "an id starts with a letter and has only letters, digits, _ and -, "
                "at most 64 characters", False)
    if kind == "invalid_text":
        return ("LM025", f"{where}: {err['msg']}", None, False)
    if kind == "string_unicode":
        return ("LM025", f"{where}: the text holds a lone surrogate (an escape like \\ud800)",
                "write characters outside the basic plane as \\U0001F600, or type them", False)
    if kind in ("string_too_long", "too_long"):
        return ("LM025", f"{where}: {err['msg'].lower()}", None, False)
    if kind == "bool_parsing":
        return ("LM020", f"{where}: expected true or false", "write `true` or `false`", False)
    if kind.endswith("_type") and path and _data_at(data, path) is None:
        empty = {"list_type": "[]", "dict_type": "{}"}.get(kind, '""')
        return ("LM020", f"{where}: has no value",
                f"write `{last}: {empty}` for none, or give it a value", False)
    msg = str(err["msg"])
    msg = msg[0].lower() + msg[1:] if msg else msg
    hint = None
    if kind == "string_type":
        hint = "quote the text if it contains ':' or starts with a special character"
    elif kind == "list_type":
        hint = "write a list: one `- item` per line, or [a, b]"
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        hint = "write a mapping of `field: value` lines"
    return ("LM020", f"{where}: {msg}", hint, False)


_MISSING = object()


def _data_at(data: object, path: Path) -> object:
    """The plain data at ``path``, or ``_MISSING`` where the path leads nowhere."""
    cur = data
    for part in path:
        if isinstance(cur, dict) and isinstance(part, str) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            cur = cur[part]
        else:
            return _MISSING
    return cur


def display_path(path: str | os.PathLike[str]) -> str:
    """How a file is named in messages: relative to the working directory when inside it."""
    p = FsPath(path)
    try:
        return p.resolve().relative_to(FsPath.cwd().resolve()).as_posix() if p.is_absolute() \
            else p.as_posix()
    except ValueError:
        return p.as_posix()


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

E = Severity.ERROR


@rule("LM001", "unreadable-file", E)
def unreadable_file() -> None:
    """The file cannot be read.

    ## What it does
    Reports a path that does not exist, is a directory or a device, or cannot be
    opened for reading.

    ## Why is this bad?
    Nothing can be checked. In CI this usually means a path in the workflow is
    wrong, or the file was renamed.

    ## Example
    ```console
    $ logicmodel check models/missing.yaml
    models/missing.yaml:1:1: LM001 cannot read the file: no such file or directory
    ```
    """

@rule("LM002", "file-too-large", E)
def file_too_large() -> None:
    """The file is larger than the size limit (10 MiB by default).

    ## What it does
    Refuses files over `max-file-size` bytes before parsing them.

    ## Why is this bad?
    A logic model is rarely larger than 100 KB. A far larger file is usually a
    mistake (a data file checked by accident) and would make the check slow.
    Raise `max-file-size` in the configuration if the model really is that big.

    ## Example
    A 50 MB export named `model.yaml` fails with LM002; a normal model passes.
    """

@rule("LM020", "wrong-type", E)
def wrong_type() -> None:
    """A value has the wrong type: a list where text is expected, text where a list is.

    ## What it does
    Reports the value with what was expected, e.g. `nodes: input should be a
    valid list`.

    ## Why is this bad?
    The model cannot be read as intended. A common cause is a missing `-` before
    list items, or `key: value` text with an unquoted colon.

    ## Example
    ```yaml
    links: {from: a, to: b}      # fails: links is a list
    links:
      - {from: a, to: b}         # passes
    ```
    """

@rule("LM021", "missing-field", E)
def missing_field() -> None:
    """A required field is missing.

    ## What it does
    Reports the mapping that lacks the field: `id`, `label` and `kind` on
    nodes, `horizon` on outcomes, `from` and `to` on links, `logicmodel` and
    `title` on the model.

    ## Why is this bad?
    Without them the element cannot be drawn or checked.

    ## Example
    ```yaml
    - id: needs_met
      kind: outcome
      label: Immediate needs met       # fails: outcome needs a horizon
      horizon: short                   # passes
    ```
    """

@rule("LM022", "unknown-field", E)
def unknown_field() -> None:
    """A field is not part of the format; the hint suggests the nearest known field.

    ## What it does
    Reports keys the format does not know, at the key, with "did you mean".

    ## Why is this bad?
    A misspelt key (`indicatrs:`) would otherwise be silently ignored, and the
    model would look fine while missing what you wrote.

    ## Example
    `lable: Budget` fails with "did you mean `label`?".
    """

@rule("LM023", "invalid-id", E)
def invalid_id() -> None:
    """An id is not valid: it must start with a letter and use only letters, digits, `_`, `-`.

    ## What it does
    Reports ids with spaces, punctuation, a leading digit, or more than 64
    characters.

    ## Why is this bad?
    Ids are written in links, pathways and file names; they must be easy to
    type and safe everywhere.

    ## Example
    `id: 1st outcome` fails; `id: outcome_1` passes.
    """

@rule("LM024", "invalid-value", E)
def invalid_value() -> None:
    """A value is not one of those the field allows; the hint lists them.

    ## What it does
    Reports values outside a field's choices (a node `kind`, an outcome
    `horizon`, a link `type`, an evidence `grade`), with "did you mean".

    ## Why is this bad?
    The element cannot be placed or drawn.

    ## Example
    `kind: activty` fails with "did you mean `activity`?".
    """

@rule("LM025", "invalid-text", E)
def invalid_text() -> None:
    """Text is too long or contains characters that cannot be shown safely.

    ## What it does
    Reports labels, indicator baselines and targets and DOIs over 300
    characters, labels over 10 lines, text over 10,000 characters, and any
    text (every field, web addresses included) with control characters,
    bidirectional overrides or lone surrogates (written as escapes such as
    `"\\e"` or `"\\ud800"`), whichever YAML reader is installed.

    ## Why is this bad?
    Such text breaks diagrams, terminals and CI logs, or can make a label read
    differently from what it says.

    ## Example
    `label: "Budget\\e[2J"` fails.
    """

@rule("LM026", "unsupported-version", E)
def unsupported_version() -> None:
    """The model declares a format version this logicmodel does not read.

    ## What it does
    Reports `logicmodel:` values other than `1` and `2`.

    ## Why is this bad?
    A model written for another version of the format may mean something else.

    ## Example
    `logicmodel: 3` fails; `logicmodel: 2` passes, and so does `logicmodel: 1`.
    """
