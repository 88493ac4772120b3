"""Pages whose text runs in columns: put in reading order where it runs across, boxes kept.

Most of a page's text may run down or up the page instead of across it: a book or a
newspaper set in vertical CJK writing, or any page fed into the scanner sideways.  The
embedded engine reads each column the right way round (:mod:`.engines.vertical`), so a
column's glyphs already come in reading order; what the layout still needs is the order of
the columns:

* text that runs **down** (vertical CJK writing; a Latin page turned a quarter clockwise)
  reads its columns **right to left**;
* text that runs **up** (a page turned a quarter counter-clockwise) reads them **left to
  right**.

:func:`running` tells which (or that the page runs across): the way most of the page's
characters go, by the characters of lines at least three times as tall as wide, each line's
way seen from its first and last character.  :func:`turn` takes the lines into the frame
where the text runs across -- a quarter turn counter-clockwise for ``down``, clockwise for
``up`` -- where the ordinary layout (:func:`~lingyun.service.positions.arrange`) orders
them, and :func:`turn_back` puts every box back in the image's own pixels.  Boxes are
axis-aligned and the turns are quarter turns, so nothing is lost either way.

:func:`arrange_page` does all of it for the engine: the page's way, its skew, its blocks in
reading order with every box in the image's pixels.

A page turned upside down is not recognised: each of its lines reads as nonsense.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .positions import Box, Glyph, Line, arrange, page_skew

__all__ = ["Arranged", "Way", "arrange_page", "running", "turn", "turn_back"]

Way = Literal["down", "up"]

#: a line at least this much taller than wide is a column of several characters
COLUMN = 3.0


def _way(line: Line) -> Way | None:
    """Which way a column runs, from its first and last character; ``None`` for a line that
    runs across or has fewer than two characters."""
    left, top, right, bottom = line.box
    if bottom - top < COLUMN * max(right - left, 1):
        return None
    inked = [g.box for g in line.glyphs if not g.char.isspace()]
    if len(inked) < 2:
        return None
    first = inked[0][1] + inked[0][3]
    last = inked[-1][1] + inked[-1][3]
    if first == last:
        return None
    return "down" if last > first else "up"


def running(lines: Sequence[Line]) -> Way | None:
    """How the page's text runs: ``down`` or ``up`` when more than half of its characters
    are in columns running that way, else ``None`` (across the page)."""
    ways: tuple[Way, Way] = ("down", "up")
    count = dict.fromkeys(ways, 0)
    total = 0
    for line in lines:
        chars = sum(not g.char.isspace() for g in line.glyphs)
        total += chars
        way = _way(line)
        if way is not None:
            count[way] += chars
    for way in ways:
        if 2 * count[way] > total:
            return way
    return None


def _box_turned(box: Box, way: Way, width: int, height: int) -> Box:
    left, top, right, bottom = box
    if way == "down":  # a quarter turn counter-clockwise: (x, y) -> (y, width - x)
        return (top, width - right, bottom, width - left)
    return (height - bottom, left, height - top, right)  # clockwise: (x, y) -> (height - y, x)


def _box_back(box: Box, way: Way, width: int, height: int) -> Box:
    left, top, right, bottom = box
    if way == "down":  # (x', y') -> (width - y', x')
        return (width - bottom, left, width - top, right)
    return (top, height - right, bottom, height - left)  # (x', y') -> (y', height - x')


def _moved(lines: Sequence[Line], way: Way, width: int, height: int, *,
           back: bool) -> list[Line]:
    move = _box_back if back else _box_turned
    return [Line(move(line.box, way, width, height),
                 [Glyph(g.char, move(g.box, way, width, height), g.confidence, g.candidates)
                  for g in line.glyphs], line.angle) for line in lines]


def turn(lines: Sequence[Line], way: Way, width: int, height: int) -> list[Line]:
    """``lines`` of a ``width`` x ``height`` image whose text runs ``way``, in the frame
    where it runs across (that frame is ``height`` x ``width``)."""
    return _moved(lines, way, width, height, back=False)


def turn_back(blocks: Sequence[Sequence[Line]], way: Way, width: int,
              height: int) -> list[list[Line]]:
    """Blocks of lines arranged in :func:`turn`'s frame, every box back in the image's own
    pixels (``width`` x ``height``, the image's size, not the turned frame's)."""
    return [_moved(block, way, width, height, back=True) for block in blocks]


@dataclass(frozen=True)
class Arranged:
    """A page in reading order: ``blocks`` as :func:`~lingyun.service.positions.arrange`
    gives them (boxes in the image's pixels), the page's ``skew`` in degrees and the way its
    text runs (``None``: across)."""

    blocks: list[list[Line]]
    skew: float
    way: Way | None


def arrange_page(lines: Sequence[Line], width: int, height: int, *,
                 layout: str | None = None, engine_spaces: bool = False) -> Arranged:
    """``lines`` of a ``width`` x ``height`` image in reading order, whichever way its text
    runs (see the module docstring); ``layout`` and ``engine_spaces`` as for
    :func:`~lingyun.service.positions.arrange`."""
    way = running(lines)
    across = turn(lines, way, width, height) if way else list(lines)
    skew = page_skew(across)
    blocks = arrange(across, skew=skew, layout=layout, engine_spaces=engine_spaces)
    return Arranged(turn_back(blocks, way, width, height) if way else blocks, skew, way)
