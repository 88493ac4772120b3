"""Glyph geometry out of lingyun: tables (pandas, Arrow, Parquet, CSV), hOCR, ALTO 4.2,
PAGE-XML 2019, and pictures.

Every exporter reads :class:`~lingyun.iread.Layout` objects (or text results holding one,
``withPosition=True``) and none writes one back.  :data:`FORMATS` names the file formats
for the command line (``lingyun ocr --format NAME``); :func:`write` writes one of them for
a list of results, and :func:`render_overlay` saves a picture of one result over its image.

Confidence everywhere is ``1 - distance / 254`` for the first candidate (distance 0 sure,
254 unsure, 255 unused slot: no confidence); hOCR gives it in percent.  See
``docs/exports.md``.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._model import ExportError, confidence
from .alto import to_alto
from .draw import FontNotFoundError, draw, find_font, render_overlay
from .hocr import to_hocr
from .pagexml import to_page_xml
from .tables import glyph_columns, to_arrow, to_csv, to_pandas, to_parquet

__all__ = [
    "FORMATS",
    "ExportError",
    "FontNotFoundError",
    "Format",
    "confidence",
    "draw",
    "find_font",
    "glyph_columns",
    "render_overlay",
    "to_alto",
    "to_arrow",
    "to_csv",
    "to_hocr",
    "to_page_xml",
    "to_pandas",
    "to_parquet",
    "write",
]


@dataclass(frozen=True)
class Format:
    """A file format: its name, file suffix, and how to render results into files.

    ``render(results, sources)`` returns one ``bytes`` per output file: one for most
    formats, one per page for PAGE-XML (whose files hold a single page each).
    """

    name: str
    suffix: str
    description: str
    render: Callable[[Sequence[Any], Sequence[Any] | None], list[bytes]]


def _text(function: Callable[..., str], **options: Any) -> Callable[..., list[bytes]]:
    return lambda results, sources: [function(results, sources, **options).encode("utf-8")]


def _binary(function: Callable[..., None]) -> Callable[..., list[bytes]]:
    def render(results: Sequence[Any], sources: Sequence[Any] | None) -> list[bytes]:
        buffer = io.BytesIO()
        function(results, buffer, sources)
        return [buffer.getvalue()]

    return render


def _csv(results: Sequence[Any], sources: Sequence[Any] | None) -> list[bytes]:
    buffer = io.StringIO()
    to_csv(results, buffer, sources)
    return [buffer.getvalue().encode("utf-8")]


#: Output formats by name, for ``--format``.
FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("hocr", ".hocr", "hOCR with glyph boxes and confidences (OCRmyPDF-ready)",
           _text(to_hocr)),
    Format("hocr-alternatives", ".hocr", "hOCR with every candidate as hOCR alternatives",
           _text(to_hocr, alternatives=True)),
    Format("alto", ".xml", "ALTO 4.2 with Glyph and Variant per candidate", _text(to_alto)),
    Format("page", ".xml", "PAGE-XML 2019, one file per page",
           lambda results, sources: [d.encode("utf-8") for d in to_page_xml(results, sources)]),
    Format("csv", ".csv", "one row per glyph, candidates in fixed columns", _csv),
    Format("parquet", ".parquet", "one row per glyph (Arrow types)", _binary(to_parquet)),
)}


def write(fmt: str, results: Sequence[Any], sources: Sequence[Any] | None,
          out: str | os.PathLike[str]) -> list[Path]:
    """Write ``results`` (TextResults or Layouts) as ``fmt`` to ``out``; return the files.

    ``sources`` names each result's image (or ``None``).  When a format needs several
    files (PAGE-XML for more than one page), they are ``<stem>-0001<suffix>``, ... beside
    ``out``.
    """
    try:
        spec = FORMATS[fmt]
    except KeyError:
        raise ExportError(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}") from None
    payloads = spec.render(list(results), None if sources is None else list(sources))
    target = Path(out)
    if len(payloads) == 1:
        paths = [target]
    else:
        suffix = target.suffix or spec.suffix
        paths = [target.with_name(f"{target.stem}-{n:04d}{suffix}")
                 for n in range(1, len(payloads) + 1)]
    for path, payload in zip(paths, payloads, strict=True):
        path.write_bytes(payload)
    return paths
