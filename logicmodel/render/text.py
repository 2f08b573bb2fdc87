"""Text for diagrams: wrapping labels to a set width and quoting them for DOT.

Labels are wrapped here, in Python, so that the line breaks are the same with
every engine and in every format; a line break the author wrote is kept. User
text reaches DOT only through :func:`dot_string`, as a quoted string in which
backslashes and quotes are escaped, so it can never end the string, become an
HTML-like label or expand a Graphviz escape such as ``\\N``.

Widths come in two kinds: the room a label's line needs in its box (:func:`label_width_pt`:
as the embedded engine measures it, which sizes the box, and at least as wide as it is drawn,
since the engine measures a character other than ASCII as spaces), and as the text is drawn
(:func:`text_width_pt`): each character at its width in the bundled font, Liberation Sans,
which has Arial's metrics, as the PDF, the bitmaps and the SVG's fonts draw it. The key, the
markers beside the links, the headings and the variants' panels are placed by these.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable, Iterator

__all__ = ["dot_string", "engine_width_pt", "heading_lines", "label_width_pt", "text_width_pt",
           "wrap", "wrap_pt", "wrap_to"]


def _words(para: str, width: int) -> Iterator[tuple[str, bool]]:
    """The words of ``para`` to wrap at ``width`` characters, each with whether it stands on
    a line of its own: a word longer than twice the width is cut into pieces of the width,
    each but the last alone on its line. A no-break space (U+00A0) ties the words either side
    of it into one, drawn with a space between them; so does a short word that opens a
    parenthesis ("(up to", "(e.g. a"), which a reader would take, alone at a line's end, for a
    stray bracket."""
    longest = 2 * width
    # at white space, but for a no-break space, which is drawn as a space
    words = para.split() if "\xa0" not in para else [
        w.replace("\xa0", " ") for w in _BREAKS.split(para) if w]
    if "(" in para:
        words = _tied_openings(words)
    for tied in words:
        # words tied together longer than twice the width are let go again, each cut alone
        for word in tied.split(" ") if len(tied) > longest else (tied,):
            while len(word) > longest:
                yield word[:width], True
                word = word[width:]
            yield word, False


_OPENING = 5  # characters: a word this short that opens a parenthesis keeps the next word


def _tied_openings(words: list[str]) -> list[str]:
    """``words`` with each short word that opens a parenthesis and does not close it joined
    to the word after it (see :func:`_words`)."""
    out: list[str] = []
    tie = False
    for word in words:
        if tie:
            out[-1] += " " + word
        else:
            out.append(word)
        tie = word.startswith("(") and len(word) <= _OPENING and ")" not in word
    return out


def wrap(text: str, width: int, fits: Callable[[str, bool], bool] | None = None) -> list[str]:
    """Split ``text`` into lines of about ``width`` characters, at spaces only.

    Line breaks in the text are kept and runs of spaces collapsed. A line never
    breaks at a no-break space (U+00A0), which is drawn as a space, nor inside a
    word: not at the hyphen of a compound ("worker-family") or a range
    ("\u00a3400k-\u00a3600k"), which a reader would take for a word split across lines.
    A word longer than the width gets a line of its own; only a
    word longer than twice the width (a URL, a hash) is cut, so that no box
    grows without limit. Greedy, like :func:`textwrap.wrap`, and several times
    faster: large models have thousands of labels.

    ``fits``: whether a line (and whether it is the first) is short enough, instead of
    ``width`` characters (see :func:`wrap_to`); ``width`` still says where a very long
    word is cut.
    """
    if fits is None:
        return list(_wrapped(text, width))
    return _wrap(text, width, fits)


@functools.lru_cache(maxsize=16384)
def _wrapped(text: str, width: int) -> tuple[str, ...]:
    """:func:`wrap` at ``width`` characters, remembered: a figure wraps each label again for
    each layout it tries, and its headings and key for each of their graphs."""
    return tuple(_wrap(text, width, None))


def _wrap(text: str, width: int, fits: Callable[[str, bool], bool] | None) -> list[str]:
    """:func:`wrap`, worked out."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word, alone in _words(para, width):
            if line and not alone and (len(line) + 1 + len(word) <= width if fits is None
                                       else fits(line + " " + word, not lines)):
                line += " " + word
                continue
            if line:
                lines.append(line)
            line = word
            if alone:
                lines.append(line)
                line = ""
        if line:
            lines.append(line)
    return lines or [text.strip() or " "]


# how many characters wider than its column's wrap a stage heading may run to save a line
HEADING_SLACK = 2


def heading_lines(text: str, width: int) -> list[str]:
    """A stage heading's lines: wrapped at ``width`` characters, or at ``HEADING_SLACK``
    more where that takes fewer lines. A heading is a few words, and one left alone
    on a line reads badly there: "Outcomes / (medium / term)" is "Outcomes / (medium
    term)", "Mechanisms / (resources / and / reasoning)" is "Mechanisms / (resources
    and / reasoning)"; a heading as short at either width keeps the narrower."""
    lines = wrap(text, width)
    if len(lines) == 1:
        return lines
    wider = wrap(text, width + HEADING_SLACK)
    return wider if len(wider) < len(lines) else lines


def wrap_to(text: str, width: int, points: float, fontsize: float, lead: float = 0.0,
            *, even: bool = False, no_widow: bool = False) -> list[str]:
    """``text`` in lines no wider than ``points`` at ``fontsize`` (see :func:`label_width_pt`),
    the first ``lead`` points narrower (for a mark put before it), broken at spaces as
    :func:`wrap` breaks them; a word wider than that has a line of its own, and a word
    longer than twice ``width`` characters is cut as :func:`wrap` cuts it.

    Each word is measured once and a line's width added up as it grows (the widths are
    whole units of an em, so the sums are exact): the same lines as :func:`wrap` with a
    test of each line's width, without measuring every line again for each word.

    ``even``: each paragraph in as many lines as that takes, as even as they go (see
    :func:`_even`): no wider, and no word left alone on the last line where it need not be.
    ``no_widow`` (for an entry of a list): filled greedily, but a word alone on a paragraph's
    last line takes the word before it along where they fit, as :func:`wrap_pt` does.
    """
    return list(_wrapped_to(text, width, points, fontsize, lead, even, no_widow))


@functools.lru_cache(maxsize=16384)
def _wrapped_to(text: str, width: int, points: float, fontsize: float, lead: float,
                even: bool, no_widow: bool) -> tuple[str, ...]:
    """:func:`wrap_to`, remembered: each layout a figure tries (and each figure drawn again
    as it was laid out) wraps the labels of a stage to the same widths again."""
    space_units = _word_units(" ")[0]
    scale = fontsize / 2048
    lines: list[str] = []
    for para in text.split("\n"):
        run: list[tuple[str, int, int, bool]] = []  # words with their widths (_word_units)
        for word, alone in _words(para, width):
            if alone:  # a piece of a very long word, unmeasured
                lines += _filled(run, points, lead if not lines else 0.0, scale,
                                 space_units, even, no_widow)
                lines.append(word)
                run = []
                continue
            run.append((word, *_word_units(word)))
        lines += _filled(run, points, lead if not lines else 0.0, scale, space_units, even,
                         no_widow)
    return tuple(lines) or (text.strip() or " ",)


def _filled(run: list[tuple[str, int, int, bool]], points: float, lead: float, scale: float,
            space: int, even: bool, no_widow: bool = False) -> list[str]:
    """The words of ``run`` (each with its widths) in lines no wider than ``points``, the first
    ``lead`` narrower; with ``even``, in as many lines, as even as they go (see :func:`_even`);
    with ``no_widow``, the last line no word alone where it need not be (see
    :func:`_unwidowed`)."""
    if not run:
        return []
    breaks = _breaks(run, points, lead, scale, space)
    if even and len(breaks) > 1:
        breaks = _even(run, breaks, points, lead, scale, space)
    elif no_widow and len(breaks) > 1:
        breaks = _unwidowed(run, breaks, points, scale, space)
    return [" ".join(word for word, *_ in run[start:end])
            for start, end in zip(breaks, [*breaks[1:], len(run)], strict=True)]


def _even(run: list[tuple[str, int, int, bool]], latest: list[int], points: float,
          lead: float, scale: float, space: int) -> list[int]:
    """Where each of as many lines of ``run`` as ``latest`` has (its lines filled greedily,
    see :func:`_breaks`) starts, each line no wider than ``points`` (or
    a word alone), the first with ``lead`` before it: the split whose lines' widths have the
    least sum of squares. Their sum is the same for every split into ``count`` lines, so this
    is the split with the most even lines: no word alone on the last line, nor on the first,
    where the others allow it.

    A line starts no later than filling the lines before it puts it, nor earlier than filling
    the lines after it from the end does, so only the starts between are tried; a run of
    words is measured from the sums of its words' widths."""
    if len(latest) == 2:  # most labels
        return [0, _even_two(run, latest[1], points, lead, scale, space)]
    n = len(run)
    engine, drawn, other = [0], [0], [0]  # sums over the words before each, a space each
    for _, more, more_drawn, more_ascii in run:
        engine.append(engine[-1] + more + space)
        drawn.append(drawn[-1] + more_drawn + space)
        other.append(other[-1] + (not more_ascii))
    room = points + 1e-6

    def wide(i: int, j: int) -> float:
        """The line of words ``i`` to ``j`` (not ``j``), with the lead before the first."""
        units = engine[j] - engine[i] - space
        if other[j] != other[i]:
            units = max(units, drawn[j] - drawn[i] - space)
        return units * scale + (lead if i == 0 else 0.0)

    def fits(i: int, j: int) -> bool:
        return j - i == 1 or wide(i, j) <= room

    count = len(latest)
    back = [n]  # the starts of the last lines, filled from the end
    while back[-1] > 0 and len(back) < count:
        start = back[-1] - 1
        while start > 0 and fits(start - 1, back[-1]):
            start -= 1
        back.append(start)
    earliest = [max(k, back[count - k] if count - k < len(back) else 0)
                for k in range(count)]
    if earliest == latest:  # one split only
        return latest
    # for each line, the least sum of squares of the lines before each of its starts, and
    # where the line before it starts
    layers: list[dict[int, tuple[float, int]]] = [{0: (0.0, 0)}]
    for k in range(1, count + 1):
        found: dict[int, tuple[float, int]] = {}
        for j in [n] if k == count else range(earliest[k], latest[k] + 1):
            for i, (cost, _) in layers[-1].items():
                if i < j and fits(i, j):
                    line = wide(i, j)
                    if j not in found or cost + line * line < found[j][0]:
                        found[j] = (cost + line * line, i)
        layers.append(found)
    if n not in layers[-1]:  # (the filled lines are among those tried: this cannot happen)
        return latest
    starts = [n]
    for k in range(count, 0, -1):
        starts.append(layers[k][starts[-1]][1])
    return starts[:0:-1]


def _even_two(run: list[tuple[str, int, int, bool]], at: int, points: float, lead: float,
              scale: float, space: int) -> int:
    """Where the second of two lines of ``run`` starts (see :func:`_even`), its lines filled
    greedily starting it at ``at``: the first of the splits with the least sum of squares.

    The same widths as :func:`_even` measures, summed a word at a time: the last line's
    from the end while it fits (where it may start), then the first line's."""
    n = len(run)
    room = points + 1e-6
    last: dict[int, float] = {}  # each start the last line may have -> its width
    units = drawn = 0
    plain = True
    j = n - 1
    while j >= 1:
        _, more, more_drawn, more_ascii = run[j]
        gap = space if j < n - 1 else 0
        units, drawn, plain = units + more + gap, drawn + more_drawn + gap, plain and more_ascii
        wide = (units if plain else max(units, drawn)) * scale
        if j < n - 1 and wide > room:
            break
        last[j] = wide
        j -= 1
    earliest = j + 1
    if earliest >= at:  # one split only
        return at
    best, found = math.inf, at
    units = drawn = 0
    plain = True
    for j in range(1, at + 1):
        _, more, more_drawn, more_ascii = run[j - 1]
        gap = space if j > 1 else 0
        units, drawn, plain = units + more + gap, drawn + more_drawn + gap, plain and more_ascii
        if j < earliest:
            continue
        first = (units if plain else max(units, drawn)) * scale + lead
        if j > 1 and first > room:
            continue
        second = last[j]
        cost = first * first + second * second
        if cost < best:
            best, found = cost, j
    return found


def _unwidowed(run: list[tuple[str, int, int, bool]], breaks: list[int], points: float,
               scale: float, space: int) -> list[int]:
    """``breaks`` (see :func:`_breaks`) with the last line starting a word earlier where it is
    one word alone, the line before has :data:`_WIDOWED` words or more and the two fit in
    ``points`` (see :func:`_no_widow`). Words tied together ("(also description,") are
    drawn as words: no word alone."""
    last = breaks[-1]
    if len(run) - last != 1 or last - breaks[-2] < _WIDOWED or " " in run[last][0]:
        return breaks
    (_, a, a_drawn, a_ascii), (_, b, b_drawn, b_ascii) = run[last - 1], run[last]
    units = a + space + b
    if not (a_ascii and b_ascii):
        units = max(units, a_drawn + space + b_drawn)
    if units * scale > points + 1e-6:
        return breaks
    return [*breaks[:-1], last - 1]


def _breaks(run: list[tuple[str, int, int, bool]], points: float, lead: float, scale: float,
            space: int) -> list[int]:
    """Where each line of ``run`` starts, filled greedily to ``points`` (the first line to
    ``lead`` less): the index of its first word."""
    room, first_room = points + 1e-6, points - lead + 1e-6
    starts: list[int] = []
    units = drawn = 0  # the line's width as the engine measures it and as drawn
    ascii_ = True
    for i, (_, more, more_drawn, more_ascii) in enumerate(run):
        if starts:
            # label_width_pt of the line with the word, from the sums
            longer = units + space + more
            longer_drawn = drawn + space + more_drawn
            wide = longer * scale
            if not (ascii_ and more_ascii):
                wide = max(wide, longer_drawn * scale)
            if wide <= (first_room if len(starts) == 1 else room):
                units, drawn, ascii_ = longer, longer_drawn, ascii_ and more_ascii
                continue
        starts.append(i)
        units, drawn, ascii_ = more, more_drawn, more_ascii
    return starts


def dot_string(text: str) -> str:
    """``text`` as a DOT double-quoted string; each ``\\n`` in it becomes a centred line break."""
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    body = body.replace("\r", "").replace("\n", "\\n")
    return f'"{body}"'


# Arial's advance widths of the printable ASCII characters (space to tilde), in 2048ths of
# an em: those of the bundled Liberation Sans, which has Arial's metrics.
_ARIAL = (
    569, 569, 727, 1139, 1139, 1821, 1366, 391, 682, 682, 797, 1196, 569, 682, 569, 569,
    1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 1139, 569, 569, 1196, 1196, 1196,
    1139, 2079, 1366, 1366, 1479, 1479, 1366, 1251, 1593, 1479, 569, 1024, 1366, 1139, 1706,
    1479, 1593, 1366, 1593, 1479, 1366, 1251, 1479, 1366, 1933, 1366, 1366, 1251, 569, 569,
    569, 961, 1139, 682, 1139, 1139, 1024, 1139, 1139, 569, 1139, 1139, 455, 455, 1024, 455,
    1706, 1139, 1139, 1139, 1139, 682, 1024, 569, 1139, 1024, 1479, 1024, 1024, 1024, 684,
    532, 684, 1196,
)


class _EngineUnits(dict[str, int]):
    """Each character's width as the embedded engine measures it, in 2048ths of an em:
    Arial's for printable ASCII, a space's for each byte of any other (its UTF-8)."""

    def __missing__(self, ch: str) -> int:
        code = ord(ch)
        units = (_ARIAL[code - 32] if 32 <= code < 127 else
                 0 if code < 128 else _ARIAL[0] * len(ch.encode("utf-8")))
        self[ch] = units
        return units


_ENGINE_UNITS = _EngineUnits()


def engine_width_pt(line: str, fontsize: float) -> float:
    """How wide the embedded engine measures ``line`` at ``fontsize`` points, exactly.

    It sizes a box round its label with these widths: Arial's for ASCII text (as
    drawn), the width of a space for each byte of any other character.
    """
    return sum(map(_ENGINE_UNITS.__getitem__, line)) * fontsize / 2048


# a character with no width known here (of a script the bundled font lacks, which the SVG
# leaves to the reader's fallback fonts): 0.62 em, between Arial's small letters and capitals
_UNKNOWN = round(0.62 * 2048)


class _DrawnUnits(dict[str, int]):
    """Each character's width as drawn, in 2048ths of an em: Arial's, the bundled font's
    (Latin, Greek, Cyrillic, Hebrew, punctuation such as dashes and quotation marks,
    currency signs); an em for a wide East Asian character, nothing for a combining mark,
    a format or a control character, and :data:`_UNKNOWN` for any other."""

    def __missing__(self, ch: str) -> int:
        code = ord(ch)
        if 32 <= code < 127:
            units = _ARIAL[code - 32]
        elif unicodedata.combining(ch) or unicodedata.category(ch) in _ZERO_WIDTH:
            units = 0
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            units = 2048
        else:
            from .fonts import advances

            units = advances().get(code, _UNKNOWN)
        self[ch] = units
        return units


_ZERO_WIDTH = frozenset(("Mn", "Me", "Cf", "Cc"))
_DRAWN_UNITS = _DrawnUnits()


@functools.lru_cache(maxsize=16384)
def _word_units(word: str) -> tuple[int, int, bool]:
    """A word's width as the engine measures it and as drawn (see :func:`label_width_pt`), in
    2048ths of an em, and whether it is ASCII (whose widths are the same either way)."""
    units = sum(map(_ENGINE_UNITS.__getitem__, word))
    if word.isascii():
        return units, units, True
    return units, sum(map(_DRAWN_UNITS.__getitem__, word)), False


@functools.lru_cache(maxsize=16384)
def label_width_pt(line: str, fontsize: float) -> float:
    """The room a line of a label needs at ``fontsize`` points: as the engine measures it,
    which sizes its box, and for text other than ASCII, which the engine measures as spaces, at
    least as wide as it is drawn, each character at its own width (see :class:`_DrawnUnits`)."""
    width = engine_width_pt(line, fontsize)
    if line.isascii():
        return width
    return max(width, sum(map(_DRAWN_UNITS.__getitem__, line)) * fontsize / 2048)


# --- drawn text: the widths the PDF and the SVG's fonts give ------------------------------

class _DrawnMilli(dict[str, int]):
    """Each character's width as drawn (see :class:`_DrawnUnits`) in thousandths of an em,
    rounded: for ASCII, Helvetica's metrics, to which Arial's widths were drawn (text in ASCII
    is placed exactly as when it was measured in those)."""

    def __missing__(self, ch: str) -> int:
        units = round(_DRAWN_UNITS[ch] * 1000 / 2048)
        self[ch] = units
        return units


_DRAWN_MILLI = _DrawnMilli()


@functools.lru_cache(maxsize=16384)
def _measure(line: str) -> int:
    """``line``'s width as drawn, in thousandths of an em."""
    return sum(map(_DRAWN_MILLI.__getitem__, line))


def text_width_pt(line: str, fontsize: float) -> float:
    """The width of ``line`` as drawn at ``fontsize`` points: each character at its width
    in the bundled font, Arial's (see :class:`_DrawnUnits`), to a thousandth of an em."""
    return _measure(line) * 0.001 * fontsize


_BREAKS = re.compile(r"[^\S\xa0]+")  # white space, but for a no-break space


def wrap_pt(text: str, width: float, fontsize: float) -> list[str]:
    """``text`` in lines no wider than ``width`` points where it can be, broken at spaces.

    Never at a no-break space (U+00A0), which ties the words either side of it on one
    line and is drawn as a space. Filled greedily, but for the last line: a word that would
    stand alone there takes the word before it along (see :func:`_no_widow`), in as many lines.
    """
    return list(_wrapped_pt(text, width, fontsize))


@functools.lru_cache(maxsize=16384)
def _wrapped_pt(text: str, width: float, fontsize: float) -> tuple[str, ...]:
    """:func:`wrap_pt`, remembered: a key's entries are wrapped at each width its columns
    try, again for the figure's width once it is laid out, and for each layout a fit tries."""
    lines: list[list[str]] = []  # each line's words, those tied by no-break spaces as one
    space = _DRAWN_MILLI[" "]
    units = 0  # the last line's
    for word in _BREAKS.split(text.strip()):
        if not word:
            continue
        word = word.replace("\xa0", " ")
        more = _measure(word)
        if lines and (units + space + more) * 0.001 * fontsize <= width:
            lines[-1].append(word)
            units += space + more
        else:
            lines.append([word])
            units = more
    _no_widow(lines, width, fontsize)
    return tuple(" ".join(line) for line in lines) or (" ",)


_WIDOWED = 3  # words: a line at least this long gives its last word to a word alone below it


def _no_widow(lines: list[list[str]], width: float, fontsize: float) -> None:
    """Move the last word of the line before the last down to it where the last line is one
    word alone, the line before keeps two words or more and the two words fit in ``width``.

    A list's entry that ends in a word alone ("Budgets add to other services, not replace /
    them") reads as a stray word, or as the start of the next entry; moving one word down
    ("... not / replace them") keeps the entry's lines, every one no wider than before but
    the last, which fits. Words tied by no-break spaces ("A1 beside a link") count as one
    to move, and are no word alone at the end: they are drawn as words."""
    if len(lines) < 2 or len(lines[-1]) != 1 or " " in lines[-1][0] \
            or len(lines[-2]) < _WIDOWED:
        return
    joined = f"{lines[-2][-1]} {lines[-1][0]}"
    if _measure(joined) * 0.001 * fontsize <= width:
        lines[-1].insert(0, lines[-2].pop())
