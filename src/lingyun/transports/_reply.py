"""What every HTTP transport does alike: the time left before a call's deadline, the
endpoint and a bounded reason in messages, a reply body no larger than the limit (declared
or streamed), what the environment says per origin, and -- for the asynchronous ones -- a
pool of their own sized for a batch."""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from ..errors import DeadlineExceeded, ProtocolError
from ..protocol import DEFAULT_MAX_RESPONSE_BYTES, declared_length
from . import AsyncTransport

#: Bytes asked for per read of a streamed reply.
CHUNK = 1 << 16

T = TypeVar("T")


def where(url: str) -> str:
    """The endpoint without its query string, for messages."""
    return url.split("?", 1)[0]


def reason(exc: BaseException) -> str:
    """An exception's text, at most 200 characters."""
    text = str(exc) or exc.__class__.__name__
    return text if len(text) <= 200 else text[:200] + "…"


def time_left(url: str, deadline: float | None) -> float | None:
    """Seconds until ``deadline`` (``None``: no deadline); :class:`DeadlineExceeded` if none
    are left, before anything is sent."""
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded(f"no time left to call {where(url)}")
    return left


class PerOrigin(Generic[T]):
    """``lookup(url)`` computed once per origin (scheme, host, port) and then remembered:
    how the transports read proxies and the like from the environment, which the HTTP
    libraries would otherwise read again on every call."""

    def __init__(self, lookup: Callable[[str], T]) -> None:
        self._lookup = lookup
        self._found: dict[tuple[str, str | None, int | None], T] = {}

    def __call__(self, url: str) -> T:
        parts = urllib.parse.urlsplit(url)
        origin = (parts.scheme, parts.hostname, parts.port)
        if origin not in self._found:
            self._found[origin] = self._lookup(url)
        return self._found[origin]


class PooledAsyncTransport(AsyncTransport):
    """Base of the asynchronous HTTP transports: a session of the caller's, or one of our own
    made on first use (in the running loop) with ``pool_size`` connections and closed by
    :meth:`aclose`."""

    def __init__(self, session: Any = None, *, connect_timeout: float = 10.0,
                 max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
                 pool_size: int = 100) -> None:
        self._session = session
        self._own = session is None
        self.pool_size = pool_size
        self.connect_timeout = connect_timeout
        self.max_response_bytes = max_response_bytes

    def __repr__(self) -> str:
        return f"{type(self).__name__}(pool_size={self.pool_size})"

    def reserve(self, concurrency: int) -> None:
        """Size the pool for ``concurrency`` calls (a pool of our own, before first use)."""
        if self._own and self._session is None:
            self.pool_size = max(self.pool_size, concurrency)

    async def _close(self) -> None:
        raise NotImplementedError

    async def aclose(self) -> None:
        if self._own and self._session is not None:
            await self._close()


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
