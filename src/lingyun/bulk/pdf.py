"""PDF pages for bulk runs: counted without rendering, rendered within a pixel limit.

PDF page sizes are in points (1/72 inch) and unbounded: a 342-byte file can hold one
7000 × 7000 pt page, which at 200 dpi is 19444 × 19444 pixels (1.1 GB of bitmap).  So the
render scale is chosen *from the page size, before rendering* (:func:`render_scale`): the
requested dpi when the page fits :data:`MAX_PIXELS`, else the largest dpi that fits.  A page
so large that even :data:`MIN_DPI` would not fit is refused with a message naming the page
and its size -- text drawn coarser than that cannot be read anyway.

PDFium is not thread-safe, so every PDFium call holds one module lock; rendering is a small
part of a call next to the network round trip.  Anything PDFium or Pillow raises (a
``PdfiumError``, a ``MemoryError`` with no message) becomes an
:class:`~lingyun.errors.ImageError` naming the page.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
from collections.abc import Iterator
from typing import Any

from ..errors import ImageError
from .files import describe, open_regular, portable

__all__ = ["MAX_PIXELS", "MIN_DPI", "page_count", "render_page", "render_scale"]

#: The most pixels a rendered page may have: the service's default image limit (50 MP, an
#: A3 page at 400 dpi).  A larger page is rendered at a lower dpi.
MAX_PIXELS = 50_000_000
#: Below this resolution a page is refused rather than rendered (text would be unreadable).
MIN_DPI = 30

_PDFIUM_LOCK = threading.Lock()


def render_scale(width_pt: float, height_pt: float, dpi: int, *, page: int = 1,
                 source: str = "the PDF", max_pixels: int | None = None) -> float:
    """Pixels per point to render a ``width_pt`` × ``height_pt`` page at (≤ ``dpi`` / 72).

    Raises :class:`~lingyun.errors.ImageError` for a page with no area, or one that would
    need less than :data:`MIN_DPI` to fit ``max_pixels``.
    """
    where = f"page {page} of {source}"
    max_pixels = MAX_PIXELS if max_pixels is None else max_pixels
    if not (width_pt > 0 and height_pt > 0) or math.isinf(width_pt * height_pt):
        raise ImageError(f"{where} has no drawable size ({width_pt} × {height_pt} pt)")
    scale = dpi / 72
    if width_pt * height_pt * scale * scale <= max_pixels:
        return scale
    fitting = math.sqrt(max_pixels / (width_pt * height_pt)) * 0.999  # rounding up stays in
    if fitting * 72 < MIN_DPI:
        raise ImageError(
            f"{where} is {width_pt:.0f} × {height_pt:.0f} pt ({width_pt / 72:.0f} × "
            f"{height_pt / 72:.0f} in): within the {max_pixels:,}-pixel limit it could be "
            f"drawn at only {fitting * 72:.1f} dpi, under the {MIN_DPI} dpi text needs; crop "
            "or split the page")
    return fitting


def _pdfium() -> Any:
    try:
        import pypdfium2
    except ImportError as exc:
        raise ImageError(f"reading PDFs needs pypdfium2 (pip install 'lingyun[pdf]'): {exc}") \
            from None
    return pypdfium2


@contextlib.contextmanager
def _document(path: str) -> Iterator[Any]:
    """The PDF ``path`` open in PDFium, read through the descriptor that was checked to be a
    regular file (never a FIFO or a device swapped in after the check)."""
    pdfium = _pdfium()
    fd, _ = open_regular(path)
    with os.fdopen(fd, "rb") as handle:
        try:
            document = pdfium.PdfDocument(handle)
        except Exception as exc:  # PdfiumError, OSError, MemoryError: this file's error
            raise ImageError(f"cannot open PDF {portable(path)}: {describe(exc)}") from None
        try:
            yield document
        finally:
            document.close()


def page_count(path: str) -> int:
    """How many pages the PDF ``path`` has (nothing is rendered)."""
    with _PDFIUM_LOCK, _document(path) as document:
        return len(document)


def render_page(path: str, number: int, dpi: int, encode: Any) -> bytes:
    """Page ``number`` (1-based) of ``path`` rendered within :data:`MAX_PIXELS`, encoded."""
    shown = portable(path)
    with _PDFIUM_LOCK, _document(path) as document:
        if not 1 <= number <= len(document):
            raise ImageError(f"{shown}: page {number} does not exist; it has "
                             f"{len(document)} page(s)")
        page = document[number - 1]
        try:
            width, height = page.get_size()
            scale = render_scale(width, height, dpi, page=number, source=shown,
                                 max_pixels=MAX_PIXELS)
            image = page.render(scale=scale).to_pil()
        except ImageError:
            raise
        except Exception as exc:  # PdfiumError, MemoryError, ...: this page's error
            raise ImageError(f"page {number} of {shown} cannot be rendered: "
                             f"{describe(exc)}") from None
        finally:
            page.close()
    return bytes(encode(image))
