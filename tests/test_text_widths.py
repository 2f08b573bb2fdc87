"""Text measured as it is drawn: the room a label's line is given in its box, and the width
of the key's text and the markers, by which they are placed.

The embedded engine measures ASCII as Arial draws it and any other character as a
space a byte; ``label_width_pt`` takes for such a line the larger of that and the line
as drawn, in the bundled Liberation Sans (Arial's metrics), which the PDF draws with and
the SVG's fonts share. ``text_width_pt`` measures text as drawn in that font, to a
thousandth of an em (Helvetica's metrics for ASCII, which are Arial's to that).
"""

from __future__ import annotations

import itertools
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logicmodel.loader import load, load_text
from logicmodel.render import RenderOptions, render
from logicmodel.render.diff import render_diff
from logicmodel.render.fonts import uncovered
from logicmodel.render.text import (
    engine_width_pt,
    label_width_pt,
    text_width_pt,
    wrap,
    wrap_pt,
    wrap_to,
)
from tests.svg_geometry import SVG, node_boxes, text_boxes, text_width

ROOT = Path(__file__).resolve().parent.parent

# lines from the figures (a dash, a currency sign, a variant's mark) that the engine measures
# narrower than they are drawn; and others, with quotation marks and signs it measures wider
DRAWN_WIDER = ["collaboration\u2014being able to choose", "up to \u00a310,000 per family",
               "\u0394 Worker and family decide what"]
OTHERS = ["Mother\u2013child health services", "\u20ac5 \u2013 \u201cup to\u201d\u2026",
          "\u2022 the \u2018short\u2019 list", "\u2212 Austerity: councils unused",
          "caf\u00e9 na\u00efve \u201cquoted\u201d"]


@pytest.mark.parametrize("line", DRAWN_WIDER)
def test_a_line_with_a_dash_or_a_sign_is_measured_as_drawn(line: str) -> None:
    # the box gets their drawn width (it gave every character of them 0.62 em, a third more
    # than Arial's letters)
    for size in (8.0, 10.0, 14.0):
        drawn = text_width(line, size)
        assert engine_width_pt(line, size) < drawn
        assert label_width_pt(line, size) == pytest.approx(drawn, rel=1e-6)


@pytest.mark.parametrize("line", [
    *DRAWN_WIDER, *OTHERS, "\u0141\u00f3d\u017a \u0153uvre \u0100",
    "\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac \u03ba\u03b5\u03af\u03bc\u03b5\u03bd\u03bf",
    "\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440", "\u05e9\u05dc\u05d5\u05dd",
    "e\u0301te\u0301", "\u4e2d\u6587\u6807\u7b7e labels", "\u0645\u0631\u062d\u0628\u0627 x"])
def test_a_line_is_never_given_less_room_than_the_engine_or_the_font_measure(line: str) -> None:
    size = 10.0
    width = label_width_pt(line, size)
    assert width >= engine_width_pt(line, size) - 1e-9  # the engine sizes the box by this
    if not uncovered([line]):                            # drawn with the bundled font
        drawn = text_width(line, size)
        assert width == pytest.approx(max(drawn, engine_width_pt(line, size)), rel=1e-6)


def test_wide_east_asian_characters_have_an_em_each() -> None:
    line = "\u65e5\u672c\u8a9e\u306e\u30e9\u30d9\u30eb"
    assert label_width_pt(line, 10.0) >= 10.0 * len(line)


def test_a_line_with_a_dash_is_not_wrapped_early() -> None:
    text = "Empowerment, support and collaboration\u2014being able to choose"
    room = text_width("collaboration\u2014being able to choose", 14.0) + 0.5
    assert wrap_to(text, 40, room, 14.0) == ["Empowerment, support and",
                                             "collaboration\u2014being able to choose"]


def test_the_figures_wrap_such_labels_where_a_reader_expects() -> None:
    tinner = render(load(ROOT / "docs/examples/tinner2024_realist_cmo.yaml"), "dot").data
    assert "collaboration\u2014being able to choose\\n".encode() in tinner
    flagship = render(load(ROOT / "models/devolved_budgets.yaml"), "dot").data
    assert "Change Programme funding\\n(\u00a32.4m across six councils)".encode() in flagship


def _spills(svg: bytes) -> list[str]:
    """The lines drawn with the bundled font that reach a side of their box."""
    out = []
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("class") != "node":
            continue
        boxes = node_boxes(g)
        if len(boxes) != 1:
            continue
        [box] = boxes
        for t in text_boxes(g):
            if not uncovered([t.text]) and (t.x0 < box.x0 + 2 or t.x1 > box.x1 - 2):
                out.append(t.text)
    return out


def test_text_other_than_ascii_stays_inside_its_box() -> None:
    final = load(ROOT / "models/devolved_budgets.yaml")
    protocol = load(ROOT / "docs/examples/devolved_budgets_protocol.yaml")
    assert _spills(render_diff(protocol, final, "svg").data) == []  # its boxes marked with Δ
    for example in ("tinner2024_realist_cmo", "khan2017_ecd_pakistan", "frameworks/magenta_book"):
        assert _spills(render(load(ROOT / f"docs/examples/{example}.yaml"), "svg").data) == []
    scripts = ("\u0394 \u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac "
               "\u041f\u0440\u0438\u0432\u0435\u0442 \u05e9\u05dc\u05d5\u05dd "
               "\u2014 \u00a310,000 \u2026 \u201cquoted\u201d caf\u00e9 \u0141\u00f3d\u017a")
    doc = load_text("logicmodel: 1\ntitle: T\nnodes:\n"
                    f"  - {{id: a, kind: activity, label: '{scripts}'}}\n"
                    f"  - {{id: b, kind: output, label: '\u2013 {scripts} \u2013'}}\n"
                    "links:\n  - {from: a, to: b}\n")
    assert doc.model is not None
    assert _spills(render(doc.model, "svg").data) == []


# --- text as drawn: the key's, the markers' -------------------------------------------------

# a variant's marks, a pathway's entry in a diff figure's key, and text of the scripts and
# punctuation the bundled font has
AS_DRAWN = ["\u0394D1 \u0394H1 \u0394W1", "Pathway: Improved worker-family relationship "
            "(\u0394 route changed)", "\u0394 Changed", "\u0141\u00f3d\u017a \u0142\u0105ka",
            "\u00a3400k\u2013\u00a3600k", "caf\u00e9 \u2014 na\u00efve \u201cquoted\u201d",
            "\u03b1\u2192\u03b2 \u0391\u03b8\u03ae\u03bd\u03b1",
            "\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440",
            "\u05e9\u05dc\u05d5\u05dd", "\u2022 \u2026 \u2212 \u20ac \u2264 \u2265"]


@pytest.mark.parametrize("line", AS_DRAWN)
def test_text_is_measured_as_the_bundled_font_draws_it(line: str) -> None:
    # each character at its width in Liberation Sans, to a thousandth of an em (\u0394 was
    # measured 1.61 em, Helvetica's metrics and an em more for a character they lack,
    # instead of 0.67; \u0141 and \u0142 0.76 em, their default, instead of 0.56 and 0.22)
    for size in (7.0, 10.0, 11.5):
        assert text_width_pt(line, size) == pytest.approx(text_width(line, size),
                                                          abs=0.0005 * size * len(line))


def test_a_variants_marks_are_measured_within_a_few_percent_of_their_width() -> None:
    marks = "\u0394D1 \u0394H1 \u0394W1"
    assert text_width_pt(marks, 10.0) == pytest.approx(text_width(marks, 10.0), rel=0.005)
    assert text_width_pt(marks, 10.0) < 1.1 * text_width("+D1 +H1 +W1", 10.0)


def test_ascii_is_measured_as_before() -> None:
    # Helvetica's metrics are Arial's to a thousandth of an em: figures in ASCII are unchanged
    from reportlab.pdfbase.pdfmetrics import stringWidth

    ascii_ = "".join(map(chr, range(32, 127)))
    for line in (ascii_, "Pathway: Improved worker-family relationship", "A1 B2 E4", ""):
        for size in (7.0, 10.0, 11.5):
            assert text_width_pt(line, size) == stringWidth(line, "Helvetica", size)


def test_text_the_font_lacks_is_measured_as_the_reader_sees_it() -> None:
    size = 10.0
    # an em for a Chinese, Japanese or Korean character, nothing for a combining mark
    assert text_width_pt("\u4e2d\u6587\u30e9\ud55c", size) == pytest.approx(4 * size)
    assert text_width_pt("e\u0301te\u0301", size) == text_width_pt("ete", size)
    assert text_width_pt("a\u200bb", size) == text_width_pt("ab", size)
    # one of a script the font lacks (Arabic, Devanagari): 0.62 em, which the SVG's reader's
    # fonts draw and PNG and PDF refuse (LM618)
    for line in ("\u0645\u0631\u062d\u0628\u0627", "\u0928\u092e\u0938\u094d\u0924\u0947"):
        lacking = [c for c in line if unicodedata.category(c) != "Mn"]  # its vowel signs
        assert uncovered([line])
        assert text_width_pt(line, size) == pytest.approx(0.62 * size * len(lacking))


def test_the_keys_text_is_wrapped_at_its_drawn_width() -> None:
    line = "\u0394D1 \u0394H1 \u0394W1 \u0394D1 \u0394H1 \u0394W1"
    room = text_width(line, 10.0) + 0.5
    assert wrap_pt(" ".join([line] * 3), room, 10.0) == [line] * 3


def _greedy_lines(words: list[str], room: float, size: float) -> int:
    """How many lines filling each line to ``room`` before the next puts ``words`` in (measured
    as :func:`wrap_pt` measures them, so that a line exactly as wide as the room is one)."""
    count, line = 0, ""
    for word in words:
        if line and text_width_pt(f"{line} {word}", size) <= room:
            line = f"{line} {word}"
        else:
            count, line = count + 1, word
    return count


def test_a_keys_entry_ends_in_two_words_not_one_alone() -> None:
    # the flagship's A4 at the width of its column of markers under a page's figure: "them"
    # alone on the entry's last line read as a stray word
    text = "Budgets add to other services, not replace them"
    room = text_width("Budgets add to other services, not replace", 10.0) + 1
    assert wrap_pt(text, room, 10.0) == ["Budgets add to other services, not", "replace them"]
    # a line of two words keeps them both; two words that do not fit one line stay apart
    assert wrap_pt("Fairness and transparency", text_width("Fairness and", 10.0) + 1,
                   10.0) == ["Fairness and", "transparency"]
    wide = "transparency"
    assert wrap_pt(f"a b c {wide}", text_width(f"c {wide}", 10.0) - 1, 10.0) == ["a b c", wide]
    # words tied by no-break spaces are drawn as words: no word alone
    tied = "Markers (A assumption): A1\xa0beside\xa0a\xa0link"
    assert wrap_pt(tied, text_width("Markers (A assumption):", 10.0) + 1, 10.0) \
        == ["Markers (A assumption):", "A1 beside a link"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "to", "the", "budgets", "families", "workers'",
                                 "worker-family", "Encouragement,", "\u00a310,000"]),
                min_size=1, max_size=24),
       st.floats(20.0, 300.0))
def test_the_keys_lines_end_in_no_word_alone_and_are_as_many_as_filled(
        words: list[str], room: float) -> None:
    size = 10.0
    lines = wrap_pt(" ".join(words), room, size)
    assert " ".join(lines).split() == words
    # as many lines as filling each line puts the words in, each within the room (or one
    # word alone, wider than the room)
    assert len(lines) == _greedy_lines(words, room, size)
    for line in lines:
        assert text_width_pt(line, size) <= room + 1e-6 or " " not in line
    # the last line is a word alone only where the line above has two words at most, or
    # its last word and that word together do not fit the room
    if len(lines) > 1 and " " not in lines[-1]:
        above = lines[-2].split()
        assert len(above) < 3 or text_width_pt(f"{above[-1]} {lines[-1]}", size) > room


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "to", "the", "random", "families", "sources,", "30-50",
                                 "\u0394D2", "\u201cWorker", "\u00a310,000"]),
                min_size=1, max_size=24),
       st.floats(20.0, 300.0), st.sampled_from([0.0, 6.0]))
def test_a_lists_entry_wrapped_to_a_width_ends_in_no_word_alone(
        words: list[str], room: float, lead: float) -> None:
    # the lists under the variants' panels: the lines of filling each in turn but for the last
    # two, where a word alone on the last takes the word before it along if they fit
    size = 9.0
    text = " ".join(words)
    greedy = wrap_to(text, 40, room, size, lead)
    lines = wrap_to(text, 40, room, size, lead, no_widow=True)
    assert len(lines) == len(greedy)
    if lines != greedy:
        assert lines[:-2] == greedy[:-2]
        assert " ".join(lines[-2:]) == " ".join(greedy[-2:])
        assert len(greedy[-1].split()) == 1
        assert len(lines[-1].split()) == 2
        assert label_width_pt(lines[-1], size) <= room + 1e-6
    elif len(lines) > 1 and " " not in lines[-1]:
        above = lines[-2].split()
        assert len(above) < 3 or label_width_pt(f"{above[-1]} {lines[-1]}", size) > room


def test_a_lists_entry_keeps_a_word_that_opens_a_parenthesis_with_the_next() -> None:
    # "(also description," is drawn as two words tied together: it comes down whole, and a
    # line of it alone is no word alone
    text = "Worker and family decide what would help (also description, sources, evidence status)"
    room = label_width_pt("help (also description, sources, evidence", 9.0) + 1
    assert wrap_to(text, 40, room, 9.0, no_widow=True)[-2:] == [
        "help (also description, sources,", "evidence status)"]
    text = "Identify children at risk of a care order (also description,"
    room = label_width_pt("Identify children at risk of a care order", 9.0) + 1
    assert wrap_to(text, 40, room, 9.0, no_widow=True) == [
        "Identify children at risk of a care order", "(also description,"]


def _key_box(root: ET.Element, label: str) -> tuple[float, float]:
    """The width of the key's sample box labelled ``label``, and of its text as drawn."""
    for g in root.iter(f"{SVG}g"):
        texts = [t for t in text_boxes(g) if t.text == label]
        outline = g.find(f"{SVG}polygon")
        if "lm-key" in (g.get("class") or "") and texts and outline is not None:
            xs = [float(p.split(",")[0]) for p in (outline.get("points") or "").split()]
            return max(xs) - min(xs), texts[0].x1 - texts[0].x0
    raise AssertionError(f"no box {label!r} in the key")


def test_a_diff_figures_key_gives_its_marks_the_room_they_need() -> None:
    final = load(ROOT / "models/devolved_budgets.yaml")
    protocol = load(ROOT / "docs/examples/devolved_budgets_protocol.yaml")
    root = ET.fromstring(render_diff(protocol, final, "svg").data)
    added_box, added_text = _key_box(root, "+ Added")
    changed_box, changed_text = _key_box(root, "\u0394 Changed")
    # the box marked with a \u0394 has room round its text as the one marked with a +
    # (it had 9 pt more: the \u0394 was measured an em wider than drawn)
    assert changed_box - changed_text == pytest.approx(added_box - added_text, abs=0.5)


# --- what is placed by text as drawn: the markers' room, the ceiling, the variants' marks -----

def test_a_link_within_a_stage_gets_room_for_its_markers_as_drawn() -> None:
    # the gap between the boxes: the markers' width, 14 pt each side (to a space's width), and
    # the engine's space between boxes (their width was 0.62 em a character: 7 pt more here)
    doc = load_text("logicmodel: 1\ntitle: T\nnodes:\n"
                    "  - {id: a, kind: activity, label: Plan the work}\n"
                    "  - {id: b, kind: activity, label: Do the work}\n"
                    "  - {id: c, kind: output, label: Work done}\n"
                    "links:\n  - {from: a, to: b, assumptions: [x1, x2, x3]}\n"
                    "  - {from: b, to: c}\n"
                    "assumptions:\n  - {id: x1, label: One}\n  - {id: x2, label: Two}\n"
                    "  - {id: x3, label: Three}\n")
    assert doc.model is not None
    svg = render(doc.model, "svg", RenderOptions(direction="TB")).data
    boxes = {b.text.split(" (")[0]: b for b in node_boxes(ET.fromstring(svg))}
    gap = boxes["Do the work"].x0 - boxes["Plan the work"].x1
    room = text_width("A1 A2 A3", 10.0) + 28
    nodesep = 0.16 * 72
    assert room + nodesep - 1 <= gap <= room + nodesep + 0.278 * 10.0 + 1


def test_the_ceiling_runs_midway_between_what_is_drawn_either_side() -> None:
    # the text either side measured as drawn (at 0.62 em a character, the headings and the
    # boxes' text reached further than drawn, and the line was 1.5 pt off the middle)
    svg = render(load(ROOT / "docs/examples/hiltensperger2024_toc_ceiling.yaml"), "svg").data
    root = ET.fromstring(svg)
    line = next(el for el in root.iter(f"{SVG}polyline")
                if el.get("stroke-dasharray") == "5,2")
    x = float((line.get("points") or "").split(",")[0])
    graph = root.find(f"{SVG}g")
    assert graph is not None
    drawn = [*node_boxes(graph), *text_boxes(graph)]
    before = x - max(b.x1 for b in drawn if b.x1 < x)
    after = min(b.x0 for b in drawn if b.x0 > x) - x
    assert before == pytest.approx(after, abs=0.1)


@pytest.mark.parametrize("mark", ["\u0394D1", "+W3", "\u2212D4", "\u0394H1 \u0394W1"])
def test_a_variants_mark_gets_its_drawn_width(mark: str) -> None:
    from logicmodel.render.multiples.entries import _text_width

    # a panel's marked box, a link's code: as wide as the mark is drawn, and 2 pt each side
    for size in (7.0, 8.0, 10.0):
        assert _text_width(mark, size) == pytest.approx(text_width(mark, size) + 4,
                                                        abs=0.0005 * size * len(mark))


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=st.sampled_from([*"abcXYZ019-,.£€ΔłŁ中é\u0301\x01", " ", " ", "\n"]),
                    max_size=60),
       width=st.integers(1, 30), points=st.floats(0, 200), lead=st.floats(0, 30),
       size=st.sampled_from([7.0, 8.5, 9.0, 14.0]))
def test_a_label_wrapped_to_a_width_has_each_line_measured_as_it_is_drawn(
        text: str, width: int, points: float, lead: float, size: float) -> None:
    # wrap_to adds a line's width up word by word; the lines are those of wrapping with each
    # line measured whole (the engine's widths, and as drawn where they are wider)
    def fits(line: str, first: bool) -> bool:
        return label_width_pt(line, size) <= points - (lead if first else 0.0) + 1e-6

    assert wrap_to(text, width, points, size, lead) == wrap(text, width, fits)


def test_a_label_wrapped_to_a_width_fills_a_line_to_the_point() -> None:
    # a line exactly as wide as the room fits, a ten-thousandth of a point more does not
    room = label_width_pt("Worker and family", 9.0)
    assert wrap_to("Worker and family decide", 40, room, 9.0) == ["Worker and family", "decide"]
    assert wrap_to("Worker and family decide", 40, room - 1e-4, 9.0) == [
        "Worker and", "family decide"]
    # and a line with a letter the engine measures as spaces, at its width as drawn
    drawn = label_width_pt("Δ Worker", 9.0)
    assert drawn > engine_width_pt("Δ Worker", 9.0)
    assert wrap_to("Δ Worker", 40, drawn, 9.0) == ["Δ Worker"]
    assert wrap_to("Δ Worker", 40, drawn - 1e-4, 9.0) == ["Δ", "Worker"]


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(["a", "to", "care", "Reduced", "worker-family",
                                       "£400k-£600k", "Δ", "need\xa0for", "children", "W"]),
                      min_size=1, max_size=9),
       points=st.floats(10, 120), lead=st.sampled_from([0.0, 6.0]))
def test_a_label_wrapped_evenly_takes_as_many_lines_and_the_most_even_split(
        words: list[str], points: float, lead: float) -> None:
    # as many lines as filling each line takes, none wider than it allows (a word alone
    # may be), and of every such split the one whose lines' widths have the least sum of squares
    text = " ".join(words)
    greedy = wrap_to(text, 40, points, 9.0, lead)
    even = wrap_to(text, 40, points, 9.0, lead, even=True)
    assert len(even) == len(greedy)
    assert " ".join(even) == " ".join(greedy) == text.replace("\xa0", " ")

    def widths(lines: list[str]) -> list[float]:
        return [label_width_pt(line, 9.0) + (lead if k == 0 else 0.0)
                for k, line in enumerate(lines)]

    tokens = [w.replace("\xa0", " ") for w in words]

    def allowed(lines: list[str]) -> bool:
        return all(w <= points + 1e-6 or line in tokens
                   for w, line in zip(widths(lines), lines, strict=True))

    assert allowed(even)
    best = min(sum(w * w for w in widths(lines))
               for cuts in itertools.combinations(range(1, len(tokens)), len(greedy) - 1)
               if allowed(lines := [" ".join(tokens[a:b]) for a, b in
                                    zip((0, *cuts), (*cuts, len(tokens)), strict=True)]))
    assert sum(w * w for w in widths(even)) == pytest.approx(best)


def test_a_label_wrapped_evenly_leaves_no_word_alone_where_it_need_not() -> None:
    # the flagship's labels the greedy wrap left a word alone on (174 x 230 mm, 8.5 pt)
    room = label_width_pt("Reduced need for", 8.5)
    text = "Reduced need for children to enter care"
    assert wrap_to(text, 24, room, 8.5) == ["Reduced need for", "children to enter", "care"]
    assert wrap_to(text, 24, room, 8.5, even=True) == ["Reduced need", "for children",
                                                       "to enter care"]
    # never inside a hyphenated word, and a no-break space ties its words
    assert wrap_to("Improved worker-family relationship", 24, 60, 9.0, even=True) == [
        "Improved", "worker-family", "relationship"]
    assert wrap_to("Risks to the\xa0child reduced", 24, label_width_pt("Risks to the", 9.0),
                   9.0) == ["Risks to", "the child", "reduced"]


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(["(up", "to", "£10,000", "(e.g.", "a", "(", "family)",
                                       "Devolved", "budget", "(specialists", "and"]),
                      min_size=1, max_size=9),
       width=st.integers(8, 30))
def test_a_short_word_opening_a_parenthesis_never_ends_a_line(words: list[str],
                                                              width: int) -> None:
    # "(up" alone at a line's end reads as a stray bracket: it keeps the word after it,
    # by characters and by points, greedy and even; a longer one ("(specialists") may end one
    # (words tied into a run longer than twice the width are let go, as a long word is cut)
    from hypothesis import assume

    def opens(word: str) -> bool:
        return word.startswith("(") and len(word) <= 5 and ")" not in word

    runs: list[str] = []
    for k, word in enumerate(words):
        if k and opens(words[k - 1]):
            runs[-1] += " " + word
        else:
            runs.append(word)
    assume(all(len(run) <= 2 * width for run in runs))
    text = " ".join(words)
    for lines in (wrap(text, width), wrap_to(text, width, width * 5.0, 9.0),
                  wrap_to(text, width, width * 5.0, 9.0, even=True)):
        assert " ".join(lines) == text
        for line in lines[:-1]:
            assert not opens(line.split()[-1]), lines


def test_the_protocol_s_budget_box_keeps_its_parenthesis_whole() -> None:
    from logicmodel.loader import load
    from logicmodel.render import render
    from tests.conftest import ROOT

    dot = render(load(ROOT / "docs" / "examples" / "devolved_budgets_protocol.yaml"),
                 "dot").data.decode()
    assert 'label="Devolved budget (up to\\n£10,000 per family)"' in dot


@pytest.mark.parametrize(("where", "view", "heading"), [
    ("models/parenting_realist.yaml", "paper", "Mechanisms\\n(resources and\\nreasoning)"),
    ("models/girls_education_logframe.yaml", "paper", "Outcomes\\n(medium term)"),
    ("models/devolved_budgets.yaml", "paper", "Medium-term\\noutcomes"),
])
def test_a_stage_heading_leaves_no_word_alone_where_a_little_more_width_saves_a_line(
        where: str, view: str, heading: str) -> None:
    """A stage heading of the rows' column runs two characters past its wrap where that
    takes a line fewer ("Mechanisms / (resources / and / reasoning)" left "and" alone), and
    is wrapped as before where it does not (the flagship's headings are unchanged)."""
    dot = render(load(str(ROOT / where)), "dot", RenderOptions(view=view)).data.decode()
    assert f'label="{heading}"' in dot


def test_a_label_is_wrapped_once_for_every_layout_of_its_figure(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A figure drawn again (a layout tried again while fitting, the figure redrawn with its
    markers placed, the same model rendered again) wraps no label again; what the callers
    get is their own list, which changing does not change the next."""
    import logicmodel.render.text as text

    model = load(ROOT / "models/devolved_budgets.yaml")
    render(model, "dot")
    filled: list[object] = []
    real = text._filled
    monkeypatch.setattr(text, "_filled", lambda *a: filled.append(a) or real(*a))
    again = render(model, "dot").data
    assert filled == []
    lines = wrap_to("Families and workers plan the budget together", 12, 60.0, 10.0)
    lines.append("changed")
    assert wrap_to("Families and workers plan the budget together", 12, 60.0, 10.0) == [
        line for line in lines if line != "changed"]
    words = wrap("Families and workers plan the budget together", 12)
    words.clear()
    assert wrap("Families and workers plan the budget together", 12)
    monkeypatch.undo()
    assert render(model, "dot").data == again
