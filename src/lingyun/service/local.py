"""A local service on a background thread, for tests and the pytest plugin.

:class:`LocalServer` runs :class:`~lingyun.service.app.ServiceApp` under
:class:`~lingyun.service.http1.HTTPServer` (timeouts, connection cap; see that module for why
not uvicorn) on a daemon thread, on a free loopback port by default.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from .app import DEFAULT_QUEUE, DEFAULT_QUEUE_TIMEOUT, ServiceApp
from .core import ServiceCore
from .http1 import HTTPServer, Limits
from .serving import bind

__all__ = ["LocalServer"]


class LocalServer:
    """A service on a background thread (for tests and the pytest plugin).

    >>> with LocalServer(ServiceCore()) as server:   # doctest: +SKIP
    ...     server.url   # 'http://127.0.0.1:54321/ocr'
    """

    def __init__(self, core: ServiceCore, host: str = "127.0.0.1", port: int = 0,
                 workers: int = 4, *, queue: int = DEFAULT_QUEUE,
                 queue_timeout: float = DEFAULT_QUEUE_TIMEOUT, limits: Limits | None = None,
                 grace: float = 10.0, trusted_proxies: Iterable[str] = ()) -> None:
        self.core = core
        self.app = ServiceApp(core, workers, queue=queue, queue_timeout=queue_timeout,
                              trusted_proxies=trusted_proxies)
        self._socket = bind(host, port)
        self.host, self.port = self._socket.getsockname()[:2]
        self.grace = grace
        self.server = HTTPServer(self.app, [self._socket], limits=limits, grace=grace)
        self._thread = threading.Thread(target=self.server.run, name="lingyun-service",
                                        daemon=True)

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        return self.base_url + "/ocr"

    def start(self, timeout: float = 30.0) -> LocalServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the local service did not start on {self.base_url}")
            self._thread.join(0.005)
        return self

    def request_stop(self) -> None:
        """Begin a graceful shutdown: no new connections, requests in flight finish."""
        self.server.request_stop()

    def stop(self) -> None:
        """Shut down gracefully and wait for the server thread."""
        self.request_stop()
        self._thread.join(self.grace + 30)
        self._socket.close()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
