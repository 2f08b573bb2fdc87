"""Where a box a variant adds is drawn in its stage: next to the box it comes from.

A variant's ``add:`` appends its boxes to ``nodes:`` (:mod:`.merge`), and a figure
draws a stage's boxes in file order, so an added box would stand last in its
stage, however far from the boxes it joins. Drawn, it goes after the box of its
stage that a link comes to it from (Darlington's "Allocate budgets" after
"Identify families", which it follows), else after the box before it in the
variant's file. The figure of every variant (:mod:`logicmodel.render.multiples`)
and the figure of one variant place it so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..schema import LogicModel

__all__ = ["drawn_in_order", "with_added_placed"]


def with_added_placed(order: Sequence[str], ids: Sequence[str],
                      links: Iterable[tuple[str, str]], stage: Mapping[str, str]) -> list[str]:
    """``order`` (boxes in drawing order) with each of ``ids`` not in it put in its place.

    ``ids`` are a variant's boxes in its order, ``links`` its links (from, to) and
    ``stage`` each box's stage. A box not in ``order`` goes after the first box of its
    stage already placed that a link comes to it from, else after the box before it in
    ``ids``, else first.
    """
    out = list(order)
    placed = set(out)
    links = list(links)
    previous: str | None = None
    for nid in ids:
        if nid not in placed:
            before = next((s for s, t in links if t == nid and s in placed
                           and stage[s] == stage[nid]), previous)
            out.insert(out.index(before) + 1 if before else 0, nid)
            placed.add(nid)
        previous = nid
    return out


def drawn_in_order(model: LogicModel, base: LogicModel) -> LogicModel:
    """``model``, a variant of ``base``, with the boxes it adds where it draws them
    (see :func:`with_added_placed`); ``model`` itself when it adds none."""
    in_base = {n.id for n in base.nodes}
    ids = [n.id for n in model.nodes]
    if all(nid in in_base for nid in ids):
        return model
    layout = model.layout
    order = with_added_placed([nid for nid in ids if nid in in_base], ids,
                              ((lk.source, lk.target) for lk in model.links),
                              {n.id: layout.stage_of(n) for n in model.nodes})
    if order == ids:
        return model
    by_id = {n.id: n for n in model.nodes}
    return model.model_copy(update={"nodes": [by_id[nid] for nid in order]})
