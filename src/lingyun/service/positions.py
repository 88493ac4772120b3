"""Build the ``IREAD_NODE`` position stream (SPEC §5) from recognised lines.

The engine gives lines, each with a box and per-character boxes and confidences; this
module lays them out as PAGE, REGION, LINE and CHAR nodes of 48 bytes, little-endian, in
document order (the order implies the tree).

Mapping from engine confidence ``conf`` (0..1) to the vendor's fields:

* ``nDistance[0] = round((1 - conf) * 254)`` -- 0 is most certain, 254 least; slots 1-4
  are 255 (invalid) and ``wCandidate[1:]`` are 0, since the engine gives one candidate;
* ``bSuspect = 1`` when ``conf < SUSPECT_BELOW`` (0.8), else 0;
* a space the engine reads is not a CHAR node: it becomes ``nSpaceBefore`` of the next
  character, as the vendor's text rebuild (spaces before each character) expects;
* a character outside the BMP becomes two CHAR nodes (a UTF-16 surrogate pair) sharing a box.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..iread import encode

__all__ = ["SUSPECT_BELOW", "Box", "Glyph", "Line", "distance", "encode_page"]

SUSPECT_BELOW = 0.8
_U16 = 0xFFFF
_UNUSED = [255, 255, 255, 255]

Box = tuple[int, int, int, int]  # left, top, right, bottom


@dataclass(frozen=True)
class Glyph:
    """One recognised character with its box and the engine's confidence (0..1)."""

    char: str
    box: Box
    confidence: float


@dataclass(frozen=True)
class Line:
    box: Box
    glyphs: Sequence[Glyph]


def distance(confidence: float) -> int:
    """``round((1 - conf) * 254)``, clamped to 0..254."""
    return max(0, min(254, round((1.0 - confidence) * 254)))


def _u16(value: float) -> int:
    return max(0, min(_U16, round(value)))


def _box(box: Box) -> dict[str, int]:
    return dict(zip(("left", "top", "right", "bottom"), box, strict=True))


def _char(glyph: Glyph, spaces: int) -> dict[str, Any]:
    # ``text`` lets the encoder split a character outside the BMP into a surrogate pair.
    code = ord(glyph.char) if ord(glyph.char) <= _U16 else 0
    return {
        "type": "char", "text": glyph.char, "space_before": spaces, **_box(glyph.box),
        "suspect": 1 if glyph.confidence < SUSPECT_BELOW else 0,
        "candidates": [code, 0, 0, 0, 0], "distances": [distance(glyph.confidence), *_UNUSED],
    }


def _union(boxes: Sequence[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def encode_page(width: int, height: int, lines: Sequence[Line], *, lang: int = 0) -> bytes:
    """PAGE (image size, skew 0), one REGION around all lines, then LINE + CHAR nodes.

    LINE fields: ``nBaseLine`` is the top edge (horizontal text), ``nLineSize`` the height,
    the averages are over the character boxes (the line box when it has none).
    """
    records: list[dict[str, Any]] = [{"type": "page", "width": width, "height": height}]
    if lines:
        records.append({"type": "region", **_box(_union([ln.box for ln in lines])),
                        "lang": lang})
    for line in lines:
        boxes = [g.box for g in line.glyphs if not g.char.isspace()] or [line.box]
        _left, top, _right, bottom = line.box
        records.append({
            "type": "line", "baseline": _u16(top), "size": _u16(bottom - top),
            "avg_char_width": _u16(sum(b[2] - b[0] for b in boxes) / len(boxes)),
            "avg_char_height": _u16(sum(b[3] - b[1] for b in boxes) / len(boxes)),
        })
        spaces = 0
        for glyph in line.glyphs:
            if glyph.char.isspace():
                spaces += 1
                continue
            records.append(_char(glyph, min(spaces, _U16)))
            spaces = 0
    return encode(records)
