"""The bulk engine behind ``lingyun ocr`` and :meth:`lingyun.client.Client.batch`.

For every input page, on one of ``workers`` threads (:func:`lingyun.batch.run_batch`):

1. load its bytes (a file, a PDF or TIFF page, bytes, a file object) and, for a file, check
   that a PNG or JPEG is whole (:func:`~lingyun.files.check_complete`: a truncated file
   is an :class:`~lingyun.errors.ImageError`, never sent; bytes in memory are the client's
   to check),
2. :func:`~lingyun.bulk.fit.fit` them under the size limit,
3. compute the resume key (sha256 of the bytes to send, document type, options) and skip
   the page if the output already holds a record for that key,
4. note the key in the journal as *started* (a call in flight at the last stop keeps its
   row), then recognize,
5. map the result's coordinates back to the original pixels.

A record of a page that was sent carries ``timing``: ``{"started", "finished"}`` in Unix
seconds around the call (retries included), from which ``lingyun report`` computes pages/s.

The consuming thread then appends the page's record to the sink and updates the progress,
so records are written by one thread, in the order outcomes arrive.  An account error
(240) stops the run as in :func:`~lingyun.batch.run_batch`: pages never attempted get no
record, so a resumed run sends them.

The rate limit is the client's (``Client(limiter=RateLimiter(qps))``): it applies to every
attempt, retries included, before signing.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sized
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..batch import BatchItem, register_bulk_runner, run_batch
from ..errors import ImageError, LingyunError, UsageError
from ..files import (
    MAX_FILE_BYTES,
    check_complete,
    describe,
    open_regular,
    portable,
    size_text,
)
from .fit import DEFAULT_LIMIT, Fitted, fit
from .journal import Journal
from .jsonl import Sink
from .pages import PageInput
from .pdf import MAX_PIXELS
from .progress import Progress, ProgressCallback
from .record import canonical_options, make_record, record_key
from .tiff import release as release_tiffs

if TYPE_CHECKING:
    from ..client import Client

__all__ = ["BulkRun"]

_SKIPPED = object()


@dataclass(eq=False)
class _Task:
    """One page on its way through a worker; the worker fills in what it learns."""

    source: Any
    page: int | None
    label: str
    fitted: Fitted | None = None
    sha256: str | None = None
    started: float | None = None
    finished: float | None = None


def _refuse_too_many_pixels(data: bytes, label: str) -> None:
    """ImageError when the header of ``data`` declares more than :data:`MAX_PIXELS`.

    Read from the header only (Pillow opens lazily): an image over the size limit is decoded
    whole to shrink it, and a 12 MB PNG can declare 200 megapixels.
    """
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
    except Exception:  # not an image Pillow knows, or a bomb: fit() names the problem
        return
    if width * height > MAX_PIXELS:
        raise ImageError(f"{portable(label)} is {width} × {height} px ({width * height:,} "
                         f"pixels), over the {MAX_PIXELS:,}-pixel limit: not decoded to "
                         "shrink it")


class BulkRun:
    """One bulk run: a client, a document type with options, and where outcomes go.

    ``sink`` receives one record per page (:mod:`lingyun.bulk.records`); its existing
    records are skipped (resume).  ``journal`` notes started calls (so a later resume knows
    which calls were in flight).  ``progress`` is called after every page with the
    :class:`~lingyun.bulk.progress.Progress`.  ``size_limit=None`` sends images as they are.
    """

    def __init__(
        self,
        client: Client,
        document_type: str,
        options: Mapping[str, Any] | None = None,
        *,
        workers: int = 4,
        ordered: bool = False,
        sink: Sink | None = None,
        journal: Journal | None = None,
        progress: ProgressCallback | None = None,
        size_limit: int | None = DEFAULT_LIMIT,
    ) -> None:
        if workers < 1:
            raise UsageError(f"workers must be >= 1, got {workers}")
        self.client = client
        self.options = canonical_options(options)
        # Fail on a bad type or option before any image is read.
        doc = client.plugins.document_type(document_type)
        doc.build_task_config(self.options)
        self.document_type = doc.name
        self.workers = workers
        self.ordered = ordered
        self.sink = sink
        self.journal = journal
        self.callback = progress
        self.size_limit = size_limit
        self.progress = Progress()
        self._done: Counter[str] = sink.done() if sink is not None else Counter()
        self._in_flight_before: Counter[str] = Counter()
        self._lock = threading.Lock()

    # -- worker side ---------------------------------------------------------------------
    def _claim(self, key: str) -> str:
        """``"done"`` (and one record used up) when the output already holds ``key``;
        ``"carried"`` when the call was in flight at the last stop (its journal row stands
        for this call); else ``"new"``."""
        with self._lock:
            if self._done[key] > 0:
                self._done[key] -= 1
                return "done"
            if self._in_flight_before[key] > 0:
                self._in_flight_before[key] -= 1
                self.progress.resent_in_flight += 1
                return "carried"
            return "new"

    def _key(self, task: _Task) -> str:
        return record_key(task.sha256, self.document_type, self.options,
                          source=task.label, page=task.page)

    def _load(self, task: _Task) -> bytes:
        if isinstance(task.source, PageInput):
            return task.source.load()
        if isinstance(task.source, str | os.PathLike) and os.path.lexists(task.source):
            # A path on disk must be a regular file within the size limit before any reader
            # (the built-in one or a plugin's) opens it: a FIFO would block it forever.
            fd, size = open_regular(os.fspath(task.source))
            os.close(fd)
            if size > MAX_FILE_BYTES:
                raise ImageError(f"{portable(task.label)} is {size_text(size)}, over the "
                                 f"{size_text(MAX_FILE_BYTES)} an input may be: not read")
        return self.client.read_image(task.source)

    def _prepare(self, task: _Task) -> Fitted:
        """Load, check and fit ``task``'s bytes; every failure is a named LingyunError."""
        try:
            data = self._load(task)
            if isinstance(task.source, PageInput | str | os.PathLike):
                check_complete(data, task.label)  # a cut-off file is the caller's: not sent
            if not self.size_limit:
                return Fitted(data, len(data))
            if len(data) > self.size_limit:
                _refuse_too_many_pixels(data, task.label)  # fit() would decode it whole
            return fit(data, self.size_limit)
        except LingyunError:
            raise
        except Exception as exc:  # a library's own exception, MemoryError: this input's
            where = portable(task.label)
            raise ImageError(f"{where} cannot be prepared for sending: "
                             f"{describe(exc)}") from None

    def _process(self, task: _Task) -> Any:
        try:
            fitted = self._prepare(task)
        except Exception:
            if self._claim(self._key(task)) == "done":  # a recorded failure is not retried
                return _SKIPPED
            raise
        task.fitted = fitted
        task.sha256 = hashlib.sha256(fitted.data).hexdigest()
        key = self._key(task)
        claim = self._claim(key)
        if claim == "done":
            return _SKIPPED
        if claim == "new" and self.journal is not None:
            self.journal.start(key, task.label, task.page)
        task.started = time.time()
        try:
            result = self.client.recognize(fitted.data, self.document_type, self.options)
        finally:
            task.finished = time.time()
        return fitted.map_result(result)

    # -- consumer side -------------------------------------------------------------------
    def _task(self, source: Any) -> _Task:
        if isinstance(source, PageInput):
            return _Task(source, source.page, source.source)
        label = source if isinstance(source, str) else getattr(source, "name", None)
        return _Task(source, None, label if isinstance(label, str) else repr(source)[:200])

    def run(self, sources: Iterable[Any], total: int | None = None) -> Iterator[BatchItem]:
        """Process ``sources`` (PageInputs, paths, bytes, file objects), yielding outcomes.

        ``total`` is the number of pages if known (``len(sources)`` is used when it has
        one).  Skipped pages are yielded with ``skipped=True`` and no result.
        """
        if total is None and hasattr(sources, "__len__"):
            total = len(sources)  # type: ignore[arg-type]
        self.progress.total = total
        self.client.transport.reserve(self.workers)  # one pooled connection per worker
        if self.journal is not None and self.sink is not None:
            lost = self.journal.carry_over(self.sink.done())
            self._in_flight_before = Counter(entry.key for entry in lost)
        tasks = (self._task(source) for source in sources)
        try:
            for item in run_batch(self._process, tasks, workers=self.workers,
                                  ordered=self.ordered):
                yield self._outcome(item)
        finally:
            release_tiffs()  # the TIFFs kept open between pages

    def _outcome(self, item: BatchItem) -> BatchItem:
        task: _Task = item.source
        common = {"index": item.index, "source": task.source, "page": task.page}
        if not item.attempted:
            self.progress.count(not_sent=True)
            outcome = BatchItem(**common, error=item.error, attempted=False)
        elif item.result is _SKIPPED:
            self.progress.count(skipped=True)
            outcome = BatchItem(**common, skipped=True, sha256=task.sha256)
        else:
            record = None
            if self.sink is not None:
                record = make_record(task.label, task.page, task.sha256, self.document_type,
                                     self.options, result=item.result, error=item.error,
                                     fit=task.fitted.info() if task.fitted else None)
                if task.started is not None and task.finished is not None:
                    record["timing"] = {"started": round(task.started, 3),
                                        "finished": round(task.finished, 3)}
                self.sink.write(record)
            self.progress.count(ok=item.error is None, error=item.error)
            outcome = BatchItem(**common, result=item.result, error=item.error,
                                sha256=task.sha256, record=record)
        if self.callback is not None:
            self.callback(self.progress)
        return outcome


def open_sink(target: Any, *, resume: bool) -> tuple[Sink, Journal | None]:
    """A sink (and its journal) for a path: ``.jsonl`` file, or a Parquet directory.

    A path naming an existing directory, or ending in ``.parquet``, gives a
    :class:`~lingyun.bulk.records.ParquetSink`; any other path a
    :class:`~lingyun.bulk.records.JsonlSink`.
    """
    import os
    from pathlib import Path

    from .jsonl import JsonlSink
    from .parquet import ParquetSink

    if not isinstance(target, str | os.PathLike):
        raise UsageError(f"sink must be a path or a Sink, got {type(target).__name__}")
    path = Path(target)
    sink: Sink
    if path.is_dir() or path.suffix.lower() == ".parquet":
        sink = ParquetSink(path, resume=resume)
    else:
        sink = JsonlSink.open(path, resume=resume)
    return sink, Journal.beside(path)


def batch_items(client: Client, images: Iterable[Any], document_type: str,
                options: Mapping[str, Any] | None, *, workers: int, ordered: bool,
                progress: Any, sink: Any, resume: bool,
                size_limit: int | None) -> Iterator[BatchItem]:
    """:meth:`lingyun.client.Client.batch`: opens what it was given paths for, runs, closes."""
    from .progress import ProgressBar

    owned_sink = sink is not None and not hasattr(sink, "write")
    journal = None
    if owned_sink:
        sink, journal = open_sink(sink, resume=resume)
    elif sink is not None and not resume and sink.done():
        raise UsageError("the sink already holds records; pass resume=True to continue")
    bar = ProgressBar(len(images) if isinstance(images, Sized) else None) \
        if progress is True else None
    callback = bar if bar is not None else progress or None
    run = BulkRun(client, document_type, options, workers=workers, ordered=ordered,
                  sink=sink, journal=journal, progress=callback, size_limit=size_limit)

    def generate() -> Iterator[BatchItem]:
        try:
            yield from run.run(images)
        finally:
            if bar is not None:
                bar.close()
            if owned_sink:
                sink.close()
                if journal is not None:
                    journal.close()

    return generate()


register_bulk_runner(batch_items)  # Client.batch runs bulk batches without importing bulk
