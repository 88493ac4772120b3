"""The pure-Python decoder: numpy-vectorised, bit-identical to the C one.

No per-node Python loop.  The stream is viewed in place as 48-byte records; each kind's
nodes are found with one comparison, their union bytes gathered in one ``np.take`` straight
into the output records (which begin with those bytes, see :mod:`.dtypes`), and parents
found by binary search of node positions (``np.searchsorted``).  The rules are those of
``csrc/iread.c``: the first bad node in stream order is reported, the ragged tail last.
"""

from __future__ import annotations

import numpy as np

from .dtypes import NODE_SIZE, NODE_TYPES, OUTPUT, PREFIX
from .errors import OrphanNodeError, RaggedTailError, StreamError, UnknownNodeTypeError

__all__ = ["decode_arrays"]

_NODE = np.dtype({"names": ["wType", "body"], "formats": ["<u2", "V44"], "offsets": [0, 4],
                  "itemsize": NODE_SIZE})
PAGE, REGION, CELL, LINE, CHAR = range(5)


def _previous(haystack: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """For each position, the index in ``haystack`` of the last entry before it (-1: none)."""
    return np.searchsorted(haystack, positions) - 1


def _check(types: np.ndarray, where: dict[int, np.ndarray]) -> None:
    """Raise for the first unknown or orphan node, exactly as ``iread_scan`` would."""
    bad: list[tuple[int, type[StreamError], str]] = []
    unknown = np.flatnonzero(types > CHAR)
    if unknown.size:
        i = int(unknown[0])
        bad.append((i, UnknownNodeTypeError, f"unknown node type {int(types[i])} (expected 0..4)"))
    structural = np.flatnonzero(types < CHAR)           # everything but CHAR
    outer = np.flatnonzero(types < LINE)                # PAGE, REGION, TABLECELL
    top = np.flatnonzero(types < CELL)                  # PAGE, REGION

    def orphans(kind: int, among: np.ndarray, allowed: tuple[int, ...]) -> np.ndarray:
        prev = _previous(among, where[kind])
        ok = prev >= 0
        parent = types[among[prev[ok]]]
        ok[ok] = (parent == allowed[0]) | (parent == allowed[-1])
        return where[kind][~ok]

    candidates = [
        where[REGION][where[REGION] < (where[PAGE][0] if where[PAGE].size else np.inf)],
        orphans(CELL, top, (REGION,)),
        orphans(LINE, outer, (REGION, CELL)),
        orphans(CHAR, structural, (LINE,)),
    ]
    for found in candidates:
        if found.size:
            i = int(found[0])
            bad.append((i, OrphanNodeError, f"{NODE_TYPES[int(types[i])].upper()} node before "
                                            "its parent"))
    if bad:
        index, cls, message = min(bad, key=lambda entry: entry[0])
        raise cls(message, node_index=index, byte_offset=index * NODE_SIZE)


def decode_arrays(buffer: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray], bool]:
    """``(node_types, {kind: records}, any surrogates)`` for a uint8 buffer, or StreamError."""
    total = buffer.size
    count = total // NODE_SIZE
    nodes = np.frombuffer(buffer, dtype=_NODE, count=count)
    types = nodes["wType"]
    where = {kind: np.flatnonzero(types == kind) for kind in range(5)}
    _check(types, where)
    if total % NODE_SIZE:
        raise RaggedTailError(
            f"{total % NODE_SIZE} trailing bytes: the stream is {total} bytes, not a whole "
            f"number of {NODE_SIZE}-byte nodes",
            node_index=count, byte_offset=count * NODE_SIZE,
        )

    out: dict[str, np.ndarray] = {}
    body = nodes["body"]
    for kind, name in enumerate(NODE_TYPES):
        size, prefix = where[kind].size, PREFIX[name]
        records = np.zeros(size, dtype=OUTPUT[name])
        gathered = body[where[kind]].view(np.uint8).reshape(size, 44)
        records.view(np.uint8).reshape(size, records.itemsize)[:, :prefix] = gathered[:, :prefix]
        out[name] = records

    # Parents: the last node of the parent kind before each node, in ordinal terms.
    regions_or_cells = np.flatnonzero((types == REGION) | (types == CELL))
    out["region"]["page"] = _previous(where[PAGE], where[REGION])
    out["cell"]["region"] = _previous(where[REGION], where[CELL])
    out["cell"]["page"] = _previous(where[PAGE], where[CELL])
    line_region = _previous(where[REGION], where[LINE])
    out["line"]["region"] = line_region
    last_container = regions_or_cells[_previous(regions_or_cells, where[LINE])]
    out["line"]["cell"] = np.where(types[last_container] == CELL,
                                   _previous(where[CELL], where[LINE]), -1)
    out["line"]["page"] = _previous(where[PAGE], where[LINE])
    lines, chars = out["line"], out["char"]
    char_line = _previous(where[LINE], where[CHAR])
    chars["line"] = char_line
    for parent in ("region", "cell", "page"):
        chars[parent] = lines[parent][char_line]
    chars["text"] = chars["code"].astype(np.uint32).view("<U1")
    counts = np.bincount(char_line, minlength=lines.size)
    lines["char_count"] = counts
    lines["first_char"] = np.where(counts > 0, np.searchsorted(char_line, np.arange(lines.size)),
                                   -1)
    surrogates = bool(np.any((chars["code"] & 0xF800) == 0xD800))
    return types.astype(np.uint8), out, surrogates
