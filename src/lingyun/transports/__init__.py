"""How a signed request reaches a service: one object per way, chosen by the caller.

Like httpx's ``transport=``, the :class:`~lingyun.Client` owns the protocol (signing, retries,
deadlines, reply reading -- :mod:`lingyun.protocol`) and hands each attempt to a transport:

* :class:`lingyun.transports.requests.RequestsTransport` -- HTTP with ``requests`` (the
  default for an HTTP endpoint);
* :class:`lingyun.transports.local.LocalTransport` -- the local service in this process (no
  socket), the embedded default when no endpoint is configured;
* :class:`lingyun.transports.aiohttp.AiohttpTransport` -- asynchronous HTTP, the default of
  :class:`lingyun.AsyncClient`;
* :class:`lingyun.transports.httpx.HTTPXTransport` -- asynchronous HTTP through your own
  ``httpx.AsyncClient``.

A transport must end every ``send`` by ``deadline`` and map its failures onto
:class:`~lingyun.errors.ConnectError` (nothing was sent), :class:`~lingyun.errors.ReadError`
(sent, no whole reply) or :class:`~lingyun.errors.DeadlineExceeded`; the retry rules in
:mod:`lingyun.retry` depend on that distinction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..doctypes import DocumentType
    from ..protocol import RawReply

__all__ = ["AsyncTransport", "ThreadedTransport", "Transport"]


class Transport:
    """Base of synchronous transports: override :meth:`send`; the rest are optional."""

    #: True when the service runs in this process (the embedded default).
    in_process: bool = False
    #: The URL used when the client was given no endpoint.
    default_url: str | None = None

    def send(self, url: str, headers: Mapping[str, str], body: bytes, *,
             deadline: float | None) -> RawReply:
        """POST ``body`` with ``headers`` to ``url``; return the whole reply by ``deadline``."""
        raise NotImplementedError

    def check(self, document_type: DocumentType) -> None:
        """Raise a :class:`~lingyun.errors.UsageError` if this transport can never deliver
        ``document_type`` (the embedded engine refuses what it cannot really read)."""

    def reserve(self, concurrency: int) -> None:
        """Prepare for ``concurrency`` simultaneous calls (size a connection pool)."""

    def close(self) -> None:
        """Release connections and threads."""

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncTransport:
    """Base of asynchronous transports (for :class:`lingyun.AsyncClient`)."""

    in_process: bool = False
    default_url: str | None = None

    async def send(self, url: str, headers: Mapping[str, str], body: bytes, *,
                   deadline: float | None) -> RawReply:
        raise NotImplementedError

    def check(self, document_type: DocumentType) -> None:
        """As :meth:`Transport.check`."""

    def reserve(self, concurrency: int) -> None:
        """As :meth:`Transport.reserve`."""

    async def aclose(self) -> None:
        """Release connections."""


class ThreadedTransport(AsyncTransport):
    """Drive a blocking :class:`Transport` from asyncio, one worker thread per call.

    How :meth:`lingyun.AsyncClient.local` reaches the embedded service: recognition is
    CPU-bound work that must not run on the event loop.
    """

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.in_process = transport.in_process
        self.default_url = transport.default_url

    def __repr__(self) -> str:
        return f"ThreadedTransport({self.transport!r})"

    async def send(self, url: str, headers: Mapping[str, str], body: bytes, *,
                   deadline: float | None) -> RawReply:
        import asyncio

        return await asyncio.to_thread(self.transport.send, url, headers, body,
                                       deadline=deadline)

    def check(self, document_type: DocumentType) -> None:
        self.transport.check(document_type)

    def reserve(self, concurrency: int) -> None:
        self.transport.reserve(concurrency)

    async def aclose(self) -> None:
        self.transport.close()
