"""Merging a variant into its base: plain data in, plain data out, and where each part was written.

A variant is a patch on a base model, in three parts applied in this order:

1. ``remove``: section -> ids; the elements go (a link by id, or ``from->to``);
2. ``change``: section -> entries with an ``id``; each field given replaces the
   base element's (mappings merge key by key, lists of entries with ids, such as
   a node's ``indicators``, merge by id, other lists and values are replaced);
   top-level fields (``title``, ``description``) are replaced;
3. ``add``: section -> whole new elements, appended to their section.

The result is ordinary model data, validated and checked like any model. A
:class:`Src` tree says, for every part of the result, in which file and at
which path it was written, so a problem in the merged model is reported at the
line of the base or of the override that wrote it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import Node

from ..diagnostics import Path, Severity, Span
from ..rules.registry import rule
from ..schema.versions import Memo
from ..yamlread import locate

__all__ = ["MEMBER_SECTIONS", "SECTIONS", "SUMMARISES_PARTS", "BaseIndex", "MergeProblem",
           "Src", "apply_patch", "element_key"]

# The sections of a model whose entries a variant can remove, change or add.
SECTIONS = ("nodes", "links", "assumptions", "moderators", "pathways", "references", "views",
            "groups")
# The sections whose entries belong to groups (by their `groups:`).
MEMBER_SECTIONS = ("nodes", "links", "assumptions", "moderators", "pathways")
# Top-level fields a variant may change.
FIELDS = ("title", "description")
# In a short version, the parts of `summarises:` a variant may change (its `model` is the
# base's: a variant maps onto the full version its base names, or onto a variant of it).
SUMMARISES_PARTS = ("map", "shared", "variant")


@dataclass
class Src:
    """Where a part of merged data was written: a file, its YAML tree, a path in it."""

    file: str
    root: Node | None
    path: Path
    children: dict[str | int, Src] = field(default_factory=dict)
    shifted: tuple[Src, list[int]] | None = None
    """For a list some of whose entries were removed: the base list's source, and the
    base position of each entry (the entries not in ``children``)."""

    def child(self, part: str | int) -> Src:
        """The source of one part below this one."""
        found = self.children.get(part)
        if found is not None:
            return found
        if self.shifted is not None and isinstance(part, int):
            base, origin = self.shifted
            if 0 <= part < len(origin):
                return base.child(origin[part])
        return Src(self.file, self.root, (*self.path, part))

    def copy(self) -> Src:
        return Src(self.file, self.root, self.path, dict(self.children), self.shifted)

    def resolve(self, path: Path) -> Src:
        """The source of the part at ``path`` of the merged data."""
        cur = self
        for part in path:
            cur = cur.child(part)
        return cur

    def locate(self, path: Path, *, at_key: bool = False) -> Span:
        src = self.resolve(path)
        return locate(src.root, src.path, at_key=at_key)


@dataclass(frozen=True)
class MergeProblem:
    """A patch that cannot be applied, located in the file that wrote it."""

    code: str
    message: str
    src: Src
    hint: str | None = None


class BaseIndex:
    """What merging asks of one base, worked out once for all its variants.

    Each entry keeps the list or element it was worked out from, and serves only
    that very object: the ids of a section's entries, what an entry refers to,
    where each entry sits and its format-1 problems. (A plain class: a dataclass
    costs time to create when `logicmodel check` starts.)
    """

    __slots__ = ("format1", "key_lists", "keys", "positions", "refs", "removals", "users")

    def __init__(self) -> None:
        self.removals = 0  # variants that removed something, so far
        self.users: tuple[tuple[object, ...], dict[tuple[str, str], list[_Use]]] | None = None
        self.keys: dict[str, tuple[object, dict[str, int]]] = {}
        self.refs: dict[tuple[int, bool], tuple[object, list[tuple[str, str, str]]]] = {}
        self.positions: dict[str, tuple[object, dict[int, int]]] = {}
        self.format1: Memo = {}
        self.key_lists: dict[str, tuple[object, list[str | None]]] = {}

    def key_list(self, section: str, items: list[Any]) -> list[str | None]:
        """The key of each of the entries of one of the base's sections."""
        known = self.key_lists.get(section)
        if known is not None and known[0] is items:
            return known[1]
        keys = [element_key(section, el) for el in items]
        self.key_lists[section] = (items, keys)
        return keys

    def positions_of(self, section: str, items: list[Any]) -> dict[int, int]:
        """``id(entry)`` -> position, for the entries of one of the base's sections."""
        known = self.positions.get(section)
        if known is not None and known[0] is items:
            return known[1]
        at = {id(el): i for i, el in enumerate(items)}
        self.positions[section] = (items, at)
        return at


def element_key(section: str, element: object) -> str | None:
    """How an entry is matched: its id, or ``from->to`` for a link without one."""
    if not isinstance(element, dict):
        return None
    if element.get("id") is not None:
        return str(element["id"])
    if section == "links" and "from" in element and "to" in element:
        return f"{element['from']}->{element['to']}"
    return None


def _merge(base: Any, base_src: Src, patch: Any, patch_src: Src) -> tuple[Any, Src]:
    """``patch`` laid over ``base``: mappings key by key, lists of entries by id, else replaced."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        src = base_src.copy()
        for key, value in patch.items():
            if key == "id":
                continue
            if key in base:
                out[key], src.children[key] = _merge(base[key], base_src.child(key), value,
                                                     patch_src.child(key))
            else:
                out[key], src.children[key] = value, patch_src.child(key)
        return out, src
    if _entries(base) and _entries(patch):
        out_list = list(base)
        src = base_src.copy()
        where = {item["id"]: i for i, item in enumerate(base)}
        for k, item in enumerate(patch):
            i = where.get(item["id"])
            if i is None:
                src.children[len(out_list)] = patch_src.child(k)
                out_list.append(item)
            else:
                out_list[i], src.children[i] = _merge(base[i], base_src.child(i), item,
                                                      patch_src.child(k))
        return out_list, src
    return patch, patch_src


def _entries(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(
        isinstance(v, dict) and isinstance(v.get("id"), str) for v in value)


def _suggest(word: str, options: list[str]) -> str | None:
    close = difflib.get_close_matches(word, options, n=1)
    return f"did you mean `{close[0]}`?" if close else None


_SINGULAR = {"nodes": "node", "links": "link", "assumptions": "assumption",
             "moderators": "moderator", "pathways": "pathway", "references": "reference",
             "views": "view", "groups": "group"}


def apply_patch(data: dict[str, Any], src: Src, patch: dict[str, Any], patch_src: Src,
                name: str, index: BaseIndex | None = None
                ) -> tuple[dict[str, Any], Src, list[MergeProblem]]:
    """The base ``data`` with variant ``name``'s ``remove``, ``change`` and ``add`` applied.

    ``patch`` holds the three parts (already checked for shape); ``patch_src`` is
    where the variant is written; ``index``, shared by the variants of one base,
    saves working out again what they all ask of it. Returns the merged data, its
    sources and the problems (an unknown id, an id added twice, a removal
    something still needs).
    """
    problems: list[MergeProblem] = []
    out = dict(data)
    out_src = src.copy()
    removed: dict[str, set[str]] = {}
    changes: dict[str, dict[int, tuple[Any, Src]]] = {}
    remove = patch.get("remove") or {}
    change = patch.get("change") or {}
    add = patch.get("add") or {}

    cache: dict[str, dict[str, int]] = {}

    def keys_of(section: str) -> dict[str, int]:
        if section in cache:
            return cache[section]
        items = data.get(section) or []
        known = index.keys.get(section) if index is not None else None
        if known is not None and known[0] is items:
            cache[section] = known[1]
            return known[1]
        found: dict[str, int] = {}
        for i, el in enumerate(items if isinstance(items, list) else []):
            key = element_key(section, el)
            if key is not None:
                found.setdefault(key, i)
        cache[section] = found
        if index is not None:
            index.keys[section] = (items, found)
        return found

    for section, ids in remove.items():
        known = keys_of(section)
        for k, ident in enumerate(ids):
            where = patch_src.child("remove").child(section).child(k)
            if ident not in known:
                problems.append(MergeProblem(
                    "LM041", f"variant `{name}` removes `{ident}`, which is not a "
                    f"{_SINGULAR[section]} of the base", where, _suggest(ident, list(known))))
            else:
                removed.setdefault(section, set()).add(ident)
    for key, value in change.items():
        if key == "summarises":
            where = patch_src.child("change").child(key)
            if not isinstance(data.get(key), dict):
                problems.append(MergeProblem(
                    "LM041", f"variant `{name}` changes `summarises`, but the base is not a "
                    "short version of another model", where,
                    "only a model with `summarises:` has a mapping to change"))
                continue
            out[key], out_src.children[key] = _merge(data[key], src.child(key), value, where)
            continue
        if key not in SECTIONS:
            out[key], out_src.children[key] = value, patch_src.child("change").child(key)
            continue
        known = keys_of(key)
        section_src = src.child(key)
        for k, entry in enumerate(value):
            where = patch_src.child("change").child(key).child(k)
            ident = element_key(key, entry)
            if ident is None or ident not in known:
                problems.append(MergeProblem(
                    "LM041", f"variant `{name}` changes `{ident}`, which is not a "
                    f"{_SINGULAR[key]} of the base", where.child("id"),
                    _suggest(str(ident), list(known)) or
                    f"add it under `add: {key}:` if it is new in this variant"))
                continue
            if ident in removed.get(key, set()):
                problems.append(MergeProblem(
                    "LM042", f"variant `{name}` both removes and changes `{ident}`",
                    where.child("id"), "keep one of the two"))
                continue
            i = known[ident]
            base_el = data[key][i]
            prev = changes.setdefault(key, {}).get(i)
            start, start_src = prev if prev else (base_el, section_src.child(i))
            changes[key][i] = _merge(start, start_src, entry, where)
    for section in SECTIONS:
        entries = add.get(section) or []
        if section not in removed and section not in changes and not entries:
            continue
        items = data.get(section) or []
        section_src = src.child(section)
        new_items: list[Any] = []
        new_src = Src(section_src.file, section_src.root, section_src.path)
        gone = removed.get(section, set())
        changed = changes.get(section, {})
        if not gone and isinstance(items, list):
            # nothing moves: the base's entries, its sources, the changed ones in place
            new_items = list(items)
            new_src.children.update(section_src.children)
            for i, (value, value_src) in changed.items():
                new_items[i], new_src.children[i] = value, value_src
        if gone or not isinstance(items, list):
            keys = (index.key_list(section, items) if index is not None and isinstance(
                items, list) else [element_key(section, el) for el in items])
            origin: list[int] = []  # the base position of each entry left
            for i, el in enumerate(items):
                if gone and keys[i] in gone:
                    continue
                hit = changed.get(i)
                if hit is not None:
                    el, new_src.children[len(new_items)] = hit
                origin.append(i)
                new_items.append(el)
            new_src.shifted = (section_src, origin)
        present: set[str | None] = set()
        if entries and changed:
            present = {element_key(section, el) for el in new_items}
        elif entries:
            present.update(k for k in keys_of(section) if k not in gone)
        for k, entry in enumerate(entries):
            where = patch_src.child("add").child(section).child(k)
            ident = element_key(section, entry)
            if ident is not None and ident in present:
                problems.append(MergeProblem(
                    "LM042", f"variant `{name}` adds `{ident}`, which the base already has",
                    where.child("id"), f"change it under `change: {section}:` instead"))
                continue
            present.add(ident)
            new_src.children[len(new_items)] = where
            new_items.append(entry)
        out[section] = new_items
        out_src.children[section] = new_src
    if removed:
        problems.extend(_still_needed(out, removed, patch_src, name, remove, index, data,
                                      changes))
    return out, out_src, problems


def _references(data: dict[str, Any], citations: bool = True, index: BaseIndex | None = None,
                sections: tuple[str, ...] | frozenset[str] = SECTIONS
                ) -> Iterator[tuple[str, str, str]]:
    """(section of the id, id, what refers to it) for every reference in the data.

    ``citations=False`` leaves out the ``refs`` of provenance and evidence. With
    ``index``, what an entry with an id refers to is worked out once per entry.
    ``sections`` limits the entries read to those of some sections.
    """
    summarises = data.get("summarises")
    mapped = summarises.get("map") if isinstance(summarises, dict) else None
    if isinstance(mapped, dict):
        for short_id in mapped:
            if isinstance(short_id, str):
                yield "nodes", short_id, "`summarises.map`"
    for section in SECTIONS:
        if section not in sections:
            continue
        for i, el in enumerate(data.get(section) or []):
            if not isinstance(el, dict):
                continue
            if index is None or not element_key(section, el):
                yield from _element_references(section, i, el, citations)
                continue
            known = index.refs.get((id(el), citations))
            if known is None or known[0] is not el:
                known = (el, list(_element_references(section, i, el, citations)))
                index.refs[(id(el), citations)] = known
            yield from known[1]


def _cited(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "refs" and isinstance(v, list):
                yield from (r for r in v if isinstance(r, str))
            else:
                yield from _cited(v)
    elif isinstance(value, list):
        for v in value:
            yield from _cited(v)


def _element_references(section: str, i: int, el: dict[str, Any], citations: bool
                        ) -> Iterator[tuple[str, str, str]]:
    """What one entry refers to (it is named by its id, else by its position ``i``)."""
    key = element_key(section, el)
    who = f"{_SINGULAR[section]} `{key}`" if key else f"{section}[{i}]"
    if section == "links":
        for end in ("from", "to"):
            if isinstance(el.get(end), str):
                yield "nodes", el[end], who
    if section == "pathways":
        for n in (*(el.get("nodes") or []), *(el.get("start") or []), *(el.get("end") or [])):
            if isinstance(n, str):
                yield "nodes", n, who
        for step in el.get("steps") or []:
            for n in step if isinstance(step, list) else []:
                if isinstance(n, str):
                    yield "nodes", n, who
        if isinstance(el.get("mechanism"), str):
            yield "nodes", el["mechanism"], who
        for lk in el.get("links") or []:
            if isinstance(lk, str):
                yield "links", lk, who
    if section == "views":
        for n in el.get("hide") or []:
            if isinstance(n, str):
                yield "nodes", n, who
        for p in el.get("pathways") or []:
            if isinstance(p, str):
                yield "pathways", p, who
    if section in MEMBER_SECTIONS or section == "views":
        for g in el.get("groups") or []:
            if isinstance(g, str):
                yield "groups", g, who
    for what in ("assumptions", "moderators"):
        for a in el.get(what) or []:
            if isinstance(a, str) and section in ("nodes", "links"):
                yield what, a, who
    if citations:
        for r in _cited(el):
            yield "references", r, who


def references_cited(patch: dict[str, Any]) -> set[str]:
    """The reference ids a variant's ``change`` and ``add`` cite."""
    out: set[str] = set()
    for part in ("change", "add"):
        data = {k: v for k, v in (patch.get(part) or {}).items() if k in SECTIONS}
        out |= {ident for section, ident, _ in _references(data) if section == "references"}
    return out


# The sections whose entries can name an id of each section (see _element_references).
_NAMED_BY = {"nodes": ("links", "pathways", "views"), "links": ("pathways",),
             "pathways": ("views",), "assumptions": ("nodes", "links"),
             "moderators": ("nodes", "links"), "groups": (*MEMBER_SECTIONS, "views"),
             "references": SECTIONS}
# (section's place in SECTIONS, entry's place in the base, place in the entry, who)
_Use = tuple[int, int, int, str]
# From this many variants that remove something, their base's users are worked out once.
_USERS_FROM = 3


def _still_needed(data: dict[str, Any], removed: dict[str, set[str]], patch_src: Src,
                  name: str, remove: dict[str, list[str]], index: BaseIndex | None = None,
                  base: dict[str, Any] | None = None,
                  changes: dict[str, dict[int, tuple[Any, Src]]] | None = None
                  ) -> list[MergeProblem]:
    """LM043 for each removed id something left in the merged ``data`` still names.

    With the ``base`` data and its ``index``, who names each id in the base is
    worked out once for its variants from the third that removes something on
    (for fewer, reading each merged variant costs less): a variant then reads
    what its own entries name, and the base's users of the ids it removes.
    """
    citations = "references" in removed
    if index is not None:
        index.removals += 1
    if index is None or base is None or changes is None:
        users = _users_in(_references(data, citations), removed)
    elif index.removals < _USERS_FROM:  # only the sections that can name what is removed
        readers = frozenset(s for section in removed for s in _NAMED_BY.get(section, SECTIONS))
        users = _users_in(_references(data, citations, index, readers), removed)
    else:
        users = _users_from_base(data, removed, index, base, changes, citations)
    problems: list[MergeProblem] = []
    for (section, ident), used_by in users.items():
        k = remove[section].index(ident)
        who = list(dict.fromkeys(used_by))
        shown = ", ".join(who)
        problems.append(MergeProblem(
            "LM043", f"variant `{name}` removes `{ident}`, which {shown} still "
            f"{'uses' if len(who) == 1 else 'use'}",
            patch_src.child("remove").child(section).child(k),
            "remove or change what uses it in the same variant, or keep it"))
    return problems


def _users_in(refs: Iterator[tuple[str, str, str]], removed: dict[str, set[str]]
              ) -> dict[tuple[str, str], list[str]]:
    users: dict[tuple[str, str], list[str]] = {}
    for section, ident, user in refs:
        if ident in removed.get(section, set()):
            users.setdefault((section, ident), []).append(user)
    return users


def _users_from_base(data: dict[str, Any], removed: dict[str, set[str]], index: BaseIndex,
                     base: dict[str, Any], changes: dict[str, dict[int, tuple[Any, Src]]],
                     citations: bool) -> dict[tuple[str, str], list[str]]:
    """What :func:`_users_in` finds in the merged ``data``, from the base's users.

    An entry the variant left alone names what it named in the base; the entries
    the variant writes, and those without an id (named by their place, which a
    removal shifts), are read again.
    """
    lists = tuple(base.get(section) for section in SECTIONS)
    if index.users is None or any(a is not b for a, b in zip(index.users[0], lists,
                                                              strict=True)):
        found: dict[tuple[str, str], list[_Use]] = {}
        for rank, section in enumerate(SECTIONS):
            items = base.get(section)
            for i, el in enumerate(items if isinstance(items, list) else ()):
                if isinstance(el, dict):
                    for seq, (what, ident, who) in enumerate(
                            _element_references(section, i, el, True)):
                        found.setdefault((what, ident), []).append((rank, i, seq, who))
        index.users = (lists, found)
    by_base = index.users[1]
    uses: dict[tuple[str, str], list[_Use]] = {}
    summarises = data.get("summarises")
    mapped = summarises.get("map") if isinstance(summarises, dict) else None
    if isinstance(mapped, dict):
        for short_id in mapped:
            if isinstance(short_id, str) and short_id in removed.get("nodes", ()):
                uses.setdefault(("nodes", short_id), []).append((-1, 0, 0, "`summarises.map`"))
    left: dict[int, set[int]] = {}  # section -> base entries still there, read from the base
    for rank, section in enumerate(SECTIONS):
        items, before = data.get(section), base.get(section)
        if items is before:
            continue
        if not isinstance(items, list) or not isinstance(before, list):
            if not items and not before:
                continue
            return _users_in(_references(data, citations), removed)
        at = {id(el): i for i, el in enumerate(before)}
        changed = {id(value): i for i, (value, _) in changes.get(section, {}).items()}
        keep = left[rank] = set()
        for j, el in enumerate(items):
            was = at.get(id(el))
            if not isinstance(el, dict):
                continue
            if was is not None and element_key(section, el):
                keep.add(was)
                continue
            place = was if was is not None else changed.get(id(el), len(before) + j)
            for seq, (what, ident, who) in enumerate(
                    _element_references(section, j, el, citations)):
                if ident in removed.get(what, ()):
                    uses.setdefault((what, ident), []).append((rank, place, seq, who))
    for what, ids in removed.items():
        for ident in ids:
            for use in by_base.get((what, ident), ()):
                there = left.get(use[0])
                if there is None or use[1] in there:
                    uses.setdefault((what, ident), []).append(use)
    return {key: [who for *_, who in sorted(found)] for key, found in
            sorted(uses.items(), key=lambda kv: min(kv[1]))}


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

E = Severity.ERROR


@rule("LM041", "unknown-variant-target", E)
def unknown_variant_target() -> None:
    """A variant changes or removes an element the base does not have.

    ## What it does
    Every entry under a variant's `change:` and `remove:` names an element of
    the base model by its id (a link by its id, or `from->to` when it has
    none). An id the base does not have is reported at the entry, with a "did
    you mean" when one is close. A `change: {summarises: ...}` needs a base
    with `summarises:` (a short version of another model).

    ## Why is this bad?
    A misspelt id would make an override that changes nothing, and a variant
    that silently looks like its base.

    ## Example
    ```yaml
    variants:
      - id: darlington
        change:
          nodes:
            - {id: in_budjet, label: Budgets of up to £10,000}   # LM041: did you mean `in_budget`?
    ```
    Something new in the variant goes under `add:`.
    """


@rule("LM042", "duplicate-variant-element", E)
def duplicate_variant_element() -> None:
    """Two variants share a name, or a variant adds what the base already has.

    ## What it does
    Reports two variants with the same id (and a variant named `base`, which
    stands for the model without variants), an element under `add:` whose id
    the base already has, and an element a variant both removes and changes.

    ## Why is this bad?
    `--variant NAME` must mean one thing, and an added element must not
    quietly replace the base's.

    ## Example
    ```yaml
    variants:
      - {id: wigan, label: Wigan}
      - {id: wigan, label: Wigan again}   # LM042: two variants are named `wigan`
    ```
    """


@rule("LM043", "removal-still-needed", E)
def removal_still_needed() -> None:
    """A variant removes an element that something left in the variant still uses.

    ## What it does
    After a variant's removals, every link, pathway, view, assumption list,
    group list and citation left in the merged model is searched for the
    removed ids. A node still at the end of a link, on a pathway (in its
    `nodes`, `steps`, `start` or `end`) or hidden by a view, a box of a short
    version that `summarises.map` still maps, an assumption or moderator still
    named, a group that an element or a view still names in its `groups:`, a
    reference still cited: each is reported at the removal, naming what still
    uses it. (Removing a group's last member leaves the group empty: that is
    LM048, a warning.)

    ## Why is this bad?
    The variant would not be a model: its links would point nowhere. Saying so
    at the removal, instead of at every dangling link, tells you what to do.

    ## Example
    ```yaml
    remove:
      nodes: [out_material]   # LM043: link `L9`, pathway `resources` still use it
      links: [L8]             # remove or change those in the same variant
    ```
    """
