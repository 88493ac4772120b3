"""Build the ``IREAD_NODE`` position stream (SPEC §5) from recognized lines.

The engine gives lines, each with a box and per-character boxes and confidences, in
detection order.  :func:`arrange` puts them in reading order with
:mod:`lingyun.geometry` -- blocks and columns by XY-cut, boxes side by side on one row of a
block merged into one line, word spaces where the gap between two characters is wide for
their size -- and :func:`encode_page` lays the result out as PAGE, one REGION per block,
LINE and CHAR nodes of 48 bytes, little-endian, in document order (the order implies the
tree).  :func:`page_text` is the same page as text, so the JSON text and the text rebuilt
from the stream agree.

Mapping from the engine's probabilities to the vendor's fields:

* a glyph carries its character's probability ``p`` (``confidence``, 0..1) and up to four
  alternatives ``(character, probability)``, most probable first -- the recognizer's
  top classes for that character (:mod:`lingyun.service.engines.candidates`);
* ``wCandidate[0]`` is the character, ``wCandidate[1:]`` the alternatives, ``nDistance[k]``
  the distance of slot ``k``: the probability in decibels below certainty,
  ``round(-20 * log10(p))`` clamped to 0..254 (:func:`distance`): 0 for p = 1, 6 for
  p = 0.5, 20 for p = 0.1, 60 for p = 0.001, 254 for p <= 10**-12.7;
* distances rise strictly with rank: an alternative whose rounded distance does not exceed
  the slot before gets that distance + 1; an alternative that would pass 254 is dropped;
* an unused slot is ``wCandidate = 0``, ``nDistance = 255``;
* ``bSuspect = 1`` when ``p < SUSPECT_BELOW`` (0.8), else 0;
* a space the engine reads is not a CHAR node: it becomes ``nSpaceBefore`` of the next
  character, as the vendor's text rebuild (spaces before each character) expects;
* a character outside the BMP becomes two CHAR nodes (a UTF-16 surrogate pair) sharing a box
  (an alternative outside the BMP cannot be stored in ``wCandidate`` and is skipped).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..geometry.words import is_wide, missed_word_starts, word_starts
from ..iread import encode
from .layouts import run_layout

__all__ = ["SUSPECT_BELOW", "Box", "Glyph", "Line", "arrange", "distance", "encode_page",
           "page_skew", "page_text", "slots"]

SUSPECT_BELOW = 0.8
_U16 = 0xFFFF

Box = tuple[int, int, int, int]  # left, top, right, bottom


@dataclass(frozen=True)
class Glyph:
    """One recognized character with its box, the engine's confidence (0..1) and the
    recognizer's alternatives ``(character, probability)``, most probable first."""

    char: str
    box: Box
    confidence: float
    candidates: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Line:
    """A detected line: its bounding box, its glyphs, and the angle of its top edge in
    degrees, counter-clockwise positive (0 when the engine gives none)."""

    box: Box
    glyphs: Sequence[Glyph]
    angle: float = 0.0


def page_skew(lines: Sequence[Line]) -> float:
    """The page's skew in degrees: the median angle of its long lines (at least three times
    as wide as high, whose angle is well defined); 0 without any."""
    angles = [ln.angle for ln in lines
              if ln.box[2] - ln.box[0] >= 3 * max(1, ln.box[3] - ln.box[1])]
    return float(np.median(angles)) if angles else 0.0


#: Distance byte per factor of ten in probability: ``round(-20 * log10(p))`` (decibels).
DECIBELS = 20.0


def distance(probability: float) -> int:
    """The distance byte of a probability: ``round(-20 * log10(p))`` clamped to 0..254
    (p <= 0 -> 254, p >= 1 -> 0)."""
    if not probability > 0:
        return 254
    return max(0, min(254, round(-DECIBELS * math.log10(min(probability, 1.0)))))


def slots(glyph: Glyph) -> tuple[list[int], list[int]]:
    """The five ``(wCandidate, nDistance)`` slots of a glyph (see the module docstring)."""
    codes = [ord(glyph.char) if ord(glyph.char) <= _U16 else 0]
    distances = [distance(glyph.confidence)]
    for char, probability in glyph.candidates:
        if len(codes) == 5:
            break
        if len(char) != 1 or ord(char) > _U16 or ord(char) in codes:
            continue
        rank = max(distance(probability), distances[-1] + 1)
        if rank > 254:
            break
        codes.append(ord(char))
        distances.append(rank)
    unused = 5 - len(codes)
    return codes + [0] * unused, distances + [255] * unused


def _u16(value: float) -> int:
    return max(0, min(_U16, round(value)))


def _box(box: Box) -> dict[str, int]:
    return dict(zip(("left", "top", "right", "bottom"), box, strict=True))


def _char(glyph: Glyph, spaces: int) -> dict[str, Any]:
    # ``text`` lets the encoder split a character outside the BMP into a surrogate pair.
    codes, distances = slots(glyph)
    return {
        "type": "char", "text": glyph.char, "space_before": spaces, **_box(glyph.box),
        "suspect": 1 if glyph.confidence < SUSPECT_BELOW else 0,
        "candidates": codes, "distances": distances,
    }


def _union(boxes: Sequence[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _joined(row: Sequence[Line]) -> Line:
    """Boxes side by side on one row as one line, a space between two of them unless both
    neighbouring characters are wide (CJK)."""
    if len(row) == 1:
        return row[0]
    glyphs: list[Glyph] = []
    for line in row:
        if glyphs and line.glyphs and not (glyphs[-1].char.isspace()
                                           or line.glyphs[0].char.isspace()):
            last, first = glyphs[-1], line.glyphs[0]
            if not (is_wide(ord(last.char[0])) and is_wide(ord(first.char[0]))):
                glyphs.append(Glyph(" ", (last.box[2], last.box[1], first.box[0],
                                          last.box[3]), 1.0))
        glyphs.extend(line.glyphs)
    return Line(_union([ln.box for ln in row]), glyphs, row[0].angle)


def _with_word_spaces(lines: Sequence[Line], *, marked: bool = False) -> list[Line]:
    """Insert a space glyph where :func:`~lingyun.geometry.words.word_starts` finds a word
    boundary the engine did not mark -- on ``marked`` lines (the engine marked some),
    :func:`~lingyun.geometry.words.missed_word_starts`; one call over every glyph of the
    page."""
    inked = [[g for g in line.glyphs if not g.char.isspace()] for line in lines]
    boxes = np.array([g.box for glyphs in inked for g in glyphs], dtype=np.int64).reshape(-1, 4)
    codes = np.array([ord(g.char[0]) for glyphs in inked for g in glyphs], dtype=np.int64)
    line_of = np.repeat(np.arange(len(lines)), [len(glyphs) for glyphs in inked])
    if marked:
        # a space glyph comes before the character: the engine marked that boundary
        spaced_before = [k > 0 and line.glyphs[k - 1].char.isspace() for line in lines
                         for k, glyph in enumerate(line.glyphs) if not glyph.char.isspace()]
        found = missed_word_starts(boxes, line_of, codes, spaced_before)
    else:
        found = word_starts(boxes, line_of, codes)
    starts = iter(found.tolist())
    spaced = []
    for line in lines:
        glyphs: list[Glyph] = []
        for glyph in line.glyphs:
            if not glyph.char.isspace() and next(starts) and glyphs \
                    and not glyphs[-1].char.isspace():
                glyphs.append(Glyph(" ", (glyphs[-1].box[2], glyph.box[1], glyph.box[0],
                                          glyph.box[3]), 1.0))
            glyphs.append(glyph)
        while glyphs and glyphs[-1].char.isspace():
            glyphs.pop()
        spaced.append(Line(line.box, glyphs, line.angle))
    return spaced


def arrange(lines: Sequence[Line], *, skew: float = 0.0, layout: str | None = None,
            engine_spaces: bool = False) -> list[list[Line]]:
    """Lines in reading order, grouped in blocks: ``blocks[k]`` is the k-th block's lines.

    The order comes from the layout engine named ``layout`` (default: ``LINGYUN_LAYOUT``,
    else ``columns``; see :mod:`lingyun.service.layouts`), given ``skew`` (degrees,
    :func:`page_skew`).  Detection boxes on one row of a block (a line the detector split,
    a receipt's item and price) become one line; missing word spaces are added from the
    character gaps.  With ``engine_spaces`` (an engine that marks word boundaries, like
    rapidocr 3's words) a row with engine spaces keeps them, and gets only the ones its own
    marked gaps say the engine left out ("reportis" among spaces as wide:
    :func:`~lingyun.geometry.words.missed_word_starts`) -- not the gap rule's, which would
    split words whose letters stand apart ("I N D E X"); rows without any are spaced from
    their gaps all the same.  Leave it off for an engine that drops many spaces
    (rapidocr-onnxruntime 1.x: "geometrytells").
    """
    if not lines:
        return []
    boxes = np.array([line.box for line in lines], dtype=np.int64).reshape(-1, 4)
    found = run_layout(layout, boxes, skew=skew)
    rows: dict[int, list[Line]] = {}
    blocks: dict[int, list[int]] = {}
    for index in found.order.tolist():
        row = int(found.row[index])
        if row not in rows:
            rows[row] = []
            blocks.setdefault(int(found.block[index]), []).append(row)
        rows[row].append(lines[index])
    merged = {row: _joined(members) for row, members in rows.items()}
    # a row whose engine marked word boundaries (rapidocr 3's words) keeps the engine's
    # spaces: gap statistics would split words whose letters stand apart ("IN DEX")
    unmarked = [row for row, members in rows.items() if not engine_spaces
                or not any(g.char.isspace() for line in members for g in line.glyphs)]
    spaced = dict(zip(unmarked, _with_word_spaces([merged[row] for row in unmarked]),
                      strict=True))
    # ... and gets only the spaces its own marked gaps say it left out ("reportis")
    marked = [row for row in rows if row not in spaced]
    spaced.update(zip(marked, _with_word_spaces([merged[row] for row in marked], marked=True),
                      strict=True))
    return [[spaced.get(row) or _trimmed(merged[row]) for row in blocks[block]]
            for block in sorted(blocks)]


def _trimmed(line: Line) -> Line:
    """``line`` without trailing spaces."""
    glyphs = list(line.glyphs)
    while glyphs and glyphs[-1].char.isspace():
        glyphs.pop()
    return line if len(glyphs) == len(line.glyphs) else Line(line.box, glyphs, line.angle)


def page_text(blocks: Sequence[Sequence[Line]]) -> str:
    """The text of arranged lines, one line per LINE node, as the stream's text rebuilds it."""
    return "\n".join("".join(g.char for g in line.glyphs) for block in blocks for line in block)


def encode_page(width: int, height: int, blocks: Sequence[Sequence[Line]], *,
                lang: int = 0, skew: float = 0.0, vertical: bool = False) -> bytes:
    """PAGE (image size; ``skew`` degrees, stored in 1/100 degree), then per block a REGION
    around its lines and their LINE + CHAR nodes (``blocks`` as :func:`arrange` gives them).

    LINE fields: ``nBaseLine`` is the top edge and ``nLineSize`` the height -- for
    ``vertical`` text (a page whose lines run down or up it, :mod:`lingyun.service.turned`)
    the left edge and the width, as SPEC §5 has it; the averages are over the character
    boxes (the line box when it has none).
    """
    records: list[dict[str, Any]] = [{"type": "page", "width": width, "height": height,
                                      "skew": round(skew * 100)}]
    for block in blocks:
        if block:
            records.append({"type": "region", **_box(_union([ln.box for ln in block])),
                            "lang": lang})
            records.extend(_line_records(block, vertical))
    return encode(records)


def _line_records(lines: Sequence[Line], vertical: bool) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for line in lines:
        boxes = [g.box for g in line.glyphs if not g.char.isspace()] or [line.box]
        left, top, right, bottom = line.box
        edge, size = (left, right - left) if vertical else (top, bottom - top)
        records.append({
            "type": "line", "baseline": _u16(edge), "size": _u16(size),
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
    return records
