"""Multi-page inputs: PDF (rasterised by pypdfium2) and multi-page TIFF (Pillow), one call each.

:func:`expand` turns a path into the :class:`PageInput` objects of one bulk run: a plain
image is one input with ``page=None``; every page of a PDF or TIFF is its own input with a
1-based ``page``, optionally narrowed by a :class:`PageSelection` (``--pages 1-3,7``).
Pages are counted when the run is listed (cheap: no rendering) and rasterised only when a
worker loads them, so a thousand-page PDF never sits in memory as images.

PDF pages are rendered by :mod:`lingyun.bulk.pdf` at ``dpi`` (default 200, plenty for OCR),
lower when the page would exceed the pixel limit; TIFF frames are read by
:mod:`lingyun.bulk.tiff` and converted to PNG as they are.

One input, one outcome: whatever goes wrong with a file -- it is missing, not a regular
file, not a PDF after all, a TIFF frame claims 30000 × 30000 pixels, a document has no page in
the selection, a library raises its own exception -- becomes that input's
:class:`~lingyun.errors.ImageError` (at listing when it can be known then, from
:meth:`PageInput.load` otherwise), with a message naming the file and page: an error record,
never the end of the run.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from ..errors import ImageError, LingyunError, UsageError
from .files import (
    MAX_DOCUMENT_BYTES,
    describe,
    portable,
    read_file,
    read_head,
    size_text,
)
from .pdf import MAX_PIXELS, page_count, render_page
from .tiff import frame_png, frame_sizes

__all__ = ["DEFAULT_DPI", "PageInput", "PageSelection", "expand", "parse_pages", "sniff_kind"]

DEFAULT_DPI = 200
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
        """The bytes to send: the file itself, or the page rasterised to PNG.

        Every failure is an :class:`~lingyun.errors.ImageError` naming the input.
        """
        if self.problem:
            raise ImageError(self.problem)
        try:
            if self.kind == "pdf":
                return render_page(self.source, self.page or 1, self.dpi, _png)
            if self.kind == "tiff":
                return frame_png(self.source, self.page or 1, _png)
            return read_file(self.source)
        except LingyunError:
            raise
        except Exception as exc:  # a library's own exception, MemoryError: this input's
            raise ImageError(f"{self._where()} cannot be read: {describe(exc)}") from None

    def _where(self) -> str:
        shown = portable(self.source)
        return shown if self.page is None else f"page {self.page} of {shown}"


def expand(path: str, pages: PageSelection | None = None,
           dpi: int = DEFAULT_DPI) -> list[PageInput]:
    """The inputs for one file: its pages (PDF, TIFF) or itself (any other image).

    Never raises for a bad file: its problem is carried by the input it returns.
    """
    try:
        return _expand(path, pages, dpi)
    except Exception as exc:  # one input, one record, whatever it does
        message = str(exc) if isinstance(exc, LingyunError) else \
            f"{portable(path)} cannot be listed: {describe(exc)}"
        return [PageInput(path, problem=message)]


def _expand(path: str, pages: PageSelection | None, dpi: int) -> list[PageInput]:
    head, size = read_head(path)  # missing, unreadable, not a regular file: ImageError
    kind = sniff_kind(head)
    if kind == "image":
        return [PageInput(path)]
    if size > MAX_DOCUMENT_BYTES:
        raise ImageError(f"{portable(path)} is {size_text(size)}, over the "
                         f"{size_text(MAX_DOCUMENT_BYTES)} a {kind.upper()} may be: not read")
    sizes = frame_sizes(path) if kind == "tiff" else None
    count = len(sizes) if sizes is not None else page_count(path)
    chosen = pages.pick(count) if pages is not None else list(range(1, count + 1))
    if not chosen:
        what = f"--pages {pages}" if pages is not None else "the file"
        return [PageInput(path, kind=kind, problem=f"{portable(path)}: no page selected by "
                          f"{what}; it has {count} page(s)")]
    return [PageInput(path, number, kind, dpi,
                      _too_large(path, number, sizes[number - 1]) if sizes else None)
            for number in chosen]


def _too_large(path: str, number: int, size: tuple[int, int]) -> str | None:
    """Why TIFF frame ``number`` of ``size`` pixels is not decoded, or ``None`` if it may be."""
    width, height = size
    if width * height <= MAX_PIXELS and width > 0 and height > 0:
        return None
    if width <= 0 or height <= 0:
        return f"page {number} of {portable(path)} declares no size ({width} × {height} px)"
    return (f"page {number} of {portable(path)} is {width} × {height} px "
            f"({width * height:,} pixels), over the {MAX_PIXELS:,}-pixel limit: not decoded")


def _png(image: Any) -> bytes:
    if image.mode not in ("1", "L", "RGB", "RGBA"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
