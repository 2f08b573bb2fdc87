"""What a variant's small panel marks, and the list of it under the panel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...signs import REMOVED
from ..text import label_width_pt, text_width_pt, wrap_to
from .panels import Panel, _link_key


@dataclass(frozen=True)
class _Entry:
    """One change a variant's small panel marks, as the list under the panel gives it."""

    code: str               # the marker in the panel ("D1"), empty for a change drawn nowhere
    sign: str               # ADDED, CHANGED or REMOVED
    text: str               # what changed, for the list
    node: str | None = None                       # the box it marks
    link: tuple[str, str, str] | None = None      # or the line: (link key, source, target)

    @property
    def marker(self) -> str:
        """The text drawn in the panel: the sign, then the code (``+D1``)."""
        return f"{self.sign}{self.code}"


def _prefixes(ps: list[Panel]) -> list[str]:
    """Each variant's marker prefix: its label's initial where unique, else its number."""
    initials = [(p.label.strip()[:1] or "V").upper() for p in ps[1:]]
    return [i if i.isalpha() and initials.count(i) == 1 else f"{k + 1}."
            for k, i in enumerate(initials)]


_INDENT = "   "  # what an entry's later lines start with, under its first word


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _entries(p: Panel, prefix: str, *, code_removed_links: bool = False) -> list[_Entry]:
    """What ``p`` marks, in drawing order: its boxes, its lines, then the rest.

    A removed line gets a code only with ``code_removed_links`` (where it is not
    drawn dotted: on one drawing of every variant's marks).
    """
    out: list[_Entry] = []
    labels = {n.id: _one_line(n.label) for n in p.scene.nodes}

    def also(ident: str) -> str:
        fields = p.hidden.get(ident)
        # "(also" kept with the first field: alone at a line's end it reads as cut off
        return f" (also\u00a0{', '.join(fields)})" if fields else ""

    for n in p.scene.nodes:
        mark = p.scene.node_highlight.get(n.id)
        if mark is not None and mark.sign:
            out.append(_Entry(f"{prefix}{len(out) + 1}", mark.sign,
                              labels[n.id] + also(n.id), node=n.id))
    coded = {e.node: e.code for e in out}

    def end(nid: str) -> str:
        code = f" ({coded[nid]})" if nid in coded else ""
        return f"\u201c{labels.get(nid, nid)}\u201d{code}"

    for lk in p.scene.links:
        mark = p.scene.link_highlight.get(id(lk))
        if mark is not None and mark.sign:
            # an added or changed line is numbered as the boxes are, its code drawn beside
            # it in the panel (the two are drawn alike); a removed one is dotted and grey
            key = _link_key(lk)
            coded_too = mark.sign != REMOVED or code_removed_links
            code = f"{prefix}{len(out) + 1}" if coded_too else ""
            out.append(_Entry(code, mark.sign, f"link from "
                              f"{end(lk.source)} to {end(lk.target)}{also(key)}",
                              link=(key, lk.source, lk.target)))
    for sign, what, fields in p.others:
        out.append(_Entry("", sign, what + (f": {', '.join(fields)}" if fields else "")))
    return out


def _entry_lines(entries: Sequence[_Entry], room: float, fontsize: float) -> list[str]:
    """The list under a small panel: one entry a line, wrapped under its first word.

    Each entry is wrapped to ``room`` points as the font draws it (not to a count of
    characters, which Arial's narrow letters leave a quarter of the column short), its
    first line after its marker, the others after an indent; its last line no word alone
    where the word before it fits beside it (a word alone read as the start of an entry).
    """
    lines: list[str] = []
    indent = label_width_pt(_INDENT, fontsize)
    for e in entries:
        head = e.marker if e.code else e.sign
        lead = max(0.0, label_width_pt(f"{head} ", fontsize) - indent)
        body = wrap_to(e.text, _chars(room, fontsize), room - indent, fontsize, lead,
                       no_widow=True)
        lines += [f"{head} {body[0]}", *(f"{_INDENT}{b}" for b in body[1:])]
    return lines or ["No change the panel can show"]


def _chars(room: float, fontsize: float) -> int:
    """About how many characters of Arial at ``fontsize`` fit ``room`` points."""
    return max(12, int(room / (fontsize * 0.55)))


def _text_width(text: str, fontsize: float) -> float:
    return text_width_pt(text, fontsize) + 4


def heading_rows(ps: Sequence[Panel], room: float, size: float) -> list[list[str]]:
    """Each panel's title in lines for a column ``room`` points wide: one line where it
    fits as drawn (measured in the font), else broken where a reader pauses
    (:meth:`.Panel.title_lines`). A row of titles is drawn as high as its longest, each
    from its top (:func:`.drawing._text_block`), so that their first lines share one
    baseline and what is under them starts level."""
    return [[p.title()] if text_width_pt(p.title(), size) <= room
            else p.title_lines(_chars(room, size)) for p in ps]
