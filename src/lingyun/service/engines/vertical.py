"""Tall text boxes: which way they read.

A line box at least 1.5 times as tall as it is wide is a column of text.  rapidocr turns
every such crop a quarter turn counter-clockwise before reading it, which is right for text
that runs *down* the page (a book spine, a Latin caption turned clockwise; the recognizer
also reads a column of upright CJK characters turned this way, and a column of digits).  It
is wrong for text that runs *up* the page -- a photo credit set along a picture's right
edge, an axis title: turned the same way it stands on its head and is read as confident
nonsense ("MA E S OE A OF N T E S..." for a Wall Street Journal credit).

:func:`variants` gives both readings of one crop -- ``down`` (rapidocr's turn) and ``up``
(the other quarter turn) -- and :func:`map_chars` takes each recognised character's
position in the strip the recognizer read back to the page.  For a box at least three
times as tall as wide (:data:`COLUMN`: several characters) the engine reads the second
one too and keeps the one the recognizer is surer of (:func:`choose`): rapidocr's reading
stays unless the other is clearly better, so a column of CJK characters, which reads well
turned, is left alone.

Cutting a column of upright glyphs apart and setting them side by side was tried and
dropped: the detector already gives upright Latin letters a box each, and the recognizer
reads a turned column of digits more surely than the unstacked one.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["COLUMN", "TALL", "Strip", "choose", "is_tall", "map_chars", "upright_crop", "variants"]

#: rapidocr's own rule: a crop this much taller than wide is turned before it is read.
TALL = 1.5
#: a box this much taller than wide holds several characters, and is read both ways; a
#: shorter one may be a single glyph, and a glyph turned upside down is often another one
#: (a line number's 6 read as 9 at a higher probability).
COLUMN = 3.0
#: how much surer (mean character probability) another reading must be than rapidocr's
MARGIN = 0.05


@dataclass(frozen=True)
class Strip:
    """One way of reading a tall crop: ``image`` as the recognizer sees it; ``kind`` says how
    its x axis maps back to the crop's y: ``down`` (x is y), ``up`` (x is height - y)."""

    kind: str
    image: np.ndarray


def is_tall(points: Any, ratio: float = COLUMN) -> bool:
    """Whether a detected quadrilateral (top-left, top-right, bottom-right, bottom-left) is
    at least ``ratio`` times as tall as it is wide (:data:`COLUMN`: a column of several
    characters; :data:`TALL`: every box rapidocr turns)."""
    quad = np.asarray(points, dtype=np.float64)
    width = max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3]))
    height = max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2]))
    return bool(width >= 1 and height >= ratio * width)


def upright_crop(image: np.ndarray, points: Any) -> tuple[np.ndarray, np.ndarray]:
    """The quadrilateral ``points`` cut out of ``image`` as an upright rectangle (not turned),
    and the 3 x 3 transform that takes crop coordinates back to the image."""
    import cv2

    quad = np.asarray(points, dtype=np.float32).reshape(4, 2)
    width = max(1, round(max(np.linalg.norm(quad[0] - quad[1]),
                             np.linalg.norm(quad[2] - quad[3]))))
    height = max(1, round(max(np.linalg.norm(quad[0] - quad[3]),
                              np.linalg.norm(quad[1] - quad[2]))))
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    forward = cv2.getPerspectiveTransform(quad, target)
    crop = cv2.warpPerspective(image, forward, (width, height), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)
    return crop, np.linalg.inv(forward)


def variants(crop: np.ndarray) -> list[Strip]:
    """The readings of an upright tall crop: ``down`` (turned a quarter counter-clockwise,
    rapidocr's) and ``up`` (turned clockwise)."""
    return [Strip("down", np.ascontiguousarray(np.rot90(crop, 1))),
            Strip("up", np.ascontiguousarray(np.rot90(crop, -1)))]


def choose(scores: Sequence[float], texts: Sequence[str]) -> int:
    """Which reading to keep (an index into ``variants``' list): the surest one that has
    text, but rapidocr's (``down``, index 0) unless the other is surer by more than
    :data:`MARGIN`."""
    read = [i for i, text in enumerate(texts) if text.strip()]
    if not read:
        return 0
    best = max(read, key=lambda i: scores[i])
    if best and texts[0].strip() and scores[best] <= scores[0] + MARGIN:
        return 0
    return best


def map_chars(strip: Strip, crop_size: tuple[int, int], centres: Sequence[float],
              back: np.ndarray) -> list[list[list[float]]]:
    """Page quadrilaterals for characters read at strip x positions ``centres`` (pixels of
    ``strip.image``, in reading order); ``crop_size`` is the upright crop's ``(width,
    height)`` and ``back`` the transform from crop to page (:func:`upright_crop`).

    The characters tile the column: each reaches halfway to its neighbours' centres (the
    first and last as far out as they reach in), across the column's whole width; the
    engine then shrinks every box to its ink.
    """
    width, height = crop_size
    if not centres:
        return []
    middles = [(a + b) / 2 for a, b in itertools.pairwise(centres)]
    edge = (middles[0] - centres[0]) if middles else height / 2
    cuts = [centres[0] - edge, *middles, centres[-1] + (centres[-1] - middles[-1] if middles
                                                        else edge)]
    quads: list[list[list[float]]] = []
    for start, end in itertools.pairwise(cuts):
        ends = sorted(float(np.clip(v if strip.kind == "down" else height - v, 0, height))
                      for v in (start, end))
        corners = np.array([[0, ends[0], 1], [width, ends[0], 1], [width, ends[1], 1],
                            [0, ends[1], 1]], dtype=np.float64)
        mapped = corners @ back.T
        quads.append((mapped[:, :2] / mapped[:, 2:3]).tolist())
    return quads
