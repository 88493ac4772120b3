"""Glyph boxes tightened to their ink, for engines whose boxes are coarse.

CTC recognizers (rapidocr, PaddleOCR) place characters by the columns of their output
sequence: every box is a slab of about the same width, touching its neighbours, so the gaps
between words -- and any glyph measurement -- are lost.  The image still has them.  Given a
grey image, :func:`ink_mask` separates ink from paper by Otsu's threshold (the level that
maximises the between-class variance of the histogram; ink is the minority class, so light
text on a dark ground works too), and :func:`tighten` shrinks each box to the ink inside it:
first the columns that hold ink between the box's top and bottom, then the rows that hold ink
between those columns.  A box without ink is returned unchanged.

Slabs do not follow glyph boundaries: a slab may hold the end of one letter and the start
of the next, so tightening alone leaves false gaps.  :func:`snap` first finds the *ink runs*
of each line -- maximal ranges of columns with ink between the line's top and bottom -- and
gives every run to the slab containing its centre (or, for a centre in a gap between slabs,
the nearest slab); a slab's horizontal extent becomes the union of its runs, so the gap
between two characters is the blank between their ink.  A run that holds the centres of two
neighbouring slabs (letters joined by a stroke, a scratch, or a tilted line whose letters
overlap in the column profile) is first cut at the middle of their common edge.  Slabs that
received no run keep their tightened box.  A box left on a speck -- under half the
line's typical glyph height, with less ink than a full stop -- keeps the engine's slab.

All boxes at once: one integral image of the mask, and per box a fixed-width window of
column (then row) sums read from it -- ``(boxes, widest box)`` arrays, no loop per box.
"""

from __future__ import annotations

import itertools

import numpy as np

from .errors import GeometryError
from .order import as_boxes

__all__ = ["backdrop", "ink_mask", "otsu_level", "snap", "tighten"]


def otsu_level(gray: np.ndarray) -> int:
    """Otsu's threshold of a uint8 image: pixels ``<= level`` are one class."""
    histogram = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    weight = np.cumsum(histogram)
    total = weight[-1]
    mean = np.cumsum(histogram * np.arange(256))
    with np.errstate(invalid="ignore", divide="ignore"):
        between = (mean[-1] * weight - mean * total) ** 2 / (weight * (total - weight))
    return int(np.nanargmax(np.where(np.isfinite(between), between, np.nan))) \
        if np.isfinite(between).any() else 127


def backdrop(rgba: np.ndarray) -> int:
    """The grey level, 0 or 255, to lay a partly transparent H x W x 4 uint8 image on so its
    ink stays readable: black when what is visible is light (white text on a transparent
    ground), white otherwise.  "What is visible" is the mean luminance (ITU-R BT.601
    weights) of the pixels weighted by their opacity; a fully opaque or fully transparent
    image gets white."""
    image = np.asarray(rgba)
    if image.ndim != 3 or image.shape[2] != 4 or image.dtype != np.uint8:
        raise GeometryError(f"backdrop: expected an H x W x 4 uint8 image, got {image.dtype} "
                            f"{image.shape}")
    alpha = image[:, :, 3].astype(np.float64)
    total = float(alpha.sum())
    if total == 0 or float(alpha.min()) == 255:
        return 255
    luminance = image[:, :, :3].astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    return 0 if float((luminance * alpha).sum()) / total > 127.5 else 255


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Boolean ink mask of a 2-D uint8 grey image (Otsu; ink is the smaller class)."""
    image = np.asarray(gray)
    if image.ndim != 2 or image.dtype != np.uint8:
        raise GeometryError(f"ink_mask: expected a 2-D uint8 image, got {image.dtype} "
                            f"{image.shape}")
    dark = image <= otsu_level(image)
    return dark if dark.mean() <= 0.5 else ~dark


def _window_sums(integral: np.ndarray, lo: np.ndarray, hi: np.ndarray, across_lo: np.ndarray,
                 across_hi: np.ndarray, axis: int) -> np.ndarray:
    """Per box, ink count of each column (axis 1) or row (axis 0) from ``lo`` to ``hi``
    (exclusive), restricted to ``across_lo:across_hi`` in the other direction."""
    width = int((hi - lo).max(initial=0))
    index = lo[:, None] + np.arange(max(width, 1))[None, :]
    inside = index < hi[:, None]
    index = np.clip(index, 0, integral.shape[axis] - 2)
    a, b = across_lo[:, None], across_hi[:, None]
    if axis == 1:
        sums = (integral[b, index + 1] - integral[a, index + 1]
                - integral[b, index] + integral[a, index])
    else:
        sums = (integral[index + 1, b] - integral[index, b]
                - integral[index + 1, a] + integral[index, a])
    return np.where(inside, sums, 0)


def _extent(sums: np.ndarray, lo: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    has = sums > 0
    any_ink: np.ndarray = np.asarray(has.any(axis=1))
    first = np.argmax(has, axis=1)
    last = sums.shape[1] - 1 - np.argmax(has[:, ::-1], axis=1)
    return any_ink, lo + first, lo + last + 1


def tighten(mask: np.ndarray, boxes: object) -> np.ndarray:
    """Each ``(left, top, right, bottom)`` box shrunk to the ink of ``mask`` inside it.

    Boxes are clipped to the image first; right and bottom are exclusive.
    """
    ink = np.asarray(mask, dtype=bool)
    if ink.ndim != 2:
        raise GeometryError(f"tighten: expected a 2-D mask, got shape {ink.shape}")
    return _tighten(_integral(ink), as_boxes(boxes))


def _integral(ink: np.ndarray) -> np.ndarray:
    """The integral image of a 2-D boolean mask: ``(height + 1) x (width + 1)`` int32, entry
    ``[y, x]`` the ink count of ``mask[:y, :x]``."""
    height, width = ink.shape
    integral = np.zeros((height + 1, width + 1), dtype=np.int32)
    np.cumsum(np.cumsum(ink, axis=0, dtype=np.int32), axis=1, out=integral[1:, 1:])
    return integral


def _tighten(integral: np.ndarray, box: np.ndarray) -> np.ndarray:
    """:func:`tighten` on the mask's integral image (:func:`_integral`), ``box`` already an
    ``N x 4`` int64 array: a page's integral is computed once for both of
    :func:`snap`'s passes (on a 300-dpi page it costs more than the rest of the snapping)."""
    out = box.copy()
    height, width = integral.shape[0] - 1, integral.shape[1] - 1
    if box.shape[0] == 0 or height == 0 or width == 0:
        return out
    left, right = np.clip(box[:, 0], 0, width), np.clip(box[:, 2], 0, width)
    top, bottom = np.clip(box[:, 1], 0, height), np.clip(box[:, 3], 0, height)
    columns = _window_sums(integral, left, right, top, bottom, axis=1)
    has, new_left, new_right = _extent(columns, left)
    new_left, new_right = np.where(has, new_left, left), np.where(has, new_right, right)
    rows = _window_sums(integral, top, bottom, new_left, new_right, axis=0)
    has_rows, new_top, new_bottom = _extent(rows, top)
    keep = has & has_rows
    out[keep] = np.stack([new_left, new_top, new_right, new_bottom], axis=1)[keep]
    return out


def _runs(profile: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) of every run of ``True`` in a 1-D boolean array."""
    edges = np.diff(np.concatenate(([0], profile.astype(np.int8), [0])))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def _split_touching(profile: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                    slabs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ink runs with touching glyphs cut apart: where one run holds the centres of two
    neighbouring slabs (letters joined by a serif, a scratch or a tilt of the line), it is
    cut at the middle of the two slabs' common edge, so each slab gets its own part.
    Coordinates are relative to the profile's first column."""
    if slabs.shape[0] < 2 or starts.size == 0:
        return starts, ends
    centres = (slabs[:, 0] + slabs[:, 2]) / 2
    run_of = np.searchsorted(ends, centres, side="right")  # the run a centre may fall in
    inside = (run_of < starts.size) & (centres >= starts[np.minimum(run_of, starts.size - 1)])
    joined = inside[:-1] & inside[1:] & (run_of[:-1] == run_of[1:])
    if not joined.any():
        return starts, ends
    edges = ((slabs[:-1, 2] + slabs[1:, 0]) // 2)[joined]
    edges = np.clip(edges, 0, profile.size - 1)
    cut = profile.copy()
    cut[edges] = False
    return _runs(cut)


def snap(mask: np.ndarray, boxes: object, line: object) -> np.ndarray:
    """Character boxes (stored line by line, ``line`` their line index) snapped to the ink
    runs of their line, then tightened to the ink (see the module docstring).

    One pass per line (a line's column profile); no loop per character.
    """
    ink = np.asarray(mask, dtype=bool)
    if ink.ndim != 2:
        raise GeometryError(f"snap: expected a 2-D mask, got shape {ink.shape}")
    integral = _integral(ink)
    box = _tighten(integral, as_boxes(boxes))
    index = np.asarray(line, dtype=np.int64)
    if index.shape != (box.shape[0],):
        raise GeometryError(f"snap: expected {box.shape[0]} line indices, got {index.shape}")
    height, width = ink.shape
    out = box.copy()
    without = np.zeros(box.shape[0], dtype=bool)
    bounds: list[int] = np.flatnonzero(np.diff(np.concatenate(([-1], index, [-1])))).tolist() \
        if index.size else []
    for first, stop in itertools.pairwise(bounds):
        chars = box[first:stop]
        left, right = int(np.clip(chars[:, 0].min(), 0, width)), int(
            np.clip(chars[:, 2].max(), 0, width))
        top, bottom = int(np.clip(chars[:, 1].min(), 0, height)), int(
            np.clip(chars[:, 3].max(), 0, height))
        if right <= left or bottom <= top:
            continue
        profile: np.ndarray = np.asarray(ink[top:bottom, left:right].any(axis=0))
        slabs = np.asarray(boxes, dtype=np.int64).reshape(-1, 4)[first:stop]
        starts, ends = _split_touching(profile, *_runs(profile), slabs - [left, 0, left, 0])
        starts, ends = starts + left, ends + left
        centre = (starts + ends) / 2
        # A run goes to the slab holding its centre, or -- when the centre falls in a gap
        # between slabs -- to the slab whose centre is nearest: no ink is dropped.
        slab_centres = (slabs[:, 0] + slabs[:, 2]) / 2
        owner = np.abs(centre[:, None] - slab_centres[None, :]).argmin(axis=1) \
            if centre.size else np.zeros(0, dtype=np.int64)
        inside = (centre[:, None] >= slabs[None, :, 0]) & (centre[:, None] < slabs[None, :, 2])
        owner = np.where(inside.any(axis=1), inside.argmax(axis=1), owner)
        low = np.full(stop - first, np.iinfo(np.int64).max)
        high = np.full(stop - first, np.iinfo(np.int64).min)
        np.minimum.at(low, owner, starts)
        np.maximum.at(high, owner, ends)
        has = high > low
        out[first:stop, 0] = np.where(has, low, chars[:, 0])
        out[first:stop, 2] = np.where(has, high, chars[:, 2])
        without[first:stop] = ~has
    snapped = _tighten(integral, out)
    # Noise or anti-aliasing can leave a box on a speck: shorter than half the line's
    # typical glyph and with less ink than even a full stop at that size ((typical/8)^2
    # pixels).  The engine's slab, which at least covers the glyph, is the better answer.
    heights = snapped[:, 3] - snapped[:, 1]
    typical = np.zeros(box.shape[0])
    for first, stop in itertools.pairwise(bounds):
        own = heights[first:stop][~without[first:stop]]
        typical[first:stop] = np.median(own if own.size else heights[first:stop])
    for i in np.flatnonzero(heights < typical / 2):
        left, top, right, bottom = (int(v) for v in snapped[i])
        if int(ink[max(top, 0):bottom, max(left, 0):right].sum()) < max(4, (typical[i] / 8) ** 2):
            snapped[i] = np.asarray(boxes, dtype=np.int64).reshape(-1, 4)[i]
    return snapped
