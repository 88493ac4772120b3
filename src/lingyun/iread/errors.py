"""Errors of the position stream: each names the node index and byte offset of the problem.

:func:`lingyun.iread.decode_many` also names the stream: ``stream_index`` is its position
among the streams given, and ``node_index``/``byte_offset`` count from that stream's start,
so the same bad stream reports the same node whether it is decoded alone or among others.
"""

from __future__ import annotations

from ..errors import ProtocolError

__all__ = ["OrphanNodeError", "RaggedTailError", "StreamError", "UnknownNodeTypeError"]


class StreamError(ProtocolError):
    """A position stream that cannot be decoded; ``node_index`` and ``byte_offset`` say where.

    ``reason`` is the bare description (without the location); ``stream_index`` is the
    stream's position in a :func:`~lingyun.iread.decode_many` call, ``None`` for one stream.
    """

    def __init__(self, message: str, *, node_index: int, byte_offset: int,
                 stream_index: int | None = None) -> None:
        where = "" if stream_index is None else f" {stream_index},"
        super().__init__(f"position stream{where} node {node_index} (byte {byte_offset}): "
                         f"{message}")
        self.reason = message
        self.node_index = node_index
        self.byte_offset = byte_offset
        self.stream_index = stream_index

    def in_stream(self, stream_index: int) -> StreamError:
        """The same error, located in stream ``stream_index`` of a many-stream decode."""
        return type(self)(self.reason, node_index=self.node_index,
                          byte_offset=self.byte_offset, stream_index=stream_index)


class RaggedTailError(StreamError):
    """The stream's length is not a whole number of 48-byte nodes (truncated or padded)."""


class UnknownNodeTypeError(StreamError):
    """A node whose ``wType`` is not PAGE, REGION, TABLECELL, LINE or CHAR (0..4)."""


class OrphanNodeError(StreamError):
    """A node before its parent: a REGION before any PAGE, a TABLECELL or LINE before any
    REGION of its page, a CHAR before any LINE of its region or cell -- and, among many
    streams, a stream whose first node is not a PAGE."""
