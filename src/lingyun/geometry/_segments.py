"""Segmented reductions: per-group results over flat arrays, without a Python loop per group.

Every geometry function works on flat arrays (all glyphs, all lines, all pages) and a group
index per element (its line, its page, its XY-cut segment).  These helpers compute per-group
sums, medians and "previous element of the same group" in one numpy pass each.
"""

from __future__ import annotations

import numpy as np

__all__ = ["group_median", "group_quantile", "group_sum", "previous_in_group", "running_max",
           "sorted_reduce"]


def group_sum(group: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """``out[g] = sum(values[group == g])`` for ``g`` in ``0..size-1`` (float64)."""
    return np.bincount(group, weights=np.asarray(values, dtype=np.float64), minlength=size)


def group_median(group: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """``out[g] = median(values[group == g])``; NaN for a group with no element."""
    return group_quantile(group, values, size, 0.5)


def group_quantile(group: np.ndarray, values: np.ndarray, size: int, q: float,
                   method: str = "linear") -> np.ndarray:
    """``out[g]``: the ``q`` quantile of ``values[group == g]``; NaN for an empty group.

    One lexsort by ``(group, value)``; with ``n`` elements in a group, the quantile is at
    rank ``q (n-1)``, interpolated between its neighbours (``method="linear"``, numpy's
    default; for ``q = 0.5`` the mean of the two middle elements) or the element at the rank
    rounded down (``"lower"``: always one of the values).
    """
    out = np.full(size, np.nan)
    if group.size == 0:
        return out
    values = np.asarray(values, dtype=np.float64)
    order = np.lexsort((values, group))
    counts = np.bincount(group, minlength=size)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    present = counts > 0
    rank = q * (counts[present] - 1)
    if method == "lower":
        rank = np.floor(rank)
    elif method != "linear":
        raise ValueError(f"method: 'linear' or 'lower', not {method!r}")
    low = starts[present] + np.floor(rank).astype(np.int64)
    high = starts[present] + np.ceil(rank).astype(np.int64)
    ranked = values[order]
    out[present] = ranked[low] + (rank - np.floor(rank)) * (ranked[high] - ranked[low])
    return out


def previous_in_group(group: np.ndarray) -> np.ndarray:
    """For elements stored group by group: the index of the previous element of the same
    group, -1 for the first of each group."""
    previous = np.arange(group.size) - 1
    if group.size:
        previous[0] = -1
        previous[1:][group[1:] != group[:-1]] = -1
    return previous


def running_max(group: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Cumulative maximum of ``values`` restarting at each group (``group`` sorted ascending).

    Offsetting each group by ``group * span`` (``span`` larger than the value range) makes
    one global ``np.maximum.accumulate`` never carry a maximum across a group boundary.
    """
    if values.size == 0:
        return values.astype(np.int64)
    values = values.astype(np.int64)
    low = int(values.min())
    span = int(values.max()) - low + 1
    shifted = group.astype(np.int64) * span + (values - low)
    return np.maximum.accumulate(shifted) - group.astype(np.int64) * span + low


def sorted_reduce(ufunc: np.ufunc, group: np.ndarray, values: np.ndarray, size: int,
                  empty: float) -> np.ndarray:
    """``out[g] = ufunc.reduce(values[group == g])`` for elements stored group by group
    (``group`` non-decreasing); ``empty`` for a group without elements.  One ``reduceat``
    over the contiguous runs -- much faster than ``ufunc.at``."""
    out = np.full(size, empty, dtype=np.result_type(values, type(empty)))
    if group.size:
        starts = np.flatnonzero(np.concatenate(([True], group[1:] != group[:-1])))
        out[group[starts]] = ufunc.reduceat(values, starts)
    return out
