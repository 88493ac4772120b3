"""Hand-built streams, one per node kind and per error case, on every backend."""

from __future__ import annotations

import numpy as np
import pytest

import lingyun.iread as iread
from lingyun import ProtocolError

from .conftest import cell, char, line, node, page, region


def test_empty_stream_is_an_empty_layout(decode) -> None:
    layout = decode(b"")
    assert layout.text == "" and len(layout) == 0
    assert all(a.size == 0 for a in layout.arrays().values())


def test_page(decode) -> None:
    layout = decode(page(1024, 768, -150))
    assert layout.pages.tolist() == [(1024, 768, -150)]


def test_region(decode) -> None:
    layout = decode(page() + region((5, 6, 700, 500), region_type=3, lang=0xFFFF))
    r = layout.regions[0]
    assert (r["left"], r["top"], r["right"], r["bottom"]) == (5, 6, 700, 500)
    assert (r["region_type"], r["lang"], r["page"]) == (3, 0xFFFF, 0)


def test_table_cell_and_its_lines(decode) -> None:
    layout = decode(page() + region() + line() + char("a") + cell((1, 2, 3, 4)) + line()
                    + char("b"))
    assert layout.cells.tolist() == [(1, 2, 3, 4, 0, 0)]
    assert layout.lines["cell"].tolist() == [-1, 0]
    assert layout.chars["cell"].tolist() == [-1, 0]
    assert layout.text == "a\nb"


def test_line(decode) -> None:
    layout = decode(page() + region() + line(100, 40, 22, 35))
    ln = layout.lines[0]
    assert (ln["baseline"], ln["size"], ln["avg_char_width"], ln["avg_char_height"]) == (
        100, 40, 22, 35)
    assert (ln["first_char"], ln["char_count"], ln["region"], ln["page"]) == (-1, 0, 0, 0)


def test_char_every_field(decode) -> None:
    layout = decode(page() + region() + line() + char(
        "灵", box=(-3, 4, 50, 60), space_before=2, suspect=1,
        candidates=(ord("灵"), ord("云"), 0, 0, 0), distances=(3, 90, 255, 255, 255),
        reserved=7, attribute=(0xAAAA, 0xBBBB)))
    c = layout.chars[0]
    assert c["code"] == ord("灵") and c["text"] == "灵" and c["space_before"] == 2
    assert (c["left"], c["top"], c["right"], c["bottom"]) == (-3, 4, 50, 60)
    assert c["suspect"] == 1 and c["reserved"] == 7
    assert c["candidates"].tolist() == [ord("灵"), ord("云"), 0, 0, 0]
    assert c["distances"].tolist() == [3, 90, 255, 255, 255]
    assert layout.candidates(0) == [("灵", 3), ("云", 90)]
    assert layout.text == "  灵"


def test_parents_and_text_across_pages(decode) -> None:
    stream = (page() + region() + line() + char("A") + char("B", space_before=1) + line()
              + char("C") + page() + region() + region() + line() + char("D"))
    layout = decode(stream)
    assert layout.text == "A B\nC\nD"
    assert layout.chars["line"].tolist() == [0, 0, 1, 2]
    assert layout.chars["page"].tolist() == [0, 0, 0, 1]
    assert layout.chars["region"].tolist() == [0, 0, 0, 2]
    assert layout.lines["first_char"].tolist() == [0, 2, 3]
    assert layout.lines["char_count"].tolist() == [2, 1, 1]
    assert [v.text for v in layout] == ["A B", "C", "D"]
    assert layout.node_types.tolist() == [0, 1, 3, 4, 4, 3, 4, 0, 1, 1, 3, 4]


def test_surrogate_pairs_join_and_lone_surrogates_are_replaced(decode) -> None:
    high, low = 0xD83D, 0xDE00  # U+1F600
    stream = (page() + region() + line() + char(high) + char(low, space_before=4)
              + char(0xDC00) + char("x") + char(0xD800) + line() + char(low))
    layout = decode(stream)
    assert layout.chars["text"].tolist() == ["😀", "", "\ufffd", "x", "\ufffd", "\ufffd"]
    assert layout.replaced_surrogates.tolist() == [2, 4, 5]
    assert layout.text == "😀\ufffdx\ufffd\n\ufffd"


def test_unaligned_buffer(decode) -> None:
    stream = page() + region() + line() + char("z", box=(7, 8, 9, 10))
    shifted = np.frombuffer(b"\0" + stream, dtype=np.uint8)[1:]
    assert shifted.ctypes.data % 2 == 1
    assert decode(shifted).chars[["left", "bottom"]].tolist() == [(7, 10)]
    assert decode(memoryview(stream)).text == "z"


@pytest.mark.parametrize(
    ("stream", "error", "index"),
    [
        (page() + b"\0" * 47, iread.RaggedTailError, 1),
        (b"\x00" * 20, iread.RaggedTailError, 0),
        (page() + node(5, b""), iread.UnknownNodeTypeError, 1),
        (page() + node(0xFFFF, b"") + b"\0" * 3, iread.UnknownNodeTypeError, 1),
        (region(), iread.OrphanNodeError, 0),
        (page() + line(), iread.OrphanNodeError, 1),
        (page() + cell(), iread.OrphanNodeError, 1),
        (page() + region() + char("a"), iread.OrphanNodeError, 2),
        (page() + region() + line() + page() + char("a"), iread.OrphanNodeError, 4),
        (page() + region() + line() + cell() + char("a"), iread.OrphanNodeError, 4),
        (page() + region() + node(7, b"") + region() + b"\0", iread.UnknownNodeTypeError, 2),
    ],
)
def test_errors_name_the_first_bad_node(decode, stream: bytes, error, index: int) -> None:
    with pytest.raises(error) as info:
        decode(stream)
    assert isinstance(info.value, ProtocolError)
    assert (info.value.node_index, info.value.byte_offset) == (index, index * 48)
    assert f"node {index} (byte {index * 48})" in str(info.value)


def test_bad_input_types() -> None:
    from lingyun import UsageError

    with pytest.raises(UsageError, match="uint8"):
        iread.decode(np.zeros(4, dtype=np.int32))
    with pytest.raises(UsageError, match="got str"):
        iread.decode("not bytes")
