"""The local service as a client transport: recognition in this process, no socket.

``Client(app_key, dev_key, transport=LocalTransport())`` -- or :meth:`lingyun.Client.local`,
or :meth:`lingyun.Client.from_env` with no endpoint configured -- sends every attempt through
the same :class:`~lingyun.service.core.ServiceCore` that ``lingyun serve`` runs: the bytes
are those the HTTP server would send, so signing, retries and reply parsing above the
transport run exactly as against the real service.

Honesty first: the transport serves a document type only when an engine here really
recognizes it (:meth:`LocalTransport.check`, called by the client before the image is even
read).  By default that is text (the ``rapidocr`` engine of the ``local`` extra); canned
answers (``replay``) only when chosen with ``engines=["replay"]``, and then every answer is
marked (``result.replayed``).

Recognition runs on a bounded thread pool, so a call still ends by its deadline (the
engine finishes its work in the background; its result is dropped).

The transport lives with the other transports (the client's layer); the service it drives
sits above that layer and is imported only when a transport first needs its core, so
``import lingyun.transports.local`` -- and a client that never uses it -- loads none of it.
``lingyun.service.transport`` remains as the old import path.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..errors import ConfigurationError, DeadlineExceeded
from ..protocol import RawReply, lower_headers
from . import Transport

if TYPE_CHECKING:
    from ..doctypes import DocumentType
    from ..service.core import ServiceCore

__all__ = ["LOCAL_URL", "LocalTransport", "development_keys"]

#: The URL a client shows for the embedded service (only its path reaches the core).
LOCAL_URL = "local://embedded/ocr"

_default_cores: dict[tuple[Any, ...], ServiceCore] = {}
_default_lock = threading.Lock()


def _shared_core(engines: Sequence[str] | None, processes: int | None) -> ServiceCore:
    """One core per engine selection per process: each OCR model loads once."""
    key = (None if engines is None else tuple(engines), processes)
    with _default_lock:
        core = _default_cores.get(key)
        if core is None:
            from ..service.accounts import Accounts
            from ..service.core import ServiceCore
            from ..service.engines import make_engines

            core = ServiceCore(accounts=Accounts(), engines=make_engines(
                None if engines is None else list(engines), processes=processes))
            _default_cores[key] = core
        return core


def development_keys() -> tuple[str, str]:
    """The app and developer keys of the local service's development account."""
    from ..service.accounts import DEFAULT_APP_KEY, DEFAULT_DEV_KEY

    return DEFAULT_APP_KEY, DEFAULT_DEV_KEY


class LocalTransport(Transport):
    """Deliver requests to a :class:`ServiceCore` in this process.

    ``core`` defaults to a process-wide core with the development account and the default
    engines (``engines`` names others, e.g. ``["replay"]`` for canned answers in a demo).
    ``processes`` > 1 runs the OCR engine in that many worker processes (an
    :class:`~lingyun.service.engines.pool.EnginePool`, for bulk runs: every core recognizes);
    ``workers`` bounds the calls in flight (default: enough to keep every process busy).
    """

    in_process = True
    default_url = LOCAL_URL

    def __init__(self, core: ServiceCore | None = None, *,
                 engines: Sequence[str] | None = None, processes: int | None = None,
                 workers: int | None = None) -> None:
        if core is not None and (engines is not None or processes is not None):
            raise ConfigurationError("give LocalTransport a core, or engine names and "
                                     "processes, not both")
        self._core = core
        self._engines = None if engines is None else list(engines)
        self._processes = processes
        workers = workers or max(2, 2 * (processes or 1))
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="lingyun-local")

    @property
    def core(self) -> ServiceCore:
        if self._core is None:
            self._core = _shared_core(self._engines, self._processes)
        return self._core

    def __repr__(self) -> str:
        names = ", ".join(e.name for e in self.core.engines) if self._core else "default"
        return f"LocalTransport(engines: {names})"

    def check(self, document_type: DocumentType) -> None:
        if self.core.engine_for(document_type) is not None:
            return
        engines = ", ".join(e.name for e in self.core.engines) or "none"
        raise ConfigurationError(
            f"{document_type.name} ({document_type.title}) cannot be read by the local engine "
            f"(engines here: {engines}; it really recognizes only what they serve, and "
            "does not invent results). To read this document type, configure a Lingyun "
            "endpoint: set LINGYUN_ENDPOINT, LINGYUN_APP_KEY and LINGYUN_DEV_KEY (or pass "
            "--endpoint/--app-key and LINGYUN_DEV_KEY to the CLI)")

    def send(self, url: str, headers: Mapping[str, str], body: bytes, *,
             deadline: float | None) -> RawReply:
        path = urlsplit(url).path or "/ocr"
        future: Future[Any] = self._pool.submit(self.core.handle, "POST", path,
                                           list(headers.items()), body)
        timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            answer = future.result(timeout=timeout)
        except FutureTimeout:
            future.cancel()
            raise DeadlineExceeded(
                f"the local engine did not answer within the call's deadline "
                f"({len(body)}-byte image)") from None
        return RawReply(answer.status, lower_headers(answer.headers), answer.body)

    def reserve(self, concurrency: int) -> None:
        """Recognition concurrency is the core's business; nothing to grow here."""

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
