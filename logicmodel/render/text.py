"""Text for diagrams: wrapping labels to a set width and quoting them for DOT.

Labels are wrapped here, in Python, so that the line breaks are the same with
every engine and in every format; a line break the author wrote is kept. User
text reaches DOT only through :func:`dot_string`, as a quoted string in which
backslashes and quotes are escaped, so it can never end the string, become an
HTML-like label or expand a Graphviz escape such as ``\\N``.
"""

from __future__ import annotations

import unicodedata

__all__ = ["dot_string", "estimate_width_pt", "wrap"]


def wrap(text: str, width: int) -> list[str]:
    """Split ``text`` into lines of about ``width`` characters, at spaces only.

    Line breaks in the text are kept and runs of spaces collapsed. A line never
    ends inside a word: not at the hyphen of a compound ("worker-family") or a
    range ("\u00a3400k-\u00a3600k"), which a reader would take for a word split
    across lines. A word longer than the width gets a line of its own; only a
    word longer than twice the width (a URL, a hash) is cut, so that no box
    grows without limit. Greedy, like :func:`textwrap.wrap`, and several times
    faster: large models have thousands of labels.
    """
    lines: list[str] = []
    longest = 2 * width
    for para in text.split("\n"):
        words = para.split()
        if not words:
            continue
        line = ""
        for word in words:
            while len(word) > longest:
                if line:
                    lines.append(line)
                    line = ""
                lines.append(word[:width])
                word = word[width:]
            if not line:
                line = word
            elif len(line) + 1 + len(word) <= width:
                line += " " + word
            else:
                lines.append(line)
                line = word
        if line:
            lines.append(line)
    return lines or [text.strip() or " "]


def dot_string(text: str) -> str:
    """``text`` as a DOT double-quoted string; each ``\\n`` in it becomes a centred line break."""
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    body = body.replace("\r", "").replace("\n", "\\n")
    return f'"{body}"'


def _char_em(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if unicodedata.combining(ch):
        return 0.0
    return 0.62


def estimate_width_pt(lines: list[str], fontsize: float) -> float:
    """A generous width in points for lines that hold non-ASCII text.

    The embedded engine measures only ASCII characters exactly; for others it
    falls back to the width of a space. Boxes for such labels get this width as
    their minimum, so that text such as Chinese or Greek never spills out.
    """
    return max((sum(_char_em(c) for c in line) for line in lines), default=0.0) * fontsize
