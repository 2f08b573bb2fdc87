"""Bands: a model's groups drawn as labelled rows (lanes) across the stage columns.

A published logic model often has rows as well as columns: one per actor
(*Mother*; *Private GP and clinic assistant*), per trial arm, per site, per
audience (*For Families:*). In format 2 those rows are ``groups:`` with a
``type``; a figure draws the groups of the types it is asked for as bands, the
first type as the outer bands and each further type as bands nested inside
them (a trial arm's row split into its actors).

The rules, so that no box is ever placed silently where it does not belong:

* A band holds the nodes that belong to its group, in file order within each
  column. The outer bands run across every column that has a node in a band,
  one under another in the order the groups are declared; nested bands cover
  the columns of their own nodes.
* A node in two groups of one banded type is drawn in the first declared and
  LM630 says so.
* A node in no group of the outer type, in a column the bands cover, is drawn
  in a last band headed *(no TYPE)*, and LM631 names it. Columns with no node in
  a band are drawn without bands (for example the inputs of a model whose rows
  are only its outcomes').

The layout is Graphviz clusters, one per band. Three things make them behave
like the rows of a table: invisible points in every column of an outer band
make it as wide as the bands' columns; a chain of invisible anchors outside the
bands, one per band, linked to each band's point in the next column, keeps the
bands in their declared order (Graphviz orders clusters to minimise crossings
and would otherwise put them either way up); and, left to right, the nodes of
a band are chained in reverse, since Graphviz lays ``LR`` out top to bottom and
turns it, which reverses the order inside a cluster.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Severity
from ..rules.registry import rule
from .text import dot_string

__all__ = ["NO_TYPE", "Band", "BandPlan", "band_types", "box_size", "plan_bands",
           "write_columns"]

NO_TYPE = "group"  # the type of a group that declares none, for `bands:`


@dataclass
class Band:
    """One band: its group (None: the band of nodes in no group), label and contents."""

    name: str                     # the DOT cluster's name: cluster_b0, cluster_b0_1...
    label: str
    group: str | None
    level: int
    nodes: list[str] = field(default_factory=list)      # node ids directly in it, file order
    children: list[Band] = field(default_factory=list)  # nested bands, declared order

    def all_nodes(self) -> list[str]:
        """Its nodes and its nested bands' nodes."""
        return [*self.nodes, *(n for c in self.children for n in c.all_nodes())]


@dataclass(frozen=True)
class BandPlan:
    """Which band each node is drawn in, and what the figure must say about it."""

    types: tuple[str, ...]
    bands: tuple[Band, ...]            # the outer bands, in order
    first: int = 0                     # the columns the outer bands run across
    last: int = -1
    warnings: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.bands)

    def titles(self) -> dict[str, str]:
        """Each band's SVG ``<title>``: its label and the kind of group."""
        out: dict[str, str] = {}

        def walk(b: Band) -> None:
            out[b.name] = f"{b.label} (band)"
            for c in b.children:
                walk(c)
        for b in self.bands:
            walk(b)
        return out


def group_type(group: Any) -> str:
    """A group's type for banding (``group`` when it declares none)."""
    return str(group.type) if group.type is not None else NO_TYPE


def band_types(model: Any) -> tuple[str, ...]:
    """The group types of ``model``, in the order of their first declaration."""
    seen: dict[str, None] = {}
    for g in getattr(model, "groups", None) or []:
        seen.setdefault(group_type(g), None)
    return tuple(seen)


def plan_bands(scene: Any) -> BandPlan:
    """The bands of ``scene`` (none unless it asks for band types the model has)."""
    types = tuple(scene.bands)
    groups = list(getattr(scene.model, "groups", None) or [])
    if not types or not groups:
        return BandPlan(types, ())
    col = {st: k for k, st in enumerate(scene.stages)}
    by_type = {t: [g for g in groups if group_type(g) == t] for t in types}
    warnings: list[str] = []
    top: dict[str, Band] = {}
    loose: list[str] = []
    for n in scene.nodes:
        path = []
        for t in types:
            mine = [g for g in by_type[t] if g.id in n.groups]
            if len(mine) > 1:
                names = ", ".join(f"`{g.id}`" for g in mine)
                warnings.append(f"LM630 node `{n.id}` belongs to {len(mine)} groups of type "
                                f"`{t}` ({names}): drawn in the band of `{mine[0].id}`")
            path.append(mine[0] if mine else None)
        if path[0] is None:
            loose.append(n.id)
            continue
        _place(top, path, n.id)
    order = {g.id: i for i, g in enumerate(groups)}
    bands = _sorted(list(top.values()), order)
    if not bands:
        return BandPlan(types, (), warnings=tuple(warnings))
    banded = [col[scene.stage[nid]] for b in bands for nid in b.all_nodes()]
    first, last = min(banded), max(banded)
    inside = [nid for nid in loose if first <= col[scene.stage[nid]] <= last]
    if inside:
        names = ", ".join(f"`{nid}`" for nid in inside)
        warnings.append(f"LM631 {len(inside)} node{'s' if len(inside) > 1 else ''} in no "
                        f"group of type `{types[0]}` drawn in a band headed "
                        f"\u201c(no {types[0]})\u201d: {names}")
        bands.append(Band(f"cluster_b{len(bands)}", f"(no {types[0]})", None, 0, inside))
    for i, b in enumerate(bands):
        _rename(b, f"cluster_b{i}")
    return BandPlan(types, tuple(bands), first, last, tuple(warnings))


def _place(top: dict[str, Band], path: list[Any], nid: str) -> None:
    g0 = path[0]
    band = top.setdefault(g0.id, Band("", g0.label, g0.id, 0))
    for level, g in enumerate(path[1:], 1):
        if g is None:
            break
        child = next((c for c in band.children if c.group == g.id), None)
        if child is None:
            child = Band("", g.label, g.id, level)
            band.children.append(child)
        band = child
    band.nodes.append(nid)


def _sorted(bands: list[Band], order: Mapping[str, int]) -> list[Band]:
    out = sorted(bands, key=lambda b: order.get(b.group or "", len(order)))
    for b in out:
        b.children = _sorted(b.children, order)
    return out


def _rename(band: Band, name: str) -> None:
    band.name = name
    for i, c in enumerate(band.children):
        _rename(c, f"{name}_{i}")


# --- DOT ------------------------------------------------------------------------------


def _spacer(band: Band, k: int) -> str:
    return f"{band.name.removeprefix('cluster_')}s{k}"


# Arial's advance widths in em, by class of character: generous, so that a band's
# invisible point is at least as wide as the widest box of its column.
_NARROW = frozenset("iljI.,;:'|!`")
_SEMI = frozenset("frt()[]-/ ")
_WIDE = frozenset("mwMW@%")


def _em(ch: str) -> float:
    if ch in _NARROW:
        return 0.28
    if ch in _SEMI:
        return 0.36
    if ch in _WIDE:
        return 0.88
    if ch.isupper():
        return 0.70
    if not ch.isascii():
        return 0.62 if len(ch.encode("utf-8")) < 3 else 1.0
    return 0.57


def box_size(lines: Sequence[str], fontsize: float, shape: str) -> tuple[float, float]:
    """About how wide and high (inches) the engine draws a box of ``lines``; never less."""
    text = max((sum(_em(c) for c in line) for line in lines), default=0.0) * fontsize
    high = len(lines) * fontsize * 1.2 + 9
    if shape in ("hexagon", "octagon"):
        return max(0.75, (text + 6) * 1.35 / 72), max(0.3, high * 1.35 / 72)
    return max(0.75, (text + 16) / 72), max(0.3, high / 72)


def write_columns(plan: BandPlan, scene: Any, ids: Mapping[str, str], columns: Sequence[str],
                  placed: Mapping[int, list[str]], nranks: int,
                  style: Mapping[str, Mapping[str, str]], fontsize: float,
                  sizes: Mapping[str, tuple[float, float]],
                  tops: Mapping[int, list[str]] | None = None) -> list[str]:
    """DOT lines for the columns of a banded figure: the bands, the ranks and their order.

    Everything sits in a cluster, so that the anchors can order them all: first
    an unframed one with the stage headings and the nodes of columns without
    bands, then the bands, then an unframed one with the key's nodes
    (``placed``: the nodes of each rank after the figure's own). ``style`` gives
    the cluster attributes of the outer (``band``) and nested (``subband``)
    bands; ``sizes`` the boxes' widths and heights in inches, for the bands' ends;
    ``tops`` the points of each rank above its heading (sections, the ceiling).
    """
    flip = scene.direction == "LR"
    col = {st: k for k, st in enumerate(columns)}
    out: list[str] = []
    span = range(plan.first, plan.last + 1)
    banded = {nid for b in plan.bands for nid in b.all_nodes()}
    # the root: the headings, then the nodes of columns without bands and the key's nodes
    # outside the bands' columns, in order; the anchors go after them
    roots: dict[int, list[str]] = {k: [*(tops or {}).get(k, []), f"h{k}"]
                                   for k in range(nranks)}
    for n in scene.nodes:
        if n.id not in banded:
            roots[col[scene.stage[n.id]]].append(ids[n.id])
    inner = {k: nodes for k, nodes in placed.items() if k in span and nodes}
    for k, nodes in placed.items():
        if k not in inner:
            roots[k].extend(nodes)
    containers = list(plan.bands)
    key_band: Band | None = None
    if inner:
        key_band = Band("cluster_key", "", None, 0)
        containers.append(key_band)
    # the largest box of a column across the ranks (wide left to right, high top to
    # bottom): a band's point in its first and last column is as large, so that the
    # bands end level
    widest: dict[int, float] = {}
    for nid in banded:
        k = col[scene.stage[nid]]
        widest[k] = max(widest.get(k, 0.0), sizes[nid][0 if flip else 1])
    chains: dict[int, list[list[str]]] = {k: [] for k in range(nranks)}

    def spacers(band: Band, indent: str, members: dict[int, list[str]]) -> None:
        ranks = span
        for k in ranks:
            members.setdefault(k, []).append(_spacer(band, k))
            end = widest.get(k, 0.01) if k in (plan.first, plan.last) else 0.01
            wide, high = (end, 0.01) if flip else (0.01, end)
            out.append(f"{indent}  {_spacer(band, k)} [shape=box, style=invis, "
                       f'fixedsize="true", width="{wide:.2f}", height="{high:.2f}"]')
            if k > ranks.start:
                out.append(f"{indent}  {_spacer(band, k - 1)} -> {_spacer(band, k)} "
                           "[style=invis]")

    def emit(band: Band, indent: str, last: dict[int, str]) -> None:
        # ``last``: the member of each rank ordered last so far in this band's outer band
        if band is key_band:
            attrs: dict[str, str] = {"peripheries": "0", "margin": "0"}
        else:
            attrs = dict(style["band" if band.level == 0 else "subband"])
        out.append(f"{indent}subgraph {band.name} {{")
        out.append(f"{indent}  graph [label={dot_string(band.label)}, "
                   + ", ".join(f"{k}={dot_string(v)}" for k, v in attrs.items())
                   + f', fontsize="{fontsize + 0.5:g}"]')
        members: dict[int, list[str]] = {}
        if band.level == 0:
            spacers(band, indent, members)
        if band is key_band:
            for k, nodes in inner.items():
                members.setdefault(k, []).extend(nodes)
        for nid in band.nodes:
            members.setdefault(col[scene.stage[nid]], []).append(ids[nid])
        names = [ids[nid] for nid in band.nodes]
        if band is key_band:
            names += [m for k in sorted(inner) for m in inner[k]]
        if names:
            out.append(f"{indent}  " + "; ".join(names) + ";")
        for k, chain in sorted(members.items()):
            # a nested band's boxes ordered after what comes before them in the outer
            # band, down to its spacer, as the outer band's own boxes are: left alone,
            # they float in the middle of the band's height
            chains[k].append([last[k], *chain] if k in last else chain)
            last[k] = chain[-1]
        for child in reversed(band.children) if flip else band.children:
            emit(child, indent + "  ", last)
        out.append(f"{indent}}}")

    for band in containers:
        emit(band, "", {})
    # anchors outside the clusters keep them in order (see the module's docstring)
    anchor_rank, step = _anchor_rank(plan, nranks)
    for i, band in enumerate(containers):
        out.append(f'a{i} [shape=point, style=invis, width="0.01", height="0.01"]')
        target = _spacer(band, anchor_rank + step)
        edge = f"a{i} -> {target}" if step > 0 else f"{target} -> a{i}"
        out.append(f"{edge} [style=invis, weight=0]")
    # a figure of one column gets an invisible rank of its own for the anchors
    roots.setdefault(anchor_rank, []).extend(f"a{i}" for i in range(len(containers)))
    for k in range(len(roots)):
        flat = list(dict.fromkeys(roots[k] + [m for chain in chains.get(k, []) for m in chain]))
        out.append("{ rank=same; " + "; ".join(flat) + "; }")
        # a cluster's chain is reversed left to right; the root's is kept as written
        pairs = [(b, a) if flip else (a, b)
                 for chain in chains.get(k, []) for a, b in itertools.pairwise(chain)]
        pairs += list(zip(roots[k], roots[k][1:], strict=False))
        for a, b in pairs:
            if {a[:2], b[:2]} != {"ka", "kb"}:  # the key's sample line orders those
                out.append(f"{a} -> {b} [style=invis]")
    return out


def _anchor_rank(plan: BandPlan, nranks: int) -> tuple[int, int]:
    """The rank of the anchors, and the direction (+1, -1) of the rank they point into.

    The rank after the bands' last column when there is one (``nranks``, a rank
    of its own, when the figure has a single column), else the one before it.
    """
    if plan.last > plan.first:
        return plan.first, 1
    if plan.first + 1 < nranks or plan.first == 0:
        return plan.first + 1, -1
    return plan.first - 1, 1


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------


@rule("LM630", "node-in-two-bands", Severity.WARNING)
def node_in_two_bands() -> None:
    """A node belongs to two groups of a type drawn as bands.

    ## What it does
    A figure draws the groups of a type (`--bands actor`, or every type when
    the model declares groups) as rows. A node can be drawn in one row only: it
    goes in the band of the first of its groups in the file's `groups:`, and
    this warning says which.

    ## Why is this bad?
    A reader takes the row a box sits in as who does it, or where. A box that
    belongs to two rows drawn in one of them says half of what the model says.
    Give the node one group of that type, split it in two, or draw the figure
    with bands of another type (`--bands TYPE`) or none (`--bands none`).

    ## Example
    ```text
    logicmodel: LM630 node `counselling` belongs to 2 groups of type `actor` (`mother`,
    `gp_assistant`): drawn in the band of `mother`
    ```
    """


@rule("LM631", "node-in-no-band", Severity.WARNING)
def node_in_no_band() -> None:
    """Nodes in a column with bands belong to no group of the banded type.

    ## What it does
    In the columns that the bands run across, a node in none of the banded
    groups is drawn in a last band headed "(no TYPE)", and this warning names
    it. Columns with no node in a band are drawn without bands, and need none.

    ## Why is this bad?
    The row a box sits in says who does it or where; a box with no row in a
    banded column is usually a group forgotten in the file. Add the node to its
    group, or draw the figure with other bands (`--bands TYPE`) or none
    (`--bands none`).

    ## Example
    ```text
    logicmodel: LM631 1 node in no group of type `arm` drawn in a band headed “(no arm)”:
    `equipment`
    ```
    """
