"""The local engine's page assembly: blocks in reading order, rows joined, word spaces."""

from __future__ import annotations

import math

from lingyun.iread import decode
from lingyun.service.positions import Glyph, Line, arrange, encode_page, page_skew, page_text


def word_line(text: str, x: int, y: int, *, advance: int = 10, gap: int = 1,
              space: int = 8) -> Line:
    """A detected line whose recognizer dropped the spaces (boxes keep the gaps)."""
    glyphs, cursor = [], x
    for ch in text:
        if ch == " ":
            cursor += space
            continue
        glyphs.append(Glyph(ch, (cursor, y, cursor + advance, y + 20), 0.99))
        cursor += advance + gap
    return Line((x, y, cursor, y + 20), glyphs)


def test_columns_come_out_whole_with_word_spaces_and_one_region_per_block():
    left = ["first column one", "first column two"]
    right = ["second column one", "second column two"]
    detected = []
    for row in range(2):  # detection order interleaves the columns
        detected += [word_line(left[row], 20, 80 + 30 * row),
                     word_line(right[row], 215, 80 + 30 * row)]
    detected.insert(0, word_line("A title", 20, 20))
    blocks = arrange(detected)
    assert page_text(blocks) == "\n".join(["A title", *left, *right])
    layout = decode(encode_page(500, 200, blocks))
    assert layout.text == page_text(blocks)
    assert layout.regions.size == 3
    assert layout.regions[["left", "top"]].tolist() == [(20, 20), (20, 80), (215, 80)]


def test_a_receipt_row_split_by_the_detector_is_one_line():
    rows = [(word_line("Coffee beans", 30, 40), word_line("11.90", 420, 41)),
            (word_line("TOTAL", 30, 75), word_line("32.98", 420, 74))]
    detected = [line for row in rows for line in reversed(row)]
    blocks = arrange(detected)
    assert page_text(blocks) == "Coffee beans 11.90\nTOTAL 32.98"
    assert len(blocks) == 1


def test_chinese_stays_unspaced_and_existing_spaces_are_kept():
    chinese = word_line("灵云 识别", 0, 0, space=12)
    spaced = Line((0, 40, 100, 60), [Glyph("a", (0, 40, 10, 60), 1.0),
                                     Glyph(" ", (10, 40, 14, 60), 1.0),
                                     Glyph("b", (14, 40, 24, 60), 1.0)])
    assert page_text(arrange([chinese, spaced])) == "灵云识别\na b"
    assert arrange([]) == []


def test_chinese_punctuation_and_decimals_get_no_gap_spaces():
    """A line of an OmniDocBench page as the recognizer read it (no spaces), its boxes with
    the wide gaps beside full-width marks and after the decimal point: the engine's answer
    reads as printed, spaces only where a Latin run meets the Chinese."""
    line = word_line("面积 8. 56 万 km2 ， 占 45. 7% 。", 0, 0, space=12)
    assert page_text(arrange([line], engine_spaces=True)) == "面积 8.56 万 km2，占 45.7%。"


def tilted(line: Line, degrees: float) -> Line:
    """``line`` on a page turned ``degrees`` counter-clockwise (small angle): every point
    rises by ``x * sin t``; the line's bounding box grows by the rise across its width."""
    rise = math.sin(math.radians(degrees))
    left, top, right, bottom = line.box
    glyphs = [Glyph(g.char, (g.box[0], g.box[1] - round(g.box[0] * rise), g.box[2],
                             g.box[3] - round(g.box[0] * rise)), g.confidence)
              for g in line.glyphs]
    return Line((left, top - round(right * rise), right, bottom - round(left * rise)), glyphs,
                degrees)


def test_a_skewed_page_is_turned_back_by_the_angle_of_its_long_lines():
    lines = [tilted(word_line(f"column {c} line {r} of text", x, 100 + 24 * r), 6.0)
             for c, x in enumerate((20, 300)) for r in range(4)]
    detected = sorted(lines, key=lambda ln: ln.box[1])  # detection order: top to bottom
    expected = [f"column {c} line {r} of text" for c in (0, 1) for r in range(4)]
    assert page_text(arrange(detected)).splitlines() != expected  # tilted boxes overlap
    assert page_skew(detected) == 6.0
    blocks = arrange(detected, skew=page_skew(detected))
    assert page_text(blocks).splitlines() == expected
    assert decode(encode_page(600, 300, blocks, skew=6.0)).pages["skew"].tolist() == [600]
