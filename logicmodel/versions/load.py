"""Reading the full version a short version names, confined to the project like an overlay's base.

``summarises.model`` is relative to the short version's file. It may not be
absolute, lead out of the project (the nearest folder above the short version
holding ``.git``, a ``logicmodel.toml`` or a ``pyproject.toml``; symbolic links
are followed before deciding), name a folder, a device or a FIFO, or go round
in a cycle (a full version that is itself a short version of the file that
names it). Each is refused at the ``model:`` line (LM047), and so is a full
version that cannot be read as a model.
"""

from __future__ import annotations

import os
from pathlib import Path as FsPath
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Severity
from ..errors import UsageError
from ..rules.registry import rule, stamp
from ..variants.load import MAX_CHAIN, project_root

if TYPE_CHECKING:
    from ..loader import Document
    from ..variants.load import VariantSpec

__all__ = ["NotAShortVersion", "asked_variant", "counterpart", "full_for_variant", "full_path",
           "load_full", "short_version"]

_WHERE = ("summarises", "model")


def full_path(ref: str, path: str | None, chain: tuple[FsPath, ...] = ()
              ) -> tuple[FsPath | None, str | None, str | None]:
    """Where ``ref`` (a ``summarises.model``) leads from the file at ``path``.

    Returns the resolved file, or None with why not and a hint.
    """
    here = FsPath(path).resolve() if path is not None else None
    folder = here.parent if here is not None else FsPath.cwd().resolve()
    if os.path.isabs(ref) or ref.startswith("~"):
        return None, f"`model: {ref}` is an absolute path", \
            "name the full version relative to this file, inside the project"
    root = project_root(folder)
    candidate = (folder / ref).resolve()
    if not candidate.is_relative_to(root):
        return None, f"`model: {ref}` leads out of the project ({root.name}/)", \
            "the full version must be inside the project that holds this file"
    if candidate == here or candidate in chain:
        names = " -> ".join(p.name for p in (*chain, *((here,) if here else ()), candidate))
        return None, f"`summarises` goes round in a cycle: {names}", \
            "a full version cannot itself summarise, directly or not, its short version"
    if len(chain) >= MAX_CHAIN:
        return None, f"`summarises` and `extends` chain more than {MAX_CHAIN} files", \
            "shorten the chain of versions"
    return candidate, None, None


def load_full(doc: Document, path: str | None, max_size: int,
              chain: tuple[FsPath, ...] = ()) -> None:
    """Read the full version ``doc`` summarises into ``doc.full``, or say why not (LM047).

    Within one run (:func:`logicmodel.runcache.one_run`), a full version already
    read, for itself or for another short version, is not read again.
    """
    from .. import runcache
    from ..loader import display_path, parse_document, read_bytes

    assert doc.model is not None
    assert doc.model.summarises is not None
    ref = doc.model.summarises.model
    span = doc.locate(_WHERE)

    def refuse(message: str, hint: str | None) -> None:
        doc.diagnostics.append(stamp("LM047", message, doc.file, span, _WHERE, hint))

    target, why, hint = full_path(ref, path, chain)
    if target is None:
        refuse(why or "", hint)
        return
    shown = display_path(target)
    full = runcache.lookup(target, shown, max_size)
    if full is None:
        try:
            raw = read_bytes(target, max_size)
        except OSError as exc:
            reason = exc.strerror or (exc.args[0] if exc.args else type(exc).__name__)
            refuse(f"cannot read the full version `{ref}`: {str(reason).lower()}",
                   "check the path: it is relative to this file")
            return
        here = FsPath(path).resolve() if path is not None else None
        full = parse_document(raw, shown, max_size=max_size, path=str(target),
                              chain=(*chain, *((here,) if here else ())))
        runcache.store(target, shown, max_size, full)
    errors = [d for d in full.diagnostics if d.severity is Severity.ERROR]
    if full.model is None or errors:
        first = errors[0] if errors else None
        refuse(f"the full version `{ref}` has errors, so the mapping cannot be checked",
               f"first: {first.location()}: {first.code} {first.message}" if first
               else "check the full version first")
        return
    doc.full_read = full
    name = doc.model.summarises.variant
    if name is None or name == "base":
        doc.full = full
        return
    where = ("summarises", "variant")
    if not _has_variant(full, name):
        doc.diagnostics.append(stamp("LM127", _unknown_message(full, name), doc.file,
                                     doc.locate(where), where, _unknown_hint(full, name)))
        return
    chosen, first = _variant_of(full, name)
    if chosen is None:
        refuse(f"the full version's variant `{name}` has errors, so the mapping cannot be "
               "checked", f"first: {first.location()}: {first.code} {first.message}"
               if first is not None else "check the full version first")
        return
    doc.full = chosen


def _has_variant(full: Document, name: str) -> bool:
    return any(v.id == name for v in full.variants)


def _unknown_message(full: Document, name: str) -> str:
    return f"the full version ({full.file}) has no variant `{name}`"


def _unknown_hint(full: Document, name: str) -> str:
    import difflib

    have = [v.id for v in full.variants]
    close = difflib.get_close_matches(name, have, n=1)
    if close:
        return f"did you mean `{close[0]}`?"
    if have:
        return "its variants: " + ", ".join(f"`{v}`" for v in have) + \
            " (`base`: the full version without its variants)"
    return "the full version has no variants: leave `variant` out, or write `base`"


def _variant_of(full: Document, name: str) -> tuple[Document | None, Diagnostic | None]:
    """The full version's variant ``name`` merged, or None with its first error."""
    from ..variants.load import variant_document

    merged = variant_document(full, name)
    errors = [d for d in merged.diagnostics if d.severity is Severity.ERROR]
    if merged.model is None or errors:
        return None, errors[0] if errors else None
    return merged, None


def asked_variant(spec: VariantSpec) -> str | None:
    """The full version's variant a short version's variant names in
    ``change: {summarises: {variant: ...}}`` (None: it names none)."""
    change = spec.patch.get("change") or {}
    summarises = change.get("summarises") if isinstance(change, dict) else None
    asked = summarises.get("variant") if isinstance(summarises, dict) else None
    return asked if isinstance(asked, str) else None


def counterpart(full: Document, base_full: Document, spec: VariantSpec) -> str | None:
    """The id of the full version's variant that a short version's variant ``spec`` maps
    onto (None: the full version without variants).

    The one it names, else the full version's variant of its own name, else what its
    base maps onto (``base_full``).
    """
    asked = asked_variant(spec)
    if asked is not None:
        return None if asked == "base" else asked
    if _has_variant(full, spec.id):
        return spec.id
    return base_full.variant if base_full is not full else None


def full_for_variant(base: Document, out: Document, spec: VariantSpec) -> Document | None:
    """What the variant ``spec`` of the short version ``base`` maps onto (see
    :func:`counterpart`), a full variant it names but the full version lacks being LM127
    at the variant's ``variant:``; ``out`` is the merged variant, which gets the problem.

    None: no full version to map onto (that variant has errors, reported when the full
    version is checked, or the name is unknown).
    """
    full, base_full = base.full_read, base.full
    assert full is not None
    assert base_full is not None
    name = counterpart(full, base_full, spec)
    if name is None:
        return full
    if not _has_variant(full, name):
        where = spec.src.child("change").child("summarises").child("variant")
        out.diagnostics.append(stamp(
            "LM127", f"variant `{spec.id}`: " + _unknown_message(full, name), where.file,
            where.locate(()), (), _unknown_hint(full, name)))
        return None
    if name == base_full.variant:
        return base_full
    return _variant_of(full, name)[0]


class NotAShortVersion(UsageError):
    """A command asked for two versions of a model that summarises nothing (LM126)."""

    def __init__(self, file: str) -> None:
        super().__init__("LM126", f"{file} is not a short version: it has no `summarises:`",
                         "run it on the short version, the model whose `summarises:` names "
                         "the full one")


def short_version(doc: Document | None) -> Document:
    """``doc`` if it is a short version whose full version was read.

    Raises:
        NotAShortVersion: ``doc`` has no ``summarises:`` (LM126).
    """
    if doc is None or doc.full is None:
        raise NotAShortVersion(doc.file if doc is not None else "the model")
    return doc


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------


@rule("LM047", "bad-summarises", Severity.ERROR)
def bad_summarises() -> None:
    """A short version's `summarises.model` cannot be followed.

    ## What it does
    A short (funder's, summary) version names its full version with
    `summarises: {model: FILE}`, relative to the short version. Refused, at the
    `model:` line: an absolute path (or one starting with `~`), a path that
    leads out of the project (the nearest folder above the short version
    holding `.git`, a `logicmodel.toml` or a `pyproject.toml`, symbolic links
    followed), a file that cannot be read or is not a regular file (a folder, a
    device, a FIFO), a cycle (a full version that summarises, directly or not,
    the short version), and a full version with errors of its own. A variant of
    a short version may change its mapping but not `summarises.model` (it maps
    onto the full version its base names): that too is LM047, at the variant's
    `model:`.

    ## Why is this bad?
    The mapping cannot be checked without the full version, a model's meaning
    must not depend on files outside the project, and checking a model must
    never read a device or hang on a pipe.

    ## Example
    ```yaml
    summarises:
      model: devolved_budgets.yaml        # passes: beside this file
      # model: /etc/passwd                # LM047: an absolute path
      # model: ../../elsewhere.yaml       # LM047: leads out of the project
      map: {budgets: [in_budget]}
    ```
    """


@rule("LM127", "unknown-full-variant", Severity.ERROR)
def unknown_full_variant() -> None:
    """A short version names a variant of the full version that the full version lacks.

    ## What it does
    `summarises: {variant: NAME}` says which variant of the full version a short
    version summarises, and a variant of the short version may name its own
    with `change: {summarises: {variant: NAME}}` (left out, it maps onto the
    full version's variant of its own name when there is one, else onto what
    its base summarises; `base` is the full version without its variants). A
    name the full version has no variant of is reported where it is written,
    with "did you mean".

    ## Why is this bad?
    The short version's mapping would be checked against the wrong theory (the
    full version's base), and a figure or table of the pilot would show boxes
    the pilot does not have.

    ## Example
    ```yaml
    variants:
      - id: darlington_funder
        change:
          summarises: {variant: darlingtn}   # LM127: did you mean `darlington`?
    ```
    """


@rule("LM126", "not-a-short-version", Severity.ERROR)
def not_a_short_version() -> None:
    """`export --to versions` or `render --versions` on a model that summarises nothing.

    ## What it does
    The table and the figure of two versions are drawn from the short version,
    the model whose `summarises:` names the full one. Run on any other model,
    the command is refused before any work: exit status 2, nothing written.

    ## Why is this bad?
    There is no mapping to show: the command was probably given the full
    version instead of the short one.

    ## Example
    ```text
    $ logicmodel export models/devolved_budgets.yaml --to versions
    logicmodel: LM126 models/devolved_budgets.yaml is not a short version: it has no `summarises:`
    ```
    """
