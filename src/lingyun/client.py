"""The client: build a call for a document type, sign it, send it, parse the reply.

>>> client = Client.from_env()                       # doctest: +SKIP
>>> card = client.recognize("id.jpg", "idcard.front")  # doctest: +SKIP
>>> card["name"].value, card["id_number"].value      # doctest: +SKIP

Everything document-specific comes from plugins, everything about the wire from
:mod:`lingyun.protocol` (pure functions), and the delivery from a transport
(:mod:`lingyun.transports`): HTTP with ``requests`` by default, the local service embedded
in the process with :meth:`Client.local`.  This module decides only *when*: attempts, retries, the
deadline and the rate limit (:mod:`lingyun.retry`).
"""

from __future__ import annotations

import datetime as _dt
import importlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Self, overload

from . import signing
from .batch import BatchItem, bulk_runner, run_batch
from .errors import (
    ConfigurationError,
    ImageError,
    LingyunError,
    ServiceError,
    TransportError,
    UsageError,
)
from .fit import DEFAULT_LIMIT, DEFAULT_PIXEL_LIMIT, Fitted, needs_fitting
from .fit import fit as fit_image
from .images import inspect_header
from .plugins import LingyunPluginManager, get_plugin_manager
from .protocol import (
    RESERVED_HEADERS,
    Credentials,
    Reply,
    Request,
    Secret,
    ascii_header,
    read_reply,
    signed_headers,
)
from .retry import Attempts, Limiter, RetryPolicy, is_busy
from .transports import Transport
from .transports._body import DEFAULT_REPLY_BUDGET, call_cap, reply_cap

if TYPE_CHECKING:
    import requests

    from .results import BankCardResult, BizCardResult, Result, TemplateResult, TextResult
    from .service.core import ServiceCore
    from .types import BankCardName, BizCardName, DocumentName, ResultT, TemplateName, TextName

__all__ = ["DEFAULT_DOCUMENT_TYPE", "DEFAULT_TIMEOUT", "BaseClient", "Client", "Secret"]

log = logging.getLogger("lingyun")

DEFAULT_DOCUMENT_TYPE = "text.chinese"
#: Seconds one call may take in all: every attempt, backoff and rate-limit wait included.
DEFAULT_TIMEOUT = 120.0


def _deadline_settings(timeout: float | tuple[float, float] | None,
                       connect_timeout: float) -> tuple[float | None, float]:
    if isinstance(timeout, tuple):  # (connect, total), as requests users write it
        if len(timeout) != 2:
            raise ConfigurationError(f"timeout must be seconds or (connect, total), got {timeout}")
        connect_timeout, timeout = timeout
    if timeout is not None and not timeout > 0:
        raise ConfigurationError(f"timeout must be > 0 seconds (or None), got {timeout!r}")
    if not connect_timeout > 0:
        raise ConfigurationError(f"connect_timeout must be > 0 seconds, got {connect_timeout!r}")
    return timeout, connect_timeout


class BaseClient:
    """What :class:`Client` and :class:`lingyun.AsyncClient` share: configuration, the checks
    before sending, signing and parsing.  Only *sending* differs (blocking or awaited).

    A signed client for one Lingyun service.

    ``endpoint`` is the full URL of the recognition path (``http://host:8880/ocr`` per the
    vendor document, ``.../ocr/auto_recognise`` on the hosted service); or pass a
    ``transport`` instead (:meth:`local` builds one for the embedded service).

    ``timeout`` is the **total** time one call may take -- every attempt, backoff and
    rate-limit wait included -- and holds against servers that drip bytes (a pair
    ``(connect, total)`` is accepted too).  Retries follow :class:`lingyun.retry.RetryPolicy`:
    failed connections and transient service codes (-1, 250) are retried ``retries`` times;
    a read timeout or a reply broken mid-read is not (the service may have billed the call)
    unless ``retry_read_errors=True``.  ``limiter`` is a shared client-side rate limit
    (:class:`lingyun.retry.Limiter`), consulted before every attempt.

    ``fit`` (on by default): an image over the service's limits -- 10 MiB, or 50 megapixels
    by its header -- is turned upright, shrunk to fit and sent as JPEG, and every coordinate
    of its result is mapped back to the original's pixels (:mod:`lingyun.fit`); the CLI and
    bulk runs do the same.  ``fit=False`` sends every image as it is.
    """

    #: How backoff waits when no ``sleep=`` is given (``sleep`` exists for tests).
    default_sleep: Callable[[float], Any] = staticmethod(time.sleep)

    def __init__(
        self,
        app_key: str,
        dev_key: str,
        endpoint: str | None = None,
        *,
        transport: Any = None,
        sdk_version: str = "5.2",
        timeout: float | tuple[float, float] | None = DEFAULT_TIMEOUT,
        connect_timeout: float = 10.0,
        headers: Mapping[str, str] | None = None,
        session: requests.Session | None = None,
        retries: int = 2,
        backoff: float = 0.5,
        retry_read_errors: bool = False,
        limiter: Limiter | None = None,
        max_response_bytes: int | None = None,
        reply_budget: int = DEFAULT_REPLY_BUDGET,
        pool_size: int = 10,
        clock: signing.Clock = _dt.datetime.now,
        sleep: Callable[[float], Any] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        plugin_manager: LingyunPluginManager | None = None,
        fit: bool = True,
    ) -> None:
        self.credentials = Credentials.of(app_key, dev_key, sdk_version)
        self.timeout, connect_timeout = _deadline_settings(timeout, connect_timeout)
        self.retry = RetryPolicy(retries, backoff, retry_read_errors=retry_read_errors)
        self.headers = {k.lower(): ascii_header(k, v) for k, v in (headers or {}).items()}
        clash = RESERVED_HEADERS & set(self.headers)
        if clash:
            raise ConfigurationError(
                f"headers {sorted(clash)} are computed by the client and cannot be set")
        if limiter is not None and not isinstance(limiter, Limiter):
            raise ConfigurationError(
                f"limiter must have acquire(deadline) and feedback(busy); got {limiter!r}")
        self.limiter = limiter
        if transport is None:
            if not endpoint or not endpoint.lower().startswith(("http://", "https://")):
                raise ConfigurationError(
                    f"endpoint must be a full http(s) URL such as http://host:8880/ocr, got "
                    f"{endpoint!r} (set LINGYUN_ENDPOINT, or use {type(self).__name__}.local() "
                    "for the embedded service)")
            transport = self._http_transport(session, connect_timeout=connect_timeout,
                                             max_response_bytes=max_response_bytes,
                                             reply_budget=reply_budget, pool_size=pool_size)
        elif session is not None:
            raise ConfigurationError("session= configures the default HTTP transport; "
                                     "configure your own transport instead")
        endpoint = endpoint or transport.default_url
        if not endpoint:
            raise ConfigurationError(f"{transport!r} needs an endpoint URL")
        self.endpoint = endpoint
        self.transport = transport
        self._clock = clock
        # the class's own default: time.sleep, or asyncio.sleep for the AsyncClient
        self._sleep = sleep if sleep is not None else self.default_sleep
        self._monotonic = monotonic
        self.plugins = plugin_manager if plugin_manager is not None else get_plugin_manager()
        self.fit = bool(fit)

    # -- construction -------------------------------------------------------------------
    @staticmethod
    def _http_transport(session: Any, **settings: Any) -> Any:
        """The default transport for an http(s) endpoint."""
        raise NotImplementedError

    @staticmethod
    def _local_transport(local: Transport) -> Any:
        """The embedded transport as this client drives it."""
        return local

    @classmethod
    def local(cls, engines: Sequence[str] | None = None, *, core: ServiceCore | None = None,
              processes: int | None = None, **kwargs: Any) -> Self:
        """A client for the local service in this process (no account, no socket).

        ``engines`` picks the local engines by name (default: the ones that really
        recognize -- rapidocr for text); ``["replay"]`` answers with canned examples, which
        every result then says (``result.replayed``).  ``processes`` > 1 recognizes in that
        many worker processes (bulk runs; see :mod:`lingyun.service.engines.pool`).
        """
        from .transports.local import LocalTransport, development_keys

        transport = cls._local_transport(
            LocalTransport(core, engines=engines, processes=processes))
        app_key, dev_key = development_keys()
        kwargs.setdefault("app_key", app_key)
        kwargs.setdefault("dev_key", dev_key)
        return cls(transport=transport, **kwargs)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Self:
        """A client configured from the environment.

        ``LINGYUN_ENDPOINT`` (full URL), ``LINGYUN_APP_KEY``, ``LINGYUN_DEV_KEY`` and
        ``LINGYUN_SDK_VERSION``; keyword ``overrides`` win.  With neither an endpoint nor keys
        configured, the local service answers embedded in the process (:meth:`local`): it really
        recognizes text and refuses every other document type up front.
        """
        env = os.environ if environ is None else environ
        settings: dict[str, Any] = {
            "app_key": env.get("LINGYUN_APP_KEY") or None,
            "dev_key": env.get("LINGYUN_DEV_KEY") or None,
            "endpoint": env.get("LINGYUN_ENDPOINT") or None,
        }
        if env.get("LINGYUN_SDK_VERSION"):
            settings["sdk_version"] = env["LINGYUN_SDK_VERSION"]
        settings.update({k: v for k, v in overrides.items() if v is not None})
        if not settings["endpoint"]:
            given = [f"LINGYUN_{k.upper()}" for k in ("app_key", "dev_key") if settings[k]]
            if given:
                raise ConfigurationError(
                    f"{' and '.join(given)} set but no endpoint: set LINGYUN_ENDPOINT (or "
                    "--endpoint) to the service's URL, e.g. http://host:8880/ocr -- or unset "
                    "the keys to use the embedded local engine")
            del settings["endpoint"], settings["app_key"], settings["dev_key"]
            return cls.local(**settings)
        missing = [f"LINGYUN_{k.upper()}" for k in ("app_key", "dev_key") if not settings[k]]
        if missing:
            raise ConfigurationError(
                f"the endpoint {settings['endpoint']} needs credentials: set "
                f"{' and '.join(missing)} (or pass --app-key; prefer the variable for the "
                "developer key, command lines are visible to other users)")
        return cls(**settings)

    @property
    def app_key(self) -> str:
        return self.credentials.app_key

    @property
    def sdk_version(self) -> str:
        return self.credentials.sdk_version

    @property
    def embedded(self) -> bool:
        """True when calls are served in this process by the local service (no network)."""
        return bool(self.transport.in_process)

    def __repr__(self) -> str:
        return (f"Client(app_key={self.app_key!r}, endpoint={self.endpoint!r}, "
                f"transport={self.transport!r})")

    # -- building and sending ----------------------------------------------------------
    def read_image(self, image: Any) -> bytes:
        """The bytes to send for ``image`` (path, bytes, file object, or what plugins accept)."""
        data = self.plugins.hook.lingyun_read_image(source=image)
        if data is None:
            raise ImageError(
                f"cannot read an image from a {type(image).__name__}; pass a path, bytes or a "
                "binary file object (or install a plugin that implements lingyun_read_image)"
            )
        return bytes(data)

    def prepare(
        self,
        image: Any,
        document_type: str = DEFAULT_DOCUMENT_TYPE,
        options: Mapping[str, Any] | None = None,
    ) -> Request:
        """Validate everything that can be checked before sending and build the Request.

        In order: the document type exists and this transport can deliver it, the options,
        the image is readable and is an image the service reads.  Nothing is sent.
        """
        doc = self.plugins.document_type(document_type)
        self.transport.check(doc)
        task_config = doc.build_task_config(options)
        request = Request(doc.name, task_config, self.read_image(image), dict(self.headers))
        self.plugins.hook.lingyun_prepare_request(request=request)
        inspect_header(request.body, _label(image))
        return request

    @staticmethod
    def reply_cap(request: Request) -> int:
        """The largest reply ``request`` can be answered with (its image's pixels, whether
        it asks for positions): the transport refuses a bigger one as a ProtocolError."""
        try:
            pixels = inspect_header(request.body).pixels
        except ImageError:  # a plugin changed the body after the check: no bound from it
            pixels = None
        positions = request.task_config.get("withPosition", "0") not in ("0", "false", "")
        return reply_cap(positions, pixels)

    def fit_request(self, request: Request,
                    size_limit: int | None = DEFAULT_LIMIT) -> Fitted | None:
        """Shrink ``request``'s image in place if it is over ``size_limit`` bytes or the
        pixel limit (see :mod:`lingyun.fit`), returning how to map its result back; ``None``
        when it goes as it is (it fits, ``size_limit`` is ``None`` or ``fit=False``)."""
        if not self.fit or size_limit is None or not needs_fitting(
                request.body, size_limit, DEFAULT_PIXEL_LIMIT):
            return None
        fitted = fit_image(request.body, size_limit, DEFAULT_PIXEL_LIMIT)
        request.body = fitted.data
        return fitted

    @staticmethod
    def _mapped(result: Result, fitted: Fitted | None) -> Result:
        return result if fitted is None else fitted.map_result(result)

    def signed_headers(self, request: Request) -> dict[str, str]:
        """The full header set for ``request``, signed now (by the client's clock)."""
        return signed_headers(request, self.credentials, self._clock)

    def deadline(self) -> float | None:
        """The deadline of a call starting now (a monotonic time), ``None`` without one."""
        return None if self.timeout is None else self._monotonic() + self.timeout

    # -- one call's attempts: the bookkeeping both clients drive ----------------------------
    def _attempts(self, deadline: float | None) -> Attempts:
        return Attempts(self.retry, self.deadline() if deadline is None else deadline,
                        self._monotonic)

    def _failed(self, attempts: Attempts, request: Request, error: LingyunError) -> float:
        """Seconds to wait before the next attempt, or raise ``error`` if it is final."""
        if self.limiter is not None:
            self.limiter.feedback(is_busy(error))
        wait = attempts.after(error)
        log.warning("lingyun %s: %s; retry %d/%d in %.2fs", request.document_type, error,
                    attempts.count, self.retry.retries, wait)
        return wait

    def _succeeded(self, reply: Reply) -> Reply:
        if self.limiter is not None:
            self.limiter.feedback(False)
        return reply

    def parse(self, reply: Reply, document_type: str) -> Result:
        """The typed result of a successful ``reply`` (plugins' post-processing included)."""
        doc = self.plugins.document_type(document_type)
        result = doc.parse(reply)
        result.replayed = reply.replayed
        self.plugins.hook.lingyun_process_result(result=result, document_type=doc)
        return result


class Client(BaseClient):
    """A blocking, thread-safe client: see :class:`BaseClient` for the settings.

    One client serves many threads (:meth:`batch` runs a pool of them); its transport keeps a
    connection pool sized for them.
    """

    @staticmethod
    def _http_transport(session: Any, **settings: Any) -> Transport:
        from .transports.requests import RequestsTransport

        return RequestsTransport(session, **settings)

    def send(self, request: Request, *, deadline: float | None = None) -> Reply:
        """Send ``request`` (re-signed per attempt) until it succeeds, fails for good, or
        the deadline passes; see :class:`lingyun.retry.RetryPolicy`."""
        attempts = self._attempts(deadline)
        cap = call_cap.set(self.reply_cap(request))
        try:
            while True:
                try:
                    attempts.check_time("before the request could be sent")
                    if self.limiter is not None:
                        self.limiter.acquire(attempts.deadline)
                    raw = self.transport.send(self.endpoint, self.signed_headers(request),
                                              request.body, deadline=attempts.deadline)
                    reply = read_reply(raw)
                except (TransportError, ServiceError) as exc:
                    self._sleep(self._failed(attempts, request, exc))
                    continue
                return self._succeeded(reply)
        finally:
            call_cap.reset(cap)

    @overload
    def recognize(self, image: Any, document_type: DocumentName[ResultT],
                  options: Mapping[str, Any] | None = None, **more_options: Any) -> ResultT: ...
    @overload
    def recognize(self, image: Any, document_type: TemplateName,
                  options: Mapping[str, Any] | None = None,
                  **more_options: Any) -> TemplateResult: ...
    @overload
    def recognize(self, image: Any, document_type: TextName = ...,
                  options: Mapping[str, Any] | None = None, **more_options: Any) -> TextResult: ...
    @overload
    def recognize(self, image: Any, document_type: BankCardName,
                  options: Mapping[str, Any] | None = None,
                  **more_options: Any) -> BankCardResult: ...
    @overload
    def recognize(self, image: Any, document_type: BizCardName,
                  options: Mapping[str, Any] | None = None,
                  **more_options: Any) -> BizCardResult: ...
    @overload
    def recognize(self, image: Any, document_type: str = ...,
                  options: Mapping[str, Any] | None = None, **more_options: Any) -> Result: ...
    def recognize(
        self,
        image: Any,
        document_type: str = DEFAULT_DOCUMENT_TYPE,
        options: Mapping[str, Any] | None = None,
        **more_options: Any,
    ) -> Result:
        """Recognize one image as ``document_type`` and return its typed result.

        Options may be given as a mapping or as keywords (``withPosition=True``).  An image
        over the service's limits is shrunk to fit and its coordinates mapped back, unless
        the client was made with ``fit=False``.
        """
        merged = {**(options or {}), **more_options}
        return self._recognize(image, document_type, merged, DEFAULT_LIMIT)

    def _recognize(self, image: Any, document_type: str, options: Mapping[str, Any],
                   size_limit: int | None) -> Result:
        request = self.prepare(image, document_type, options)
        fitted = self.fit_request(request, size_limit)
        return self._mapped(self.parse(self.send(request), request.document_type), fitted)

    def batch(
        self,
        images: Iterable[Any],
        document_type: str = DEFAULT_DOCUMENT_TYPE,
        options: Mapping[str, Any] | None = None,
        *,
        workers: int = 4,
        ordered: bool = False,
        progress: Any = None,
        sink: Any = None,
        resume: bool = False,
        size_limit: int | None = 10 * 1024 * 1024,
    ) -> Iterator[BatchItem]:
        """Recognize many images (or :func:`lingyun.bulk.expand` pages) concurrently.

        Every image yields one :class:`~lingyun.batch.BatchItem`, as it finishes (in input
        order with ``ordered=True``); an account error (240) stops the batch without losing
        anything (see :func:`lingyun.batch.run_batch`).  Images over ``size_limit`` bytes
        or the pixel limit are shrunk to fit and their coordinates mapped back
        (:mod:`lingyun.fit`; ``size_limit=None`` sends them as they are).  The rate limit is
        the client's own ``limiter``.

        What bulk runs add -- ``sink`` (a ``.jsonl`` path, a directory or ``.parquet`` path
        for a Parquet dataset, or a :class:`lingyun.bulk.records.Sink`: one record per
        image, and a journal of started calls), ``resume=True`` (skip images the sink
        already holds, yielded with ``skipped=True``), ``progress`` (a callback taking
        :class:`lingyun.bulk.Progress` after every image, or ``True`` for a bar), PDF and
        TIFF pages, ``sha256`` and ``record`` on every item -- is done by
        :mod:`lingyun.bulk`, which sits above the client and registers its runner here
        when it is imported (:func:`lingyun.batch.register_bulk_runner`); asking for one of
        those loads it by name.
        """
        asked = [name for name, value in (("sink", sink), ("resume", resume),
                                          ("progress", progress)) if value]
        runner = bulk_runner()
        if runner is None and asked:
            # The bulk extension, loaded by name as a plugin host loads a built-in plugin:
            # importing it registers its runner (this layer never imports its code).
            importlib.import_module("lingyun.bulk")
            runner = bulk_runner()
        if runner is not None:
            return runner(self, images, document_type, options, workers=workers,
                          ordered=ordered, progress=progress, sink=sink, resume=resume,
                          size_limit=size_limit)
        settings = dict(options or {})
        # A bad type, option or worker count fails here, before any image is read.
        self.plugins.document_type(document_type).build_task_config(settings)
        if workers < 1:
            raise UsageError(f"workers must be >= 1, got {workers}")
        self.transport.reserve(workers)  # a pooled connection per worker

        def one(image: Any) -> Result:
            return self._recognize(image, document_type, settings, size_limit)

        return run_batch(one, images, workers=workers, ordered=ordered)

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _label(image: Any) -> str | None:
    """A short name for ``image`` in error messages (a path), else ``None``."""
    if isinstance(image, str | os.PathLike):
        return os.fspath(image)
    return None
