"""Pages whose text does not run across: put in reading order where it does, boxes kept.

A page's text may run down or up the page instead of across it -- a book or a newspaper set
in vertical CJK writing, any page fed into the scanner sideways -- or run across upside
down (a page fed in head first).  The embedded engine reads each line the right way round
(:mod:`.engines.vertical` for columns; a page it reads upside down it reads again turned),
so a line's glyphs already come in reading order; what the layout still needs is the order
of the lines:

* text that runs **down** (vertical CJK writing; a Latin page turned a quarter clockwise)
  reads its columns **right to left**;
* text that runs **up** (a page turned a quarter counter-clockwise) reads them **left to
  right**;
* text that runs **over** (upside down) reads its lines **bottom to top**, each right to
  left.

:func:`running` tells which (or that the page runs across as usual): the way most of the
page's characters go, each line's way seen from its first and last character -- a line whose
last character lies more than twice as far below or above its first as beside it runs down
or up, one whose last character lies left of its first runs over.  :func:`turn` takes the
lines into the frame where the text runs across -- a quarter turn counter-clockwise for
``down``, clockwise for ``up``, a half turn for ``over`` -- where the ordinary layout
(:func:`~lingyun.service.positions.arrange`) orders them, and :func:`turn_back` puts every
box back in the image's own pixels.  Boxes are
axis-aligned and the turns are quarter turns, so nothing is lost either way.

:func:`arrange_page` does all of it for the engine: the page's way, its skew, its blocks in
reading order with every box in the image's pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..geometry.metrics import DOWN, OVER, UP, line_ways
from .positions import Box, Glyph, Line, arrange, page_skew

__all__ = ["WAYS", "Arranged", "Way", "arrange_page", "running", "turn", "turn_back"]

Way = Literal["down", "up", "over"]
WAYS: tuple[Way, ...] = ("down", "up", "over")
#: the turn that undoes each turn
_UNDO: dict[Way, Way] = {"down": "up", "up": "down", "over": "over"}


def running(lines: Sequence[Line]) -> Way | None:
    """How the page's text runs: ``down``, ``up`` or ``over`` when more than half of its
    characters are in lines running that way, else ``None`` (across, as usual).  A line's
    way is :func:`lingyun.geometry.metrics.line_ways`'s, from its first and last character,
    the rule the glyph metrics and page orientation use too."""
    inked = [[g.box for g in line.glyphs if not g.char.isspace()] for line in lines]
    boxes = np.array([box for found in inked for box in found],
                     dtype=np.float64).reshape(-1, 4)
    line_of = np.repeat(np.arange(len(inked)), [len(found) for found in inked])
    ways = line_ways(line_of, boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3],
                     len(inked))[line_of]
    for way, code in zip(WAYS, (DOWN, UP, OVER), strict=True):
        if 2 * int(np.count_nonzero(ways == code)) > boxes.shape[0]:
            return way
    return None


def _box_turned(box: Box, way: Way, width: int, height: int) -> Box:
    """``box`` of a ``width`` x ``height`` frame, turned as ``way`` turns the page."""
    left, top, right, bottom = box
    if way == "down":  # a quarter turn counter-clockwise: (x, y) -> (y, width - x)
        return (top, width - right, bottom, width - left)
    if way == "up":  # a quarter turn clockwise: (x, y) -> (height - y, x)
        return (height - bottom, left, height - top, right)
    return (width - right, height - bottom, width - left, height - top)  # half a turn


def _moved(lines: Sequence[Line], way: Way, width: int, height: int) -> list[Line]:
    return [Line(_box_turned(line.box, way, width, height),
                 [Glyph(g.char, _box_turned(g.box, way, width, height), g.confidence,
                        g.candidates) for g in line.glyphs], line.angle) for line in lines]


def turn(lines: Sequence[Line], way: Way, width: int, height: int) -> list[Line]:
    """``lines`` of a ``width`` x ``height`` image whose text runs ``way``, in the frame
    where it runs across (that frame is ``height`` x ``width`` for a quarter turn)."""
    return _moved(lines, way, width, height)


def turn_back(blocks: Sequence[Sequence[Line]], way: Way, width: int,
              height: int) -> list[list[Line]]:
    """Blocks of lines arranged in :func:`turn`'s frame, every box back in the image's own
    pixels (``width`` x ``height``, the image's size, not the turned frame's)."""
    frame = (width, height) if way == "over" else (height, width)  # turn()'s frame
    return [_moved(block, _UNDO[way], *frame) for block in blocks]


@dataclass(frozen=True)
class Arranged:
    """A page in reading order: ``blocks`` as :func:`~lingyun.service.positions.arrange`
    gives them (boxes in the image's pixels), the page's ``skew`` in degrees and the way its
    text runs (``None``: across, as usual)."""

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
