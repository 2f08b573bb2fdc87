"""Rewriting a model file safely: the engine behind ``logicmodel fmt`` and ``migrate``.

A rewrite reads the file with the same loader as ``check``, refuses a file that
does not load (its located diagnostics are the answer), applies a transformation
to the comment-preserving round-trip tree, and proves the result before anything
is written:

* ``fmt`` must not change what the file says: the data the loader reads from the
  new text must equal the data it read from the old (LM030 otherwise, at the
  first value that would change);
* ``migrate`` must give the same model in the new format: the validated models
  before and after must be equal but for the format version (LM031 otherwise).

Files are written with :func:`logicmodel.render.output.write_atomic`, so a
reader never sees half a file and an interrupted run leaves the old file whole.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic, Path, Severity
from .rules.registry import rule, stamp

if TYPE_CHECKING:
    from .loader import Document

__all__ = ["Rewrite", "Transform", "format_transform", "migrate_transform", "rewrite_file",
           "rewrite_paths",
           "rewrite_text"]

# A transformation maps a file's text (and the document read from it) to new text.
Transform = Callable[[str, "Document"], str]


@rule("LM030", "format-would-change-data", Severity.ERROR)
def _lm030() -> None:
    """Formatting the file would change a value, so `fmt` leaves it alone.

    ## What it does
    `logicmodel fmt` reads the file back after formatting it and compares every
    value with what was there before. A value that would read differently (for
    example `+12` written as `12`) stops the run for that file, which is left
    untouched.

    ## Why is this bad?
    A formatter must never change what a model says. The value is usually one that
    YAML tools read in different ways.

    ## Example
    ```yaml
    label: +12        # fmt refuses: it would write `12`
    label: "+12"      # quote it, and fmt formats the file
    ```
    """


@rule("LM031", "migration-changed-model", Severity.ERROR)
def _lm031() -> None:
    """Migrating the file to format 2 would not give the same model, so it is left alone.

    ## What it does
    `logicmodel migrate` checks that the model read from the migrated file equals
    the model read from the original (apart from the format version) before it
    writes anything.

    ## Why is this bad?
    A migration that changed the theory would be a silent edit. Please report the
    file: it is a bug in `migrate`.

    ## Example
    `logicmodel migrate models/old.yaml` prints LM031 and leaves the file as it was.
    """


def format_transform(text: str, doc: Document) -> str:
    """``fmt``: the text in the canonical style (comments and order kept)."""
    from . import roundtrip

    return roundtrip.dump(roundtrip.load(text))


def migrate_transform(text: str, doc: Document) -> str:
    """``migrate``: the text moved to the newest format with the smallest edits."""
    from .migrate import migrate_text

    return migrate_text(text, doc.tree.root if doc.tree else None)


@dataclass
class Rewrite:
    """One file's rewrite: the text before and after, or why it was refused."""

    file: str
    before: str
    after: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        """True when the file is left alone because of a problem."""
        return self.after is None

    @property
    def changed(self) -> bool:
        """True when the rewrite gives different text."""
        return self.after is not None and self.after != self.before


def _diag(code: str, message: str, file: str, doc: Any, path: Path,
          hint: str | None = None) -> Diagnostic:
    return stamp(code, message, file, doc.locate(path), path, hint)


def _first_difference(a: object, b: object, path: Path = ()) -> Path | None:
    if type(a) is not type(b):
        return path
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a.keys() | b.keys():
            if key not in a or key not in b:
                return (*path, key)
        for key in a:
            found = _first_difference(a[key], b[key], (*path, key))
            if found is not None:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = _first_difference(x, y, (*path, i))
            if found is not None:
                return found
        return None
    return None if a == b else path


def _lists_of_evidence(data: Any) -> Any:
    """Evidence as a list everywhere: one mapping and a list of one say the same."""
    if isinstance(data, dict):
        return {k: ([v] if k == "evidence" and isinstance(v, dict) else _lists_of_evidence(v))
                for k, v in data.items()}
    if isinstance(data, list):
        return [_lists_of_evidence(v) for v in data]
    return data


def _comparable(model: Any) -> dict[str, Any]:
    """What a migration must keep: the model, but for its version and how it pins its stages."""
    from .schema.stages import resolve_layout

    data: dict[str, Any] = _lists_of_evidence(
        model.model_dump(mode="json", by_alias=True, exclude_none=True))
    for key in ("logicmodel", "stages", "expects_impact"):
        data.pop(key, None)
    layout = resolve_layout(model)
    data["layout"] = ([(s.id, layout.heading(s.id), list(s.kinds)) for s in layout.stages],
                      layout.expects_impact,
                      [layout.stage_of(n) for n in model.nodes])
    return data


def rewrite_text(text: str, file: str, transform: Transform, *, same: str,
                 path: str | None = None) -> Rewrite:
    """Apply ``transform`` to the model ``text``; ``same`` is ``"data"`` (fmt) or ``"model"``.

    The result is refused, with located diagnostics, when the text does not load
    as a model or when the rewritten text would not read the same. ``path`` is
    where the text was read from: the files it names (an overlay's base, a short
    version's full version) are relative to it.
    """
    from .loader import parse_document

    def load_text(text: str, file: str) -> Document:
        return parse_document(text.encode("utf-8", errors="surrogatepass"), file, path=path)

    result = Rewrite(file, text)
    doc = load_text(text, file)
    errors = [d for d in doc.diagnostics if d.severity is Severity.ERROR]
    if errors or doc.model is None or doc.tree is None:
        result.diagnostics = errors or doc.diagnostics
        return result
    new_text = transform(text, doc)
    new_doc = load_text(new_text, file)
    if same == "data":
        where = _first_difference(doc.tree.data, new_doc.tree.data if new_doc.tree else None)
        if where is not None:
            result.diagnostics = [_diag(
                "LM030", "formatting would change this value", file, doc, where,
                "quote the value so that every YAML reader sees the same text")]
            return result
    elif new_doc.model is None or _comparable(new_doc.model) != _comparable(doc.model):
        result.diagnostics = [_diag(
            "LM031", "the migrated file would not give the same model", file, doc, (),
            "the file is left as it was; please report it")]
        return result
    result.after = new_text
    return result


def rewrite_file(path: str | os.PathLike[str], transform: Transform, *, same: str,
                 write: bool) -> Rewrite:
    """Rewrite one file; with ``write``, replace it atomically when the text changes."""
    from .loader import display_path, load_file, parse_document, read_bytes
    from .yamlread import decode

    file = display_path(path)
    try:
        data = read_bytes(path)
    except OSError:
        return Rewrite(file, "", diagnostics=load_file(path, display=file).diagnostics)
    text, _ = decode(data)
    if text is None:
        return Rewrite(file, "", diagnostics=parse_document(data, file).diagnostics)
    result = rewrite_text(text, file, transform, same=same, path=os.fspath(path))
    if write and result.changed:
        from .render.output import write_atomic

        assert result.after is not None
        write_atomic(path, result.after.encode("utf-8"))
    return result


def rewrite_paths(paths: Iterable[str], transform: Transform, *, same: str,
                  write: bool) -> list[Rewrite]:
    """Rewrite every model file named or found under the folders named (see ``check``)."""
    from .checking import expand_paths

    files, missing = expand_paths(paths)
    return [rewrite_file(f, transform, same=same, write=write) for f in [*files, *missing]]
