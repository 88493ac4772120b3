"""Glyph, line and page metrics over the arrays of a :class:`~lingyun.iread.Layout`.

All of a layout's pages at once, one numpy pass per quantity (per-line sums by
``np.bincount`` over ``chars["line"]``).  Image coordinates: ``x`` to the right, ``y``
downwards, pixels.  With ``xc = (left + right) / 2`` a glyph's centre and ``bottom`` its lower
edge:

A line whose text runs down or up the page (vertical CJK writing, a page fed sideways:
:func:`line_ways`) or upside down is measured in its own frame, as if turned so that its text
runs across -- a quarter counter-clockwise for text running down, clockwise for text running
up, half a turn for text upside down: a glyph's
width is then along the text, its height across it, gaps are along the column, and the
baseline of a column running down is its left edge (SPEC §5's ``nBaseLine`` of a vertical
line).  Line boxes stay in the image's coordinates.

Per glyph (:func:`glyph_metrics`)
    ``width = right - left``, ``height = bottom - top``, ``aspect = width / height``;
    ``gap = left - right of the previous glyph in the line`` (NaN for the first);
    ``baseline_offset = bottom - (a + b * xc)``: how far below the line's fitted baseline the
    glyph ends (descenders positive, raised glyphs negative).

Per line (:func:`line_metrics`)
    The baseline is the least-squares line through the glyphs' ``(xc, bottom)``:
    ``b = (n Sxy - Sx Sy) / (n Sxx - Sx^2)``, ``a = (Sy - b Sx) / n`` (``b = 0`` when the line
    has fewer than two distinct centres; ``skew`` is then NaN);
    ``residual = sqrt(mean(baseline_offset^2))``;
    ``skew = degrees(atan(-b))``, counter-clockwise positive as the PAGE node's skew
    (``y`` grows downwards, so a line rising to the right has ``b < 0``);
    ``baseline = a + b * xm`` at the line's horizontal middle ``xm``;
    ``spacing = baseline(next line) - baseline(this line)`` when the next line in stream order
    is in the same region, table cell and page (NaN otherwise);
    ``font_size = max(height)`` over the line's glyphs, in pixels (the tallest glyph spans
    about the type's body; multiply by ``72 / dpi`` for points);
    ``size_cluster``: lines of a page sorted by ``font_size`` start a new cluster where the
    size grows by more than ``cluster_ratio`` (default 1.2) over the previous one; clusters are
    numbered from the smallest size, -1 for a line without glyphs.

Per page (:func:`page_metrics`)
    ``skew``: the pooled baseline slope of all its lines, ``b = sum(Cxy) / sum(Cxx)`` with
    ``Cxy = Sxy - Sx Sy / n`` and ``Cxx = Sxx - Sx^2 / n`` per line (each line keeps its own
    intercept, all share one slope), in degrees as above -- long lines weigh more, as they
    should; ``stream_skew`` is the PAGE node's own value (``nSkewAngle / 100``);
    ``columns`` from :func:`lingyun.geometry.order.reading_order` over the line boxes;
    ``size_clusters`` the number of line size clusters; medians of glyph height and width.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np

from ._segments import group_median, group_sum, sorted_reduce
from .order import reading_order

__all__ = ["ACROSS", "DOWN", "GLYPH", "LINE", "OVER", "PAGE", "UP", "Measures", "glyph_metrics",
           "line_boxes", "line_metrics", "line_ways", "page_documents", "page_metrics"]

GLYPH = np.dtype([("width", "<f8"), ("height", "<f8"), ("aspect", "<f8"), ("gap", "<f8"),
                  ("baseline_offset", "<f8"), ("line", "<i8"), ("page", "<i8"),
                  ("document", "<i8")])
LINE = np.dtype([("chars", "<i8"), ("left", "<i8"), ("top", "<i8"), ("right", "<i8"),
                 ("bottom", "<i8"), ("slope", "<f8"), ("baseline", "<f8"),
                 ("residual", "<f8"), ("skew", "<f8"), ("spacing", "<f8"),
                 ("font_size", "<f8"), ("size_cluster", "<i8"), ("page", "<i8"),
                 ("document", "<i8")])
PAGE = np.dtype([("document", "<i8"), ("width", "<i8"), ("height", "<i8"), ("lines", "<i8"),
                 ("chars", "<i8"), ("skew", "<f8"), ("stream_skew", "<f8"),
                 ("columns", "<i8"), ("size_clusters", "<i8"), ("median_height", "<f8"),
                 ("median_width", "<f8")])

#: Two line sizes more than this ratio apart are in different size clusters.
CLUSTER_RATIO = 1.2


def page_documents(layout: Any) -> np.ndarray:
    """The document (stream) index of each page, from :func:`lingyun.iread.decode_many`."""
    return np.asarray(layout.page_document, dtype=np.int64)


class _Glyphs:
    """The char fields every metric needs, each copied once into a contiguous array, and the
    per-line least-squares sums and fitted baselines (see the module docstring)."""

    def __init__(self, layout: Any) -> None:
        chars, lines = layout.chars, layout.lines
        self.line = chars["line"].astype(np.int64)
        self.page = chars["page"].astype(np.int64)
        self.count = lines.size
        #: the glyph boxes as the image has them (line boxes are reported in these)
        left, top, right, bottom = (chars[f].astype(np.float64)
                                    for f in ("left", "top", "right", "bottom"))
        self.image_box = (left, top, right, bottom)
        #: each line's way (``ACROSS``, ``DOWN``, ``UP``), and the glyph boxes in
        #: their line's own frame, where its text runs across: every metric uses these
        self.way = line_ways(self.line, left, top, right, bottom, self.count)
        self.left, self.top, self.right, self.bottom = _in_line_frame(
            self.image_box, self.way[self.line], layout.pages["width"][self.page],
            layout.pages["height"][self.page])
        x = (self.left + self.right) / 2
        y = self.bottom
        s = {name: group_sum(self.line, v, self.count)
             for name, v in (("x", x), ("y", y), ("xx", x * x), ("xy", x * y))}
        self.n = np.bincount(self.line, minlength=self.count).astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.cxx = s["xx"] - np.where(self.n > 0, s["x"] ** 2 / self.n, 0)
            self.cxy = s["xy"] - np.where(self.n > 0, s["x"] * s["y"] / self.n, 0)
            fitted = self.cxx > 1e-9 * np.maximum(1.0, s["xx"])
            self.slope = np.where(fitted, self.cxy / np.where(fitted, self.cxx, 1), 0.0)
            self.fitted = fitted
            self.intercept = np.where(self.n > 0,
                                      (s["y"] - self.slope * s["x"]) / np.maximum(self.n, 1),
                                      np.nan)
        self.offset = y - (self.intercept[self.line] + self.slope[self.line] * x)

    def gaps(self) -> np.ndarray:
        """``left - right of the previous glyph`` within a line; NaN for a line's first."""
        gap = np.full(self.line.size, np.nan)
        if self.line.size > 1:
            same = self.line[1:] == self.line[:-1]
            gap[1:] = np.where(same, self.left[1:] - self.right[:-1], np.nan)
        return gap

    def boxes(self) -> np.ndarray:
        """``(lines, 4)``: each line's box as the union of its glyph boxes (zeros if none), in
        the image's coordinates."""
        left, top, right, bottom = self.image_box
        out = np.zeros((self.count, 4), dtype=np.int64)
        for column, values, ufunc in ((0, left, np.minimum), (1, top, np.minimum),
                                      (2, right, np.maximum), (3, bottom, np.maximum)):
            out[:, column] = sorted_reduce(ufunc, self.line, values, self.count, 0.0)
        return out

    def middles(self) -> np.ndarray:
        """Each line's middle along its text, in its own frame (NaN without glyphs)."""
        start = sorted_reduce(np.minimum, self.line, self.left, self.count, np.nan)
        end = sorted_reduce(np.maximum, self.line, self.right, self.count, np.nan)
        middle: np.ndarray = (start + end) / 2
        return middle


#: A line's way: its text runs across (the usual), down or up the page, or across upside
#: down (over).
ACROSS, DOWN, UP, OVER = 0, 1, 2, 3


def line_ways(line: np.ndarray, left: np.ndarray, top: np.ndarray, right: np.ndarray,
              bottom: np.ndarray, count: int) -> np.ndarray:
    """Per line, ``ACROSS``, ``DOWN``, ``UP`` or ``OVER``: a line of at least two glyphs
    whose last glyph's centre lies more than twice as far from its first's vertically as
    horizontally runs down or up (a column of vertical CJK writing, a line of a page fed
    sideways); one whose last glyph lies left of its first, more than twice as far across
    as up or down, runs over (a page fed upside down); any other runs across.  ``line``
    (the glyphs' line indices) is in stream order, each line's glyphs together."""
    way = np.zeros(count, dtype=np.int64)
    if line.size == 0:
        return way
    starts = np.flatnonzero(np.r_[True, line[1:] != line[:-1]])
    ends = np.r_[starts[1:], line.size] - 1
    xc, yc = (left + right) / 2, (top + bottom) / 2
    dx, dy = xc[ends] - xc[starts], yc[ends] - yc[starts]
    several = ends > starts
    column = several & (np.abs(dy) > 2 * np.abs(dx))
    over = several & (dx < 0) & (-dx > 2 * np.abs(dy))
    way[line[starts]] = np.select([column & (dy > 0), column, over], [DOWN, UP, OVER], ACROSS)
    return way


Boxes = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _in_line_frame(box: Boxes, way: np.ndarray, width: np.ndarray,
                   height: np.ndarray) -> Boxes:
    """Glyph boxes turned into their line's frame: a line running down turned a quarter
    counter-clockwise (``(x, y) -> (y, width - x)``), one running up a quarter clockwise
    (``(x, y) -> (height - y, x)``), one running over half a turn (``(x, y) -> (width - x,
    height - y)``); a line running across as it is."""
    left, top, right, bottom = box
    width, height = width.astype(np.float64), height.astype(np.float64)
    ways = [way == DOWN, way == UP, way == OVER]
    return (np.select(ways, [top, height - bottom, width - right], left),
            np.select(ways, [width - right, left, height - bottom], top),
            np.select(ways, [bottom, height - top, width - left], right),
            np.select(ways, [width - left, right, height - top], bottom))


class Measures:
    """Glyph, line and page records of one layout, sharing one pass over its glyphs.

    ``glyphs``, ``lines`` and ``pages`` are computed on first use; use this class rather than
    the three functions when you want more than one of them.
    """

    def __init__(self, layout: Any, *, cluster_ratio: float = CLUSTER_RATIO) -> None:
        self.layout = layout
        self.cluster_ratio = cluster_ratio

    @cached_property
    def _glyphs(self) -> _Glyphs:
        return _Glyphs(self.layout)

    @cached_property
    def glyphs(self) -> np.ndarray:
        """One :data:`GLYPH` record per character."""
        g = self._glyphs
        out = np.zeros(g.line.size, dtype=GLYPH)
        out["width"] = g.right - g.left
        out["height"] = g.bottom - g.top
        with np.errstate(invalid="ignore", divide="ignore"):
            out["aspect"] = np.where(out["height"] > 0, out["width"] / out["height"], np.nan)
        out["gap"] = g.gaps()
        out["baseline_offset"] = g.offset
        out["line"] = g.line
        out["page"] = g.page
        out["document"] = page_documents(self.layout)[g.page] if g.page.size else 0
        return out

    @cached_property
    def lines(self) -> np.ndarray:
        """One :data:`LINE` record per line."""
        return _line_records(self.layout, self._glyphs, self.cluster_ratio)

    @cached_property
    def pages(self) -> np.ndarray:
        """One :data:`PAGE` record per page."""
        return _page_records(self.layout, self._glyphs, self.lines)


def glyph_metrics(layout: Any) -> np.ndarray:
    """One :data:`GLYPH` record per character of ``layout`` (formulas: module docstring)."""
    return Measures(layout).glyphs


def line_boxes(layout: Any) -> np.ndarray:
    """``(lines, 4)``: each line's box as the union of its glyph boxes (zeros if none)."""
    return _Glyphs(layout).boxes()


def _size_clusters(page: np.ndarray, size: np.ndarray, ratio: float) -> np.ndarray:
    cluster = np.full(size.size, -1, dtype=np.int64)
    valid = np.flatnonzero(~np.isnan(size) & (size > 0))
    if valid.size == 0:
        return cluster
    order = valid[np.lexsort((size[valid], page[valid]))]
    p, s = page[order], size[order]
    new_page = np.ones(order.size, dtype=bool)
    new_page[1:] = p[1:] != p[:-1]
    jump = np.zeros(order.size, dtype=bool)
    jump[1:] = s[1:] > ratio * s[:-1]
    step = np.cumsum(jump & ~new_page)
    cluster[order] = step - step[np.flatnonzero(new_page)][np.cumsum(new_page) - 1]
    return cluster


def line_metrics(layout: Any, *, cluster_ratio: float = CLUSTER_RATIO) -> np.ndarray:
    """One :data:`LINE` record per line of ``layout`` (formulas: module docstring)."""
    return Measures(layout, cluster_ratio=cluster_ratio).lines


def page_metrics(layout: Any) -> np.ndarray:
    """One :data:`PAGE` record per page of ``layout`` (formulas: module docstring)."""
    return Measures(layout).pages


def _line_records(layout: Any, g: _Glyphs, cluster_ratio: float) -> np.ndarray:
    lines = layout.lines
    out = np.zeros(lines.size, dtype=LINE)
    box = g.boxes()
    out["left"], out["top"], out["right"], out["bottom"] = box.T
    out["chars"] = g.n.astype(np.int64)
    out["slope"] = g.slope
    out["baseline"] = g.intercept + g.slope * g.middles()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["residual"] = np.sqrt(group_sum(g.line, g.offset ** 2, g.count) / g.n)
    out["skew"] = np.where(g.fitted, np.degrees(np.arctan(-g.slope)), np.nan)
    spacing = np.full(lines.size, np.nan)
    if lines.size > 1:
        same = ((lines["region"][1:] == lines["region"][:-1])
                & (lines["cell"][1:] == lines["cell"][:-1])
                & (lines["page"][1:] == lines["page"][:-1]))
        spacing[:-1] = np.where(same, out["baseline"][1:] - out["baseline"][:-1], np.nan)
    out["spacing"] = spacing
    size = sorted_reduce(np.maximum, g.line, g.bottom - g.top, g.count, np.nan)
    out["font_size"] = size
    page = lines["page"].astype(np.int64)
    out["page"] = page
    out["size_cluster"] = _size_clusters(page, size, cluster_ratio)
    out["document"] = page_documents(layout)[page] if lines.size else 0
    return out


def _page_records(layout: Any, g: _Glyphs, per_line: np.ndarray) -> np.ndarray:
    pages = layout.pages
    count = pages.size
    page_of_line = per_line["page"]
    out = np.zeros(count, dtype=PAGE)
    out["document"] = page_documents(layout)
    out["width"], out["height"] = pages["width"], pages["height"]
    out["stream_skew"] = pages["skew"] / 100.0
    out["lines"] = np.bincount(page_of_line, minlength=count)
    out["chars"] = np.bincount(g.page, minlength=count)
    with np.errstate(invalid="ignore", divide="ignore"):
        cxy = group_sum(page_of_line, np.where(g.fitted, g.cxy, 0), count)
        cxx = group_sum(page_of_line, np.where(g.fitted, g.cxx, 0), count)
        out["skew"] = np.where(cxx > 0, np.degrees(np.arctan(-cxy / np.where(cxx > 0, cxx, 1))),
                               np.nan)
    has_chars = per_line["chars"] > 0
    boxes = np.stack([per_line[f][has_chars] for f in ("left", "top", "right", "bottom")], -1)
    columns = reading_order(boxes, page_of_line[has_chars]).columns
    out["columns"][:columns.size] = columns
    clusters = np.zeros(count, dtype=np.int64)
    np.maximum.at(clusters, page_of_line, per_line["size_cluster"] + 1)
    out["size_clusters"] = clusters
    out["median_height"] = group_median(g.page, g.bottom - g.top, count)
    out["median_width"] = group_median(g.page, g.right - g.left, count)
    return out
