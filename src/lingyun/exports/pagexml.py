"""PAGE-XML 2019-07-15 (PRImA), the format of OCR-D, Transkribus and eScriptorium.

PAGE holds one page per file (``PcGts`` has exactly one ``Page``): :func:`to_page_xml`
gives one document per page of every input, in order.  Structure::

    PcGts / Metadata (Creator, Created, LastChange) / Page (imageFilename, size)
      TextRegion            a REGION without table cells
      TableRegion           a REGION with cells: a nested TextRegion for its own lines,
                            then one nested TextRegion per TABLECELL
        TextLine  Coords, Baseline (estimated, see lingyun.exports._model)
                  readingDirection when the line is turned
          Word  Coords
            Glyph  Coords, TextEquiv index=0.. conf=..  (one per used candidate, best first)
            TextEquiv (the word)
          TextEquiv (the line)
        TextEquiv (the region)

A line's ``Baseline`` runs from where its reading starts to where it ends, along its
glyphs' feet in its own frame; a line that does not run left to right says which way it
reads with ``readingDirection``: ``top-to-bottom`` (running down the page: a column of
vertical writing, a page fed in sideways), ``bottom-to-top``, or ``right-to-left`` (upside
down).

Coordinates are the four box corners, clamped at 0 (PAGE points are unsigned); ``conf`` is
``1 - distance / 254`` (a word's: its least sure glyph's; a line's and region's are not
given).  ``imageFilename`` is the image's name when known, else empty.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from ._model import XML_DECLARATION, Block, Ids, Line, Page, as_documents, confidence, pages_of
from ._model import points as corner_points

__all__ = ["NAMESPACE", "SCHEMA_LOCATION", "to_page_xml"]

NAMESPACE = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
SCHEMA_LOCATION = f"{NAMESPACE} {NAMESPACE}/pagecontent.xsd"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


#: PAGE's ``readingDirection`` of a line turned by ``Line.angle`` degrees.
_READING = {90: "bottom-to-top", 180: "right-to-left", 270: "top-to-bottom"}


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _coords(parent: ET.Element, box: Sequence[int]) -> None:
    left, top, right, bottom = box
    ET.SubElement(parent, _tag("Coords"), {"points": corner_points((left, top, right, bottom))})


def _equiv(parent: ET.Element, text: str, conf: float | None = None,
           index: int | None = None) -> None:
    attributes = {}
    if index is not None:
        attributes["index"] = str(index)
    if conf is not None:
        attributes["conf"] = f"{conf:.4f}"
    equiv = ET.SubElement(parent, _tag("TextEquiv"), attributes)
    ET.SubElement(equiv, _tag("Unicode")).text = text


def _line(parent: ET.Element, line: Line, ids: Ids) -> None:
    element = ET.SubElement(parent, _tag("TextLine"), {"id": ids("line")})
    if line.angle:
        element.set("readingDirection", _READING[line.angle])
    _coords(element, line.box)
    ends = " ".join(f"{max(0, x)},{max(0, y)}" for x, y in line.baseline)
    ET.SubElement(element, _tag("Baseline"), {"points": ends})
    for word in line.words:
        word_element = ET.SubElement(element, _tag("Word"), {"id": ids("word")})
        _coords(word_element, word.box)
        for glyph in word.glyphs:
            glyph_element = ET.SubElement(word_element, _tag("Glyph"), {"id": ids("glyph")})
            _coords(glyph_element, glyph.box)
            if not glyph.candidates:
                _equiv(glyph_element, glyph.text, index=0)
            for rank, (text, dist) in enumerate(glyph.candidates):
                _equiv(glyph_element, glyph.text if rank == 0 else text, confidence(dist), rank)
        _equiv(word_element, word.text, word.confidence)
    _equiv(element, line.text)


def _text_region(parent: ET.Element, block: Block, ids: Ids) -> None:
    element = ET.SubElement(parent, _tag("TextRegion"), {"id": ids("region")})
    _coords(element, block.box)
    for line in block.lines:
        _line(element, line, ids)
    _equiv(element, "\n".join(line.text for line in block.lines))


def _page(page: Page, created: str) -> str:
    ET.register_namespace("", NAMESPACE)
    ET.register_namespace("xsi", _XSI)
    root = ET.Element(_tag("PcGts"), {f"{{{_XSI}}}schemaLocation": SCHEMA_LOCATION})
    metadata = ET.SubElement(root, _tag("Metadata"))
    ET.SubElement(metadata, _tag("Creator")).text = "lingyun"
    ET.SubElement(metadata, _tag("Created")).text = created
    ET.SubElement(metadata, _tag("LastChange")).text = created
    element = ET.SubElement(root, _tag("Page"), {
        "imageFilename": page.source or "", "imageWidth": str(page.width),
        "imageHeight": str(page.height)})
    if page.skew:
        element.set("orientation", f"{page.skew:g}")
    ids = Ids()
    for block in page.blocks:
        if not block.cells:
            _text_region(element, block, ids)
            continue
        table = ET.SubElement(element, _tag("TableRegion"), {"id": ids("table")})
        _coords(table, block.box)
        if block.lines:
            _text_region(table, Block("region", block.index, block.box, block.lines), ids)
        for cell in block.cells:
            _text_region(table, cell, ids)
    ET.indent(root, space=" ")
    return XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


def to_page_xml(results: Any, sources: Sequence[Any] | None = None, *,
                created: datetime | None = None) -> list[str]:
    """One PAGE-XML document per page of one or many Layouts / text results.

    ``created`` stamps ``Metadata/Created`` and ``LastChange`` (default: now, UTC).
    """
    stamp = (created or datetime.now(UTC)).replace(microsecond=0).isoformat()
    return [_page(page, stamp)
            for document in as_documents(results, sources)
            for page in pages_of(document)]
