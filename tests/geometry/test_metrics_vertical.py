"""A page whose lines run down or up (vertical CJK writing, a page fed sideways) or upside
down measures as the same page set across: every glyph and line metric is taken in the
line's own frame."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lingyun.geometry import Measures
from lingyun.geometry.metrics import ACROSS, DOWN, OVER, UP, line_ways
from lingyun.iread import decode
from lingyun.service.positions import Glyph, Line, encode_page
from lingyun.service.turned import turn_back

WIDTH, HEIGHT = 600, 400  # the page as set across; turned, it is 400 wide and 600 tall


@st.composite
def pages(draw: st.DrawFn) -> list[list[Line]]:
    """Lines set across: glyphs left to right with gaps, sizes and a slight slope."""
    lines = []
    for row in range(draw(st.integers(1, 4))):
        x, top = 10, 20 + 80 * row
        slope = draw(st.floats(-0.05, 0.05))
        glyphs = []
        for _ in range(draw(st.integers(2, 8))):
            width, height = draw(st.integers(4, 30)), draw(st.integers(8, 40))
            y = top + round(slope * x) + draw(st.integers(0, 6))
            glyphs.append(Glyph("a", (x, y, x + width, y + height), 1.0))
            x += width + draw(st.integers(0, 12))
        first, last = glyphs[0].box, glyphs[-1].box
        # a line that clearly runs across (the rule that tells a column from a line)
        assume(abs(last[0] + last[2] - first[0] - first[2])
               > 2 * abs(last[1] + last[3] - first[1] - first[3]))
        box = (min(g.box[0] for g in glyphs), min(g.box[1] for g in glyphs),
               max(g.box[2] for g in glyphs), max(g.box[3] for g in glyphs))
        lines.append(Line(box, glyphs))
    return [lines]


FIELDS = {"glyphs": ("width", "height", "aspect", "gap", "baseline_offset"),
          "lines": ("chars", "slope", "baseline", "residual", "skew", "spacing", "font_size",
                    "size_cluster"),
          "pages": ("lines", "chars", "skew", "size_clusters", "median_height",
                    "median_width")}


# no deadline: the suite runs on loaded machines
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(pages(), st.sampled_from(["down", "up", "over"]))
def test_a_turned_page_measures_as_the_page_set_across(blocks, way):
    across = Measures(decode(encode_page(WIDTH, HEIGHT, blocks)))
    # the image as scanned: a quarter turn swaps its sides, half a turn keeps them
    width, height = (WIDTH, HEIGHT) if way == "over" else (HEIGHT, WIDTH)
    turned_blocks = turn_back(blocks, way, width, height)
    turned = Measures(decode(encode_page(width, height, turned_blocks,
                                         vertical=way != "over")))
    for kind, fields in FIELDS.items():
        for field in fields:
            np.testing.assert_allclose(getattr(turned, kind)[field], getattr(across, kind)[field],
                                       rtol=1e-9, atol=1e-9, err_msg=f"{kind}.{field}")
    # line boxes stay in the image's own pixels
    expected = [line.box for line in turned_blocks[0]]
    got = turned.lines[["left", "top", "right", "bottom"]].tolist()
    assert [tuple(int(v) for v in box) for box in got] == expected


def test_which_way_each_line_runs():
    # glyph boxes (left, top, right, bottom) of five lines: across, down, up, one glyph, over
    boxes = np.array([[0, 0, 10, 10], [20, 2, 30, 12],
                      [100, 0, 110, 10], [101, 30, 111, 40], [100, 60, 110, 70],
                      [200, 60, 210, 70], [200, 0, 210, 10],
                      [300, 0, 310, 40],
                      [420, 0, 430, 10], [400, 3, 410, 13]], dtype=np.float64)
    line = np.array([0, 0, 1, 1, 1, 2, 2, 3, 4, 4])
    ways = line_ways(line, *boxes.T, 6)
    assert ways.tolist() == [ACROSS, DOWN, UP, ACROSS, OVER, ACROSS]  # line 5: no glyphs


def test_a_column_of_vertical_writing_has_its_left_edge_for_baseline():
    glyphs = [Glyph("字", (300, 20 + 40 * i, 332, 52 + 40 * i), 1.0) for i in range(5)]
    column = Line((300, 20, 332, 212), glyphs)
    measured = Measures(decode(encode_page(400, 300, [[column]], vertical=True)))
    assert measured.lines["baseline"][0] == pytest.approx(400 - 300)  # width - left edge
    assert measured.glyphs["gap"][1:].tolist() == [8.0] * 4  # along the column
    assert measured.lines["font_size"][0] == 32  # across the column
