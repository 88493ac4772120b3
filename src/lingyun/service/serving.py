"""Binding a listening socket and serving an app on the main thread until a signal.

:func:`bind` makes the listening socket (``port=0`` picks a free one); :func:`serve` runs
:class:`~lingyun.service.http1.HTTPServer` on it until SIGINT or SIGTERM, then stops gracefully.
What ``lingyun serve`` runs.  On platforms without ``loop.add_signal_handler`` (Windows)
Ctrl+C still stops it, through ``KeyboardInterrupt``.
"""

from __future__ import annotations

import asyncio
import signal
import socket

from .app import ServiceApp
from .http1 import HTTPServer, Limits

__all__ = ["bind", "serve"]


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket (``port=0`` picks a free one), IPv6 when ``host`` is one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit this.  Without it the response body (a second small write
    # after the headers) waits on the client's delayed ACK: 40 ms per request on Linux.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(socket.SOMAXCONN)
    return sock


def serve(app: ServiceApp, sock: socket.socket, *, limits: Limits | None = None,
          grace: float = 10.0) -> None:
    """Serve on the main thread until SIGINT or SIGTERM, then stop gracefully and return."""
    server = HTTPServer(app, [sock], limits=limits, grace=grace)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, server.request_stop)
            except NotImplementedError:  # Windows: a plain handler on the main thread
                signal.signal(sig, lambda _signum, _frame: server.request_stop())
        await server.serve()

    asyncio.run(main())
