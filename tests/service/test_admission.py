"""Admission cannot be held by bodies that do not arrive; the queue is bounded in time.

Driven with raw sockets and events: each test waits for a state the server reports (a count
of connections, of admitted requests), never for a fixed time.
"""

from __future__ import annotations

import socket
import threading

import pytest

from lingyun.client import Client
from lingyun.service.core import ServiceCore
from lingyun.service.http1 import Limits
from lingyun.service.server import ServiceApp

from ..conftest import APP_KEY, SECRET_DEV_KEY
from .conftest import PNG, post, signed
from .test_hardening import BANKCARD, closed_by_server, gated_server, raw_request, wait_until

TEN_MIB = 10 * 1024 * 1024


class HeaderOnlyCrowd:
    """``size`` connections sending signed headers for a 10 MiB body and no body, renewed
    one after another (closed and reopened with fresh headers) until :meth:`stop`."""

    def __init__(self, address: tuple[str, int], size: int) -> None:
        self.address = address
        self.sockets = [self._open() for _ in range(size)]
        self.renewed = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._renew, daemon=True)

    def _open(self) -> socket.socket:
        sock = socket.create_connection(self.address, timeout=30)
        sock.sendall(raw_request({**signed(BANKCARD), "Content-Length": str(TEN_MIB)}, b""))
        return sock

    def _renew(self) -> None:
        while not self._stop.is_set():
            index = self.renewed % len(self.sockets)
            self.sockets[index].close()
            self.sockets[index] = self._open()
            self.renewed += 1

    def start_renewing(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(30)
        for sock in self.sockets:
            sock.close()


def test_fifty_header_only_connections_do_not_starve_a_real_client():
    """Admission is taken on the body's first bytes: 50 requests announcing 10 MiB and
    sending nothing hold no slot, so a client's calls (capacity 2) all succeed."""
    limits = Limits(idle_timeout=60, header_timeout=60, body_timeout=60, body_rate_grace=60)
    with gated_server(workers=1, queue=1, limits=limits) as (server, engine):
        engine.gate.set()
        crowd = HeaderOnlyCrowd((server.host, server.port), 50)
        try:
            wait_until(lambda: server.server.busy_connections == 50)
            assert server.app._admitted == 0  # fifty requests waiting, no slot taken
            crowd.start_renewing()
            with Client(APP_KEY, SECRET_DEV_KEY, server.url, retries=2, backoff=0.0) as client:
                results = [client.recognize(PNG, "bankcard") for _ in range(10)]
            wait_until(lambda: crowd.renewed >= 50)  # every one renewed at least once
        finally:
            crowd.stop()
    assert len(results) == 10 and engine.calls == 10  # ten calls, each answered at once


def test_a_dripping_body_is_cut_by_the_minimum_rate_and_frees_its_slot():
    limits = Limits(idle_timeout=60, header_timeout=60, body_timeout=600,
                    min_body_rate=1000, body_rate_grace=0.2)
    with gated_server(workers=1, queue=0, limits=limits) as (server, engine):
        engine.gate.set()
        with socket.create_connection((server.host, server.port)) as sock:
            sock.sendall(raw_request({**signed(BANKCARD), "Content-Length": str(TEN_MIB)},
                                     PNG[:1]))  # the first byte: admitted, then nothing
            assert closed_by_server(sock, timeout=60)  # long before the 600 s body timeout
        wait_until(lambda: server.app._admitted == 0)
        assert post(server.url, signed(BANKCARD)).error == 0


def test_a_request_that_cannot_start_within_the_queue_timeout_is_answered_250():
    with gated_server(workers=1, queue=1, queue_timeout=0.2) as (server, engine):
        first: list = []
        running = threading.Thread(target=lambda: first.append(
            post(server.url, signed(BANKCARD))))
        running.start()
        assert engine.entered.wait(30)  # holds the only thread until the gate opens
        late = post(server.url, signed(BANKCARD))
        assert late.error == 250 and "waited 0.2 s" in late.envelope["text"]
        engine.gate.set()
        running.join(30)
    assert first[0].error == 0 and engine.calls == 1


# -- the connection cap counts every connection ------------------------------------------

def test_slow_header_clients_at_a_cap_of_two_never_hold_more_than_two_connections():
    """Twenty clients that send one byte of headers: the server holds two at a time, and a
    newcomer at the cap closes the one sending headers the longest, so a normal client is
    served at once, not after the (60 s) header timeouts of all of them."""
    limits = Limits(idle_timeout=60, header_timeout=60, max_connections=2,
                    slow_header_grace=0.05)
    with gated_server(limits=limits) as (server, engine):
        engine.gate.set()
        slow = [socket.create_connection((server.host, server.port)) for _ in range(20)]
        try:
            for sock in slow:
                sock.sendall(b"P")
            wait_until(lambda: server.server.busy_connections == 2)
            assert post(server.url, signed(BANKCARD)).error == 0  # behind all twenty
            assert sum(closed_by_server(sock) for sock in slow[:18]) == 18  # made room
            assert server.server.open_connections <= 2
        finally:
            for sock in slow:
                sock.close()
        assert server.server.peak_connections == 2


def test_requests_in_progress_count_against_the_cap():
    """Two requests held in recognition at a cap of two: a third client is accepted only
    once one of them ends, and is then answered."""
    limits = Limits(idle_timeout=60, max_connections=2)
    with gated_server(workers=4, limits=limits) as (server, engine):
        answers: list = []
        held = [threading.Thread(target=lambda: answers.append(
            post(server.url, signed(BANKCARD)))) for _ in range(3)]
        for thread in held:
            thread.start()
        wait_until(lambda: engine.calls == 2)  # two in recognition, the third not accepted
        assert server.server.open_connections == 2
        engine.gate.set()
        for thread in held:
            thread.join(60)
        assert [a.error for a in answers] == [0, 0, 0] and engine.calls == 3
        assert server.server.peak_connections == 2


def test_serve_takes_a_positive_queue_timeout(capsys):
    from lingyun.cli import build_parser

    args = build_parser().parse_args(["serve", "--queue-timeout", "2.5"])
    assert args.queue_timeout == 2.5
    assert build_parser().parse_args(["serve"]).queue_timeout == 60.0
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--queue-timeout", "0"])
    assert "must be more than 0" in capsys.readouterr().err
    with pytest.raises(ValueError, match="queue_timeout"):
        ServiceApp(ServiceCore(), queue_timeout=0)
