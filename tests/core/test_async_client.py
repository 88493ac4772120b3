"""AsyncClient: the same errors, retry rules, deadlines and batch contract as Client."""

from __future__ import annotations

import socket
import time

import pytest
from pytest_httpserver import HTTPServer

from lingyun import (
    AccountError,
    AsyncClient,
    BatchAborted,
    ConnectError,
    DeadlineExceeded,
    ImageError,
    ProtocolError,
    ReadError,
)

from ..conftest import APP_KEY, IMAGE, SECRET_DEV_KEY
from ..hostile import HUGE_SHAPES, HostileServer, huge_reply, proxy_through, reply
from .conftest import envelope

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["aiohttp", "httpx"])
def make_client(request):
    """Every test runs on both asynchronous transports: aiohttp (the default) and httpx."""

    def make(url: str, **kwargs) -> AsyncClient:
        kwargs.setdefault("backoff", 0.0)
        if request.param == "httpx":
            from lingyun.transports.httpx import HTTPXTransport

            limit = {k: kwargs.pop(k) for k in ("max_response_bytes",) if k in kwargs}
            kwargs["transport"] = HTTPXTransport(**limit)
        return AsyncClient(APP_KEY, SECRET_DEV_KEY, url, **kwargs)

    return make


async def test_the_session_chooses_the_transport() -> None:
    import aiohttp
    import httpx

    async with AsyncClient(APP_KEY, SECRET_DEV_KEY, "http://127.0.0.1:9/ocr") as client:
        assert type(client.transport).__name__ == "AiohttpTransport"
    async with httpx.AsyncClient() as mine:
        async with AsyncClient(APP_KEY, SECRET_DEV_KEY, "http://127.0.0.1:9/ocr",
                               session=mine) as client:
            assert type(client.transport).__name__ == "HTTPXTransport"
            assert client.transport.client is mine
    async with aiohttp.ClientSession() as mine:
        async with AsyncClient(APP_KEY, SECRET_DEV_KEY, "http://127.0.0.1:9/ocr",
                               session=mine) as client:
            assert client.transport.session is mine
            assert client.transport.proxy_for("http://x/ocr") == (None, {})  # its trust_env
        assert not mine.closed  # a session of your own stays yours


async def test_recognize_over_http(make_client, echo_plugin, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ocr", method="POST", data=IMAGE).respond_with_data(
        envelope({"forms": {"form": "文本"}}))
    async with make_client(httpserver.url_for("/ocr")) as client:
        result = await client.recognize(IMAGE, "test.echo")
    assert result.data == {"forms": {"form": "文本"}}
    headers = httpserver.log[0][0].headers
    assert headers["x-app-key"] == APP_KEY and len(headers["x-session-key"]) == 32
    assert SECRET_DEV_KEY not in str(dict(headers))


async def test_bad_answers_are_protocol_errors(
        make_client, echo_plugin, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/ocr").respond_with_data('{"error": "²"}')
    async with make_client(httpserver.url_for("/ocr")) as client:
        with pytest.raises(ProtocolError, match="ASCII digits"):
            await client.recognize(IMAGE, "test.echo")
    assert len(httpserver.log) == 1


async def test_a_non_image_is_refused_before_sending(make_client, echo_plugin,
                                                     httpserver: HTTPServer) -> None:
    async with make_client(httpserver.url_for("/ocr")) as client:
        with pytest.raises(ImageError, match="a PDF document"):
            await client.recognize(b"%PDF-1.7", "test.echo")
    assert httpserver.log == []


async def test_read_errors_are_not_sent_again_and_transient_codes_are(
        make_client, echo_plugin
) -> None:
    def half(sock: socket.socket, number: int) -> None:
        whole = reply(envelope({"n": number}).encode())
        sock.sendall(whole[: len(whole) - 5])

    with HostileServer(half) as server:
        async with make_client(server.url, retries=2) as client:
            with pytest.raises(ReadError, match="may have been processed"):
                await client.recognize(IMAGE, "test.echo")
        assert server.requests == 1

    def busy_then_ok(sock: socket.socket, number: int) -> None:
        sock.sendall(reply(envelope({"n": number} if number == 3 else None,
                                    error=0 if number == 3 else 250).encode()))

    with HostileServer(busy_then_ok) as server:
        async with make_client(server.url, retries=2) as client:
            assert (await client.recognize(IMAGE, "test.echo")).data == {"n": 3}
        assert server.requests == 3


async def test_connection_refused_is_retried(make_client, echo_plugin) -> None:
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    async with make_client("http://127.0.0.1:9/ocr", retries=2, backoff=0.01,
                       sleep=record) as client:
        with pytest.raises(ConnectError):
            await client.recognize(IMAGE, "test.echo")
    assert len(waits) == 2


async def test_redirects_are_refused(make_client, echo_plugin) -> None:
    def elsewhere(sock: socket.socket, number: int) -> None:
        sock.sendall(reply(envelope({"stolen": True}).encode()))

    with HostileServer(elsewhere) as other:
        def redirect(sock: socket.socket, number: int) -> None:
            sock.sendall(reply(b"", status="307 Temporary Redirect",
                               headers={"Location": other.url}))

        with HostileServer(redirect) as server:
            async with make_client(server.url) as client:
                with pytest.raises(ProtocolError, match="HTTP 307 redirect"):
                    await client.recognize(IMAGE, "test.echo")
        assert other.requests == 0


async def test_a_dripping_server_cannot_hold_a_call_past_its_deadline(
        make_client, echo_plugin
) -> None:
    whole = reply(envelope({"forms": "x" * 200}).encode())

    def drip(sock: socket.socket, number: int) -> None:
        for i in range(len(whole)):
            if server.stop.wait(0.2):
                return
            sock.sendall(whole[i:i + 1])

    with HostileServer(drip) as server:
        async with make_client(server.url, timeout=1.0, retries=2) as client:
            started = time.monotonic()
            with pytest.raises(DeadlineExceeded):
                await client.recognize(IMAGE, "test.echo")
        assert time.monotonic() - started < 10
        assert server.requests == 1


async def test_batch_yields_one_item_per_image(
        make_client, echo_plugin, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/ocr").respond_with_data(envelope({"forms": 1}))
    async with make_client(httpserver.url_for("/ocr")) as client:
        items = [item async for item in client.batch([IMAGE] * 25, "test.echo",
                                                     workers=4, ordered=True)]
    assert [item.index for item in items] == list(range(25))
    assert all(item.ok for item in items) and len(httpserver.log) == 25


async def test_an_empty_account_stops_the_batch_and_nothing_is_lost(
        make_client, echo_plugin
) -> None:
    def account_runs_dry(sock: socket.socket, number: int) -> None:
        code = 240 if number >= 3 else 0
        sock.sendall(reply(envelope({"n": number} if code == 0 else None, error=code).encode()))

    async def sources():
        for i in range(20):
            yield IMAGE + bytes([i])

    with HostileServer(account_runs_dry) as server:
        async with make_client(server.url) as client:
            items = [item async for item in client.batch(sources(), "test.echo",
                                                         workers=1)]
    assert sorted(item.index for item in items) == list(range(20))
    assert sum(item.ok for item in items) == 2
    assert isinstance(items[2].error, AccountError)
    aborted = [item for item in items if isinstance(item.error, BatchAborted)]
    assert len(aborted) == 17 and not any(item.attempted for item in aborted)
    assert server.requests == 3


async def test_the_local_service_in_process(echo_plugin) -> None:
    async with AsyncClient.local(engines=["replay"]) as client:
        result = await client.recognize(IMAGE, "idcard.back")
    assert result.replayed == "replay:idcard.back.json"


@pytest.mark.parametrize("shape", HUGE_SHAPES)
async def test_a_huge_reply_is_refused_at_the_limit(make_client, echo_plugin, shape) -> None:
    """Over ``max_response_bytes``: declared up front, sent without a length (read until
    the connection closes), or 5 MB of zeros gzip-compressed to 5 kB -- refused, never read
    whole, and not sent again."""
    with HostileServer(huge_reply(shape)) as server:
        async with make_client(server.url, max_response_bytes=100_000, retries=2) as client:
            with pytest.raises(ProtocolError, match="100000-byte limit"):
                await client.recognize(IMAGE, "test.echo")
        assert server.requests == 1


async def test_proxies_come_from_the_environment(echo_plugin, monkeypatch) -> None:
    """aiohttp's per-request ``trust_env`` is replaced by one lookup per origin; what it
    finds is what requests would use: the proxy URL with its credentials, and NO_PROXY."""
    import base64

    def proxy(sock: socket.socket, number: int) -> None:
        sock.sendall(reply(envelope({"via": "proxy"}).encode()))

    target = "http://ocr.example.invalid:8880/ocr"
    with HostileServer(proxy) as server:
        proxy_through(monkeypatch, server, "user:s3cret@")
        async with AsyncClient(APP_KEY, SECRET_DEV_KEY, target, backoff=0.0) as client:
            assert (await client.recognize(IMAGE, "test.echo")).data == {"via": "proxy"}
            assert (await client.recognize(IMAGE, "test.echo")).data == {"via": "proxy"}
        head = server.heads[0].decode("latin-1")
        assert head.startswith(f"POST {target} HTTP/1.1")
        assert f"\r\nProxy-Authorization: Basic {base64.b64encode(b'user:s3cret').decode()}" \
            in head
        for name in ("no_proxy", "NO_PROXY"):
            monkeypatch.setenv(name, "ocr.example.invalid")
        async with AsyncClient(APP_KEY, SECRET_DEV_KEY, target, backoff=0.0,
                               retries=0) as client:
            with pytest.raises(ConnectError, match="ocr.example.invalid"):
                await client.recognize(IMAGE, "test.echo")
        assert server.requests == 2


async def test_batch_concurrency_is_the_deprecated_spelling_of_workers(
        make_client, echo_plugin, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/ocr").respond_with_data(envelope({"forms": 1}))
    async with make_client(httpserver.url_for("/ocr")) as client:
        with pytest.warns(DeprecationWarning, match="use workers="):
            items = [item async for item in client.batch([IMAGE] * 2, "test.echo",
                                                         concurrency=1)]
    assert len(items) == 2 and all(item.ok for item in items) and len(httpserver.log) == 2
