"""Small print gets a second, closer look: when the detector sees the page's lines under
SMALL pixels tall, it detects again at a resolution where they are TARGET tall and adds the
lines only that look found."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from lingyun.service.engines.small_text import (
    MAX_LIMIT,
    OVERLAP,
    SMALL,
    TARGET,
    closer_limit,
    print_height,
    unseen,
)

from .conftest import dejavu, needs_rapidocr, png


def quad(left: float, top: float, right: float, bottom: float) -> list[list[float]]:
    return [[left, top], [right, top], [right, bottom], [left, bottom]]


def test_print_height_is_the_median_line_height_as_the_detector_saw_it():
    quads = np.array([quad(0, 0, 100, 20), quad(0, 30, 100, 60), quad(0, 70, 50, 110)])
    assert print_height(quads, 0.5) == 15.0  # median 30 px, seen at half size
    assert print_height(np.zeros((0, 4, 2)), 0.5) is None


def test_a_second_look_only_for_small_print_on_a_page_the_detector_shrank():
    assert closer_limit(7.0, 960, 3000) == round(960 * TARGET / 7.0)
    assert closer_limit(SMALL, 960, 3000) is None          # print large enough
    assert closer_limit(3.0, 960, 900) is None             # the detector saw the page whole
    assert closer_limit(2.0, 960, 8000) == MAX_LIMIT       # bounded
    assert closer_limit(5.0, 960, 1500) == 1500            # never past the page's own size
    assert closer_limit(None, 960, 4000) == MAX_LIMIT      # nothing found on a large page
    assert closer_limit(SMALL - 0.01, 960, 1000) == 1000
    assert closer_limit(SMALL - 0.01, 960, 961) == 961


def test_unseen_keeps_only_lines_the_first_look_missed():
    earlier = np.array([quad(0, 0, 100, 20), quad(0, 40, 100, 60)])
    found = np.array([quad(0, 1, 100, 19),     # the same first line
                      quad(0, 80, 100, 100),   # a line the first look missed
                      quad(90, 40, 190, 60),   # overlaps a tenth of itself: new
                      quad(50, 40, 150, 60)])  # overlaps half of itself: seen
    assert unseen(earlier, found).tolist() == [1, 2]
    assert unseen(np.zeros((0, 4, 2)), found).tolist() == [0, 1, 2, 3]
    assert unseen(earlier, np.zeros((0, 4, 2))).tolist() == []


rects = st.tuples(st.integers(0, 300), st.integers(0, 300), st.integers(1, 120),
                  st.integers(1, 40)).map(lambda r: quad(r[0], r[1], r[0] + r[2], r[1] + r[3]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(earlier=st.lists(rects, max_size=8), found=st.lists(rects, max_size=8))
def test_unseen_splits_by_the_share_each_new_box_overlaps(earlier, found):
    old = np.array(earlier, dtype=np.float64).reshape(-1, 4, 2)
    new = np.array(found, dtype=np.float64).reshape(-1, 4, 2)
    kept = set(unseen(old, new).tolist())
    for index, box in enumerate(found):
        (left, top), (right, bottom) = box[0], box[2]
        shared = 0.0
        for other in earlier:
            (l2, t2), (r2, b2) = other[0], other[2]
            shared += max(0, min(right, r2) - max(left, l2)) * max(0, min(bottom, b2)
                                                                 - max(top, t2))
        share = shared / max((right - left) * (bottom - top), 1)
        assert (index in kept) == (share <= OVERLAP)


LINES = ["Small print needs a closer look at the page",
         "The detector sees the page at its own size",
         "Lines that are too small are dropped whole",
         "A second look finds them again"]


@needs_rapidocr
def test_small_print_on_a_large_page_is_read_whole(rapidocr_engine):
    font = dejavu("DejaVuSans", 26)
    page = Image.new("L", (4000, 3000), 255)
    pen = ImageDraw.Draw(page)
    for row, text in enumerate(LINES):
        pen.text((200, 300 + row * 52), text, font=font, fill=0)
    image = png(page)
    # the first look alone (the wrapped detector) misses a line of this print
    first = rapidocr_engine._engine().text_det.detector(rapidocr_engine.decode(image))
    assert len(first.boxes) < len(LINES)
    _, _, lines = rapidocr_engine.read_lines(image)
    read = ["".join(g.char for g in line.glyphs) for line in lines]
    assert read == LINES
