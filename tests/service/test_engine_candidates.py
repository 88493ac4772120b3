"""The recognizer's top classes per column: the fast selection gives the full sort's answer."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lingyun.service.engines.candidates import _top_classes, column_candidates


def _by_sorting(columns: np.ndarray, wanted: int) -> list[set[int]]:
    return [set(np.argsort(row, kind="stable")[::-1][:wanted].tolist()) for row in columns]


@settings(max_examples=60, deadline=None)
@given(rows=st.integers(1, 6), classes=st.integers(1, 3000), wanted=st.integers(1, 7),
       seed=st.integers(0, 2**32 - 1))
def test_top_classes_are_the_largest(rows: int, classes: int, wanted: int, seed: int) -> None:
    wanted = min(wanted, classes)
    # distinct values: with ties, any of the tied classes is a right answer
    values = np.random.default_rng(seed).permutation(rows * classes).reshape(rows, classes)
    columns = (values / values.size).astype(np.float32)
    found = _top_classes(columns, wanted, block=16)
    assert found.shape == (rows, wanted)
    assert [set(row.tolist()) for row in found] == _by_sorting(columns, wanted)


def test_column_candidates_on_a_large_dictionary() -> None:
    """18,710 classes (PP-OCRv6): most probable first, blank and space never candidates."""
    classes = 18710
    characters = ["blank"] + [chr(0x4E00 + i) for i in range(classes - 2)] + [" "]
    rng = np.random.default_rng(7)
    columns = rng.random((40, classes)).astype(np.float32) * 1e-3
    columns[:, 0] = 0.9  # the blank is the most probable class of every column ...
    columns[:, -1] = 0.8  # ... the space the second
    columns[np.arange(40), 100 + np.arange(40)] = 0.5  # then one character per column
    found = column_candidates(columns, characters)
    assert [row[0][0] for row in found] == [characters[100 + i] for i in range(40)]
    for row, probabilities in zip(found, columns, strict=True):
        assert len(row) == 5
        assert [p for _, p in row] == sorted((p for _, p in row), reverse=True)
        expected = np.sort(probabilities[1:-1])[::-1][:5]
        assert np.allclose([p for _, p in row], expected)
        assert all(ch not in ("blank", " ") for ch, _ in row)
