"""Which way each page is turned, from the way its lines run.

A page fed into the scanner sideways or head first keeps its text in the position stream
the right way round -- each line's characters in reading order -- but its lines run down,
up or right to left across the image (:func:`~lingyun.geometry.metrics.line_ways`).  The
way most of a page's characters run says how far the page is turned **clockwise** from
upright, the convention of OCRmyPDF's ``get_orientation`` and Tesseract's OSD:

* lines running across: 0;
* lines running down: 90 (the page turned a quarter clockwise) -- unless most of their
  characters are CJK: that is vertical writing on an upright page, 0;
* lines running over (upside down): 180;
* lines running up: 270 (a quarter counter-clockwise).

``share`` is the fraction of the page's characters on lines running the way found; a page
where no way holds more than half of its characters is upright with share 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._segments import group_sum
from .metrics import ACROSS, DOWN, OVER, UP, line_ways
from .words import is_wide

__all__ = ["ORIENTATION", "page_orientation"]

ORIENTATION = np.dtype([("angle", "<i8"), ("share", "<f8")])


def page_orientation(layout: Any) -> np.ndarray:
    """One :data:`ORIENTATION` record per page of ``layout``: how far it is turned clockwise
    (0, 90, 180 or 270 degrees) and the share of its characters that says so."""
    chars, pages = layout.chars, layout.pages
    out = np.zeros(pages.size, dtype=ORIENTATION)
    if chars.size == 0:
        return out
    line = chars["line"].astype(np.int64)
    left, top, right, bottom = (chars[f].astype(np.float64)
                                for f in ("left", "top", "right", "bottom"))
    way = line_ways(line, left, top, right, bottom, layout.lines.size)[line]
    page = chars["page"].astype(np.int64)
    votes = {angle: group_sum(page, (way == kind).astype(np.float64), pages.size)
             for angle, kind in ((0, ACROSS), (90, DOWN), (180, OVER), (270, UP))}
    # vertical CJK writing runs down an upright page: a page whose down lines are mostly CJK
    wide_down = group_sum(page, ((way == DOWN) & is_wide(chars["code"])).astype(np.float64),
                          pages.size)
    writing = 2 * wide_down >= votes[90]
    votes[0] = np.where(writing, votes[0] + votes[90], votes[0])
    votes[90] = np.where(writing, 0.0, votes[90])
    total = np.maximum(np.bincount(page, minlength=pages.size), 1)
    for angle, count in votes.items():
        share = count / total
        found = share > 0.5
        out["angle"] = np.where(found, angle, out["angle"])
        out["share"] = np.where(found, share, out["share"])
    return out
