"""pytest fixtures for testing *your* code against lingyun -- a real local service, moto-style.

Installed with the package (entry point ``pytest11``: ``lingyun = "lingyun.pytest_plugin"``);
nothing to configure.  The fixtures:

``lingyun_server`` (session)
    One local service over real HTTP on a free loopback port, started on first use:
    rapidocr for text (when ``lingyun[local]`` is installed), recorded vendor answers for
    every other document type -- each such answer marked ``result.replayed``.
``lingyun_service`` (function)
    The same server, with its script reset before and after the test.  Program it:
    ``queue_reply(document_type, data=... | envelope=...)``, ``fail_next(code, times=1)``,
    ``latency = seconds``; read back ``requests`` (what it received, oldest first).
``lingyun_client``
    A :class:`lingyun.client.Client` bound to the service with its account (no backoff).
``lingyun_async_client``
    An :class:`lingyun.AsyncClient` bound the same way; open it with ``async with`` inside
    your async test (anyio's or pytest-asyncio's), so its connections live in your loop.

Example::

    def test_retry_then_success(lingyun_service, lingyun_client):
        lingyun_service.fail_next(250, times=1)
        lingyun_service.queue_reply("bankcard", data={"forms": {"form": {...}}})
        result = lingyun_client.recognize(png_bytes, "bankcard")
        assert len(lingyun_service.requests) == 2

For a service with other engines, use :func:`running_service` as a context manager in a
fixture of your own.

Imports are inside the fixtures, so a test run that uses none of them pays nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from lingyun.async_client import AsyncClient
    from lingyun.client import Client
    from lingyun.service.control import Control, RecordedRequest
    from lingyun.service.server import LocalServer

__all__ = ["LingyunService", "lingyun_async_client", "lingyun_client", "lingyun_server",
           "lingyun_service", "running_service"]


class LingyunService:
    """A handle on the running test service: its address, account and script."""

    def __init__(self, server: LocalServer, control: Control, app_key: str,
                 dev_key: str) -> None:
        self.server = server
        self.control = control
        self.app_key = app_key
        self.dev_key = dev_key

    def __repr__(self) -> str:
        return f"LingyunService(url={self.url!r}, app_key={self.app_key!r})"

    @property
    def url(self) -> str:
        """The recognition endpoint, ``http://127.0.0.1:<port>/ocr``."""
        return self.server.url

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def queue_reply(self, document_type: str, data: Any = None, *,
                    envelope: dict[str, Any] | None = None,
                    positions: bytes | None = None) -> None:
        """The next request for ``document_type`` is answered with ``data`` (error 0) or
        with the whole ``envelope`` as given.  Replies queue up in order."""
        self.control.queue_reply(document_type, data, envelope=envelope, positions=positions)

    def fail_next(self, code: int, times: int = 1, text: str | None = None) -> None:
        """The next ``times`` well-formed requests get error ``code`` (e.g. 250, 240, -1)."""
        self.control.fail_next(code, times, text)

    @property
    def latency(self) -> float:
        return self.control.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        """Delay every answer by ``seconds`` (to test timeouts)."""
        self.control.latency = seconds

    @property
    def requests(self) -> list[RecordedRequest]:
        """What the service received since the test began (session key left out)."""
        return self.control.requests

    def reset(self) -> None:
        self.control.reset()


@contextmanager
def running_service(engines: list[Any], **server_options: Any) -> Iterator[LingyunService]:
    """A local service with ``engines`` on a free loopback port, its development account and
    a :class:`~lingyun.service.control.Control` script; stopped on exit.

    What :func:`lingyun_server` uses; call it yourself for a service with other engines
    (``running_service([ReplayEngine()])`` answers every type from recordings, marked).
    """
    from lingyun.service.accounts import DEFAULT_APP_KEY, DEFAULT_DEV_KEY, Accounts
    from lingyun.service.control import Control
    from lingyun.service.core import ServiceCore
    from lingyun.service.server import LocalServer

    control = Control()
    core = ServiceCore(accounts=Accounts(), control=control, engines=engines)
    server = LocalServer(core, **server_options).start()
    try:
        yield LingyunService(server, control, DEFAULT_APP_KEY, DEFAULT_DEV_KEY)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def lingyun_server() -> Iterator[LingyunService]:
    """A local Lingyun service on a free loopback port for the whole test session."""
    from lingyun.service.engines import make_engines

    # Replay is chosen explicitly here: tests want an answer for every document type.
    # Each replayed answer is marked (result.replayed) so no test mistakes it for OCR.
    # Text is read for real; templates get the recorded answer before the local recognizers,
    # so tests of your code can send any image and still get a (marked) answer.
    local = make_engines()
    # A generous queue: a test double that answered "busy" to a burst of test requests
    # would surprise more than it teaches (busy answers have their own tests).
    with running_service(local[:1] + make_engines(["replay"]) + local[1:],
                         queue=64) as service:
        yield service


@pytest.fixture
def lingyun_service(lingyun_server: LingyunService) -> Iterator[LingyunService]:
    """The session's service with a clean script for this test."""
    lingyun_server.reset()
    yield lingyun_server
    lingyun_server.reset()


@pytest.fixture
def lingyun_client(lingyun_service: LingyunService) -> Iterator[Client]:
    """A client bound to :func:`lingyun_service` with its account (retries without delay)."""
    from lingyun.client import Client

    client = Client(lingyun_service.app_key, lingyun_service.dev_key, lingyun_service.url,
                    backoff=0.0)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def lingyun_async_client(lingyun_service: LingyunService) -> AsyncClient:
    """An :class:`~lingyun.AsyncClient` for :func:`lingyun_service` (retries without delay).

    Use it as ``async with lingyun_async_client as client:`` in the test itself.
    """
    from lingyun.async_client import AsyncClient

    return AsyncClient(lingyun_service.app_key, lingyun_service.dev_key, lingyun_service.url,
                       backoff=0.0)
