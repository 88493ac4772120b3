"""The ``IREAD_NODE`` position stream: decode it into numpy arrays, encode it back.

Text recognition with ``withPosition=1`` returns its JSON followed by packed 48-byte
``IREAD_NODE`` structs (SPEC §5).  :func:`decode` turns them into a :class:`Layout` of numpy
structured arrays -- pages, regions, table cells, lines, characters with boxes, five
candidates and their distances -- and the text rebuilt from them.

Two decoders give bit-identical arrays and the same errors: the C one (``lingyun._iread``,
built by cffi when a compiler is present) and a numpy-vectorised fallback.
:data:`BACKEND` says which one runs; ``LINGYUN_IREAD_BACKEND=auto|c|python`` chooses, and
forcing ``c`` where it was not built fails at import, loudly.

Decisions on hostile input (each error is a :class:`StreamError`, a
:class:`~lingyun.ProtocolError`, carrying ``node_index`` and ``byte_offset``):

* a length that is not a whole number of nodes -> :class:`RaggedTailError` at the partial
  node (reported only if every whole node before it is valid);
* a ``wType`` outside 0..4 -> :class:`UnknownNodeTypeError`;
* a REGION before any PAGE, a TABLECELL or LINE before any REGION of the page, a CHAR
  before any LINE of the region or cell -> :class:`OrphanNodeError`;
* surrogate pairs are joined, lone surrogates become U+FFFD (``Layout.replaced_surrogates``);
* candidate slots are kept raw; distance 255 marks an unused slot (``Layout.candidates``);
* an empty stream is a valid, empty layout.

:func:`decode_many` decodes many streams (one per page or per document, as the bulk command
saves them) into one Layout whose arrays hold every page of every stream, with
``Layout.page_document`` naming each page's stream.  Each stream is judged as :func:`decode`
judges it alone, and must also begin with a PAGE (an empty stream adds nothing); an error
names the stream (``stream_index``) and the node and byte within it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from ..errors import UsageError
from .dtypes import NODE_SIZE
from .encode import encode, encode_arrays
from .errors import OrphanNodeError, RaggedTailError, StreamError, UnknownNodeTypeError
from .layout import Layout, LineView, join_surrogates

__all__ = [
    "BACKEND",
    "NODE_SIZE",
    "Layout",
    "LineView",
    "OrphanNodeError",
    "RaggedTailError",
    "StreamError",
    "UnknownNodeTypeError",
    "decode",
    "decode_many",
    "decode_many_with",
    "decode_with",
    "encode",
    "encode_arrays",
]

POLICY_VARIABLE = "LINGYUN_IREAD_BACKEND"
_NONE_REPLACED = np.zeros(0, dtype=np.intp)


def _load_backends(policy: str) -> dict[str, Any]:
    from . import _python

    backends: dict[str, Any] = {"python": _python}
    try:
        from . import _native
    except ImportError as exc:
        if policy == "c":
            raise ImportError(
                f"{POLICY_VARIABLE}=c but the compiled decoder lingyun._iread is not "
                f"available ({exc}); reinstall lingyun with a C compiler present"
            ) from exc
    else:
        backends["c"] = _native
    return backends


_policy = os.environ.get(POLICY_VARIABLE, "auto").strip().lower() or "auto"
if _policy not in ("auto", "c", "python"):
    raise ImportError(
        f"{POLICY_VARIABLE}={_policy!r} is not one of auto, c, python"
    )
#: Every decoder available in this installation, by name.
BACKENDS: dict[str, Any] = _load_backends(_policy)
#: The decoder :func:`decode` uses: ``"c"`` or ``"python"``.
BACKEND: str = "python" if _policy == "python" or "c" not in BACKENDS else "c"
_DEFAULT = BACKENDS[BACKEND]


def _as_buffer(data: Any) -> Any:
    """``data`` as a contiguous 1-D byte buffer both decoders read without copying."""
    if type(data) is bytes:
        return data
    if isinstance(data, np.ndarray):
        if data.dtype != np.uint8 or data.ndim != 1:
            raise UsageError(f"decode expects a 1-D uint8 array, got {data.dtype} {data.shape}")
        return np.ascontiguousarray(data)
    if isinstance(data, bytes | bytearray | memoryview):
        view = memoryview(data)
        if not view.contiguous:
            raise UsageError("decode expects a contiguous buffer")
        return view.cast("B") if view.format != "B" or view.ndim != 1 else view
    raise UsageError(
        f"decode expects bytes, memoryview or a uint8 numpy array, got {type(data).__name__}"
    )


def _backend(name: str) -> Any:
    try:
        return BACKENDS[name]
    except KeyError:
        raise UsageError(
            f"iread backend {name!r} is not available; available: {sorted(BACKENDS)}"
        ) from None


def _layout(decoded: tuple[np.ndarray, dict[str, np.ndarray], bool, np.ndarray]) -> Layout:
    node_types, arrays, surrogates, page_document = decoded
    replaced = join_surrogates(arrays["char"]) if surrogates else _NONE_REPLACED
    return Layout(node_types, arrays, replaced, page_document)


def from_records(records: Iterable[Mapping[str, Any]]) -> Layout:
    """The layout described by node ``records`` (as :meth:`Layout.to_records` gives them):
    ``decode(encode(records))``."""
    return decode(encode(records))


def decode_with(backend: str, data: Any) -> Layout:
    """:func:`decode` on a named backend (``"c"`` or ``"python"``), for tests and benchmarks."""
    return _layout(_backend(backend).decode_streams([_as_buffer(data)], name_streams=False))


def decode(data: Any) -> Layout:
    """Decode a position stream (``bytes``, ``memoryview`` or uint8 array) into a Layout."""
    return _layout(_DEFAULT.decode_streams([_as_buffer(data)], name_streams=False))


def decode_many_with(backend: str, streams: Iterable[Any]) -> Layout:
    """:func:`decode_many` on a named backend (``"c"`` or ``"python"``)."""
    module = _backend(backend)
    return _layout(module.decode_streams([_as_buffer(s) for s in streams], name_streams=True))


def decode_many(streams: Iterable[Any]) -> Layout:
    """Decode many position streams into one Layout; ``page_document`` says whose page is whose.

    ``streams`` is any iterable of what :func:`decode` accepts.  The result's arrays hold the
    pages of stream 0, then those of stream 1, and so on; parent indices are global (a char's
    ``page`` indexes the combined ``pages``).  A bad stream raises the :class:`StreamError`
    that decoding it alone would raise, with ``stream_index`` set (alone, a stream that does
    not begin with a PAGE is already an :class:`OrphanNodeError` at its node 0).
    """
    return decode_many_with(BACKEND, streams)
