"""The HTTP front end: a small ASGI app over :class:`~lingyun.service.core.ServiceCore`.

Served by uvicorn rather than :mod:`http.server`: uvicorn parses HTTP/1.1 strictly
(h11/httptools), keeps connections alive, bounds header sizes, shuts down gracefully on
SIGINT/SIGTERM (finishing requests in flight) and is what the service would run under in
production.  The app itself stays framework-free (plain ASGI) so that the request path is
exactly the core's.

Recognition is CPU-bound, so it runs in a bounded thread pool (``workers`` threads, at
most ``4 * workers`` requests queued; more wait for a slot, they are not refused).  The
body is read incrementally and reading stops one byte past the size limit (230); with a
``Content-Length`` over the limit nothing is read at all.  The access log (logger
``lingyun.service.access``) has method, path, status, error code, app key and time --
never the session key or a developer key.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .core import Pending, Response, ServiceCore

__all__ = ["LocalServer", "ServiceApp", "bind"]

access_log = logging.getLogger("lingyun.service.access")
log = logging.getLogger("lingyun.service")


class ServiceApp:
    """The ASGI application.  ``workers`` bounds concurrent recognitions."""

    def __init__(self, core: ServiceCore, workers: int = 4) -> None:
        self.core = core
        self.workers = max(1, workers)
        self._pool: ThreadPoolExecutor | None = None
        self._slots: asyncio.Semaphore | None = None

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="lingyun-ocr")
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._executor()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        started = time.perf_counter()
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        declared = next((v for k, v in headers if k.lower() == "content-length"), None)
        length = int(declared) if declared is not None and declared.strip().isdigit() else None
        step = self.core.begin(scope["method"], scope["path"], headers, length)
        if isinstance(step, Pending):
            body = await self._read_body(receive)
            if body is None:  # the client went away mid-upload
                access_log.info('%s "%s %s" aborted by client', _peer(scope), scope["method"],
                                scope["path"])
                return
            if self._slots is None:
                self._slots = asyncio.Semaphore(4 * self.workers)
            async with self._slots:
                step = await asyncio.get_running_loop().run_in_executor(
                    self._executor(), self.core.finish, step, body)
        await self._send(send, step)
        app_key = next((v for k, v in headers if k.lower() == "x-app-key"), "-")
        access_log.info('%s "%s %s" %d error=%s app_key=%s %.1fms', _peer(scope),
                        scope["method"], scope["path"], step.status, step.error,
                        app_key[:64], (time.perf_counter() - started) * 1000)

    async def _read_body(self, receive: Any) -> bytes | None:
        """The body, or at most ``max_body + 1`` bytes of it; ``None`` on disconnect."""
        limit = self.core.max_body + 1
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            if size < limit:
                chunks.append(chunk[: limit - size])
            size += len(chunk)
            if size >= limit or not message.get("more_body", False):
                return b"".join(chunks)

    @staticmethod
    async def _send(send: Any, response: Response) -> None:
        await send({"type": "http.response.start", "status": response.status,
                    "headers": [(k.encode("latin-1"), v.encode("latin-1"))
                                for k, v in response.headers]})
        await send({"type": "http.response.body", "body": response.body})


def _peer(scope: dict[str, Any]) -> str:
    client = scope.get("client")
    return f"{client[0]}:{client[1]}" if client else "-"


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket (``port=0`` picks a free one), IPv6 when ``host`` is one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit this.  Without it the response body (a second small write
    # after the headers) waits on the client's delayed ACK: 40 ms per request on Linux.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def uvicorn_server(app: ServiceApp, *, log_level: str = "warning",
                   graceful_timeout: float = 10.0) -> Any:
    import uvicorn

    config = uvicorn.Config(app, lifespan="on", log_level=log_level, access_log=False,
                            timeout_graceful_shutdown=graceful_timeout, server_header=False)
    return uvicorn.Server(config)


class LocalServer:
    """A service on a background thread (for tests and the pytest plugin).

    >>> with LocalServer(ServiceCore()) as server:   # doctest: +SKIP
    ...     server.url   # 'http://127.0.0.1:54321/ocr'
    """

    def __init__(self, core: ServiceCore, host: str = "127.0.0.1", port: int = 0,
                 workers: int = 4) -> None:
        self.core = core
        self.app = ServiceApp(core, workers)
        self._socket = bind(host, port)
        self.host, self.port = self._socket.getsockname()[:2]
        self._server = uvicorn_server(self.app)
        self._server.install_signal_handlers = lambda: None  # not the main thread's business
        self._thread = threading.Thread(target=self._server.run,
                                        kwargs={"sockets": [self._socket]},
                                        name="lingyun-service", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return self.base_url + "/ocr"

    def start(self, timeout: float = 30.0) -> LocalServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the local service did not start on {self.base_url}")
            self._thread.join(0.005)
        return self

    def request_stop(self) -> None:
        """Begin a graceful shutdown: no new connections, requests in flight finish."""
        self._server.should_exit = True

    def stop(self) -> None:
        """Shut down gracefully and wait for the server thread."""
        self.request_stop()
        self._thread.join(30)
        self._socket.close()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
