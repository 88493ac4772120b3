"""The client: build a call for a document type, sign it, send it, parse the reply.

>>> client = Client.from_env()                       # doctest: +SKIP
>>> card = client.recognize("id.jpg", "idcard.front")  # doctest: +SKIP
>>> card["name"].value, card["id_number"].value      # doctest: +SKIP

Everything document-specific comes from plugins; this module only knows the protocol.
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import requests

from . import signing
from .batch import BatchItem
from .errors import ConfigurationError, ImageError, ServiceError, TransportError
from .plugins import LingyunPluginManager, get_plugin_manager
from .transport import DEFAULT_MAX_RESPONSE_BYTES, HTTPTransport, Reply, Request

if TYPE_CHECKING:
    from .results import Result

__all__ = ["DEFAULT_DOCUMENT_TYPE", "Client", "Secret"]

log = logging.getLogger("lingyun")

DEFAULT_DOCUMENT_TYPE = "text.chinese"
#: Headers the client computes itself; a caller cannot override them through ``headers``.
_RESERVED = frozenset(
    {"x-app-key", "x-sdk-version", "x-request-date", "x-task-config", "x-session-key"}
)


class Secret:
    """Holds the developer key so that no repr, log record or traceback can show it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __reduce__(self):
        raise TypeError("a Secret cannot be pickled")


def _ascii_header(name: str, value: str) -> str:
    if not isinstance(value, str) or not value.isascii() or "\n" in value or "\r" in value:
        raise ConfigurationError(f"header {name!r} must be a single-line ASCII string")
    return value


class Client:
    """A signed client for one Lingyun endpoint.

    ``endpoint`` is the full URL of the recognition path (``http://host:8880/ocr`` per the
    vendor document, ``.../ocr/auto_recognise`` on the hosted service).  Transient failures
    (codes -1 and 250, timeouts, refused connections) are retried ``retries`` times with
    exponential backoff and jitter; every other error is raised at once.
    """

    def __init__(
        self,
        app_key: str,
        dev_key: str,
        endpoint: str,
        *,
        sdk_version: str = "5.2",
        timeout: float | tuple[float, float] = (10.0, 120.0),
        headers: Mapping[str, str] | None = None,
        session: requests.Session | None = None,
        retries: int = 2,
        backoff: float = 0.5,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        clock: signing.Clock = _dt.datetime.now,
        sleep: Callable[[float], None] = time.sleep,
        plugin_manager: LingyunPluginManager | None = None,
    ) -> None:
        if not app_key or not isinstance(app_key, str):
            raise ConfigurationError("app_key is empty; set it or LINGYUN_APP_KEY")
        if not dev_key or not isinstance(dev_key, str):
            raise ConfigurationError("dev_key is empty; set it or LINGYUN_DEV_KEY")
        if not endpoint or "://" not in endpoint:
            raise ConfigurationError(
                f"endpoint must be a full URL such as http://host:8880/ocr, got {endpoint!r}"
            )
        if retries < 0:
            raise ConfigurationError(f"retries must be >= 0, got {retries}")
        self.app_key = _ascii_header("x-app-key", app_key)
        self._dev_key = Secret(_ascii_header("dev_key", dev_key))
        self.endpoint = endpoint
        self.sdk_version = _ascii_header("x-sdk-version", sdk_version)
        self.headers = {k.lower(): _ascii_header(k, v) for k, v in (headers or {}).items()}
        clash = _RESERVED & set(self.headers)
        if clash:
            raise ConfigurationError(
                f"headers {sorted(clash)} are computed by the client and cannot be set"
            )
        self.retries = retries
        self.backoff = backoff
        self._clock = clock
        self._sleep = sleep
        self.plugins = plugin_manager if plugin_manager is not None else get_plugin_manager()
        self.transport = HTTPTransport(
            session or _session_for(endpoint),
            timeout=timeout,
            max_response_bytes=max_response_bytes,
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Client:
        """A client configured from the environment.

        ``LINGYUN_APP_KEY``, ``LINGYUN_DEV_KEY``, ``LINGYUN_ENDPOINT`` (full URL) and
        ``LINGYUN_SDK_VERSION``.  With no endpoint set, the embedded local service runs
        in-process (see :mod:`lingyun.service.embedded`) with its development account.
        Keyword ``overrides`` win over the environment.
        """
        env = os.environ if environ is None else environ
        settings: dict[str, Any] = {
            "app_key": env.get("LINGYUN_APP_KEY"),
            "dev_key": env.get("LINGYUN_DEV_KEY"),
            "endpoint": env.get("LINGYUN_ENDPOINT"),
        }
        if env.get("LINGYUN_SDK_VERSION"):
            settings["sdk_version"] = env["LINGYUN_SDK_VERSION"]
        settings.update({k: v for k, v in overrides.items() if v is not None})
        if not settings["endpoint"]:
            from .service.embedded import DEFAULT_APP_KEY, DEFAULT_DEV_KEY, EMBEDDED_ENDPOINT

            settings["endpoint"] = EMBEDDED_ENDPOINT
            if not settings["app_key"] and not settings["dev_key"]:
                settings["app_key"], settings["dev_key"] = DEFAULT_APP_KEY, DEFAULT_DEV_KEY
        missing = [
            f"LINGYUN_{name.upper()}" for name in ("app_key", "dev_key") if not settings[name]
        ]
        if missing:
            raise ConfigurationError(f"missing configuration: {', '.join(missing)}")
        return cls(**settings)

    @property
    def embedded(self) -> bool:
        """True when calls are served in-process by the local service (no network)."""
        return self.endpoint.startswith("lingyun+local:")

    def __repr__(self) -> str:
        return (
            f"Client(app_key={self.app_key!r}, endpoint={self.endpoint!r}, "
            f"sdk_version={self.sdk_version!r})"
        )

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
        """Validate the options and build the :class:`Request`, before anything is sent."""
        doc = self.plugins.document_type(document_type)
        request = Request(
            document_type=doc.name,
            task_config=doc.build_task_config(options),
            body=self.read_image(image),
            headers=dict(self.headers),
        )
        self.plugins.hook.lingyun_prepare_request(request=request)
        return request

    def signed_headers(self, request: Request) -> dict[str, str]:
        """The full header set for ``request``, signed now (by the client's clock)."""
        headers = {k.lower(): _ascii_header(k, v) for k, v in request.headers.items()}
        headers.update(
            {
                "x-app-key": self.app_key,
                "x-sdk-version": self.sdk_version,
                "x-task-config": request.task_config.format(),
                **signing.sign(self._dev_key.reveal(), self._clock),
            }
        )
        return headers

    def send(self, request: Request) -> Reply:
        """Send ``request`` (re-signed on every attempt), retrying transient failures."""
        attempt = 0
        while True:
            try:
                headers = self.signed_headers(request)
                return self.transport.post(self.endpoint, headers, request.body)
            except (TransportError, ServiceError) as exc:
                if not exc.retryable or attempt >= self.retries:
                    raise
                delay = self.backoff * (2**attempt) * (0.5 + random.random() / 2)
                attempt += 1
                log.warning(
                    "lingyun %s: %s; retry %d/%d in %.2fs",
                    request.document_type, exc, attempt, self.retries, delay,
                )
                self._sleep(delay)

    def recognize(
        self,
        image: Any,
        document_type: str = DEFAULT_DOCUMENT_TYPE,
        options: Mapping[str, Any] | None = None,
        **more_options: Any,
    ) -> Result:
        """Recognise one image as ``document_type`` and return its typed result.

        Options may be given as a mapping or as keywords (``withPosition=True``).
        """
        merged = {**(options or {}), **more_options}
        request = self.prepare(image, document_type, merged)
        reply = self.send(request)
        doc = self.plugins.document_type(request.document_type)
        result = doc.parse(reply)
        self.plugins.hook.lingyun_process_result(result=result, document_type=doc)
        return result

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
        """Recognise many images (or :func:`lingyun.bulk.expand` pages) concurrently.

        Every image yields one :class:`~lingyun.batch.BatchItem`, as it finishes (in input
        order with ``ordered=True``); an account error (240) stops the batch without losing
        anything (see :func:`lingyun.batch.run_batch`).  Images over ``size_limit`` bytes
        are shrunk to fit and their coordinates mapped back (:mod:`lingyun.bulk.fit`).

        ``sink``: a ``.jsonl`` path (a directory or ``.parquet`` path gives a Parquet
        dataset, with pyarrow) or a :class:`lingyun.bulk.records.Sink`; one record per image
        is appended, and a journal beside a path notes started calls.  ``resume=True``
        continues an earlier run into the same sink, skipping images already recorded
        (yielded with ``skipped=True``).  ``progress``: a callback taking
        :class:`lingyun.bulk.Progress` after every image, or ``True`` for a tqdm bar on
        standard error.  The rate limit is the client's own ``limiter``.
        """
        from .bulk.runner import batch_items

        return batch_items(self, images, document_type, options, workers=workers,
                           ordered=ordered, progress=progress, sink=sink, resume=resume,
                           size_limit=size_limit)

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _session_for(endpoint: str) -> requests.Session:
    session = requests.Session()
    if endpoint.startswith("lingyun+local:"):
        try:
            from .service.embedded import EmbeddedAdapter
        except ImportError as exc:  # the service needs only the core; rapidocr comes later
            raise ConfigurationError(f"the embedded local service is unavailable: {exc}") from exc
        session.mount("lingyun+local://", EmbeddedAdapter())
    return session
