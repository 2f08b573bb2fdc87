"""What a variant's removals leave of the base's groups (LM048).

A group (a row, an actor, an arm, a site) has as members the elements that
name it in their ``groups:``. A variant that removes the last of them, and not
the group, leaves a group with nothing in it: no band is drawn for it and a
view that focuses on it shows nothing. That is said at the removal, as a
warning: the merged variant is still a valid model (a base may declare a group
no element is in yet), but it is rarely what the variant meant. Removing a
group that something still names is LM043 (:mod:`.merge`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, Severity
from ..rules.registry import RULES, rule
from .merge import MEMBER_SECTIONS

if TYPE_CHECKING:
    from ..config import Config
    from ..loader import Document
    from ..schema import LogicModel
    from .load import VariantSpec

__all__ = ["emptied_groups"]


def _key(section: str, el: Any) -> str:
    if section == "links" and el.id is None:
        return f"{el.source}->{el.target}"
    return str(el.id)


def _members(model: LogicModel) -> dict[str, list[tuple[str, str]]]:
    """Group id -> its members, as (section, key), in file order."""
    out: dict[str, list[tuple[str, str]]] = {}
    for section in MEMBER_SECTIONS:
        for el in getattr(model, section):
            for g in el.groups:
                out.setdefault(g, []).append((section, _key(section, el)))
    return out


def emptied_groups(doc: Document, spec: VariantSpec, config: Config) -> list[Diagnostic]:
    """LM048 for each group of ``doc`` (a merged variant) that its removals left empty.

    Each is located at the first removal (in the order written) of a member the
    group had, naming every member the variant removes from it.
    """
    base = doc.base.model if doc.base is not None else None
    model = doc.model
    remove = spec.patch.get("remove") or {}
    if (base is None or model is None or not base.groups or not remove
            or not config.is_active("LM048")):
        return []
    before, after = _members(base), _members(model)
    views = {g: [v.id for v in model.views if g in v.groups] for g in before}
    out: list[Diagnostic] = []
    for group in model.groups:
        if not before.get(group.id) or after.get(group.id):
            continue
        gone = set(before[group.id])
        removed = [(section, k, ident) for section, ids in remove.items()
                   if section in MEMBER_SECTIONS
                   for k, ident in enumerate(ids) if (section, ident) in gone]
        if not removed:
            continue  # its members left it by a change, not a removal
        section, k, _ = removed[0]
        where = spec.src.child("remove").child(section).child(k)
        names = ", ".join(f"`{ident}`" for _, _, ident in removed)
        last = "the last member" if len(removed) == 1 else "the last members"
        shown = ", ".join(f"`{v}`" for v in views[group.id])
        focus = (f"; view{'s' if len(views[group.id]) > 1 else ''} {shown} "
                 f"focus{'' if len(views[group.id]) > 1 else 'es'} on it") if shown else ""
        r = RULES["LM048"]
        out.append(Diagnostic(
            "LM048", r.name, config.severity_of("LM048"),
            f"variant `{spec.id}` removes {names}, {last} of group `{group.id}`, which is "
            f"left with no member{focus}", where.file, where.locate(()), (),
            f"remove the group too (`remove: {{groups: [{group.id}]}}`), or keep a member "
            "in it"))
    return out


@rule("LM048", "group-left-empty", Severity.WARNING)
def group_left_empty() -> None:
    """A variant removes the last member of a group and keeps the group.

    ## What it does
    The members of a group are the nodes, links, assumptions, moderators and
    pathways that name it in their `groups:`. When a variant's removals take
    away every member of a group the variant still declares, the removal of
    the last one is reported, with the views that focus on the group.

    ## Why is this bad?
    The group is left with nothing in it: no band is drawn for it, the
    viewer's filter for it selects nothing, and a view that focuses on it
    shows no box. Usually the variant meant to remove the group too (a site
    the pilot does not have). Removing a group that something still names is
    LM043.

    ## Example
    ```yaml
    groups:
      - {id: fathers, label: Fathers, type: actor}
    nodes:
      - {id: dads_group, kind: activity, label: Fathers' group, groups: [fathers]}
    variants:
      - id: mothers_only
        remove:
          nodes: [dads_group]    # LM048: the last member of group `fathers`
          links: [L4]            # add `groups: [fathers]` to remove the group too
    ```
    """
