"""Reading order on magazine pages: whitespace gutters, then line precedence (topological sort).

The XY-cut (:mod:`.order`) needs *through* gaps: a gutter that runs from the top of a region
to its bottom.  Magazines rarely have one -- a heading or a picture caption spans both
columns, text wraps around a picture, the gutter narrows -- and the cut then reads across the
columns.  This module follows Breuel (2002, "Two geometric algorithms for layout analysis";
2003, "High performance document layout analysis", as OCRopus did):

1. **Column separators from whitespace.** Every line and its nearest neighbour to the right
   on its text row, with a gap of at least ``gutter * h`` between them (``h``: the page's
   median line height), seed a candidate separator: a narrow vertical band (``±h/4``) in
   the middle of the gap -- narrower in a gutter narrower than ``h/2`` (half a character
   between the columns of a CJK newspaper; ``gutter`` is 0.4): half a pixel
   (``BAND_MARGIN``) inside the seeding lines, so that they do not block it. The band
   grows up and down until a line crosses it (a heading over both columns, a caption, a
   picture's text) -- so a gutter that narrows still passes
   as long as its middle stays white, and an interrupted one ends where it is interrupted
   -- unless a single line only pokes into the gutter, leaving white on one side of it (a
   long line, a detector's padded box): the separators above and below it are joined, and
   the line counts as on the side it comes from; pieces of one gutter whose extents overlap
   are one separator over their union. A candidate is a *column separator* when
   it is at least ``gutter_rows * h`` tall and the lines beside it over its height are text
   columns on both sides: at least two lines each side *border* it (end, or start, within
   ``border * h`` of its middle) and a quarter of them at least ``column_width * h`` wide
   (a column may hold a table or short lines; not a quarter) -- on the left side too,
   unless most lines on the right are not centred on a row of the narrow ones on the left
   (within ``aligned_rows * h``): a table of figures beside a text column, not a table's
   last, wide column -- or when the narrow lines are line numbers (a deposition's, a
   listing's: at most ``numbers * h`` wide, at least ``h`` from the text), which are read
   as a column of their own, as Tesseract does. A gutter too wide for ``border`` (its
   narrowest seeding gap at least ``2 * border * h``: two pages of a scanned spread) counts
   the lines within half that gap plus ``h`` as bordering it, and is a separator only when
   it looks like a spread's: at least ``SPREAD_LINES`` lines each side, ``SPREAD_SHARE`` of
   the page tall, both edges straight (quartiles of the line ends, and starts, within
   ``SPREAD_EDGE * h``: justified pages; a form's labels and far-off values are ragged and
   stay row by row). The separator then runs from the first to
   the last line where *both* sides have text: where one column ends, the lines below it
   are read after both columns, as a reader (and the XY-cut) would. Only its *own*
   columns count: a line beyond another separator (more than ``column_width * h`` further
   out, over the line's height) is that separator's -- a newspaper's next column, a
   sidebar, a story under a picture beside the gutter do not stretch it. Two refinements: the
   right column begins at its first line that *starts* at the gutter (within ``border *
   h``) or at lines less than ``heading * h`` above that one (the column's own heading,
   centred or ranged right), so a page header at the right margin (a logo, an analyst's
   name, a rating) beside the top of the left column is read row by row before both columns
   instead of after the left one; and the separator runs on past the shorter column's end
   through lines that follow at line spacing (a vertical gap of at most ``follow * h``, or
   ``follow * 2 * leading`` when that is wider -- the leading: the page's median white
   between a line and the next below it; CJK type is set with most of a character's
   height of it -- less than a paragraph break), so the last lines of the longer column
   are not cut off and read after the other. A table's columns of figures, a receipt's
   prices, are narrower: they make no separator, so tables and receipts keep being read
   row by row.
2. **Line precedence.**  Line ``a`` comes before line ``b`` when
   (i) ``a`` is above ``b`` and they overlap horizontally (one column, top to bottom),
   (ii) a column separator has ``a`` on its left and ``b`` on its right over its height
   (the left column before the right one), or
   (iii) they share a text row (vertical overlap of at least ``same_row`` of the lower
   line, middles within its height) and ``a`` is to the left.
   A heading or caption spanning the columns overlaps lines of both, so rule (i) puts it
   after everything above it and before everything below it: each band of columns between
   two spanning lines is read column by column.
3. **Topological sort** of that relation (Kahn), taking among the lines free to come next
   the highest one (then the leftmost); a cycle (boxes overlapping oddly) is broken at the
   line with fewest unmet predecessors, so every line is placed exactly once.

Blocks and rows, in the order found: a line starts a new *block* when a separator lies
between it and the previous line, when it does not overlap the current block horizontally,
when one of the two contains the other horizontally and crosses the position of a column
separator (found anywhere on the page) that the other does not (a heading or caption over
the columns), or when it is more than ``block_gap * h`` below the block; it continues the
previous line's *row* when both share a text row and no separator lies between them (a
line the detector split, a receipt's item and price, a table row).

Everything is pairwise over the lines of a page (``n x n`` boolean arrays; separators are
``candidates x n``), so a page costs a few numpy passes and one loop of ``n`` steps for the
sort.  Pages (``groups``) are ordered one after the other.
"""

from __future__ import annotations

import numpy as np

from ._segments import group_median
from .errors import GeometryError
from .order import ReadingOrder, _groups, as_boxes, deskewed

__all__ = ["Separators", "column_order", "separators"]


class Separators:
    """Column separators of one page: ``x`` (the middle of each), ``top`` and ``bottom``
    (its vertical extent) and ``opening`` (how far a line may reach past ``x`` and still be
    on its side: 0, or half the gutter for a separator that passes a line poking into its
    gutter), as float arrays of one value per separator."""

    __slots__ = ("bottom", "opening", "top", "x")

    def __init__(self, x: np.ndarray, top: np.ndarray, bottom: np.ndarray,
                 opening: np.ndarray | None = None) -> None:
        self.x, self.top, self.bottom = x, top, bottom
        self.opening = np.zeros_like(x) if opening is None else opening

    def __len__(self) -> int:
        return int(self.x.size)

    def between(self, box: np.ndarray) -> np.ndarray:
        """``out[a, b]``: some separator has line ``a`` on its left and ``b`` on its right,
        both centred within its height."""
        if not len(self):
            return np.zeros((box.shape[0], box.shape[0]), dtype=bool)
        cy = (box[:, 1] + box[:, 3]) / 2
        inside = (cy[None, :] >= self.top[:, None]) & (cy[None, :] <= self.bottom[:, None])
        x, opening = self.x[:, None], self.opening[:, None]
        left = inside & (box[None, :, 2] <= x + opening) & (box[None, :, 0] < x - opening)
        right = inside & (box[None, :, 0] >= x - opening) & (box[None, :, 2] > x + opening)
        # a float matmul (BLAS) counts the separators with a on the left and b on the
        # right; an integer one has no BLAS and took seconds on a page of 1,000 lines
        together: np.ndarray = (left.T.astype(np.float32) @ right.astype(np.float32)) > 0
        return together


ROW_RATIO = 4.0  # boxes of one text row: the taller at most this many times the other's height


def _same_row(box: np.ndarray, same_row: float) -> np.ndarray:
    """``out[a, b]``: boxes ``a`` and ``b`` share a text row -- they overlap vertically by
    ``same_row`` of the lower one's height and their middles are within that height (a box
    more than three times as tall as the other spans several rows: a detector's box over
    two rows of a table would otherwise join the rows above and below it into one) -- and
    neither is more than ``ROW_RATIO`` times as tall as the other (a vertical title beside a
    column is no part of the line level with its middle)."""
    top, bottom = box[:, 1], box[:, 3]
    height = np.maximum(bottom - top, 1)
    overlap = np.minimum(bottom[:, None], bottom[None, :]) - np.maximum(top[:, None],
                                                                        top[None, :])
    lower = np.minimum(height[:, None], height[None, :])
    middle = (top + bottom) / 2
    taller = np.maximum(height[:, None], height[None, :])
    shared: np.ndarray = (overlap >= same_row * lower) \
        & (np.abs(middle[:, None] - middle[None, :]) <= lower) & (taller <= ROW_RATIO * lower)
    return shared


def _masked_quartile(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per row, the (lower) upper quartile of ``values`` where ``mask``; 0 for an empty
    row."""
    ranked = np.sort(np.where(mask, values, np.inf), axis=1)
    count = mask.sum(axis=1)
    middle = np.maximum(3 * (count - 1) // 4, 0)
    picked = np.take_along_axis(ranked, middle[:, None], axis=1)[:, 0]
    return np.where(count > 0, picked, 0.0)


LEADING_UNIT = 2.0  # ``follow`` counts in h, or in this many of the page's leadings
BAND_MARGIN = 0.5  # pixels: a band stays this far inside a narrow gutter's seed lines
SPREAD_LINES = 8  # a spread's gutter: at least this many lines on each side,
SPREAD_SHARE = 0.6  # at least this share of the page's height tall,
SPREAD_EDGE = 1.0  # and its edges' quartiles of ends (starts) within this many h


def separators(box: np.ndarray, unit: float, *, gutter: float = 0.4,
               gutter_rows: float = 2.0, column_width: float = 8.0,
               same_row: float = 0.5, border: float = 4.0,
               aligned_rows: float = 0.15, follow: float = 0.75,
               numbers: float = 1.5, heading: float = 3.0) -> Separators:
    """The column separators of one page's boxes (``(n, 4)``, float), ``unit`` the line
    height; see the module docstring (step 1)."""
    n = box.shape[0]
    empty = Separators(np.zeros(0), np.zeros(0), np.zeros(0))
    if n < 4:
        return empty
    left, top, right, bottom = box.T
    row = _same_row(box, same_row)
    gap = left[None, :] - right[:, None]  # gap[i, j]: from the right of i to the left of j
    # each line seeds with its nearest neighbour to the right on its row (a farther one has
    # that neighbour in its gap, which blocks the band anyway)
    ahead = np.where(row & (gap >= 0) & (left[None, :] > left[:, None]), gap, np.inf)
    nearest = np.argmin(ahead, axis=1)
    seed_i = np.flatnonzero(ahead[np.arange(n), nearest] >= gutter * unit)
    seed_i = seed_i[np.isfinite(ahead[seed_i, nearest[seed_i]])]
    seed_j = nearest[seed_i]
    if seed_i.size == 0:
        return empty
    half = unit / 4
    mid = (right[seed_i] + left[seed_j]) / 2
    # one candidate per band position and row: many pairs seed the same band
    seed_top = np.minimum(top[seed_i], top[seed_j])
    seed_bottom = np.maximum(bottom[seed_i], bottom[seed_j])
    key = np.stack([np.round(mid / half), np.round(seed_top / half)], axis=1)
    _, first, which = np.unique(key, axis=0, return_index=True, return_inverse=True)
    opening = (left[seed_j] - right[seed_i])[first] / 2  # half the gutter's width
    # half the narrowest seeding gap of each band: a wide gutter's (a two-page spread's)
    # lines end far from its middle
    half_gap = np.full(first.size, np.inf)
    np.minimum.at(half_gap, which.reshape(-1), (left[seed_j] - right[seed_i]) / 2)
    mid, seed_top, seed_bottom = mid[first], seed_top[first], seed_bottom[first]
    # the band: ``h/4`` either side of the middle, narrower in a gutter narrower than
    # ``h/2`` (half a character in a CJK newspaper) so that its own seed lines leave it free
    band = np.minimum(half, np.maximum(half_gap - BAND_MARGIN, 0.0))[:, None]
    crosses = (left[None, :] < mid[:, None] + band) & (right[None, :] > mid[:, None] - band)
    centre = (top + bottom) / 2
    seed_centre = (seed_top + seed_bottom) / 2
    above = crosses & (centre[None, :] < seed_centre[:, None])
    below = crosses & (centre[None, :] >= seed_centre[:, None])
    blocked = (crosses & (bottom[None, :] > seed_top[:, None])
               & (top[None, :] < seed_bottom[:, None])).any(axis=1)
    floor, ceiling = float(top.min()), float(bottom.max())
    band_top = np.where(above, bottom[None, :], floor).max(axis=1)
    band_bottom = np.where(below, top[None, :], ceiling).min(axis=1)
    tall = (band_bottom - band_top >= gutter_rows * unit) & ~blocked
    inside = (centre[None, :] > band_top[:, None]) & (centre[None, :] < band_bottom[:, None])
    width = (right - left)[None, :]
    spread = half_gap >= border * unit
    reach = np.where(spread, half_gap + unit, border * unit)[:, None]  # lines ending
    # (starting) this close to the band's middle border it
    on_left = inside & (right[None, :] <= mid[:, None]) & (right[None, :] >= mid[:, None] - reach)
    on_right = inside & (left[None, :] >= mid[:, None]) & (left[None, :] <= mid[:, None] + reach)
    wide = column_width * unit
    ok = tall & (on_left.sum(axis=1) >= 2) & (on_right.sum(axis=1) >= 2)
    widths = np.broadcast_to(width, on_left.shape)
    ok &= _masked_quartile(widths, on_right) >= wide
    # a gutter beyond the usual reach is a spread's: long, with many lines either side, and
    # both its edges straight (justified text ends, and starts, at one x)
    wide_gap = np.flatnonzero(spread & ok)
    if wide_gap.size:
        edges = np.concatenate([np.where(on_left[wide_gap], right[None, :], np.nan),
                                np.where(on_right[wide_gap], left[None, :], np.nan)])
        with np.errstate(all="ignore"):
            low, high = np.nanpercentile(edges, [25, 75], axis=1)
        straight = np.nan_to_num(high - low, nan=np.inf) <= SPREAD_EDGE * unit
        ok[wide_gap] = ((on_left[wide_gap].sum(axis=1) >= SPREAD_LINES)
                        & (on_right[wide_gap].sum(axis=1) >= SPREAD_LINES)
                        & (band_bottom - band_top >= SPREAD_SHARE * (ceiling - floor))[wide_gap]
                        & straight[:wide_gap.size] & straight[wide_gap.size:])
    # narrow lines on the left (figures) are a column of their own when the text on the
    # right does not follow their rows; a table's last, wide column does
    narrow_left = np.flatnonzero(ok & (_masked_quartile(widths, on_left) < wide))
    if narrow_left.size:
        centre_y = (top + bottom) / 2
        aligned = np.abs(centre_y[:, None] - centre_y[None, :]) <= aligned_rows * unit
        row_mates = (on_left[narrow_left].astype(np.float32)
                     @ aligned.astype(np.float32)) > 0
        followed = (row_mates & on_right[narrow_left]).sum(axis=1)
        # ... and so are line numbers (a deposition's, a listing's): lines no wider than
        # ``numbers * h`` standing at least ``h`` from the text they number
        distance = (np.where(on_right[narrow_left], left[None, :], np.inf).min(axis=1)
                    - np.where(on_left[narrow_left], right[None, :], -np.inf).max(axis=1))
        numbered = (_masked_quartile(widths[narrow_left], on_left[narrow_left])
                    <= numbers * unit) & (distance >= unit)
        ok[narrow_left] = (followed <= on_right[narrow_left].sum(axis=1) / 2) | numbered
    # a separator runs only where both of its columns have text: where one column ends,
    # the lines below are read after both (as a reader, and the XY-cut, does); the right
    # column begins at its first line that starts at the gutter, or at its heading just
    # above that line -- lines further up (a page header at the right margin beside the
    # left column's top) are read row by row before both columns
    left_side = inside & (right[None, :] <= mid[:, None])
    right_side = inside & (left[None, :] >= mid[:, None])
    right_first = np.where(right_side, top[None, :], np.inf).min(axis=1)
    right_at_gutter = np.where(on_right, top[None, :], np.inf).min(axis=1)
    right_first = np.where(right_at_gutter > right_first + heading * unit, right_at_gutter,
                           right_first)
    first = np.maximum(np.where(left_side, top[None, :], np.inf).min(axis=1), right_first)
    # ... down to where the shorter of its *own* two columns ends: a line beyond another
    # separator (over the line's height, more than a column's width further out) belongs
    # to the columns that one separates -- the next column of a newspaper, a sidebar, a
    # story below a picture may run on beside this gutter, but are not what it separates
    candidate = np.flatnonzero(ok)
    farther_left = mid[candidate][None, :] < mid[:, None] - wide
    farther_right = mid[candidate][None, :] > mid[:, None] + wide
    own_left = left_side & ~((farther_left.astype(np.float32)
                              @ left_side[candidate].astype(np.float32)) > 0)
    own_right = right_side & ~((farther_right.astype(np.float32)
                                @ right_side[candidate].astype(np.float32)) > 0)
    last = np.minimum(np.where(own_left, bottom[None, :], -np.inf).max(axis=1),
                      np.where(own_right, bottom[None, :], -np.inf).max(axis=1))
    # ... and runs on past the shorter column's end through the lines that follow at line
    # spacing (not a paragraph break): the last lines of the longer column
    # (``follow`` of ``h``, or of ``LEADING_UNIT`` of the page's own leading when that is
    # wider: CJK type is set with a leading of most of a character, Latin with a fifth)
    step = follow * max(unit, LEADING_UNIT * _leading(box, unit))
    last = _followed(own_left | own_right, top, bottom, first, last, step)
    ok &= last - first >= gutter_rows * unit
    # many seeds find the same separator: one of each, joined over a line poking in
    unique = _joined_over_pokes(np.stack([mid[ok], first[ok], last[ok], opening[ok]], axis=1),
                                box, unit)
    return Separators(unique[:, 0], unique[:, 1], unique[:, 2], unique[:, 3])


def _leading(box: np.ndarray, unit: float) -> float:
    """The page's leading: the median white between a line and the next line below it that
    covers half of the narrower of the two (within ``2 h``, overlaps up to ``h/4`` counting
    as 0); 0 when no line has one."""
    left, top, right, bottom = box.T
    overlap = np.minimum(right[:, None], right[None, :]) - np.maximum(left[:, None],
                                                                      left[None, :])
    narrower = np.minimum((right - left)[:, None], (right - left)[None, :])
    gap = top[None, :] - bottom[:, None]
    below = (overlap >= narrower / 2) & (gap >= -unit / 4) & (gap < 2 * unit)
    nearest = np.where(below, gap, np.inf).min(axis=1)
    found = nearest[np.isfinite(nearest)]
    return float(max(np.median(found), 0.0)) if found.size else 0.0


def _joined_over_pokes(found: np.ndarray, box: np.ndarray, unit: float) -> np.ndarray:
    """Separators as rows of ``x, top, bottom, opening``: those ``found`` (rows of x, top,
    bottom and half the gutter's width at their seed) with opening 0, plus, for every two of
    them one above the other at the same gutter (within ``h/2``, at most ``3 h`` apart) with
    exactly one line between them that pokes into the gutter without bridging it (white is
    left on one side of it), the separator running over both, with the seed's half width as
    its opening, instead of the two: the poking line counts as on the side it comes from."""
    _, one = np.unique(found[:, :3], axis=0, return_index=True)  # seeds of one separator
    x, top, bottom, opening = found[np.sort(one)].T
    plain = np.column_stack([x, top, bottom, np.zeros_like(x)])
    upper, lower = np.nonzero((np.abs(x[:, None] - x[None, :]) <= unit / 2)
                              & (top[None, :] > bottom[:, None])
                              & (top[None, :] - bottom[:, None] <= 3 * unit))
    joined: list[tuple[float, float, float, float]] = []
    passed = np.zeros(x.size, dtype=bool)  # the pieces a joined separator replaces
    for a, b in zip(upper.tolist(), lower.tolist(), strict=True):
        at, gap = float(x[a]), float(opening[a])
        between = ((box[:, 1] < top[b]) & (box[:, 3] > bottom[a])
                   & (box[:, 0] < at + unit / 4) & (box[:, 2] > at - unit / 4))
        if int(between.sum()) != 1:
            continue
        poke = box[between][0]
        if poke[0] <= at - gap and poke[2] >= at + gap:
            continue  # it bridges the gutter: a heading over both columns
        joined.append((at, float(top[a]), float(bottom[b]), gap))
        passed[[a, b]] = True
    rows = np.concatenate([plain[~passed], np.array(joined)]) if joined else plain
    return _merged_overlapping(np.unique(rows, axis=0), unit)


def _merged_overlapping(rows: np.ndarray, unit: float) -> np.ndarray:
    """Separators (rows of ``x, top, bottom, opening``) at one gutter (``x`` within ``h/2``
    of the gutter's leftmost) whose extents overlap, as one over their union (at the
    leftmost ``x``, with the widest opening): a narrow gutter (half a character in a CJK
    newspaper) is seeded on some rows only, and each seed's band stops at a different line
    poking into it -- pieces that, apart, leave the lines where only one of them runs free
    to be read across the gutter."""
    if rows.shape[0] < 2:
        return rows
    rows = rows[np.argsort(rows[:, 0], kind="stable")]
    gutter = np.zeros(rows.shape[0], dtype=np.int64)  # within h/2 of its gutter's first x
    start, number = float(rows[0, 0]), 0
    for k, x in enumerate(rows[:, 0].tolist()):
        if x - start > unit / 2:
            start, number = x, number + 1
        gutter[k] = number
    merged: list[list[float]] = []
    for g in np.unique(gutter).tolist():
        pieces = rows[gutter == g]
        pieces = pieces[np.argsort(pieces[:, 1], kind="stable")]
        current = pieces[0].tolist()
        for piece in pieces[1:].tolist():
            if piece[1] <= current[2]:  # overlaps (or touches) the union so far
                current = [current[0], current[1], max(current[2], piece[2]),
                           max(current[3], piece[3])]
            else:
                merged.append(current)
                current = piece
        merged.append(current)
    distinct: np.ndarray = np.unique(np.array(merged).reshape(-1, 4), axis=0)
    return distinct


def _followed(side: np.ndarray, top: np.ndarray, bottom: np.ndarray, first: np.ndarray,
              last: np.ndarray, step: float) -> np.ndarray:
    """Per candidate, ``last`` carried down through the lines of ``side`` (below ``first``)
    whose top is at most ``step`` below the lowest bottom reached so far: a walk down the
    lines in order of their tops, stopping at the first gap wider than ``step``."""
    by_top = np.argsort(top, kind="stable")
    member = side[:, by_top] & (top[by_top][None, :] > first[:, None])
    below = np.where(member, bottom[by_top][None, :], -np.inf)
    reach = np.maximum(last[:, None], np.maximum.accumulate(below, axis=1))
    before = np.concatenate([last[:, None], reach[:, :-1]], axis=1)  # reach before each line
    gap = member & (top[by_top][None, :] > before + step)
    stop = gap.argmax(axis=1)  # the first such gap (0 when there is none: see below)
    ended: np.ndarray = np.where(gap.any(axis=1), before[np.arange(stop.size), stop],
                                 reach[:, -1])
    return ended


def _spans(a: np.ndarray, b: np.ndarray, found: Separators) -> bool:
    """One of two boxes contains the other horizontally and crosses a column separator's
    position the other does not reach (a heading or caption over the columns); a line that
    only pokes into a gutter its separator passes (:func:`_joined_over_pokes`) does not."""
    wide, narrow = (a, b) if a[2] - a[0] >= b[2] - b[0] else (b, a)
    low, high = found.x - found.opening, found.x + found.opening
    crossed = (wide[0] < low) & (wide[2] > high) & ~((narrow[0] < low) & (narrow[2] > high))
    return bool(wide[0] <= narrow[0] and wide[2] >= narrow[2] and crossed.any())


def _page_order(box: np.ndarray, unit: float, *, gutter: float, gutter_rows: float,
                column_width: float, same_row: float, block_gap: float,
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """``(order, block, row, columns)`` of one page, block and row numbered from 0."""
    n = box.shape[0]
    left, top, right, bottom = box.T
    found = separators(box, unit, gutter=gutter, gutter_rows=gutter_rows,
                       column_width=column_width, same_row=same_row)
    apart = found.between(box)
    row = _same_row(box, same_row)
    centre_y, centre_x = (top + bottom) / 2, (left + right) / 2
    overlap_x = (np.minimum(right[:, None], right[None, :])
                 - np.maximum(left[:, None], left[None, :])) > 0
    before = ((overlap_x & ~row & (centre_y[:, None] < centre_y[None, :])) | apart
              | (row & (centre_x[:, None] < centre_x[None, :])))
    np.fill_diagonal(before, False)
    waiting = before.sum(axis=0).astype(np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((left, centre_y))] = np.arange(n)
    placed = np.zeros(n, dtype=bool)
    order = np.empty(n, dtype=np.int64)
    big = np.iinfo(np.int64).max
    for step in range(n):
        free = ~placed & (waiting == 0)
        if free.any():
            pick = int(np.argmin(np.where(free, rank, big)))
        else:  # a cycle: the line with fewest unmet predecessors, highest first
            pick = int(np.argmin(np.where(placed, big, waiting * (n + 1) + rank)))
        order[step] = pick
        placed[pick] = True
        waiting -= before[pick]
    block = np.zeros(n, dtype=np.int64)
    row_of = np.zeros(n, dtype=np.int64)
    block_id = row_id = 0
    span = box[order[0]].astype(np.float64).copy() if n else np.zeros(4)
    for previous, current in zip(order[:-1].tolist(), order[1:].tolist(), strict=True):
        beside = left[current] >= span[2] or right[current] <= span[0]
        spanning = _spans(box[previous], box[current], found)
        new_block = bool(apart[previous, current]
                         or ((beside or spanning) and not row[previous, current])
                         or top[current] - span[3] > block_gap * unit)
        if new_block:
            block_id += 1
            span = box[current].astype(np.float64).copy()
        else:
            span = np.array([min(span[0], left[current]), min(span[1], top[current]),
                             max(span[2], right[current]), max(span[3], bottom[current])])
        if new_block or not row[previous, current] or apart[previous, current]:
            row_id += 1
        block[current], row_of[current] = block_id, row_id
    columns = 1
    if len(found):
        for y in np.unique(centre_y).tolist():
            xs = np.sort(found.x[(found.top <= y) & (found.bottom >= y)])
            if xs.size:
                # separators closer than a column's width are one gutter seen from two rows
                columns = max(columns, 2 + int(np.sum(np.diff(xs) > column_width * unit)))
    return order, block, row_of, columns


def column_order(
    boxes: object,
    groups: object = None,
    *,
    skew: object = None,
    gutter: float = 0.4,
    gutter_rows: float = 2.0,
    column_width: float = 8.0,
    same_row: float = 0.5,
    block_gap: float = 1.0,
) -> ReadingOrder:
    """Reading order, blocks, rows and columns of ``boxes`` (``(n, 4)``: left, top, right,
    bottom) by whitespace column separators and line precedence (see the module docstring).

    Same arguments and result as :func:`~lingyun.geometry.order.reading_order`: ``groups``
    keeps pages apart (each ordered on its own, in increasing order), ``skew`` (degrees, one
    or one per group) turns the boxes back first; thresholds are in units of the group's
    median box height.  ``order`` is a permutation; ``block`` and ``row`` are numbered in
    reading order across the whole input.
    """
    box = as_boxes(boxes)
    n = box.shape[0]
    group, group_count = _groups(groups, n)
    if skew is not None:
        try:
            given = np.asarray(skew, dtype=np.float64)
        except (TypeError, ValueError):
            given = np.full(group_count + 1, np.nan)  # reported just below
        angles = np.broadcast_to(given, (group_count,)) \
            if given.ndim == 0 or given.size == group_count else None
        if angles is None or not np.all(np.abs(angles) < 45):
            raise GeometryError(f"skew: expected one angle or {group_count} angles, each "
                                f"between -45 and 45 degrees, got {skew!r}")
        box = deskewed(box, angles[group])
    unit = np.maximum(group_median(group, box[:, 3] - box[:, 1], group_count), 1.0)
    order = np.empty(n, dtype=np.int64)
    block = np.zeros(n, dtype=np.int64)
    row = np.zeros(n, dtype=np.int64)
    columns = np.zeros(group_count, dtype=np.int64)
    done = blocks = rows = 0
    for g in range(group_count):
        members = np.flatnonzero(group == g)
        if members.size == 0:
            continue
        page_order, page_block, page_row, page_columns = _page_order(
            box[members].astype(np.float64), float(unit[g]), gutter=gutter,
            gutter_rows=gutter_rows, column_width=column_width, same_row=same_row,
            block_gap=block_gap)
        order[done:done + members.size] = members[page_order]
        block[members] = page_block + blocks
        row[members] = page_row + rows
        blocks += int(page_block.max()) + 1
        rows += int(page_row.max()) + 1
        done += members.size
        columns[g] = page_columns
    return ReadingOrder(order=order, block=block, row=row, columns=columns)
