"""Property-based: random valid streams agree across backends and round-trip through encode;
random and mutated bytes raise the same error at the same node on both, never crash."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lingyun.iread as iread
from lingyun.iread.dtypes import NODE_TYPES

pytestmark = pytest.mark.skipif("c" not in iread.BACKENDS, reason="needs both decoders")

i32 = st.integers(-(2**31), 2**31 - 1)
u16 = st.integers(0, 0xFFFF)
u8 = st.integers(0, 255)


def _record(kind: str) -> st.SearchStrategy[dict]:
    rect = {"left": i32, "top": i32, "right": i32, "bottom": i32}
    fields = {
        "page": {"width": i32, "height": i32, "skew": i32},
        "region": {**rect, "region_type": u16, "lang": u16},
        "cell": rect,
        "line": {"baseline": u16, "size": u16, "avg_char_width": u16, "avg_char_height": u16},
        "char": {**rect, "code": u16, "space_before": st.integers(0, 3), "suspect": i32,
                 "candidates": st.lists(u16, min_size=5, max_size=5),
                 "distances": st.lists(u8, min_size=5, max_size=5), "reserved": u8},
    }[kind]
    return st.fixed_dictionaries({"type": st.just(kind), **fields})


@st.composite
def valid_records(draw) -> list[dict]:
    """A stream obeying the parent rules: PAGE, then REGIONs, CELLs, LINEs and CHARs."""
    records: list[dict] = []
    for _ in range(draw(st.integers(0, 3))):
        records.append(draw(_record("page")))
        for _ in range(draw(st.integers(0, 3))):
            records.append(draw(_record("region")))
            for _ in range(draw(st.integers(0, 3))):
                if draw(st.booleans()):
                    records.append(draw(_record("cell")))
                records.append(draw(_record("line")))
                records.extend(draw(st.lists(_record("char"), max_size=8)))
    return records


def _outcome(backend: str, data: bytes):
    try:
        return iread.decode_with(backend, data)
    except iread.StreamError as exc:
        return (type(exc), exc.node_index, exc.byte_offset, str(exc))


@settings(max_examples=150, deadline=None)
@given(valid_records())
def test_backends_agree_and_round_trip(records: list[dict]) -> None:
    data = iread.encode(records)
    c, py = iread.decode_with("c", data), iread.decode_with("python", data)
    assert c == py
    for kind in NODE_TYPES:
        assert c.arrays()[kind].tobytes() == py.arrays()[kind].tobytes()
    assert c.text == py.text
    assert iread.encode(c) == data
    assert iread.from_records(c.to_records()) == c
    assert len(c.to_records()) == len(records)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=48 * 12))
def test_random_bytes_same_outcome(data: bytes) -> None:
    assert _same(_outcome("c", data), _outcome("python", data))


@settings(max_examples=300, deadline=None)
@given(valid_records(), st.data())
def test_mutated_streams_same_outcome(records: list[dict], data) -> None:
    stream = bytearray(iread.encode(records))
    for _ in range(data.draw(st.integers(1, 4))):
        choice = data.draw(st.sampled_from(["flip", "cut", "extend"]))
        if choice == "flip" and stream:
            at = data.draw(st.integers(0, len(stream) - 1))
            stream[at] = data.draw(u8)
        elif choice == "cut" and stream:
            del stream[data.draw(st.integers(0, len(stream) - 1)):]
        else:
            stream += data.draw(st.binary(max_size=60))
    assert _same(_outcome("c", bytes(stream)), _outcome("python", bytes(stream)))


def _same(a, b) -> bool:
    if isinstance(a, tuple) or isinstance(b, tuple):
        return a == b
    return a == b and a.text == b.text and a.replaced_surrogates.tolist() == (
        b.replaced_surrogates.tolist())
