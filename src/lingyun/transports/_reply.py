"""What every HTTP transport does alike: name the endpoint in messages, quote a bounded
reason, and read a reply body no larger than the limit -- declared or streamed."""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import ProtocolError
from ..protocol import declared_length

#: Bytes asked for per read of a streamed reply.
CHUNK = 1 << 16


def where(url: str) -> str:
    """The endpoint without its query string, for messages."""
    return url.split("?", 1)[0]


def reason(exc: BaseException) -> str:
    """An exception's text, at most 200 characters."""
    text = str(exc) or exc.__class__.__name__
    return text if len(text) <= 200 else text[:200] + "…"


class BoundedBody:
    """Collects a reply body, refusing it (:class:`~lingyun.errors.ProtocolError`) as soon as
    its declared length or the bytes received exceed ``limit``."""

    def __init__(self, url: str, headers: Mapping[str, str], limit: int) -> None:
        declared = declared_length(headers)
        if declared is not None and declared > limit:
            raise ProtocolError(f"reply from {where(url)} declares {declared} bytes, over the "
                                f"{limit}-byte limit")
        self.url = url
        self.limit = limit
        self.size = 0
        self.chunks: list[bytes] = []

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            raise ProtocolError(f"reply from {where(self.url)} exceeds the {self.limit}-byte "
                                "limit")
        self.chunks.append(chunk)

    def bytes(self) -> bytes:
        return b"".join(self.chunks)
