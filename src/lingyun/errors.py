"""Every way a Lingyun call can fail, as one exception hierarchy.

Three families, so that callers can decide *what to do* from the class alone:

* :class:`ServiceError` -- the service answered with a non-zero ``error`` code (SPEC §6).
  Its subclasses follow the groups that matter to a caller: fix the configuration
  (:class:`CredentialsError`), fix the call (:class:`RequestError`), stop the batch
  (:class:`AccountError`), retry (:class:`TransientError`), or check the endpoint
  (:class:`RoutingError`).  An unknown code still raises a :class:`ServiceError` with the
  code kept.
* :class:`ProtocolError` -- the answer was not what the protocol promises (HTTP status,
  not JSON, wrong shape, a corrupt position stream).
* :class:`TransportError` -- no whole answer: :class:`ConnectError` (nothing was sent),
  :class:`ReadError` (sent, answer lost), :class:`DeadlineExceeded` (out of time).

Plus :class:`UsageError` for mistakes caught before anything is sent (bad option, bad task
config, unknown document type).  No message ever contains the developer key.
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "ERROR_CODES",
    "AccountError",
    "ConfigurationError",
    "ConnectError",
    "CredentialsError",
    "DeadlineExceeded",
    "DocumentTypeError",
    "ImageError",
    "LingyunError",
    "OptionError",
    "ProtocolError",
    "ReadError",
    "RequestError",
    "RoutingError",
    "ServiceError",
    "TaskConfigError",
    "TransientError",
    "TransportError",
    "UnsupportedError",
    "UsageError",
    "error_for_code",
    "excerpt",
]

#: Every code of SPEC §6 with the vendor's meaning, in English.
ERROR_CODES: dict[int, str] = {
    0: "success",
    -1: "server exception",
    190: "app_key empty",
    191: "app_key wrong",
    192: "app_key does not exist",
    193: "app_key missing",
    200: "request_date empty",
    201: "request_date wrong",
    202: "request_date missing",
    210: "session_key empty",
    211: "session_key wrong",
    212: "session_key missing",
    213: "sdk_version empty",
    214: "sdk_version wrong",
    215: "sdk_version missing",
    220: "task_config empty",
    221: "task_config missing",
    222: "capkey missing",
    223: "capkey empty",
    224: "property missing",
    225: "property empty",
    226: "templatePageIndex missing",
    227: "templatePageIndex empty",
    228: "templateIndex missing",
    229: "templateIndex empty",
    230: "request file over the size limit",
    231: "lang missing",
    232: "lang empty",
    233: "templatePageIndex wrong",
    234: "templateIndex wrong",
    240: "account balance insufficient",
    250: "server network error",
    260: "API service does not exist",
    261: "language not supported",
    262: "property not supported",
}


def excerpt(data: bytes | str, limit: int = 80) -> str:
    """A short printable excerpt of a body, for error messages (never the whole thing).

    Quoted by :func:`repr`, which already shows a newline as ``\\n``: the excerpt is escaped
    once, so a JSON record of the message shows ``\\n`` and not ``\\\\n``.
    """
    if isinstance(data, bytes):
        text = data[:limit * 4].decode("utf-8", errors="replace")
    else:
        text = data
    return repr(text[:limit]) + ("…" if len(text) > limit else "")


def _rebuild(cls: type[BaseException], args: tuple[Any, ...],
             state: dict[str, Any]) -> BaseException:
    """Unpickle an error without calling its ``__init__`` (see :meth:`LingyunError.__reduce__`)."""
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class LingyunError(Exception):
    """Base class of every error this package raises.

    Every error survives pickling unchanged (a batch on processes or on Dask workers ships
    them back): the default ``Exception`` pickling calls ``cls(*args)``, which breaks for a
    subclass whose ``__init__`` takes keyword-only arguments (``OptionError``) or builds its
    message from its arguments (``BatchAborted`` would double it).  So unpickling here
    rebuilds the error from its ``args`` and attributes without calling ``__init__`` again.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


class UsageError(LingyunError, ValueError):
    """A mistake in how the library was called, caught before anything was sent."""


class ConfigurationError(UsageError):
    """Missing or malformed client configuration (credentials, endpoint, environment)."""


class TaskConfigError(UsageError):
    """A task config that cannot be sent: non-ASCII, or a ``,``/``=`` inside a name or value."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class DocumentTypeError(UsageError, LookupError):
    """An unknown document type name."""


class OptionError(UsageError):
    """An option a document type does not accept, or a value it does not allow."""

    def __init__(self, message: str, *, document_type: str, option: str) -> None:
        super().__init__(message)
        self.document_type = document_type
        self.option = option


class ImageError(UsageError):
    """An image source that cannot be read into bytes (missing file, empty, wrong type)."""


class ProtocolError(LingyunError):
    """The response does not follow the protocol: what was seen is in the message."""


class TransportError(LingyunError):
    """The request did not get a (whole) answer: see the subclasses for what is known.

    Whether a retry is safe depends on whether the service may have received the request:
    :class:`ConnectError` says it surely did not, :class:`ReadError` that it may have (and
    may have billed it), :class:`DeadlineExceeded` that the call ran out of time.
    """

    retryable: ClassVar[bool] = False


class ConnectError(TransportError):
    """No connection could be made (refused, unresolvable, connect timeout): nothing was sent,
    so a retry cannot cost twice."""

    retryable = True


class ReadError(TransportError):
    """The request went out but the reply did not come back whole (read timeout, connection
    broken mid-reply).  The service may have processed -- and billed -- it, so it is not
    retried unless the caller opts in (``retry_read_errors=True``)."""


class DeadlineExceeded(TransportError):
    """The call's total deadline (every attempt, backoff and wait included) passed."""


class ServiceError(LingyunError):
    """The service answered with a non-zero ``error`` code.

    ``code`` is the service's code, ``text`` its own message (kept verbatim, it is often
    Chinese) and ``meaning`` the English meaning from SPEC §6 when the code is known.
    """

    retryable: ClassVar[bool] = False
    #: Codes that map to this class; the union over subclasses is every code of SPEC §6.
    codes: ClassVar[frozenset[int]] = frozenset()

    def __init__(self, code: int, text: str = "", *, meaning: str | None = None) -> None:
        self.code = code
        self.text = text
        self.meaning = meaning if meaning is not None else ERROR_CODES.get(code, "unknown code")
        super().__init__(f"error {code} ({self.meaning}): {text}" if text else
                         f"error {code} ({self.meaning})")


class CredentialsError(ServiceError):
    """App key, request date, session key or SDK version rejected: fix configuration."""

    codes = frozenset(range(190, 194)) | frozenset(range(200, 203)) | frozenset(range(210, 216))


class RequestError(ServiceError):
    """The call itself is wrong (task config, size, language, property): fix the call."""

    codes = frozenset(range(220, 235)) | {261, 262}


class UnsupportedError(RequestError):
    """The service does not offer this language or document property (261, 262)."""

    codes = frozenset({261, 262})


class AccountError(ServiceError):
    """The account cannot pay for more calls (240): a batch stops here."""

    codes = frozenset({240})


class TransientError(ServiceError):
    """A server-side failure worth retrying with backoff (-1, 250)."""

    retryable = True
    codes = frozenset({-1, 250})


class RoutingError(ServiceError):
    """The API service does not exist at this endpoint (260): check the URL or capkey."""

    codes = frozenset({260})


_MOST_SPECIFIC_FIRST: tuple[type[ServiceError], ...] = (
    UnsupportedError,
    CredentialsError,
    RequestError,
    AccountError,
    TransientError,
    RoutingError,
)


def error_for_code(code: int, text: str = "") -> ServiceError:
    """The exception for a service ``error`` code; an unknown code gives a plain ServiceError."""
    for cls in _MOST_SPECIFIC_FIRST:
        if code in cls.codes:
            return cls(code, text)
    return ServiceError(code, text)
