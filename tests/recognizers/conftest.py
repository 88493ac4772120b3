"""Fixtures for the local recognizers: synthetic pages, the committed images and a service.

:func:`layout` draws text the way the engine reports it -- one box per character, one line
per string -- optionally rotated, so recognizers can be tested without OCR.  The end-to-end
tests use the PNGs rendered by ``scripts/render_documents.py`` and their ``truths.json``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from lingyun.plugins import get_plugin_manager
from lingyun.protocol import Reply
from lingyun.recognizers.page import Page
from lingyun.results import Result
from lingyun.service.positions import Glyph, Line

IMAGES = Path(__file__).resolve().parent / "images"
TRUTHS: dict[str, dict[str, Any]] = json.loads(
    (IMAGES / "truths.json").read_text(encoding="utf-8"))

CHAR_WIDTH = 20
CHAR_HEIGHT = 24


def glyph_rows(items: Sequence[tuple[str, int, int]], *, angle: float = 0.0,
               char_width: int = CHAR_WIDTH, char_height: int = CHAR_HEIGHT,
               ) -> list[list[tuple[str, tuple[int, int, int, int], float]]]:
    """``(char, box, confidence)`` per character of each ``(text, x, y)`` line.

    A space advances without a character (as rapidocr drops it); ``angle`` (degrees,
    positive = text running downhill to the right) rotates every character's centre about
    the origin, keeping its box upright, as the engine reports boxes.
    """
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    rows = []
    for text, x, y in items:
        row = []
        for i, char in enumerate(text):
            if char == " ":
                continue
            cx, cy = x + i * char_width + char_width / 2, y + char_height / 2
            rx, ry = cx * cos - cy * sin, cx * sin + cy * cos
            row.append((char, (round(rx - char_width / 2 + 1), round(ry - char_height / 2),
                               round(rx + char_width / 2 - 1), round(ry + char_height / 2)),
                        0.99))
        rows.append(row)
    return rows


def layout(items: Sequence[tuple[str, int, int]], *, angle: float = 0.0,
           size: tuple[int, int] = (900, 600), **kwargs: int) -> Page:
    """A :class:`Page` with the lines ``(text, x, y)`` (see :func:`glyph_rows`)."""
    return Page.from_chars(*size, glyph_rows(items, angle=angle, **kwargs))


def engine_lines(items: Sequence[tuple[str, int, int]], **kwargs: Any) -> list[Line]:
    """The same lines as the rapidocr engine's ``read_lines`` gives them."""
    lines = []
    for row in glyph_rows(items, **kwargs):
        glyphs = [Glyph(char, box, conf) for char, box, conf in row]
        boxes = [g.box for g in glyphs]
        lines.append(Line((min(b[0] for b in boxes), min(b[1] for b in boxes),
                           max(b[2] for b in boxes), max(b[3] for b in boxes)), glyphs))
    return lines


def parse(document_type: str, data: dict[str, Any]) -> Result:
    """Run the document type's own client parser on a recognizer's ``data``."""
    envelope = {"error": 0, "text": "请求成功", "data": data}
    body = json.dumps(envelope, ensure_ascii=False).encode()
    reply = Reply(200, {}, body, envelope, None)
    return get_plugin_manager().document_type(document_type).parse(reply)


class StaticReader:
    """A line reader that answers fixed lines (the engine's interface, no OCR model)."""

    def __init__(self, items: Sequence[tuple[str, int, int]], size: tuple[int, int] = (900, 600)):
        self.lines = engine_lines(items)
        self.size = size
        self.images: list[bytes] = []

    def read_lines(self, image: bytes) -> tuple[int, int, list[Line]]:
        self.images.append(image)
        return (*self.size, self.lines)


@pytest.fixture
def temporary_plugin() -> Iterator[Any]:
    """``register(module_or_object, name)``; unregistered after the test, whatever happens."""
    pm = get_plugin_manager()
    names: list[str] = []

    def register(plugin: Any, name: str) -> None:
        pm.register(plugin, name=name)
        names.append(name)

    try:
        yield register
    finally:
        for name in names:
            pm.unregister(name=name)
