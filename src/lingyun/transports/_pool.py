"""The connection pool of the asynchronous HTTP transports: a session of the caller's, or
one of their own sized for a batch."""

from __future__ import annotations

from typing import Any

from . import AsyncTransport
from ._body import DEFAULT_REPLY_BUDGET, ReplyLimits

__all__ = ["PooledAsyncTransport"]


class PooledAsyncTransport(AsyncTransport):
    """Base of the asynchronous HTTP transports: a session of the caller's, or one of our own
    made on first use (in the running loop) with ``pool_size`` connections and closed by
    :meth:`aclose`.  Replies are bounded per call and per batch (:class:`ReplyLimits`)."""

    def __init__(self, session: Any = None, *, connect_timeout: float = 10.0,
                 max_response_bytes: int | None = None,
                 reply_budget: int = DEFAULT_REPLY_BUDGET,
                 pool_size: int = 100) -> None:
        self._session = session
        self._own = session is None
        self.pool_size = pool_size
        self.connect_timeout = connect_timeout
        self.limits = ReplyLimits(max_response_bytes, reply_budget)

    @property
    def max_response_bytes(self) -> int:
        """The most bytes one reply may have (its capability's size may be smaller)."""
        return self.limits.per_call

    def __repr__(self) -> str:
        return f"{type(self).__name__}(pool_size={self.pool_size})"

    def reserve(self, concurrency: int) -> None:
        """Size the pool for ``concurrency`` calls (a pool of our own, before first use), and
        share the reply budget among them."""
        self.limits.reserve(concurrency)
        if self._own and self._session is None:
            self.pool_size = max(self.pool_size, concurrency)

    async def _close(self) -> None:
        raise NotImplementedError

    async def aclose(self) -> None:
        if self._own and self._session is not None:
            await self._close()
