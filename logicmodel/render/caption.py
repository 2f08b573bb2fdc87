"""The figure's key as text, for the caption.

Journals want symbols and abbreviations explained in the caption, not inside the
figure file. ``key_caption`` says in words what the figure's key draws: the
shape of each kind of box drawn, each kind of line, and every assumption and
moderator marker with its text, in the same order and numbering as the figure.
``--key caption`` then leaves the key out of the figure, and ``-o fig.txt``
writes this text.
"""

from __future__ import annotations

from ..schema import NODE_KINDS
from .key import line_entries, marker_heading, marker_note
from .themes import SHAPE_WORDS, Theme
from .views import Scene

__all__ = ["key_caption"]


def _sentence(label: str, parts: list[str]) -> str:
    return f"{label}: " + "; ".join(parts) + "." if parts else ""


def key_caption(scene: Scene, theme: Theme) -> str:
    """The key of a figure of ``scene`` as caption text (one paragraph, UTF-8)."""
    words = scene.kind_words()
    drawn = [k for k in NODE_KINDS if k in words]
    boxes = [f"{_filled(SHAPE_WORDS[NODE_KINDS[k].shape], theme.fill_words.get(k))}, "
             f"{words[k].lower()}" for k in drawn]
    boxes += [f"boxes marked {m.sign}, {m.name.lower()}" for m in scene.highlights
              if m in scene.node_highlight.values()]
    lines = [f"{words}, " + (f"the pathway \u201c{meaning[9:]}\u201d"
                             if meaning.startswith("Pathway: ")
                             else meaning[0].lower() + meaning[1:])
             for _, meaning, words in line_entries(scene, theme)]
    # after the note on where markers sit: "Assumptions (A): A1, ...", "Barriers (B): B1, ..."
    assumptions_heading, moderators_heading = marker_heading(scene)
    assumptions = [f"A{scene.assumption_no[a.id]}, {_plain(a.label)}"
                   for a in scene.used_assumptions()]
    moderators = [f"{scene.moderator_no[m.id]}, {_plain(m.label)}"
                  for m in scene.used_moderators()]
    note = marker_note(scene)
    parts = [_sentence("Boxes", boxes), _sentence("Lines", lines),
             *(_sentence(heading, [f"{tag}, {_plain(text)}" for tag, text in entries])
               for heading, entries in scene.key_lists),
             note[:1].upper() + note[1:] + "." if note else "",
             _sentence(assumptions_heading, assumptions),
             _sentence(moderators_heading, moderators)]
    # plain spaces: the no-break spaces that keep a figure's key lines whole are its own
    return "Key. " + " ".join(p for p in parts if p).replace("\xa0", " ") + "\n"


def _filled(shape: str, fill: str | None) -> str:
    """A shape in words with its fill colour's ("pale blue boxes", "grey hexagons")."""
    return shape if fill is None else f"{fill} {shape.removeprefix('plain ')}"


def _plain(text: str) -> str:
    return " ".join(text.split()).rstrip(".")
