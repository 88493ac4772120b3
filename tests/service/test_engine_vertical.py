"""Tall text boxes are read the way they run: down the page (rapidocr's turn) or up it (a
photo credit along a picture's edge), with each character's box in the column, in reading
order."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from lingyun.service.engines.vertical import (
    MARGIN,
    TALL,
    Strip,
    choose,
    is_tall,
    map_chars,
    upright_crop,
    variants,
)
from lingyun.service.positions import arrange, page_text

from .conftest import dejavu, needs_rapidocr, png

CREDIT = "PHOTO BY JANE DOE FOR THE DAILY NEWS"


def test_a_box_is_read_both_ways_from_three_times_its_width():
    assert is_tall([[0, 0], [20, 0], [20, 60], [0, 60]])
    # a line number's box (22 x 38): one glyph, and an upside-down 6 is a 9
    assert not is_tall([[296, 410], [318, 410], [318, 448], [296, 448]])
    assert is_tall([[0, 0], [20, 0], [20, 30], [0, 30]], ratio=TALL)  # rapidocr's rule
    assert not is_tall([[0, 0], [20, 0], [20, 29], [0, 29]], ratio=TALL)
    assert not is_tall([[0, 0], [200, 0], [200, 30], [0, 30]])
    assert not is_tall([[5, 0], [5, 0], [5, 30], [5, 30]])  # no width: not a text column


def test_rapidocrs_reading_stays_unless_the_other_is_clearly_surer():
    assert choose([0.90, 0.90 + MARGIN], ["abc", "xyz"]) == 0
    assert choose([0.77, 0.97], ["MA E S OE", "F. MARTIN"]) == 1
    assert choose([0.99, 0.20], ["公司报告", "x"]) == 0
    assert choose([0.0, 0.6], ["", "up"]) == 1  # rapidocr read nothing
    assert choose([0.5, 0.9], ["down", "  "]) == 0  # the other read nothing either


def test_the_crop_is_upright_and_maps_back_to_the_page():
    page = np.zeros((100, 60), dtype=np.uint8)
    page[20:80, 10:30] = 255
    page[20:25, 10:30] = 128  # the column's top rows
    crop, back = upright_crop(page, [[10, 20], [30, 20], [30, 80], [10, 80]])
    assert crop.shape == (60, 20)
    assert crop[:5].mean() == pytest.approx(128, abs=2) and crop[10:].min() == 255
    corner = back @ np.array([20.0, 60.0, 1.0])
    assert corner[:2] / corner[2] == pytest.approx([30.0, 80.0])
    down, up = variants(crop)
    assert (down.kind, up.kind) == ("down", "up")
    assert down.image.shape == up.image.shape == (20, 60)
    assert down.image[:, :5].mean() == pytest.approx(128, abs=2)  # top of the column first
    assert up.image[:, -5:].mean() == pytest.approx(128, abs=2)  # ... last, read upwards


# no deadline: the suite runs on loaded machines
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.lists(st.floats(1, 99), min_size=1, max_size=12, unique=True),
       st.sampled_from(["down", "up"]))
def test_characters_tile_the_column_in_reading_order(centres, kind):
    centres = sorted(centres)
    identity = np.eye(3)
    quads = map_chars(Strip(kind, np.zeros((20, 100))), (20, 100), centres, identity)
    assert len(quads) == len(centres)
    tops = [min(p[1] for p in quad) for quad in quads]
    bottoms = [max(p[1] for p in quad) for quad in quads]
    for quad in quads:
        assert [p[0] for p in quad] == [0, 20, 20, 0]  # the column's whole width
    assert all(0 <= t <= b <= 100 for t, b in zip(tops, bottoms, strict=True))
    # reading order runs down the column for "down", up it for "up"; no gaps, no overlaps
    pairs = list(zip(tops, bottoms, strict=True))
    if kind == "up":
        pairs.reverse()
    for (_, bottom), (top, _) in itertools.pairwise(pairs):
        assert top == pytest.approx(bottom)


def _column(angle: int) -> bytes:
    """A page with CREDIT set as a column: ``angle`` 90 runs up the page, -90 down it."""
    face = dejavu("DejaVuSans", 24)
    _, _, right, bottom = face.getbbox(CREDIT)
    line = Image.new("L", (right + 40, bottom + 30), 255)
    ImageDraw.Draw(line).text((20, 15), CREDIT, font=face, fill=0)
    column = line.rotate(angle, expand=True, fillcolor=255)
    page = Image.new("L", (400, column.height + 100), 255)
    page.paste(column, (180, 50))
    return png(page)


@needs_rapidocr
@pytest.mark.local_engine
@pytest.mark.parametrize("angle", [90, -90], ids=["up", "down"])
def test_a_column_is_read_whichever_way_it_runs(rapidocr_engine, angle):
    _, _, lines = rapidocr_engine.read_lines(_column(angle))
    assert page_text(arrange(lines, engine_spaces=True)) == CREDIT
    [line] = lines
    inked = [g for g in line.glyphs if not g.char.isspace()]
    middles = [(g.box[1] + g.box[3]) / 2 for g in inked]
    # the first letter is where the text starts: at the bottom when it runs up
    assert middles == sorted(middles, reverse=angle == 90)
    left, _, right, _ = line.box
    assert all(left <= g.box[0] <= g.box[2] <= right for g in inked)
    assert all(len(g.candidates) >= 1 for g in inked)  # the recognizer's alternatives
