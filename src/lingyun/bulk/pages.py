"""Multi-page inputs: PDF (rasterised by pypdfium2) and multi-page TIFF (Pillow), one call each.

:func:`expand` turns a path into the :class:`PageInput` objects of one bulk run: a plain
image is one input with ``page=None``; every page of a PDF or TIFF is its own input with a
1-based ``page``, optionally narrowed by a :class:`PageSelection` (``--pages 1-3,7``).
Pages are counted when the run is listed (cheap: no rendering) and rasterised only when a
worker loads them, so a thousand-page PDF never sits in memory as images.

PDF pages are rendered at ``dpi`` (default 200, plenty for OCR) to PNG.  PDFium is not
thread-safe, so every PDFium call holds one module lock; rendering is a small part of a
call next to the network round trip.  TIFF frames are converted to PNG as they are.
A file that cannot be opened or has no page in the selection becomes one input whose
:meth:`PageInput.load` raises :class:`~lingyun.errors.ImageError` -- an error record, never
a crash of the run.
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass

from ..errors import ImageError, UsageError
from .files import read_file, read_head

__all__ = ["DEFAULT_DPI", "PageInput", "PageSelection", "expand", "parse_pages", "sniff_kind"]

DEFAULT_DPI = 200
_PDFIUM_LOCK = threading.Lock()
_RANGE = re.compile(r"^\s*(\d+)\s*(?:(-)\s*(\d*)\s*)?$")


@dataclass(frozen=True)
class PageSelection:
    """1-based page ranges, each ``(first, last)`` with ``last=None`` meaning "to the end"."""

    ranges: tuple[tuple[int, int | None], ...]

    def pick(self, count: int) -> list[int]:
        """The selected page numbers of a ``count``-page document, in order, no repeats."""
        chosen: dict[int, None] = {}
        for first, last in self.ranges:
            for number in range(first, min(count, last if last is not None else count) + 1):
                chosen[number] = None
        return list(chosen)

    def __str__(self) -> str:
        return ",".join(f"{a}" if b == a else f"{a}-{'' if b is None else b}"
                        for a, b in self.ranges)


def parse_pages(spec: str) -> PageSelection:
    """``"1-3,7,10-"`` as a :class:`PageSelection`; a malformed part is a UsageError."""
    ranges: list[tuple[int, int | None]] = []
    for part in spec.split(","):
        match = _RANGE.match(part)
        if not match:
            raise UsageError(f"--pages: {part.strip()!r} in {spec!r} is not a page number or "
                             "range like 1-3, 7 or 10-")
        first = int(match[1])
        last = first if not match[2] else (int(match[3]) if match[3] else None)
        if first < 1 or (last is not None and last < first):
            raise UsageError(f"--pages: {part.strip()!r} in {spec!r} is not a range of "
                             "pages counted from 1")
        ranges.append((first, last))
    return PageSelection(tuple(ranges))


def sniff_kind(head: bytes) -> str:
    """``"pdf"``, ``"tiff"`` or ``"image"`` from a file's first bytes."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    return "image"


@dataclass(frozen=True)
class PageInput:
    """One call's input: ``page`` of ``source`` (``None`` for a single image)."""

    source: str
    page: int | None = None
    kind: str = "image"
    dpi: int = DEFAULT_DPI
    problem: str | None = None

    @property
    def label(self) -> str:
        return self.source if self.page is None else f"{self.source}#{self.page}"

    def load(self) -> bytes:
        """The bytes to send: the file itself, or the page rasterised to PNG."""
        if self.problem:
            raise ImageError(self.problem)
        if self.kind == "pdf":
            return _render_pdf_page(self.source, self.page or 1, self.dpi)
        if self.kind == "tiff":
            return _tiff_frame(self.source, self.page or 1)
        return read_file(self.source)


def expand(path: str, pages: PageSelection | None = None,
           dpi: int = DEFAULT_DPI) -> list[PageInput]:
    """The inputs for one file: its pages (PDF, TIFF) or itself (any other image)."""
    try:
        head, _ = read_head(path)
    except ImageError as exc:  # missing, unreadable, not a regular file: one error record
        return [PageInput(path, problem=str(exc))]
    kind = sniff_kind(head)
    if kind == "image":
        return [PageInput(path)]
    try:
        count = _pdf_page_count(path) if kind == "pdf" else _tiff_frame_count(path)
    except ImageError as exc:
        return [PageInput(path, kind=kind, problem=str(exc))]
    chosen = pages.pick(count) if pages is not None else list(range(1, count + 1))
    if not chosen:
        what = f"--pages {pages}" if pages is not None else "the file"
        return [PageInput(path, kind=kind, problem=f"{path}: no page selected by {what}; "
                          f"it has {count} page(s)")]
    return [PageInput(path, number, kind, dpi) for number in chosen]


def _pdfium():
    try:
        import pypdfium2
    except ImportError as exc:
        raise ImageError(f"reading PDFs needs pypdfium2 (pip install 'lingyun[pdf]'): {exc}") \
            from None
    return pypdfium2


def _open_pdf(path: str):
    pdfium = _pdfium()
    try:
        return pdfium.PdfDocument(path)
    except (pdfium.PdfiumError, OSError) as exc:
        raise ImageError(f"cannot open PDF {path}: {exc}") from None


def _pdf_page_count(path: str) -> int:
    with _PDFIUM_LOCK:
        document = _open_pdf(path)
        try:
            return len(document)
        finally:
            document.close()


def _render_pdf_page(path: str, number: int, dpi: int) -> bytes:
    with _PDFIUM_LOCK:
        document = _open_pdf(path)
        try:
            if not 1 <= number <= len(document):
                raise ImageError(f"{path}: page {number} does not exist; it has "
                                 f"{len(document)} page(s)")
            page = document[number - 1]
            try:
                image = page.render(scale=dpi / 72).to_pil()
            finally:
                page.close()
        finally:
            document.close()
    return _png(image)


def _open_tiff(path: str):
    from PIL import Image, UnidentifiedImageError

    try:
        return Image.open(path)
    except (OSError, UnidentifiedImageError) as exc:
        raise ImageError(f"cannot open TIFF {path}: {exc}") from None


def _tiff_frame_count(path: str) -> int:
    with _open_tiff(path) as image:
        return int(getattr(image, "n_frames", 1))


def _tiff_frame(path: str, number: int) -> bytes:
    with _open_tiff(path) as image:
        frames = int(getattr(image, "n_frames", 1))
        if not 1 <= number <= frames:
            raise ImageError(f"{path}: page {number} does not exist; it has {frames} page(s)")
        try:
            image.seek(number - 1)
            image.load()
        except (OSError, EOFError) as exc:
            raise ImageError(f"{path}: page {number} cannot be decoded: {exc}") from None
        return _png(image)


def _png(image) -> bytes:
    if image.mode not in ("1", "L", "RGB", "RGBA"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
