"""The server holds against hostile and careless clients: timeouts, the connection cap,
the bounded queue, client departures, shutdown with a full queue, smuggling, log forging.

Every wait is on an event or a condition (a socket read, a log record, a counter), never a
fixed sleep; the limits are configured small (0.2-0.3 s) so each test finishes quickly.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lingyun.client import Client
from lingyun.errors import TransientError
from lingyun.service.accounts import Accounts
from lingyun.service.core import ServiceCore
from lingyun.service.engines import Answer
from lingyun.service.http1 import Limits, connection_cap
from lingyun.service.server import LocalServer, log_field

from ..conftest import APP_KEY, SECRET_DEV_KEY
from .conftest import IDCARD_BACK, PNG, post, signed

ROOT = Path(__file__).resolve().parents[2]
BANKCARD = "capkey=ocr.cloud.bankcard"


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Wait for ``condition`` to hold (checked on a short poll), fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        pause.wait(0.005)


def closed_by_server(sock: socket.socket, timeout: float = 20.0) -> bool:
    """True when the server closes ``sock`` (end of stream or reset) within ``timeout``."""
    sock.settimeout(timeout)
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    return True


class GatedEngine:
    """Serves bankcard; holds each recognition until the test opens the gate; counts calls."""

    name = "gated"

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.gate = threading.Event()
        self.calls = 0

    def serves(self, capability):
        return capability.document_type == "bankcard"

    def recognize(self, job):
        self.calls += 1
        self.entered.set()
        assert self.gate.wait(30)
        return Answer(data={"forms": {"form": {"CardNumber": str(self.calls)}}})


@contextmanager
def gated_server(**options) -> Iterator[tuple[LocalServer, GatedEngine]]:
    engine = GatedEngine()
    core = ServiceCore(accounts=Accounts({APP_KEY: SECRET_DEV_KEY}), engines=[engine])
    server = LocalServer(core, **options).start()
    try:
        yield server, engine
    finally:
        engine.gate.set()
        server.stop()


def raw_request(headers: dict[str, str], body: bytes, *, path: str = "/ocr",
                extra: list[str] = ()) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: test", *extra]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    import http.client

    response = http.client.HTTPResponse(sock)
    response.begin()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


# -- timeouts ----------------------------------------------------------------------------

def test_idle_connection_is_closed_after_the_idle_timeout():
    with gated_server(limits=Limits(idle_timeout=0.2)) as (server, _):
        with socket.create_connection((server.host, server.port)) as sock:
            started = time.monotonic()
            assert closed_by_server(sock)
            assert time.monotonic() - started < 10  # the timeout, not the socket's 20 s


def test_keep_alive_connection_is_closed_when_idle_after_a_request():
    with gated_server(limits=Limits(idle_timeout=0.2)) as (server, engine):
        engine.gate.set()
        with socket.create_connection((server.host, server.port)) as sock:
            sock.sendall(raw_request({**signed(BANKCARD), "Content-Length": str(len(PNG))},
                                     PNG))
            status, _, body = read_response(sock)
            assert status == 200 and json.loads(body)["error"] == 0
            assert closed_by_server(sock)


def test_slow_headers_are_cut_off_by_the_header_timeout():
    with gated_server(limits=Limits(idle_timeout=60, header_timeout=0.3)) as (server, _):
        with socket.create_connection((server.host, server.port)) as sock:
            sock.sendall(b"POST /ocr HTTP/1.1\r\nHost: test\r\n")  # and never the rest
            assert closed_by_server(sock)


def test_an_upload_in_progress_holds_its_slot():
    """workers=1, queue=0: a body that has started arriving holds the only slot."""
    limits = Limits(idle_timeout=60, header_timeout=60, body_timeout=60, body_rate_grace=60)
    with gated_server(workers=1, queue=0, limits=limits) as (server, engine):
        engine.gate.set()
        headers = {**signed(BANKCARD), "Content-Length": str(10 * 1024 * 1024)}
        with socket.create_connection((server.host, server.port)) as sock:
            sock.sendall(raw_request(headers, PNG[:1000]))
            wait_until(lambda: server.app._admitted == 1)
            assert post(server.url, signed(BANKCARD)).error == 250  # the slot is taken


def test_stalled_upload_is_cut_off_and_its_slot_freed():
    """workers=1, queue=0: the stalled upload is cut by the body timeout, freeing the slot."""
    limits = Limits(idle_timeout=60, header_timeout=60, body_timeout=0.3)
    with gated_server(workers=1, queue=0, limits=limits) as (server, engine):
        engine.gate.set()
        headers = {**signed(BANKCARD), "Content-Length": str(10 * 1024 * 1024)}
        with socket.create_connection((server.host, server.port)) as sock:
            sock.sendall(raw_request(headers, PNG[:1000]))
            assert closed_by_server(sock)
        wait_until(lambda: server.app._admitted == 0)
        assert post(server.url, signed(BANKCARD)).error == 0


# -- connection cap ----------------------------------------------------------------------

def test_at_the_connection_cap_the_longest_idle_connection_makes_room():
    with gated_server(limits=Limits(idle_timeout=60, max_connections=5)) as (server, engine):
        engine.gate.set()
        idle = [socket.create_connection((server.host, server.port)) for _ in range(5)]
        try:
            wait_until(lambda: server.server.open_connections == 5)
            assert post(server.url, signed(BANKCARD)).error == 0
            assert closed_by_server(idle[0])  # the oldest idle one was closed
        finally:
            for sock in idle:
                sock.close()


def test_connection_cap_fits_the_descriptor_limit():
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    cap = connection_cap(Limits(max_connections=10**6, fd_reserve=64))
    assert cap == (10**6 if soft == resource.RLIM_INFINITY else max(1, soft - 64))
    assert connection_cap(Limits(max_connections=3)) == 3


def test_the_service_imports_without_the_unix_only_resource_module():
    """As on Windows: no ``resource`` module; the connection cap is then max_connections."""
    code = ("import sys; sys.modules['resource'] = None\n"
            "import lingyun, lingyun.cli.serve, lingyun.service.server\n"
            "import lingyun.service.engines.pool\n"
            "from lingyun.service.http1 import Limits, connection_cap\n"
            "print(connection_cap(Limits(max_connections=7)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "7"


def _serve_command(*options: str) -> list[str]:
    return [sys.executable, "-m", "lingyun", "serve", "--port", "0", "--engine", "replay",
            "--account", f"{APP_KEY}:{SECRET_DEV_KEY}", *options]


def _limit_descriptors() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))


def _start_serve(*options: str, limit_fds: bool = False) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(_serve_command(*options), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=_limit_descriptors if limit_fds else None)
    url = proc.stdout.readline().split()[4]
    for _ in range(3):  # engines, accounts, limits
        proc.stdout.readline()
    return proc, url


def test_1100_idle_connections_under_a_1024_descriptor_limit_do_not_lock_clients_out():
    """`lingyun serve` under ulimit -n 1024: a normal client is still served, nothing floods
    the log.  The idle timeout is 60 s here, so only the connection cap can make room."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1300:
        pytest.fail(f"this test needs 1,300 descriptors in the test process (hard limit {hard})")
    if soft < 1300:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    proc, url = _start_serve("--idle-timeout", "60", limit_fds=True)
    host, port = url.split("/")[2].split(":")
    idle: list[socket.socket] = []
    try:
        for _ in range(1100):
            idle.append(socket.create_connection((host, int(port)), timeout=30))
        answers = [post(url, signed(IDCARD_BACK)).error for _ in range(3)]
        assert answers == [0, 0, 0]
    finally:
        for sock in idle:
            sock.close()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert "stopped" in out
    assert "Traceback" not in err
    assert len(err.splitlines()) < 50, err[-2000:]


# -- queue, departures, busy -------------------------------------------------------------

def test_full_queue_answers_a_retryable_busy_envelope_at_once():
    with gated_server(workers=1, queue=0) as (server, engine):
        first = threading.Thread(target=post, args=(server.url, signed(BANKCARD)))
        first.start()
        assert engine.entered.wait(30)
        busy = post(server.url, signed(BANKCARD))
        assert busy.error == 250 and "busy" in busy.envelope["text"]
        with Client(APP_KEY, SECRET_DEV_KEY, server.url, retries=0, backoff=0.0) as client:
            with pytest.raises(TransientError) as info:  # the client's class: retried
                client.recognize(PNG, "bankcard")
        assert info.value.code == 250
        engine.gate.set()
        first.join(30)
        assert engine.calls == 1


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.dropped = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        line = record.getMessage()
        self.lines.append(line)
        if "work dropped" in line:
            self.dropped.set()


@contextmanager
def access_records() -> Iterator[_Records]:
    records = _Records()
    logger = logging.getLogger("lingyun.service.access")
    old_level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(records)
    try:
        yield records
    finally:
        logger.removeHandler(records)
        logger.setLevel(old_level)


def test_queued_work_whose_client_left_is_dropped_before_it_starts():
    with access_records() as records, gated_server(workers=1, queue=2) as (server, engine):
        first = threading.Thread(target=post, args=(server.url, signed(BANKCARD)))
        first.start()
        assert engine.entered.wait(30)
        with socket.create_connection((server.host, server.port)) as sock:
            sock.sendall(raw_request({**signed(BANKCARD), "Content-Length": str(len(PNG))},
                                     PNG))
            wait_until(lambda: server.app._admitted == 2)  # queued behind the first
        assert records.dropped.wait(30)  # the service noticed the departure
        engine.gate.set()
        first.join(30)
        assert post(server.url, signed(BANKCARD)).error == 0
        assert engine.calls == 2  # the first and the last; the departed one never ran


# -- shutdown ----------------------------------------------------------------------------

def test_shutdown_with_a_full_queue_answers_every_request_with_a_retryable_envelope():
    with gated_server(workers=1, queue=3, grace=0.2) as (server, engine):
        answers: list = []
        clients = [threading.Thread(target=lambda: answers.append(
            post(server.url, signed(BANKCARD)))) for _ in range(3)]
        for client in clients:
            client.start()
        assert engine.entered.wait(30)
        wait_until(lambda: server.app._admitted == 3)
        server.request_stop()  # one running (held by the gate), two queued
        for client in clients:
            client.join(30)
        assert [(a.status, a.error) for a in answers] == [(200, 250)] * 3
        assert all("shutting down" in a.envelope["text"] for a in answers)
        assert engine.calls == 1


def test_sigterm_stops_serve_with_exit_0_and_says_so():
    proc, url = _start_serve()
    try:
        assert post(url, signed(IDCARD_BACK)).error == 0
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.strip().endswith("lingyun local service stopped")
    assert "Traceback" not in err


# -- protocol attacks and the log -----------------------------------------------------------

def test_transfer_encoding_with_content_length_is_refused_and_closed(service):
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(PNG), PNG)
    with socket.create_connection((service.host, service.port), timeout=30) as sock:
        sock.sendall(raw_request(signed(IDCARD_BACK), chunked,
                                 extra=["Transfer-Encoding: chunked", "Content-Length: 5"]))
        status, headers, body = read_response(sock)
        assert status == 400 and headers["connection"] == "close"
        assert "Transfer-Encoding and Content-Length" in json.loads(body)["text"]
        assert closed_by_server(sock)


@pytest.mark.parametrize("length", ["\xb2", "9" * 5000, "1_0", " 12x"])
def test_a_bad_content_length_is_a_json_400_not_a_500(service, length):
    with socket.create_connection((service.host, service.port), timeout=30) as sock:
        sock.sendall(raw_request({**signed(IDCARD_BACK), "Content-Length": length}, b""))
        status, headers, body = read_response(sock)
    assert status == 400 and headers["content-type"].startswith("application/json")
    assert json.loads(body)["text"].startswith("bad HTTP request")


def test_the_access_log_cannot_be_forged_and_ignores_forwarded_for(service):
    headers = {**signed(IDCARD_BACK), "x-app-key": "\x1b[31mevil", "X-Forwarded-For": "6.6.6.6"}
    with access_records() as records:
        with socket.create_connection((service.host, service.port), timeout=30) as sock:
            sock.sendall(raw_request({**headers, "Content-Length": "0"}, b"",
                                     path="/ocr%0D%0A127.0.0.1%20%22POST%20/ocr%22%20200"))
            status, _, _ = read_response(sock)
            wait_until(lambda: records.lines)  # the line is written after the answer
    assert status == 404
    line = records.lines[-1]
    assert line.isprintable() and "\n" not in line and "\x1b" not in line
    assert "\\x1b[31mevil" in line and "6.6.6.6" not in line
    assert line.startswith("127.0.0.1:")


def test_forwarded_for_is_believed_from_a_trusted_proxy_only():
    core = ServiceCore(accounts=Accounts({APP_KEY: SECRET_DEV_KEY}), engines=[GatedEngine()])
    with access_records() as records, LocalServer(core, trusted_proxies=["127.0.0.1"]) as srv:
        post(srv.url, {**signed(IDCARD_BACK), "X-Forwarded-For": "10.0.0.1, 6.6.6.6"})
    assert records.lines[-1].startswith("6.6.6.6 via 127.0.0.1:")


def test_expect_100_continue_is_answered_once_the_request_is_admitted(service):
    with socket.create_connection((service.host, service.port), timeout=30) as sock:
        sock.sendall(raw_request({**signed(IDCARD_BACK), "Content-Length": str(len(PNG)),
                                  "Expect": "100-continue"}, b""))
        assert sock.recv(4096).startswith(b"HTTP/1.1 100 ")
        sock.sendall(PNG)
        status, _, body = read_response(sock)
    assert status == 200 and json.loads(body)["error"] == 0


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300))
def test_log_field_is_printable_ascii_without_a_bare_quote(text):
    out = log_field(text)
    assert out.isascii() and out.isprintable()
    assert len(out) <= 10 * 200 + 3
    chars = iter(out)
    for ch in chars:
        if ch == "\\":
            assert next(chars, None) is not None  # an escape is never cut in half
        else:
            assert ch != '"'


def test_a_refused_request_keeps_its_connection_for_the_next(service):
    """The body of a refused request has arrived: it is consumed, the connection stays."""
    with socket.create_connection((service.host, service.port), timeout=30) as sock:
        wrong = {**signed(IDCARD_BACK, app_key="nobody"), "Content-Length": str(len(PNG))}
        sock.sendall(raw_request(wrong, PNG))
        status, headers, body = read_response(sock)
        assert json.loads(body)["error"] == 192 and "connection" not in headers
        sock.sendall(raw_request({**signed(IDCARD_BACK), "Content-Length": str(len(PNG))},
                                 PNG))
        status, _, body = read_response(sock)
    assert status == 200 and json.loads(body)["error"] == 0
