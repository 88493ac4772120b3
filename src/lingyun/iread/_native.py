"""The C decoder (``lingyun._iread``, built by cffi): one call per decode, one arena.

Python sizes one uint8 arena by the upper bound ``LY_ARENA_PER_NODE`` bytes per input node,
hands C the streams (``ffi.from_buffer``: no copy) and the arena, and C validates, fills
and packs one section per output array in a single pass over the input.  The arrays of
the :class:`~lingyun.iread.Layout` are numpy views into the arena at the offsets C
returned, built once; they keep the arena alive.  C allocates nothing.

The upper bound costs little: a page is nearly all CHAR nodes, whose 64-byte records plus
a type byte are the bound itself.  On a 2,000-character page most of the cost of a decode
is this module's per-call glue (``benchmarks/`` measures it), so it is written flat, with every
name it uses looked up once at import.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._iread import ffi, lib
from .dtypes import NODE_SIZE, NODE_TYPES, OUTPUT
from .errors import OrphanNodeError, RaggedTailError, StreamError, UnknownNodeTypeError

__all__ = ["decode_streams", "ffi", "lib"]

_ERRORS: dict[int, type[StreamError]] = {
    lib.LY_RAGGED_TAIL: RaggedTailError,
    lib.LY_UNKNOWN_TYPE: UnknownNodeTypeError,
    lib.LY_ORPHAN: OrphanNodeError,
}
# ly_result read as size_t words, by word index.
_WORD = ffi.sizeof("size_t")
_RESULT_WORDS = ffi.sizeof("ly_result") // _WORD
_NODES = ffi.offsetof("ly_result", "nodes") // _WORD
_OFFSETS = ffi.offsetof("ly_result", "offsets") // _WORD
_SURROGATES = ffi.offsetof("ly_result", "surrogates") // _WORD
_BAD_STREAM = ffi.offsetof("ly_result", "bad_stream") // _WORD
_BAD_NODE = ffi.offsetof("ly_result", "bad_node") // _WORD
_SIZE_T = np.dtype(f"=u{_WORD}")
_AT = {kind: _OFFSETS + getattr(lib, f"LY_SECTION_{kind.upper()}") for kind in NODE_TYPES}
_AT_PAGE_STREAM = _OFFSETS + lib.LY_SECTION_PAGE_STREAM
_AT_NODE_TYPE = _OFFSETS + lib.LY_SECTION_NODE_TYPE
_AT_PAGE, _AT_REGION, _AT_CELL, _AT_LINE, _AT_CHAR = (_AT[kind] for kind in NODE_TYPES)
_PAGE, _REGION, _CELL, _LINE, _CHAR = (OUTPUT[kind] for kind in NODE_TYPES)
_U8 = np.dtype(np.uint8)
_I32 = np.dtype("<i4")
_PER_NODE = lib.LY_ARENA_PER_NODE
_OK = lib.LY_OK
_BYTES, _RESULT = "unsigned char[]", "ly_result[]"
_decode, _from_buffer, _view = lib.iread_decode, ffi.from_buffer, np.frombuffer
_scratch = threading.local()


def _result() -> tuple[np.ndarray, Any]:
    """This thread's ly_result, as size_t words and as the cffi pointer C writes through.

    Reused from call to call (C overwrites all of it; nothing of it outlives the call), so
    the per-call glue does not allocate it; one per thread because cffi releases the GIL
    during the call.
    """
    words = np.empty(_RESULT_WORDS, _SIZE_T)
    result = words, _from_buffer(_RESULT, words, True)
    _scratch.result = result
    return result


def _raise(status: int, stream_index: int, index: int, stream: Any, name_stream: bool) -> None:
    if status not in _ERRORS:
        raise RuntimeError(f"iread_decode returned status {status} (stream {stream_index}, "
                           f"node {index}): the arena was sized wrongly, a bug in lingyun")
    data = memoryview(stream).cast("B")
    total = data.nbytes
    if status == lib.LY_RAGGED_TAIL:
        message = (f"{total % NODE_SIZE} trailing bytes: the stream is {total} bytes, not a "
                   f"whole number of {NODE_SIZE}-byte nodes")
    else:
        value = data[index * NODE_SIZE] | data[index * NODE_SIZE + 1] << 8
        message = (f"unknown node type {value} (expected 0..4)" if status == lib.LY_UNKNOWN_TYPE
                   else f"{NODE_TYPES[value].upper()} node before its parent")
    raise _ERRORS[status](message, node_index=index, byte_offset=index * NODE_SIZE,
                          stream_index=stream_index if name_stream else None)


def decode_streams(
    streams: Sequence[Any], *, name_streams: bool
) -> tuple[np.ndarray, dict[str, np.ndarray], bool, np.ndarray]:
    """``(node_types, {kind: records}, any surrogates, page_stream)`` for 1-D byte buffers.

    Raises the first bad stream's :class:`StreamError`; ``name_streams`` sets its
    ``stream_index`` (``decode_many``) or leaves it ``None`` (``decode``).
    """
    if len(streams) == 1:  # decode: spare the comprehension's frame
        pointers = [_from_buffer(_BYTES, streams[0])]
        lengths = [len(pointers[0])]
    else:
        pointers = [_from_buffer(_BYTES, stream) for stream in streams]
        lengths = list(map(len, pointers))
    arena = np.empty(sum(lengths) // NODE_SIZE * _PER_NODE, _U8)
    try:
        words, result = _scratch.result
    except AttributeError:
        words, result = _result()
    status = _decode(pointers, lengths, len(pointers), _from_buffer(_BYTES, arena, True),
                     arena.size, result)
    w = words.tolist()  # the whole ly_result in one call
    if status != _OK:
        bad_stream, bad_node = w[_BAD_STREAM], w[_BAD_NODE]
        _raise(status, bad_stream, bad_node, streams[bad_stream], name_streams)
    pages = w[0]
    return (
        _view(arena, _U8, w[_NODES], w[_AT_NODE_TYPE]),
        {
            "page": _view(arena, _PAGE, pages, w[_AT_PAGE]),
            "region": _view(arena, _REGION, w[1], w[_AT_REGION]),
            "cell": _view(arena, _CELL, w[2], w[_AT_CELL]),
            "line": _view(arena, _LINE, w[3], w[_AT_LINE]),
            "char": _view(arena, _CHAR, w[4], w[_AT_CHAR]),
        },
        w[_SURROGATES] > 0,
        _view(arena, _I32, pages, w[_AT_PAGE_STREAM]),
    )
