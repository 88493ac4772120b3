"""The asyncio client: the same protocol, rules and guarantees as :class:`lingyun.Client`.

>>> async with AsyncClient.from_env() as client:                 # doctest: +SKIP
...     text = await client.recognize("page.png", withPosition=True)
...     async for item in client.batch(paths, workers=64):
...         ...

Everything but the sending is shared with the blocking client (:class:`BaseClient`): option
and image checks before anything is sent, signing per attempt, the retry rules of
:mod:`lingyun.retry` (connect failures and transient codes retried, never a request the
service may have processed unless ``retry_read_errors=True``), the total deadline per call,
the rate limiter, reply reading and parsing.  HTTP goes through aiohttp (``pip install
'lingyun[async]'``; an ``httpx.AsyncClient`` given as ``session`` goes through httpx);
:meth:`AsyncClient.local` drives the embedded service on worker threads.
"""

from __future__ import annotations

import asyncio
import inspect
import warnings
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Mapping
from typing import TYPE_CHECKING, Any, overload

from .batch import BatchAborted, BatchItem, release
from .client import DEFAULT_DOCUMENT_TYPE, BaseClient
from .errors import AccountError, ServiceError, TransportError, UsageError
from .fit import DEFAULT_LIMIT, DEFAULT_PIXEL_LIMIT, needs_fitting
from .protocol import Reply, Request, read_reply
from .transports import AsyncTransport, ThreadedTransport, Transport
from .transports._body import call_cap

if TYPE_CHECKING:
    from .results import BankCardResult, BizCardResult, Result, TemplateResult, TextResult
    from .types import BankCardName, BizCardName, DocumentName, ResultT, TemplateName, TextName

__all__ = ["AsyncClient"]


class AsyncClient(BaseClient):
    """An asyncio client; construct it like :class:`lingyun.Client` (see
    :class:`~lingyun.client.BaseClient` for every setting).

    ``session`` may be your own :class:`aiohttp.ClientSession` or ``httpx.AsyncClient``.
    ``sleep`` (for backoff) may be a coroutine function; the default is
    :func:`asyncio.sleep`.  A limiter with an ``aacquire``
    coroutine is awaited; one with only a blocking ``acquire`` waits on a worker thread.
    """

    #: Backoff waits on the event loop (the constructor is :class:`BaseClient`'s, so a
    #: misspelt keyword is a TypeError and a type error).
    default_sleep = staticmethod(asyncio.sleep)

    @staticmethod
    def _http_transport(session: Any, **settings: Any) -> AsyncTransport:
        """aiohttp (:mod:`lingyun.transports.aiohttp`); an ``httpx.AsyncClient`` given as
        ``session`` is driven by :mod:`lingyun.transports.httpx` instead."""
        if type(session).__module__.split(".")[0] == "httpx":
            from .transports.httpx import HTTPXTransport

            return HTTPXTransport(session, **settings)
        try:
            from .transports.aiohttp import AiohttpTransport
        except ImportError as exc:
            raise UsageError(f"AsyncClient needs aiohttp: pip install 'lingyun[async]' ({exc})"
                             ) from None
        return AiohttpTransport(session, **settings)

    @staticmethod
    def _local_transport(local: Transport) -> AsyncTransport:
        return ThreadedTransport(local)

    async def _wait(self, seconds: float) -> None:
        outcome = self._sleep(seconds)
        if inspect.isawaitable(outcome):
            await outcome

    async def _acquire(self, deadline: float | None) -> None:
        if self.limiter is None:
            return
        aacquire = getattr(self.limiter, "aacquire", None)
        if aacquire is not None:
            await aacquire(deadline)
        else:
            await asyncio.to_thread(self.limiter.acquire, deadline)

    async def send(self, request: Request, *, deadline: float | None = None) -> Reply:
        """Send ``request`` (re-signed per attempt) under the retry rules and the deadline."""
        attempts = self._attempts(deadline)
        cap = call_cap.set(self.reply_cap(request))
        try:
            while True:
                try:
                    attempts.check_time("before the request could be sent")
                    await self._acquire(attempts.deadline)
                    raw = await self.transport.send(self.endpoint, self.signed_headers(request),
                                                    request.body, deadline=attempts.deadline)
                    reply = read_reply(raw)
                except (TransportError, ServiceError) as exc:
                    await self._wait(self._failed(attempts, request, exc))
                    continue
                return self._succeeded(reply)
        finally:
            call_cap.reset(cap)

    @overload
    async def recognize(self, image: Any, document_type: DocumentName[ResultT],
                  options: Mapping[str, Any] | None = None, **more_options: Any) -> ResultT: ...
    @overload
    async def recognize(self, image: Any, document_type: TemplateName,
                  options: Mapping[str, Any] | None = None,
                  **more_options: Any) -> TemplateResult: ...
    @overload
    async def recognize(self, image: Any, document_type: TextName = ...,
                  options: Mapping[str, Any] | None = None, **more_options: Any) -> TextResult: ...
    @overload
    async def recognize(self, image: Any, document_type: BankCardName,
                  options: Mapping[str, Any] | None = None,
                  **more_options: Any) -> BankCardResult: ...
    @overload
    async def recognize(self, image: Any, document_type: BizCardName,
                  options: Mapping[str, Any] | None = None,
                  **more_options: Any) -> BizCardResult: ...
    @overload
    async def recognize(self, image: Any, document_type: str = ...,
                  options: Mapping[str, Any] | None = None, **more_options: Any) -> Result: ...
    async def recognize(
        self,
        image: Any,
        document_type: str = DEFAULT_DOCUMENT_TYPE,
        options: Mapping[str, Any] | None = None,
        **more_options: Any,
    ) -> Result:
        """Recognize one image as ``document_type`` (see :meth:`lingyun.Client.recognize`).

        Reading a file and checking it run on a worker thread, off the event loop; bytes in
        memory are checked in place (a header check: no I/O to wait for).  An image over the
        service's limits is shrunk on a worker thread too, and its coordinates mapped back.
        """
        merged = {**(options or {}), **more_options}
        if isinstance(image, bytes | bytearray | memoryview):
            request = self.prepare(image, document_type, merged)
        else:
            request = await asyncio.to_thread(self.prepare, image, document_type, merged)
        fitted = None
        if self.fit and needs_fitting(request.body, DEFAULT_LIMIT, DEFAULT_PIXEL_LIMIT):
            fitted = await asyncio.to_thread(self.fit_request, request)  # decoding: CPU
        return self._mapped(self.parse(await self.send(request), request.document_type),
                            fitted)

    async def batch(
        self,
        images: Iterable[Any] | AsyncIterable[Any],
        document_type: str = DEFAULT_DOCUMENT_TYPE,
        options: Mapping[str, Any] | None = None,
        *,
        workers: int = 16,
        ordered: bool = False,
        concurrency: int | None = None,
    ) -> AsyncIterator[BatchItem]:
        """Recognize many images, at most ``workers`` calls at a time; one item per image.

        The same contract as :func:`lingyun.batch.run_batch`: every image yields exactly one
        :class:`~lingyun.BatchItem` (result or error); an :class:`~lingyun.AccountError`
        stops the batch -- calls in flight finish and are yielded, images not yet sent are
        yielded with a :class:`~lingyun.BatchAborted` error and ``attempted=False``.  Images
        are pulled lazily (sync or async iterables); with ``ordered=True`` at most
        ``2 * workers`` outcomes wait for an earlier one.  Closing the iterator early
        cancels the calls in flight.  Images are fitted as :meth:`recognize` fits them (the
        client's ``fit``).

        ``workers`` is spelt as in :meth:`lingyun.Client.batch` (``concurrency=``, the 0.x
        name, still works and warns).  What :meth:`lingyun.Client.batch` adds through
        :mod:`lingyun.bulk` -- ``sink``, ``resume``, ``progress``, PDF/TIFF pages -- is not
        here: the bulk runner (records, journal, resume) is written for threads and files, and
        an event loop should not block on either; for a bulk run use the sync client (it
        scales by workers, processes or Dask), or write each item's result yourself.
        """
        if concurrency is not None:
            warnings.warn("AsyncClient.batch(concurrency=...) is deprecated: use workers=",
                          DeprecationWarning, stacklevel=2)
            workers = concurrency
        if workers < 1:
            raise UsageError(f"workers must be >= 1, got {workers}")
        concurrency = workers
        self.transport.reserve(concurrency)
        sources = _aiter(images)
        in_flight: dict[asyncio.Task[Any], tuple[int, Any]] = {}
        finished: dict[int, BatchItem] = {}
        next_index = 0
        next_to_yield = 0
        stop: BaseException | None = None
        exhausted = False

        async def fill() -> None:
            nonlocal next_index, exhausted
            while (stop is None and not exhausted and len(in_flight) < concurrency
                   and len(in_flight) + len(finished) < 2 * concurrency):
                try:
                    source = await anext(sources)
                except StopAsyncIteration:
                    exhausted = True
                    return
                task = asyncio.ensure_future(self.recognize(source, document_type, options))
                in_flight[task] = (next_index, source)
                next_index += 1

        try:
            await fill()
            while in_flight:
                done, _ = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    index, source = in_flight.pop(task)
                    error = task.exception()
                    finished[index] = BatchItem(index, source,
                                                None if error else task.result(), error)
                    if isinstance(error, AccountError) and stop is None:
                        stop = error
                ready, next_to_yield = release(finished, next_to_yield, ordered)
                for item in ready:
                    yield item
                await fill()
            for index in sorted(finished):
                yield finished.pop(index)
            if stop is not None:
                async for source in sources:
                    yield BatchItem(next_index, source, error=BatchAborted(stop),
                                    attempted=False)
                    next_index += 1
        finally:
            for task in in_flight:
                task.cancel()

    async def aclose(self) -> None:
        await self.transport.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


async def _aiter(images: Iterable[Any] | AsyncIterable[Any]) -> AsyncIterator[Any]:
    if isinstance(images, AsyncIterable):
        async for image in images:
            yield image
    else:
        for image in images:
            yield image
