"""Typographic quotes: the lean of a mark in the ink, the page's decision, the direction."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from lingyun.geometry.quotes import curly_page, slants, typographic


def _mark(leaning: bool) -> np.ndarray:
    """A 12 x 6 mask holding one quote-like stroke: upright, or leaning right at the top."""
    mask = np.zeros((12, 6), dtype=bool)
    for row in range(12):
        column = (5 - row // 3) if leaning else 2
        mask[row, max(column - 1, 0):column + 1] = True
    return mask


def test_a_leaning_mark_has_a_positive_slant_and_an_upright_one_none():
    page = np.zeros((20, 20), dtype=bool)
    page[0:12, 0:6] = _mark(leaning=True)
    page[0:12, 10:16] = _mark(leaning=False)
    lean = slants(page, [(0, 0, 6, 12), (10, 0, 16, 12), (0, 14, 6, 16), (0, 18, 5, 20)])
    assert lean[0] > 0.2
    assert lean[1] == 0.0
    assert np.isnan(lean[2])  # too short to say
    assert np.isnan(lean[3])  # no ink


def test_the_page_decides_by_the_median_or_by_curly_marks_already_read():
    assert curly_page([0.3, 0.2, -0.1]) is True
    assert curly_page([0.0, 0.02, 0.3]) is False
    assert curly_page([np.nan, np.nan]) is False
    assert curly_page([], curly_read=0) is False
    assert curly_page([0.0], curly_read=2) is True


def test_directions_follow_the_neighbours():
    assert typographic('He said "stop" and it\'s \'done\' now.') == \
        "He said \u201cstop\u201d and it\u2019s \u2018done\u2019 now."
    assert typographic("'70s (\"x\") don't") == "\u201970s (\u201cx\u201d) don\u2019t"
    assert typographic('"A," "B"') == "\u201cA,\u201d \u201cB\u201d"
    # text without spaces (CJK): double quotes alternate along the line
    assert typographic('他说"你好"再见"朋友"') == "他说\u201c你好\u201d再见\u201c朋友\u201d"
    assert typographic("no quotes") == "no quotes"


@given(st.text(alphabet=st.sampled_from(list("ab1 .,(\"'-\u4e2d")), max_size=40))
def test_only_ascii_quotes_change_and_the_length_stays(text):
    typed = typographic(text)
    assert len(typed) == len(text)
    for old, new in zip(text, typed, strict=True):
        if old in "\"'":
            assert new in "\u2018\u2019\u201c\u201d"
            assert (old == '"') == (new in "\u201c\u201d")
        else:
            assert new == old
