"""The Page geometry every recognizer relies on: word breaks, skew, rows, labels, digit runs."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lingyun.errors import UsageError
from lingyun.recognizers.page import Char, Page, PageError, TextLine, digit_runs
from lingyun.recognizers.reading import read_page

from .conftest import layout


def test_a_dropped_space_comes_back_as_a_word_break():
    page = layout([("SHI LI", 40, 40)])
    assert page.lines[0].all.compact == "SHILI"
    assert page.lines[0].text == "SHI LI"
    assert [w.compact for w in page.lines[0].all.words()] == ["SHI", "LI"]


def test_chinese_text_keeps_no_space_at_a_wide_gap():
    page = layout([("研发部  技术总监", 40, 40)])
    assert page.lines[0].text == "研发部技术总监"


def test_an_engine_space_is_a_word_break_not_a_char():
    page = Page.from_chars(100, 50, [[("A", (0, 0, 10, 20), 0.9), (" ", (10, 0, 12, 20), 0.9),
                                      ("B", (12, 0, 22, 20), 0.9)]])
    assert [c.text for c in page.lines[0].chars] == ["A", "B"]
    assert page.lines[0].text == "A B"


@settings(max_examples=40, deadline=None)
@given(angle=st.floats(-8.0, 8.0))
def test_skew_is_estimated_and_labels_find_their_values_at_any_small_angle(angle):
    page = layout([("姓名 林样本", 60, 60), ("性别 女    民族 汉", 60, 110),
                   ("住址 样本省示例市测试区虚构路", 60, 160), ("十二号", 160, 190),
                   ("公民身份号码 110102190501010025", 60, 300)], angle=angle)
    assert math.degrees(page.skew) == pytest.approx(angle, abs=0.6)
    name = page.right_of(page.first("姓名"))
    assert name is not None and name.compact == "林样本"
    sex = page.right_of(page.first("性别"), stop=["民族"])
    assert sex is not None and sex.compact == "女"
    address = page.right_of(page.first("住址"))
    assert [ln.all.compact for ln in page.below(address)] == ["十二号"]


def test_right_of_merges_a_value_split_into_two_boxes_and_drops_a_double_read():
    # the engine read 签发机关示 and 示例市公安局: the shared 示 is one character
    page = Page.from_chars(600, 200, [
        [(c, (100 + 20 * i, 50, 118 + 20 * i, 74), 0.9) for i, c in enumerate("签发机关示")],
        [(c, (180 + 20 * i, 50, 198 + 20 * i, 74), 0.99) for i, c in enumerate("示例市公安局")],
    ])
    value = page.right_of(page.first("签发机关"))
    assert value is not None and value.compact == "示例市公安局"
    assert value.confidence == pytest.approx(0.99)


def test_right_of_keeps_neighbours_whose_tilted_boxes_overlap_within_a_line():
    # on a card tilted ~20 degrees each character's upright box covers most of the next one
    chars = [(c, (100 + 10 * i, 200 - 4 * i, 122 + 10 * i, 234 - 4 * i), 0.9)
             for i, c in enumerate("有效期限2019.04.27-2029.04.27")]
    page = Page.from_chars(600, 300, [chars])
    value = page.right_of(page.first("有效期限"))
    assert value is not None and value.compact == "2019.04.27-2029.04.27"


def test_right_of_stops_at_a_far_column_and_answers_none_for_nothing():
    page = layout([("姓名", 40, 40), ("王测试", 100, 40), ("UnionPay", 600, 40),
                   ("出生", 40, 100)])
    value = page.right_of(page.first("姓名"))
    assert value is not None and value.compact == "王测试"
    assert page.right_of(page.first("出生")) is None


def test_reading_order_is_row_by_row():
    page = layout([("B2", 300, 100), ("A1", 40, 40), ("B1", 40, 102), ("A2", 300, 38)])
    assert [ln.all.compact for ln in page.reading_order()] == ["A1", "A2", "B1", "B2"]


def test_digit_runs_map_look_alike_letters_between_digits_only():
    page = layout([("62O0 0000 l000 0005", 40, 40), ("VALID THRU 12/29", 40, 100),
                   ("11010219050101002x", 40, 160)])
    runs = digit_runs(page, last="Xx")
    assert runs[0].digits == "6200000010000005"
    assert [g.digits for g in runs[0].groups()] == ["6200", "0000", "1000", "0005"]
    assert "VALID" not in "".join(r.digits for r in runs)
    assert runs[-1].digits == "11010219050101002X"


@pytest.mark.parametrize("build, message", [
    (lambda: Char("AB", (0, 0, 1, 1)), "one non-space character"),
    (lambda: Char("A", (5, 0, 1, 1)), "right < left"),
    (lambda: Char("A", (0, 0, 1, 1), confidence=3.0), "not within 0..1"),
    (lambda: Char("A", (0, 0, 1, 1), confidence="high"), "not within 0..1"),
    (lambda: Char("A", (0, 0, 1, 1), confidence=float("nan")), "not within 0..1"),
    (lambda: Char("A", (0, 0, 1)), "four integers"),
    (lambda: TextLine((0, 0, 1, 1), ("A",)), "not a Char"),
    (lambda: Page(0, 10), "positive integer"),
    (lambda: Page(10, 10, ("line",)), "not a TextLine"),
    (lambda: Page.from_chars(10, 10, [[("A", (0, 0, 1.5, 2), 0.5)]]), "line 0 char 'A'"),
])
def test_malformed_input_is_a_named_error_saying_what(build, message):
    with pytest.raises(PageError, match=message) as caught:
        build()
    assert isinstance(caught.value, UsageError)


def _row(text: str, x0: int, w: int = 20, h: int = 20) -> list[tuple[str, tuple, float]]:
    return [(c, (x0 + i * w, 10, x0 + i * w + w - 2, 10 + h), 0.9) for i, c in enumerate(text)]


@given(st.integers(60, 700))
def test_right_of_finds_a_value_however_far_right_after_a_colon(far: int) -> None:
    page = Page.from_chars(900, 60, [_row("姓名：", 0), _row("张三", far)])
    value = page.right_of(page.first("姓名"))
    assert value is not None and value.text == "张三"


def test_right_of_gap_is_the_widest_blank_inside_a_value() -> None:
    page = Page.from_chars(900, 60, [_row("日期", 0), _row("2024", 60), _row("05", 200)])
    label = page.first("日期")
    assert page.right_of(label).compact == "2024"  # 62 px blank > 3 char heights (60 px)
    assert page.right_of(label, gap=4).compact == "202405"
    with pytest.raises(PageError, match="positive"):
        page.right_of(label, gap=0)


def test_read_page_reads_a_path_and_bytes_alike(tmp_path) -> None:
    from pathlib import Path

    from lingyun.service.engines.rapidocr import rapidocr_available

    if not rapidocr_available():
        pytest.skip("needs the local extra (rapidocr)")
    image = Path(__file__).parent / "images" / "idcard-front-00.png"
    page = read_page(image)
    assert page.right_of(page.first("姓名")).text == "罗示例"
    assert read_page(image.read_bytes()) == page
    with pytest.raises(PageError, match="not an image"):
        read_page(b"hello, I am text\n")
    with pytest.raises(PageError, match="cannot read"):
        read_page(tmp_path / "missing.png")
