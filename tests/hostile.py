"""A hostile HTTP peer on 127.0.0.1: raw sockets, so it can break every rule a library keeps.

``HostileServer(script)`` accepts connections on a thread; for each it reads one request
(headers and the declared body), counts it in ``requests`` and calls ``script(sock,
request_number)``, which writes whatever it likes -- a redirect, a reply dripped byte by
byte, odd digits, a reply cut in half.  ``stop`` (an Event) ends every drip at teardown, so
a test that fails never leaves a thread writing.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["HUGE_SHAPES", "HostileServer", "huge_reply", "proxy_through", "reply"]


def reply(body: bytes, *, status: str = "200 OK", headers: dict[str, str] | None = None,
          length: str | None = None) -> bytes:
    """A whole HTTP/1.1 response; ``length`` overrides Content-Length verbatim (odd digits)."""
    head = [f"HTTP/1.1 {status}", "Content-Type: application/json; charset=utf-8",
            f"Content-Length: {length if length is not None else len(body)}",
            "Connection: close"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


class HostileServer:
    def __init__(self, script: Callable[[socket.socket, int], None]) -> None:
        self.script = script
        self.requests = 0
        self.bodies: list[bytes] = []
        self.heads: list[bytes] = []
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/ocr"
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self._thread.join(10)
        self._listener.close()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            data = b""
            try:
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                while len(body) < length:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    body += chunk
                with self._lock:
                    self.requests += 1
                    number = self.requests
                    self.bodies.append(body)
                    self.heads.append(head)
                self.script(conn, number)
            except OSError:
                return


HUGE_SHAPES = ("declared", "streamed", "gzip bomb")


def huge_reply(shape: str) -> Callable[[socket.socket, int], None]:
    """A script answering with a reply far over any sane limit: a declared 999,999,999,999
    bytes, 5 MB sent without a length (until the connection closes), or 5 MB of zeros
    gzip-compressed to 5 kB."""
    import gzip

    def huge(sock: socket.socket, number: int) -> None:
        if shape == "declared":
            sock.sendall(reply(b"", length="999999999999"))
        elif shape == "streamed":
            sock.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
            for _ in range(100):
                sock.sendall(b"x" * 50_000)
        else:
            bomb = gzip.compress(b"0" * 5_000_000)
            sock.sendall(reply(bomb, headers={"Content-Encoding": "gzip"}))

    return huge


def proxy_through(monkeypatch: Any, server: HostileServer, credentials: str = "") -> None:
    """Point the environment's HTTP proxy at ``server`` (``user:password@`` optional) and
    clear NO_PROXY, in both spellings, for one test."""
    for name in ("http_proxy", "HTTP_PROXY"):
        monkeypatch.setenv(name, f"http://{credentials}127.0.0.1:{server.port}")
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
