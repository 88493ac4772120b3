"""``ServiceApp`` is a real ASGI app, and ``HTTPServer`` a conforming ASGI server for it.

HEAD answers carry headers only and keep their connection; a response sent in several body
messages goes out with one status line; the app runs unchanged under uvicorn.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from lingyun.client import Client
from lingyun.service.accounts import Accounts
from lingyun.service.core import ServiceCore
from lingyun.service.engines import make_engines
from lingyun.service.http1 import HTTPServer
from lingyun.service.server import ServiceApp, bind

from ..conftest import APP_KEY, SECRET_DEV_KEY
from .conftest import IDCARD_BACK, PNG, post, signed


def _request(sock: socket.socket, method: str, path: str) -> http.client.HTTPResponse:
    sock.sendall(f"{method} {path} HTTP/1.1\r\nHost: test\r\n\r\n".encode("ascii"))
    response = http.client.HTTPResponse(sock, method=method)
    response.begin()
    return response


@pytest.mark.parametrize("path, status", [("/health", 200), ("/ocr", 405)])
def test_head_sends_headers_only_and_the_connection_survives(service, path, status):
    with socket.create_connection((service.host, service.port), timeout=30) as sock:
        head = _request(sock, "HEAD", path)
        assert head.status == status
        assert int(head.getheader("content-length")) > 0  # what a GET would carry
        assert head.read() == b""
        get = _request(sock, "GET", "/health")  # the same connection, the next request
        assert get.status == 200 and json.loads(get.read())["status"]


class _Streaming:
    """An ASGI app answering in three body messages, with the lifecycle HTTPServer drives."""

    def startup(self) -> None: ...
    def begin_shutdown(self) -> None: ...
    def stop_now(self) -> None: ...
    def close(self) -> None: ...

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain")]})
        for part in (b"one ", b"two "):
            await send({"type": "http.response.body", "body": part, "more_body": True})
        await send({"type": "http.response.body", "body": b"three"})


@contextmanager
def _serving(app: Any) -> Iterator[tuple[str, int]]:
    sock = bind("127.0.0.1", 0)
    host, port = sock.getsockname()[:2]
    server = HTTPServer(app, [sock], grace=1.0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield host, port
    finally:
        server.request_stop()
        thread.join(30)


def test_a_body_in_several_messages_is_sent_after_one_status_line():
    with _serving(_Streaming()) as (host, port):
        with socket.create_connection((host, port), timeout=30) as sock:
            for _ in range(2):  # chunked, and the connection is kept for the next
                response = _request(sock, "GET", "/")
                assert response.status == 200
                assert response.getheader("transfer-encoding") == "chunked"
                assert response.read() == b"one two three"
            head = _request(sock, "HEAD", "/")
            assert head.status == 200 and head.read() == b""


def test_service_app_runs_under_uvicorn():
    uvicorn = pytest.importorskip("uvicorn")
    core = ServiceCore(accounts=Accounts({APP_KEY: SECRET_DEV_KEY}),
                       engines=make_engines(["replay"]))
    app = ServiceApp(core, workers=2)
    sock = bind("127.0.0.1", 0)
    host, port = sock.getsockname()[:2]
    server = uvicorn.Server(uvicorn.Config(app, lifespan="on", log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://{host}:{port}/ocr"
    try:
        ready = threading.Event()
        while not server.started:
            assert thread.is_alive(), "uvicorn did not start"
            ready.wait(0.01)
        assert post(url, signed(IDCARD_BACK)).error == 0  # a raw request
        with Client(APP_KEY, SECRET_DEV_KEY, url, retries=0) as client:
            result = client.recognize(PNG, "idcard.back")
        assert result.replayed
        with socket.create_connection((host, port), timeout=30) as conn:
            assert _request(conn, "HEAD", "/health").status == 200
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()
    assert not thread.is_alive()
