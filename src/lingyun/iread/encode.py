"""The encoder: node records (or a :class:`Layout`) to the vendor's binary stream.

Used by the tests and by the local service.  A record is a dict with ``type`` (``page``,
``region``, ``cell``, ``line``, ``char``) and the output-array field names; missing fields
are 0, parent fields are ignored (stream order implies them).  A ``char`` record may give
``text`` instead of ``code``: a character outside the BMP becomes two CHAR nodes (a
surrogate pair, SPEC §7).  Unused candidate slots should carry distance 255.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from ..errors import UsageError
from .dtypes import FROM_WIRE, NODE_SIZE, NODE_TYPES, OUTPUT, WIRE
from .layout import Layout

__all__ = ["encode", "encode_arrays"]


def encode_arrays(node_types: np.ndarray, arrays: Mapping[str, np.ndarray]) -> bytes:
    """Bytes for nodes of kinds ``node_types`` (0..4) taking their fields from ``arrays``."""
    node_types = np.asarray(node_types, dtype=np.uint16)
    buffer = np.zeros(node_types.size * NODE_SIZE, dtype=np.uint8)
    for value, kind in enumerate(NODE_TYPES):
        mask = node_types == value
        source = arrays[kind]
        if int(mask.sum()) != len(source):
            raise UsageError(
                f"encode: {int(mask.sum())} {kind} nodes in node_types but {len(source)} records"
            )
        wire = np.zeros(len(source), dtype=WIRE[kind])
        wire["wType"] = value
        for field, wire_field in FROM_WIRE[kind].items():
            wire[wire_field] = source[field]
        nodes = buffer.view(WIRE[kind])
        nodes[mask] = wire
    return buffer.tobytes()


def _expand(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    if record.get("type") != "char" or "code" in record:
        return [dict(record)]
    text = record.get("text", "")
    if not isinstance(text, str) or len(text) != 1:
        raise UsageError(f"encode: a char record needs 'code' or a one-character 'text': {text!r}")
    units = text.encode("utf-16-le", "surrogatepass")
    codes = [int.from_bytes(units[i:i + 2], "little") for i in range(0, len(units), 2)]
    first = {**record, "code": codes[0]}
    rest = [{**record, "code": code, "space_before": 0} for code in codes[1:]]
    return [first, *rest]


def encode(source: Layout | Iterable[Mapping[str, Any]]) -> bytes:
    """The position stream for a :class:`Layout` or for node records in stream order."""
    if isinstance(source, Layout):
        return encode_arrays(source.node_types, source.arrays())
    records = [expanded for record in source for expanded in _expand(record)]
    types = []
    grouped: dict[str, list[dict[str, Any]]] = {kind: [] for kind in NODE_TYPES}
    for position, record in enumerate(records):
        kind = record.get("type")
        if kind not in grouped:
            raise UsageError(f"encode: record {position} has unknown type {kind!r}; "
                             f"expected one of {', '.join(NODE_TYPES)}")
        types.append(NODE_TYPES.index(kind))
        grouped[kind].append(record)
    arrays = {kind: _records_array(kind, grouped[kind]) for kind in NODE_TYPES}
    return encode_arrays(np.array(types, dtype=np.uint16), arrays)


def _records_array(kind: str, records: list[dict[str, Any]]) -> np.ndarray:
    array = np.zeros(len(records), dtype=OUTPUT[kind])
    for i, record in enumerate(records):
        for field in FROM_WIRE[kind]:
            if field not in record:
                continue
            try:
                array[field][i] = record[field]
            except (OverflowError, ValueError, TypeError) as exc:
                raise UsageError(
                    f"encode: {kind} record {i}: field {field!r} cannot hold "
                    f"{record[field]!r} ({exc})"
                ) from None
    return array
