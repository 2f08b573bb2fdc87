"""Safe YAML reading with positions: bytes -> plain data + the node tree.

This module turns the bytes of a file into plain Python data (dicts, lists,
strings, None) and keeps PyYAML's node tree so that any later problem can be
reported at ``line:col``. It refuses, with a located diagnostic and never a
traceback, everything that would make a file mean something other than what it
says or make the reader hang:

* files too large, not UTF-8, or with raw control characters;
* several documents, an empty document, nesting deeper than 64;
* duplicate keys (PyYAML would silently keep the last), anchors and aliases
  (alias bombs, recursive structures), explicit tags (``!!python/...``,
  ``!include``), merge keys (``<<``) and keys that are not plain text.

Scalars are never retyped behind the user's back: ``no``, ``on``, ``010``,
``12:30`` and ``2024-02-30`` stay the text that was written; only ``null``,
``~`` and an empty value become None. Numbers and booleans are read by the
schema where a field asks for one.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Path, Severity, Span
from .rules.registry import rule

__all__ = ["MAX_DEPTH", "MAX_FILE_SIZE", "Problem", "YamlTree", "decode", "locate", "parse"]

MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_DEPTH = 64
# libyaml's composer recurses in C: tens of thousands of nested flow brackets
# crash the process. Below this many brackets that cannot happen; above it the
# depth is measured on the event stream before any node is built.
_BRACKET_BUDGET = 5_000

_PLAIN_NULLS = frozenset(["", "~", "null", "Null", "NULL"])
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class Problem:
    """A located reading problem; the loader turns it into a Diagnostic."""

    code: str
    message: str
    span: Span
    hint: str | None = None
    path: Path = ()


@dataclass(slots=True)
class YamlTree:
    """The data of one YAML document and the node tree it was built from."""

    data: object
    root: Node | None
    problems: list[Problem] = field(default_factory=list)


def _span(node: Node) -> Span:
    s, e = node.start_mark, node.end_mark
    return Span(s.line + 1, s.column + 1, e.line + 1, e.column + 1)


def _point(line: int, column: int) -> Span:
    return Span(line, column, line, column + 1)


def _mark_point(mark: object) -> Span:
    line, column = getattr(mark, "line", 0), getattr(mark, "column", 0)
    return _point(line + 1, column + 1)


def _offset_to_point(text: str, offset: int) -> Span:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return _point(line, column)


def decode(data: bytes) -> tuple[str | None, Problem | None]:
    """Decode file bytes: UTF-8 (a BOM is dropped), or UTF-16/32 when a BOM says so."""
    boms = (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    codec = next((name for bom, name in boms if data.startswith(bom)), "utf-8")
    try:
        return data.decode(codec), None
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode(codec, errors="replace")
        span = _offset_to_point(good, len(good))
        return None, Problem(
            "LM003",
            f"the file is not valid UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
            span,
            hint="save the file as UTF-8 (for example, '£' written by an older editor "
            "as Latin-1 shows up here)",
        )


def _check_raw_characters(text: str) -> Problem | None:
    bad = _RAW_CONTROL.search(text)
    if bad is None:
        return None
    return Problem(
        "LM004",
        f"the file contains the control character U+{ord(bad.group()):04X}",
        _offset_to_point(text, bad.start()),
        hint="delete it; if you need a line break in a label, use a YAML block scalar (|)",
    )


class _PyComposer(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    yaml.resolver.BaseResolver,
):
    """PyYAML's own reader and parser, resolving no implicit types."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.resolver.BaseResolver.__init__(self)


def _loader_classes() -> tuple[Callable[[str], object], bool]:
    """A composer that resolves no implicit types: every plain scalar stays text."""
    try:
        from yaml._yaml import CParser

        class _CComposer(CParser, yaml.resolver.BaseResolver):
            def __init__(self, stream: str) -> None:
                CParser.__init__(self, stream)
                yaml.resolver.BaseResolver.__init__(self)

        return _CComposer, True
    except ImportError:  # pragma: no cover - PyYAML without libyaml
        return _PyComposer, False


_COMPOSER, _HAVE_LIBYAML = _loader_classes()


def _depth_gate(text: str, *, pure: bool = False) -> Problem | None:
    """Measure nesting on the event stream, stopping at the first event too deep.

    ``pure`` reads with PyYAML's own parser, which has no nesting limit of its own
    and looks ahead at most 1,024 characters: it finds where our limit is crossed
    after libyaml has stopped at its own (deeper) one.
    """
    depth = 0
    start = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    end = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    loader = yaml.CBaseLoader if _HAVE_LIBYAML and not pure else yaml.BaseLoader
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, start):
            depth += 1
            if depth > MAX_DEPTH:
                return _too_deep(_mark_point(event.start_mark))
        elif isinstance(event, end):
            depth -= 1
    return None


def _too_deep(span: Span) -> Problem:
    return Problem(
        "LM008",
        f"the YAML is nested more than {MAX_DEPTH} levels deep",
        span,
        hint="a logic model needs only a few levels; check for runaway brackets",
    )


def _library_problem(exc: yaml.MarkedYAMLError, text: str, span: Span) -> Problem | None:
    """The documented code for a refusal the YAML library makes on its own.

    Which library check fires first depends on the PyYAML and libyaml versions
    installed (libyaml 0.2.5 stops at 1,000 levels of nesting, refuses surrogate
    escapes, and words a duplicate anchor as problem or as context): the user
    gets the same code and a position whichever it is.
    """
    words = f"{exc.problem or ''} {exc.context or ''}"
    if "maximum nesting depth" in words:
        try:
            deep = _depth_gate(text, pure=True)
        except yaml.YAMLError:
            deep = None
        return deep or _too_deep(span)
    if "duplicate anchor" in words:
        return Problem("LM010", "an anchor is defined twice", span,
                       hint="anchors and aliases are not allowed in models: write values out")
    if "Unicode character escape code" in words:
        return Problem(
            "LM025",
            "the text holds an escape that is not a character (such as a lone surrogate \\ud800)",
            _escape_start(text, span),
            hint="write characters outside the basic plane as \\U0001F600, or type them",
        )
    return None


def _escape_start(text: str, span: Span) -> Span:
    """The backslash of the escape libyaml points into (it marks the hex digits)."""
    lines = text.split("\n")
    if 0 < span.line <= len(lines):
        head = lines[span.line - 1][: span.column - 1]
        slash = max(head.rfind("\\u"), head.rfind("\\U"))
        if slash >= 0:
            return _point(span.line, slash + 1)
    return span


def _syntax_problem(exc: yaml.YAMLError, text: str) -> Problem:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        span = _point(mark.line + 1, mark.column + 1) if mark else _point(1, 1)
        problem = (exc.problem or "invalid YAML").strip()
        if "expected a single document" in problem or "but found another document" in problem:
            return Problem(
                "LM006",
                "the file holds more than one YAML document",
                span,
                hint="keep one model per file: remove the second '---'",
            )
        known = _library_problem(exc, text, span)
        if known is not None:
            return known
        hint = None
        if "\t" in problem or "'\\t'" in problem or "tab character" in problem:
            hint = "YAML does not allow tabs for indentation: indent with spaces"
        context = f" ({exc.context.strip()})" if exc.context else ""
        return Problem("LM005", f"YAML syntax error: {problem}{context}", span, hint=hint)
    position = getattr(exc, "position", None)
    if isinstance(position, int):
        return Problem("LM005", f"YAML error: {exc}", _offset_to_point(text, position))
    return Problem("LM005", f"YAML error: {exc}", _point(1, 1))


def parse(text: str) -> YamlTree:
    """Parse one YAML document into plain data, with its node tree for positions."""
    bad = _check_raw_characters(text)
    if bad:
        return YamlTree(None, None, [bad])
    if text.count("[") + text.count("{") > _BRACKET_BUDGET:
        try:
            deep = _depth_gate(text)
        except yaml.YAMLError as exc:
            return YamlTree(None, None, [_syntax_problem(exc, text)])
        if deep:
            return YamlTree(None, None, [deep])
    composer = _COMPOSER(text)
    try:
        root = composer.get_single_node()  # type: ignore[attr-defined]
    except yaml.YAMLError as exc:
        return YamlTree(None, None, [_syntax_problem(exc, text)])
    except RecursionError:  # PyYAML's pure-Python composer recurses once per level
        try:
            deep = _depth_gate(text, pure=True)
        except yaml.YAMLError:  # pragma: no cover - the composer read this far
            deep = None
        return YamlTree(None, None, [deep or _too_deep(_point(1, 1))])
    finally:
        composer.dispose()  # type: ignore[attr-defined]
    if root is None:
        return YamlTree(
            None,
            None,
            [Problem("LM007", "the file is empty", _point(1, 1),
                     hint="start with `logicmodel: 1` and a `title:`")],
        )
    walker = _Walker()
    data = walker.build(root, (), 1)
    problems = walker.problems
    if any(p.code == "LM010" for p in problems):
        problems = [p for p in problems if p.code != "LM010"] + _alias_problems(text)
    return YamlTree(data, root, problems)


def _alias_problems(text: str) -> list[Problem]:
    """The first alias at its own position (the node tree only knows where the anchor is)."""
    loader = yaml.CBaseLoader if _HAVE_LIBYAML else yaml.BaseLoader
    first: yaml.AliasEvent | None = None
    count = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            first = first or event
            count += 1
    if first is None:  # pragma: no cover - the walker saw an alias, so the events hold one
        return []
    more = f" (and {count - 1} more)" if count > 1 else ""
    return [Problem(
        "LM010",
        f"the alias `*{first.anchor}` repeats an anchored value{more}; "
        "anchors and aliases are not allowed in a model",
        _mark_point(first.start_mark),
        hint="write the value out in full; a model must read the same to every tool",
    )]


class _Walker:
    """Builds plain data from nodes and notes what a model file may not use."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def build(self, node: Node, path: Path, depth: int) -> object:
        if id(node) in self.seen:
            self.problems.append(
                Problem(
                    "LM010",
                    "anchors and aliases are not allowed in a model",
                    _span(node),
                    hint="write the value out in full; a model must read the same to every tool",
                    path=path,
                )
            )
            return None
        self.seen.add(id(node))
        if isinstance(node, ScalarNode):
            if node.tag != _STR_TAG:
                self._tag(node, path)
            if not node.style and node.value in _PLAIN_NULLS:
                return None
            return node.value
        if depth > MAX_DEPTH:
            self.problems.append(_too_deep(_span(node)))
            return None
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ_TAG:
                self._tag(node, path)
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        if node.tag != _MAP_TAG:
            self._tag(node, path)
        result: dict[str, object] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, path)
            if key is None:
                continue
            if key in result or key in first_line:
                self.problems.append(
                    Problem(
                        "LM009",
                        f"duplicate key `{key}` (first at line {first_line[key]})",
                        _span(key_node),
                        hint="YAML keeps only one of them: merge the two or rename one",
                        path=(*path, key),
                    )
                )
                continue
            first_line[key] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def _key(self, key_node: Node, path: Path) -> str | None:
        if not isinstance(key_node, ScalarNode) or key_node.tag != _STR_TAG:
            self.problems.append(
                Problem("LM013", "keys must be plain text", _span(key_node), path=path)
            )
            return None
        if not key_node.style and key_node.value == "<<":
            self.problems.append(
                Problem(
                    "LM012",
                    "merge keys (`<<`) are not allowed in a model",
                    _span(key_node),
                    hint="write the fields out in full",
                    path=path,
                )
            )
            return None
        if not key_node.style and key_node.value in _PLAIN_NULLS:
            self.problems.append(
                Problem("LM013", "a key cannot be empty or null", _span(key_node), path=path)
            )
            return None
        value: str = key_node.value
        return value

    def _tag(self, node: Node, path: Path) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
        self.problems.append(
            Problem(
                "LM011",
                f"the YAML tag `{tag}` is not allowed in a model",
                _span(node),
                hint="remove the tag; a model holds only plain text, lists and mappings",
                path=path,
            )
        )


def locate(root: Node | None, path: Path, *, at_key: bool = False) -> Span:
    """The span of the node at ``path``, or of its nearest existing ancestor.

    Parts of a path that are not in the file (a missing field, a union tag that
    Pydantic adds) are skipped, so the position is always somewhere real.
    """
    if root is None:
        return _point(1, 1)
    node: Node = root
    key_node: Node | None = None
    for part in path:
        key_node = None
        if isinstance(node, MappingNode) and isinstance(part, str):
            for k, v in node.value:
                if isinstance(k, ScalarNode) and k.value == part:
                    key_node, node = k, v
                    break
            else:
                continue
        elif isinstance(node, SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                node = node.value[part]
            else:
                break
        else:
            continue
    if at_key and key_node is not None:
        return _span(key_node)
    return _span(node)


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

E = Severity.ERROR


@rule("LM003", "not-utf8", E)
def not_utf8() -> None:
    """The file is not valid UTF-8.

    ## What it does
    Reports the first byte that cannot be decoded, at its line and column.
    UTF-8 with or without a byte-order mark is accepted, as is UTF-16 or UTF-32
    with a byte-order mark.

    ## Why is this bad?
    The text would be read wrongly. A pound sign saved by an older editor as
    Latin-1 (byte `0xA3`) is the usual cause in UK models.

    ## Example
    `label: Budget of up to £10,000` saved as Latin-1 fails; saved as UTF-8 it
    passes.
    """

@rule("LM004", "control-character", E)
def control_character() -> None:
    """The file contains a raw control character.

    ## What it does
    Reports characters such as NUL, ESC or DEL written directly in the file.

    ## Why is this bad?
    They are invisible in an editor, can rewrite a terminal or a CI log, and
    break Graphviz and SVG output.

    ## Example
    A label pasted from a terminal with an ESC byte fails; retyping it passes.
    """

@rule("LM005", "yaml-syntax", E)
def yaml_syntax() -> None:
    """The file is not valid YAML.

    ## What it does
    Reports the parser's error at the position where it stopped, with a hint for
    the common causes (tabs used for indentation, an unclosed quote or bracket,
    a `:` in unquoted text).

    ## Why is this bad?
    Nothing after the error can be read.

    ## Example
    ```yaml
    nodes:
    <TAB>- id: budget   # a tab before the dash: fails
    ```
    ```yaml
    nodes:
      - id: budget      # spaces: passes
    ```
    """

@rule("LM006", "multiple-documents", E)
def multiple_documents() -> None:
    """The file holds more than one YAML document.

    ## What it does
    Reports a second document (after a `---` line).

    ## Why is this bad?
    Tools disagree on which document counts. One model per file keeps diffs and
    reviews clear.

    ## Example
    Two models separated by `---` fail; split them into two files.
    """

@rule("LM007", "empty-file", E)
def empty_file() -> None:
    """The file holds no model.

    ## What it does
    Reports a file that is empty or only comments.

    ## Why is this bad?
    An empty model passes no check meaningfully; it is usually a file saved
    before it was written.

    ## Example
    A file with only `# TODO` fails; one starting `logicmodel: 1` and `title:`
    passes.
    """

@rule("LM008", "too-deep", E)
def too_deep() -> None:
    """The YAML is nested more than 64 levels deep.

    ## What it does
    Stops reading at the first value nested deeper than 64 levels.

    ## Why is this bad?
    A logic model needs four or five levels. Very deep nesting is either a
    mistake or a file built to crash YAML parsers.

    ## Example
    `nodes: [[[[[[ ... ]]]]]]` with hundreds of brackets fails.
    """

@rule("LM009", "duplicate-key", E)
def duplicate_key() -> None:
    """The same key appears twice in one mapping.

    ## What it does
    Reports the second occurrence and says where the first is.

    ## Why is this bad?
    Most YAML readers silently keep the last value, so half of what you wrote is
    ignored without a word: two `label:` lines in one node, or two `links:`
    sections where only the second counts.

    ## Example
    ```yaml
    - id: budget
      label: Devolved budget
      label: Budget up to £10,000    # fails: which label?
    ```
    """

@rule("LM010", "yaml-alias", E)
def yaml_alias() -> None:
    """The file uses YAML anchors and aliases (`&name`, `*name`).

    ## What it does
    Reports each alias, and anchors defined twice.

    ## Why is this bad?
    Aliases let one line stand for many: a few hundred bytes can expand into
    billions of values and hang any tool that reads them. A model should read the
    same to a person as to a program, so values are written out.

    ## Example
    `refs: *common_refs` fails; list the references.
    """

@rule("LM011", "yaml-tag", E)
def yaml_tag() -> None:
    """The file uses an explicit YAML tag (`!!python/...`, `!include`, `!!binary`).

    ## What it does
    Reports every explicit tag.

    ## Why is this bad?
    Tags ask the reader to build special objects; some YAML readers would even
    run code. A model holds only text, lists and mappings.

    ## Example
    `label: !!binary aGVsbG8=` fails; `label: hello` passes.
    """

@rule("LM012", "merge-key", E)
def merge_key() -> None:
    """The file uses a YAML merge key (`<<`).

    ## What it does
    Reports each `<<:` key.

    ## Why is this bad?
    Merge keys are not part of YAML 1.2 and readers disagree on what they mean,
    especially when repeated.

    ## Example
    `<<: *defaults` fails; write the fields out.
    """

@rule("LM013", "bad-key", E)
def bad_key() -> None:
    """A mapping key is not plain text (a list, a mapping, or empty).

    ## What it does
    Reports keys such as `? [a, b]` or an empty key.

    ## Why is this bad?
    Every key in a model is a field name.

    ## Example
    `? [a, b]: x` fails.
    """
