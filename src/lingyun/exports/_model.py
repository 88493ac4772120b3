"""The one walk every document exporter shares: pages -> blocks -> lines -> words -> glyphs.

hOCR, ALTO and PAGE-XML all describe the same tree with different tags, so the tree is built
here once from a :class:`~lingyun.iread.Layout` and each writer only spells it.  Decisions
made here hold for every format:

* **Blocks.**  A REGION is a block; a TABLECELL is a block nested in its region's block.
  Lines sit in their cell when they have one, else directly in their region.
* **Lines without characters are left out**: a LINE node carries no box of its own, so an
  empty line has neither geometry nor text to export.
* **Glyphs.**  A character whose ``text`` is empty (the low half of a surrogate pair, whose
  high half already holds the whole character, or a code 0) is not a glyph.  Characters
  that XML cannot carry (C0 controls, lone surrogates, U+FFFE/U+FFFF) become U+FFFD.
* **Words** start at every character with ``space_before > 0``; a line's first glyph
  always starts one.  A word's box is the union of its glyph boxes; its confidence is the
  lowest of its glyphs' (a word is only as sure as its least sure glyph).
* **Confidence** ``= 1 - distance / 254`` (:func:`confidence`): distance 0 is certain (1.0),
  254 least certain (0.0), 255 marks an unused candidate slot (no confidence).  It is a
  scale for any service's distances, monotone in them, not a probability: the embedded
  engine writes ``distance = round(-20 * log10(p))`` (:mod:`lingyun.service.engines.candidates`),
  so ``10 ** (-distance / 20)`` gives its probability back.
* **Which way a line runs** (:func:`lingyun.geometry.metrics.line_ways`, the rule the glyph
  metrics and page orientation use): across, down (a column of vertical CJK writing, a line
  of a page fed in sideways), up, or over (a page fed in upside down).  ``Line.angle`` is how
  far the line's text is turned **counter-clockwise** from a line running across -- 0, 90
  (up), 180 (over) or 270 (down) -- the convention of hOCR's ``textangle`` and ALTO's
  ``ROTATION``.
* **Baseline.**  The vendor's ``nBaseLine`` is the line's *top* edge (SPEC §5), not a
  typographic baseline, so exports estimate the baseline from the glyph boxes, in the
  line's own frame: the median of the edges the glyphs stand on (their bottoms on a line
  running across, their left edges on one running down, their right edges on one running
  up, their tops on one upside down), robust to a minority of glyphs with descenders.
  ``Line.foot`` is its distance from that edge of the line box; ``Line.baseline`` its two
  ends in page pixels, in reading direction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import UsageError
from ..geometry.metrics import ACROSS, DOWN, OVER, UP, line_ways

if TYPE_CHECKING:
    from ..iread import Layout

__all__ = [
    "ANGLES",
    "MAX_DISTANCE",
    "UNUSED_DISTANCE",
    "Block",
    "Document",
    "ExportError",
    "Glyph",
    "Ids",
    "Line",
    "Page",
    "Word",
    "as_documents",
    "confidence",
    "pages_of",
    "xml_text",
]

#: The largest distance a used candidate slot can hold (least certain).
MAX_DISTANCE = 254
#: Distance of an unused candidate slot.
UNUSED_DISTANCE = 255

Box = tuple[int, int, int, int]
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class ExportError(UsageError):
    """An export was asked for something it cannot do (unknown format, no layout, ...)."""


def confidence(distance: int) -> float | None:
    """``1 - distance / 254`` for a used slot (0..254), ``None`` for an unused one (255)."""
    if distance >= UNUSED_DISTANCE:
        return None
    return 1.0 - distance / MAX_DISTANCE


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 cannot carry replaced by U+FFFD."""
    return _XML_UNSAFE.sub("\ufffd", text)


@dataclass(frozen=True)
class Glyph:
    """One character: index into ``Layout.chars``, its text, box and candidates."""

    index: int
    text: str
    box: Box
    suspect: bool
    #: ``(character, distance)`` for each used candidate slot, in slot order.
    candidates: tuple[tuple[str, int], ...]

    @property
    def distance(self) -> int:
        """The first slot's distance (255 if even that slot is unused)."""
        return self.candidates[0][1] if self.candidates else UNUSED_DISTANCE

    @property
    def confidence(self) -> float | None:
        return confidence(self.distance)


@dataclass(frozen=True)
class Word:
    glyphs: tuple[Glyph, ...]

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)

    @property
    def box(self) -> Box:
        return union(g.box for g in self.glyphs)

    @property
    def confidence(self) -> float | None:
        values = [c for c in (g.confidence for g in self.glyphs) if c is not None]
        return min(values) if values else None


#: ``Line.angle`` per way a line runs (:mod:`lingyun.geometry.metrics`).
ANGLES = {ACROSS: 0, UP: 90, OVER: 180, DOWN: 270}


@dataclass(frozen=True)
class Line:
    index: int
    words: tuple[Word, ...]
    box: Box
    #: Pixels from the line box's edge the glyphs stand on (its bottom on a line running
    #: across, in the line's own frame) to the estimated baseline; 0 or more.
    foot: int
    #: How far the text is turned counter-clockwise, in degrees: 0, 90 (running up), 180
    #: (upside down) or 270 (running down).
    angle: int = 0

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def baseline(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """The estimated baseline's two ends in page pixels, first where reading starts."""
        left, top, right, bottom = self.box
        if self.angle == 270:
            return (left + self.foot, top), (left + self.foot, bottom)
        if self.angle == 90:
            return (right - self.foot, bottom), (right - self.foot, top)
        if self.angle == 180:
            return (right, top + self.foot), (left, top + self.foot)
        return (left, bottom - self.foot), (right, bottom - self.foot)

    @property
    def glyphs(self) -> list[Glyph]:
        return [g for w in self.words for g in w.glyphs]


@dataclass
class Block:
    """A region (``kind == "region"``) or a table cell inside one (``kind == "cell"``)."""

    kind: str
    index: int
    box: Box
    lines: list[Line] = field(default_factory=list)
    cells: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.all_lines())

    def all_lines(self) -> list[Line]:
        return [*self.lines, *(line for cell in self.cells for line in cell.lines)]


@dataclass
class Page:
    index: int
    width: int
    height: int
    #: Skew in degrees, counter-clockwise positive (the stream gives 1/100 degree).
    skew: float
    blocks: list[Block]
    source: str | None


@dataclass(frozen=True)
class Document:
    """One recognized image: its layout and, when known, the image's file name."""

    layout: Layout
    source: str | None = None


def union(boxes: Any) -> Box:
    items = list(boxes)
    return (min(b[0] for b in items), min(b[1] for b in items),
            max(b[2] for b in items), max(b[3] for b in items))


def as_documents(items: Any, sources: Sequence[Any] | None = None) -> list[Document]:
    """Documents from one or many Layouts / TextResults (anything with ``.layout``).

    ``sources`` gives each item's image name (a path or string; only its name is kept).
    """
    from ..iread import Layout

    seq = [items] if isinstance(items, Layout) or hasattr(items, "layout") else list(items)
    if sources is not None and len(sources) != len(seq):
        raise ExportError(f"{len(seq)} results but {len(sources)} sources; give one each")
    documents = []
    for position, item in enumerate(seq):
        layout = item if isinstance(item, Layout) else getattr(item, "layout", None)
        if not isinstance(layout, Layout):
            raise ExportError(
                f"item {position} ({type(item).__name__}) has no position layout: recognize "
                "text with withPosition=True to export glyph geometry"
            )
        source = None if sources is None or sources[position] is None else sources[position]
        name = PurePath(str(source)).name if source is not None else None
        documents.append(Document(layout, name))
    return documents


def _glyphs(layout: Layout, first: int, count: int) -> list[tuple[Glyph, int]]:
    chars = layout.chars[first:first + count]
    texts = chars["text"].tolist()
    spaces = chars["space_before"].tolist()
    boxes = np.stack([chars["left"], chars["top"], chars["right"], chars["bottom"]],
                     axis=1).tolist()
    suspects = chars["suspect"].tolist()
    codes = chars["candidates"].tolist()
    distances = chars["distances"].tolist()
    out = []
    for i, text in enumerate(texts):
        if not text:
            continue
        candidates = tuple(
            (xml_text(chr(code)), dist)
            for code, dist in zip(codes[i], distances[i], strict=True)
            if dist != UNUSED_DISTANCE and code != 0
        )
        glyph = Glyph(first + i, xml_text(text), tuple(boxes[i]), bool(suspects[i]), candidates)
        out.append((glyph, spaces[i]))
    return out


def _foot(boxes: list[Box], box: Box, angle: int) -> int:
    """Pixels from the edge of ``box`` the glyphs stand on to the median of their feet."""
    left, top, right, bottom = box
    if angle == 270:
        return int(np.median([b[0] for b in boxes])) - left
    if angle == 90:
        return right - int(np.median([b[2] for b in boxes]))
    if angle == 180:
        return int(np.median([b[1] for b in boxes])) - top
    return bottom - int(np.median([b[3] for b in boxes]))


def _line(layout: Layout, index: int, way: int) -> Line | None:
    record = layout.lines[index]
    glyphs = _glyphs(layout, int(record["first_char"]), int(record["char_count"]))
    if not glyphs:
        return None
    words: list[list[Glyph]] = []
    for glyph, spaces in glyphs:
        if not words or spaces > 0:
            words.append([])
        words[-1].append(glyph)
    box = union(g.box for g, _ in glyphs)
    angle = ANGLES[way]
    foot = max(0, _foot([g.box for g, _ in glyphs], box, angle))
    return Line(index, tuple(Word(tuple(w)) for w in words), box, foot, angle)


def _ways(layout: Layout) -> list[int]:
    """Which way each line of ``layout`` runs (``ACROSS``, ``DOWN``, ``UP``, ``OVER``)."""
    chars = layout.chars
    left, top, right, bottom = (chars[f].astype(np.float64)
                                for f in ("left", "top", "right", "bottom"))
    ways: list[int] = line_ways(chars["line"].astype(np.int64), left, top, right, bottom,
                                layout.lines.size).tolist()
    return ways


def _box(record: Any) -> Box:
    return (int(record["left"]), int(record["top"]), int(record["right"]), int(record["bottom"]))


def pages_of(document: Document) -> list[Page]:
    """The page trees of one document, in stream order."""
    layout = document.layout
    pages = [Page(i, int(p["width"]), int(p["height"]), int(p["skew"]) / 100.0, [],
                  document.source)
             for i, p in enumerate(layout.pages)]
    regions: dict[int, Block] = {}
    cells: dict[int, Block] = {}
    for r, record in enumerate(layout.regions):
        regions[r] = Block("region", r, _box(record))
        pages[int(record["page"])].blocks.append(regions[r])
    for c, record in enumerate(layout.cells):
        cells[c] = Block("cell", c, _box(record))
        regions[int(record["region"])].cells.append(cells[c])
    cell_of = layout.lines["cell"].tolist()
    region_of = layout.lines["region"].tolist()
    ways = _ways(layout)
    for i in range(layout.lines.size):
        line = _line(layout, i, ways[i])
        if line is None:
            continue
        owner = cells[cell_of[i]] if cell_of[i] >= 0 else regions[region_of[i]]
        owner.lines.append(line)
    return pages


class Ids:
    """Document-wide element ids, counted per kind: ``line_1``, ``line_2``, ``word_1``..."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def __call__(self, kind: str) -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"{kind}_{self.counts[kind]}"


def points(box: Box) -> str:
    """The four corners of ``box`` as ``x,y`` pairs, clockwise from top-left (PAGE).

    PAGE points are unsigned: a negative coordinate from the stream is clamped to 0.
    """
    left, top, right, bottom = (max(0, v) for v in box)
    return f"{left},{top} {right},{top} {right},{bottom} {left},{bottom}"
