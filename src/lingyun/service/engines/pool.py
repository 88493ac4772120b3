"""Recognize on every core: one engine per worker process, each with a few threads.

One rapidocr instance is not thread-safe (calls are serialised on it) and onnxruntime's own
threads do not scale its Python pre- and post-processing, so a single engine leaves cores
idle.  :class:`EnginePool` runs ``processes`` copies of a registered engine, each in its own
process with its own model and ``threads`` onnxruntime threads, and hands each job to a free
one.  The split is configurable (``lingyun serve --processes/--threads``,
``LINGYUN_ENGINE_PROCESSES``/``LINGYUN_ENGINE_THREADS``); :func:`default_split` is the
default, chosen from ``benchmarks/engines.py`` measurements (see ``docs/service.md``).

Workers are started with ``spawn`` (never ``fork``: the parent runs server and pool
threads), load their model before taking work, and are replaced if one dies; a job whose
worker died is answered as a server exception, not retried here.  Workers die with their
parent, even after a ``kill -9`` (:mod:`.lifeline`): all of them are started at once from a
keeper thread that lives as long as the pool, because Linux's parent-death signal follows
the *thread* that started a process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ...digits import BadNumber, parse_uint
from ...errors import ConfigurationError
from ..validation import Capability, Refusal
from .base import Answer, BadImage, Engine, Job

__all__ = ["EnginePool", "default_split", "split_from_env"]

_worker_engines: list[Engine] = []


def default_split(cores: int | None = None) -> tuple[int, int]:
    """``(processes, threads)`` for this machine: one single-threaded engine per core.

    Measured with ``python benchmarks/engines.py``: per-core processes beat one engine with
    many threads, because the Python parts of recognition (decoding, box geometry, reading
    order) run in parallel too (A4 at 300 dpi on 2 cores: 2 x 1 gave 0.09 pages/s, 1 x 2
    0.06, ``benchmarks/engine_speed.py``).  Capped at 8 processes: each holds its own models
    (about 225 MiB at rest, some 700 MiB while it reads a dense page).
    """
    cores = cores or os.cpu_count() or 1
    return min(cores, 8), 1


def _env_count(name: str) -> int | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = parse_uint(raw, name, max_digits=3)
    except BadNumber as exc:
        raise ConfigurationError(str(exc)) from None
    if value < 1:
        raise ConfigurationError(f"{name} must be at least 1")
    return value


def split_from_env() -> tuple[int, int]:
    """The split set by ``LINGYUN_ENGINE_PROCESSES``/``_THREADS``, else :func:`default_split`."""
    processes, threads = default_split()
    return (_env_count("LINGYUN_ENGINE_PROCESSES") or processes,
            _env_count("LINGYUN_ENGINE_THREADS") or threads)


def _nothing() -> None:
    """What retiring a keeper does before any executor exists."""


def _start_worker(engine_names: tuple[str, ...], threads: int, parent_pid: int) -> None:
    """Runs once in each worker process: tie its life to the parent's, build the engines
    (sharing one OCR model) and load the model."""
    global _worker_engines
    from .lifeline import die_with_parent

    die_with_parent(parent_pid)
    os.environ["LINGYUN_ENGINE_THREADS"] = str(threads)
    from .registry import build

    _worker_engines = build(list(engine_names))
    for engine in _worker_engines:
        warm_up = getattr(engine, "warm_up", None)
        if warm_up is not None:
            warm_up()


def _recognize_in_worker(job: Job) -> tuple[str, Any]:
    """Run one job; exceptions the core answers specially travel back as tagged values."""
    engine = next(e for e in _worker_engines if e.serves(job.capability))
    try:
        return "answer", engine.recognize(job)
    except Refusal as refusal:
        return "refusal", (refusal.code, refusal.text)
    except BadImage as exc:
        return "bad image", str(exc)


class EnginePool:
    """Registered engines, run together in ``processes`` worker processes of ``threads``
    threads each.

    ``engine`` is one engine name or several (``("rapidocr", "local-templates")``): every
    worker builds all of them, so engines that share a model (the template recognizers read
    lines with rapidocr) load it once per process.  A job goes to the first that serves it.
    """

    def __init__(self, engine: str | Sequence[str] = "rapidocr", *,
                 processes: int | None = None, threads: int | None = None) -> None:
        from .registry import create, engine_factories

        names = (engine,) if isinstance(engine, str) else tuple(engine)
        factories = engine_factories()
        unknown = [name for name in names if name not in factories]
        if not names or unknown:
            raise ConfigurationError(f"unknown engine {', '.join(unknown) or '(none)'}; "
                                     f"registered engines: {', '.join(factories)}")
        env_processes, env_threads = split_from_env()
        self.processes = processes or env_processes
        self.threads = threads or env_threads
        if self.processes < 1 or self.threads < 1:
            raise ConfigurationError("an engine pool needs at least 1 process and 1 thread")
        self.engine_names = names
        self.name = "+".join(names)  # reports as the engines it runs
        # Answer serves() here; their models never load in this process.
        self._probes = [create(name, factories[name]) for name in names]
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._retire: Callable[[], None] = _nothing

    def __repr__(self) -> str:
        return (f"EnginePool({self.name!r}, processes={self.processes}, "
                f"threads={self.threads})")

    def serves(self, capability: Capability) -> bool:
        return any(probe.serves(capability) for probe in self._probes)

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = self._launch()
            return self._executor

    def _launch(self) -> ProcessPoolExecutor:
        """A new executor with all its workers started, by a keeper thread that stays until
        the executor is closed or replaced.

        A ``spawn`` executor starts a worker per submitted job while none is idle, in the
        submitting thread; a request thread may end at any time, and with it (on Linux) the
        parent-death signal would kill a healthy worker.  So the keeper submits one no-op per
        worker at once (a worker becomes idle only after loading its model, long after), and
        all ``processes`` workers are its children; no more are ever started by this executor.
        """
        launched: list[ProcessPoolExecutor | BaseException] = []
        ready = threading.Event()
        retired = threading.Event()

        def keep() -> None:
            try:
                executor = ProcessPoolExecutor(
                    self.processes, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker,
                    initargs=(self.engine_names, self.threads, os.getpid()))
                for _ in range(self.processes):
                    executor.submit(os.getpid)
                launched.append(executor)
            except BaseException as exc:  # handed to the caller below
                launched.append(exc)
            finally:
                ready.set()
            retired.wait()  # the workers' parent thread: alive as long as they are wanted

        threading.Thread(target=keep, name=f"lingyun-{self.name}-keeper", daemon=True).start()
        ready.wait()
        result = launched[0]
        if isinstance(result, BaseException):
            retired.set()
            raise result
        self._retire = retired.set
        return result

    def start(self) -> EnginePool:
        """Start every worker and wait until each has loaded its model."""
        pool = self._pool()
        for future in [pool.submit(os.getpid) for _ in range(self.processes)]:
            future.result()
        return self

    def recognize(self, job: Job) -> Answer:
        pool = self._pool()
        try:
            kind, value = pool.submit(_recognize_in_worker, job).result()
        except BrokenProcessPool:
            with self._lock:  # replace the broken pool (once) for the next job
                if self._executor is pool:
                    self._executor = None
                    self._retire()
            raise RuntimeError(f"a {self.name} worker process died during recognition; the "
                               "pool was restarted") from None
        if kind == "refusal":
            raise Refusal(*value)
        if kind == "bad image":
            raise BadImage(value)
        answer: Answer = value
        return answer

    def close(self) -> None:
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)
                self._executor = None
                self._retire()
