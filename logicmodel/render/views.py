"""Views: which part of a model a figure shows, and how.

A :class:`Scene` is what the DOT and Mermaid writers draw: the nodes in file
order with their stage, the links between them, which of them are faded, the
pathways in focus, and the numbers of the assumption and moderator markers. It
is computed from the model and a view: the whole model, one or more pathways
(others faded or hidden), a subset of stages, a compact paper view, or a named
view declared under ``views:`` in the model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..diagnostics import Severity
from ..errors import LogicModelError
from ..rules.registry import rule
from ..schema import Link, LogicModel, View

if TYPE_CHECKING:
    from .themes import Theme

__all__ = ["BandsError", "Highlight", "Scene", "ViewError", "make_scene", "resolve_view"]

Direction = Literal["LR", "TB"]

@dataclass(frozen=True)
class Highlight:
    """A mark on some nodes and links of a figure (for example what a new version added).

    A highlighted element gets ``sign`` before its label (nodes) or as its label
    (links), so that the mark survives print and colour-blindness, and the
    theme's style updated with ``node`` or ``edge``. The key shows one sample box
    (``sign name``) and one sample line (``link_name``) per highlight in use. A
    ``quiet`` element shows no assumption or moderator markers (e.g. removed).

    ``color`` is the line of a marked link on no pathway (a pathway's line keeps
    its pathway's colour, as its dash, in every figure), and ``band`` a light
    line drawn beside each line of a marked link, in its colour and dash: the
    mark then adds to the line's own style instead of replacing it. ``look``: how
    its lines look, in words, for the key as caption text ("lines marked +" if "").
    """

    name: str
    sign: str
    node: Mapping[str, str]
    edge: Mapping[str, str]
    link_name: str
    quiet: bool = False
    color: str = ""
    band: str = ""
    look: str = ""


class ViewError(LogicModelError, ValueError):
    """A view or pathway asked for on the command line does not exist (LM608)."""

    code = "LM608"


class BandsError(ViewError):
    """`--bands` or a view's `bands:` names a group type the model does not have (LM632)."""

    code = "LM632"


_WORD = re.compile(r"[^\W\d_]+")


def _stems(text: str) -> list[str]:
    """The words of ``text`` in lower case, an English plural made singular."""
    out = []
    for w in _WORD.findall(text.lower()):
        if w.endswith("ies") and len(w) > 4:
            w = w[:-3] + "y"
        elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
            w = w[:-1]
        out.append(w)
    return out


def _says(heading: str, word: str) -> bool:
    """Whether ``heading`` says ``word``: each of its words, singular or plural."""
    said = set(_stems(heading))
    return all(w in said for w in _stems(word))


@dataclass
class Scene:
    """What one figure shows."""

    model: LogicModel
    title: str
    nodes: list[Any]                      # in file order
    stage: dict[str, str]                 # node id -> stage
    stages: list[str]                     # stages drawn, in the model's stage order
    links: list[Link]                     # in file order, both ends shown
    faded_nodes: set[str] = field(default_factory=set)
    faded_links: set[int] = field(default_factory=set)   # ids of Link objects
    pathways: list[Any] = field(default_factory=list)    # pathways drawn (styled)
    link_pathways: dict[int, list[int]] = field(default_factory=dict)  # id(link) -> pathway nos
    assumption_no: dict[str, int] = field(default_factory=dict)  # id -> 1-based, file order
    moderator_no: dict[str, str] = field(default_factory=dict)   # id -> "B1" / "E2"
    direction: Direction = "LR"
    compact: bool = False
    legend: bool = True
    highlights: list[Highlight] = field(default_factory=list)     # in key order
    node_highlight: dict[str, Highlight] = field(default_factory=dict)  # node id ->
    link_highlight: dict[int, Highlight] = field(default_factory=dict)  # id(link) ->
    bands: tuple[str, ...] = ()           # group types drawn as rows: outer, then nested
    # Lists the key shows first, each (heading, [(tag, text)]): e.g. a short version's boxes.
    key_lists: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    key_room: float = 1.0  # how wide the key may be, as a share of the figure's width
    # Set by `--fit` and `--key beside`: the label width in characters (None: the theme's),
    # the spacing as a share of the theme's and which gaps it applies to (``nodesep``:
    # between the boxes of a stage, ``ranksep``: between stages), and the height of the
    # figure the key is drawn beside (None: the key is drawn under it). ``own_widths``: the
    # boxes of a stage drawn as a row keep their own widths (see .columns), to fit a target.
    wrap: int | None = None
    spacing: float = 1.0
    key_beside: float | None = None
    tighten: tuple[str, ...] = ("nodesep", "ranksep")
    own_widths: bool = False
    # Where the ceiling of accountability's line runs, found in a first layout of this
    # scene (see .headings.ceiling_line); None: not found yet, or no ceiling.
    ceiling_line: tuple[float, float, float, float] | None = None
    # Where the lines of the sections over several stages run, across their stages' boxes
    # and headings, found in a first layout (see .headings.section_lines); empty: the
    # engine's line from the middle of the first stage to the middle of the last.
    section_lines: tuple[tuple[float, float, float, float], ...] = ()
    # Where the markers of links between stages are drawn beside their lines, found from a
    # first layout of the scene (see .markers); empty: where the engine puts the labels.
    marker_places: tuple[tuple[str, str, str, float, float], ...] = ()
    # The links drawn as side-by-side pathway lines that end too near for an arrowhead
    # each, found from a first layout (see .shared): (source, target, the line with the
    # one arrowhead); empty: each line has its own.
    shared_ends: tuple[tuple[str, str, int], ...] = ()
    # Whether a link on several pathways within a stage, as between stages, is drawn as
    # its pathways' lines side by side, each with its arrowhead (the figure of a model and
    # its key); else as one double line, as the panels of the variants draw it (laid out
    # once for all of them, with their arrowheads larger for the layout).
    pairs_within: bool = True
    # The figure's width in points that the key's rows take, found when the scene was laid
    # out (see .key.key_dot); None: not laid out yet, or the key is beside the figure.
    key_width: float | None = None

    def headings(self) -> dict[str, str]:
        """Column headings: the model's own, or its framework's."""
        layout = self.model.layout
        return {s: layout.heading(s) for s in self.stages}

    def kind_words(self) -> dict[str, str]:
        """What the key, the caption and the tooltips call each kind of box drawn: its
        framework's word for it, or the kind's name. A framework's own word (a logframe's
        *Purpose* and *Goal*) gives way to the model's heading where the model names the
        stage otherwise and every box of that kind, and no other, sits in it: the words
        the reader finds in the figure ("Specific Objectives")."""
        layout = self.model.layout
        stages: dict[str, set[str]] = {}
        kinds: dict[str, set[str]] = {}
        for n in self.nodes:
            stages.setdefault(n.kind, set()).add(self.stage[n.id])
            kinds.setdefault(self.stage[n.id], set()).add(n.kind)
        out: dict[str, str] = {}
        for kind, where in stages.items():
            word = layout.kind_name(kind)
            stage = next(iter(where))
            if len(where) == 1 and kind in layout.words and kinds[stage] == {kind}:
                heading = " ".join(layout.heading(stage).split())
                if heading and not _says(heading, word):
                    word = heading
            out[kind] = word
        return out

    def plain_link_color(self, theme: Theme) -> str:
        """The colour of a link on no pathway (nor faded, nor feedback): the theme's grey
        beside pathways' lines, which it leaves to stand out; in a figure that draws no
        pathway, where every link is plain, the boxes' outline colour (a causal chain drawn
        in the faintest line throughout read as faint at print size)."""
        return theme.link_color if self.link_pathways else str(theme.node.get("color", "black"))

    def style_no(self, k: int) -> int:
        """The line style of drawn pathway ``k``: its place in the model's file.

        So a pathway keeps its dash pattern and colour in every view, focus and
        theme of its model, whichever pathways a figure draws.
        """
        pid = self.pathways[k].id
        for i, p in enumerate(self.model.pathways):
            if p.id == pid:
                return i
        return k

    def used_assumptions(self) -> list[Any]:
        """Assumptions with a marker in this figure, in file order."""
        return self._used("assumptions", self.model.assumptions)

    def used_moderators(self) -> list[Any]:
        """Moderators with a marker in this figure: barriers, then enablers, in file order."""
        used = self._used("moderators", self.model.moderators)
        return sorted(used, key=lambda m: m.effect != "barrier")

    def _used(self, attr: str, items: list[Any]) -> list[Any]:
        key = f"_used_{attr}"
        cached: list[Any] | None = self.__dict__.get(key)
        if cached is None:
            used: set[str] = set()
            for el in [*self.nodes, *self.links]:
                if id(el) in self.faded_links or getattr(el, "id", None) in self.faded_nodes:
                    continue
                mark = (self.link_highlight.get(id(el)) if isinstance(el, Link)
                        else self.node_highlight.get(el.id))
                if mark is not None and mark.quiet:
                    continue
                used.update(getattr(el, attr))
            cached = [x for x in items if x.id in used]
            self.__dict__[key] = cached
        return cached


def resolve_view(model: LogicModel, name: str | None) -> View:
    """The view called ``name`` in the model.

    ``full`` (the whole model) and ``paper`` (the whole model, compact, stages as
    rows: the shape that fits a journal page) exist unless the model declares
    views with those ids.
    """
    if name is None or name == "full":
        for v in model.views:
            if v.id == name:
                return v
        return View(id="full")
    for v in model.views:
        if v.id == name:
            return v
    if name == "paper":
        return View(id="paper", compact=True, direction="TB")
    have = ", ".join(["full", "paper", *(v.id for v in model.views if v.id != "paper")])
    raise ViewError(f"the model has no view `{name}` (it has: {have})")


def make_scene(model: LogicModel, view: View | None = None, *,
               pathways: list[str] | None = None, others: str | None = None,
               direction: Direction | None = None, compact: bool | None = None,
               bands: Sequence[str] | None = None) -> Scene:
    """The scene for ``view``, with command-line choices taking precedence.

    ``bands`` are the group types drawn as rows (``["none"]``: no bands); without
    it, the view's ``bands:``, else every type the model's groups have.
    """
    view = view or View(id="full")
    known = {p.id: p for p in model.pathways}
    focus_ids = list(pathways) if pathways else list(view.pathways)
    for pid in focus_ids:
        if pid not in known:
            have = ", ".join(known) or "none"
            raise ViewError(f"the model has no pathway `{pid}` (it has: {have})")
    mode = others or view.others
    layout = model.layout
    stage = {n.id: layout.stage_of(n) for n in model.nodes}
    focus = [known[p] for p in focus_ids]
    on_focus = {nid for p in focus for nid in model.route(p).nodes}
    focus_edges = {e for p in focus for e in model.route(p).steps}

    nodes = [n for n in model.nodes
             if (not view.stages or stage[n.id] in view.stages) and n.id not in view.hide]
    if focus and mode == "hide":
        nodes = [n for n in nodes if n.id in on_focus]
    wanted = set(view.groups)
    in_groups = {n.id for n in model.nodes if wanted & set(n.groups)} if wanted else None
    if in_groups is not None and mode == "hide":
        nodes = [n for n in nodes if n.id in in_groups]
    if not nodes:
        raise ViewError(f"view `{view.id}` leaves no node to draw "
                        "(check its stages, hidden nodes and pathways)")
    shown = {n.id for n in nodes}
    links = [lk for lk in model.links
             if lk.source in shown and lk.target in shown and lk.source != lk.target]

    # Pathways drawn with their own line style: those in focus, or all of them.
    drawn = focus or list(model.pathways)
    link_pathways: dict[int, list[int]] = {}
    for k, p in enumerate(drawn):
        steps = model.route(p).edges
        for lk in links:
            if (lk.source, lk.target) in steps and not lk.feedback:
                link_pathways.setdefault(id(lk), []).append(k)

    faded_nodes: set[str] = set()
    faded_links: set[int] = set()
    if focus and mode == "fade":
        faded_nodes = shown - on_focus
        faded_links = {id(lk) for lk in links if (lk.source, lk.target) not in focus_edges}
    if in_groups is not None and mode == "fade":
        faded_nodes |= shown - in_groups
        faded_links |= {id(lk) for lk in links
                        if lk.source not in in_groups or lk.target not in in_groups}

    barriers = [m for m in model.moderators if m.effect == "barrier"]
    enablers = [m for m in model.moderators if m.effect == "enabler"]
    moderator_no = {m.id: f"B{i}" for i, m in enumerate(barriers, 1)}
    moderator_no.update({m.id: f"E{i}" for i, m in enumerate(enablers, 1)})

    return Scene(
        bands=_bands(model, view, bands),
        model=model,
        title=view.label or model.title,
        nodes=nodes,
        stage=stage,
        stages=[s for s in layout.ids if any(stage[n.id] == s for n in nodes)],
        links=links,
        faded_nodes=faded_nodes,
        faded_links=faded_links,
        pathways=drawn,
        link_pathways=link_pathways,
        assumption_no={a.id: i for i, a in enumerate(model.assumptions, 1)},
        moderator_no=moderator_no,
        direction=direction or view.direction or "LR",
        compact=view.compact if compact is None else compact,
        legend=view.legend,
    )


def _bands(model: LogicModel, view: View, asked: Sequence[str] | None) -> tuple[str, ...]:
    """The group types drawn as bands (LM632 for a type no group has)."""
    from .bands import band_types

    have = band_types(model)
    wanted = list(asked) if asked is not None else view.bands
    if wanted is None:
        return have
    if list(wanted) == ["none"]:
        return ()
    for t in wanted:
        if t not in have:
            known = ", ".join(f"`{x}`" for x in have) or "none"
            raise BandsError(f"no group of the model has type `{t}`, so it cannot be drawn "
                            f"as bands (the types it has: {known}; `none` draws no bands)")
    return tuple(dict.fromkeys(wanted))


# --- the codes raised here: each one's page for `logicmodel rules` ------------------------

E = Severity.ERROR


@rule("LM608", "unknown-view", E)
def unknown_view() -> None:
    """`--view` or `--pathway` names something the model does not declare.

    ## What it does
    Checks the name given on the command line against the model's `views:` (or
    `pathways:`), and lists the ones it has.

    ## Why is this bad?
    The figure asked for cannot be drawn. Exit status 2.

    ## Example
    ```text
    logicmodel: LM608 the model has no view `papr` (it has: paper, relationship)
    ```
    """


@rule("LM632", "unknown-band-type", E)
def unknown_band_type() -> None:
    """`--bands` or a view's `bands:` names a group type no group of the model has.

    ## What it does
    Bands are drawn for the `type` of the model's `groups:` (`actor`, `arm`,
    `site`...; a group with no type is of type `group`). The message lists the
    types the model has. Exit status 2.

    ## Why is this bad?
    A figure asked for with rows that cannot be drawn would come out without
    them, and a misspelt type would pass unnoticed.

    ## Example
    ```text
    logicmodel: LM632 no group of the model has type `actors`, so it cannot be drawn as
    bands (the types it has: `arm`, `actor`; `none` draws no bands)
    ```
    """
