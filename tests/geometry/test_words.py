"""Word boundaries from character gaps relative to the character size."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lingyun.geometry import GeometryError, character_gaps, word_starts
from lingyun.geometry.words import MONOSPACE_PAIRS, missed_word_starts, monospaced
from lingyun.iread import decode

from .conftest import page_records, stream, text_line


def starts_of(layout) -> np.ndarray:
    chars = layout.chars
    boxes = np.stack([chars[f] for f in ("left", "top", "right", "bottom")], axis=-1)
    return word_starts(boxes, chars["line"], chars["code"])


@given(st.lists(st.text("abcdefghij", min_size=1, max_size=8), min_size=1, max_size=8),
       st.integers(10, 40), st.integers(0, 2), st.floats(0.45, 1.5))
def test_words_are_found_at_any_type_size(words, height, letter_gap, word_ratio):
    """Letter gaps up to 0.1 of the size, word gaps from 0.45 of it: always told apart --
    unless every word is one letter and there are seven or more of them: evenly spaced
    single letters look exactly like typewritten ones (the monospace rule, below)."""
    assume(len(words) <= MONOSPACE_PAIRS or any(len(w) > 1 for w in words))
    gap = max(round(word_ratio * height), 1)
    line = text_line(" ".join(words), 5, 100, height=height, advance=height // 2,
                     letter_gap=letter_gap * height // 20, word_gap=gap)
    layout = decode(stream(page_records(4000, 200, [[line]])))
    expected = [i > 0 and c["space_before"] > 0 for i, c in enumerate(line)]
    assert starts_of(layout).tolist() == expected


def test_gaps_are_measured_within_lines_only():
    lines = [text_line("ab", 0, 30), text_line("cd", 0, 60)]
    layout = decode(stream(page_records(100, 100, [lines])))
    gaps = character_gaps(np.stack([layout.chars[f] for f in ("left", "top", "right",
                                                              "bottom")], -1),
                          layout.chars["line"])
    assert np.isnan(gaps[[0, 2]]).all() and gaps[[1, 3]].tolist() == [2, 2]


def test_chinese_is_never_spaced_but_mixed_latin_is():
    line = text_line("灵云 OCR 识别", 0, 30, word_gap=14)
    layout = decode(stream(page_records(400, 100, [[line]])))
    assert starts_of(layout).tolist() == [False, False, True, False, False, True, False]
    wide_gap = text_line("灵 云", 0, 30, word_gap=30)
    layout = decode(stream(page_records(400, 100, [[wide_gap]])))
    assert starts_of(layout).tolist() == [False, False]


CJK = "灵云识别中西比较美术学"
CJK_MARKS = "。、，：；！？（）《》"


@given(st.lists(st.text(CJK + CJK_MARKS + "%.,()“”", min_size=1, max_size=6), min_size=1,
                max_size=6).filter(lambda words: any(c in CJK + CJK_MARKS
                                                     for w in words for c in w)))
def test_cjk_punctuation_is_never_spaced(words):
    """However wide the gaps, no word starts beside a CJK character or mark where the other
    side is CJK or punctuation: a full-width mark's cell holds its white space."""
    line = text_line(" ".join(words), 0, 30, word_gap=30)
    layout = decode(stream(page_records(4000, 100, [[line]])))
    chars = [c["text"] for c in line]
    wide = [c in CJK + CJK_MARKS for c in chars]
    mark = [c not in CJK for c in chars]
    expected = [i > 0 and line[i]["space_before"] > 0
                and not (((wide[i] or wide[i - 1]) and (mark[i] or mark[i - 1]))
                         or (wide[i] and wide[i - 1]))
                for i in range(len(chars))]
    assert starts_of(layout).tolist() == expected


def test_spaces_beside_cjk_punctuation_and_in_decimals_are_dropped():
    """From the OmniDocBench pages: "54. 3%" and "45.7% 。" and "5.3% 、 6. 2%" came out of
    the gap rule; the page reads "54.3%", "45.7%。", "5.3%、6.2%"."""
    for text, expected in (("54. 3%", [False] * 5),
                           ("45.7% 。", [False] * 6),
                           ("5.3% 、 6. 2%", [False] * 9),
                           ("“ 美术 ” ( Fine Art )", [False, False, False, False, True,
                                                      True, False, False, False, True,
                                                      False, False, True]),
                           ("page 5. Next", [False, False, False, False, True, False,
                                             True, False, False, False]),
                           ("a. 3", [False, False, True])):
        line = text_line(text, 0, 30, word_gap=14)
        layout = decode(stream(page_records(4000, 100, [[line]])))
        assert starts_of(layout).tolist() == expected, text


def test_a_narrow_digit_in_tabular_figures_stays_in_its_number():
    """From the Scribe benchmark's multicol_04 (a table of percentages): the 1s of "11.4%"
    and "31.6%" stand 9 px from their neighbours at a size of 24, over the word-gap ratio;
    counted from the cell a digit fills, they are letter gaps.  A column gap still splits."""
    codes = [ord(c) for c in "11.4%"]
    boxes = [(954, 408, 961, 432), (970, 408, 977, 432), (986, 428, 989, 432),
             (991, 408, 1010, 432), (1011, 408, 1029, 433)]
    assert word_starts(boxes, [0] * 5, codes).tolist() == [False] * 5
    boxes = [(952, 532, 966, 556), (970, 532, 977, 556), (986, 552, 989, 556),
             (992, 532, 1009, 556), (1010, 532, 1027, 557)]
    assert word_starts(boxes, [0] * 5, [ord(c) for c in "31.6%"]).tolist() == [False] * 5
    # the same 1s with a column's gap (a character size) between two numbers
    boxes = [(954, 408, 961, 432), (970, 408, 977, 432), (1001, 408, 1008, 432),
             (1017, 408, 1024, 432)]
    assert word_starts(boxes, [0] * 4, [ord("1")] * 4).tolist() == [False, False, True, False]
    # and a narrow letter beside a digit keeps the plain ratio: "1 l" is two words
    boxes = [(954, 408, 961, 432), (970, 408, 974, 432)]
    assert word_starts(boxes, [0] * 2, [ord("1"), ord("l")]).tolist() == [False, True]


TABULAR = {"1": 0.36}  # a digit's ink as a share of its cell; the rest 0.8


@given(st.lists(st.text("0123456789", min_size=1, max_size=6), min_size=1, max_size=6),
       st.integers(16, 48))
def test_numbers_in_tabular_figures_split_only_between_numbers(numbers, height):
    """Every digit in a cell of one width (0.78 of the digit height, as in Helvetica's
    figures), a space one cell wide: each number stays one word, however many 1s it has,
    and a word starts at every number after the first."""
    cell = 0.78 * height
    boxes, expected, position = [], [], 0
    for k, number in enumerate(numbers):
        for i, digit in enumerate(number):
            centre = (position + 0.5) * cell
            half = TABULAR.get(digit, 0.8) * cell / 2
            boxes.append((round(centre - half), 0, round(centre + half), height))
            expected.append(k > 0 and i == 0)
            position += 1
        position += 1  # the space: one cell
    codes = [ord(c) for c in "".join(numbers)]
    assert word_starts(boxes, [0] * len(boxes), codes).tolist() == expected


def _marked_line(words: list[str], marked: list[bool], height: int, letter_gap: int,
                 word_gap: int) -> tuple[np.ndarray, list[int], list[bool], list[bool]]:
    """Boxes of ``words`` on one line, a ``word_gap`` between words (the engine marked the
    space before word ``k`` when ``marked[k - 1]``), and per character: its code, whether a
    marked space came before it, whether a word begins there."""
    boxes, codes, before, begins, x = [], [], [], [], 0
    for k, word in enumerate(words):
        for i, char in enumerate(word):
            if boxes:
                x += word_gap if i == 0 else letter_gap
            boxes.append((x, 0, x + height // 2, height))
            codes.append(ord(char))
            before.append(i == 0 and k > 0 and marked[k - 1])
            begins.append(i == 0 and k > 0)
            x += height // 2
    return np.array(boxes), codes, before, begins


@given(st.lists(st.text("abcdefghij", min_size=4, max_size=9), min_size=3, max_size=9),
       st.data(), st.integers(16, 48), st.integers(0, 2))
def test_spaces_the_engine_left_out_are_found_beside_those_it_marked(words, data, height,
                                                                     letter_gap):
    """A line whose engine marked some word spaces and ran other words together: the gaps
    as wide as its marked spaces are the ones it left out, found exactly; nothing else.
    (Words of four letters or more, as in running text: the spaces left out stay fewer
    than a quarter of the line's letter gaps, whose upper quartile says how wide letters
    stand apart.  A line of two-letter words run together three times in four is read as
    the engine read it.)"""
    marked = data.draw(st.lists(st.booleans(), min_size=len(words) - 1,
                                max_size=len(words) - 1).filter(lambda m: sum(m) >= 2))
    word_gap = max(round(0.3 * height), 6)
    boxes, codes, before, begins = _marked_line(words, marked, height, letter_gap, word_gap)
    line = [0] * len(boxes)
    expected = [b and not m for b, m in zip(begins, before, strict=True)]
    assert missed_word_starts(boxes, line, codes, before).tolist() == expected


def test_spaces_the_engine_left_out_only_where_its_marked_gaps_show():
    # from the Scribe pages: "EPSestimates" and "andgeneral" among spaces 11-15 px wide
    boxes, codes, before, begins = _marked_line(["our", "EPS", "estimates", "lower"],
                                                [True, False, True], 24, 2, 12)
    assert missed_word_starts(boxes, [0] * len(boxes), codes, before).tolist() == \
        [b and not m for b, m in zip(begins, before, strict=True)]
    # large type whose boxes run into each other: marked gaps of 1-3 px at a size of 54
    # show nothing, and a 4 px letter gap is no space (slide_01)
    boxes, codes, before, _ = _marked_line(["Next", "something", "about"], [True, True],
                                           54, 1, 2)
    boxes[5:, 0] += 3  # one letter gap of 4 px inside "something"
    boxes[5:, 2] += 3
    assert not missed_word_starts(boxes, [0] * len(boxes), codes, before).any()
    # fewer than two marked gaps: no line spacing to go by
    boxes, codes, before, _ = _marked_line(["one", "two", "three"], [True, False], 24, 2, 12)
    assert not missed_word_starts(boxes, [0] * len(boxes), codes, before).any()


def test_a_narrow_digit_beside_a_letter_is_no_space_the_engine_left_out():
    # table_12's "0.1MG" and multicol_11's "3.1%": the 1's cell, not a missed space
    boxes, codes, before, _ = _marked_line(["dose", "01MG", "daily", "x"],
                                           [True, True, True], 24, 2, 10)
    codes[4:8] = [ord(c) for c in "0.1M"]
    boxes[6] = (boxes[6][0] + 4, 0, boxes[6][0] + 8, 24)  # a narrow 1 in its cell
    boxes[7:, [0, 2]] += 6  # ... 12 px on to the M, over the line's bar (8 px)
    assert not missed_word_starts(boxes, [0] * len(boxes), codes, before).any()


def test_missed_word_starts_checks_its_flags():
    with pytest.raises(GeometryError, match="marked"):
        missed_word_starts([(0, 0, 5, 5)], [0], [ord("a")], [True, False])


def test_characters_must_be_stored_line_by_line():
    with pytest.raises(GeometryError, match="line by line"):
        word_starts([(0, 0, 5, 5), (6, 0, 9, 5)], [1, 0])


# Ink widths of Courier-like glyphs as a share of the cell: narrow letters leave wide gaps.
INK = {"i": 0.3, "l": 0.3, "t": 0.5, "m": 0.95, "w": 0.95, "a": 0.7, "s": 0.65, "e": 0.7}


def typewritten(text: str, pitch: float, height: int, jitter: list[int]) -> np.ndarray:
    """Boxes of ``text`` typed on a fixed pitch: every character (spaces too) takes one cell,
    its ink centred in it, give or take ``jitter`` pixels."""
    boxes = []
    for cell, char in enumerate(text):
        if char == " ":
            continue
        centre = cell * pitch + pitch / 2 + jitter[cell % len(jitter)]
        half = INK.get(char, 0.6) * pitch / 2
        boxes.append((round(centre - half), 10, round(centre + half), 10 + height))
    return np.array(boxes)


@given(st.lists(st.text("ilmtwase", min_size=1, max_size=7), min_size=2, max_size=7),
       st.integers(22, 40), st.lists(st.integers(0, 1), min_size=1, max_size=5))
def test_monospaced_words_split_only_where_a_cell_is_skipped(words, pitch, jitter):
    """In a typewritten line ``il`` has gaps wider than the word-gap ratio; the pitch rule
    keeps it one word, and every real space is still found (centres a pixel off, 22 px or
    more a cell: 10 pt Courier at 260 dpi; the court transcript among the public test pages
    has 23)."""
    text = " ".join(words)
    boxes = typewritten(text, pitch, round(pitch * 1.3), jitter)
    line = np.zeros(len(boxes), dtype=np.int64)
    expected = [i > 0 and text[j - 1] == " "
                for i, j in enumerate(j for j, c in enumerate(text) if c != " ")]
    letter_pairs = sum(len(w) - 1 for w in words)
    # the pitch is found from the shorter centre distances: it needs letter pairs to be at
    # least a quarter of all pairs (a line of one-letter words has none to measure)
    if len(boxes) > MONOSPACE_PAIRS and letter_pairs * 4 >= len(boxes) - 1:
        assert monospaced(boxes, line).tolist() == [True]
        assert word_starts(boxes, line).tolist() == expected


def test_a_court_transcript_line_keeps_its_words():
    text = "That was also the basement still"
    boxes = typewritten(text, 23, 30, [0, 1, 0])
    line = np.zeros(len(boxes), dtype=np.int64)
    gaps = character_gaps(boxes, line)[1:]
    assert (gaps >= 0.35 * 30).sum() > 5  # the ratio alone splits words at narrow letters
    words = np.split(np.array([c for c in text if c != " "]), np.flatnonzero(
        word_starts(boxes, line)))
    assert [''.join(w) for w in words] == text.split()
    proportional = np.array([(0, 0, 10, 30), (12, 0, 16, 30), (19, 0, 36, 30), (38, 0, 44, 30),
                             (47, 0, 60, 30), (62, 0, 66, 30), (68, 0, 90, 30), (92, 0, 99, 30)])
    assert monospaced(proportional, np.zeros(8, dtype=np.int64)).tolist() == [False]


def test_lowercase_gaps_are_measured_against_ascender_height_not_x_height():
    """Ink-tight boxes: x-height letters 14 px, ``h``/``t`` 23 px, letters 5 px apart and
    words 11 px (as on a public research-report scan).  Against the median height (14) the
    5 px letter gaps would pass for word spaces."""
    text = "the most negative for them"
    boxes, x = [], 0
    for char in text:
        if char == " ":
            x += 6  # 5 + 6 = 11 px between the words
            continue
        top = 0 if char in "htf" else 9
        boxes.append((x, top, x + 10, 23))
        x += 15
    line = np.zeros(len(boxes), dtype=np.int64)
    words = np.split(np.array([c for c in text if c != " "]),
                     np.flatnonzero(word_starts(np.array(boxes), line)))
    assert ["".join(w) for w in words] == text.split()
