"""The page the embedded engine reads from an image: what a local recognizer is given.

:func:`read_page` is for a template author's tests and for looking (``lingyun page IMAGE``
prints the same page): it runs the local service's text engine on the image and builds the
:class:`~lingyun.recognizers.page.Page` its ``local-templates`` engine would hand to a
recognizer.  It lives apart from :mod:`lingyun.recognizers.page` because it reaches up into
the local service, and the page model must not (the page is what document types are made
of; the service is built on them).
"""

from __future__ import annotations

import functools
import os

from ..errors import ConfigurationError
from ..files import read_file
from ..service.engines.base import BadImage
from ..service.engines.templates import LineReader, page_from_lines
from .page import Page, PageError

__all__ = ["read_page"]


@functools.cache
def _default_reader() -> LineReader:
    """One rapidocr engine per process for :func:`read_page` (its model loads once)."""
    from ..service.engines.rapidocr import INSTALL_HINT, RapidOCREngine, rapidocr_available

    if not rapidocr_available():
        raise ConfigurationError(f"read_page reads with rapidocr: {INSTALL_HINT}")
    return RapidOCREngine()


def read_page(image: str | os.PathLike[str] | bytes, reader: LineReader | None = None) -> Page:
    """The page the embedded engine reads from ``image`` (a path or the encoded bytes):
    exactly what a local recognizer is given for it.

    ``reader`` is anything with the rapidocr engine's ``read_lines(bytes)``; by default one
    rapidocr engine per process (the ``local`` extra), loaded on the first call.  A file that
    cannot be read, or bytes that are not an image, raise
    :class:`~lingyun.recognizers.page.PageError` naming the input.
    """
    if isinstance(image, bytes):
        data, where = image, "the image"
    else:
        where = os.fspath(image)
        try:
            data = read_file(where)
        except Exception as exc:  # ImageError: missing, not a regular file, too large
            raise PageError(f"cannot read {where}: {exc}") from None
    try:
        width, height, lines = (reader or _default_reader()).read_lines(data)
    except BadImage as exc:
        raise PageError(f"{where} is not an image the engine can decode: {exc}") from None
    return page_from_lines(width, height, lines)
