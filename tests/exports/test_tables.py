"""Glyph tables: keys, candidates, confidence; Arrow shares numpy's buffers; Parquet/CSV."""

from __future__ import annotations

import io

import pytest

pytest.importorskip("pandas", reason="pandas: pip install 'lingyun[integrations]'")
pytest.importorskip("pyarrow", reason="pyarrow: pip install 'lingyun[integrations]'")

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from lingyun.exports import ExportError, glyph_columns, to_arrow, to_csv, to_pandas, to_parquet

pytestmark = pytest.mark.integration


def test_keys_place_every_glyph(table_layout):
    columns = glyph_columns(table_layout)
    chars = table_layout.chars
    assert columns["char"].tolist() == list(range(chars.size))
    for key in ("page", "region", "cell", "line"):
        assert columns[key].tolist() == chars[key].tolist()
    assert sorted(set(columns["cell"].tolist())) == [-1, 0, 1]
    assert "".join(columns["text"].tolist()) == "标题Title左右cell"


def test_candidates_and_confidence(simple_layout):
    frame = to_pandas(simple_layout)
    first = frame.iloc[0]
    assert [first[f"candidate_{k}"] for k in range(1, 6)] == ["北", "兆", "比", "", ""]
    assert [int(first[f"distance_{k}"]) for k in range(1, 6)] == [10, 100, 200, 255, 255]
    assert first["confidence"] == pytest.approx(1 - 10 / 254)
    assert frame["confidence"].iloc[1] == 1.0
    assert list(frame.columns[:6]) == ["document", "page", "region", "cell", "line", "char"]


def test_arrow_fixed_size_columns_and_no_copy(simple_layout):
    columns = glyph_columns(simple_layout)
    table = to_arrow(simple_layout)
    assert table.schema.field("candidates").type == pa.list_(pa.string(), 5)
    assert table.schema.field("distances").type == pa.list_(pa.uint8(), 5)
    assert table.column("candidates")[0].as_py() == ["北", "兆", "比", "", ""]
    assert table.column("distances")[0].as_py() == [10, 100, 200, 255, 255]
    # numeric columns wrap numpy's contiguous arrays: same memory, no copy
    for name in ("left", "line", "confidence"):
        values = columns[name]
        arrow = pa.array(values)
        assert arrow.buffers()[1].address == values.ctypes.data
    assert table.column("left").to_numpy().tolist() == simple_layout.chars["left"].tolist()


def test_many_documents_concatenate_with_their_index_and_source(simple_layout, table_layout):
    table = to_arrow([simple_layout, table_layout], ["a.png", "dir/b.png"])
    n1, n2 = simple_layout.chars.size, table_layout.chars.size
    assert table.num_rows == n1 + n2
    assert table.column("document").to_pylist() == [0] * n1 + [1] * n2
    assert table.column("source").to_pylist() == ["a.png"] * n1 + ["b.png"] * n2


def test_parquet_round_trip(tmp_path, simple_layout, table_layout):
    path = tmp_path / "glyphs.parquet"
    to_parquet([simple_layout, table_layout], path)
    back = pq.read_table(path)
    assert back.equals(to_arrow([simple_layout, table_layout]))


def test_csv_has_fixed_candidate_columns(simple_layout):
    buffer = io.StringIO()
    to_csv(simple_layout, buffer, ["scan.png"])
    frame = pd.read_csv(io.StringIO(buffer.getvalue()), keep_default_na=False)
    assert frame["source"].unique().tolist() == ["scan.png"]
    assert frame.loc[0, ["candidate_1", "candidate_2", "distance_2"]].tolist() == ["北", "兆", 100]
    assert frame["text"].tolist() == to_pandas(simple_layout)["text"].tolist()


def test_surrogates_and_unused_slots_are_text_safe():
    from .conftest import layout_of, page_records

    records = page_records(["\U00020000x"])
    lone = next(r for r in records if r["type"] == "char" and r["text"] == "x")
    lone["candidates"] = [ord("x"), 0xD800, 0, 0, 0]
    lone["distances"] = [0, 5, 9, 255, 255]
    table = to_arrow(layout_of(records))
    assert table.column("text").to_pylist() == ["\U00020000", "", "x"]
    assert table.column("candidates")[2].as_py() == ["x", "\ufffd", "", "", ""]
    assert np.isnan(to_pandas(layout_of([{"type": "page"}, {"type": "region"},
                                         {"type": "line"},
                                         {"type": "char", "code": 65,
                                          "distances": [255] * 5}]))["confidence"][0])


def test_results_without_positions_are_refused(simple_layout):
    with pytest.raises(ExportError, match="withPosition"):
        to_arrow([object()])
    with pytest.raises(ExportError, match="2 results but 1 sources"):
        to_arrow([simple_layout, simple_layout], ["a"])


code_points = st.integers(0, 0x10FFFF).filter(lambda c: not 0xD800 <= c < 0xE000)


@settings(max_examples=200, deadline=None)
@given(st.lists(code_points, max_size=50))
def test_bulk_utf8_matches_pyarrows_own_conversion(points):
    from lingyun.exports.tables import _utf8

    array = np.array(points, dtype=np.uint32)
    expected = ["" if p == 0 else chr(p) for p in points]
    assert _utf8(array).to_pylist() == expected
    assert _utf8(array).equals(pa.array(expected, type=pa.string()))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("a 中\U00020000é"), min_size=1, max_size=6),
                max_size=4), st.integers(0, 255))
def test_any_layout_tabulates_its_characters(lines, distance):
    from .conftest import layout_of, page_records

    layout = layout_of(page_records(lines, distances=[distance] * 30))
    table = to_arrow(layout)
    assert table.column("text").to_pylist() == layout.chars["text"].tolist()
    expected = [[chr(c) if d != 255 and c else "" for c, d in zip(cs, ds, strict=True)]
                for cs, ds in zip(layout.chars["candidates"].tolist(),
                                  layout.chars["distances"].tolist(), strict=True)]
    assert table.column("candidates").to_pylist() == expected
