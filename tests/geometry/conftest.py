"""Synthetic pages with known geometry, built as real position streams by the encoder.

:func:`text_line` lays out a string glyph by glyph: each glyph ``advance`` wide, letters
``letter_gap`` apart, words ``word_gap`` apart, bottoms on a baseline through ``(x0, y0)``
with slope ``-tan(skew)`` (counter-clockwise positive, y downwards), descenders (``gjpqy``)
``descent`` pixels below it.  :func:`stream` encodes pages of regions of such lines.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from lingyun.iread import encode

DESCENDERS = set("gjpqy")


def text_line(text: str, x0: int, y0: float, *, height: int = 20, advance: int = 12,
              letter_gap: int = 2, word_gap: int = 10, skew: float = 0.0, descent: int = 0,
              distance: int = 10, second: str | None = None,
              second_distance: int = 40) -> list[dict[str, Any]]:
    """Char records of one line (see the module docstring); spaces become ``space_before``."""
    slope = -math.tan(math.radians(skew))
    records: list[dict[str, Any]] = []
    x = x0
    spaces = 0
    for ch in text:
        if ch == " ":
            spaces += 1
            x += word_gap - letter_gap
            continue
        centre = x + advance / 2
        bottom = round(y0 + slope * (centre - x0)) + (descent if ch in DESCENDERS else 0)
        candidates = [ord(ch), ord(second) if second else 0, 0, 0, 0]
        distances = [distance, second_distance if second else 255, 255, 255, 255]
        records.append({"type": "char", "text": ch, "space_before": spaces, "left": x,
                        "top": bottom - height, "right": x + advance, "bottom": bottom,
                        "candidates": candidates, "distances": distances})
        spaces = 0
        x += advance + letter_gap
    return records


def page_records(width: int, height: int, regions: Sequence[Sequence[list[dict[str, Any]]]],
                 *, skew: int = 0) -> list[dict[str, Any]]:
    """PAGE, then per region a REGION around its lines and a LINE + chars per line."""
    records: list[dict[str, Any]] = [{"type": "page", "width": width, "height": height,
                                      "skew": skew}]
    for lines in regions:
        chars = [c for line in lines for c in line]
        records.append({"type": "region", "left": min(c["left"] for c in chars),
                        "top": min(c["top"] for c in chars),
                        "right": max(c["right"] for c in chars),
                        "bottom": max(c["bottom"] for c in chars)})
        for line in lines:
            records.append({"type": "line"})
            records.extend(line)
    return records


def stream(*pages: list[dict[str, Any]]) -> bytes:
    """The position stream of the given pages' records."""
    return encode([record for page in pages for record in page])
