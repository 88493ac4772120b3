"""Bad input over HTTP never breaks the service: it answers or drops that one connection,
and the next request is served."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from .conftest import IDCARD_BACK, post, signed


def _still_serving(server) -> None:
    assert requests.get(server.base_url + "/health", timeout=10).json()["status"] == "ok"
    assert post(server.url, signed(IDCARD_BACK)).error == 0


def test_duplicated_headers_are_combined_and_refused(service):
    headers = [*signed(IDCARD_BACK).items(), ("x-app-key", "second")]
    answer = post(service.url, headers)
    assert answer.error == 191  # "ac5d5431, second" is not an app key
    _still_serving(service)


def test_non_ascii_header_values(service):
    headers = signed(IDCARD_BACK)
    raw = [(k, v.encode()) for k, v in headers.items() if k != "x-session-key"]
    raw.append(("x-session-key", "签名".encode()))
    answer = post(service.url, raw)
    assert answer.error == 211
    headers["x-app-key"] = "应用"
    assert post(service.url, [(k, v.encode()) for k, v in headers.items()]).error == 191
    _still_serving(service)


def test_all_headers_missing(service):
    assert post(service.url, {}).error == 193


def test_truncated_upload_then_service_goes_on(service):
    headers = signed(IDCARD_BACK)
    with socket.create_connection((service.host, service.port), timeout=30) as sock:
        lines = ["POST /ocr HTTP/1.1", "Host: x", "Content-Length: 100000"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + b"\x89PNG" + b"\0" * 500)
        sock.shutdown(socket.SHUT_WR)
        reply = sock.recv(65536)
    # The upload ended early: no answer is owed; the connection is closed, not hung.
    assert reply == b"" or reply.startswith(b"HTTP/1.1 ")
    _still_serving(service)


def test_garbage_instead_of_http(service):
    with socket.create_connection((service.host, service.port), timeout=30) as sock:
        sock.sendall(b"\x00\xff garbage that is not HTTP at all\r\n\r\n" * 10)
        reply = sock.recv(65536)
    assert reply == b"" or reply.startswith(b"HTTP/1.1 400")
    _still_serving(service)


def test_fifty_megabytes_declared_and_sent(service):
    body = b"\x89PNG\r\n\x1a\n" + bytes(50 * 1024 * 1024)
    try:
        answer = requests.post(service.url, data=body, headers=signed(IDCARD_BACK), timeout=60)
    except requests.ConnectionError:
        pass  # answered 230 and closed while the client was still writing
    else:
        assert answer.json()["error"] == 230
    _still_serving(service)


@pytest.mark.parametrize(("method", "path", "status"),
                         [("GET", "/ocr", 405), ("POST", "/elsewhere", 404),
                          ("POST", "/health", 405)])
def test_wrong_method_or_path(service, method, path, status):
    response = requests.request(method, service.base_url + path, timeout=10)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")


def test_concurrent_mixed_requests_are_each_answered_correctly(service):
    cases = [(signed(IDCARD_BACK), 0), (signed(IDCARD_BACK, app_key="nobody"), 192),
             (signed("capkey=ocr.cloud.bankcard"), 0), (signed(IDCARD_BACK, sdk="1.0"), 214)]
    jobs = cases * 16
    with ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(lambda job: post(service.url, job[0]).error, jobs))
    assert codes == [expected for _, expected in jobs]
    _still_serving(service)
