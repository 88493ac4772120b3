"""Small print gets a second, closer look: when the detector sees the page's lines under
SMALL pixels tall, it detects again at a resolution where they are TARGET tall, adds the
lines only that look found (the rows between boxes the first look set astride two rows,
too) and takes whole the lines the first look cut short."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from lingyun.service.engines.small_text import (
    ASTRIDE,
    COVER,
    MAX_LIMIT,
    OVERLAP,
    SMALL,
    TALLER,
    TARGET,
    closer_limit,
    combine,
    print_height,
)
from lingyun.service.turned import arrange_page

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


def test_combine_adds_missed_lines_and_takes_lines_the_first_look_cut_short():
    earlier = np.array([quad(0, 0, 100, 20), quad(0, 40, 100, 60), quad(0, 120, 60, 140)])
    found = np.array([quad(0, 1, 100, 19),     # the same first line: seen
                      quad(0, 80, 100, 100),   # a line the first look missed: added
                      quad(90, 40, 190, 60),   # overlaps a tenth of itself: added
                      quad(50, 40, 150, 60),   # overlaps half of itself: seen
                      quad(0, 119, 100, 141)])  # the third line whole: replaces it
    stay, taken = combine(earlier, found)
    assert stay.tolist() == [0, 1]
    assert taken.tolist() == [1, 2, 4]
    assert [x.tolist() for x in combine(np.zeros((0, 4, 2)), found)] == [[], [0, 1, 2, 3, 4]]
    assert [x.tolist() for x in combine(earlier, np.zeros((0, 4, 2)))] == [[0, 1, 2], []]
    # a row the first look set two boxes astride: each holds part of it, neither its middle
    earlier = np.array([quad(0, 0, 100, 12), quad(0, 18, 100, 34), quad(0, 30, 100, 46)])
    found = np.array([quad(0, 0, 100, 10),     # the first row, seen
                      quad(0, 12, 100, 22),    # middle 17: in no earlier box, a share 0.4
                      quad(0, 24, 100, 34),    # the third row, its middle held: seen
                      quad(0, 36, 100, 46)])   # the fourth, likewise
    assert [x.tolist() for x in combine(earlier, found)] == [[0, 1, 2], [1]]
    # ... but a box more than ASTRIDE inside earlier ones is one they have, middle or not
    stay, taken = combine(np.array([quad(0, 0, 100, 10), quad(0, 11, 100, 21)]),
                          np.array([quad(0, 4, 100, 16)]))
    assert (stay.tolist(), taken.tolist()) == ([0, 1], [])
    # two rows taken as one are not "the line seen whole"
    stay, taken = combine(np.array([quad(0, 0, 100, 20)]), np.array([quad(0, 0, 120, 45)]))
    assert (stay.tolist(), taken.tolist()) == ([0], [])


rects = st.tuples(st.integers(0, 300), st.integers(0, 300), st.integers(1, 120),
                  st.integers(1, 40)).map(lambda r: quad(r[0], r[1], r[0] + r[2], r[1] + r[3]))


def _area(box: list[list[float]]) -> float:
    (left, top), (right, bottom) = box[0], box[2]
    return max((right - left) * (bottom - top), 1)


def _shared(a: list[list[float]], b: list[list[float]]) -> float:
    (l1, t1), (r1, b1) = a[0], a[2]
    (l2, t2), (r2, b2) = b[0], b[2]
    return max(0, min(r1, r2) - max(l1, l2)) * max(0, min(b1, b2) - max(t1, t2))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(earlier=st.lists(rects, max_size=8), found=st.lists(rects, max_size=8))
def test_combine_follows_its_rule(earlier, found):
    old = np.array(earlier, dtype=np.float64).reshape(-1, 4, 2)
    new = np.array(found, dtype=np.float64).reshape(-1, 4, 2)
    stay, taken = (set(x.tolist()) for x in combine(old, new))

    def covers(n, o):
        width = lambda b: b[2][0] - b[0][0]  # noqa: E731
        height = lambda b: b[2][1] - b[0][1]  # noqa: E731
        return (_shared(n, o) >= COVER * _area(o) and width(n) >= width(o) + height(o) / 4
                and height(n) <= TALLER * height(o))

    whole = set()
    for k, box in enumerate(found):
        share = sum(_shared(box, o) for o in earlier) / _area(box)
        covered = [o for o in earlier if covers(box, o)]
        rest = sum(_shared(box, o) for o in earlier if not covers(box, o)) / _area(box)
        is_whole = bool(covered) and rest <= OVERLAP
        if is_whole:
            whole.add(k)
        middle = (box[0][1] + box[2][1]) / 2
        touched = [o for o in earlier if _shared(box, o) > 0]
        held = any(o[0][1] <= middle <= o[2][1] for o in touched)
        dwarfed = any(box[2][1] - box[0][1] > TALLER * (o[2][1] - o[0][1]) for o in touched)
        unseen = share <= OVERLAP or (share <= ASTRIDE and not held and not dwarfed)
        assert (k in taken) == (unseen or is_whole)
    for m, box in enumerate(earlier):
        replaced = any(covers(found[k], box) for k in whole)
        assert (m in stay) == (not replaced)


LINES = ["Small print needs a closer look at the page",
         "The detector sees the page at its own size",
         "Lines that are too small are dropped whole",
         "A second look finds them again"]


@needs_rapidocr
@pytest.mark.parametrize(("size", "width"), [(26, 4000), (28, 5000)])
def test_small_print_on_a_large_page_is_read_whole(rapidocr_engine, size, width):
    # at 28 px on 5000 the first look also cuts a line short: taken whole from the second
    font = dejavu("DejaVuSans", size)
    page = Image.new("L", (width, width * 3 // 4), 255)
    pen = ImageDraw.Draw(page)
    for row, text in enumerate(LINES):
        pen.text((200, 300 + row * 2 * size), text, font=font, fill=0)
    image = png(page)
    # the first look alone (the wrapped detector) misses a line of this print
    first = rapidocr_engine._engine().text_det.detector(rapidocr_engine.decode(image))
    assert len(first.boxes) < len(LINES)
    width, height, lines = rapidocr_engine.read_lines(image)
    page = arrange_page(lines, width, height, engine_spaces=True)
    read = ["".join(g.char for g in line.glyphs) for block in page.blocks for line in block]
    assert read == LINES


def _columns_of_small_print(columns: int, rows: int) -> tuple[bytes, list[str]]:
    """A low-resolution scan's worth of small print: DejaVu Sans at 9 px, lines 11 px apart
    (as tight as a newspaper scanned at 100 dpi), ``columns`` of ``rows`` lines on a page
    1000 x 1400 pixels (the detector brings it down to 960)."""
    words = ("small print on a page scanned at low resolution sits tight line under line "
             "and the detector sees two rows as one box so one of them is lost").split()
    font = dejavu("DejaVuSans", 9)
    page = Image.new("L", (1000, 1400), 255)
    pen = ImageDraw.Draw(page)
    lines = []
    for column in range(columns):
        for row in range(rows):
            start = (column * rows + row) * 5
            text = " ".join(words[(start + k) % len(words)] for k in range(6))
            pen.text((column * 250 + 10, 40 + row * 11), text, font=font, fill=0)
            lines.append(text)
    return png(page), lines


@needs_rapidocr
def test_tight_small_print_on_a_low_resolution_page_is_read_whole(rapidocr_engine):
    # the first look sets boxes astride two rows and misses the rows between; the second
    # look finds those rows, and they are taken although each overlaps a first-look box by
    # up to half its area (with OVERLAP alone the engine reads 38 lines of 40)
    image, lines = _columns_of_small_print(4, 10)
    first = rapidocr_engine._engine().text_det.detector(rapidocr_engine.decode(image))
    assert len(first.boxes) < len(lines)
    width, height, found = rapidocr_engine.read_lines(image)
    page = arrange_page(found, width, height, engine_spaces=True)
    read = ["".join(g.char for g in line.glyphs) for block in page.blocks for line in block]
    # every line, in order, every letter (a word space at 9 px is another matter)
    assert [text.replace(" ", "") for text in read] == [text.replace(" ", "") for text in lines]
