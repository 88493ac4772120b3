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
from typing import Any, cast

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ..errors import ConnectError, ReadError
from ..protocol import RawReply
from . import Transport, _watchdog
from ._body import CHUNK, DEFAULT_REPLY_BUDGET, BoundedBody, ReplyLimits
from ._deadline import deadline_exceeded, passed, time_left
from ._environment import PerOrigin
from ._text import reason as _reason
from ._text import where as _where

__all__ = ["DEFAULT_POOL_SIZE", "RequestsTransport"]

DEFAULT_POOL_SIZE = 10


class _Watched:
    """Mixin: register the connection's socket with the current call's deadline watch."""

    sock: Any

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self._watch(_watchdog.current())

    def request(self, *args: Any, **kwargs: Any) -> None:
        if self.sock is not None:  # a reused keep-alive connection
            self._watch(_watchdog.current())
        super().request(*args, **kwargs)  # type: ignore[misc]

    def _watch(self, watch: _watchdog.Watch | None) -> None:
        self.lingyun_watch = watch
        if watch is not None:
            watch.add(self.sock)

    def unwatch(self) -> bool:
        """Take this connection's socket out of its call's watch, before the connection goes
        back to the pool; False when the deadline already shut the socket down."""
        watch, self.lingyun_watch = getattr(self, "lingyun_watch", None), None
        return watch is None or watch.release(self.sock)


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class _ReleasesWatch:
    """Pool mixin: a connection leaves its call's deadline watch *before* it is put back, so
    the reaper can never shut down a socket another thread has taken from the pool; one the
    deadline already shut down is closed instead of pooled."""

    def _put_conn(self, conn: Any) -> None:
        if isinstance(conn, _Watched) and not conn.unwatch():
            cast(HTTPConnection, conn).close()
        super()._put_conn(conn)  # type: ignore[misc]


class _WatchedHTTPPool(_ReleasesWatch, HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(_ReleasesWatch, HTTPSConnectionPool):
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
    tls = url[:6].lower() == "https:" or any(
        proxy[:6].lower() == "https:" for proxy in found["proxies"].values())
    if bundle and tls:  # plain HTTP has no certificate to check (and requests would stat
        # the bundle path on every call to tell a file from a directory: 0.1 ms a call)
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
        max_response_bytes: int | None = None,
        reply_budget: int = DEFAULT_REPLY_BUDGET,
        pool_size: int = DEFAULT_POOL_SIZE,
    ) -> None:
        self.session = session if session is not None else requests.Session()
        # our own session: the environment is read once per origin (environment_for)
        self._own_session = session is None
        if self._own_session:
            self.session.trust_env = False
        self._environment = PerOrigin(_environment_settings)
        self.connect_timeout = connect_timeout
        self.limits = ReplyLimits(max_response_bytes, reply_budget)
        self.pool_size = 0
        self._lock = threading.Lock()
        self.reserve(pool_size)

    def __repr__(self) -> str:
        return f"RequestsTransport(pool_size={self.pool_size})"

    @property
    def max_response_bytes(self) -> int:
        """The most bytes one reply may have (its capability's size may be smaller)."""
        return self.limits.per_call

    def environment_for(self, url: str) -> dict[str, Any]:
        """What the environment sets for ``url``'s origin, as keyword arguments of
        ``Session.request`` (proxies, CA bundle, netrc credentials); looked up once per
        origin.  Empty for a session you passed in: it keeps its own ``trust_env``."""
        return self._environment(url) if self._own_session else {}

    def reserve(self, concurrency: int) -> None:
        """Keep at least ``concurrency`` connections per host (a batch's workers), and share
        the reply budget among them."""
        self.limits.reserve(concurrency)
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
                    lowered = {k.lower(): v for k, v in response.headers.items()}
                    return RawReply(response.status_code, lowered,
                                    self._read(response, url, lowered))
            except requests.RequestException as exc:
                raise self._failure(exc, url, deadline, watch,
                                    connect_cut=connect != self.connect_timeout) from None

    def _failure(self, exc: requests.RequestException, url: str, deadline: float | None,
                 watch: _watchdog.Watch | None, *, connect_cut: bool) -> Exception:
        """The lingyun error for ``exc``, classified by the deadline first: whichever timer
        fired (the reaper, a read timeout cut to the time left, a connect timeout cut to it),
        a call whose deadline ran out is :class:`~lingyun.errors.DeadlineExceeded`."""
        timer_was_deadline = deadline is not None and isinstance(exc, requests.Timeout) and (
            connect_cut or not isinstance(exc, requests.ConnectTimeout))
        if (watch is not None and watch.fired) or passed(deadline) or timer_was_deadline:
            # A read timeout is the time left when the call started (so is a connect
            # timeout cut to it): once it fires, the deadline has passed, whichever clock
            # is read and whether or not the reaper has run yet.
            return deadline_exceeded(url)
        if _nothing_sent(exc):
            return ConnectError(
                f"could not connect to {_where(url)}: {exc.__class__.__name__}: "
                f"{_reason(exc)}")
        if isinstance(exc, requests.Timeout):
            return ReadError(
                f"timed out waiting for {_where(url)} after the request was sent "
                f"(it may have been processed): {_reason(exc)}")
        return ReadError(
            f"connection to {_where(url)} broke after the request was sent (it may "
            f"have been processed): {exc.__class__.__name__}: {_reason(exc)}")

    def _read(self, response: requests.Response, url: str, headers: Mapping[str, str]) -> bytes:
        body = BoundedBody(url, headers, self.limits)
        for chunk in response.iter_content(chunk_size=CHUNK):
            body.add(chunk)
        return body.bytes()

    def close(self) -> None:
        self.session.close()
