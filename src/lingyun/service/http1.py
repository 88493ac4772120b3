"""The HTTP/1.1 front end of ``lingyun serve``: asyncio sockets, h11 parsing, hard limits.

Why not uvicorn (used before): uvicorn has a keep-alive timeout and a concurrency limit, but no
header or body timeout (a client sending one byte every few seconds holds a connection and a
body buffer for ever), no cap on *connections* (``limit_concurrency`` answers 503 to requests
but every accepted socket still costs a descriptor), and when ``accept()`` fails with EMFILE
asyncio logs a traceback and retries, so 1,100 idle connections under ``ulimit -n 1024`` lock
every client out.  hypercorn has timeouts but no connection cap either.  This module owns the
accept loop and each connection, on top of h11 (the sans-I/O HTTP/1.1 parser uvicorn itself
uses), and gives these guarantees:

* **Connection cap** -- at most :attr:`Limits.max_connections` connections, and never more than
  the descriptor limit minus a reserve.  Every connection counts, whatever it is doing (idle,
  still sending its headers, in a request, closing), and a permit is taken *before* accepting.
  At the cap the connection idle the longest (between requests, or connected and silent) is
  closed to make room, else the one that has been sending its headers the longest (a
  slow-header client), once it has been so for ``slow_header_grace``; when every connection
  is in a request the accept loop waits (newcomers wait in the kernel's listen backlog).  A
  normal client is therefore served while 1,100 idle connections are open under a
  1024-descriptor limit.  (Nothing is closed before a new connection is actually waiting.)
* **Timeouts** -- idle (before the first byte of a request), header (from that byte to the
  end of the headers), body (the whole body, and a least average rate after a short grace,
  so headers with no body behind them are cut in seconds) and send (writing an answer): past
  any of them the connection is closed.
* **Smuggling** -- a request with both ``Transfer-Encoding`` and ``Content-Length`` is answered
  400 and its connection closed (RFC 9112 §6.1); malformed HTTP is answered 400/431 and closed.
* **Disconnects** -- after the body, the connection is still read, so the application's
  ``receive()`` returns ``http.disconnect`` when the client leaves (end of stream) and queued
  work for it can be dropped before it starts.

The application is an ASGI app for HTTP (``scope["type"] == "http"``); lifecycle and shutdown
are the :class:`~lingyun.service.app.ServiceApp` methods ``startup``, ``begin_shutdown``,
``stop_now`` and ``close``.
"""

from __future__ import annotations

import asyncio
import errno
import http
import json
import logging
import socket
import time
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import unquote

import h11

try:
    import resource as _resource
except ImportError:  # Windows: no descriptor limit to fit (its sockets are handles)
    _resource = None  # type: ignore[assignment]

__all__ = ["HTTPServer", "Limits", "connection_cap", "log_field"]

log = logging.getLogger("lingyun.service")
access_log = logging.getLogger("lingyun.service.access")

_OUT_OF_RESOURCES = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
_READ_SIZE = 65536


@dataclass(frozen=True)
class Limits:
    """Transport limits; every one of them closes a connection that crosses it."""

    #: Seconds a connection may stay silent before (or between) requests.
    idle_timeout: float = 5.0
    #: Seconds from a request's first byte to the end of its headers.
    header_timeout: float = 10.0
    #: Seconds for a whole request body (10 MiB at 2.8 Mbit/s fits in 30 s).
    body_timeout: float = 30.0
    #: Least average body rate, bytes per second, after ``body_rate_grace`` seconds: a body
    #: that is not arriving (headers only, or a drip) is cut long before ``body_timeout``.
    min_body_rate: float = 16 * 1024
    #: Seconds a body may take to start arriving before ``min_body_rate`` applies.
    body_rate_grace: float = 2.0
    #: Seconds to write an answer to a client that does not read it.
    send_timeout: float = 10.0
    #: Most open connections (further capped by the descriptor limit, see connection_cap).
    max_connections: int = 1000
    #: Descriptors kept free for everything else the process opens (files, models, logs).
    fd_reserve: int = 64
    #: At the connection cap, a connection that has been sending its headers this long (a
    #: slow-header client) may be closed to make room for a newcomer.
    slow_header_grace: float = 1.0
    #: Largest request line plus headers (h11 answers 431 above).
    max_header_bytes: int = 16 * 1024


def connection_cap(limits: Limits) -> int:
    """``max_connections``, lowered to fit the process's descriptor limit minus the reserve."""
    if _resource is None:
        return limits.max_connections
    soft, _hard = _resource.getrlimit(_resource.RLIMIT_NOFILE)
    if soft == _resource.RLIM_INFINITY:
        return limits.max_connections
    return max(1, min(limits.max_connections, soft - limits.fd_reserve))


class Application(Protocol):
    """What :class:`HTTPServer` drives: an ASGI HTTP app with a lifecycle."""

    def startup(self) -> None: ...
    def begin_shutdown(self) -> None: ...
    def stop_now(self) -> None: ...
    def close(self) -> None: ...
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None: ...


def log_field(value: object, limit: int = 200) -> str:
    """``value`` safe for one access-log line: printable ASCII only, quotes and backslashes
    escaped, everything else as ``\\xNN``/``\\uNNNN``, at most ``limit`` characters.

    A path or app key holding ``\\r\\n`` or terminal escapes cannot start a forged line.
    """
    text = str(value)
    out = []
    for ch in text[:limit]:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        else:
            out.append(f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out) + ("..." if len(text) > limit else "")


def _reason(status: int) -> bytes:
    try:
        return http.HTTPStatus(status).phrase.encode("ascii")
    except ValueError:
        return b""


def _json_error(status: int, text: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    body = json.dumps({"text": text}, ensure_ascii=False).encode("utf-8")
    return status, [(b"content-type", b"application/json; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close")], body


def _has_input(sock: socket.socket) -> bool:
    """True when ``sock`` (non-blocking) has bytes to read already (peeked, not consumed)."""
    try:
        return bool(sock.recv(1, socket.MSG_PEEK))
    except (BlockingIOError, InterruptedError):
        return False
    except OSError:
        return False  # reset already: the connection's task finds out


class _Closed(Exception):
    """The connection ended (end of stream, reset, or a timeout): stop serving it."""


class _Connection:
    """One client connection: h11 state, timeouts, and the ASGI receive/send pair."""

    def __init__(self, server: HTTPServer, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter) -> None:
        self.server = server
        self.reader = reader
        self.writer = writer
        self.limits = server.limits
        self.h11 = h11.Connection(h11.SERVER,
                                  max_incomplete_event_size=self.limits.max_header_bytes)
        self.idle = True
        self.closing = False
        self.since = time.monotonic()
        #: When the request now arriving sent its first byte; None outside a request's headers.
        self.headers_since: float | None = None
        #: Bytes were waiting when the connection was accepted (set by the accept loop).
        self.input_at_accept = False
        self.gone = asyncio.Event()
        peer = writer.get_extra_info("peername")
        self.peer = (str(peer[0]), int(peer[1])) if isinstance(peer, tuple) else None
        local = writer.get_extra_info("sockname")
        self.local = (str(local[0]), int(local[1])) if isinstance(local, tuple) else None

    # -- lifecycle -------------------------------------------------------------------
    def close(self) -> None:
        """Close now (eviction, shutdown): the connection's task ends on its next read."""
        if not self.closing:
            self.closing = True
            self.writer.transport.abort()

    async def run(self) -> None:
        try:
            while not self.closing:
                request = await self._next_request()
                if request is None or not await self._serve(request):
                    break
                self.h11.start_next_cycle()
        except (_Closed, ConnectionError, TimeoutError):
            pass
        except Exception:  # a defect here must cost one connection, not the server
            log.exception("connection handler failed")
        finally:
            self.closing = True
            if self.gone.is_set():
                self.writer.transport.abort()
            else:
                self.writer.close()
            self.server._forget(self)

    async def _read(self, deadline: float) -> bytes:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _Closed
        try:
            async with asyncio.timeout(remaining):
                data = await self.reader.read(_READ_SIZE)
        except TimeoutError:
            raise _Closed from None
        if not data:
            self.gone.set()
        return data

    # -- reading a request -----------------------------------------------------------
    async def _next_request(self) -> h11.Request | None:
        arrived, self.input_at_accept = self.input_at_accept, False
        self.idle = not (self.h11.trailing_data[0] or arrived)
        self.since = time.monotonic()
        self.headers_since = None if self.idle else (self.headers_since or self.since)
        if self.idle:
            self.server._wake()  # an accept waiting at the cap may now evict this one
        deadline = self.since + (self.limits.idle_timeout if self.idle
                                 else self.limits.header_timeout)
        while True:
            try:
                event = self.h11.next_event()
            except h11.RemoteProtocolError as exc:
                await self._refuse(exc.error_status_hint or 400, f"bad HTTP request: {exc}")
                return None
            if isinstance(event, h11.Request):
                self.idle = False
                self.headers_since = None
                return event
            if event is h11.NEED_DATA:
                if self.gone.is_set():
                    return None
                data = await self._read(deadline)
                if self.idle and data:
                    self.idle = False  # the first byte: headers are now on the clock
                    self.headers_since = time.monotonic()
                    deadline = self.headers_since + self.limits.header_timeout
                self.h11.receive_data(data)
                continue
            return None  # ConnectionClosed (or PAUSED, which cannot happen before a request)

    async def _refuse(self, status: int, text: str) -> None:
        """Answer a request the front end refuses by itself, then close."""
        if self.h11.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return
        peer = f"{self.peer[0]}:{self.peer[1]}" if self.peer else "-"
        access_log.info("%s refused by the HTTP layer: %d %s", log_field(peer), status,
                        log_field(text))
        status, headers, body = _json_error(status, text)
        try:
            await self._write(self.h11.send(h11.Response(status_code=status, headers=headers,
                                                         reason=_reason(status)))
                              + self.h11.send(h11.Data(data=body))
                              + self.h11.send(h11.EndOfMessage()))
        except h11.LocalProtocolError:
            pass

    async def _write(self, data: bytes) -> None:
        self.writer.write(data)
        try:
            async with asyncio.timeout(self.limits.send_timeout):
                await self.writer.drain()
        except TimeoutError:
            self.closing = True
            self.writer.transport.abort()  # close() would wait for a reader that never reads
            raise _Closed from None

    # -- one exchange ----------------------------------------------------------------
    async def _serve(self, request: h11.Request) -> bool:
        """Run the app for ``request``; True when the connection may carry another."""
        names = {name for name, _ in request.headers}
        if b"transfer-encoding" in names and b"content-length" in names:
            await self._refuse(400, "a request with both Transfer-Encoding and "
                                    "Content-Length is refused (RFC 9112 §6.1); the "
                                    "connection is closed")
            return False
        exchange = _Exchange(self, request)
        await self.server.app(exchange.scope(), exchange.receive, exchange.send)
        await exchange.stop_watching()
        if self.h11.our_state is h11.SEND_RESPONSE:  # the app answered nothing
            await self._refuse(500, "the service gave no answer")
            return False
        if exchange.unanswered_body:
            await self._linger()
            return False
        return (self.h11.our_state is h11.DONE and self.h11.their_state is h11.DONE
                and not self.server.stopping and not self.gone.is_set())

    async def _linger(self) -> None:
        """After answering without reading the body: let the client see the answer.

        Closing a socket with unread input sends a reset, which can destroy the answer
        before the client reads it; so stop writing, drain a little (bounded), then close.
        """
        if self.writer.can_write_eof():
            self.writer.write_eof()
        deadline = time.monotonic() + 1.0
        drained = 0
        while drained < 1024 * 1024 and not self.gone.is_set():
            data = await self._read(deadline)
            drained += len(data)


class _Exchange:
    """The ASGI side of one request: scope, receive() over h11 events, send() to h11."""

    def __init__(self, connection: _Connection, request: h11.Request) -> None:
        self.connection = connection
        self.request = request
        self.body_done = False
        self.body_started: float | None = None
        self.body_deadline = 0.0
        self.body_received = 0
        self.watcher: asyncio.Task[None] | None = None
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.unanswered_body = False
        self.started = False  # the response start has been sent
        self.finished = False  # the response has ended (EndOfMessage sent, or nobody to send to)

    def scope(self) -> dict[str, Any]:
        target = self.request.target
        raw_path, _, query = target.partition(b"?")
        conn = self.connection
        return {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": self.request.http_version.decode("ascii"),
            "method": self.request.method.decode("ascii"),
            "scheme": "http",
            "path": unquote(raw_path.decode("latin-1"), encoding="utf-8",
                            errors="surrogateescape"),
            "raw_path": raw_path,
            "query_string": query,
            "root_path": "",
            "headers": [(name, value) for name, value in self.request.headers],
            "client": conn.peer,
            "server": conn.local,
        }

    async def receive(self) -> dict[str, Any]:
        conn = self.connection
        if self.body_done:
            await conn.gone.wait()  # ASGI: after the body, receive() waits for a disconnect
            return {"type": "http.disconnect"}
        try:
            if self.body_started is None:
                self.body_started = time.monotonic()
                self.body_deadline = self.body_started + conn.limits.body_timeout
                if conn.h11.they_are_waiting_for_100_continue:  # admitted: send it now
                    await conn._write(conn.h11.send(
                        h11.InformationalResponse(status_code=100, headers=[])))
            while True:
                try:
                    event = conn.h11.next_event()
                except h11.RemoteProtocolError:
                    raise _Closed from None
                if isinstance(event, h11.Data):
                    self.body_received += len(event.data)
                    return {"type": "http.request", "body": bytes(event.data),
                            "more_body": True}
                if isinstance(event, h11.EndOfMessage):
                    self.body_done = True
                    self.watcher = asyncio.create_task(self._watch())
                    return {"type": "http.request", "body": b"", "more_body": False}
                if event is h11.NEED_DATA and not conn.gone.is_set():
                    conn.h11.receive_data(await conn._read(self._read_deadline()))
                    continue
                raise _Closed
        except _Closed:
            conn.gone.set()
            conn.close()
            return {"type": "http.disconnect"}

    def _read_deadline(self) -> float:
        """When the next body bytes must have come: the whole-body deadline, or earlier if
        the body is slower than ``min_body_rate`` on average (after the grace seconds)."""
        limits = self.connection.limits
        assert self.body_started is not None
        if limits.min_body_rate <= 0:
            return self.body_deadline
        by_rate = (self.body_started + limits.body_rate_grace
                   + (self.body_received + 1) / limits.min_body_rate)
        return min(self.body_deadline, by_rate)

    async def _watch(self) -> None:
        """Keep reading after the body so a client that leaves is noticed (end of stream).

        Bytes of a pipelined next request are kept for h11, up to the header limit.
        """
        conn = self.connection
        while not conn.gone.is_set() and len(conn.h11.trailing_data[0]) < \
                conn.limits.max_header_bytes:
            try:
                data = await conn.reader.read(_READ_SIZE)
            except ConnectionError:
                conn.gone.set()
                return
            if not data:
                conn.gone.set()
                return
            conn.h11.receive_data(data)

    async def stop_watching(self) -> None:
        """End the watch before anyone else reads the stream (one reader at a time)."""
        if self.watcher is not None and not self.watcher.done():
            self.watcher.cancel()
            await asyncio.wait({self.watcher})

    def _discard_buffered_body(self) -> None:
        """Consume a body the app left unread if it has already arrived (an empty body, or
        a small one in the buffer), so a refusal does not cost the connection."""
        conn = self.connection
        while conn.h11.their_state is h11.SEND_BODY:
            try:
                event = conn.h11.next_event()
            except h11.RemoteProtocolError:
                return
            if event is h11.NEED_DATA or event is h11.PAUSED:
                return

    async def send(self, message: dict[str, Any]) -> None:
        """ASGI ``send``: the response start is held until the first body message, which
        sends it once; later body messages add to the body (``more_body``).

        A ``HEAD`` request's answer carries the headers (with the ``Content-Length`` a
        ``GET`` would have) and no body bytes, and its connection stays open.
        """
        conn = self.connection
        kind = message["type"]
        if kind == "http.response.start":
            if self.status:
                raise RuntimeError("ASGI: http.response.start was sent twice for one request")
            self.status = int(message["status"])
            self.headers = list(message.get("headers", []))
            return
        if kind != "http.response.body":
            return
        if not self.status:
            raise RuntimeError("ASGI: http.response.body was sent before http.response.start")
        if self.finished:
            raise RuntimeError("ASGI: http.response.body was sent after the response ended")
        data = b""
        if not self.started:
            self.started = True
            await self.stop_watching()
            if conn.gone.is_set() or conn.closing:
                self.finished = True
                return  # nobody to answer
            headers = self.headers
            self._discard_buffered_body()
            self.unanswered_body = conn.h11.their_state is not h11.DONE
            if self.unanswered_body or conn.server.stopping:
                headers = [*headers, (b"connection", b"close")]
            data = conn.h11.send(h11.Response(status_code=self.status, headers=headers,
                                              reason=_reason(self.status)))
        elif conn.gone.is_set() or conn.closing:
            self.finished = not message.get("more_body", False)
            return
        body = message.get("body", b"")
        if body and self.request.method != b"HEAD":
            data += conn.h11.send(h11.Data(data=body))
        if not message.get("more_body", False):
            self.finished = True
            data += conn.h11.send(h11.EndOfMessage())
        if data:
            await conn._write(data)


class HTTPServer:
    """Accepts connections on ``sockets`` and serves ``app`` until :meth:`request_stop`.

    Run it with ``await server.serve()`` (or :meth:`run` for a fresh event loop).  A stop
    closes the listening sockets and idle connections, lets requests finish for ``grace``
    seconds, then has the app answer what is left with its retryable envelope.
    """

    def __init__(self, app: Application, sockets: list[socket.socket], *,
                 limits: Limits | None = None, grace: float = 10.0) -> None:
        self.app = app
        self.sockets = sockets
        self.limits = limits or Limits()
        self.grace = grace
        self.cap = connection_cap(self.limits)
        self.stopping = False
        self.started = False
        self._connections: set[_Connection] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._room: asyncio.Event | None = None
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._refused_accepts = 0
        self._last_warning = 0.0
        #: The most connections open at once so far (never above :attr:`cap`).
        self.peak_connections = 0
        self._readiness = True  # the loop can tell when a listener has a newcomer

    # -- control (any thread) --------------------------------------------------------
    def request_stop(self) -> None:
        """Begin the graceful stop; safe from any thread or a signal handler."""
        loop, stop = self._loop, self._stop
        if loop is None or stop is None:
            self.stopping = True
            return
        try:
            loop.call_soon_threadsafe(stop.set)
        except RuntimeError:  # the loop has already ended: stopped
            self.stopping = True

    @property
    def open_connections(self) -> int:
        """Connections accepted and not yet ended (closing ones included: they still hold
        a descriptor)."""
        return len(self._connections)

    @property
    def busy_connections(self) -> int:
        """Open connections sending a request or being answered (not idle)."""
        return sum(1 for c in self._connections if not c.idle and not c.closing)

    def run(self) -> None:
        asyncio.run(self.serve())

    # -- the server ------------------------------------------------------------------
    async def serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._room = asyncio.Event()
        self._stop = asyncio.Event()
        if self.stopping:
            self._stop.set()
        self.app.startup()
        for sock in self.sockets:
            sock.setblocking(False)
        accepting = [asyncio.create_task(self._accept(sock)) for sock in self.sockets]
        for task in accepting:
            task.add_done_callback(self._accept_ended)
        self.started = True
        try:
            await self._stop.wait()
        finally:
            self.stopping = True
            for task in accepting:
                task.cancel()
            for sock in self.sockets:
                sock.close()
            await self._drain()
            self.app.close()

    async def _drain(self) -> None:
        """Close idle connections, give requests ``grace`` seconds, then answer the rest."""
        self.app.begin_shutdown()
        for conn in list(self._connections):
            if conn.idle:
                conn.close()
        if self._tasks:
            _done, pending = await asyncio.wait(set(self._tasks), timeout=self.grace)
            if pending:
                self.app.stop_now()  # the app answers each with its retryable envelope
                _done, pending = await asyncio.wait(pending,
                                                    timeout=self.limits.send_timeout)
                for conn in list(self._connections):
                    conn.close()
                if pending:
                    await asyncio.wait(pending, timeout=1.0)

    async def _accept(self, listener: socket.socket) -> None:
        """Accept while the cap allows: a permit first, then the connection.

        Every connection counts until its task has ended (idle, sending headers, in a
        request, or closing), so the cap holds however fast clients connect and write.  At
        the cap, once a newcomer is actually waiting (the listener is readable), the
        connection idle the longest is closed to make room; when none is idle, nothing is
        accepted until one ends (newcomers wait in the listen backlog).
        """
        assert self._room is not None
        while True:
            await self._pending(listener)
            if len(self._connections) >= self.cap:
                self._room.clear()
                recheck = None
                if not any(c.closing for c in self._connections):
                    # its end (not the close request) frees the permit
                    recheck = self._make_room()
                try:  # a connection ended or became idle, or a header sender grew slow
                    await asyncio.wait_for(self._room.wait(), recheck)
                except TimeoutError:
                    pass
                continue
            try:
                if self._readiness:
                    sock, _addr = listener.accept()
                else:  # no readiness (a proactor loop): wait in accept itself, permit held
                    sock, _addr = await asyncio.get_running_loop().sock_accept(listener)
            except (BlockingIOError, InterruptedError):
                continue  # another listener task or the client got there first
            except OSError as exc:
                if self.stopping or listener.fileno() < 0:
                    return
                if exc.errno not in _OUT_OF_RESOURCES:
                    log.warning("accept() failed: %s", exc)  # e.g. a connection aborted
                    continue
                self._out_of_descriptors(exc)
                self._room.clear()
                if not self._evict_idle():
                    try:  # nothing to evict: wait for a connection to end, briefly
                        await asyncio.wait_for(self._room.wait(), 0.1)
                    except TimeoutError:
                        pass
                continue
            sock.setblocking(False)
            sending = _has_input(sock)  # bytes already here: in its headers, not idle
            try:
                reader, writer = await asyncio.open_connection(sock=sock)
            except OSError:
                sock.close()
                continue
            conn = _Connection(self, reader, writer)
            if sending:
                conn.idle = False
                conn.headers_since = time.monotonic()
                conn.input_at_accept = True
            self._connections.add(conn)
            self.peak_connections = max(self.peak_connections, len(self._connections))
            task = asyncio.create_task(conn.run())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _pending(self, listener: socket.socket) -> None:
        """Return when a connection is waiting to be accepted on ``listener`` (at once when
        the loop cannot watch it: then the accept itself waits)."""
        if not self._readiness:
            return
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        fd = listener.fileno()  # kept: a stop closes the listener while this waits
        try:
            loop.add_reader(fd, wake)
        except NotImplementedError:  # a proactor loop (Windows): accept waits instead
            self._readiness = False
            return
        try:
            await ready
        finally:
            loop.remove_reader(fd)

    def _accept_ended(self, task: asyncio.Task[None]) -> None:
        """An accept loop ended: normal at a stop; otherwise a defect, so stop the server
        (a server that no longer accepts must not look alive)."""
        if task.cancelled():
            return
        error = task.exception()
        if self.stopping:
            return
        log.error("the accept loop ended unexpectedly; stopping", exc_info=error)
        self.request_stop()

    def _live(self) -> list[_Connection]:
        return [c for c in self._connections if not c.closing]

    def _evict_idle(self) -> bool:
        """Close the connection idle the longest; False when none is idle."""
        idle = [c for c in self._live() if c.idle]
        if not idle:
            return False
        min(idle, key=lambda c: c.since).close()
        return True

    def _make_room(self) -> float | None:
        """At the cap with a newcomer waiting: close one connection that is not serving a
        request, if one has been so for ``slow_header_grace`` seconds -- the one idle the
        longest, else the one that has been sending its headers the longest (a slow-header
        client: a real client's headers take a packet or two).  Returns the seconds until
        such a connection will exist, or None (one was closed, or every connection is in a
        request and only an ending one makes room).

        The grace keeps a connection that has just been accepted (its request not yet
        parsed, or not yet sent) from being closed by the next one in the backlog.
        """
        now = time.monotonic()
        grace = self.limits.slow_header_grace
        live = self._live()
        idle = [(now - c.since, c) for c in live if c.idle]
        sending = [(now - c.headers_since, c) for c in live if c.headers_since is not None]
        waits = []
        for group in (idle, sending):
            if group:
                age, victim = max(group, key=lambda item: item[0])
                if age >= grace:
                    log.debug("at the connection cap (%d): closed a connection %s for %.1f s",
                              self.cap, "idle" if victim.idle else "sending headers", age)
                    victim.close()
                    return None
                waits.append(grace - age)
        return min(waits) if waits else None

    def _out_of_descriptors(self, exc: OSError) -> None:
        self._refused_accepts += 1
        now = time.monotonic()
        if now - self._last_warning >= 60:
            self._last_warning = now
            log.warning("accept() failed (%s) %d time(s): descriptors are exhausted; closing "
                        "idle connections (cap %d connections)", exc.strerror,
                        self._refused_accepts, self.cap)
            self._refused_accepts = 0

    def _forget(self, conn: _Connection) -> None:
        self._connections.discard(conn)
        self._wake()

    def _wake(self) -> None:
        """A connection ended or went idle: the accept loop looks at the cap again."""
        if self._room is not None:
            self._room.set()
