"""The transport against a real HTTP server on 127.0.0.1 (pytest-httpserver)."""

from __future__ import annotations

import json
import threading

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from lingyun import Client, ProtocolError, RequestError, ServiceError, TransportError
from lingyun.transport import HTTPTransport, read_reply, split_position_body

from .conftest import envelope


def test_success_keeps_raw_parts(client: Client, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ocr", method="POST").respond_with_data(
        envelope({"forms": {"form": "文本"}}), headers={"x-trace": "t1"}
    )
    result = client.recognize(b"img", "test.echo")
    assert result.data == {"forms": {"form": "文本"}}
    assert result.reply.status == 200
    assert result.reply.headers["X-Trace"] == "t1"
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
        (200, '{"error": true}', "application/json", "boolean"),
        (200, b"\xff\xfe\x00garbage", "application/json", "not UTF-8"),
        (200, "[" * 100_000 + "]" * 100_000, "application/json", "nested too deeply"),
    ],
)
def test_bad_answers_are_protocol_errors(
    client: Client, httpserver: HTTPServer, status: int, body: str | bytes, content_type: str,
    expect: str,
) -> None:
    httpserver.expect_request("/ocr").respond_with_data(
        body, status=status, content_type=content_type
    )
    with pytest.raises(ProtocolError, match=expect):
        client.recognize(b"img", "test.echo")


def test_error_code_from_string_is_accepted(client: Client, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ocr").respond_with_data('{"error": "262", "text": "不支持"}')
    with pytest.raises(RequestError) as info:
        client.recognize(b"img", "test.echo")
    assert info.value.code == 262 and info.value.text == "不支持"


def test_unknown_error_code_still_raises(client: Client, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ocr").respond_with_data(envelope(error=777, text="新错误"))
    with pytest.raises(ServiceError) as info:
        client.recognize(b"img", "test.echo")
    assert info.value.code == 777


def test_read_timeout_is_transport_error(httpserver: HTTPServer) -> None:
    release = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(5)
        return Response(envelope())

    httpserver.expect_request("/ocr").respond_with_handler(slow)
    transport = HTTPTransport(timeout=(1.0, 0.2))
    try:
        with pytest.raises(TransportError, match="timed out"):
            transport.post(httpserver.url_for("/ocr"), {}, b"x")
    finally:
        release.set()


def test_connection_refused_is_transport_error() -> None:
    transport = HTTPTransport(timeout=(1.0, 1.0))
    with pytest.raises(TransportError, match="could not reach http://127.0.0.1:9/ocr"):
        transport.post("http://127.0.0.1:9/ocr", {}, b"x")


def test_huge_reply_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ocr").respond_with_data(b"x" * 5000)
    transport = HTTPTransport(max_response_bytes=1000)
    with pytest.raises(ProtocolError, match="1000-byte limit"):
        transport.post(httpserver.url_for("/ocr"), {}, b"x")


# --- position replies: JSON followed by 48-byte nodes, split by json-length ----------------

NODES = bytes(range(48)) * 2


def _position_body(text: str) -> bytes:
    return envelope({"forms": {"form": text}}).encode("utf-8") + NODES


def test_json_length_as_utf8_bytes() -> None:
    body = _position_body("北京捷通")
    json_len = len(body) - len(NODES)
    reply = read_reply(200, {"json-length": str(json_len)}, body)
    assert reply.positions == NODES
    assert reply.data == {"forms": {"form": "北京捷通"}}


def test_json_length_as_characters() -> None:
    body = _position_body("北京捷通")
    char_len = len(body[: len(body) - len(NODES)].decode("utf-8"))
    json_part, nodes = split_position_body(body, char_len)
    assert nodes == NODES
    assert json.loads(json_part)["data"]["forms"]["form"] == "北京捷通"


@pytest.mark.parametrize("json_length", ["5", "100000", "-3", "abc", "12.5"])
def test_json_length_that_fits_nothing(json_length: str) -> None:
    with pytest.raises(ProtocolError, match="json-length"):
        read_reply(200, {"json-length": json_length}, _position_body("abc"))


def test_error_envelope_with_json_length_still_raises_the_code() -> None:
    body = envelope(error=231, text="lang缺失").encode()
    with pytest.raises(RequestError):
        read_reply(200, {"json-length": str(len(body))}, body)
