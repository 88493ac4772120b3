"""Pages whose text runs in columns -- vertical CJK writing, a page fed sideways -- are read
column by column in the right order, every box in the image's own pixels, and the stream's
LINE nodes give the left edge and width of a vertical line (SPEC §5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

from lingyun.service.engines import Job
from lingyun.service.positions import Glyph, Line, encode_page, page_text
from lingyun.service.turned import arrange_page, running, turn, turn_back
from lingyun.service.validation import Capability

from .conftest import dejavu, needs_rapidocr, png, read_nodes


def _column(x: int, top: int, text: str, way: str, pitch: int = 20) -> Line:
    """A column of ``text`` at ``x`` (20 px wide), its glyphs in reading order."""
    boxes = [(x, top + i * pitch, x + 20, top + i * pitch + 18) for i in range(len(text))]
    if way == "up":
        boxes.reverse()
    glyphs = [Glyph(ch, box, 1.0) for ch, box in zip(text, boxes, strict=True)]
    return Line((x, top, x + 20, top + pitch * len(text)), glyphs)


def _row(x: int, y: int, text: str) -> Line:
    glyphs = [Glyph(ch, (x + 20 * i, y, x + 20 * i + 18, y + 20), 1.0)
              for i, ch in enumerate(text)]
    return Line((x, y, x + 20 * len(text), y + 20), glyphs)


def test_the_way_most_characters_run_is_the_pages():
    down = [_column(300 - 40 * i, 10, "abcdefgh", "down") for i in range(3)]
    up = [_column(40 * i, 10, "abcdefgh", "up") for i in range(3)]
    assert running(down) == "down"
    assert running(up) == "up"
    over = [Line(line.box, list(reversed(line.glyphs))) for line in
            [_row(0, 30 * i, "abcdefghij") for i in range(4)]]
    assert running(over) == "over"
    # a page of rows with one column title: across
    assert running([_row(0, 30 * i, "abcdefghij") for i in range(4)] + down[:1]) is None
    # a short tall box (one glyph, a line number) tells nothing
    assert running([Line((0, 0, 20, 40), [Glyph("1", (0, 0, 20, 40), 1.0)])]) is None
    assert running([]) is None


boxes = st.tuples(st.integers(0, 300), st.integers(0, 200), st.integers(1, 100),
                  st.integers(1, 100)).map(lambda b: (b[0], b[1], b[0] + b[2], b[1] + b[3]))


# no deadline: the suite runs on loaded machines
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.lists(boxes, min_size=1, max_size=8), st.sampled_from(["down", "up", "over"]))
def test_turning_there_and_back_keeps_every_box(found, way):
    width, height = 400, 300
    lines = [Line(box, [Glyph("a", box, 0.5, (("b", 0.2),))], 1.5) for box in found]
    turned = turn(lines, way, width, height)
    for line, original in zip(turned, lines, strict=True):
        left, top, right, bottom = line.box
        # a box keeps its size, its sides swapped by a quarter turn
        size = (original.box[2] - original.box[0], original.box[3] - original.box[1])
        assert 0 <= left <= right and 0 <= top <= bottom
        assert (right - left, bottom - top) == (size if way == "over" else size[::-1])
    [back] = turn_back([turned], way, width, height)
    assert back == lines


@pytest.mark.parametrize("way", ["down", "up"])
def test_columns_are_read_in_order_and_boxes_stay_in_the_image(way):
    texts = ["first", "second", "third"]
    # running down, the first column is the rightmost; running up, the leftmost
    xs = [300, 250, 200] if way == "down" else [100, 150, 200]
    lines = [_column(x, 20, text, way) for x, text in zip(xs, texts, strict=True)]
    page = arrange_page(list(reversed(lines)), 400, 300)
    assert page.way == way
    assert page_text(page.blocks).split("\n") == texts
    out = [line for block in page.blocks for line in block]
    assert [line.box for line in out] == [line.box for line in lines]
    assert [[g.box for g in line.glyphs if g.char != " "] for line in out] == \
        [[g.box for g in line.glyphs] for line in lines]
    # the LINE node of a vertical line: its left edge and its width
    stream = encode_page(400, 300, page.blocks, skew=page.skew, vertical=True)
    assert [n[1:3] for n in read_nodes(stream) if n[0] == "LINE"] == [(x, 20) for x in xs]


def test_a_page_upside_down_reads_bottom_line_first_each_right_to_left():
    rows = [_row(10, 10, "dlrow"), _row(10, 40, "olleh")]  # as they lie on the upside-down page
    over = [Line(line.box, list(reversed(line.glyphs))) for line in rows]
    page = arrange_page(over, 200, 100)
    assert page.way == "over"
    assert page_text(page.blocks) == "hello\nworld"
    out = [line for block in page.blocks for line in block]
    assert [line.box for line in out] == [rows[1].box, rows[0].box]  # in the image's pixels
    stream = encode_page(200, 100, page.blocks, skew=page.skew)
    assert [n[1:3] for n in read_nodes(stream) if n[0] == "LINE"] == [(40, 20), (10, 20)]


def test_a_page_that_runs_across_is_arranged_as_before():
    lines = [_row(10, 10, "one"), _row(10, 40, "two")]
    page = arrange_page(lines, 200, 100)
    assert page.way is None and page_text(page.blocks) == "one\ntwo"
    stream = encode_page(200, 100, page.blocks)
    assert [n[1:3] for n in read_nodes(stream) if n[0] == "LINE"] == [(10, 20), (40, 20)]


TEXT = ["Sideways pages are read", "line after line in order", "whichever way they turn"]


def _sideways(angle: int) -> bytes:
    face = dejavu("DejaVuSans", 28)
    page = Image.new("L", (520, 200), 255)
    draw = ImageDraw.Draw(page)
    for i, text in enumerate(TEXT):
        draw.text((20, 20 + 55 * i), text, font=face, fill=0)
    return png(page.rotate(angle, expand=True, fillcolor=255))


@needs_rapidocr
@pytest.mark.local_engine
@pytest.mark.parametrize("angle", [90, -90, 180],
                         ids=["turned-left", "turned-right", "upside-down"])
def test_a_page_fed_sideways_or_upside_down_reads_as_the_upright_one(rapidocr_engine, angle):
    capability = Capability("ocr.cloud.english", lang="english", document_type="text.english",
                            with_position=True)
    answer = rapidocr_engine.recognize(Job(capability, _sideways(angle)))
    assert answer.data["forms"]["form"].split("\n") == TEXT
    nodes = read_nodes(answer.positions)
    lines = [n for n in nodes if n[0] == "LINE"]
    assert len(lines) == 3
    edges = [n[1] for n in lines]  # vertical lines: the left edge; else the top edge
    if angle == 180:
        assert nodes[0][1:3] == (520, 200)  # the image as sent
        assert edges == sorted(edges, reverse=True)  # the bottom line first
    else:
        assert nodes[0][1:3] == (200, 520)  # the image as sent: 200 wide, 520 tall
        assert edges == sorted(edges, reverse=angle == -90)


@needs_rapidocr
@pytest.mark.local_engine
@pytest.mark.integration
def test_vertical_chinese_writing_reads_its_columns_right_to_left(rapidocr_engine):
    font_package = pytest.importorskip("cvttf_NotoSansCJK_Regular")
    font = ImageFont.truetype(str(next(Path(font_package.__file__).parent.glob("*.otf"))), 32)
    columns = ["灵云图像识别服务把扫描件", "和照片里的文字变成可以", "搜索和编辑的文本本地服"]
    page = Image.new("L", (340, 480), 255)
    draw = ImageDraw.Draw(page)
    for c, text in enumerate(columns):
        for i, char in enumerate(text):
            draw.text((260 - 80 * c, 20 + 38 * i), char, font=font, fill=0)
    width, height, lines = rapidocr_engine.read_lines(png(page))
    arranged = arrange_page(lines, width, height, engine_spaces=True)
    assert arranged.way == "down"
    assert page_text(arranged.blocks).split("\n") == columns
