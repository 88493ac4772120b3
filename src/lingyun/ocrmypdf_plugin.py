"""An OCRmyPDF plugin: Lingyun text recognition as OCRmyPDF's OCR engine.

OCRmyPDF turns scans (images or image PDFs) into searchable PDFs; its OCR engine is a plugin.
This one recognizes each page with a :class:`lingyun.Client` -- the hosted service or a
private deployment from ``LINGYUN_ENDPOINT``/``LINGYUN_APP_KEY``/``LINGYUN_DEV_KEY``, or with
no endpoint the embedded engine (``lingyun[local]``) -- asks for glyph positions, and hands
OCRmyPDF our hOCR (:func:`lingyun.exports.hocr.to_hocr`), which OCRmyPDF's fpdf2 renderer
lays under the page image as invisible, searchable text::

    pip install 'lingyun[local,ocrmypdf]'
    ocrmypdf --plugin lingyun.ocrmypdf_plugin --output-type pdf scan.png scan.pdf

It is chosen explicitly with ``--plugin`` and never through OCRmyPDF's entry points, since
loading it replaces Tesseract: OCRmyPDF's built-in Tesseract plugin checks for the
``tesseract`` program whichever engine runs, so :func:`initialize` blocks it and this plugin
registers Tesseract's option model in its place (OCRmyPDF's own validation reads those
options).  Neither Tesseract nor Ghostscript is needed with ``--output-type pdf``; PDF/A
output still needs Ghostscript, as for any engine.

Languages (``-l``): ``eng`` reads ``text.english``; ``chi_sim`` or ``chi_tra`` (alone or with
``eng``) reads ``text.chinese``, whose model also reads Latin script.

``--deskew`` turns each page by the skew angle the service reports for it (the page node's
``nSkewAngle`` in the position stream): one extra recognition per page, which is why
OCRmyPDF asks for it only with ``--deskew``.  A service that reports no positions for the
page leaves it as it is, with a warning.  ``--rotate-pages`` turns a page fed sideways or
upside down upright: its orientation is the way its lines run in the position stream (the
embedded engine reads such a page the right way round, line by line), one extra recognition
per page, asked for only with ``--rotate-pages``.

A page that fails to recognize stops the run with the Lingyun error's message (exit code 7,
"child process error"), never a PDF with a silently missing text layer.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Set
from pathlib import Path
from typing import Any

from ocrmypdf import hookimpl
from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOptions
from ocrmypdf.exceptions import BadArgsError, SubprocessOutputError
from ocrmypdf.pluginspec import OcrEngine, OrientationConfidence

__all__ = ["LANGUAGES", "LingyunOcrEngine", "document_type"]

#: OCRmyPDF language codes this engine accepts, and the Lingyun text type each one reads.
LANGUAGES = {"eng": "text.english", "chi_sim": "text.chinese", "chi_tra": "text.chinese"}
TESSERACT_PLUGIN = "ocrmypdf.builtin_plugins.tesseract_ocr"

log = logging.getLogger(__name__)
_clients: dict[int, Any] = {}
_clients_lock = threading.Lock()


def document_type(languages: list[str]) -> str:
    """The Lingyun document type for OCRmyPDF's ``-l`` languages: Chinese if any language
    is Chinese (its model also reads Latin script), else English."""
    unknown = sorted(set(languages) - set(LANGUAGES))
    if unknown:
        raise BadArgsError(f"the Lingyun engine reads {sorted(LANGUAGES)}, not {unknown}")
    kinds = {LANGUAGES[language] for language in languages}
    return "text.chinese" if "text.chinese" in kinds else "text.english"


def _client() -> Any:
    """One client per process (OCRmyPDF runs pages in worker processes), from the
    environment as :meth:`lingyun.Client.from_env` reads it."""
    from lingyun import Client

    with _clients_lock:
        client = _clients.get(os.getpid())
        if client is None:
            client = _clients[os.getpid()] = Client.from_env()
        return client


def _recognize(image: Path, options: Any) -> Any:
    """Text with positions for one page image; a Lingyun error stops the run (exit 7)."""
    from lingyun.errors import LingyunError

    try:
        return _client().recognize(image, document_type(list(options.languages)),
                                   withPosition=True)
    except LingyunError as exc:
        raise SubprocessOutputError(f"lingyun could not read {image.name}: {exc}") from None


def _resolution(image: Path) -> tuple[int, int] | None:
    from PIL import Image

    with Image.open(image) as opened:
        dpi = opened.info.get("dpi")
    if not dpi or min(dpi) <= 0:
        return None
    return round(dpi[0]), round(dpi[1])


class LingyunOcrEngine(OcrEngine):
    """OCRmyPDF's engine interface over :class:`lingyun.Client` text recognition."""

    @staticmethod
    def version() -> str:
        from lingyun import __version__

        return __version__

    @staticmethod
    def creator_tag(options: Any) -> str:
        return f"lingyun {LingyunOcrEngine.version()}"

    def __str__(self) -> str:
        return f"Lingyun OCR {self.version()}"

    @staticmethod
    def languages(options: Any) -> Set[str]:
        return set(LANGUAGES)

    @staticmethod
    def get_orientation(input_file: Path, options: Any) -> OrientationConfidence:
        """How far the page is turned clockwise (0, 90, 180 or 270), from the way its lines
        run in the position stream (:func:`lingyun.geometry.orientation.page_orientation`),
        with the percentage of its characters that say so as the confidence (a turned page
        scores over 50; OCRmyPDF turns it when that reaches ``--rotate-pages-threshold``,
        14 by default)."""
        from lingyun.geometry.orientation import page_orientation

        path = Path(input_file)
        layout = _recognize(path, options).layout
        if layout is None or len(layout.pages) == 0:
            log.warning("%s: the service returned no positions, so no orientation; the page "
                        "is taken as upright", path.name)
            return OrientationConfidence(angle=0, confidence=0.0)
        [found] = page_orientation(layout)[:1]
        return OrientationConfidence(angle=int(found["angle"]),
                                     confidence=round(100.0 * float(found["share"]), 1))

    @staticmethod
    def get_deskew(input_file: Path, options: Any) -> float:
        """The angle (degrees, counter-clockwise) that straightens the page: minus the
        skew the service reports.  OCRmyPDF turns the page image by it before OCR."""
        path = Path(input_file)
        layout = _recognize(path, options).layout
        if layout is None or len(layout.pages) == 0:
            log.warning("%s: the service returned no positions, so no skew angle; the page "
                        "is not deskewed", path.name)
            return 0.0
        return -float(layout.pages["skew"][0]) / 100.0

    @staticmethod
    def generate_hocr(input_file: Path, output_hocr: Path, output_text: Path,
                      options: Any) -> None:
        from lingyun.exports.hocr import to_hocr

        path = Path(input_file)
        result = _recognize(path, options)
        hocr = to_hocr(result, [path.name], resolution=_resolution(path))
        Path(output_hocr).write_text(hocr, encoding="utf-8")
        Path(output_text).write_text(result.text, encoding="utf-8")

    @staticmethod
    def generate_pdf(input_file: Path, output_pdf: Path, output_text: Path,
                     options: Any) -> None:
        raise BadArgsError("the Lingyun engine gives hOCR, not a PDF: use the default "
                           "--pdf-renderer (auto or fpdf2), not sandwich")


@hookimpl
def initialize(plugin_manager: Any) -> None:
    plugin_manager.set_blocked(TESSERACT_PLUGIN)


@hookimpl
def register_options() -> dict[str, Any]:
    return {"tesseract": TesseractOptions}


@hookimpl
def add_options(parser: Any) -> None:
    TesseractOptions.add_arguments_to_parser(parser)


@hookimpl
def get_ocr_engine(options: Any) -> OcrEngine:
    return LingyunOcrEngine()
