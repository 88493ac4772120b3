"""Reading order, blocks and columns from boxes: a recursive XY-cut, vectorised by level.

Engines return lines in detection order; on a multi-column page sorting them top-to-bottom
interleaves the columns.  The XY-cut (Nagy & Seth, 1984) splits a page along *through gaps*
-- bands of whitespace no box crosses -- recursively: vertical gaps separate columns,
horizontal gaps separate blocks and lines.  Reading order is the order of the leaves.

Every level of the recursion is done for all segments of all pages at once (one loop per
level, none per box or per page): boxes are sorted by ``(segment, left)``, a segmented
running maximum of ``right`` gives, for each box, the gap between it and everything before it
in its segment; a positive gap is a through gap.  The same with ``top``/``bottom`` gives the
horizontal gaps.

Rules, with ``h`` the median box height of the page (the unit of every threshold):

* a vertical gap is a *column gutter* when it is at least ``column_gap * h`` wide and the
  pieces on both sides are at least ``column_ratio`` times wider than it and at least
  ``column_width * h`` wide (8: some sixteen characters) -- text columns are wide, next to
  their gutter and absolutely; a receipt's name and price, or a table's columns of
  figures, are not, so a receipt or a table is read row by row -- one line per item,
  transaction or table row -- instead of column by column;
* each segment is cut in the direction of its widest gap (gutter or horizontal gap, both in
  units of ``h``), at every gap of that direction at least ``tie`` times the widest;
* a segment whose widest gap is horizontal and narrower than ``block_gap * h`` is one
  *block* (a paragraph, a column of lines at ordinary spacing): it is cut at every
  horizontal gap into rows and not split further;
* a segment with no gap left is a block of its own (a line, or a row of boxes);
* inside a row, boxes are read left to right;
* a horizontal through gap may be an *overlap* of up to ``overlap * h``: detectors pad
  their boxes (DBNet's "unclip"), so the boxes of consecutive lines touch or overlap by a
  few pixels; without the allowance a whole paragraph would be one row, its lines' boxes
  read left to right.  Boxes overlapping by more are on one row.

A skewed page has no clean through gaps: its boxes' bounding boxes overlap.  With ``skew``
(degrees, counter-clockwise positive like the PAGE node's; per group or one for all), each
box is first turned back: its centre ``(x, y)`` goes to ``(x cos t - y sin t,
y cos t + x sin t)`` (a baseline ``y = y0 - x tan t`` becomes horizontal), and its size to
the rectangle whose rotation by ``t`` has that bounding box: ``W = (w cos t - h sin|t|) /
cos 2t``, ``H = (h cos t - w sin|t|) / cos 2t`` (at least 1 pixel; ``|t| < 45``).

``columns`` per page is the largest number of pieces one gutter cut produced.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._segments import group_median, running_max
from .errors import GeometryError

__all__ = ["ReadingOrder", "as_boxes", "block_boxes", "deskewed", "reading_order"]

#: The width given to a horizontal gap of zero or less that is still a through gap.
_TOUCHING = 1e-6


@dataclass(frozen=True)
class ReadingOrder:
    """The result of :func:`reading_order`; every array is indexed like the input boxes
    except ``order`` (a permutation) and ``columns`` (one per group).

    ``boxes[order]`` are the boxes in reading order; ``block[i]`` is box ``i``'s block and
    ``row[i]`` its row (boxes side by side on one text line of a block share a row), both
    numbered in reading order; ``columns[g]`` the number of columns found on group (page)
    ``g`` (0 for a group without boxes).
    """

    order: np.ndarray
    block: np.ndarray
    row: np.ndarray
    columns: np.ndarray


def as_boxes(boxes: object, name: str = "boxes") -> np.ndarray:
    """``boxes`` as an ``(n, 4)`` int64 array of ``left, top, right, bottom``.

    Accepts an ``(n, 4)`` array-like or a structured array with those four fields (a
    :class:`~lingyun.iread.Layout`'s ``lines``-derived boxes, ``chars``, ``regions``).
    """
    if isinstance(boxes, np.ndarray) and boxes.dtype.names:
        missing = {"left", "top", "right", "bottom"} - set(boxes.dtype.names)
        if missing:
            raise GeometryError(f"{name}: a structured array needs fields {sorted(missing)}")
        array = np.stack([boxes[f].astype(np.int64) for f in ("left", "top", "right", "bottom")],
                         axis=-1).reshape(-1, 4)
    else:
        try:
            array = np.asarray(boxes, dtype=np.int64)
        except (TypeError, ValueError) as exc:
            raise GeometryError(f"{name}: not an array of integer boxes ({exc})") from None
        if array.size == 0:
            array = array.reshape(0, 4)
        if array.ndim != 2 or array.shape[1] != 4:
            raise GeometryError(f"{name}: expected shape (n, 4), got {array.shape}")
    bad = np.flatnonzero((array[:, 2] < array[:, 0]) | (array[:, 3] < array[:, 1]))
    if bad.size:
        raise GeometryError(
            f"{name}[{int(bad[0])}] = {array[bad[0]].tolist()}: right < left or bottom < top "
            f"({bad.size} such boxes)"
        )
    return array


def _groups(groups: object, n: int) -> tuple[np.ndarray, int]:
    if groups is None:
        return np.zeros(n, dtype=np.int64), 1 if n else 0
    group = np.asarray(groups)
    if group.shape != (n,) or (n and not np.issubdtype(group.dtype, np.integer)):
        raise GeometryError(f"groups: expected {n} integers, got {group.dtype} {group.shape}")
    if n and int(group.min()) < 0:
        raise GeometryError(f"groups[{int(np.argmin(group))}] is negative")
    group = group.astype(np.int64)
    return group, int(group.max()) + 1 if n else 0


def _gaps(segment: np.ndarray, low: np.ndarray, high: np.ndarray) -> tuple[
        np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sort by ``(segment, low)``; per sorted box, the signed gap before it (``low`` minus
    the running maximum of ``high`` before it: negative under an overlap, 0 at a segment's
    first box) and that running maximum."""
    order = np.lexsort((low, segment))
    seg, lo = segment[order], low[order]
    reach = running_max(seg, high[order])
    gap = np.zeros(order.size, dtype=np.int64)
    if order.size > 1:
        same = seg[1:] == seg[:-1]
        gap[1:] = np.where(same, lo[1:] - reach[:-1], 0)
    first = np.ones(order.size, dtype=bool)
    first[1:] = seg[1:] != seg[:-1]
    return order, seg, lo, reach, gap, first


def _accept_gutters(seg: np.ndarray, lo: np.ndarray, reach: np.ndarray, gap: np.ndarray,
                    first: np.ndarray, candidate: np.ndarray, column_ratio: float,
                    wide: np.ndarray) -> np.ndarray:
    """Which candidate vertical gaps separate text columns (see the module docstring);
    ``wide`` is the least width of a column in pixels, per sorted box."""
    starts = candidate | first
    piece = np.cumsum(starts) - 1
    begin = np.flatnonzero(starts)
    end = np.concatenate((begin[1:], [seg.size])) - 1
    width = (reach[end] - lo[begin]).astype(np.float64)
    right_piece = piece[candidate]
    narrower = np.minimum(width[right_piece - 1], width[right_piece])
    accepted = np.zeros(seg.size, dtype=bool)
    accepted[np.flatnonzero(candidate)] = (gap[candidate] * column_ratio <= narrower) \
        & (narrower >= wide[candidate])
    return accepted


def _piece_index(seg: np.ndarray, cut: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Piece number within its segment for each sorted box, cutting before ``cut`` boxes."""
    count = np.cumsum(cut)
    index: np.ndarray = count - count[np.flatnonzero(first)][np.cumsum(first) - 1]
    return index


def deskewed(boxes: np.ndarray, skew: np.ndarray) -> np.ndarray:
    """Boxes turned back by ``skew`` degrees each (see the module docstring)."""
    t = np.radians(skew.astype(np.float64))
    cos, sin = np.cos(t), np.sin(t)
    left, top, right, bottom = boxes.T.astype(np.float64)
    x, y = (left + right) / 2, (top + bottom) / 2
    w, h = right - left, bottom - top
    cos2 = np.maximum(np.cos(2 * t), 1e-6)
    width = np.maximum((w * cos - h * np.abs(sin)) / cos2, 1.0)
    height = np.maximum((h * cos - w * np.abs(sin)) / cos2, 1.0)
    cx, cy = x * cos - y * sin, y * cos + x * sin
    turned: np.ndarray = np.rint(np.stack(
        [cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2], axis=1))
    return turned.astype(np.int64)


def reading_order(
    boxes: object,
    groups: object = None,
    *,
    skew: object = None,
    column_gap: float = 0.5,
    column_ratio: float = 3.0,
    block_gap: float = 1.0,
    tie: float = 0.8,
    overlap: float = 0.25,
    column_width: float = 8.0,
) -> ReadingOrder:
    """Reading order, blocks and columns of ``boxes`` (``(n, 4)``: left, top, right, bottom).

    ``groups`` (one non-negative int per box, e.g. the page of each line) keeps groups
    apart: each is ordered on its own, groups in increasing order.  The thresholds are in
    units of the group's median box height; see the module docstring for the rules.
    ``skew`` (degrees, one value or one per group) turns the boxes back first.
    Returns index arrays only, so callers keep their own arrays:
    ``lines[result.order]``.
    """
    box = as_boxes(boxes)
    n = box.shape[0]
    group, group_count = _groups(groups, n)
    if skew is not None:
        given = np.asarray(skew, dtype=np.float64)
        angles = np.broadcast_to(given, (group_count,)) \
            if given.ndim == 0 or given.size == group_count else None
        if angles is None or not np.all(np.abs(angles) < 45):
            raise GeometryError(f"skew: expected one angle or {group_count} angles, each "
                                f"between -45 and 45 degrees, got {skew!r}")
        box = deskewed(box, angles[group])
    left, top, right, bottom = box.T
    unit = np.maximum(group_median(group, bottom - top, group_count), 1.0)[group]
    label = np.unique(group, return_inverse=True)[1].astype(np.int64)
    done = np.zeros(n, dtype=bool)
    block_tag = np.full(n, -1, dtype=np.int64)
    columns = np.bincount(group, minlength=group_count).clip(max=1)
    tags = 0
    for _level in range(n + 1):
        active = np.flatnonzero(~done)
        if active.size == 0:
            break
        segments = int(label.max()) + 1
        seg_of = label[active]
        u = unit[active]
        # vertical gaps (columns)
        ox, sx, lox, reachx, gapx, firstx = _gaps(seg_of, left[active], right[active])
        gapx = np.maximum(gapx, 0)
        gx = gapx / u[ox]
        gutter = _accept_gutters(sx, lox, reachx, gapx, firstx, gx >= column_gap, column_ratio,
                                 column_width * u[ox])
        best_x = np.zeros(segments)
        np.maximum.at(best_x, sx[gutter], gx[gutter])
        # horizontal gaps (blocks, lines)
        oy, sy, _loy, _reachy, gapy, firsty = _gaps(seg_of, top[active], bottom[active])
        # a through gap may be an overlap of up to ``overlap * h``: detectors pad their
        # boxes, so the boxes of consecutive lines often touch or overlap a little
        through = ~firsty & (gapy > -overlap * u[oy])
        gy = np.where(through, np.maximum(gapy / u[oy], 0) + _TOUCHING, 0)
        best_y = np.zeros(segments)
        np.maximum.at(best_y, sy, gy)
        use_x = (best_x > 0) & (best_x >= best_y)
        use_y = ~use_x & (best_y > 0)
        settles = ~use_x & ((best_y == 0) | (best_y < block_gap))
        cut_x = gutter & use_x[sx] & (gx >= tie * best_x[sx])
        cut_y = (gy > 0) & use_y[sy] & (settles[sy] | (gy >= tie * best_y[sy]))
        piece = np.zeros(n, dtype=np.int64)
        piece[active[ox]] = np.where(use_x[sx], _piece_index(sx, cut_x, firstx), 0)
        from_y = use_y[sy]
        piece[active[oy[from_y]]] = _piece_index(sy, cut_y, firsty)[from_y]
        if cut_x.any():
            cuts_per_segment = np.bincount(sx[cut_x], minlength=segments)
            cut_segments = np.flatnonzero(cuts_per_segment)
            page_of_segment = np.zeros(segments, dtype=np.int64)
            page_of_segment[seg_of] = group[active]
            np.maximum.at(columns, page_of_segment[cut_segments],
                          cuts_per_segment[cut_segments] + 1)
        settled = active[settles[seg_of]]
        block_tag[settled] = tags + label[settled]
        tags += segments
        done[settled] = True
        label = np.unique(label * (n + 1) + piece, return_inverse=True)[1].astype(np.int64)
    order = np.lexsort((left, label))
    first_seen = np.full(tags, n, dtype=np.int64)
    np.minimum.at(first_seen, block_tag[order], np.arange(n))
    used = np.flatnonzero(first_seen < n)
    rank = np.zeros(tags, dtype=np.int64)
    rank[used[np.argsort(first_seen[used])]] = np.arange(used.size)
    return ReadingOrder(order=order, block=rank[block_tag], row=label, columns=columns)


def block_boxes(boxes: object, block: np.ndarray) -> np.ndarray:
    """The bounding box of each block: ``(blocks, 4)``, block ``k`` in row ``k``."""
    box = as_boxes(boxes)
    count = int(block.max()) + 1 if block.size else 0
    out = np.zeros((count, 4), dtype=np.int64)
    if count:
        out[:, :2] = np.iinfo(np.int64).max
        out[:, 2:] = np.iinfo(np.int64).min
        for column, reduce in ((0, np.minimum), (1, np.minimum), (2, np.maximum),
                               (3, np.maximum)):
            reduce.at(out[:, column], block, box[:, column])
    return out
