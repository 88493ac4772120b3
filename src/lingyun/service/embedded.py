"""The embedded default: the local service in-process, behind a ``requests`` adapter.

When no endpoint is configured the client talks to :data:`EMBEDDED_ENDPOINT`
(``lingyun+local://embedded/ocr``) with the development account, and mounts
:class:`EmbeddedAdapter` for that scheme.  ``send()`` runs the same
:class:`~lingyun.service.core.ServiceCore` as ``lingyun serve`` -- no port is opened and the
bytes are those the HTTP server would send -- so everything above the adapter (signing,
retries, reply parsing) runs exactly as against the real service.

Text recognition needs the ``local`` extra (rapidocr); without it a text request is
answered 260 with the exact command: ``pip install 'lingyun[local]'``.
"""

from __future__ import annotations

import io
import threading
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from urllib3 import HTTPResponse

from .accounts import DEFAULT_APP_KEY, DEFAULT_DEV_KEY
from .core import ServiceCore

__all__ = ["DEFAULT_APP_KEY", "DEFAULT_DEV_KEY", "EMBEDDED_ENDPOINT", "EmbeddedAdapter",
           "default_core"]

EMBEDDED_ENDPOINT = "lingyun+local://embedded/ocr"

_core: ServiceCore | None = None
_core_lock = threading.Lock()


def default_core() -> ServiceCore:
    """The process-wide embedded core (default account, default engines), built once."""
    global _core
    if _core is None:
        with _core_lock:
            if _core is None:
                _core = ServiceCore()
    return _core


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, bytearray | memoryview):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        return body.read()
    return b"".join(body)  # an iterable of chunks, as requests allows


class EmbeddedAdapter(BaseAdapter):
    """A transport adapter answering from a :class:`ServiceCore` in this process."""

    def __init__(self, core: ServiceCore | None = None) -> None:
        super().__init__()
        self._core = core

    @property
    def core(self) -> ServiceCore:
        return self._core if self._core is not None else default_core()

    def send(self, request: requests.PreparedRequest, stream: bool = False,
             timeout: Any = None, verify: Any = True, cert: Any = None,
             proxies: Any = None) -> requests.Response:
        url = urlsplit(request.url or "")
        path = url.path + (f"?{url.query}" if url.query else "")
        body = _body_bytes(request.body)
        answer = self.core.handle(request.method or "GET", path or "/",
                                  list(request.headers.items()), body)
        raw = HTTPResponse(body=io.BytesIO(answer.body), headers=answer.headers,
                           status=answer.status, preload_content=False,
                           decode_content=False, request_method=request.method)
        response = requests.Response()
        response.status_code = answer.status
        response.headers = CaseInsensitiveDict(answer.headers)
        response.raw = raw
        response.reason = "OK" if answer.status == 200 else "Error"
        response.url = request.url or ""
        response.request = request
        response.encoding = "utf-8"
        response.connection = self
        if not stream:
            _ = response.content
        return response

    def close(self) -> None:
        """Nothing to release: the core is shared and holds no connections."""
