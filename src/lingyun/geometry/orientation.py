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
    total = np.bincount(page, minlength=pages.size).astype(np.float64)
    wide = is_wide(chars["code"])
    down = way == DOWN
    # vertical CJK writing runs down an upright page
    writing = group_sum(page, (down & wide).astype(np.float64), pages.size)
    turned_right = group_sum(page, (down & ~wide).astype(np.float64), pages.size)
    shares = {angle: group_sum(page, (way == kind).astype(np.float64), pages.size)
              for angle, kind in ((0, ACROSS), (180, OVER), (270, UP))}
    shares[0] = shares[0] + np.where(writing >= turned_right, writing, 0)
    shares[90] = np.where(writing >= turned_right, 0, writing + turned_right)
    with np.errstate(invalid="ignore", divide="ignore"):
        for angle, count in shares.items():
            share = np.where(total > 0, count / np.maximum(total, 1), 0.0)
            found = share > 0.5
            out["angle"] = np.where(found, angle, out["angle"])
            out["share"] = np.where(found, share, out["share"])
    return out
