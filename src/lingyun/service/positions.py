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

import struct
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["SUSPECT_BELOW", "Box", "Glyph", "Line", "distance", "encode_page"]

BYTE_ORDER = "<"
NODE_SIZE = 48
SUSPECT_BELOW = 0.8
PAGE, REGION, TABLECELL, LINE, CHAR = 0, 1, 2, 3, 4
_HEAD = struct.Struct(BYTE_ORDER + "H2x")
_PAGE = struct.Struct(BYTE_ORDER + "iii32x")
_REGION = struct.Struct(BYTE_ORDER + "iiiiHH24x")
_LINE = struct.Struct(BYTE_ORDER + "HHHH36x")
_CHAR = struct.Struct(BYTE_ORDER + "HH4ii2H5H5BB")
_U16 = 0xFFFF

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


def _node(kind: int, body: bytes) -> bytes:
    return _HEAD.pack(kind) + body


def _char_nodes(glyph: Glyph, spaces: int) -> list[bytes]:
    units = glyph.char.encode("utf-16-le")
    codes = [int.from_bytes(units[i:i + 2], "little") for i in range(0, len(units), 2)]
    suspect = 1 if glyph.confidence < SUSPECT_BELOW else 0
    nodes = []
    for n, code in enumerate(codes):
        nodes.append(_node(CHAR, _CHAR.pack(
            code, spaces if n == 0 else 0, *glyph.box, suspect, 0, 0,
            code, 0, 0, 0, 0, distance(glyph.confidence), 255, 255, 255, 255, 0,
        )))
    return nodes


def _union(boxes: Sequence[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def encode_page(width: int, height: int, lines: Sequence[Line], *, lang: int = 0) -> bytes:
    """PAGE (image size, skew 0), one REGION around all lines, then LINE + CHAR nodes.

    LINE fields: ``nBaseLine`` is the top edge (horizontal text), ``nLineSize`` the height,
    the averages are over the character boxes (the line box when it has none).
    """
    out = [_node(PAGE, _PAGE.pack(width, height, 0))]
    if lines:
        out.append(_node(REGION, _REGION.pack(*_union([ln.box for ln in lines]), 0, lang)))
    for line in lines:
        boxes = [g.box for g in line.glyphs if not g.char.isspace()] or [line.box]
        avg_w = sum(b[2] - b[0] for b in boxes) / len(boxes)
        avg_h = sum(b[3] - b[1] for b in boxes) / len(boxes)
        _left, top, _right, bottom = line.box
        out.append(_node(LINE, _LINE.pack(_u16(top), _u16(bottom - top), _u16(avg_w),
                                          _u16(avg_h))))
        spaces = 0
        for glyph in line.glyphs:
            if glyph.char.isspace():
                spaces += 1
                continue
            out.extend(_char_nodes(glyph, min(spaces, _U16)))
            spaces = 0
    return b"".join(out)
