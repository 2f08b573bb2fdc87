"""Headings over the stage headings: the model's sections and its ceiling of accountability.

A stage may name a ``section`` (UW-Extension's *Outputs* over Activities and
Participation; *Outcomes* over short-, medium- and long-term outcomes), and a
theory of change may say where its ``ceiling:`` of accountability lies (the
stages after it are outcomes the programme is not held accountable for). Both
are drawn as a row above the stage headings: the section's name over a thin
line that spans its columns, and *Above the ceiling of accountability* over a
dashed line that spans the stages after the ceiling.

A row is a chain of invisible points, one per column, above the headings; a
bracket over several columns is a labelled edge between the points of its first
and last column (Graphviz centres the label on it), over one column a node drawn
as a line under its text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .text import dot_string, wrap

__all__ = ["CEILING_LABEL", "Bracket", "bracket_titles", "brackets", "heading_rows"]

CEILING_LABEL = "Above the ceiling of accountability"


@dataclass(frozen=True)
class Bracket:
    """A heading over columns ``first`` to ``last`` of the figure."""

    label: str
    first: int
    last: int
    dashed: bool = False


def brackets(scene: Any) -> list[list[Bracket]]:
    """The rows of brackets of ``scene``, top row first.

    The sections make one row; the ceiling's bracket joins it when it spans none
    of their columns, and goes in a row above them otherwise.
    """
    layout = scene.model.layout
    col = {st: k for k, st in enumerate(scene.stages)}
    sections: list[Bracket] = []
    for name, ids in layout.sections():
        shown = [col[s] for s in ids if s in col]
        if name is not None and shown:
            sections.append(Bracket(name, min(shown), max(shown)))
    ceiling = getattr(scene.model, "ceiling", None)
    above = [col[s] for s in scene.stages if layout.above_ceiling(s, ceiling)]
    if not above:
        return [sections] if sections else []
    bracket = Bracket(CEILING_LABEL, min(above), max(above), dashed=True)
    if all(b.last < bracket.first or b.first > bracket.last for b in sections):
        return [sorted([*sections, bracket], key=lambda b: b.first)]
    return [[bracket], sections]


def bracket_titles(scene: Any) -> dict[str, str]:
    """Each bracket's SVG ``<title>`` by its DOT id: its text, and whether section or ceiling."""
    out: dict[str, str] = {}
    for r, row in enumerate(brackets(scene)):
        for b in row:
            what = "ceiling" if b.dashed else "section"
            name = f"s{r}_{b.first}" if b.first == b.last else f"s{r}_{b.first}->s{r}_{b.last}"
            out[name] = f"{b.label} ({what})"
    return out


def heading_rows(scene: Any, fontsize: float, color: str, wrap_at: int,
                 widths: Mapping[int, float]) -> tuple[list[str], dict[int, list[str]]]:
    """DOT declarations of the rows above the headings, and each rank's points, top first.

    ``widths`` are the columns' widths in inches (for a one-column bracket's line).
    """
    rows = brackets(scene)
    decls: list[str] = []
    tops: dict[int, list[str]] = {}
    if not rows:
        return decls, tops
    nranks = len(scene.stages)
    size = f"{fontsize + 1.5:g}"
    for r, row in enumerate(rows):
        single = {b.first: b for b in row if b.first == b.last}
        for k in range(nranks):
            name = f"s{r}_{k}"
            tops.setdefault(k, []).append(name)
            b = single.get(k)
            if b is None:
                decls.append(f'{name} [shape=point, style=invis, width="0.01", height="0.01"]')
                continue
            label = "\n".join(wrap(b.label, wrap_at))
            decls.append(
                f"{name} [shape=underline, label={dot_string(label)}, fontsize=\"{size}\", "
                f'fontcolor={dot_string(color)}, color="gray40", penwidth="0.8", '
                f'width="{max(widths.get(k, 0.75), 0.75):.2f}", margin="0.02,0.02"'
                + (', style="dashed"' if b.dashed else "") + "]")
        # chained in order, except inside a bracket (its own edge holds it straight)
        inside = {k for b in row for k in range(b.first, b.last)}
        for k in range(nranks - 1):
            if k not in inside:
                decls.append(f"s{r}_{k} -> s{r}_{k + 1} [style=invis, weight=100]")
        for b in row:
            if b.first == b.last:
                continue
            lines = wrap(b.label, 2 * wrap_at)
            if scene.direction == "TB":  # beside the bracket: a gap, as for a link's markers
                lines = [f"  {line}  " for line in lines]
            label = "\n".join(lines)
            decls.append(
                f"s{r}_{b.first} -> s{r}_{b.last} [label={dot_string(label)}, "
                f'arrowhead="none", color="gray40", penwidth="0.8", fontsize="{size}", '
                f'fontcolor={dot_string(color)}, weight="100"'
                + (', style="dashed"' if b.dashed else "") + "]")
    return decls, tops
