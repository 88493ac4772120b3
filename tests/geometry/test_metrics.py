"""Glyph, line and page metrics on synthetic pages with known answers, across many pages."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lingyun.geometry import glyph_metrics, line_metrics, page_metrics
from lingyun.iread import decode, decode_many

from .conftest import page_records, stream, text_line


@settings(max_examples=40)
@given(st.floats(-8, 8), st.integers(2, 5))
def test_skew_is_recovered_per_line_and_per_page(skew, lines):
    page = [[text_line("geometry of glyphs", 50, 100 + 80 * i, advance=30, height=24,
                       skew=skew, letter_gap=6) for i in range(lines)]]
    layout = decode(stream(page_records(2000, 2000, page)))
    per_line = line_metrics(layout)
    # Bottoms are rounded to whole pixels (error <= 0.5); the least-squares slope then errs
    # by at most 0.5 * sum|dx| / sum(dx^2) radians, dx the centres' distances to their mean.
    centres = (layout.chars["left"][:17] + layout.chars["right"][:17]) / 2
    dx = centres - centres.mean()
    bound = np.degrees(0.5 * np.abs(dx).sum() / (dx**2).sum()) + 1e-9
    assert np.all(np.abs(per_line["skew"] - skew) <= bound)
    assert abs(page_metrics(layout)["skew"][0] - skew) <= bound


def test_baseline_offsets_show_descenders_and_the_residual_their_spread():
    line = text_line("aapaa", 0, 50, descent=6)
    layout = decode(stream(page_records(200, 100, [[line]])))
    glyphs = glyph_metrics(layout)
    # least squares through bottoms 50,50,56,50,50 (p at the centre): baseline 51.2
    assert glyphs["baseline_offset"].tolist() == pytest.approx([-1.2, -1.2, 4.8, -1.2, -1.2])
    residual = line_metrics(layout)["residual"][0]
    assert residual == pytest.approx(np.sqrt((4 * 1.2**2 + 4.8**2) / 5))


def test_glyph_sizes_gaps_and_line_spacing_and_font_size():
    lines = [text_line("ab c", 10, 40, height=20, advance=12, letter_gap=2, word_gap=9),
             text_line("de", 10, 75, height=30, advance=12)]
    layout = decode(stream(page_records(300, 200, [lines])))
    glyphs = glyph_metrics(layout)
    assert glyphs["width"].tolist() == [12] * 5
    assert glyphs["height"].tolist() == [20, 20, 20, 30, 30]
    assert glyphs["aspect"][0] == pytest.approx(0.6)
    assert np.isnan(glyphs["gap"][[0, 3]]).all()
    assert glyphs["gap"][[1, 2, 4]].tolist() == [2, 9, 2]
    per_line = line_metrics(layout)
    assert per_line["spacing"][0] == pytest.approx(35) and np.isnan(per_line["spacing"][1])
    assert per_line["font_size"].tolist() == [20, 30]
    assert per_line["size_cluster"].tolist() == [0, 1]
    assert per_line[["left", "top", "right", "bottom"]].tolist()[0] == (10, 20, 57, 40)


def test_many_pages_in_one_pass_keep_documents_pages_and_columns():
    one_column = page_records(600, 400, [[text_line("left column", 20, 40 + 30 * i)
                                          for i in range(4)]])
    two_columns = page_records(900, 400, [
        [text_line("first column text", 20, 40 + 30 * i) for i in range(4)],
        [text_line("second column text", 290, 40 + 30 * i) for i in range(4)],
    ], skew=150)
    layout = decode_many([stream(one_column, one_column), stream(two_columns)])
    pages = page_metrics(layout)
    assert pages["document"].tolist() == [0, 0, 1]
    assert pages["columns"].tolist() == [1, 1, 2]
    assert pages["lines"].tolist() == [4, 4, 8]
    assert pages["stream_skew"].tolist() == [0, 0, 1.5]
    assert pages["size_clusters"].tolist() == [1, 1, 1]
    glyphs = glyph_metrics(layout)
    assert np.bincount(glyphs["document"]).tolist() == [2 * 4 * 10, 4 * 15 + 4 * 16]
    assert np.all(np.diff(glyphs["page"]) >= 0)


def test_an_empty_layout_measures_nothing():
    layout = decode(b"")
    assert glyph_metrics(layout).size == line_metrics(layout).size == 0
    assert page_metrics(layout).size == 0
