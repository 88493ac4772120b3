"""Asynchronous HTTP with ``httpx`` (the ``async`` extra), for :class:`lingyun.AsyncClient`.

The same guarantees as :mod:`lingyun.transports.requests`, kept the asyncio way:

* the whole exchange runs under ``asyncio.timeout`` until the call's deadline, so a server
  that drips bytes is cut off exactly there (:class:`~lingyun.errors.DeadlineExceeded`);
* redirects are not followed (httpx's default, kept explicit) -- the protocol refuses a 3xx;
* failures to connect, or to get a pooled connection, mean nothing was sent
  (:class:`~lingyun.errors.ConnectError`); everything after the request left is a
  :class:`~lingyun.errors.ReadError`;
* replies are bounded by ``max_response_bytes``, declared or streamed (counted after
  decompression, so a compressed bomb stops at the limit).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, cast

import httpx

from ..errors import ConnectError, ReadError
from ..protocol import RawReply
from ._body import BoundedBody
from ._deadline import deadline_exceeded, passed, time_left
from ._pool import PooledAsyncTransport
from ._text import reason as _reason
from ._text import where as _where

__all__ = ["HTTPXTransport"]

_NOTHING_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout,
                 httpx.UnsupportedProtocol, httpx.InvalidURL)


class HTTPXTransport(PooledAsyncTransport):
    """POSTs with an :class:`httpx.AsyncClient` (yours, or one it makes and closes).

    ``pool_size`` bounds the connections kept open; an async batch calls ``reserve()`` with
    its concurrency.
    """

    def __init__(self, client: httpx.AsyncClient | None = None, **settings: Any) -> None:
        super().__init__(client, **settings)

    @property
    def client(self) -> httpx.AsyncClient:
        """The httpx client; one of our own is made on first use, in the running loop."""
        if self._session is None:
            limits = httpx.Limits(max_connections=self.pool_size,
                                  max_keepalive_connections=self.pool_size)
            self._session = httpx.AsyncClient(limits=limits, follow_redirects=False,
                                              trust_env=True)
        return cast(httpx.AsyncClient, self._session)

    async def send(self, url: str, headers: Mapping[str, str], body: bytes, *,
                   deadline: float | None) -> RawReply:
        left = time_left(url, deadline)
        timeout = httpx.Timeout(left, connect=min(self.connect_timeout, left or
                                                  self.connect_timeout))
        try:
            async with asyncio.timeout(left):
                return await self._exchange(url, headers, body, timeout)
        except TimeoutError:
            raise deadline_exceeded(url) from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise self._failure(exc, url, deadline) from None

    def _failure(self, exc: Exception, url: str, deadline: float | None) -> Exception:
        """The lingyun error for ``exc``, classified by the deadline first: httpx's read
        timeout is the time left when the call started, so once it fires the deadline has
        passed, whichever timer went first."""
        if passed(deadline) or (deadline is not None and isinstance(exc, httpx.ReadTimeout)):
            return deadline_exceeded(url)
        if isinstance(exc, _NOTHING_SENT):
            return ConnectError(f"could not connect to {_where(url)}: "
                                f"{exc.__class__.__name__}: {_reason(exc)}")
        if isinstance(exc, httpx.TimeoutException):
            return ReadError(f"timed out waiting for {_where(url)} after the request was sent "
                             f"(it may have been processed): {_reason(exc)}")
        return ReadError(f"connection to {_where(url)} broke after the request was sent (it "
                         f"may have been processed): {exc.__class__.__name__}: {_reason(exc)}")

    async def _exchange(self, url: str, headers: Mapping[str, str], body: bytes,
                        timeout: httpx.Timeout) -> RawReply:
        request = self.client.build_request("POST", url, content=body, headers=dict(headers),
                                            timeout=timeout)
        response = await self.client.send(request, stream=True, follow_redirects=False)
        try:
            reply = BoundedBody(url, response.headers, self.limits)
            async for chunk in response.aiter_bytes():  # decompressed, as requests does
                reply.add(chunk)
        finally:
            await response.aclose()
        return RawReply(response.status_code,
                        {k.lower(): v for k, v in response.headers.items()}, reply.bytes())

    async def _close(self) -> None:
        await self.client.aclose()
