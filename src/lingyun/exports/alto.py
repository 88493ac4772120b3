"""ALTO 4.2 (Analyzed Layout and Text Object), the library world's OCR format.

One ``alto`` document holds every page of every document, in pixels
(``MeasurementUnit pixel``)::

    Layout / Page (WIDTH, HEIGHT, PHYSICAL_IMG_NR) / PrintSpace
      TextBlock              a REGION without table cells
      ComposedBlock TYPE="table"   a REGION with cells: a TextBlock for its own lines,
                                   then one TextBlock per TABLECELL
        TextLine  BASELINE="x,y x,y"     (estimated, see lingyun.exports._model)
          String CONTENT WC  /  SP between words
            Glyph CONTENT GC
              Variant CONTENT VC          one per used candidate slot, best first

A line's ``BASELINE`` runs from where its reading starts to where it ends, along the feet
of its glyphs in the line's own frame: down the left edge of a line running down the page,
up the right edge of one running up, right to left along the top of one upside down.  ALTO
gives rotation (``ROTATION``, degrees counter-clockwise) to blocks only: a ``TextBlock``
whose lines all run the same turned way carries it (270 for lines running down, 90 up, 180
upside down); in a block that mixes ways, each line's baseline still says its direction.

``WC``/``GC``/``VC`` are ``1 - distance / 254`` (0 least, 1 most certain); a String's is its
least sure glyph's.  ``sourceImageInformation`` names the image when there is exactly one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from ._model import XML_DECLARATION, Block, Ids, Line, Page, as_documents, confidence, pages_of

__all__ = ["NAMESPACE", "SCHEMA_LOCATION", "to_alto"]

NAMESPACE = "http://www.loc.gov/standards/alto/ns-v4#"
SCHEMA_LOCATION = f"{NAMESPACE} http://www.loc.gov/standards/alto/v4/alto-4-2.xsd"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _geometry(box: Sequence[int]) -> dict[str, str]:
    left, top, right, bottom = box
    return {"HPOS": str(left), "VPOS": str(top),
            "WIDTH": str(max(0, right - left)), "HEIGHT": str(max(0, bottom - top))}


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _line(parent: ET.Element, line: Line, ids: Ids) -> None:
    (x1, y1), (x2, y2) = line.baseline
    element = ET.SubElement(parent, _tag("TextLine"), {
        "ID": ids("line"), **_geometry(line.box), "BASELINE": f"{x1},{y1} {x2},{y2}",
    })
    previous = None
    for word in line.words:
        box = word.box
        if previous is not None:
            ET.SubElement(element, _tag("SP"), {
                "HPOS": str(previous[2]), "VPOS": str(min(previous[1], box[1])),
                "WIDTH": str(max(0, box[0] - previous[2])),
            })
        attributes = {"ID": ids("string"), **_geometry(box), "CONTENT": word.text}
        if word.confidence is not None:
            attributes["WC"] = f"{word.confidence:.4f}"
        string = ET.SubElement(element, _tag("String"), attributes)
        for glyph in word.glyphs:
            attrs = {"ID": ids("glyph"), "CONTENT": glyph.text, **_geometry(glyph.box)}
            if glyph.confidence is not None:
                attrs["GC"] = f"{glyph.confidence:.4f}"
            element_glyph = ET.SubElement(string, _tag("Glyph"), attrs)
            for text, dist in glyph.candidates:
                variant = {"CONTENT": text}
                score = confidence(dist)
                if score is not None:
                    variant["VC"] = f"{score:.4f}"
                ET.SubElement(element_glyph, _tag("Variant"), variant)
        previous = box


def _text_block(parent: ET.Element, block: Block, ids: Ids) -> None:
    element = ET.SubElement(parent, _tag("TextBlock"), {"ID": ids("block"),
                                                        **_geometry(block.box)})
    angles = {line.angle for line in block.lines}
    if len(angles) == 1 and (angle := angles.pop()):
        element.set("ROTATION", str(angle))
    for line in block.lines:
        _line(element, line, ids)


def _page(layout: ET.Element, page: Page, number: int, ids: Ids) -> None:
    element = ET.SubElement(layout, _tag("Page"), {
        "ID": ids("page"), "PHYSICAL_IMG_NR": str(number),
        "WIDTH": str(page.width), "HEIGHT": str(page.height),
    })
    space = ET.SubElement(element, _tag("PrintSpace"),
                          _geometry((0, 0, page.width, page.height)))
    for block in page.blocks:
        if not block.cells:
            _text_block(space, block, ids)
            continue
        composed = ET.SubElement(space, _tag("ComposedBlock"), {
            "ID": ids("composed"), "TYPE": "table", **_geometry(block.box)})
        if block.lines:
            _text_block(composed, Block("region", block.index, block.box, block.lines), ids)
        for cell in block.cells:
            _text_block(composed, cell, ids)


def to_alto(results: Any, sources: Sequence[Any] | None = None) -> str:
    """ALTO 4.2 XML for one or many Layouts / text results (``sources``: image names)."""
    documents = as_documents(results, sources)
    ET.register_namespace("", NAMESPACE)
    ET.register_namespace("xsi", _XSI)
    root = ET.Element(_tag("alto"), {f"{{{_XSI}}}schemaLocation": SCHEMA_LOCATION})
    description = ET.SubElement(root, _tag("Description"))
    ET.SubElement(description, _tag("MeasurementUnit")).text = "pixel"
    names = {d.source for d in documents}
    if len(names) == 1 and None not in names:
        info = ET.SubElement(description, _tag("sourceImageInformation"))
        ET.SubElement(info, _tag("fileName")).text = names.pop()
    processing = ET.SubElement(description, _tag("OCRProcessing"), {"ID": "ocr_1"})
    step = ET.SubElement(processing, _tag("ocrProcessingStep"))
    software = ET.SubElement(step, _tag("processingSoftware"))
    ET.SubElement(software, _tag("softwareName")).text = "lingyun"
    layout = ET.SubElement(root, _tag("Layout"))
    ids = Ids()
    number = 0
    for document in documents:
        for page in pages_of(document):
            number += 1
            _page(layout, page, number, ids)
    ET.indent(root, space=" ")
    return XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"
