"""The C entry point: one arena per decode, sized by the bound, refused when too small."""

from __future__ import annotations

import numpy as np
import pytest

import lingyun.iread as iread

from .conftest import cell, char, line, page, region

native = pytest.importorskip("lingyun.iread._native", reason="the C decoder is not built")
ffi, lib = native.ffi, native.lib

STREAM = (page() + region() + line() + char("a") + cell() + line() + char("b") + char("c")
          + page() + region())


def _call(streams: list[bytes], arena_size: int):
    pointers = [ffi.from_buffer("unsigned char[]", s) for s in streams]
    arena = np.full(max(arena_size, 1), 0xAB, dtype=np.uint8)
    result = ffi.new("ly_result *")
    status = lib.iread_decode(pointers, [len(s) for s in streams], len(streams),
                              ffi.from_buffer("unsigned char[]", arena, require_writable=True),
                              arena_size, result)
    return status, result, arena


def test_every_array_is_a_view_of_one_arena() -> None:
    layout = iread.decode_with("c", STREAM)
    arrays = [*layout.arrays().values(), layout.node_types, layout.page_document]
    bases = {id(a.base) for a in arrays}
    assert len(bases) == 1
    arena = arrays[0].base
    assert arena.nbytes == 10 * lib.LY_ARENA_PER_NODE
    assert all(np.shares_memory(a, arena) for a in arrays if a.size)


def test_sections_are_packed_in_order_and_node_types_follow_the_char_area() -> None:
    status, result, arena = _call([STREAM], 10 * lib.LY_ARENA_PER_NODE)
    assert status == lib.LY_OK
    counts = result.counts
    assert (counts.pages, counts.regions, counts.cells, counts.lines, counts.chars) == (
        2, 2, 1, 2, 3)
    sizes = [3 * 64, 2 * 28, 2 * 24, 1 * 24, 2 * 12, 2 * 4]
    assert list(result.offsets)[:6] == [sum(sizes[:k]) for k in range(6)]
    assert result.offsets[lib.LY_SECTION_NODE_TYPE] == 10 * 64
    assert arena[640:650].tolist() == [0, 1, 3, 4, 2, 3, 4, 4, 0, 1]


def test_an_arena_below_the_bound_is_refused_before_anything_is_written() -> None:
    size = 10 * lib.LY_ARENA_PER_NODE - 1
    status, _, arena = _call([STREAM], size)
    assert status == lib.LY_CAPACITY
    assert (arena == 0xAB).all()


def test_errors_name_the_stream_and_the_node_within_it() -> None:
    status, result, _ = _call([STREAM, page() + char("x")], 12 * lib.LY_ARENA_PER_NODE)
    assert status == lib.LY_ORPHAN
    assert (result.bad_stream, result.bad_node) == (1, 1)


def test_threads_decoding_at_once_each_get_their_own_result() -> None:
    # cffi releases the GIL during the call and the ly_result scratch is reused per thread:
    # streams of different shapes decoded concurrently must each come back intact.
    from concurrent.futures import ThreadPoolExecutor

    streams = [page() + region() + line() + b"".join(char(chr(0x4E00 + k)) for k in range(n))
               for n in (1, 50, 400, 3000)]
    expected = [iread.decode_with("python", s) for s in streams]

    def work(k: int) -> bool:
        return all(iread.decode_with("c", streams[k % 4]) == expected[k % 4] for _ in range(50))

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert all(pool.map(work, range(16)))
