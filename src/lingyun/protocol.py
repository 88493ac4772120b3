"""The Lingyun protocol without I/O: requests and replies as data, signing, reply reading.

Like h11, this module never touches a socket and imports no HTTP library.  Whoever moves the
bytes -- the ``requests`` transport, the local service's transport (``Client.local()``), the async
``httpx`` transport, a test -- calls the same pure functions:

* :func:`signed_headers` -- the full header set of one attempt (SPEC §2), signed now;
* :func:`require_image` -- refuse a body that is not a known image *before* it is sent;
* :func:`read_reply` -- status, headers and body in, a :class:`Reply` or the right exception
  out (never a ``KeyError``, ``JSONDecodeError`` or bare ``ValueError``);
* :func:`split_position_body` -- JSON and the ``IREAD_NODE`` stream of a position reply
  (SPEC §5, §7), split by the ``json-length`` header;
* :func:`declared_length` -- a ``Content-Length`` a transport may trust to refuse early.

Every number read from the wire goes through :mod:`lingyun.digits` (ASCII digits, bounded).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

from . import digits, signing
from .errors import ConfigurationError, ImageError, ProtocolError, error_for_code, excerpt
from .taskconfig import TaskConfig

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "NODE_SIZE",
    "REPLAY_HEADER",
    "RESERVED_HEADERS",
    "Credentials",
    "RawReply",
    "Reply",
    "Request",
    "Secret",
    "declared_length",
    "describe_bytes",
    "lower_headers",
    "read_reply",
    "require_image",
    "signed_headers",
    "split_position_body",
]

#: Size of one ``IREAD_NODE`` in the position stream (SPEC §5).
NODE_SIZE = 48
#: Replies larger than this are refused rather than read into memory.
DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024
#: Set by the local service on every canned or recorded answer (replay engine, scripted test
#: replies): such an answer was not recognized from the image.  Value: who answered.
REPLAY_HEADER = "x-lingyun-replay"
#: Headers the client computes itself; a caller cannot override them.
RESERVED_HEADERS = frozenset(
    {"x-app-key", "x-sdk-version", "x-request-date", "x-task-config", "x-session-key"}
)
#: How many characters of a service's own ``text`` an error message quotes.
SERVICE_TEXT_LIMIT = 300


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

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret cannot be pickled")


def ascii_header(name: str, value: object) -> str:
    """``value`` if it is a single-line ASCII string, else :class:`ConfigurationError`."""
    if not isinstance(value, str) or not value.isascii() or "\n" in value or "\r" in value:
        raise ConfigurationError(f"header {name!r} must be a single-line ASCII string")
    return value


@dataclass(frozen=True)
class Credentials:
    """Who is calling: the app key (sent), the developer key (signs, never sent)."""

    app_key: str
    dev_key: Secret
    sdk_version: str = "5.2"

    @classmethod
    def of(cls, app_key: str, dev_key: str, sdk_version: str = "5.2") -> Credentials:
        """Checked credentials; an empty key names the variable that sets it."""
        if not app_key or not isinstance(app_key, str):
            raise ConfigurationError("app key is empty: pass app_key= or set LINGYUN_APP_KEY")
        if not dev_key or not isinstance(dev_key, str):
            raise ConfigurationError(
                "developer key is empty: pass dev_key= or set LINGYUN_DEV_KEY")
        return cls(ascii_header("x-app-key", app_key), Secret(ascii_header("dev_key", dev_key)),
                   ascii_header("x-sdk-version", sdk_version))

    def __repr__(self) -> str:
        return f"Credentials(app_key={self.app_key!r}, sdk_version={self.sdk_version!r})"


@dataclass
class Request:
    """One call about to be sent.  Plugins may change any field in ``lingyun_prepare_request``.

    ``headers`` holds extra headers only; the signature and identity headers are added per
    attempt by :func:`signed_headers`.
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


def lower_headers(pairs: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """Lowercased names; a repeated header's values joined with ``", "`` (RFC 9110)."""
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    merged: dict[str, str] = {}
    for name, value in items:
        key = name.lower()
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return merged


def signed_headers(request: Request, credentials: Credentials,
                   clock: signing.Clock) -> dict[str, str]:
    """Every header of one attempt: the request's extras, identity, task config, signature.

    Called once per attempt, so a retry carries a fresh ``x-request-date`` and signature.
    """
    headers = {k.lower(): ascii_header(k, v) for k, v in request.headers.items()}
    clash = RESERVED_HEADERS & set(headers)
    if clash:
        raise ConfigurationError(
            f"headers {sorted(clash)} are computed by the client and cannot be set")
    headers.update({
        "x-app-key": credentials.app_key,
        "x-sdk-version": credentials.sdk_version,
        "x-task-config": request.task_config.format(),
        **signing.sign(credentials.dev_key.reveal(), clock),
    })
    return headers


# -- images -----------------------------------------------------------------------------
_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"BM", "BMP"),
    (b"GIF87a", "GIF"), (b"GIF89a", "GIF"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"),
)
_OTHER_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document (rasterize its pages first: `lingyun ocr` does)"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data"), (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
    (b"<?xml", "an XML document"), (b"<svg", "an SVG drawing (a vector format)"),
    (b"\x7fELF", "an ELF executable"),
)


def image_format(body: bytes) -> str | None:
    """``"JPEG"``, ``"PNG"``, ``"BMP"``, ``"GIF"``, ``"TIFF"``, ``"WebP"`` -- or ``None``."""
    for magic, name in _IMAGE_MAGIC:
        if body.startswith(magic):
            return name
    if body[:4] == b"RIFF" and body[8:12] == b"WEBP":
        return "WebP"
    return None


def describe_bytes(body: bytes) -> str:
    """What ``body`` looks like, for an error message about a non-image."""
    if not body:
        return "empty"
    for magic, name in _OTHER_MAGIC:
        if body.startswith(magic):
            return name
    head = body[:512].lstrip()
    if head[:1] in (b"<",) and b"html" in head[:64].lower():
        return "an HTML page"
    if head[:1] in (b"{", b"["):
        return "JSON text"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:
            return f"binary data starting {body[:8].hex(' ')}"
    return f"text starting {excerpt(body, 24)}"


def require_image(body: bytes, source: object = None) -> str:
    """The image format of ``body``, or :class:`ImageError` saying what the bytes look like.

    The service only reads JPEG, PNG, BMP, GIF, TIFF and WebP files; anything else would be
    paid for and answered with an error, so it is refused here, before sending, never retried.
    """
    kind = image_format(body)
    if kind is None:
        where = f"{source}: " if source is not None else ""
        raise ImageError(
            f"{where}not an image the service reads (JPEG, PNG, BMP, GIF, TIFF, WebP): the "
            f"{len(body)} bytes are {describe_bytes(body)}")
    return kind


# -- replies ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RawReply:
    """What a transport hands back: status, lowercased headers, the whole body."""

    status: int
    headers: dict[str, str]
    body: bytes

    def __repr__(self) -> str:
        return f"RawReply(status={self.status}, body=<{len(self.body)} bytes>)"


@dataclass
class Reply:
    """A successful answer: envelope, optional position stream, and the raw HTTP parts."""

    status: int
    headers: dict[str, str]
    body: bytes
    envelope: dict[str, Any]
    positions: bytes | None = None

    @property
    def data(self) -> Any:
        """The envelope's ``data`` member (``None`` when absent)."""
        return self.envelope.get("data")

    @property
    def replayed(self) -> str | None:
        """Who replayed this answer (canned or recorded, not recognized), or ``None``."""
        return self.headers.get(REPLAY_HEADER) or None

    def __repr__(self) -> str:
        positions = None if self.positions is None else f"<{len(self.positions)} bytes>"
        return f"Reply(status={self.status}, body=<{len(self.body)} bytes>, positions={positions})"


def _header_uint(headers: Mapping[str, str], name: str) -> int | None:
    """Header ``name`` (lowercase) as ASCII digits; ``None`` if absent; ProtocolError if odd."""
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        return digits.parse_uint(raw, name)
    except digits.BadNumber as exc:
        raise ProtocolError(f"reply header {exc}") from None


def declared_length(headers: Mapping[str, str]) -> int | None:
    """The ``Content-Length`` a reply declares (``None`` if absent); ProtocolError if odd."""
    return _header_uint({k.lower(): v for k, v in headers.items()}, "content-length")


_NOT_JSON = object()


def _try_json(chunk: bytes) -> Any:
    try:
        return json.loads(chunk.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _NOT_JSON


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
    try:
        return digits.parse_int(code, "response 'error'", max_digits=9)
    except digits.BadNumber as exc:
        raise ProtocolError(str(exc)) from None


def _service_text(envelope: dict[str, Any]) -> str:
    text = envelope.get("text")
    if not isinstance(text, str):
        return ""
    text = text.replace("\r", " ").replace("\n", " ")
    return text if len(text) <= SERVICE_TEXT_LIMIT else text[:SERVICE_TEXT_LIMIT] + "…"


def read_reply(raw: RawReply) -> Reply:
    """Interpret one HTTP answer: a :class:`Reply`, or raise the matching error.

    A redirect is never followed: the signature headers (and the image) must not go to
    another host, so a 3xx is a :class:`ProtocolError` naming the status and ``Location``.
    Any other non-200 status, a non-JSON body or an envelope without ``error`` raise
    :class:`ProtocolError`; a non-zero ``error`` raises the :class:`ServiceError` subclass
    for its code, quoting at most :data:`SERVICE_TEXT_LIMIT` characters of its text.
    """
    headers = {k.lower(): v for k, v in raw.headers.items()}
    status, body = raw.status, raw.body
    if 300 <= status < 400:
        location = headers.get("location")
        where = f" to {excerpt(location, 120)}" if location else " (no Location header)"
        raise ProtocolError(
            f"HTTP {status} redirect{where}: redirects are not followed (they would carry the "
            "signed headers and the image to another address); set the endpoint to the final "
            "URL if you trust it")
    if status != 200:
        raise ProtocolError(
            f"HTTP status {status} (expected 200), content-type "
            f"{excerpt(headers.get('content-type', 'unknown'), 60)}; body starts {excerpt(body)}"
        )
    json_length = _header_uint(headers, "json-length")
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
        raise error_for_code(code, _service_text(envelope))
    return Reply(status, headers, body, envelope, positions)
