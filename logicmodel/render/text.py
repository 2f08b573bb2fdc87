"""Text for diagrams: wrapping labels to a set width and quoting them for DOT.

Labels are wrapped here, in Python, so that the line breaks are the same with
every engine and in every format; a line break the author wrote is kept. User
text reaches DOT only through :func:`dot_string`, as a quoted string in which
backslashes and quotes are escaped, so it can never end the string, become an
HTML-like label or expand a Graphviz escape such as ``\\N``.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["dot_string", "estimate_width_pt", "wrap"]


_CHUNK = re.compile(r"[^-]+-+(?=[^-])|\S+")


def wrap(text: str, width: int) -> list[str]:
    """Split ``text`` into lines of at most ``width`` characters.

    Line breaks in the text are kept; runs of spaces are collapsed; lines break
    after hyphens where that helps, and a word longer than the width (a URL, a
    long compound) is broken rather than overflowing. Greedy, like
    :func:`textwrap.wrap`, and several times faster: large models have thousands
    of labels.
    """
    lines: list[str] = []
    for para in text.split("\n"):
        words = para.split()
        if not words:
            continue
        joined = " ".join(words)
        if len(joined) <= width:
            lines.append(joined)
            continue
        line = ""
        for word in words:
            glue = " " if line else ""
            for chunk in (_CHUNK.findall(word) if "-" in word else (word,)):
                if len(line) + len(glue) + len(chunk) <= width:
                    line += glue + chunk
                elif len(chunk) <= width:
                    lines.append(line)
                    line = chunk
                else:  # longer than a line: fill this line, then whole lines
                    room = width - len(line) - len(glue)
                    if line and room > 0:
                        line += glue + chunk[:room]
                        chunk = chunk[room:]
                    if line:
                        lines.append(line)
                    while len(chunk) > width:
                        lines.append(chunk[:width])
                        chunk = chunk[width:]
                    line = chunk
                glue = ""
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
