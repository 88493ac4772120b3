"""Segmented reductions agree with numpy applied one group at a time."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lingyun.geometry._segments import group_median, group_quantile


@given(hnp.arrays(np.int64, st.integers(0, 60), elements=st.integers(0, 5)),
       st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.9, 1.0]), st.sampled_from(["linear", "lower"]),
       st.randoms())
def test_group_quantile_is_numpy_quantile_per_group(group, q, method, random):
    values = np.array([random.uniform(-100, 100) for _ in range(group.size)])
    got = group_quantile(group, values, 7, q, method)
    for g in range(7):
        members = values[group == g]
        if members.size:
            assert got[g] == pytest.approx(np.quantile(members, q, method=method))
        else:
            assert np.isnan(got[g])
    assert np.array_equal(group_median(group, values, 7), group_quantile(group, values, 7, 0.5),
                          equal_nan=True)


def test_an_unknown_method_is_named():
    with pytest.raises(ValueError, match="nearest"):
        group_quantile(np.zeros(2, dtype=np.int64), np.ones(2), 1, 0.5, "nearest")
