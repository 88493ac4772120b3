"""The C decoder (``lingyun._iread``, built by cffi): two passes over the caller's buffer.

``iread_scan`` validates and counts, Python allocates the output arrays at their exact
sizes, ``iread_fill`` writes them.  The input is handed to C with ``ffi.from_buffer`` --
no copy -- and C allocates nothing.
"""

from __future__ import annotations

import numpy as np

from .._iread import ffi, lib
from .dtypes import NODE_SIZE, NODE_TYPES, OUTPUT
from .errors import OrphanNodeError, RaggedTailError, StreamError, UnknownNodeTypeError

__all__ = ["decode_arrays", "ffi", "lib"]

_ERRORS: dict[int, type[StreamError]] = {
    lib.LY_RAGGED_TAIL: RaggedTailError,
    lib.LY_UNKNOWN_TYPE: UnknownNodeTypeError,
    lib.LY_ORPHAN: OrphanNodeError,
}
_COUNT_FIELDS = {"page": "pages", "region": "regions", "cell": "cells", "line": "lines",
                 "char": "chars"}


def _raise(status: int, index: int, buffer: np.ndarray) -> None:
    total = buffer.size
    if status == lib.LY_RAGGED_TAIL:
        message = (f"{total % NODE_SIZE} trailing bytes: the stream is {total} bytes, not a "
                   f"whole number of {NODE_SIZE}-byte nodes")
    else:
        value = int(buffer[index * NODE_SIZE]) | int(buffer[index * NODE_SIZE + 1]) << 8
        if status == lib.LY_UNKNOWN_TYPE:
            message = f"unknown node type {value} (expected 0..4)"
        else:
            message = f"{NODE_TYPES[value].upper()} node before its parent"
    cls = _ERRORS.get(status)
    if cls is None:
        raise RuntimeError(f"iread decoder returned unexpected status {status} at node {index}")
    raise cls(message, node_index=index, byte_offset=index * NODE_SIZE)


def decode_arrays(buffer: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray], bool]:
    """``(node_types, {kind: records}, any surrogates)`` for a uint8 buffer, or StreamError."""
    data = ffi.from_buffer(buffer)
    counts = ffi.new("ly_counts *")
    bad = ffi.new("size_t *")
    surrogates = ffi.new("size_t *")
    status = lib.iread_scan(data, buffer.size, counts, bad)
    if status != lib.LY_OK:
        _raise(status, bad[0], buffer)
    out = {kind: np.empty(getattr(counts, _COUNT_FIELDS[kind]), dtype=OUTPUT[kind])
           for kind in NODE_TYPES}
    node_types = np.empty(buffer.size // NODE_SIZE, dtype=np.uint8)

    def ptr(array: np.ndarray, ctype: str):
        return ffi.cast(ctype, ffi.from_buffer(array, require_writable=True))

    status = lib.iread_fill(
        data, buffer.size, counts,
        ptr(out["page"], "ly_page *"), ptr(out["region"], "ly_region *"),
        ptr(out["cell"], "ly_cell *"), ptr(out["line"], "ly_line *"),
        ptr(out["char"], "ly_char *"), ptr(node_types, "uint8_t *"), surrogates, bad,
    )
    if status != lib.LY_OK:
        _raise(status, bad[0], buffer)
    return node_types, out, surrogates[0] > 0
