"""Errors of the position stream: each names the node index and byte offset of the problem."""

from __future__ import annotations

from ..errors import ProtocolError

__all__ = ["OrphanNodeError", "RaggedTailError", "StreamError", "UnknownNodeTypeError"]


class StreamError(ProtocolError):
    """A position stream that cannot be decoded; ``node_index`` and ``byte_offset`` say where."""

    def __init__(self, message: str, *, node_index: int, byte_offset: int) -> None:
        super().__init__(f"position stream node {node_index} (byte {byte_offset}): {message}")
        self.node_index = node_index
        self.byte_offset = byte_offset

    def __reduce__(self):
        return (_rebuild, (type(self), self.args[0], self.node_index, self.byte_offset))


def _rebuild(cls: type[StreamError], text: str, node_index: int, byte_offset: int) -> StreamError:
    error = cls.__new__(cls)
    ProtocolError.__init__(error, text)
    error.node_index, error.byte_offset = node_index, byte_offset
    return error


class RaggedTailError(StreamError):
    """The stream's length is not a whole number of 48-byte nodes (truncated or padded)."""


class UnknownNodeTypeError(StreamError):
    """A node whose ``wType`` is not PAGE, REGION, TABLECELL, LINE or CHAR (0..4)."""


class OrphanNodeError(StreamError):
    """A node before its parent: a REGION before any PAGE, a TABLECELL or LINE before any
    REGION of its page, a CHAR before any LINE of its region or cell."""
