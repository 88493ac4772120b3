"""hOCR 1.2: an XHTML page tree that OCRmyPDF, hocr-tools and most OCR viewers read.

Structure, one ``div.ocr_page`` per page of every document::

    div.ocr_page   title="image "scan.png"; bbox 0 0 W H; ppageno N"
      div.ocr_carea  (a REGION)                       title="bbox ..."
        p.ocr_par      (the region's lines, then one per TABLECELL)  title="bbox ..."
          span.ocr_line  title="bbox ...; baseline 0 -d[; textangle A]"
            span.ocrx_word   title="bbox ...; x_wconf 97"
              span.ocrx_cinfo  title="x_bboxes l t r b; x_confs 97.64"  (one per glyph)

* ``x_confs``/``x_wconf`` are percentages: ``100 * (1 - distance / 254)``; a word's is its
  least sure glyph's, rounded down to an integer (OCRmyPDF reads integers only).
* ``baseline 0 -d``: a baseline ``d`` pixels above the line box's bottom edge, estimated
  from the glyph boxes (see :mod:`lingyun.exports._model`).  A line whose text is turned --
  running down (a column of vertical writing, a page fed in sideways), up, or upside down
  -- says so with ``textangle`` (270, 90 or 180 degrees counter-clockwise), and its
  baseline is measured in its own frame, from the box edge its glyphs stand on: the frame
  OCRmyPDF's renderer turns its text into.
* With ``alternatives=True`` each glyph with more than one used candidate holds
  ``<span class="alternatives"><ins class="alt" title="x_confs ..">best</ins>
  <del class="alt" title="x_confs ..">other</del>...</span>`` (hOCR's alternatives).  Off by
  default: OCRmyPDF and hocr-tools take *all* text inside a word, deleted alternatives
  included, so a searchable PDF would contain every candidate.
* Boxes are clamped at 0: hOCR coordinates are unsigned.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from ._model import XML_DECLARATION, Block, Document, Glyph, Ids, Line, Page, as_documents, pages_of

__all__ = ["CAPABILITIES", "OCR_SYSTEM", "to_hocr"]

OCR_SYSTEM = "lingyun"
CAPABILITIES = "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrx_cinfo ocrp_wconf"
_DOCTYPE = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">')


def _bbox(box: Sequence[int]) -> str:
    return " ".join(str(max(0, int(v))) for v in box)


def _percent(value: float | None) -> str:
    return "0" if value is None else f"{100.0 * value:.2f}".rstrip("0").rstrip(".")


def _glyph(parent: ET.Element, glyph: Glyph, alternatives: bool) -> None:
    span = ET.SubElement(parent, "span", {
        "class": "ocrx_cinfo",
        "title": f"x_bboxes {_bbox(glyph.box)}; x_confs {_percent(glyph.confidence)}",
    })
    used = [(text, dist) for text, dist in glyph.candidates if text]
    if not alternatives or len(used) < 2:
        span.text = glyph.text
        return
    group = ET.SubElement(span, "span", {"class": "alternatives"})
    for rank, (text, dist) in enumerate(used):
        conf = 1.0 - dist / 254
        alt = ET.SubElement(group, "ins" if rank == 0 else "del",
                            {"class": "alt", "title": f"x_confs {_percent(conf)}"})
        alt.text = glyph.text if rank == 0 else text


def _line(parent: ET.Element, line: Line, ids: Ids, alternatives: bool) -> None:
    title = f"bbox {_bbox(line.box)}; baseline 0 {-line.foot}"
    if line.angle:
        title += f"; textangle {line.angle}"
    element = ET.SubElement(parent, "span", {"class": "ocr_line", "id": ids("line"),
                                             "title": title})
    for position, word in enumerate(line.words):
        conf = word.confidence
        span = ET.SubElement(element, "span", {
            "class": "ocrx_word", "id": ids("word"),
            "title": f"bbox {_bbox(word.box)}; x_wconf {int(100 * conf) if conf else 0}",
        })
        for glyph in word.glyphs:
            _glyph(span, glyph, alternatives)
        span.tail = " " if position < len(line.words) - 1 else None


def _block(parent: ET.Element, block: Block, ids: Ids, alternatives: bool) -> None:
    area = ET.SubElement(parent, "div", {"class": "ocr_carea", "id": ids("block"),
                                         "title": f"bbox {_bbox(block.box)}"})
    for owner in ([block] if block.lines else []) + block.cells:
        if not owner.lines:
            continue
        par = ET.SubElement(area, "p", {"class": "ocr_par", "id": ids("par"),
                                        "title": f"bbox {_bbox(owner.box)}"})
        for line in owner.lines:
            _line(par, line, ids, alternatives)


def _page(body: ET.Element, page: Page, number: int, ids: Ids, alternatives: bool,
          resolution: tuple[int, int] | None) -> None:
    title = [f"bbox 0 0 {max(0, page.width)} {max(0, page.height)}", f"ppageno {number}"]
    if resolution:
        title.append(f"scan_res {resolution[0]} {resolution[1]}")
    if page.source:
        title.insert(0, 'image "{}"'.format(page.source.replace('"', "'")))
    if page.skew:
        title.append(f"textangle {page.skew:g}")
    element = ET.SubElement(body, "div", {"class": "ocr_page", "id": ids("page"),
                                          "title": "; ".join(title)})
    for block in page.blocks:
        _block(element, block, ids, alternatives)


_BLOCKS = {"html", "head", "body", "div", "p"}


def _break_lines(element: ET.Element) -> None:
    # A newline after block-level elements and lines only: whitespace *inside* a word would
    # become part of the word's text for readers that concatenate it (OCRmyPDF does).
    for child in element.iter():
        if child.tag in _BLOCKS:
            child.text = "\n"  # also keeps an empty div from becoming <div/>, invalid HTML
        if child.tag in _BLOCKS or child.get("class") == "ocr_line" or child.tag == "meta":
            child.tail = "\n"


def to_hocr(results: Any, sources: Sequence[Any] | None = None, *,
            alternatives: bool = False, title: str = "lingyun OCR",
            resolution: tuple[int, int] | None = None) -> str:
    """hOCR for one or many Layouts / text results (``sources``: their image names).

    ``resolution`` (dots per inch, x and y) is stated as ``scan_res`` on every page, which
    tells PDF renderers the page size.

    Returns the XHTML document as a string, every page of every document in order.
    """
    documents: list[Document] = as_documents(results, sources)
    pages = [page for document in documents for page in pages_of(document)]
    html = ET.Element("html", {"xmlns": "http://www.w3.org/1999/xhtml",
                               "xml:lang": "en", "lang": "en"})
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "title").text = title or "lingyun OCR"
    ET.SubElement(head, "meta", {"http-equiv": "Content-Type",
                                 "content": "text/html;charset=utf-8"})
    for name, content in (("ocr-system", OCR_SYSTEM), ("ocr-capabilities", CAPABILITIES),
                          ("ocr-number-of-pages", str(len(pages))),
                          ("ocr-langs", "unknown"), ("ocr-scripts", "unknown")):
        ET.SubElement(head, "meta", {"name": name, "content": content})
    body = ET.SubElement(html, "body")
    ids = Ids()
    for number, page in enumerate(pages):
        _page(body, page, number, ids, alternatives, resolution)
    _break_lines(html)
    # Self-closing only where empty: <meta/> (void in HTML); nothing else is ever empty.
    markup = ET.tostring(html, encoding="unicode")
    return f"{XML_DECLARATION}{_DOCTYPE}\n{markup}\n"
