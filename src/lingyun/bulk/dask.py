"""Bulk runs on a ``dask.distributed`` cluster: the same records, from many machines.

>>> from distributed import Client as DaskClient                      # doctest: +SKIP
>>> from lingyun.bulk.dask import run_on_dask
>>> progress = run_on_dask(DaskClient("tcp://scheduler:8786"), ["/shared/scans"],
...                        "text.chinese", {"withPosition": True}, "/shared/out.jsonl",
...                        client_settings={"app_key": ..., "dev_key": ...,
...                                         "endpoint": "http://ocr:8880/ocr"})

With no ``client_settings`` (or no endpoint in them) each worker runs the embedded local
engine -- a cluster of machines with no OCR service at all::

    run_on_dask(DaskClient("tcp://scheduler:8786"), paths, "text.chinese", None, "out.jsonl")

How it works:

* The driver (this process) lists the inputs and their pages, opens the output (JSONL, or a
  Parquet dataset for a directory / ``.parquet`` path) and, with ``resume=True``, counts
  the records it already holds.  Paths must be readable by the workers under the same names
  (a shared file system, as for any Dask job on files).
* Pages go to the cluster in chunks of ``chunk_size``.  On a worker, one
  :class:`lingyun.client.Client` per worker and settings is built on first use and kept
  (:func:`worker_client`), and a :class:`~lingyun.bulk.runner.BulkRun` with ``threads``
  threads runs the chunk exactly as ``lingyun ocr`` would: fitting, resume keys, retries,
  the client's rate limit (``worker_qps``: one limiter per worker).
* Records come back to the driver, which alone writes the output -- so the output keeps
  the JSONL guarantees (whole lines, one writer) and ``resume`` works as on one machine.

What "exactly once" means here: the output holds each page once, after any crash and a
resumed run.  The pages that may reach the service twice are those of chunks that were
running when the driver stopped, or whose worker died (Dask then re-runs the chunk) --
at most ``chunk_size`` per running chunk.  Inputs with identical bytes in different chunks
are told apart only within a chunk on resume; give the cluster distinct files.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import AccountError, UsageError
from . import expand_all
from .fit import DEFAULT_LIMIT
from .pages import PageInput, PageSelection
from .progress import Progress, ProgressCallback
from .runner import BulkRun, open_sink

__all__ = ["ChunkResult", "run_chunk", "run_on_dask", "worker_client"]

_CLIENTS: dict[tuple[str, str], Any] = {}
_CLIENTS_LOCK = threading.Lock()


def worker_client(settings: Mapping[str, Any] | None, worker_qps: float | None = None) -> Any:
    """The :class:`~lingyun.client.Client` this worker keeps for ``settings`` (built once).

    ``settings`` are :class:`~lingyun.client.Client` keywords.  With no ``endpoint`` in them
    (``{}`` or ``None``) the worker runs the embedded local engine itself
    (:meth:`~lingyun.client.Client.local`: its model loads once per worker process), as
    :meth:`~lingyun.client.Client.from_env` does with nothing configured -- the workers'
    own ``LINGYUN_*`` variables are not read: the driver's settings decide.
    ``worker_qps`` gives the client its own :class:`~lingyun.bulk.ratelimit.RateLimiter`:
    a limiter holds a lock and cannot travel, so each worker builds its own.
    """
    settings = dict(settings or {})
    from ..client import Client
    from .ratelimit import RateLimiter

    try:
        from distributed import get_worker

        where = get_worker().address
    except (ImportError, ValueError):  # not on a worker: one client per process
        where = "local"
    key = (where, repr((sorted((k, repr(v)) for k, v in settings.items()), worker_qps)))
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(key)
        if client is None:
            limiter = RateLimiter(worker_qps) if worker_qps else None
            client = _CLIENTS[key] = Client.from_env({}, **settings, limiter=limiter)
        return client


@dataclass
class _Collect:
    """A sink that keeps records in memory (a chunk's records travel back to the driver)."""

    known: Counter[str]
    records: list[dict[str, Any]] = field(default_factory=list)

    def done(self) -> Counter[str]:
        return Counter(self.known)

    def write(self, record: Mapping[str, Any]) -> None:
        self.records.append(dict(record))

    def close(self) -> None:
        pass


@dataclass
class ChunkResult:
    """What a chunk sends back: its records and how many pages it skipped or did not send."""

    records: list[dict[str, Any]]
    skipped: int
    not_sent: int
    stopped_by: str | None  # the account error that stopped the chunk, if any


def run_chunk(settings: Mapping[str, Any] | None, pages: Sequence[PageInput], document_type: str,
              options: Mapping[str, Any] | None, known: Counter[str], threads: int,
              size_limit: int | None, worker_qps: float | None = None) -> ChunkResult:
    """Run one chunk of pages on this worker (the task each Dask future executes)."""
    sink = _Collect(known)
    run = BulkRun(worker_client(settings, worker_qps), document_type, options, workers=threads,
                  sink=sink, size_limit=size_limit)
    stopped = None
    for item in run.run(pages):
        if isinstance(item.error, AccountError):
            stopped = str(item.error)
    return ChunkResult(sink.records, run.progress.skipped, run.progress.not_sent, stopped)


def _chunks(pages: list[PageInput], size: int) -> Iterable[list[PageInput]]:
    for start in range(0, len(pages), size):
        yield pages[start:start + size]


def run_on_dask(
    dask_client: Any,
    paths: Sequence[str],
    document_type: str,
    options: Mapping[str, Any] | None,
    out: str,
    *,
    client_settings: Mapping[str, Any] | None = None,
    resume: bool = False,
    pages: PageSelection | None = None,
    chunk_size: int = 64,
    threads: int = 4,
    size_limit: int | None = DEFAULT_LIMIT,
    worker_qps: float | None = None,
    progress: ProgressCallback | None = None,
) -> Progress:
    """Recognize every page of ``paths`` on the cluster behind ``dask_client`` into ``out``.

    ``paths`` are files (use :func:`lingyun.bulk.list_inputs` for directories and lists).
    ``client_settings`` are the keywords of each worker's :class:`~lingyun.client.Client`;
    without an ``endpoint`` (``None``, the default, or ``{}``) every worker recognizes with
    the embedded local engine (see :func:`worker_client`).
    Returns the final :class:`~lingyun.bulk.progress.Progress`; ``progress`` is called as
    chunks finish.  ``worker_qps`` rate-limits each worker's client (the cluster's total is
    that times the number of workers).  An account error (240) cancels the chunks not yet finished.
    """
    from distributed import as_completed

    if chunk_size < 1 or threads < 1:
        raise UsageError(f"chunk_size and threads must be >= 1, got {chunk_size}, {threads}")
    inputs = expand_all(list(paths), pages)
    sink, journal = open_sink(out, resume=resume)
    if journal is not None:
        journal.close()  # calls start on the workers: the driver journals nothing
    state = Progress(total=len(inputs))
    try:
        known = dask_client.scatter(sink.done(), broadcast=True)
        futures = {
            dask_client.submit(run_chunk, dict(client_settings or {}), chunk, document_type,
                               options, known, threads, size_limit, worker_qps,
                               pure=False): len(chunk)
            for chunk in _chunks(inputs, chunk_size)
        }
        stopped = False
        for future in as_completed(list(futures)):  # type: ignore[no-untyped-call]
            if future.cancelled():
                state.not_sent += futures[future]
                continue
            chunk: ChunkResult = future.result()
            for record in chunk.records:
                sink.write(record)
                state.count(ok=record["ok"], error=(record.get("error") or {}).get("type"))
            state.skipped += chunk.skipped
            state.not_sent += chunk.not_sent
            if chunk.stopped_by and not stopped:
                stopped = True
                for other in futures:
                    if not other.done():
                        other.cancel()
            if progress is not None:
                progress(state)
    finally:
        sink.close()
    return state
