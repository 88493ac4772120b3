"""Small print: a second, closer look for the lines the detector cannot resolve.

The text detector sees a page brought down to a long side of 960 pixels
(:data:`~.rapidocr_models.DETECTOR`), where a line of ordinary body text is 10 to 30
pixels tall.  On a page of small print -- a newspaper's eight columns, a two-page spread
scanned as one image, a large scan of a dense form -- lines come out 7 or 8 pixels tall
there, under what the detector was trained to find, and it drops some of them whole: 20
of a newspaper page's 458 lines, two lines of a spread.  Detecting every page at a higher
resolution is not the cure: it costs time on every page and, on pages of ordinary print,
finds lines no better (``docs/engine.md``).

So the engine measures the print first: :func:`print_height` is the median height of the
lines found, in the detector's pixels.  When it is under :data:`SMALL` (or when nothing was
found on a page the detector had to shrink), the page is detected again at the resolution
that makes its print :data:`TARGET` pixels tall (:func:`closer_limit`, at most
:data:`MAX_LIMIT`), and the two looks are combined (:func:`combine`): the lines found there
that the first look did not have are added (among them the rows it missed between boxes it
set astride two rows each, as it does where lines sit tight), a line the first look cut
short is taken whole from the second, and every other line of the first look stays as it
was -- so a line the closer look happens to lose is not lost.  The recognizer then reads
all of them in one batch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["ASTRIDE", "COVER", "MAX_LIMIT", "OVERLAP", "SMALL", "TALLER", "TARGET",
           "CloserLook", "closer_limit", "combine", "print_height"]

#: median line height (detector pixels) under which a page gets a second look.  Of the 40
#: public pages measured: a newspaper 7.4, a two-page spread 10.1, two report pages 10.3
#: (where the second look finds nothing new), every other page 10.7 to 29
SMALL = 10.5
#: the line height (detector pixels) the second look brings the print to
TARGET = 14.0
#: the largest long side the second look detects at (memory and time stay bounded)
MAX_LIMIT = 2560
#: a line from the second look whose area overlaps earlier boxes by more than this share is
#: one the first look already has
OVERLAP = 0.2
#: ... or by at most this share when no earlier box it touches holds its middle (nor is
#: much shorter): the row the first look missed between two boxes it set astride two rows
#: each, as it does on the tight lines of a low-resolution newspaper scan
ASTRIDE = 0.5
#: a line from the second look holding this share of a first-look box sees that line whole
COVER = 0.8
#: ... unless it is more than this many times as tall (two rows taken as one)
TALLER = 1.5


def _rects(quads: np.ndarray) -> np.ndarray:
    """``(n, 4)`` left, top, right, bottom of ``(n, 4, 2)`` quadrilaterals."""
    quads = np.asarray(quads, dtype=np.float64).reshape(-1, 4, 2)
    return np.concatenate([quads.min(axis=1), quads.max(axis=1)], axis=1)


def print_height(quads: np.ndarray, ratio: float) -> float | None:
    """The median height of the detected line boxes ``quads`` (``(n, 4, 2)``, image pixels)
    as the detector saw them (``ratio``: its scale), or ``None`` when there are none."""
    rects = _rects(quads)
    if rects.shape[0] == 0:
        return None
    return float(np.median(rects[:, 3] - rects[:, 1])) * ratio


def closer_limit(height: float | None, limit: int, long_side: int) -> int | None:
    """The long side to detect at again, for print ``height`` pixels tall at ``limit``
    (``None``: nothing was found), or ``None`` when no second look is due: the print is
    large enough, or the page is no larger than ``limit`` (the detector saw it whole)."""
    if long_side <= limit or (height is not None and height >= SMALL):
        return None
    wanted = MAX_LIMIT if height is None or height <= 0 else round(limit * TARGET / height)
    closer = min(wanted, MAX_LIMIT, long_side)
    return closer if closer > limit else None


def combine(earlier: np.ndarray, found: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which lines of the first look (``earlier``) stay and which of the second (``found``)
    are taken, as two index arrays (quadrilaterals, compared as axis-aligned boxes).

    A line of the second look is taken when the first look did not have it -- it overlaps
    the first look's boxes by at most :data:`OVERLAP` of its own area, or by at most
    :data:`ASTRIDE` when none of the boxes it touches holds its middle and none is less than
    1/:data:`TALLER` as tall (a row the first look missed between two boxes it set astride
    two rows each, not two rows seen as one) -- or when it sees a
    line of the first look whole: it holds at least :data:`COVER` of that box, reaches past
    it (wider by a quarter of its height or more) and is at most :data:`TALLER` times as
    tall (the same line, not two rows merged),
    and overlaps nothing else by more than :data:`OVERLAP`.  The first-look lines it sees
    whole give way to it (the first look cut them short: "finds them" for "finds them
    again"); every other first-look line stays.
    """
    old, new = _rects(earlier), _rects(found)
    if new.shape[0] == 0 or old.shape[0] == 0:
        return np.arange(old.shape[0]), np.arange(new.shape[0])
    wide = np.clip(np.minimum(new[:, None, 2], old[None, :, 2])
                   - np.maximum(new[:, None, 0], old[None, :, 0]), 0, None)
    tall = np.clip(np.minimum(new[:, None, 3], old[None, :, 3])
                   - np.maximum(new[:, None, 1], old[None, :, 1]), 0, None)
    shared = wide * tall
    new_w, new_h = new[:, 2] - new[:, 0], new[:, 3] - new[:, 1]
    old_w, old_h = old[:, 2] - old[:, 0], old[:, 3] - old[:, 1]
    new_area = np.maximum(new_w * new_h, 1.0)
    covers = ((shared >= COVER * np.maximum(old_w * old_h, 1.0)[None, :])
              & (new_w[:, None] >= old_w[None, :] + old_h[None, :] / 4)
              & (new_h[:, None] <= TALLER * old_h[None, :]))
    share = shared.sum(axis=1) / new_area
    middle = (new[:, 1] + new[:, 3]) / 2
    touched = shared > 0
    astride = ~(touched & (old[None, :, 1] <= middle[:, None])
                & (middle[:, None] <= old[None, :, 3])).any(axis=1) \
        & ~(touched & (new_h[:, None] > TALLER * old_h[None, :])).any(axis=1)
    unseen = (share <= OVERLAP) | ((share <= ASTRIDE) & astride)
    whole = covers.any(axis=1) & ((shared * ~covers).sum(axis=1) / new_area <= OVERLAP)
    taken = unseen | whole
    replaced = (covers & whole[:, None]).any(axis=0)
    return np.flatnonzero(~replaced), np.flatnonzero(taken)


class CloserLook:
    """rapidocr's text detector with the second look: called as the detector is (an image
    in, a ``TextDetOutput`` out), it runs the detector, and again at :func:`closer_limit`
    when the print is small, combining the two looks' lines (:func:`combine`).  Everything
    else is the wrapped detector's.  Not thread-safe (it sets the detector's limit for the
    second call): the engine calls rapidocr under its own lock."""

    def __init__(self, detector: Any) -> None:
        self.detector = detector

    def __getattr__(self, name: str) -> Any:
        return getattr(self.detector, name)

    def __call__(self, img: np.ndarray) -> Any:
        from rapidocr.ch_ppocr_det.utils import TextDetOutput

        found = self.detector(img)
        limit = int(self.detector.limit_side_len)
        long_side = int(max(img.shape[:2]))
        earlier = np.zeros((0, 4, 2)) if found.boxes is None else np.asarray(found.boxes)
        closer = closer_limit(print_height(earlier, min(1.0, limit / long_side)), limit,
                              long_side)
        if closer is None:
            return found
        self.detector.limit_side_len = closer
        try:
            second = self.detector(img)
        finally:
            self.detector.limit_side_len = limit
        if second.boxes is None:
            return found
        stay, taken = combine(earlier, second.boxes)
        if taken.size == 0:
            return found
        boxes = np.concatenate([earlier[stay].astype(second.boxes.dtype),
                                second.boxes[taken]])
        first_scores = list(found.scores or ())
        scores = [*(first_scores[i] for i in stay.tolist()),
                  *(second.scores[i] for i in taken.tolist())]
        return TextDetOutput(img=img, boxes=boxes, scores=scores,
                             elapse=found.elapse + second.elapse)
