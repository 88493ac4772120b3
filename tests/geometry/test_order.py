"""Reading order by XY-cut: known columns, blocks and rows; permutations of the input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingyun.geometry import GeometryError, block_boxes, reading_order


def magazine(columns: int = 3, lines: int = 6, *, title: bool = True) -> np.ndarray:
    """A title across the page, then ``columns`` columns of ``lines`` lines, baselines
    aligned across columns (the case that interleaves when sorting by y)."""
    boxes = [(40, 20, 40 + columns * 400 - 40, 60)] if title else []
    for column in range(columns):
        x = 40 + column * 400
        boxes += [(x, 100 + i * 30, x + 360 - (i % 3) * 40, 122 + i * 30) for i in range(lines)]
    return np.array(boxes)


def test_columns_are_read_one_after_the_other_below_a_title():
    boxes = magazine(3, 6)
    result = reading_order(boxes)
    assert result.order.tolist() == list(range(len(boxes)))
    assert result.block.tolist() == [0] + [1] * 6 + [2] * 6 + [3] * 6
    assert result.columns.tolist() == [3]
    assert block_boxes(boxes, result.block)[1].tolist() == [40, 100, 400, 272]


def test_a_receipt_is_read_row_by_row_with_name_and_price_together():
    rows = [[(30, 40 + 37 * i, 150 + 10 * (i % 4), 62 + 37 * i), (420, 40 + 37 * i, 470,
                                                                     62 + 37 * i)]
            for i in range(8)]
    boxes = np.array([box for row in rows for box in row])
    result = reading_order(boxes)
    assert result.order.tolist() == list(range(16))
    assert result.row.tolist() == [i // 2 for i in range(16)]
    assert result.columns.tolist() == [1]
    assert set(result.block.tolist()) == {0}


def test_a_table_of_figures_is_read_row_by_row():
    """Columns of figures 160 px wide (7 line heights) beside 40 px gutters pass the ratio
    rule but are no text columns: each table row is one row of the reading order."""
    rows = [[(30, 40 + 30 * i, 330, 62 + 30 * i)]
            + [(370 + 200 * k, 40 + 30 * i, 530 + 200 * k, 62 + 30 * i) for k in range(3)]
            for i in range(5)]
    boxes = np.array([box for row in rows for box in row])
    result = reading_order(boxes)
    assert result.order.tolist() == list(range(20))
    assert result.row.tolist() == [i // 4 for i in range(20)]
    by_columns = reading_order(boxes, column_width=0)
    assert by_columns.order.tolist()[:5] == [0, 4, 8, 12, 16]


def test_padded_boxes_of_consecutive_lines_may_overlap_a_little():
    """Detectors pad their boxes: lines 48 px apart in boxes 52 px high overlap by 4 px
    (a twelfth of the height).  They stay separate lines in one block, in order; boxes that
    overlap by half their height are one row, read left to right."""
    lines = np.array([(40 + 7 * (i % 2), 100 + 48 * i, 1500, 152 + 48 * i) for i in range(6)])
    result = reading_order(lines[::-1])
    assert result.order.tolist() == [5, 4, 3, 2, 1, 0]
    assert len(set(result.row.tolist())) == 6 and set(result.block.tolist()) == {0}
    side_by_side = np.array([(520, 126, 900, 178), (40, 100, 500, 152)])
    merged = reading_order(side_by_side)
    assert merged.order.tolist() == [1, 0] and merged.row.tolist() == [0, 0]
    assert len(set(reading_order(side_by_side, overlap=0.6).row.tolist())) == 2


def test_a_paragraph_gap_starts_a_new_block_within_a_column():
    boxes = np.array([(0, 0, 300, 20), (0, 30, 300, 50), (0, 100, 300, 120), (0, 130, 300, 150)])
    assert reading_order(boxes).block.tolist() == [0, 0, 1, 1]


def test_groups_are_ordered_separately_and_count_their_own_columns():
    one, two = magazine(2, 4), magazine(1, 3, title=False)
    boxes = np.concatenate([two, one])
    groups = np.array([1] * len(two) + [0] * len(one))
    result = reading_order(boxes, groups)
    assert result.order.tolist() == list(range(len(two), len(boxes))) + list(range(len(two)))
    assert result.columns.tolist() == [2, 1]


@given(st.integers(1, 4).flatmap(
    lambda columns: st.tuples(st.just(columns), st.permutations(range(1 + 6 * columns)))))
def test_the_order_does_not_depend_on_the_input_order(case):
    columns, permutation = case
    boxes = magazine(columns, 6)
    shuffled = boxes[np.array(permutation)]
    result = reading_order(shuffled)
    assert shuffled[result.order].tolist() == boxes.tolist()
    assert np.all(np.diff(result.block[result.order]) >= 0)  # blocks contiguous, in order


@given(st.lists(st.tuples(st.integers(0, 900), st.integers(0, 900), st.integers(1, 200),
                          st.integers(1, 60)), max_size=40))
def test_any_boxes_give_a_permutation_with_contiguous_blocks(raw):
    boxes = np.array([(x, y, x + w, y + h) for x, y, w, h in raw]).reshape(-1, 4)
    result = reading_order(boxes)
    assert sorted(result.order.tolist()) == list(range(len(boxes)))
    assert np.all(np.diff(result.block[result.order]) >= 0)
    assert np.all(np.diff(result.row[result.order]) >= 0)


def test_bad_boxes_are_named():
    with pytest.raises(GeometryError, match=r"boxes\[1\].*right < left"):
        reading_order([(0, 0, 10, 10), (10, 0, 5, 10)])
    with pytest.raises(GeometryError, match=r"shape \(n, 4\)"):
        reading_order([(0, 0, 10)])
    with pytest.raises(GeometryError, match="groups"):
        reading_order([(0, 0, 10, 10)], groups=[0, 1])
    assert reading_order(np.zeros((0, 4))).order.size == 0


def rotated_bounding_boxes(boxes: np.ndarray, degrees: float) -> np.ndarray:
    """The axis-aligned bounding boxes of ``boxes`` rotated counter-clockwise on the page."""
    t = np.radians(degrees)
    corners = np.stack([boxes[:, [0, 1]], boxes[:, [2, 1]], boxes[:, [2, 3]], boxes[:, [0, 3]]],
                       axis=1).astype(float)
    x, y = corners[..., 0], corners[..., 1]
    xr, yr = x * np.cos(t) + y * np.sin(t), y * np.cos(t) - x * np.sin(t)
    return np.stack([xr.min(1), yr.min(1), xr.max(1), yr.max(1)], axis=1).round().astype(int) \
        + 300


@given(st.floats(-4, 4))
def test_a_skewed_page_is_read_in_order_once_the_skew_is_given(degrees):
    boxes = magazine(3, 6)
    skewed = rotated_bounding_boxes(boxes, degrees)
    result = reading_order(skewed, skew=degrees)
    assert result.order.tolist() == list(range(len(boxes)))
    assert result.columns.tolist() == [3]
    assert result.block.tolist() == [0] + [1] * 6 + [2] * 6 + [3] * 6


def test_without_the_skew_a_skewed_page_loses_its_columns_and_lines():
    skewed = rotated_bounding_boxes(magazine(3, 6), 4.0)
    lost = reading_order(skewed)
    assert lost.columns.tolist() == [1] and lost.row.max() == 0  # one overlapping heap
    with pytest.raises(GeometryError, match="between -45 and 45"):
        reading_order(skewed, skew=50)
