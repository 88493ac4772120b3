"""High-volume batches: many images through a bounded thread pool, nothing lost.

Every image yields exactly one :class:`BatchItem`, holding either its result or the error
that ended it -- one bad image never costs the others.  Images are pulled from the input
lazily (at most ``2 * workers`` in flight or waiting to be yielded in order), so a generator
over millions of files works.
An :class:`~lingyun.errors.AccountError` (code 240: the account cannot pay) stops the batch:
calls already running finish and are yielded, and every image not yet sent is yielded with
``attempted=False`` and a :class:`BatchAborted` error, so the caller can resume from there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from .errors import AccountError, LingyunError, UsageError
from .results import Result

__all__ = ["BatchAborted", "BatchItem", "BatchRunner", "bulk_runner", "register_bulk_runner",
           "release", "run_batch"]


class BatchAborted(LingyunError):
    """An image was not sent because the batch stopped earlier (see ``cause``)."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(f"not sent: the batch stopped after {cause.__class__.__name__}: {cause}")
        self.cause = cause


@dataclass(frozen=True)
class BatchItem:
    """The outcome for one image: ``result`` on success, else ``error``.

    A bulk run (:mod:`lingyun.bulk`) also fills in ``page`` (for a PDF or TIFF page),
    ``sha256`` of the bytes sent, the ``record`` written to its sink, and ``skipped=True``
    (with no result) for a page whose record the output already held.
    """

    index: int
    source: Any
    result: Result | None = None
    error: BaseException | None = None
    attempted: bool = True
    page: int | None = None
    sha256: str | None = None
    record: dict[str, Any] | None = None
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None

    def __repr__(self) -> str:
        outcome = "skipped" if self.skipped else "ok" if self.ok else \
            f"{self.error.__class__.__name__}"
        page = "" if self.page is None else f", page={self.page}"
        return f"BatchItem(index={self.index}, source={_short(self.source)}{page}, {outcome})"


#: How :meth:`lingyun.Client.batch` hands a batch to the bulk runner:
#: ``runner(client, images, document_type, options, *, workers, ordered, progress, sink,
#: resume, size_limit)``.
BatchRunner = Callable[..., Iterator[BatchItem]]

_bulk_runner: list[BatchRunner] = []


def register_bulk_runner(runner: BatchRunner) -> None:
    """Let :meth:`lingyun.Client.batch` run batches with ``runner`` -- what
    :mod:`lingyun.bulk` does when it is imported (sinks, resume, progress, PDF pages).

    The client's layer sits below ``lingyun.bulk`` and never imports it; the layer above
    plugs itself in instead, so the import graph points one way.
    """
    _bulk_runner[:] = [runner]


def bulk_runner() -> BatchRunner | None:
    """The runner registered by :func:`register_bulk_runner`, if any."""
    return _bulk_runner[0] if _bulk_runner else None


def _short(source: Any) -> str:
    if isinstance(source, bytes | bytearray | memoryview):
        return f"<{len(source)} bytes>"
    text = repr(source)
    return text if len(text) <= 60 else text[:57] + "..."


def release(finished: dict[int, BatchItem], next_to_yield: int,
            ordered: bool) -> tuple[list[BatchItem], int]:
    """The outcomes ready to be yielded, taken out of ``finished``, and the next index due.

    In input order (``ordered=True``: only the run starting at ``next_to_yield``), or every
    finished one.  The step the blocking and the asyncio batches share.
    """
    if not ordered:
        return [finished.pop(index) for index in sorted(finished)], next_to_yield
    ready = []
    while next_to_yield in finished:
        ready.append(finished.pop(next_to_yield))
        next_to_yield += 1
    return ready, next_to_yield


def run_batch(
    call: Callable[[Any], Any],
    sources: Iterable[Any],
    *,
    workers: int = 4,
    ordered: bool = False,
) -> Iterator[BatchItem]:
    """Run ``call(source)`` for every source on ``workers`` threads, yielding outcomes.

    Outcomes come as they finish, or in input order with ``ordered=True``.  Errors that are
    not :class:`~lingyun.errors.LingyunError` (a bug in a plugin, say) are captured too.
    Closing the iterator early cancels calls not yet started.
    """
    if workers < 1:
        raise UsageError(f"workers must be >= 1, got {workers}")
    pending_sources = enumerate(sources)
    in_flight: dict[Future[Any], tuple[int, Any]] = {}
    finished: dict[int, BatchItem] = {}
    next_to_yield = 0
    stop: BaseException | None = None

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lingyun-batch") as pool:
        try:

            def refill() -> None:
                # Finished outcomes waiting for an earlier one (ordered=True) count too:
                # one slow image must not let calls pile up behind it without bound.
                while stop is None and len(in_flight) + len(finished) < 2 * workers:
                    nxt = next(pending_sources, None)
                    if nxt is None:
                        return
                    in_flight[pool.submit(call, nxt[1])] = nxt

            refill()
            while in_flight:
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    index, source = in_flight.pop(future)
                    error = future.exception()
                    item = BatchItem(index, source, None if error else future.result(), error)
                    if isinstance(error, AccountError) and stop is None:
                        stop = error
                    finished[index] = item
                refill()
                ready, next_to_yield = release(finished, next_to_yield, ordered)
                yield from ready
                refill()  # the yielded outcomes made room
            for index in sorted(finished):
                yield finished.pop(index)
            if stop is not None:
                for index, source in pending_sources:
                    yield BatchItem(index, source, error=BatchAborted(stop), attempted=False)
        finally:
            for future in in_flight:
                future.cancel()
