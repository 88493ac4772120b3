"""The pure-Python decoder: numpy-vectorised, bit-identical to the C one.

No per-node Python loop.  The stream is viewed in place as 48-byte records.  Only the
*structural* nodes (everything but CHAR: a few percent of a page) are examined one kind
at a time; characters are handled as runs -- the run after each LINE belongs to it -- so
their parents come from one ``np.repeat``.  Each kind's union bytes are gathered in one
row copy into the output records, which begin with those bytes (see :mod:`.dtypes`).  The
rules are those of ``csrc/iread.c``: the first bad node in stream order is reported, the
ragged tail last.

Many streams are joined (one copy) and decoded as one: when every stream is a whole number
of nodes and begins with a PAGE, the joined stream splits exactly at page boundaries, so
decoding it once is decoding each stream alone, with global parent indices.  Otherwise the
first bad stream is found by decoding each alone -- a loop per stream, on the error path
only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .dtypes import NODE_SIZE, NODE_TYPES, OUTPUT, PREFIX, UNION
from .errors import OrphanNodeError, RaggedTailError, StreamError, UnknownNodeTypeError

__all__ = ["decode_arrays", "decode_streams"]

PAGE, REGION, CELL, LINE, CHAR = range(5)


def _previous(haystack: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """For each position, the index in ``haystack`` of the last entry before it (-1: none)."""
    return np.searchsorted(haystack, positions) - 1


def _first_error(types: np.ndarray, structural: np.ndarray, kinds: np.ndarray,
                 runs: np.ndarray, count: int) -> tuple[int, type[StreamError], str] | None:
    """The first unknown or orphan node, exactly as ``iread_decode`` (C) finds it."""
    bad: list[int] = []
    unknown = structural[kinds > CHAR]
    if unknown.size:
        bad.append(int(unknown[0]))
    # Orphans among structural nodes: judged by the nearest previous node of the parent level.
    outer = kinds < LINE                      # PAGE, REGION, TABLECELL
    top = kinds < CELL                        # PAGE, REGION
    for kind, level, allowed in ((CELL, top, (REGION,)), (LINE, outer, (REGION, CELL))):
        mine = np.flatnonzero(kinds == kind)
        among = np.flatnonzero(level)
        prev = _previous(among, mine)
        ok = prev >= 0
        parent = kinds[among[prev[ok]]]
        ok[ok] = (parent == allowed[0]) | (parent == allowed[-1])
        bad.extend(structural[mine[~ok]][:1].tolist())
    regions = structural[kinds == REGION]
    pages = structural[kinds == PAGE]
    first_page = int(pages[0]) if pages.size else count
    bad.extend(regions[regions < first_page][:1].tolist())
    # Orphan characters: a run of characters after anything but a LINE, or at the start.
    leading = int(structural[0]) if structural.size else count
    if leading > 0:
        bad.append(0)
    orphan_runs = np.flatnonzero((runs > 0) & (kinds != LINE))
    if orphan_runs.size:
        bad.append(int(structural[orphan_runs[0]]) + 1)
    if not bad:
        return None
    index = min(bad)
    value = int(types[index])
    if value > CHAR:
        return index, UnknownNodeTypeError, f"unknown node type {value} (expected 0..4)"
    return index, OrphanNodeError, f"{NODE_TYPES[value].upper()} node before its parent"


def _fill(records: np.ndarray, rows: np.ndarray, prefix: int, tail: np.ndarray | None) -> None:
    """Write every byte of ``records``: the union prefix from ``rows``, then ``tail`` words."""
    if not records.size:
        return
    raw = records.view(np.uint8).reshape(records.size, records.itemsize)
    raw[:, :prefix] = rows[:, UNION:UNION + prefix]
    if tail is not None:
        records.view(np.int32).reshape(records.size, records.itemsize // 4)[:, prefix // 4:] = tail


def decode_arrays(buffer: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray], bool]:
    """``(node_types, {kind: records}, any surrogates)`` for a uint8 buffer, or StreamError."""
    total = buffer.size
    count = total // NODE_SIZE
    rows = buffer[: count * NODE_SIZE].reshape(count, NODE_SIZE)
    types = rows[:, :2].copy().view("<u2").reshape(count)
    structural = np.flatnonzero(types != CHAR)
    kinds = types[structural]
    # Characters following each structural node, up to the next one.
    runs = np.diff(np.append(structural, count)) - 1
    error = _first_error(types, structural, kinds, runs, count)
    if error is not None:
        index, cls, message = error
        raise cls(message, node_index=index, byte_offset=index * NODE_SIZE)
    if total % NODE_SIZE:
        raise RaggedTailError(
            f"{total % NODE_SIZE} trailing bytes: the stream is {total} bytes, not a whole "
            f"number of {NODE_SIZE}-byte nodes",
            node_index=count, byte_offset=count * NODE_SIZE,
        )

    where = {kind: structural[kinds == kind] for kind in (PAGE, REGION, CELL, LINE)}
    i32 = np.int32
    region_page = _previous(where[PAGE], where[REGION]).astype(i32)
    cell_region = _previous(where[REGION], where[CELL]).astype(i32)
    line_region = _previous(where[REGION], where[LINE]).astype(i32)
    containers = structural[(kinds == REGION) | (kinds == CELL)]
    line_in_cell = types[containers[_previous(containers, where[LINE])]] == CELL
    line_cell = np.where(line_in_cell, _previous(where[CELL], where[LINE]), -1).astype(i32)
    line_page = _previous(where[PAGE], where[LINE]).astype(i32)
    line_runs = runs[kinds == LINE].astype(i32)
    first_char = np.cumsum(line_runs, dtype=i32) - line_runs
    n_lines = where[LINE].size

    out = {name: np.empty(where[k].size if k != CHAR else int(line_runs.sum()),
                          dtype=OUTPUT[name]) for k, name in enumerate(NODE_TYPES)}
    _fill(out["page"], rows[where[PAGE]], PREFIX["page"], None)
    _fill(out["region"], rows[where[REGION]], PREFIX["region"], region_page[:, None])
    _fill(out["cell"], rows[where[CELL]], PREFIX["cell"], np.column_stack(
        [cell_region, _previous(where[PAGE], where[CELL]).astype(i32)]))
    _fill(out["line"], rows[where[LINE]], PREFIX["line"], np.column_stack(
        [line_region, line_cell, line_page, np.where(line_runs > 0, first_char, -1),
         line_runs]))

    chars = out["char"]
    char_rows = rows[types == CHAR]
    parents = np.column_stack([np.arange(n_lines, dtype=i32), line_region, line_cell, line_page])
    tail = np.empty((chars.size, 5), dtype=i32)
    tail[:, :4] = np.repeat(parents, line_runs, axis=0)
    tail[:, 4] = char_rows[:, UNION].astype(i32) | (char_rows[:, UNION + 1].astype(i32) << 8)
    _fill(chars, char_rows, PREFIX["char"], tail)
    surrogates = bool(np.any((tail[:, 4] & 0xF800) == 0xD800))
    return types.astype(np.uint8), out, surrogates


def decode_streams(
    streams: Sequence[Any], *, name_streams: bool
) -> tuple[np.ndarray, dict[str, np.ndarray], bool, np.ndarray]:
    """``(node_types, {kind: records}, any surrogates, page_stream)`` for 1-D byte buffers.

    Raises the first bad stream's :class:`StreamError`; ``name_streams`` sets its
    ``stream_index`` (``decode_many``) or leaves it ``None`` (``decode``).
    """
    buffers = [np.frombuffer(stream, dtype=np.uint8) for stream in streams]
    if len(buffers) == 1 and not name_streams:
        node_types, arrays, surrogates = decode_arrays(buffers[0])
        return node_types, arrays, surrogates, np.zeros(arrays["page"].size, dtype=np.int32)
    sizes = np.fromiter((b.size for b in buffers), dtype=np.int64, count=len(buffers))
    starts = np.zeros(len(buffers) + 1, dtype=np.int64)
    np.cumsum(sizes, out=starts[1:])
    joined = np.concatenate(buffers) if buffers else np.zeros(0, dtype=np.uint8)
    heads = starts[:-1][sizes > 0]
    try:
        # a whole number of nodes each, each non-empty one beginning with wType 0 (PAGE)
        if np.any(sizes % NODE_SIZE) or np.any(joined[heads] | joined[heads + 1]):
            raise StreamError("", node_index=0, byte_offset=0)
        node_types, arrays, surrogates = decode_arrays(joined)
    except StreamError:
        raise _first_bad_stream(buffers, name_streams) from None
    page_nodes = np.flatnonzero(node_types == PAGE)
    page_stream = np.searchsorted(starts // NODE_SIZE, page_nodes, side="right") - 1
    return node_types, arrays, surrogates, page_stream.astype(np.int32)


def _first_bad_stream(buffers: list[np.ndarray], name_streams: bool) -> StreamError:
    """The error of the first stream that is invalid on its own, located in that stream.

    A stream alone is valid only if it is empty or begins with a PAGE (any other first node
    is an orphan or unknown), so this also finds a stream that the joined decode would have
    wrongly accepted as more nodes of the previous stream's last page.
    """
    for index, buffer in enumerate(buffers):
        try:
            decode_arrays(buffer)
        except StreamError as exc:
            return exc.in_stream(index) if name_streams else exc
    raise AssertionError("decode_streams: the joined streams failed but no single stream does")
