"""The pure-Python decoder: numpy-vectorised, bit-identical to the C one.

No per-node Python loop: the stream is viewed in place as an array of 48-byte records, each
node's parents come from running maxima of node positions (``np.maximum.accumulate``), and
each output array is filled by one masked copy per field.  The rules are those of
``csrc/iread.c``: the first bad node in stream order is reported, the ragged tail last.
"""

from __future__ import annotations

import numpy as np

from .dtypes import FROM_WIRE, NODE_SIZE, NODE_TYPES, OUTPUT, WIRE, WIRE_TYPE
from .errors import OrphanNodeError, RaggedTailError, StreamError, UnknownNodeTypeError

__all__ = ["decode_arrays"]


def _first(mask: np.ndarray) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def decode_arrays(buffer: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``(node_types, {kind: records})`` for a uint8 buffer, or raise a StreamError."""
    total = buffer.size
    count = total // NODE_SIZE
    types = np.frombuffer(buffer, dtype=WIRE_TYPE, count=count)["wType"]
    position = np.arange(count, dtype=np.int64)

    def last(kind_value: int) -> np.ndarray:
        return np.maximum.accumulate(np.where(types == kind_value, position, -1))

    last_page, last_region, last_cell, last_line = last(0), last(1), last(2), last(3)
    region_open = last_region > last_page
    cell_open = last_cell > np.maximum(last_region, last_page)
    line_open = last_line > np.maximum(np.maximum(last_region, last_cell), last_page)

    unknown = _first(types > 4)
    orphan = _first(
        ((types == 1) & (last_page < 0))
        | (((types == 2) | (types == 3)) & ~region_open)
        | ((types == 4) & ~line_open)
    )
    errors: list[tuple[int, type[StreamError], str]] = []
    if unknown is not None:
        errors.append((unknown, UnknownNodeTypeError,
                       f"unknown node type {int(types[unknown])} (expected 0..4)"))
    if orphan is not None:
        kind = NODE_TYPES[int(types[orphan])]
        errors.append((orphan, OrphanNodeError, f"{kind.upper()} node before its parent"))
    if errors:
        index, cls, message = min(errors, key=lambda e: e[0])
        raise cls(message, node_index=index, byte_offset=index * NODE_SIZE)
    if total % NODE_SIZE:
        raise RaggedTailError(
            f"{total % NODE_SIZE} trailing bytes: the stream is {total} bytes, not a whole "
            f"number of {NODE_SIZE}-byte nodes",
            node_index=count, byte_offset=count * NODE_SIZE,
        )

    ordinal = {kind: np.cumsum(types == value, dtype=np.int64) - 1
               for value, kind in enumerate(NODE_TYPES)}
    parents = {
        "page": ordinal["page"],
        "region": np.where(region_open, ordinal["region"], -1),
        "cell": np.where(cell_open, ordinal["cell"], -1),
        "line": np.where(line_open, ordinal["line"], -1),
    }
    out: dict[str, np.ndarray] = {}
    for value, kind in enumerate(NODE_TYPES):
        mask = types == value
        wire = np.frombuffer(buffer, dtype=WIRE[kind], count=count)[mask]
        records = np.zeros(wire.size, dtype=OUTPUT[kind])
        for field, wire_field in FROM_WIRE[kind].items():
            records[field] = wire[wire_field]
        for parent in OUTPUT[kind].names:
            if parent in parents and parent != kind:
                records[parent] = parents[parent][mask]
        out[kind] = records

    chars, lines = out["char"], out["line"]
    chars["text"] = chars["code"].astype(np.uint32).view("<U1")
    counts = np.bincount(chars["line"], minlength=lines.size)[: lines.size]
    lines["char_count"] = counts
    lines["first_char"] = np.where(
        counts > 0, np.searchsorted(chars["line"], np.arange(lines.size)), -1
    )
    return types.astype(np.uint8), out
