"""Asynchronous HTTP with ``aiohttp`` (the ``async`` extra): the default of
:class:`lingyun.AsyncClient`.

Why aiohttp rather than httpx (whose transport, :mod:`lingyun.transports.httpx`, remains for
those who bring an httpx client): for each request httpcore's connection pool walks every
connection it holds, so a batch at concurrency 64 spent most of its time there -- measured by
``benchmarks/client.py``, 64 calls at 50 ms latency took 0.42 s on a fresh pool and 1.3-1.7 s
on the next batches of the same client, against 0.10 s with aiohttp, whose pool keeps idle
connections per host in a queue.

The guarantees are the same as :mod:`lingyun.transports.requests`', kept the asyncio way:

* the whole exchange runs under ``asyncio.timeout`` until the call's deadline, so a server
  that drips bytes is cut off exactly there (:class:`~lingyun.errors.DeadlineExceeded`);
* redirects are not followed -- the protocol refuses a 3xx;
* failures to connect (refused, unresolvable, connect timeout, a bad URL) mean nothing was
  sent (:class:`~lingyun.errors.ConnectError`); everything after the request left is a
  :class:`~lingyun.errors.ReadError`;
* replies are bounded by ``max_response_bytes``, declared or streamed (counted after
  decompression, as with requests, so a compressed bomb stops at the limit);
* proxies from the environment (``HTTPS_PROXY``, ``NO_PROXY``; credentials in the proxy URL)
  are honoured, like requests -- looked up once per origin, on its first call, rather than
  by aiohttp's ``trust_env`` on every request (which reads the environment and ``~/.netrc``
  each time: 0.75 ms a request, a third of a 64-call batch).
"""

from __future__ import annotations

import asyncio
import base64
import urllib.request
from collections.abc import Mapping
from typing import Any, cast

import aiohttp
import yarl

from ..errors import ConnectError, ReadError
from ..protocol import RawReply
from ._body import CHUNK, BoundedBody
from ._deadline import deadline_exceeded, passed, time_left
from ._environment import PerOrigin
from ._pool import PooledAsyncTransport
from ._text import reason as _reason
from ._text import where as _where

__all__ = ["AiohttpTransport"]

_NOTHING_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError,
                 aiohttp.InvalidURL)


def _environment_proxy(url: str) -> tuple[str | None, dict[str, str]]:
    """The proxy ``HTTP(S)_PROXY``/``NO_PROXY`` set for ``url``, and its credentials as a
    ``Proxy-Authorization`` header."""
    target = yarl.URL(url)
    found = urllib.request.getproxies().get(target.scheme)
    if not found or urllib.request.proxy_bypass(target.host or ""):
        return None, {}
    address = yarl.URL(found)
    headers = {}
    if address.user:
        pair = f"{address.user}:{address.password or ''}".encode()
        headers = {"Proxy-Authorization": "Basic " + base64.b64encode(pair).decode()}
    return str(address.with_user(None)), headers


class AiohttpTransport(PooledAsyncTransport):
    """POSTs with an :class:`aiohttp.ClientSession` (yours, or one it makes and closes).

    ``pool_size`` bounds the connections kept open; an async batch calls ``reserve()``
    with its concurrency.  A session of your own keeps its own connector and settings.
    """

    def __init__(self, session: aiohttp.ClientSession | None = None, **settings: Any) -> None:
        super().__init__(session, **settings)
        self._proxies = PerOrigin(_environment_proxy)

    def proxy_for(self, url: str) -> tuple[str | None, dict[str, str]]:
        """The proxy the environment sets for ``url``'s origin (``None`` for none) and the
        headers for it (``Proxy-Authorization`` from credentials in the proxy URL); looked
        up once per origin.  ``(None, {})`` for a session you passed in: it keeps its own
        ``trust_env``."""
        return self._proxies(url) if self._own else (None, {})

    @property
    def session(self) -> aiohttp.ClientSession:
        """The aiohttp session; one of our own is made on first use, in the running loop."""
        if self._session is None:
            connector = aiohttp.TCPConnector(limit=self.pool_size, limit_per_host=0)
            self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=aiohttp.ClientTimeout(total=None, sock_connect=self.connect_timeout))
        return cast(aiohttp.ClientSession, self._session)

    async def send(self, url: str, headers: Mapping[str, str], body: bytes, *,
                   deadline: float | None) -> RawReply:
        left = time_left(url, deadline)
        try:
            async with asyncio.timeout(left):
                return await self._exchange(url, headers, body)
        except TimeoutError:
            raise deadline_exceeded(url) from None
        except aiohttp.ClientError as exc:
            if passed(deadline):  # classified by the deadline, whatever failed first
                raise deadline_exceeded(url) from None
            if isinstance(exc, _NOTHING_SENT):
                raise ConnectError(f"could not connect to {_where(url)}: "
                                   f"{exc.__class__.__name__}: {_reason(exc)}") from None
            raise ReadError(f"connection to {_where(url)} broke after the request was sent (it "
                            f"may have been processed): {exc.__class__.__name__}: "
                            f"{_reason(exc)}") from None

    async def _exchange(self, url: str, headers: Mapping[str, str], body: bytes) -> RawReply:
        proxy, proxy_headers = self.proxy_for(url)
        sent = dict(headers)
        if proxy_headers and url[:5].lower() == "http:":
            # plain HTTP goes to the proxy as is: it reads the credentials from the request
            # itself (with https they go in the CONNECT that opens the tunnel)
            sent.update(proxy_headers)
            proxy_headers = {}
        async with self.session.post(url, data=body, headers=sent, allow_redirects=False,
                                     proxy=proxy,
                                     proxy_headers=proxy_headers or None) as response:
            reply = BoundedBody(url, response.headers, self.limits)
            async for chunk in response.content.iter_chunked(CHUNK):
                reply.add(chunk)
            return RawReply(response.status,
                            {k.lower(): v for k, v in response.headers.items()}, reply.bytes())

    async def _close(self) -> None:
        await self.session.close()
