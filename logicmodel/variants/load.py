"""Reading variants: the ``variants:`` of a model, and overlay files that extend a base file.

Inline variants are entries of a model's ``variants:`` list::

    variants:
      - id: darlington
        label: Darlington pilot
        change: {nodes: [{id: in_budget, label: "Budgets of up to £10,000"}]}
        add: {nodes: [...], links: [...]}
        remove: {links: [L19]}

An overlay file is a variant of its own: ``extends:`` names the base file
(relative to the overlay, inside the project), ``variant:`` gives its id and
label (the id defaults to the file's name), and ``change``/``add``/``remove``
are as above. The base may itself be an overlay; cycles are refused. The
project is the nearest folder above the overlay holding ``.git``, a
``logicmodel.toml`` or a ``pyproject.toml`` (else the overlay's own folder):
``extends`` may not leave it, be absolute, or name a device, a FIFO or a folder.

Each variant merges into an ordinary model (:mod:`.merge`), which is then
validated and checked like any other; every problem is located in the file and
line that wrote the part at fault, and its message names the variant.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, Severity
from ..errors import UsageError
from ..rules.registry import rule, stamp
from ..schema import ID_PATTERN
from .merge import FIELDS, SECTIONS, SUMMARISES_PARTS, BaseIndex, Src, apply_patch

if TYPE_CHECKING:
    from ..loader import Document

__all__ = ["PATCH_PARTS", "VariantError", "VariantSpec", "load_overlay", "read_variants",
           "variant_document"]

import re

_ID = re.compile(ID_PATTERN)
PATCH_PARTS = ("remove", "change", "add")
VARIANT_KEYS = ("id", "label", "description", *PATCH_PARTS)
OVERLAY_KEYS = ("$schema", "logicmodel", "extends", "variant", *PATCH_PARTS)
PROJECT_MARKERS = (".git", "logicmodel.toml", "pyproject.toml")
MAX_CHAIN = 16


@dataclass
class VariantSpec:
    """One variant as written: its id, label, patch and where it is written."""

    id: str
    label: str | None
    description: str | None
    patch: dict[str, Any]
    src: Src
    file: str


@dataclass
class _Reader:
    file: str
    problems: list[Diagnostic] = field(default_factory=list)

    def error(self, code: str, message: str, src: Src, hint: str | None = None,
              at_key: bool = False) -> None:
        self.problems.append(stamp(code, message, src.file, src.locate((), at_key=at_key),
                                   (), hint))


def _did_you_mean(word: str, options: tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f"did you mean `{close[0]}`?" if close else None


def _check_patch(r: _Reader, data: dict[str, Any], src: Src) -> dict[str, Any]:
    """The ``remove``/``change``/``add`` parts of a variant, checked for shape."""
    patch: dict[str, Any] = {}
    for part in PATCH_PARTS:
        if part not in data or data[part] is None:
            continue
        value, where = data[part], src.child(part)
        if not isinstance(value, dict):
            r.error("LM020", f"`{part}` must be a mapping of sections, such as "
                    f"`{part}: {{nodes: [...]}}`", where)
            continue
        allowed = (*SECTIONS, *FIELDS, "summarises") if part == "change" else SECTIONS
        good: dict[str, Any] = {}
        for key, items in value.items():
            at = where.child(key)
            if key not in allowed:
                r.error("LM022", f"{part}: unknown section `{key}`", at,
                        _did_you_mean(str(key), allowed) or "sections: " + ", ".join(allowed),
                        at_key=True)
                continue
            if key in FIELDS:
                good[key] = items
                continue
            if key == "summarises":
                kept = _check_summarises(r, items, at)
                if kept is not None:
                    good[key] = kept
                continue
            if not isinstance(items, list):
                r.error("LM020", f"{part}.{key} must be a list", at,
                        "write one `- ...` entry per line")
                continue
            if part == "remove":
                ok = [i for i in items if isinstance(i, str)]
                for k, item in enumerate(items):
                    if not isinstance(item, str):
                        r.error("LM020", f"remove.{key}[{k}] must be an id", at.child(k),
                                "list the ids to remove, e.g. `remove: {links: [L19]}`")
                if len(ok) == len(items):
                    good[key] = items
                continue
            if all(isinstance(i, dict) for i in items):
                good[key] = items
            else:
                r.error("LM020", f"{part}.{key} must be a list of mappings", at,
                        "each entry is written like an element of the model")
        patch[part] = good
    return patch


def _check_summarises(r: _Reader, value: object, where: Src) -> dict[str, Any] | None:
    """A variant's ``change: {summarises: ...}``: its ``map`` and ``shared``, not ``model``."""
    if not isinstance(value, dict):
        r.error("LM020", "change.summarises must be a mapping", where,
                "write the boxes whose mapping differs, e.g. "
                "`summarises: {map: {box: [full_id, ...]}}`")
        return None
    kept: dict[str, Any] = {}
    for key, part in value.items():
        at = where.child(key)
        if key == "model":
            r.error("LM047", "a variant cannot change `summarises.model`", at,
                    "a variant maps onto the full version its base names (or onto that "
                    "version's variant of the same name)", at_key=True)
        elif key not in SUMMARISES_PARTS:
            r.error("LM022", f"change.summarises: unknown field `{key}`", at,
                    _did_you_mean(str(key), SUMMARISES_PARTS)
                    or "a variant may change `map` and `shared`", at_key=True)
        elif key == "map" and not isinstance(part, dict):
            r.error("LM020", "change.summarises.map must be a mapping of short boxes to "
                    "full ones", at, "e.g. `map: {spending: [act_identify, act_purchase]}`")
        elif key == "shared" and not (isinstance(part, list)
                                      and all(isinstance(i, str) for i in part)):
            r.error("LM020", "change.summarises.shared must be a list of ids", at,
                    "e.g. `shared: [act_joint_plan]`")
        elif key == "variant" and not isinstance(part, str):
            r.error("LM020", "change.summarises.variant must be the id of a variant of the "
                    "full version", at, "e.g. `variant: darlington` (`base`: the full version "
                    "without its variants)")
        else:
            kept[key] = part
    return kept


def read_variants(doc: Document, value: object) -> list[VariantSpec]:
    """The inline ``variants:`` of a model, checked for shape; problems go to ``doc``."""
    assert doc.tree is not None
    r = _Reader(doc.file)
    src = Src(doc.file, doc.tree.root, ("variants",))
    specs: list[VariantSpec] = []
    if not isinstance(value, list):
        r.error("LM020", "`variants` must be a list of variants, each with an `id`", src)
        doc.diagnostics.extend(r.problems)
        return specs
    seen: dict[str, int] = {}
    for i, entry in enumerate(value):
        where = src.child(i)
        if not isinstance(entry, dict):
            r.error("LM020", f"variants[{i}] must be a mapping with an `id`", where)
            continue
        for key in entry:
            if key not in VARIANT_KEYS:
                r.error("LM022", f"variants[{i}]: unknown field `{key}`", where.child(key),
                        _did_you_mean(str(key), VARIANT_KEYS)
                        or "allowed fields: " + ", ".join(VARIANT_KEYS), at_key=True)
        ident = entry.get("id")
        if not isinstance(ident, str) or not _ID.match(ident):
            r.error("LM021" if ident is None else "LM023",
                    f"variants[{i}]: " + ("missing required field `id`" if ident is None
                                          else "not a valid id"), where.child("id"),
                    "an id starts with a letter and has only letters, digits, _ and -")
            continue
        if ident == "base" or ident in seen:
            r.error("LM042", f"two variants are named `{ident}`" if ident != "base" else
                    "`base` names the model without variants; give the variant another id",
                    where.child("id"), f"the first is variants[{seen[ident]}]"
                    if ident in seen else None)
            continue
        seen[ident] = i
        label, description = entry.get("label"), entry.get("description")
        specs.append(VariantSpec(ident, label if isinstance(label, str) else None,
                                 description if isinstance(description, str) else None,
                                 _check_patch(r, entry, where), where, doc.file))
    doc.diagnostics.extend(r.problems)
    return specs


class VariantError(UsageError):
    """``--variant NAME`` names no variant of the model (LM046, a usage error)."""

    def __init__(self, message: str, hint: str | None) -> None:
        super().__init__("LM046", message, hint)


def variant_document(doc: Document, name: str) -> Document:
    """The model ``doc`` with its variant ``name`` merged in, as a document of its own.

    Raises:
        VariantError: the model has no variant ``name`` (LM046).
    """
    spec = next((v for v in doc.variants if v.id == name), None)
    if spec is None:
        have = ", ".join(v.id for v in doc.variants) or "none"
        raise VariantError(f"{doc.file} has no variant `{name}` (it has: {have})",
                           _did_you_mean(name, tuple(v.id for v in doc.variants)))
    assert doc.tree is not None
    assert isinstance(doc.tree.data, dict)
    data = {k: v for k, v in doc.tree.data.items() if k != "variants"}
    base_src = doc.origin if doc.origin is not None else Src(doc.file, doc.tree.root, ())
    return _merged(doc, data, base_src, spec, doc.file)


def _merged(base: Document, data: dict[str, Any], base_src: Src, spec: VariantSpec,
            file: str) -> Document:
    from ..loader import Document, validate_data
    from ..yamlread import YamlTree

    index = base.merge_index
    if index is None:
        index = base.merge_index = BaseIndex()
    merged, src, problems = apply_patch(data, base_src, spec.patch, spec.src, spec.id, index)
    out = Document(file, YamlTree(merged, None), origin=src, base=base, variant=spec.id)
    if problems:
        out.diagnostics = [stamp(p.code, p.message, p.src.file, p.src.locate(()), (), p.hint)
                           for p in problems]
        return out
    prepared, shared = _reusing_the_base(base, data, merged, index)
    validate_data(out, merged, prepared, index.format1)
    if out.model is not None:
        out.model.__dict__.update(shared)  # (frozen: the base's lists, put in place)
    if out.model is not None and out.model.summarises is not None \
            and base.full_read is not None and base.full is not None:
        from ..versions.load import full_for_variant

        out.full_read = base.full_read
        out.full = full_for_variant(base, out, spec)
    return out


def _reusing_the_base(base: Document, data: dict[str, Any], merged: dict[str, Any],
                      index: BaseIndex) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """``merged`` with every element the variant left alone replaced by the base's own,
    already validated (elements are frozen, so the two models can share them); and the
    sections the variant leaves alone, which the variant's model takes from the base's.

    Validating a variant then costs what it changes, not the size of the model: an
    element the patch did not touch is the very object the base was validated from,
    and a section it did not touch is validated as its first element only, then is the
    base's own list (which tells a check at a glance that the section is the base's, so
    that what was worked out from it, such as its ids or its graph, is not worked out
    again).
    """
    model = base.model
    shared: dict[str, list[Any]] = {}
    if model is None:
        return merged, shared
    out = dict(merged)
    for section in SECTIONS:
        items, before = merged.get(section), data.get(section)
        done = getattr(model, section, None)
        if not (isinstance(items, list) and isinstance(before, list)
                and isinstance(done, list) and len(done) == len(before)):
            continue
        if items is before:
            out[section] = done[:1]  # (a model has at least one node)
            shared[section] = done
            continue
        at = index.positions_of(section, before)
        out[section] = [done[at[id(el)]] if id(el) in at else el for el in items]
    return out, shared


# --- overlay files -----------------------------------------------------------------------

def project_root(start: FsPath) -> FsPath:
    """The nearest folder at or above ``start`` with .git, logicmodel.toml or pyproject.toml."""
    for folder in (start, *start.parents):
        if any((folder / m).exists() for m in PROJECT_MARKERS):
            return folder
    return start


def load_overlay(doc: Document, path: str | None, max_size: int,
                 chain: tuple[FsPath, ...] = ()) -> Document:
    """An overlay file read: its base loaded (confined to the project), then merged."""
    from ..loader import read_bytes

    assert doc.tree is not None
    assert isinstance(doc.tree.data, dict)
    data: dict[str, Any] = doc.tree.data
    r = _Reader(doc.file)
    top = Src(doc.file, doc.tree.root, ())
    for key in data:
        if key not in OVERLAY_KEYS:
            r.error("LM022", f"an overlay: unknown field `{key}`", top.child(key),
                    _did_you_mean(str(key), OVERLAY_KEYS) or
                    "an overlay holds `extends`, `variant` and `change`, `add`, `remove`; "
                    "write new elements under `add:`", at_key=True)
    here = FsPath(path).resolve() if path is not None else None
    folder = here.parent if here is not None else FsPath.cwd().resolve()
    extends = data.get("extends")
    where = top.child("extends")
    base_file: FsPath | None = None
    if not isinstance(extends, str) or not extends.strip():
        r.error("LM044", "`extends` must name the base model file, relative to this file",
                where, "for example `extends: ../devolved_budgets.yaml`")
    elif os.path.isabs(extends) or extends.startswith("~"):
        r.error("LM044", f"`extends: {extends}` is an absolute path", where,
                "name the base relative to this file, inside the project")
    else:
        root = project_root(folder)
        candidate = (folder / extends).resolve()
        if not candidate.is_relative_to(root):
            r.error("LM044", f"`extends: {extends}` leads out of the project ({root.name}/)",
                    where, "a base must be inside the project that holds this overlay")
        elif candidate in chain or candidate == here:
            names = " -> ".join(p.name for p in (*chain, *( (here,) if here else ()), candidate))
            r.error("LM045", f"`extends` goes round in a cycle: {names}", where,
                    "a base cannot extend, directly or not, the overlay that extends it")
        elif len(chain) >= MAX_CHAIN:
            r.error("LM045", f"`extends` chains more than {MAX_CHAIN} files", where,
                    "merge some of the overlays")
        else:
            base_file = candidate
    spec_value = data.get("variant")
    ident = FsPath(path).stem if path is not None else "overlay"
    label = description = None
    if isinstance(spec_value, dict):
        for key in spec_value:
            if key not in ("id", "label", "description"):
                r.error("LM022", f"variant: unknown field `{key}`", top.child("variant")
                        .child(key), _did_you_mean(str(key), ("id", "label", "description")),
                        at_key=True)
        if isinstance(spec_value.get("id"), str):
            ident = spec_value["id"]
        label, description = spec_value.get("label"), spec_value.get("description")
    elif spec_value is not None:
        r.error("LM020", "`variant` must be a mapping: `{id: ..., label: ...}`",
                top.child("variant"))
    if not _ID.match(ident):
        r.error("LM023", f"`{ident}` is not a valid variant id", top.child("variant"),
                "give `variant: {id: ...}` a letter, then letters, digits, _ or -")
    patch = _check_patch(r, data, top)
    if base_file is None:
        doc.diagnostics.extend(r.problems)
        return doc
    try:
        raw = read_bytes(base_file, max_size)
    except OSError as exc:
        reason = exc.strerror or (exc.args[0] if exc.args else type(exc).__name__)
        r.error("LM044", f"cannot read the base `{extends}`: {str(reason).lower()}", where,
                "check the path: it is relative to this file")
    if r.problems:
        doc.diagnostics.extend(r.problems)
        return doc
    from ..loader import display_path, parse_document

    base = parse_document(raw, display_path(base_file), max_size=max_size,
                          path=str(base_file), chain=(*chain, *((here,) if here else ())))
    if base.model is None or base.tree is None or not isinstance(base.tree.data, dict):
        doc.diagnostics.extend(base.diagnostics)
        doc.diagnostics.append(stamp("LM044", f"the base `{extends}` has errors, so this "
                                     "overlay cannot be merged", doc.file, where.locate(()),
                                     (), "fix the base first"))
        return doc
    base_data = {k: v for k, v in base.tree.data.items() if k != "variants"}
    base_src = base.origin if base.origin is not None else Src(base.file, base.tree.root, ())
    spec = VariantSpec(ident, label if isinstance(label, str) else None,
                       description if isinstance(description, str) else None, patch, top,
                       doc.file)
    merged = _merged(base, base_data, base_src, spec, doc.file)
    merged.overlay = spec
    return merged


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

E = Severity.ERROR


@rule("LM044", "bad-extends", E)
def bad_extends() -> None:
    """An overlay's `extends` cannot be followed.

    ## What it does
    An overlay file names its base with `extends:`, relative to the overlay.
    Refused, at the `extends:` line: a missing value, an absolute path (or one
    starting with `~`), a path that leads out of the project (the nearest
    folder above the overlay holding `.git`, a `logicmodel.toml` or a
    `pyproject.toml`, symbolic links followed), a base that cannot be read or
    is not a regular file (a folder, a device, a FIFO), and a base that has
    errors of its own (reported in the base too).

    ## Why is this bad?
    A model's meaning must not depend on files outside the project, and
    checking a model must never read a device or hang on a pipe.

    ## Example
    ```yaml
    logicmodel: 1
    extends: ../devolved_budgets.yaml     # passes: inside the project
    # extends: /etc/passwd                # LM044: an absolute path
    # extends: ../../../elsewhere.yaml    # LM044: leads out of the project
    ```
    """


@rule("LM045", "extends-cycle", E)
def extends_cycle() -> None:
    """Overlays extend each other in a cycle, or in a chain too long to follow.

    ## What it does
    A base may itself be an overlay, up to 16 files deep. A file that extends,
    directly or through others, the overlay that extends it is reported at
    its `extends:` line, with the cycle.

    ## Why is this bad?
    There would be no base to start from.

    ## Example
    `a.yaml` with `extends: b.yaml` and `b.yaml` with `extends: a.yaml`:
    LM045, "`extends` goes round in a cycle: a.yaml -> b.yaml -> a.yaml".
    """


@rule("LM046", "unknown-variant", E)
def unknown_variant() -> None:
    """`--variant NAME` names no variant of the model.

    ## What it does
    Every command that reads a model takes `--variant NAME`, a variant under the
    model's `variants:` (`logicmodel variants MODEL` lists them; `base` is the
    model without variants). Another name is a usage error: exit status 2, with
    the names the model has and a "did you mean".

    ## Why is this bad?
    A misspelt variant would otherwise draw, analyse or export the wrong model.

    ## Example
    ```text
    logicmodel: LM046 models/devolved_budgets.yaml has no variant `darlinton` (it has: ...)
        hint: did you mean `darlington`?
    ```
    """
