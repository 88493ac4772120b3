"""The ASGI application of the local service: admission, queue, shutdown, access log.

:class:`ServiceApp` is a plain ASGI application (any ASGI server can run it; a test runs it
under uvicorn) that adds to :class:`~lingyun.service.core.ServiceCore` what only a server needs:

* **Admission on the body's first bytes.**  At most ``workers + queue`` requests hold a body
  at a time.  Past that a request is answered at once, body unread, with a retryable busy
  envelope (``250``), so memory for bodies is bounded by ``(workers + queue) x max_body``.
  A request takes its admission slot only once its body's first bytes have come: headers
  that announce 10 MiB and send nothing hold no slot (the HTTP layer cuts them after its
  body grace), so a crowd of them cannot starve the clients that do send.
* **A bounded queue, in time too, cancelled by the client.**  A request with its body waits
  for one of the ``workers`` recognition threads, at most ``queue_timeout`` seconds (then it
  is answered ``250``, retryable: better than an answer after the caller gave up); if its
  client leaves meanwhile it is dropped before it starts (the next caller does not wait for
  work nobody will read).  Image decoding happens inside that pool (in the core and the
  engine), never on the event loop.
* **Graceful shutdown.**  After :meth:`ServiceApp.begin_shutdown` new requests get a retryable
  envelope; after :meth:`ServiceApp.stop_now` (the grace period is over) every request still
  waiting or running is answered with one -- never an HTTP 500 in plain text.
* **An access log that cannot be forged** (logger ``lingyun.service.access``): every field is
  escaped (:func:`~lingyun.service.http1.log_field`), the peer is the socket's address unless
  it is a configured trusted proxy, and no session key or developer key is ever written.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from typing import Any

from ..digits import BadNumber, parse_uint
from .core import Pending, Response, ServiceCore, envelope_response
from .http1 import log_field

__all__ = ["BUSY_CODE", "DEFAULT_QUEUE", "DEFAULT_QUEUE_TIMEOUT", "ServiceApp"]

access_log = logging.getLogger("lingyun.service.access")
log = logging.getLogger("lingyun.service")

#: The retryable code for "busy" and "shutting down" (SPEC §6: 250 is transient).
BUSY_CODE = 250
#: Requests that may wait for a recognition thread beyond those running.
DEFAULT_QUEUE = 8
#: Seconds a request may wait for a recognition thread before it is answered 250.
DEFAULT_QUEUE_TIMEOUT = 60.0
_STOPPING_TEXT = ("the service is shutting down and did not answer this request; "
                  "send it again")
_STOPPED = object()


_Job = tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]


class _DaemonPool:
    """``workers`` daemon threads running submitted calls.

    Daemon threads because a recognition still running when the grace period ends must not
    keep the process alive: its client already has its retryable answer.
    """

    def __init__(self, workers: int) -> None:
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self.running = 0  # calls in progress (read by the process's exit path)
        self._threads = [threading.Thread(target=self._work, name=f"lingyun-ocr-{i}",
                                          daemon=True) for i in range(workers)]
        for thread in self._threads:
            thread.start()

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self._jobs.put((future, fn, args))
        return future

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            future, fn, args = job
            if not future.set_running_or_notify_cancel():
                continue
            self.running += 1
            try:
                future.set_result(fn(*args))
            except BaseException as exc:  # handed to the awaiting request
                future.set_exception(exc)
            finally:
                self.running -= 1

    def shutdown(self) -> None:
        """Let the threads end once idle (without waiting for them)."""
        for _ in self._threads:
            self._jobs.put(None)


class ServiceApp:
    """The ASGI application.  ``workers`` recognitions run at once; ``queue`` more may wait,
    each at most ``queue_timeout`` seconds.

    ``trusted_proxies`` are peer addresses whose ``X-Forwarded-For`` is believed (its last
    entry is logged as the client); from anyone else the header is ignored.
    """

    def __init__(self, core: ServiceCore, workers: int = 4, *, queue: int = DEFAULT_QUEUE,
                 queue_timeout: float = DEFAULT_QUEUE_TIMEOUT,
                 trusted_proxies: Iterable[str] = ()) -> None:
        if not queue_timeout > 0:
            raise ValueError(f"queue_timeout must be more than 0 seconds, not {queue_timeout!r}")
        self.core = core
        self.workers = max(1, workers)
        self.queue = max(0, queue)
        self.queue_timeout = float(queue_timeout)
        self.trusted_proxies = frozenset(trusted_proxies)
        self._admitted = 0
        self._abandoned = 0
        self._stopping = False
        self._pool: _DaemonPool | None = None
        self._slots: asyncio.Semaphore | None = None
        self._stop_now: asyncio.Event | None = None

    @property
    def capacity(self) -> int:
        """Requests that may hold a body at once: running plus queued."""
        return self.workers + self.queue

    # -- lifecycle (called on the event loop) -----------------------------------------
    def startup(self) -> None:
        if self._pool is None:
            self._pool = _DaemonPool(self.workers)
        self._slots = asyncio.Semaphore(self.workers)
        self._stop_now = asyncio.Event()
        self._stopping = False

    def begin_shutdown(self) -> None:
        """New requests are answered with a retryable envelope; running ones go on."""
        self._stopping = True

    def stop_now(self) -> None:
        """The grace period is over: answer every waiting or running request (retryable)."""
        self._stopping = True
        if self._stop_now is not None:
            self._stop_now.set()

    def close(self) -> None:
        if self._pool is not None:
            self._abandoned = self._pool.running
            self._pool.shutdown()
            self._pool = None

    @property
    def abandoned(self) -> int:
        """Recognitions still running when the app closed (their clients were answered)."""
        return self._abandoned

    # -- ASGI ------------------------------------------------------------------------
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.startup()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.begin_shutdown()
                self.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if self._slots is None:
            self.startup()  # an ASGI server without lifespan support
        started = time.perf_counter()
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        declared = next((v for k, v in headers if k.lower() == "content-length"), None)
        try:
            length = None if declared is None else parse_uint(declared, "Content-Length")
        except BadNumber:
            length = None  # read under the limit like a chunked body; 230 past it
        step: Pending | Response | None
        try:
            step = self.core.begin(scope["method"], scope["path"], headers, length)
            if isinstance(step, Pending):
                step = await self._admit(step, receive)
        except Exception:  # a defect: logged here, the client gets an envelope
            log.exception("answering %s %s failed", scope["method"], log_field(scope["path"]))
            step = envelope_response(-1, "server exception (logged by the service)")
        if step is None:
            self._log(scope, headers, "- client left before the answer; work dropped",
                      started)
            return
        await send({"type": "http.response.start", "status": step.status,
                    "headers": [(k.encode("latin-1"), v.encode("latin-1"))
                                for k, v in step.headers]})
        await send({"type": "http.response.body", "body": step.body})
        self._log(scope, headers, f"{step.status} error={step.error}", started)

    # -- admission, queue, execution ---------------------------------------------------
    def _busy(self) -> Response:
        return envelope_response(
            BUSY_CODE, f"the service is busy ({self.workers} recognitions running, "
                       f"{self.queue} waiting); send the request again shortly")

    async def _admit(self, pending: Pending, receive: Any) -> Response | None:
        if self._stopping:
            return envelope_response(BUSY_CODE, _STOPPING_TEXT)
        if self._admitted >= self.capacity:
            return self._busy()  # at once, the body unread
        # The slot is taken on the body's first bytes, not on the headers: a request whose
        # body never comes waits here holding nothing (the server's body timeouts end it).
        first = await self._unless_stopped(receive())
        if first is _STOPPED:
            return envelope_response(BUSY_CODE, _STOPPING_TEXT)
        if first["type"] == "http.disconnect":
            return None
        if self._admitted >= self.capacity:
            return self._busy()
        self._admitted += 1
        try:
            body = await self._unless_stopped(self._read_body(receive, first))
            if body is _STOPPED:
                return envelope_response(BUSY_CODE, _STOPPING_TEXT)
            if body is None:
                return None
            if len(body) > self.core.max_body:
                return self.core.finish(pending, body)  # 230 at once, the rest stays unread
            return await self._run(pending, body, receive)
        finally:
            self._admitted -= 1

    async def _unless_stopped(self, work: Any) -> Any:
        """``await work``, or :data:`_STOPPED` (and ``work`` cancelled) if stopped first."""
        assert self._stop_now is not None
        task = asyncio.ensure_future(work)
        stop = asyncio.ensure_future(self._stop_now.wait())
        try:
            await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
        if task.done():
            return task.result()
        task.cancel()
        return _STOPPED

    async def _run(self, pending: Pending, body: bytes, receive: Any) -> Response | None:
        """Wait for a recognition thread (dropped if the client leaves, 250 past the queue
        timeout), then run."""
        assert self._slots is not None and self._stop_now is not None
        slot = asyncio.ensure_future(self._slots.acquire())
        left = asyncio.ensure_future(_disconnected(receive))
        stop = asyncio.ensure_future(self._stop_now.wait())
        try:
            await asyncio.wait({slot, left, stop}, timeout=self.queue_timeout,
                               return_when=asyncio.FIRST_COMPLETED)
            if not slot.done():
                slot.cancel()
                if left.done():
                    return None
                if stop.done():
                    return envelope_response(BUSY_CODE, _STOPPING_TEXT)
                return envelope_response(
                    BUSY_CODE, f"the service is busy: the request waited {self.queue_timeout:g} "
                               f"s for one of {self.workers} recognition threads and did not "
                               "start; send it again later")
            try:
                if left.done():
                    return None  # left just as its turn came: still nothing ran
                assert self._pool is not None
                work = asyncio.wrap_future(self._pool.submit(self.core.finish, pending, body))
                await asyncio.wait({work, stop}, return_when=asyncio.FIRST_COMPLETED)
                if not work.done():
                    return envelope_response(BUSY_CODE, _STOPPING_TEXT)
                try:
                    answer: Response = work.result()
                    return answer
                except Exception:
                    log.exception("answering %s failed", pending.capability.document_type)
                    return envelope_response(-1, "server exception (logged by the service)")
            finally:
                self._slots.release()
        finally:
            left.cancel()
            stop.cancel()

    async def _read_body(self, receive: Any, first: dict[str, Any]) -> bytes | None:
        """The body from its ``first`` message on, or at most ``max_body + 1`` bytes of it;
        ``None`` on disconnect."""
        limit = self.core.max_body + 1
        chunks: list[bytes] = []
        size = 0
        message = first
        while True:
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            if size < limit:
                chunks.append(chunk[: limit - size])
            size += len(chunk)
            if size >= limit or not message.get("more_body", False):
                return b"".join(chunks)
            message = await receive()

    # -- access log --------------------------------------------------------------------
    def _client(self, scope: dict[str, Any], headers: list[tuple[str, str]]) -> str:
        client = scope.get("client")
        if not client:
            return "-"
        peer = f"{client[0]}:{client[1]}"
        if client[0] in self.trusted_proxies:
            forwarded = ", ".join(v for k, v in headers if k.lower() == "x-forwarded-for")
            origin = forwarded.rsplit(",", 1)[-1].strip()
            if origin:
                return f"{origin} via {peer}"
        return peer

    def _log(self, scope: dict[str, Any], headers: list[tuple[str, str]], outcome: str,
             started: float) -> None:
        app_key = next((v for k, v in headers if k.lower() == "x-app-key"), "-")
        raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
        access_log.info('%s "%s %s" %s app_key=%s %.1fms',
                        log_field(self._client(scope, headers)), log_field(scope["method"]),
                        log_field(raw_path.decode("latin-1")), outcome,
                        log_field(app_key, 64), (time.perf_counter() - started) * 1000)


async def _disconnected(receive: Any) -> None:
    """Returns when the client has gone (ASGI ``http.disconnect``)."""
    while (await receive())["type"] != "http.disconnect":
        pass
