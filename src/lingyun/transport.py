"""HTTP transport: send a signed request with ``requests``, and read the reply strictly.

:class:`Request` is what plugins may adjust before sending; :class:`Reply` is what came
back, with the status, headers and raw body kept for debugging.  :func:`read_reply` turns
bytes into an envelope or the right exception -- it never lets a ``KeyError``,
``JSONDecodeError`` or ``TypeError`` through.  Position replies (``withPosition=1``) are
JSON followed by a binary ``IREAD_NODE`` stream, split by the ``json-length`` header
(SPEC §5, §7).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.structures import CaseInsensitiveDict

from .errors import ProtocolError, TransportError, error_for_code, excerpt
from .taskconfig import TaskConfig

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "NODE_SIZE",
    "HTTPTransport",
    "Reply",
    "Request",
    "read_reply",
    "split_position_body",
]

#: Size of one ``IREAD_NODE`` in the position stream (SPEC §5).
NODE_SIZE = 48
#: Replies larger than this are refused rather than read into memory.
DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024


@dataclass
class Request:
    """One call about to be sent.  Plugins may change any field in ``lingyun_prepare_request``.

    ``headers`` holds extra headers only; the signature and identity headers are added last.
    """

    document_type: str
    task_config: TaskConfig
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        return (
            f"Request(document_type={self.document_type!r}, "
            f"task_config={self.task_config.format()!r}, body=<{len(self.body)} bytes>, "
            f"headers={sorted(self.headers)!r})"
        )


@dataclass
class Reply:
    """A successful answer: envelope, optional position stream, and the raw HTTP parts."""

    status: int
    headers: CaseInsensitiveDict
    body: bytes
    envelope: dict[str, Any]
    positions: bytes | None = None

    @property
    def data(self) -> Any:
        """The envelope's ``data`` member (``None`` when absent)."""
        return self.envelope.get("data")

    def __repr__(self) -> str:
        positions = None if self.positions is None else f"<{len(self.positions)} bytes>"
        return f"Reply(status={self.status}, body=<{len(self.body)} bytes>, positions={positions})"


def _json_length(headers: Mapping[str, str]) -> int | None:
    raw = headers.get("json-length")
    if raw is None:
        return None
    text = raw.strip()
    if not text.isdigit():
        raise ProtocolError(f"json-length header is not a non-negative integer: {excerpt(raw)}")
    return int(text)


def _try_json(chunk: bytes) -> Any:
    try:
        return json.loads(chunk.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _NOT_JSON


_NOT_JSON = object()


def split_position_body(body: bytes, json_length: int) -> tuple[bytes, bytes]:
    """Split a position reply into ``(json_bytes, node_bytes)`` (SPEC §7 "json-length unit").

    ``json_length`` is first taken as UTF-8 bytes; if the JSON does not end there or the rest
    is not whole 48-byte nodes, as a count of characters; if neither fits, ProtocolError.
    """
    as_bytes = json_length
    if as_bytes <= len(body) and (len(body) - as_bytes) % NODE_SIZE == 0:
        if _try_json(body[:as_bytes]) is not _NOT_JSON:
            return body[:as_bytes], body[as_bytes:]
    # As characters: find the byte length of the first `json_length` characters.
    prefix = body[: json_length * 4].decode("utf-8", errors="surrogateescape")[:json_length]
    if len(prefix) == json_length and not any("\udc80" <= c <= "\udcff" for c in prefix):
        as_chars = len(prefix.encode("utf-8"))
        if (len(body) - as_chars) % NODE_SIZE == 0 and _try_json(body[:as_chars]) is not _NOT_JSON:
            return body[:as_chars], body[as_chars:]
    raise ProtocolError(
        f"json-length {json_length} fits the {len(body)}-byte body neither as UTF-8 bytes nor "
        f"as characters (the JSON must end there and the rest be whole {NODE_SIZE}-byte nodes); "
        f"body starts {excerpt(body)}"
    )


def _parse_json(chunk: bytes) -> Any:
    if not chunk.strip():
        raise ProtocolError("response body is empty; expected a JSON envelope")
    try:
        text = chunk.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(
            f"response body is not UTF-8 (bad byte at offset {exc.start}); "
            f"starts {excerpt(chunk)}"
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        around = text[max(0, exc.pos - 30) : exc.pos + 30]
        raise ProtocolError(
            f"response body is not valid JSON ({exc.msg} at line {exc.lineno} column "
            f"{exc.colno}, char {exc.pos}); near {excerpt(around)}"
        ) from None
    except RecursionError:
        raise ProtocolError(
            f"response JSON is nested too deeply to read ({len(chunk)} bytes)"
        ) from None


def _error_code(envelope: dict[str, Any]) -> int:
    if "error" not in envelope:
        raise ProtocolError(
            f"response envelope has no 'error' member; members: {sorted(envelope)[:10]}"
        )
    code = envelope["error"]
    if isinstance(code, bool):
        raise ProtocolError(f"response 'error' is a boolean, expected an integer: {code!r}")
    if isinstance(code, int):
        return code
    if isinstance(code, str) and code.strip().lstrip("-").isdigit():
        return int(code.strip())
    raise ProtocolError(f"response 'error' is not an integer: {excerpt(repr(code))}")


def read_reply(status: int, headers: Mapping[str, str], body: bytes) -> Reply:
    """Interpret one HTTP answer: a :class:`Reply`, or raise the matching error.

    Non-200 status, a non-JSON body or an envelope without ``error`` raise
    :class:`ProtocolError`; a non-zero ``error`` raises the :class:`ServiceError` subclass
    for its code.
    """
    headers = CaseInsensitiveDict(headers)
    if status != 200:
        raise ProtocolError(
            f"HTTP status {status} (expected 200), content-type "
            f"{headers.get('content-type', 'unknown')!r}; body starts {excerpt(body)}"
        )
    json_length = _json_length(headers)
    positions: bytes | None = None
    json_part = body
    if json_length is not None:
        json_part, positions = split_position_body(body, json_length)
    envelope = _parse_json(json_part)
    if not isinstance(envelope, dict):
        raise ProtocolError(
            f"response JSON is a {type(envelope).__name__}, expected an object; "
            f"starts {excerpt(json_part)}"
        )
    code = _error_code(envelope)
    if code != 0:
        text = envelope.get("text")
        raise error_for_code(code, text if isinstance(text, str) else "")
    return Reply(status, headers, body, envelope, positions)


class HTTPTransport:
    """POSTs raw image bytes with ``requests``: pooled connections, timeouts, proxies.

    The usual proxy environment variables (``HTTPS_PROXY``, ``NO_PROXY``...) are honoured by
    ``requests`` itself.  Replies larger than ``max_response_bytes`` are refused while being
    read, so a runaway server cannot exhaust memory.
    """

    def __init__(
        self,
        session: requests.Session | None = None,
        *,
        timeout: float | tuple[float, float] = (10.0, 120.0),
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self.session = session if session is not None else requests.Session()
        self.timeout = timeout
        self.max_response_bytes = max_response_bytes

    def post(self, url: str, headers: Mapping[str, str], body: bytes) -> Reply:
        try:
            response = self.session.post(
                url, data=body, headers=dict(headers), timeout=self.timeout, stream=True
            )
        except requests.Timeout as exc:
            raise TransportError(f"timed out talking to {_where(url)}: {_reason(exc)}") from None
        except requests.RequestException as exc:
            raise TransportError(
                f"could not reach {_where(url)}: {exc.__class__.__name__}: {_reason(exc)}"
            ) from None
        with response:
            content = self._read_limited(response, url)
            return read_reply(response.status_code, response.headers, content)

    def _read_limited(self, response: requests.Response, url: str) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_response_bytes:
            raise ProtocolError(
                f"reply from {_where(url)} declares {declared} bytes, over the "
                f"{self.max_response_bytes}-byte limit"
            )
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(chunk_size=1 << 16):
                size += len(chunk)
                if size > self.max_response_bytes:
                    raise ProtocolError(
                        f"reply from {_where(url)} exceeds the {self.max_response_bytes}-byte "
                        "limit"
                    )
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise TransportError(
                f"connection to {_where(url)} broke while reading the reply: {_reason(exc)}"
            ) from None
        return b"".join(chunks)

    def close(self) -> None:
        self.session.close()


def _where(url: str) -> str:
    return url.split("?", 1)[0]


def _reason(exc: BaseException) -> str:
    # requests nests urllib3 errors whose str() can be long; keep the innermost reason short.
    text = str(exc)
    return text if len(text) <= 200 else text[:200] + "…"
