"""A call's deadline decides how it failed, and the deadline watch never outlives its call.

Both properties are about races, so each test pins the race down instead of hoping to hit
it: the watchdog is switched off to let only the socket timeout fire, or the watch is fired
at the exact moment its connection has gone back to the pool.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import urllib3

from lingyun import Client, ConnectError, DeadlineExceeded, ReadError
from lingyun.transports import _watchdog
from lingyun.transports.httpx import HTTPXTransport
from lingyun.transports.requests import RequestsTransport

from ..conftest import APP_KEY, IMAGE, SECRET_DEV_KEY
from ..hostile import HostileServer, reply
from .conftest import envelope


def test_a_read_timeout_at_the_deadline_is_deadline_exceeded_not_read_error(monkeypatch):
    # The reaper switched off: only the socket's read timeout (cut to the time left) can
    # end the call -- what happens on a loaded machine when the reaper thread runs late.
    @contextmanager
    def no_reaper(deadline: float | None) -> Iterator[None]:
        yield None

    monkeypatch.setattr(_watchdog, "watching", no_reaper)
    with HostileServer(lambda sock, number: sock.recv(1)) as server:  # never answers
        client = Client(APP_KEY, SECRET_DEV_KEY, server.url, timeout=0.3, retries=2,
                        sleep=lambda s: None)
        with pytest.raises(DeadlineExceeded, match="before the call's deadline"):
            client.recognize(IMAGE, "text.chinese")
        client.close()
    assert server.requests == 1  # not retried: it may have been processed


def test_httpx_read_timeout_with_a_deadline_is_classified_by_the_deadline():
    transport = HTTPXTransport()
    url = "http://127.0.0.1:9/ocr"
    far = 1e12  # a deadline far ahead: only the kind of timeout decides
    assert isinstance(transport._failure(httpx.ReadTimeout("slow"), url, far), DeadlineExceeded)
    assert isinstance(transport._failure(httpx.ReadTimeout("slow"), url, None), ReadError)
    assert isinstance(transport._failure(httpx.ConnectError("refused"), url, far), ConnectError)
    assert isinstance(transport._failure(httpx.ConnectError("refused"), url, 0.0),
                      DeadlineExceeded)  # a deadline already passed wins


class KeepAliveServer:
    """Answers every request on a connection (HTTP/1.1 keep-alive) and counts connections."""

    def __init__(self) -> None:
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}/ocr"
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> KeepAliveServer:
        self._accepting.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        body = envelope({"forms": {"form": "ok"}}).encode()
        answer = reply(body).replace(b"Connection: close", b"Connection: keep-alive")
        with conn:
            data = b""
            while True:
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                head, _, data = data.partition(b"\r\n\r\n")
                length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length:"))
                while len(data) < length:
                    data += conn.recv(65536)
                data = data[length:]
                conn.sendall(answer)


def test_the_watch_is_released_before_the_connection_goes_back_to_the_pool(monkeypatch):
    # The reaper fires at the worst moment: right after the connection went back to the
    # pool, before the call's `watching` block ended.  The pooled socket must not be cut.
    real_put = urllib3.connectionpool.HTTPConnectionPool._put_conn

    def put_then_fire(pool, conn):
        real_put(pool, conn)
        watch = _watchdog.current()
        if watch is not None:
            watch.fire()

    monkeypatch.setattr(urllib3.connectionpool.HTTPConnectionPool, "_put_conn", put_then_fire)
    with KeepAliveServer() as server:
        transport = RequestsTransport()
        client = Client(APP_KEY, SECRET_DEV_KEY, server.url, transport=transport, retries=0,
                        timeout=30)
        for _ in range(3):
            assert client.recognize(IMAGE, "text.chinese").text == "ok"
        client.close()
    # Every call found its pooled connection whole: one connection served all three.
    assert server.connections == 1


def test_a_socket_the_deadline_shut_down_is_closed_not_pooled():
    watch = _watchdog.Watch(deadline=0.0)
    left, right = socket.socketpair()
    with left, right:
        watch.add(left)
        assert watch.release(left) is True  # not fired: the connection may be pooled
        watch.add(left)
        watch.fire()
        assert watch.release(left) is False  # fired: the transport closes it instead
