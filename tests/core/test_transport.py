"""The requests transport and the client against real and hostile servers on 127.0.0.1.

Counts of requests the server received prove what was (not) sent twice; deadlines are
checked with generous bounds (the point is that a call ends, not how fast).
"""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from lingyun import (
    Client,
    ConnectError,
    DeadlineExceeded,
    ImageError,
    ProtocolError,
    ReadError,
    RequestError,
    ServiceError,
    TransientError,
)
from lingyun.transports.requests import RequestsTransport

from ..conftest import APP_KEY, IMAGE, SECRET_DEV_KEY
from ..hostile import HUGE_SHAPES, HostileServer, huge_reply, proxy_through, reply
from .conftest import envelope


def _client(url: str, **kwargs) -> Client:
    kwargs.setdefault("sleep", lambda s: None)
    return Client(APP_KEY, SECRET_DEV_KEY, url, **kwargs)


def test_success_keeps_raw_parts(client: Client, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ocr", method="POST").respond_with_data(
        envelope({"forms": {"form": "文本"}}), headers={"x-trace": "t1"}
    )
    result = client.recognize(IMAGE, "test.echo")
    assert result.data == {"forms": {"form": "文本"}}
    assert result.reply.status == 200
    assert result.reply.headers["x-trace"] == "t1"
    assert json.loads(result.reply.body)["text"] == "请求成功"


@pytest.mark.parametrize(
    ("status", "body", "content_type", "expect"),
    [
        (502, "<html><body>Bad Gateway</body></html>", "text/html", "HTTP status 502"),
        (500, "Internal Server Error", "text/plain", "HTTP status 500"),
        (200, "<html>login</html>", "text/html", "not valid JSON"),
        (200, "", "application/json", "empty"),
        (200, '{"error": 0, "text": "ok", "data": {"fo', "application/json", "not valid JSON"),
        (200, "[1, 2]", "application/json", "expected an object"),
        (200, '{"text": "x"}', "application/json", "no 'error' member"),
        (200, '{"error": "zero"}', "application/json", "not an integer"),
        (200, '{"error": "²"}', "application/json", "ASCII digits"),
        (200, '{"error": "1' + "0" * 5000 + '"}', "application/json", "digits"),
        (200, '{"error": true}', "application/json", "boolean"),
        (200, b"\xff\xfe\x00garbage", "application/json", "not UTF-8"),
        (200, "[" * 100_000 + "]" * 100_000, "application/json", "nested too deeply"),
    ],
)
def test_bad_answers_are_protocol_errors_and_not_retried(
    client: Client, httpserver: HTTPServer, status: int, body: str | bytes, content_type: str,
    expect: str,
) -> None:
    httpserver.expect_request("/ocr").respond_with_data(
        body, status=status, content_type=content_type
    )
    with pytest.raises(ProtocolError, match=expect):
        client.recognize(IMAGE, "test.echo")
    assert len(httpserver.log) == 1


def test_error_code_from_string_is_accepted(client: Client, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ocr").respond_with_data('{"error": "262", "text": "不支持"}')
    with pytest.raises(RequestError) as info:
        client.recognize(IMAGE, "test.echo")
    assert info.value.code == 262 and info.value.text == "不支持"


def test_unknown_error_code_still_raises(client: Client, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ocr").respond_with_data(envelope(error=777, text="新错误"))
    with pytest.raises(ServiceError) as info:
        client.recognize(IMAGE, "test.echo")
    assert info.value.code == 777


def test_a_huge_service_text_is_quoted_as_a_bounded_excerpt(
        client: Client, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ocr").respond_with_data(envelope(error=262, text="坏" * 20000))
    with pytest.raises(RequestError) as info:
        client.recognize(IMAGE, "test.echo")
    assert len(str(info.value)) < 400


# --- what is sent twice, and what never is ---------------------------------------------------

def test_read_timeout_is_a_read_error_and_is_not_sent_again(echo_plugin) -> None:
    def silent(sock: socket.socket, number: int) -> None:
        server.stop.wait(10)

    with HostileServer(silent) as server:
        client = _client(server.url, timeout=0.5, retries=2)
        with pytest.raises((ReadError, DeadlineExceeded)):
            client.recognize(IMAGE, "test.echo")
        assert server.requests == 1


def test_a_reply_broken_mid_read_is_not_sent_again(echo_plugin) -> None:
    def half(sock: socket.socket, number: int) -> None:
        whole = reply(envelope({"forms": 1}).encode())
        sock.sendall(whole[: len(whole) - 5])  # then close: the body is cut short

    with HostileServer(half) as server:
        client = _client(server.url, retries=2)
        with pytest.raises(ReadError, match="may have been processed"):
            client.recognize(IMAGE, "test.echo")
        assert server.requests == 1


def test_read_errors_are_retried_only_when_the_caller_opts_in(echo_plugin) -> None:
    def half_then_whole(sock: socket.socket, number: int) -> None:
        whole = reply(envelope({"forms": number}).encode())
        sock.sendall(whole if number == 3 else whole[: len(whole) - 5])

    with HostileServer(half_then_whole) as server:
        client = _client(server.url, retries=2, retry_read_errors=True)
        assert client.recognize(IMAGE, "test.echo").data == {"forms": 3}
        assert server.requests == 3


def test_transient_codes_stay_retryable(echo_plugin) -> None:
    def busy_then_ok(sock: socket.socket, number: int) -> None:
        code = 250 if number < 3 else 0
        sock.sendall(reply(envelope({"n": number} if code == 0 else None, error=code).encode()))

    with HostileServer(busy_then_ok) as server:
        client = _client(server.url, retries=2)
        assert client.recognize(IMAGE, "test.echo").data == {"n": 3}
        assert server.requests == 3


def test_connection_refused_is_a_connect_error_and_is_retried(echo_plugin) -> None:
    sleeps: list[float] = []
    client = _client("http://127.0.0.1:9/ocr", sleep=sleeps.append, retries=2, backoff=0.01)
    with pytest.raises(ConnectError, match="could not connect to http://127.0.0.1:9/ocr"):
        client.recognize(IMAGE, "test.echo")
    assert len(sleeps) == 2


def test_a_non_image_is_refused_before_sending(client: Client, httpserver: HTTPServer,
                                               tmp_path) -> None:
    fake = tmp_path / "notes.png"
    fake.write_text("meeting notes, not a picture\n")
    with pytest.raises(ImageError, match=r"notes\.png: not an image .* text starting"):
        client.recognize(fake, "test.echo")
    with pytest.raises(ImageError, match="a PDF document"):
        client.recognize(b"%PDF-1.7 ...", "test.echo")
    assert httpserver.log == []


# --- redirects ----------------------------------------------------------------------------

@pytest.mark.parametrize("status", ["301 Moved Permanently", "302 Found", "307 Temporary Redirect",
                                    "308 Permanent Redirect"])
def test_redirects_are_refused_and_nothing_reaches_the_other_host(echo_plugin, status) -> None:
    def elsewhere(sock: socket.socket, number: int) -> None:
        sock.sendall(reply(envelope({"stolen": True}).encode()))

    with HostileServer(elsewhere) as other:
        def redirect(sock: socket.socket, number: int) -> None:
            sock.sendall(reply(b"", status=status, headers={"Location": other.url}))

        with HostileServer(redirect) as server:
            client = _client(server.url, retries=2)
            with pytest.raises(ProtocolError) as info:
                client.recognize(IMAGE, "test.echo")
            assert status.split()[0] in str(info.value)
            assert other.url in str(info.value)
            assert "not followed" in str(info.value)
            assert server.requests == 1
        assert other.requests == 0


# --- deadlines against dripping servers ----------------------------------------------------

def _drip(data: bytes, server: HostileServer, sock: socket.socket) -> None:
    for i in range(len(data)):
        if server.stop.wait(0.2):
            return
        sock.sendall(data[i:i + 1])


@pytest.mark.parametrize("where", ["body", "headers"])
def test_a_dripping_server_cannot_hold_a_call_past_its_deadline(echo_plugin, where) -> None:
    whole = reply(envelope({"forms": "x" * 200}).encode())
    split = whole.index(b"\r\n\r\n") + 4 if where == "body" else 0

    def drip(sock: socket.socket, number: int) -> None:
        sock.sendall(whole[:split])
        _drip(whole[split:], server, sock)

    with HostileServer(drip) as server:
        client = _client(server.url, timeout=1.0, retries=2)
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded):
            client.recognize(IMAGE, "test.echo")
        elapsed = time.monotonic() - started
        assert elapsed < 10, f"the 1 s deadline held the call for {elapsed:.1f} s"
        assert server.requests == 1


def test_the_deadline_covers_retries_and_backoff(echo_plugin) -> None:
    def always_busy(sock: socket.socket, number: int) -> None:
        sock.sendall(reply(envelope(error=250).encode()))

    with HostileServer(always_busy) as server:
        # Backoff of 5 s could not fit in a 1 s deadline: the first error is final.
        client = Client(APP_KEY, SECRET_DEV_KEY, server.url, timeout=1.0, retries=5,
                        backoff=5.0)
        with pytest.raises(TransientError):
            client.recognize(IMAGE, "test.echo")
        assert server.requests == 1


# --- odd digits on the wire ------------------------------------------------------------------

@pytest.mark.parametrize(("headers", "length", "match"), [
    ({"json-length": "²"}, None, "json-length is not a non-negative integer in ASCII digits"),
    ({"json-length": "9" * 5000}, None, "json-length has 5000 digits"),
    ({}, "²", "content-length is not a non-negative integer"),
])
def test_odd_digits_in_reply_headers_are_protocol_errors(echo_plugin, headers, length,
                                                         match) -> None:
    body = envelope({"forms": 1}).encode()

    def odd(sock: socket.socket, number: int) -> None:
        raw = reply(body, headers=headers, length=length)
        sock.sendall(raw)

    with HostileServer(odd) as server:
        client = _client(server.url, retries=2)
        with pytest.raises((ProtocolError, ReadError)) as info:
            client.recognize(IMAGE, "test.echo")
        if isinstance(info.value, ProtocolError):
            assert match in str(info.value)
        assert server.requests == 1


# --- the pool and the transport ----------------------------------------------------------------

def test_the_pool_grows_to_the_batch_workers(echo_plugin, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ocr").respond_with_data(envelope({"forms": 1}))
    client = _client(httpserver.url_for("/ocr"), pool_size=2)
    items = list(client.batch([IMAGE] * 6, "test.echo", workers=6))
    assert all(item.ok for item in items)
    assert client.transport.pool_size == 6
    adapter = client.transport.session.get_adapter("http://x")
    assert adapter._pool_maxsize == 6


def test_huge_reply_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ocr").respond_with_data(b"x" * 5000)
    transport = RequestsTransport(max_response_bytes=1000)
    with pytest.raises(ProtocolError, match="1000-byte limit"):
        transport.send(httpserver.url_for("/ocr"), {}, IMAGE, deadline=None)


def test_a_slow_handler_releases_when_the_deadline_fires(httpserver: HTTPServer) -> None:
    release = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(10)
        return Response(envelope())

    httpserver.expect_request("/ocr").respond_with_handler(slow)
    transport = RequestsTransport()
    try:
        with pytest.raises(DeadlineExceeded):
            transport.send(httpserver.url_for("/ocr"), {}, IMAGE,
                           deadline=time.monotonic() + 0.3)
    finally:
        release.set()


@pytest.mark.parametrize("shape", HUGE_SHAPES)
def test_a_huge_reply_is_refused_at_the_limit_and_not_sent_again(echo_plugin, shape) -> None:
    """As for the asynchronous transports: declared, unframed, or a 5 MB gzip bomb."""
    with HostileServer(huge_reply(shape)) as server:
        client = _client(server.url, max_response_bytes=100_000, retries=2)
        with pytest.raises(ProtocolError, match="100000-byte limit"):
            client.recognize(IMAGE, "test.echo")
        assert server.requests == 1


def test_the_environment_is_honoured_and_read_once_per_origin(echo_plugin, monkeypatch) -> None:
    """Proxies, NO_PROXY and the CA bundle come from the environment as requests reads them
    -- but once per origin: a change after the first call is not seen by this client."""
    def proxy(sock: socket.socket, number: int) -> None:
        sock.sendall(reply(envelope({"via": "proxy"}).encode()))

    target = "http://ocr.example.invalid:8880/ocr"
    with HostileServer(proxy) as server:
        proxy_through(monkeypatch, server)
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
        client = _client(target, retries=0)
        assert client.recognize(IMAGE, "test.echo").data == {"via": "proxy"}
        assert server.heads[0].decode("latin-1").startswith(f"POST {target} HTTP/1.1")
        assert client.transport.environment_for(target.replace("http:", "https:"))[
            "verify"] == "/etc/ssl/certs/ca-certificates.crt"
        assert "verify" not in client.transport.environment_for(target)  # no TLS: no CA
        for name in ("no_proxy", "NO_PROXY"):
            monkeypatch.setenv(name, "ocr.example.invalid")
        assert client.recognize(IMAGE, "test.echo").data == {"via": "proxy"}  # cached
        with pytest.raises(ConnectError, match="ocr.example.invalid"):
            _client(target, retries=0).recognize(IMAGE, "test.echo")  # a new client reads it
        assert server.requests == 2


def test_a_session_of_your_own_keeps_its_trust_env(httpserver: HTTPServer) -> None:
    import requests

    mine = requests.Session()
    transport = RequestsTransport(mine)
    assert mine.trust_env and transport.environment_for("http://x/ocr") == {}
    assert RequestsTransport().session.trust_env is False
