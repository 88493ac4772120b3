"""The ``local-templates`` engine: template documents read offline by their local recognizers.

A document type that ships a ``local_recognizer`` (see :mod:`lingyun.recognizers`) is
served here; every other type is not, so the service's honest refusal for documents the
local engine cannot read stands.  The text lines come from the rapidocr engine's
:meth:`~lingyun.service.engines.rapidocr.RapidOCREngine.read_lines`; the recognizer turns
them into the ``data`` the hosted service would answer.

One OCR model per service: give the engine the service's own rapidocr engine as its
``reader`` (:func:`share_reader` does it for a list of built engines); without one it makes
its own, whose model loads only on the first template request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from ...doctypes import DocumentType
from ...errors import ConfigurationError, DocumentTypeError
from ...hookspecs import hookimpl
from ...recognizers.page import Page
from ..positions import Line
from ..validation import Capability
from .base import Answer, Engine, Job

__all__ = ["ENGINE_NAME", "LineReader", "TemplateEngine", "page_from_lines", "share_reader"]

ENGINE_NAME = "local-templates"


class LineReader(Protocol):
    """What the engine needs from an OCR engine (the rapidocr engine is one)."""

    def read_lines(self, image: bytes) -> tuple[int, int, list[Line]]:
        """``(width, height, lines)``; raise ``BadImage`` for an undecodable image."""


def page_from_lines(width: int, height: int, lines: Sequence[Line]) -> Page:
    """The :class:`Page` a recognizer reads, from the rapidocr engine's lines."""
    return Page.from_chars(width, height, (
        [(g.char, g.box, min(max(g.confidence, 0.0), 1.0)) for g in line.glyphs]
        for line in lines
    ))


def _registered(name: str) -> DocumentType | None:
    from ...plugins import get_plugin_manager

    try:
        return get_plugin_manager().document_type(name)
    except DocumentTypeError:
        return None


class TemplateEngine:
    """Serves every document type that has a local recognizer.

    ``reader`` reads the text lines (default: a rapidocr engine of its own, built on
    first use); ``lookup`` finds a document type by name (default: the plugin registry, so
    a third-party type registered later is served too).
    """

    name = ENGINE_NAME

    def __init__(self, reader: LineReader | None = None,
                 lookup: Callable[[str], DocumentType | None] = _registered) -> None:
        if reader is None:
            from .rapidocr import INSTALL_HINT, rapidocr_available

            if not rapidocr_available():
                raise ConfigurationError(f"the {ENGINE_NAME} engine reads lines with "
                                         f"rapidocr 3 and onnxruntime: {INSTALL_HINT}")
        self.reader = reader
        self._lookup = lookup
        self._reader_lock = threading.Lock()

    def _recognizer(self, capability: Capability) -> Callable[[Page], dict[str, Any]] | None:
        document = self._lookup(capability.document_type or "")
        return document.local_recognizer if document is not None else None

    def serves(self, capability: Capability) -> bool:
        return self._recognizer(capability) is not None

    def _reader(self) -> LineReader:
        with self._reader_lock:
            if self.reader is None:
                from .rapidocr import RapidOCREngine

                self.reader = RapidOCREngine()
            return self.reader

    def recognize(self, job: Job) -> Answer:
        recognizer = self._recognizer(job.capability)
        if recognizer is None:
            raise ConfigurationError(f"{job.document_type} has no local recognizer")
        width, height, lines = self._reader().read_lines(job.image)
        data = recognizer(page_from_lines(width, height, lines))
        if not isinstance(data, dict):
            # the core logs this and answers -1: a broken plugin, not the caller's fault
            raise ConfigurationError(
                f"the local recognizer of {job.document_type} returned "
                f"{type(data).__name__}, not the envelope's data object")
        return Answer(data=data)


def share_reader(engines: Sequence[Engine]) -> None:
    """Let every :class:`TemplateEngine` in ``engines`` without a reader use the rapidocr
    engine among them, so the service loads one OCR model, not two."""
    from .rapidocr import RapidOCREngine

    reader = next((e for e in engines if isinstance(e, RapidOCREngine)), None)
    if reader is None:
        return
    for engine in engines:
        if isinstance(engine, TemplateEngine) and engine.reader is None:
            engine.reader = reader


@hookimpl
def lingyun_register_engines(register: Any) -> None:
    register(ENGINE_NAME, TemplateEngine)
