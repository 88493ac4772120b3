"""Where a column separator begins and ends (geometry.columns): page headers beside the
columns, and the longer column's last lines."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lingyun.geometry.columns import _followed, column_order, separators

H = 20  # line height; lines of a column 30 px apart (a 10 px gap, half a line)


def column(x: int, width: int, first: int, count: int, label: str) -> list[tuple]:
    """``count`` lines of one column, ``(box, text)``, from ``y = first``."""
    return [((x, first + 30 * r, x + width, first + 30 * r + H), f"{label}{r}")
            for r in range(count)]


def read(lines: list[tuple]) -> list[str]:
    shuffled = [lines[i] for i in np.random.default_rng(3).permutation(len(lines))]
    found = column_order([box for box, _ in shuffled])
    return [shuffled[i][1] for i in found.order.tolist()]


def test_a_page_header_at_the_right_margin_is_read_before_both_columns():
    # a title at the top left; beside it, at the right margin, a logo, an analyst's name
    # and a rating that do not start at the gutter (x 400) -- more than ``heading`` (3 h)
    # above the right column's first line, so not its heading; then two columns
    lines = [((40, 20, 300, 40), "title"), ((600, 20, 760, 40), "logo"),
             ((620, 50, 760, 70), "analyst"), ((640, 80, 760, 100), "rating")]
    lines += column(40, 340, 130, 6, "a") + column(420, 340, 130, 6, "b")
    assert read(lines) == ["title", "logo", "analyst", "rating",
                           *[f"a{r}" for r in range(6)], *[f"b{r}" for r in range(6)]]
    boxes = np.array([box for box, _ in lines], dtype=np.float64)
    found = separators(boxes, float(H))
    assert len(found) and np.all(found.top >= 130)  # begins where the right column does


def test_a_heading_that_starts_at_the_gutter_stays_with_its_column():
    # the right column's own heading starts at the gutter: it is the column's first line
    lines = [*column(40, 340, 20, 8, "a"), ((420, 20, 600, 40), "heading")]
    lines += column(420, 340, 50, 7, "b")
    assert read(lines) == [*[f"a{r}" for r in range(8)], "heading",
                           *[f"b{r}" for r in range(7)]]


def test_a_centred_heading_over_the_right_column_stays_with_it():
    # the right column's heading is centred over it (it does not start at the gutter) and
    # stands beside the left column's first line: it is still the right column's first line
    lines = [*column(40, 340, 20, 8, "a"), ((500, 20, 680, 40), "heading")]
    lines += column(420, 340, 50, 7, "b")
    assert read(lines) == [*[f"a{r}" for r in range(8)], "heading",
                           *[f"b{r}" for r in range(7)]]


def test_the_longer_columns_last_lines_stay_with_it_and_a_later_paragraph_comes_after():
    # the left column runs three lines past the right one at line spacing; a note after a
    # paragraph break (a 50 px gap) below the left column is read after both columns
    lines = column(40, 340, 80, 8, "a") + column(420, 340, 80, 5, "b")
    lines += [((40, 360, 380, 380), "note")]
    assert read(lines) == [*[f"a{r}" for r in range(8)], *[f"b{r}" for r in range(5)],
                           "note"]
    boxes = np.array([box for box, _ in lines], dtype=np.float64)
    found = separators(boxes, float(H))
    assert len(found) and np.all(found.bottom == 80 + 30 * 7 + H)  # a7's bottom


def test_follow_zero_keeps_the_separator_to_the_shorter_column():
    lines = column(40, 340, 80, 8, "a") + column(420, 340, 80, 5, "b")
    boxes = np.array([box for box, _ in lines], dtype=np.float64)
    found = separators(boxes, float(H), follow=0.0)
    assert len(found) and np.all(found.bottom == 80 + 30 * 4 + H)  # b4's bottom


def test_line_numbers_apart_from_the_text_are_a_column_of_their_own():
    # a deposition: numbers 1..12 (one h wide) two h left of the lines they number
    numbers = [((40, 40 + 30 * r, 60, 40 + 30 * r + H), f"n{r}") for r in range(12)]
    text = column(100, 600, 40, 12, "t")
    assert read(numbers + text) == [*[f"n{r}" for r in range(12)],
                                    *[f"t{r}" for r in range(12)]]


def test_a_numbered_list_close_to_its_items_is_read_row_by_row():
    # the same numbers half a line from their items: a list, read item by item
    numbers = [((70, 40 + 30 * r, 90, 40 + 30 * r + H), f"n{r}") for r in range(12)]
    text = column(100, 600, 40, 12, "t")
    assert read(numbers + text) == [label for r in range(12) for label in (f"n{r}", f"t{r}")]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 500), st.integers(1, 60), st.booleans(),
                          st.booleans()), min_size=1, max_size=30),
       st.integers(0, 300), st.integers(0, 200), st.integers(0, 30))
def test_followed_is_the_fixed_point_of_growing_the_end_by_nearby_lines(lines, first, extra,
                                                                       step):
    # _followed (one vectorised walk) against its definition: keep taking the lines of a
    # side below ``first`` whose top is within ``step`` of the end, until none is left
    top = np.array([t for t, _, _, _ in lines], dtype=np.float64)
    bottom = top + np.array([h for _, h, _, _ in lines])
    side = np.array([[a for _, _, a, _ in lines], [b for _, _, _, b in lines]])
    starts = np.array([first, first / 2], dtype=np.float64)
    end = starts + extra
    expected = end.copy()
    while True:
        near = side & (top > starts[:, None]) & (top <= expected[:, None] + step)
        grown = np.maximum(expected, np.where(near, bottom, -np.inf).max(axis=1))
        if np.array_equal(grown, expected):
            break
        expected = grown
    assert np.array_equal(_followed(side, top, bottom, starts, end, float(step)), expected)


def test_a_line_poking_into_the_gutter_does_not_cut_the_columns():
    # the gutter runs from x 380 to 420; one line of the left column reaches x 410, one
    # of the right column starts at x 392: each column is still read whole, in turn
    for at, poke in ((4, (40, 160, 410, 180)), (14, (392, 160, 760, 180))):
        lines = column(40, 340, 40, 10, "a") + column(420, 340, 40, 10, "b")
        lines[at] = (poke, lines[at][1])
        assert read(lines) == [*[f"a{r}" for r in range(10)], *[f"b{r}" for r in range(10)]]
        found = column_order([box for box, _ in lines])
        assert found.block[at] == found.block[at - 1] == found.block[at + 1]  # one column


def test_a_line_bridging_the_gutter_still_ends_the_columns_above_it():
    # a short heading over the gutter (x 300..500) between two bands of two columns
    lines = column(40, 340, 40, 4, "a") + column(420, 340, 40, 4, "b")
    lines += [((300, 160, 500, 180), "heading")]
    lines += column(40, 340, 190, 4, "c") + column(420, 340, 190, 4, "d")
    assert read(lines) == [*[f"a{r}" for r in range(4)], *[f"b{r}" for r in range(4)],
                           "heading", *[f"c{r}" for r in range(4)],
                           *[f"d{r}" for r in range(4)]]


def test_a_box_over_several_rows_does_not_join_them_into_one():
    # a table of five rows; the detector gave rows 1-3 of the figures as one tall box: it
    # shares the middle row only, so the rows above and below it stay rows of their own
    table = [((20, 40 + 30 * r, 260, 40 + 30 * r + H), f"label{r}") for r in range(5)]
    table += [((320, 40 + 30 * r, 380, 40 + 30 * r + H), f"n{r}") for r in (0, 4)]
    table += [((320, 70, 380, 150), "tall")]
    found = column_order([box for box, _ in table])
    row = dict(zip([text for _, text in table], found.row.tolist(), strict=True))
    assert row["tall"] == row["label2"]
    assert len({row["label1"], row["label2"], row["label3"]}) == 3
    assert row["n0"] == row["label0"] and row["n4"] == row["label4"]


def test_a_two_page_spreads_wide_gutter_separates_its_pages():
    # a scanned spread: two justified pages (every line ends, and starts, at one x) with a
    # 300 px (15 h) gutter, far beyond ``border`` (4 h) -- the lines do not border its
    # middle, yet each page is read top to bottom, the left one first, not row by row
    lines = column(40, 360, 60, 12, "a") + column(700, 360, 60, 12, "b")
    assert read(lines) == [*[f"a{r}" for r in range(12)], *[f"b{r}" for r in range(12)]]
    boxes = np.array([box for box, _ in lines], dtype=np.float64)
    found = separators(boxes, float(H))
    assert len(found) and np.all((found.x > 400) & (found.x < 700))


def test_a_wide_gap_between_a_few_ragged_lines_is_no_spread():
    # a form: labels at the left and values far to the right, ragged on both sides, on
    # fewer rows than a spread's page -- read row by row, label then value
    lines = []
    for r in range(5):
        y = 60 + 30 * r
        lines += [((40, y, 200 + 23 * r, y + H), f"label{r}"),
                  ((700 + 31 * r, y, 1060, y + H), f"value{r}")]
    assert read(lines) == [name for r in range(5) for name in (f"label{r}", f"value{r}")]


def test_a_sidebar_beyond_the_next_gutter_does_not_stretch_a_separator():
    # a newspaper: columns a and b of one story, a sidebar s right of b running the page's
    # height, and a story c under a (under b: a picture, no text). The a|b gutter has c on
    # its left and s on its right down to the page's foot, but s is the b|s gutter's: a|b
    # ends with b, so a and b are read before c, and c (left of the b|s gutter) before s
    lines = column(40, 340, 60, 8, "a") + column(420, 340, 60, 8, "b")
    lines += column(800, 340, 60, 20, "s") + column(40, 340, 340, 10, "c")
    assert read(lines) == [*[f"a{r}" for r in range(8)], *[f"b{r}" for r in range(8)],
                           *[f"c{r}" for r in range(10)], *[f"s{r}" for r in range(20)]]
    boxes = np.array([box for box, _ in lines], dtype=np.float64)
    found = separators(boxes, float(H))
    gutter = np.abs(found.x - 400) < H
    assert gutter.any() and np.all(found.bottom[gutter] == 60 + 30 * 7 + H)  # b7's bottom


def test_pieces_of_one_narrow_gutter_that_overlap_are_one_separator():
    # a narrow gutter (20 px, one h): a5 pokes into it from the left, b8 from the right;
    # the pieces joined over each poke (rows 0-7 and 6-11) overlap -- one separator, so the
    # whole left column comes before the right one, not b0-b5 before a8
    lines = []
    for r in range(12):
        y = 60 + 30 * r
        lines += [((40, y, 388 if r == 5 else 380, y + H), f"a{r}"),
                  ((392 if r == 8 else 400, y, 740, y + H), f"b{r}")]
    assert read(lines) == [*[f"a{r}" for r in range(12)], *[f"b{r}" for r in range(12)]]
    boxes = np.array([box for box, _ in lines], dtype=np.float64)
    found = separators(boxes, float(H))
    assert len(found) == 1 and found.top[0] == 60 and found.bottom[0] == 60 + 30 * 11 + H


def test_cjk_leading_still_follows_the_longer_column():
    # CJK type: a leading of 16 px (0.8 h) between lines, above ``follow`` (0.75 h): the
    # left column's last four lines still follow at the page's own leading; a note after a
    # paragraph break (60 px: over 1.5 leadings) is read after both columns
    def cjk(x: int, count: int, label: str) -> list[tuple]:
        return [((x, 80 + 36 * r, x + 340, 80 + 36 * r + H), f"{label}{r}")
                for r in range(count)]

    lines = cjk(40, 10, "a") + cjk(420, 6, "b")
    lines += [((40, 80 + 36 * 9 + H + 60, 380, 80 + 36 * 9 + 2 * H + 60), "note")]
    assert read(lines) == [*[f"a{r}" for r in range(10)], *[f"b{r}" for r in range(6)],
                           "note"]


def test_a_half_character_gutter_between_cjk_columns_separates_them():
    # a CJK newspaper: two justified columns on the same rows, 9 px apart (0.45 h, half a
    # character): each column is read top to bottom, not row by row across the gutter
    lines = column(40, 200, 40, 10, "a") + column(249, 200, 40, 10, "b")
    assert read(lines) == [*[f"a{r}" for r in range(10)], *[f"b{r}" for r in range(10)]]
    boxes = np.array([box for box, _ in lines], dtype=np.float64)
    found = separators(boxes, float(H))
    assert len(found) == 1 and 240 < found.x[0] < 249
    # no row joins a line of each column into one
    ordered = column_order(boxes)
    assert len(set(ordered.row.tolist())) == 20


def test_word_gaps_narrower_than_the_gutter_threshold_make_no_separator():
    # one column whose rows the detector split at a word gap of 0.3 h (below ``gutter``):
    # no separator, read row by row
    lines = [((40, 40 + 30 * r, 200, 40 + 30 * r + H), f"l{r}") for r in range(10)]
    lines += [((206, 40 + 30 * r, 400, 40 + 30 * r + H), f"r{r}") for r in range(10)]
    assert len(separators(np.array([b for b, _ in lines], dtype=np.float64), float(H))) == 0
    assert read(lines) == [name for r in range(10) for name in (f"l{r}", f"r{r}")]


def test_a_vertical_title_beside_a_column_joins_no_line_into_its_row():
    # a CJK vertical title (one character wide, 12 rows tall) 8 px right of a column: the
    # column line level with its middle stays a row of its own
    lines = [*column(40, 300, 40, 12, "a"), ((348, 40, 368, 390), "title")]
    boxes = np.array([box for box, _ in lines], dtype=np.float64)
    found = column_order(boxes)
    title = len(lines) - 1
    assert not np.any(found.row[:title] == found.row[title])
    assert len(set(found.row.tolist())) == len(lines)
