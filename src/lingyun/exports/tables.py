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

Copies: ``Layout.chars`` is an array of 64-byte records, so each field is gathered once into
its own contiguous column (:func:`glyph_columns`); Arrow then wraps those numeric columns
without copying (``pyarrow.array`` over a contiguous numpy array shares its buffer), and
pandas builds from the same arrays with ``copy=False``.  ``pyarrow`` and ``pandas`` come
with the ``export`` extra and are imported only by the functions that need them.
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
    points = codes.astype(np.uint32)
    points[(points & 0xF800) == 0xD800] = _REPLACEMENT
    points[(distances == UNUSED_DISTANCE) | (codes == 0)] = 0
    return np.ascontiguousarray(points).view("<U1")


def glyph_columns(results: Any, sources: Sequence[Any] | None = None
                  ) -> dict[str, np.ndarray]:
    """The glyph table as contiguous numpy columns (``candidates``/``distances``: (n, 5)).

    With ``sources`` (one image name per result) a ``source`` column follows ``document``.
    """
    documents = as_documents(results, sources)
    parts: list[dict[str, np.ndarray]] = []
    for number, document in enumerate(documents):
        chars = document.layout.chars
        n = chars.size
        part = {"document": np.full(n, number, dtype=np.int32)}
        if sources is not None:
            part["source"] = np.full(n, document.source, dtype=object)
        for key in _KEYS[1:5]:
            part[key] = np.ascontiguousarray(chars[key])
        part["char"] = np.arange(n, dtype=np.int32)
        part["text"] = np.ascontiguousarray(chars["text"])
        part["code"] = np.ascontiguousarray(chars["code"])
        part["space_before"] = np.ascontiguousarray(chars["space_before"])
        for key in _BOX:
            part[key] = np.ascontiguousarray(chars[key])
        part["suspect"] = chars["suspect"] != 0
        part["candidates"] = _candidate_text(chars["candidates"], chars["distances"])
        part["distances"] = np.ascontiguousarray(chars["distances"])
        first = part["distances"][:, 0].astype(np.float32)
        part["confidence"] = np.where(first == UNUSED_DISTANCE, np.float32(np.nan),
                                      1.0 - first / MAX_DISTANCE).astype(np.float32)
        parts.append(part)
    if not parts:
        raise ExportError("no results to tabulate")
    if len(parts) == 1:
        return parts[0]
    return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}


def to_arrow(results: Any, sources: Sequence[Any] | None = None) -> pyarrow.Table:
    """The glyph table as a ``pyarrow.Table`` (see the module doc for the columns)."""
    pa = _require("pyarrow")
    columns = glyph_columns(results, sources)
    arrays = {}
    for name, values in columns.items():
        if name == "candidates":
            flat = pa.array(values.reshape(-1), type=pa.string())
            arrays[name] = pa.FixedSizeListArray.from_arrays(flat, CANDIDATES)
        elif name == "distances":
            arrays[name] = pa.FixedSizeListArray.from_arrays(pa.array(values.reshape(-1)),
                                                             CANDIDATES)
        elif name in ("text", "source"):
            arrays[name] = pa.array(values, type=pa.string())
        else:
            arrays[name] = pa.array(values)
    return pa.table(arrays)


def to_parquet(results: Any, out: Any, sources: Sequence[Any] | None = None,
               **options: Any) -> None:
    """Write the glyph table as Parquet to ``out`` (a path or a binary file object)."""
    _require("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(to_arrow(results, sources), out, **options)


def to_pandas(results: Any, sources: Sequence[Any] | None = None) -> pandas.DataFrame:
    """The glyph table as a ``pandas.DataFrame``, candidates in fixed-size columns."""
    pd = _require("pandas")
    columns = glyph_columns(results, sources)
    flat: dict[str, Any] = {}
    for name, values in columns.items():
        if name in ("candidates", "distances"):
            prefix = "candidate" if name == "candidates" else "distance"
            for slot in range(CANDIDATES):
                flat[f"{prefix}_{slot + 1}"] = values[:, slot]
        elif name in ("text",):
            flat[name] = values.astype(object)
        else:
            flat[name] = values
    for slot in range(CANDIDATES):
        flat[f"candidate_{slot + 1}"] = flat[f"candidate_{slot + 1}"].astype(object)
    return pd.DataFrame(flat, copy=False)


def to_csv(results: Any, out: Any, sources: Sequence[Any] | None = None) -> None:
    """Write the glyph table as CSV (UTF-8, header row, pandas column layout) to ``out``."""
    to_pandas(results, sources).to_csv(out, index=False, lineterminator="\n")
