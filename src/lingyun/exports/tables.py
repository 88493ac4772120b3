"""Per-glyph tables: numpy columns, Apache Arrow, Parquet, pandas, CSV.

One row per CHAR node of every document, in stream order, with the keys that place it:
``document`` (position in the input list), ``page``, ``region``, ``cell`` (-1: none),
``line`` (indices into that document's Layout arrays) and ``char`` (the row's index in
``Layout.chars``).  Then ``text`` (the character; ``""`` for the low half of a surrogate
pair), ``code``, ``space_before``, the box ``left top right bottom``, ``suspect``, the five
candidate slots and their distances, and ``confidence = 1 - distances[0] / 254`` (NaN when
slot 0 is unused).

Candidates and distances come as fixed-size columns, raw as in the Layout (distance 255
marks an unused slot; its candidate text is ``""``):

* Arrow/Parquet: ``candidates`` ``fixed_size_list<string>[5]`` and ``distances``
  ``fixed_size_list<uint8>[5]``;
* pandas/CSV: ``candidate_1`` .. ``candidate_5`` and ``distance_1`` .. ``distance_5``.

With ``sources`` (one image name per result) a ``source`` column follows ``document``
(Arrow: dictionary-encoded on the document index; pandas: a categorical).

Copies: ``Layout.chars`` is an array of 64-byte records, so each field is gathered once into
its own contiguous column (:func:`glyph_columns`); Arrow then wraps those numeric columns
without copying (``pyarrow.array`` over a contiguous numpy array shares its buffer).  Text
is transcoded to Arrow's UTF-8 in bulk, never one Python string per glyph.  pandas is
built from the Arrow table.  ``pyarrow`` and ``pandas`` come with the ``export`` extra and
are imported only by the functions that need them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ._model import MAX_DISTANCE, UNUSED_DISTANCE, ExportError, as_documents

if TYPE_CHECKING:
    import pandas
    import pyarrow

__all__ = ["CANDIDATES", "glyph_columns", "to_arrow", "to_csv", "to_pandas", "to_parquet"]

#: Candidate slots per glyph (the vendor's CANDIDATE_NUM).
CANDIDATES = 5
_KEYS = ("document", "page", "region", "cell", "line", "char")
_BOX = ("left", "top", "right", "bottom")
_REPLACEMENT = 0xFFFD


def _require(module: str) -> Any:
    try:
        return __import__(module)
    except ImportError:
        raise ExportError(
            f"this export needs {module}: pip install 'lingyun[export]'"
        ) from None


def _candidate_text(codes: np.ndarray, distances: np.ndarray) -> np.ndarray:
    """``(n, 5)`` UTF-16 code units -> ``<U1`` characters; unused slots -> ``""``.

    Lone surrogates (a candidate is one code unit) become U+FFFD, since no text column can
    hold them.
    """
    points = np.ascontiguousarray(codes).astype(np.uint32)
    unused = distances == UNUSED_DISTANCE
    points[(points >= 0xD800) & (points < 0xE000)] = _REPLACEMENT
    points[unused] = 0
    return points.view("<U1")


def glyph_columns(results: Any) -> dict[str, np.ndarray]:
    """The glyph table as contiguous numpy columns (``candidates``/``distances``: (n, 5))."""
    documents = as_documents(results)
    parts: list[dict[str, np.ndarray]] = []
    for number, document in enumerate(documents):
        chars = document.layout.chars
        n = chars.size
        part = {"document": np.full(n, number, dtype=np.int32)}
        for key in _KEYS[1:5]:
            part[key] = np.ascontiguousarray(chars[key])
        part["char"] = np.arange(n, dtype=np.int32)
        part["text"] = np.ascontiguousarray(chars["text"])
        part["code"] = np.ascontiguousarray(chars["code"])
        part["space_before"] = np.ascontiguousarray(chars["space_before"])
        for key in _BOX:
            part[key] = np.ascontiguousarray(chars[key])
        part["suspect"] = chars["suspect"] != 0
        part["distances"] = np.ascontiguousarray(chars["distances"])
        part["candidates"] = _candidate_text(chars["candidates"], part["distances"])
        first = part["distances"][:, 0].astype(np.float32)
        part["confidence"] = np.where(first == UNUSED_DISTANCE, np.float32(np.nan),
                                      1.0 - first / MAX_DISTANCE).astype(np.float32)
        parts.append(part)
    if not parts:
        raise ExportError("no results to tabulate")
    if len(parts) == 1:
        return parts[0]
    return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}


def _utf8(points: np.ndarray) -> pyarrow.StringArray:
    """Arrow strings from code points (0 -> ``""``), without a Python object per string.

    The UTF-8 lengths come from four comparisons per code point, the bytes from one C-level
    UTF-32 -> UTF-8 transcoding of the whole column, instead of converting each string
    (``python benchmarks/exports.py`` measures the difference).
    """
    import pyarrow as pa

    cp = np.ascontiguousarray(points, dtype=np.uint32).reshape(-1)
    used = cp != 0
    lengths = used.astype(np.int32) + (cp >= 0x80) + (cp >= 0x800) + (cp >= 0x10000)
    offsets = np.zeros(cp.size + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    kept = cp[used].astype("<u4")
    kept[(kept & 0xFFFFF800) == 0xD800] = _REPLACEMENT  # no surrogate may reach UTF-8
    data = kept.tobytes().decode("utf-32-le").encode("utf-8")
    return pa.StringArray.from_buffers(cp.size, pa.py_buffer(offsets), pa.py_buffer(data))


def _arrow_columns(results: Any, sources: Sequence[Any] | None, *, fixed: bool
                   ) -> dict[str, Any]:
    """Arrow arrays by column name; ``fixed`` spreads candidate slots over 5 columns each."""
    pa = _require("pyarrow")
    documents = as_documents(results, sources)
    columns = glyph_columns([d.layout for d in documents])
    arrays: dict[str, Any] = {}
    for name, values in columns.items():
        if name == "candidates":
            points = values.view(np.uint32)
            if fixed:
                for slot in range(CANDIDATES):
                    arrays[f"candidate_{slot + 1}"] = _utf8(points[:, slot])
            else:
                arrays[name] = pa.FixedSizeListArray.from_arrays(_utf8(points), CANDIDATES)
        elif name == "distances":
            if fixed:
                for slot in range(CANDIDATES):
                    arrays[f"distance_{slot + 1}"] = pa.array(
                        np.ascontiguousarray(values[:, slot]))
            else:
                arrays[name] = pa.FixedSizeListArray.from_arrays(pa.array(values.reshape(-1)),
                                                                 CANDIDATES)
        elif name == "text":
            arrays[name] = _utf8(values.view(np.uint32))
        else:
            arrays[name] = pa.array(values)  # contiguous numeric: shares numpy's buffer
        if name == "document" and sources is not None:
            names = [d.source for d in documents]
            arrays["source"] = pa.DictionaryArray.from_arrays(
                arrays["document"], pa.array(names, type=pa.string()))
    return arrays


def to_arrow(results: Any, sources: Sequence[Any] | None = None) -> pyarrow.Table:
    """The glyph table as a ``pyarrow.Table`` (see the module doc for the columns)."""
    pa = _require("pyarrow")
    return pa.table(_arrow_columns(results, sources, fixed=False))


def to_parquet(results: Any, out: Any, sources: Sequence[Any] | None = None,
               **options: Any) -> None:
    """Write the glyph table as Parquet to ``out`` (a path or a binary file object)."""
    _require("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(to_arrow(results, sources), out, **options)


def to_pandas(results: Any, sources: Sequence[Any] | None = None) -> pandas.DataFrame:
    """The glyph table as a ``pandas.DataFrame``, candidates in fixed-size columns.

    Built through Arrow (``split_blocks=True`` keeps numeric columns from being copied
    into consolidated blocks); text columns are pandas' string dtype, ``source`` a
    categorical.
    """
    _require("pandas")
    pa = _require("pyarrow")
    table = pa.table(_arrow_columns(results, sources, fixed=True))
    frame: pandas.DataFrame = table.to_pandas(split_blocks=True)
    return frame


def to_csv(results: Any, out: Any, sources: Sequence[Any] | None = None) -> None:
    """Write the glyph table as CSV (UTF-8, header row, pandas column layout) to ``out``."""
    to_pandas(results, sources).to_csv(out, index=False, lineterminator="\n")
