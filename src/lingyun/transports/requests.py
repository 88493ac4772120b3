"""HTTP with ``requests``: pooled connections, proxies from the environment, a hard deadline.

What this transport guarantees, whatever the server does:

* **Every call ends by its deadline.**  Connect and per-read timeouts are cut to the time
  left, and the sockets of the call are registered with the private ``_watchdog`` module,
  which shuts them down when the deadline passes -- so a server that drips one byte at a
  time cannot hold a call past it.
* **Redirects are never followed** (``allow_redirects=False``): a 3xx is handed to
  :func:`lingyun.protocol.read_reply`, which refuses it, so credentials and the image never
  reach another host.
* **Connect failures and read failures are told apart**: nothing was sent
  (:class:`~lingyun.errors.ConnectError`) versus sent without a whole reply
  (:class:`~lingyun.errors.ReadError`).
* **Replies are bounded**: a declared or streamed size over ``max_response_bytes`` is a
  :class:`~lingyun.errors.ProtocolError` before it is all read.

The environment (``HTTPS_PROXY``, ``NO_PROXY``, ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE``,
``~/.netrc``) is honoured as ``requests`` honours it, but read once per origin on its first
call rather than on every request: with ``trust_env`` requests walks the whole environment
twice per call and looks for ``~/.netrc``, a third of the client's own time per call.  A
session you pass in is left as you configured it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ..errors import ConnectError, DeadlineExceeded, ReadError
from ..protocol import DEFAULT_MAX_RESPONSE_BYTES, RawReply
from . import Transport, _watchdog
from ._reply import CHUNK, BoundedBody, PerOrigin, time_left
from ._reply import reason as _reason
from ._reply import where as _where

__all__ = ["DEFAULT_POOL_SIZE", "RequestsTransport"]

DEFAULT_POOL_SIZE = 10


class _Watched:
    """Mixin: register the connection's socket with the current call's deadline watch."""

    sock: Any

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        watch = _watchdog.current()
        if watch is not None:
            watch.add(self.sock)

    def request(self, *args: Any, **kwargs: Any) -> None:
        watch = _watchdog.current()
        if watch is not None and self.sock is not None:  # a reused keep-alive connection
            watch.add(self.sock)
        super().request(*args, **kwargs)  # type: ignore[misc]


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class _DeadlineAdapter(HTTPAdapter):
    """An HTTPAdapter whose pools use the watched connection classes (proxies too)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _POOLS
        return manager


def _nothing_sent(exc: requests.RequestException) -> bool:
    """True when ``exc`` proves the request never left: no connection was made."""
    if isinstance(exc, requests.ConnectTimeout | requests.exceptions.InvalidURL
                  | requests.exceptions.MissingSchema | requests.exceptions.InvalidSchema):
        return True
    if isinstance(exc, requests.ConnectionError):
        reason = exc.args[0] if exc.args else None
        inner = getattr(reason, "reason", reason)
        return isinstance(inner, urllib3.exceptions.NewConnectionError
                          | urllib3.exceptions.NameResolutionError
                          | urllib3.exceptions.ConnectTimeoutError)
    return False


def _environment_settings(url: str) -> dict[str, Any]:
    """What requests with ``trust_env`` would take from the environment for ``url``."""
    found: dict[str, Any] = {"proxies": requests.utils.get_environ_proxies(url)}
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        found["verify"] = bundle
    auth = requests.utils.get_netrc_auth(url)
    if auth:
        found["auth"] = auth
    return found


class RequestsTransport(Transport):
    """POSTs raw image bytes with a :class:`requests.Session`.

    ``session`` may be your own (auth, proxies, certificates); the transport mounts its
    deadline-aware adapter on it for ``http://`` and ``https://``.  ``pool_size`` is the
    number of connections kept per host; :meth:`reserve` grows it for a batch.
    """

    def __init__(
        self,
        session: requests.Session | None = None,
        *,
        connect_timeout: float = 10.0,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        pool_size: int = DEFAULT_POOL_SIZE,
    ) -> None:
        self.session = session if session is not None else requests.Session()
        # our own session: the environment is read once per origin (environment_for)
        self._own_session = session is None
        if self._own_session:
            self.session.trust_env = False
        self._environment = PerOrigin(_environment_settings)
        self.connect_timeout = connect_timeout
        self.max_response_bytes = max_response_bytes
        self.pool_size = 0
        self._lock = threading.Lock()
        self.reserve(pool_size)

    def __repr__(self) -> str:
        return f"RequestsTransport(pool_size={self.pool_size})"

    def environment_for(self, url: str) -> dict[str, Any]:
        """What the environment sets for ``url``'s origin, as keyword arguments of
        ``Session.request`` (proxies, CA bundle, netrc credentials); looked up once per
        origin.  Empty for a session you passed in: it keeps its own ``trust_env``."""
        return self._environment(url) if self._own_session else {}

    def reserve(self, concurrency: int) -> None:
        """Keep at least ``concurrency`` connections per host (a batch's workers)."""
        with self._lock:
            if concurrency <= self.pool_size:
                return
            adapter = _DeadlineAdapter(pool_connections=4, pool_maxsize=concurrency,
                                       max_retries=0)
            old = self.session.adapters.get("http://")
            self.session.mount("http://", adapter)
            self.session.mount("https://", adapter)
            if isinstance(old, _DeadlineAdapter):
                old.close()
            self.pool_size = concurrency

    def send(self, url: str, headers: Mapping[str, str], body: bytes, *,
             deadline: float | None) -> RawReply:
        left = time_left(url, deadline)
        connect = self.connect_timeout if left is None else min(self.connect_timeout, left)
        with _watchdog.watching(deadline) as watch:
            try:
                response = self.session.post(
                    url, data=body, headers=dict(headers), timeout=(connect, left),
                    stream=True, allow_redirects=False, **self.environment_for(url))
                with response:
                    content = self._read(response, url)
                    return RawReply(response.status_code,
                                    {k.lower(): v for k, v in response.headers.items()},
                                    content)
            except requests.RequestException as exc:
                if watch is not None and watch.fired:
                    raise DeadlineExceeded(
                        f"{_where(url)} did not answer in full before the call's deadline"
                    ) from None
                if _nothing_sent(exc):
                    raise ConnectError(
                        f"could not connect to {_where(url)}: {exc.__class__.__name__}: "
                        f"{_reason(exc)}") from None
                if isinstance(exc, requests.Timeout):
                    raise ReadError(
                        f"timed out waiting for {_where(url)} after the request was sent "
                        f"(it may have been processed): {_reason(exc)}") from None
                raise ReadError(
                    f"connection to {_where(url)} broke after the request was sent (it may "
                    f"have been processed): {exc.__class__.__name__}: {_reason(exc)}"
                ) from None

    def _read(self, response: requests.Response, url: str) -> bytes:
        body = BoundedBody(url, response.headers, self.max_response_bytes)
        for chunk in response.iter_content(chunk_size=CHUNK):
            body.add(chunk)
        return body.bytes()

    def close(self) -> None:
        self.session.close()
