"""decode_many: every page of every stream in one Layout, errors located by stream."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lingyun.iread as iread
from lingyun.errors import UsageError

from .conftest import cell, char, line, node, page, region
from .test_properties import valid_records

A = page(100, 50) + region() + line() + char("a") + char("b")
B = page(200, 60) + region() + cell() + line() + char("c") + page(300, 70) + region() + line()
C = page(400, 80) + region() + line() + char(0xD83D) + char(0xDE00) + char(0xDC00)


def test_pages_of_every_stream_with_their_document(decode_many) -> None:
    layout = decode_many([A, b"", B, C])
    assert layout.pages["width"].tolist() == [100, 200, 300, 400]
    assert layout.page_document.dtype == np.int32
    assert layout.page_document.tolist() == [0, 2, 2, 3]
    assert layout.text == "ab\nc\n\n\U0001F600\ufffd"
    # parent indices are global: the char of B's first page points at combined page 1
    assert layout.chars["page"].tolist() == [0, 0, 1, 3, 3, 3]
    assert layout.chars["line"].tolist() == [0, 0, 1, 3, 3, 3]
    assert layout.lines["cell"].tolist() == [-1, 0, -1, -1]
    assert layout.replaced_surrogates.tolist() == [5]
    assert layout.page_document[layout.chars["page"]].tolist() == [0, 0, 2, 3, 3, 3]


def test_same_arrays_as_decoding_the_joined_streams(decode_many, decode) -> None:
    many, joined = decode_many([A, B, C]), decode(A + B + C)
    assert np.array_equal(many.node_types, joined.node_types)
    for kind, array in many.arrays().items():
        assert array.tobytes() == joined.arrays()[kind].tobytes(), kind
    assert joined.page_document.tolist() == [0, 0, 0, 0]


def test_no_streams_and_empty_streams_are_an_empty_layout(decode_many) -> None:
    for streams in ([], [b""], [b"", b""]):
        layout = decode_many(streams)
        assert layout.text == "" and layout.page_document.size == 0
        assert all(a.size == 0 for a in layout.arrays().values())


def test_any_buffer_kind_and_any_iterable(decode_many) -> None:
    streams = (s for s in [A, bytearray(B), memoryview(C), np.frombuffer(A, np.uint8)])
    assert decode_many(streams).page_document.tolist() == [0, 1, 1, 2, 3]


def test_not_a_buffer_is_a_usage_error(decode_many) -> None:
    with pytest.raises(UsageError, match="got str"):
        decode_many([A, "page"])


def _error(decode_many, streams) -> iread.StreamError:
    with pytest.raises(iread.StreamError) as info:
        decode_many(streams)
    return info.value


def test_ragged_stream_is_named_with_its_own_node_and_byte(decode_many) -> None:
    error = _error(decode_many, [A, B, A[:-5], C])
    assert isinstance(error, iread.RaggedTailError)
    assert (error.stream_index, error.node_index, error.byte_offset) == (2, 4, 192)
    assert str(error).startswith("position stream 2, node 4 (byte 192): 43 trailing bytes")


@pytest.mark.parametrize(("head", "cls", "reason"), [
    (region(), iread.OrphanNodeError, "REGION node before its parent"),
    (line() + char("x"), iread.OrphanNodeError, "LINE node before its parent"),
    (char("x"), iread.OrphanNodeError, "CHAR node before its parent"),
    (node(9, b""), iread.UnknownNodeTypeError, "unknown node type 9"),
])
def test_a_stream_must_begin_with_a_page(decode_many, head, cls, reason) -> None:
    # joined after A, these nodes would be valid children of A's page: still refused
    error = _error(decode_many, [A, head + line() + char("y")])
    assert isinstance(error, cls) and reason in str(error)
    assert (error.stream_index, error.node_index, error.byte_offset) == (1, 0, 0)


def test_orphan_inside_a_stream(decode_many) -> None:
    error = _error(decode_many, [A, page() + region() + char("z")])
    assert isinstance(error, iread.OrphanNodeError)
    assert (error.stream_index, error.node_index, error.byte_offset) == (1, 2, 96)


def test_the_first_bad_stream_is_reported(decode_many) -> None:
    error = _error(decode_many, [A, page() + node(7, b""), A[:-1], region()])
    assert isinstance(error, iread.UnknownNodeTypeError)
    assert (error.stream_index, error.node_index) == (1, 1)


def test_stream_errors_pickle_with_their_stream() -> None:
    error = iread.OrphanNodeError("x", node_index=3, byte_offset=144, stream_index=7)
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy), copy.stream_index, copy.node_index, copy.byte_offset) == (
        iread.OrphanNodeError, str(error), 7, 3, 144)
    single = pickle.loads(pickle.dumps(iread.RaggedTailError("y", node_index=1, byte_offset=48)))
    assert single.stream_index is None and str(single) == "position stream node 1 (byte 48): y"


PARENTS = {"page": "page", "region": "region", "cell": "cell", "line": "line",
           "first_char": "char"}


def _decode_alone(backend: str, data: bytes):
    try:
        return iread.decode_with(backend, data)
    except iread.StreamError as exc:
        return exc


@settings(max_examples=100, deadline=None)
@given(st.lists(valid_records(), max_size=5))
def test_many_equals_each_alone(record_lists) -> None:
    streams = [iread.encode(records) for records in record_lists]
    for backend in iread.BACKENDS:
        many = iread.decode_many_with(backend, streams)
        assert many == iread.decode_many(streams)
        alone = [iread.decode_with(backend, s) for s in streams]
        expected = [i for i, layout in enumerate(alone) for _ in range(layout.pages.size)]
        assert many.page_document.tolist() == expected
        # every field equals the streams' own, parent indices shifted by the earlier streams'
        for kind, array in many.arrays().items():
            for field in array.dtype.names:
                parts = []
                for n, layout in enumerate(alone):
                    part = layout.arrays()[kind][field]
                    if field in PARENTS:
                        shift = sum(other.arrays()[PARENTS[field]].size for other in alone[:n])
                        part = np.where(part >= 0, part + shift, part)
                    parts.append(part)
                expected_field = np.concatenate(parts) if parts else array[field][:0]
                assert np.array_equal(array[field], expected_field), (kind, field)
        assert many.text == "\n".join(layout.text for layout in alone if len(layout))


@settings(max_examples=150, deadline=None)
@given(st.lists(valid_records(), min_size=1, max_size=4), st.data())
def test_a_mutated_stream_fails_as_it_fails_alone(record_lists, data) -> None:
    streams = [bytearray(iread.encode(records)) for records in record_lists]
    target = data.draw(st.integers(0, len(streams) - 1))
    stream = streams[target]
    if stream and data.draw(st.booleans()):
        at = data.draw(st.integers(0, len(stream) - 1))
        stream[at] = data.draw(st.integers(0, 255))
    else:
        del stream[data.draw(st.integers(0, len(stream))):]
        stream += data.draw(st.binary(max_size=60))
    for backend in iread.BACKENDS:
        outcomes = [_decode_alone(backend, bytes(s)) for s in streams]
        try:
            iread.decode_many_with(backend, streams)
        except iread.StreamError as exc:
            first = next(i for i, o in enumerate(outcomes) if isinstance(o, iread.StreamError))
            alone = outcomes[first]
            assert exc.stream_index == first
            assert (type(exc), exc.node_index, exc.byte_offset, exc.reason) == (
                type(alone), alone.node_index, alone.byte_offset, alone.reason)
        else:
            assert all(not isinstance(o, iread.StreamError) for o in outcomes)
