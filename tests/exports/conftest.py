"""Layouts for the export tests, built with :func:`lingyun.iread.encode` from node records.

``page_records`` lays out lines of text on a grid (one box per character, 20 px wide, words
separated by one space) so every expected coordinate can be computed in the test.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from lingyun.iread import Layout, decode, encode

CHAR_W, CHAR_H, LINE_PITCH, MARGIN = 20, 30, 40, 10
UNUSED = [255, 255, 255, 255]


def char_record(text: str, left: int, top: int, *, spaces: int = 0, distance: int = 0,
                alternatives: Sequence[tuple[str, int]] = (), suspect: int = 0) -> dict[str, Any]:
    codes = [ord(text) if ord(text) <= 0xFFFF else 0] + [ord(c) for c, _ in alternatives]
    dists = [distance] + [d for _, d in alternatives]
    codes += [0] * (5 - len(codes))
    dists += [255] * (5 - len(dists))
    return {"type": "char", "text": text, "space_before": spaces, "left": left, "top": top,
            "right": left + CHAR_W, "bottom": top + CHAR_H, "suspect": suspect,
            "candidates": codes, "distances": dists}


def line_records(text: str, left: int, top: int, *, distances: Sequence[int] | None = None,
                 alternatives: dict[int, Sequence[tuple[str, int]]] | None = None
                 ) -> list[dict[str, Any]]:
    """A LINE and its CHARs: one 20-px cell per character, a space becomes space_before."""
    records: list[dict[str, Any]] = [{"type": "line", "baseline": top, "size": CHAR_H,
                                      "avg_char_width": CHAR_W, "avg_char_height": CHAR_H}]
    spaces = 0
    x = left
    glyph = 0
    for ch in text:
        if ch == " ":
            spaces += 1
            x += CHAR_W
            continue
        distance = distances[glyph] if distances is not None else 0
        alts = (alternatives or {}).get(glyph, ())
        records.append(char_record(ch, x, top, spaces=spaces, distance=distance,
                                   alternatives=alts, suspect=int(distance > 50)))
        spaces = 0
        x += CHAR_W
        glyph += 1
    return records


def page_records(lines: Sequence[str], *, width: int = 400, height: int = 300,
                 **line_options: Any) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = [{"type": "page", "width": width, "height": height}]
    records.append({"type": "region", "left": 0, "top": 0, "right": width, "bottom": height})
    for i, text in enumerate(lines):
        records += line_records(text, MARGIN, MARGIN + i * LINE_PITCH, **line_options)
    return records


def layout_of(records: list[dict[str, Any]]) -> Layout:
    return decode(encode(records))


@pytest.fixture
def simple_layout() -> Layout:
    """Two lines, Chinese and English, with known distances and one alternative."""
    records = page_records(["北京 捷通", "Hello OCR"], distances=None)
    # give the first glyph two alternatives and set distances through the records
    first = next(r for r in records if r["type"] == "char")
    first["candidates"] = [ord("北"), ord("兆"), ord("比"), 0, 0]
    first["distances"] = [10, 100, 200, 255, 255]
    return layout_of(records)


@pytest.fixture
def table_layout() -> Layout:
    """A page with a plain region and a region holding two table cells."""
    records: list[dict[str, Any]] = [{"type": "page", "width": 600, "height": 400}]
    records.append({"type": "region", "left": 0, "top": 0, "right": 600, "bottom": 100})
    records += line_records("标题 Title", 10, 10)
    records.append({"type": "region", "left": 0, "top": 100, "right": 600, "bottom": 400})
    records.append({"type": "cell", "left": 0, "top": 100, "right": 300, "bottom": 400})
    records += line_records("左", 10, 110)
    records.append({"type": "cell", "left": 300, "top": 100, "right": 600, "bottom": 400})
    records += line_records("右 cell", 310, 110)
    return layout_of(records)
