"""Word boundaries from character gaps relative to the character size."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingyun.geometry import GeometryError, character_gaps, word_starts
from lingyun.iread import decode

from .conftest import page_records, stream, text_line


def starts_of(layout) -> np.ndarray:
    chars = layout.chars
    boxes = np.stack([chars[f] for f in ("left", "top", "right", "bottom")], axis=-1)
    return word_starts(boxes, chars["line"], chars["code"])


@given(st.lists(st.text("abcdefghij", min_size=1, max_size=8), min_size=1, max_size=8),
       st.integers(10, 40), st.integers(0, 2), st.floats(0.45, 1.5))
def test_words_are_found_at_any_type_size(words, height, letter_gap, word_ratio):
    """Letter gaps up to 0.1 of the size, word gaps from 0.45 of it: always told apart."""
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


def test_characters_must_be_stored_line_by_line():
    with pytest.raises(GeometryError, match="line by line"):
        word_starts([(0, 0, 5, 5), (6, 0, 9, 5)], [1, 0])
