"""Local recognizers: a document's fields from the embedded engine's text lines and boxes.

A document-type plugin may ship one as ``DocumentType.local_recognizer``: a function from a
:class:`~lingyun.recognizers.page.Page` (image size, lines, per-character boxes and
confidences) to the ``data`` the hosted service would answer.  The local service's
``local-templates`` engine (:mod:`lingyun.service.engines.templates`) serves a document type
exactly when it has one, so the client's parsers read local and hosted answers alike.

Built in: the resident ID card (both sides), bank cards and business cards.

:func:`~lingyun.recognizers.reading.read_page` (imported on first use: it loads
the local service's engine) gives the page the embedded engine reads from an image, for a
recognizer's tests.
"""

from .bankcard import read_bankcard
from .bizcard import read_bizcard
from .idcard import read_idcard_back, read_idcard_front
from .page import Char, Page, PageError, Span, TextLine

__all__ = [
    "Char",
    "Page",
    "PageError",
    "Span",
    "TextLine",
    "read_bankcard",
    "read_bizcard",
    "read_idcard_back",
    "read_idcard_front",
    "read_page",
]


def __getattr__(name: str) -> object:
    if name == "read_page":
        from .reading import read_page

        return read_page
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
