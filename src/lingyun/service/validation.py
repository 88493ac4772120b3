"""Request validation, in the order and with the codes of SPEC §6.

One function per header family; each returns the value or raises :class:`Refusal` with the
vendor's code.  The order is the order a caller fixes things in: identity and signature
(190-215), then the task config (220-229, 233, 234), then the body size (230, decided from
``Content-Length`` before the body is read), then what is asked for (231, 232, 261, 262,
260).

Empty versus missing (documented in ``docs/service.md``): a header that is absent is
*missing*; a header that is present but blank after stripping spaces is *empty*.  Task-config
keys work the same way: ``capkey`` absent is missing (222), ``capkey=`` or ``capkey=  ``
is empty (223).  A pair without ``=`` (``capkey``) counts as the key with an empty value.
Keys match case-insensitively (``templatePageindex``, ``capKey``); the first spelling wins.

Numbers (``templateIndex``, ``templatePageIndex``) are ASCII digits of bounded length
(:func:`lingyun.digits.parse_uint`): ``'²'`` or a 5,000-digit value is a 233/234 refusal,
never an exception.  Two decisions follow what public clients send (docs/service.md):
``capkey=ocr.cloud,lang=english`` is English text (the vendor's Java sample sends it), and a
template request without ``templateIndex``/``templatePageIndex`` means index 0 (a production
client of a private deployment sends only ``capkey`` and ``property``).
"""

from __future__ import annotations

import datetime as _dt
import hmac
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..digits import BadNumber, parse_uint
from ..doctypes import DocumentType
from ..signing import session_key
from .accounts import APP_KEY_PATTERN, Accounts

__all__ = [
    "DEFAULT_MAX_BODY",
    "DEFAULT_SKEW",
    "SDK_VERSIONS",
    "Capability",
    "Refusal",
    "RequestValidator",
    "parse_request_date",
    "parse_task_config",
]

DEFAULT_MAX_BODY = 10 * 1024 * 1024
DEFAULT_SKEW = _dt.timedelta(minutes=15)
#: SDK versions public clients send (SPEC §2).
SDK_VERSIONS = frozenset({"5.1", "5.2", "8.0", "8.1"})
TEMPLATE_CAPKEY = "ocr.cloud.template"
#: capkey -> lang -> the capkey of the document type that reads it (SPEC §3, §8).  The
#: vendor's Java sample sends English as ``capkey=ocr.cloud,lang=english``; it is served
#: like ``ocr.cloud.english``.
TEXT_LANGS: dict[str, dict[str, str]] = {
    "ocr.cloud": {"chinese_cn": "ocr.cloud", "english": "ocr.cloud.english"},
    "ocr.cloud.english": {"english": "ocr.cloud.english"},
}
#: A template index key that is absent means this (what clients that omit them expect).
DEFAULT_TEMPLATE_INDEX = "0"
#: More digits than any template or page number; bounds the work a header can cause.
MAX_INDEX_DIGITS = 9

_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S")
_MD5_HEX = re.compile(r"[0-9A-Fa-f]{32}")


class Refusal(Exception):
    """The service's answer to a bad request: a vendor ``error`` code and a message."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(f"{code}: {text}")
        self.code = code
        self.text = text


def parse_request_date(text: str) -> _dt.datetime:
    """``2017-01-19 23:19:41.990000`` or ``2017-01-19 23:19:41`` -> naive datetime.

    Both are what public clients send (SPEC §2); anything else raises :class:`ValueError`.
    """
    for fmt in _DATE_FORMATS:
        try:
            return _dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"not 'YYYY-MM-DD HH:MM:SS[.ffffff]': {text[:40]!r}")


def parse_task_config(header: str) -> dict[str, str]:
    """The header as ``{lowercased key: value}``, leniently, first spelling of a key wins.

    Unlike :meth:`lingyun.TaskConfig.parse` (which refuses malformed pairs before sending),
    the service must answer *something* for whatever arrives: a pair without ``=`` is its
    key with an empty value, blanks around keys and values are dropped.
    """
    config: dict[str, str] = {}
    for part in header.split(","):
        name, _, value = part.partition("=")
        key = name.strip().lower()
        if key and key not in config:
            config[key] = value.strip()
    return config


@dataclass(frozen=True)
class Capability:
    """What a validated request asks for."""

    capkey: str
    lang: str | None = None
    property: str | None = None
    template_index: str | None = None
    page_index: str | None = None
    with_position: bool = False
    document_type: str | None = None
    config: Mapping[str, str] = field(default_factory=dict)


def _header(headers: Mapping[str, str], name: str, missing: int, empty: int) -> str:
    value = headers.get(name)
    if value is None:
        raise Refusal(missing, f"{name} header is missing")
    value = value.strip()
    if not value:
        raise Refusal(empty, f"{name} header is empty")
    return value


def _config_value(config: Mapping[str, str], key: str, missing: int, empty: int) -> str:
    if key.lower() not in config:
        raise Refusal(missing, f"task config has no {key}")
    value = config[key.lower()]
    if not value:
        raise Refusal(empty, f"task config {key} is empty")
    return value


def _index_value(config: Mapping[str, str], key: str, empty: int, wrong: int) -> str:
    """A template index as canonical decimal text: absent is ``"0"``, blank is ``empty``,
    anything but a bounded run of ASCII digits is ``wrong`` (233/234)."""
    if key.lower() not in config:
        return DEFAULT_TEMPLATE_INDEX
    value = config[key.lower()]
    if not value:
        raise Refusal(empty, f"task config {key} is empty")
    try:
        return str(parse_uint(value, key, max_digits=MAX_INDEX_DIGITS))
    except BadNumber as exc:
        raise Refusal(wrong, str(exc)) from None


def _capability_key(doc: DocumentType) -> tuple[str, ...]:
    tc = {k.lower(): v for k, v in doc.task_config.items()}
    capkey = tc.get("capkey", "").lower()
    if capkey == TEMPLATE_CAPKEY:
        return (capkey, tc.get("property", ""), tc.get("templateindex", ""),
                tc.get("templatepageindex", ""))
    return (capkey,)


class RequestValidator:
    """Checks one request's headers against the accounts, the clock and the registry.

    ``document_types`` is the registry the service routes by (built-in and plugin types),
    so a third-party template type is accepted exactly like a built-in one.
    """

    def __init__(
        self,
        accounts: Accounts,
        document_types: Sequence[DocumentType],
        *,
        clock: Callable[[], _dt.datetime] = _dt.datetime.now,
        skew: _dt.timedelta = DEFAULT_SKEW,
        max_body: int = DEFAULT_MAX_BODY,
        sdk_versions: frozenset[str] = SDK_VERSIONS,
    ) -> None:
        self.accounts = accounts
        self.clock = clock
        self.skew = skew
        self.max_body = max_body
        self.sdk_versions = sdk_versions
        self._types: dict[tuple[str, ...], str] = {}
        for doc in document_types:
            self._types.setdefault(_capability_key(doc), doc.name)
        self._properties = {k[1] for k in self._types if k[0] == TEMPLATE_CAPKEY}
        self._capkeys = {k[0] for k in self._types}

    # -- SPEC §6 in order ------------------------------------------------------------
    def check_headers(self, headers: Mapping[str, str]) -> Capability:
        """190-229, 233, 234: identity, signature, SDK version and task-config shape."""
        app_key = _header(headers, "x-app-key", 193, 190)
        if not APP_KEY_PATTERN.fullmatch(app_key):
            raise Refusal(191, "x-app-key has characters an app key cannot have")
        dev_key = self.accounts.dev_key(app_key)
        if dev_key is None:
            raise Refusal(192, f"app key {app_key!r} does not exist on this service")

        date_text = _header(headers, "x-request-date", 202, 200)
        try:
            when = parse_request_date(date_text)
        except ValueError as exc:
            raise Refusal(201, f"x-request-date is {exc}") from None
        if abs(self.clock() - when) > self.skew:
            raise Refusal(201, f"x-request-date {date_text!r} is outside the accepted "
                               f"window of {int(self.skew.total_seconds())} s around "
                               "the service's clock")

        given = _header(headers, "x-session-key", 212, 210)
        expected = session_key(date_text, dev_key)
        if not _MD5_HEX.fullmatch(given) or not hmac.compare_digest(given.lower(), expected):
            raise Refusal(211, "x-session-key does not match md5(x-request-date + devkey)")

        version = _header(headers, "x-sdk-version", 215, 213)
        if version not in self.sdk_versions:
            raise Refusal(214, f"x-sdk-version {version!r} is not one of "
                               f"{', '.join(sorted(self.sdk_versions))}")

        config = parse_task_config(_header(headers, "x-task-config", 221, 220))
        capkey = _config_value(config, "capkey", 222, 223).lower()
        if capkey != TEMPLATE_CAPKEY:
            # withPosition is a text option (SPEC §5); "passed and not 0" turns it on.
            with_position = (capkey in TEXT_LANGS
                             and config.get("withposition", "0") not in ("", "0"))
            return Capability(capkey, config=config, with_position=with_position)
        prop = _config_value(config, "property", 224, 225)
        page = _index_value(config, "templatePageIndex", 227, 233)
        index = _index_value(config, "templateIndex", 229, 234)
        return Capability(capkey, property=prop, template_index=index, page_index=page,
                          config=config)

    def check_size(self, content_length: int | None) -> None:
        """230 when the declared body is over the limit (the body is not read then)."""
        if content_length is not None and content_length > self.max_body:
            raise Refusal(230, f"request body of {content_length} bytes is over the "
                               f"{self.max_body}-byte limit")

    def check_capability(self, cap: Capability) -> Capability:
        """231, 232, 261 (lang), 262 (property), 233/234 (no such page/template), 260."""
        route = (cap.capkey,)
        if cap.capkey in TEXT_LANGS:
            lang = _config_value(cap.config, "lang", 231, 232).lower()
            langs = TEXT_LANGS[cap.capkey]
            if lang not in langs:
                raise Refusal(261, f"lang {lang!r} is not supported by {cap.capkey} "
                                   f"(it reads {', '.join(langs)})")
            cap = replace(cap, lang=lang)
            route = (langs[lang],)
        if cap.capkey == TEMPLATE_CAPKEY:
            prop = cap.property or ""
            if prop not in self._properties:
                raise Refusal(262, f"property {prop!r} is not supported; supported: "
                                   f"{', '.join(sorted(self._properties))}")
            name = self._types.get((cap.capkey, prop, cap.template_index or "0",
                                    cap.page_index or "0"))
            if name is None:
                pages = {k[3] for k in self._types if k[:2] == (cap.capkey, prop)}
                indexes = {k[2] for k in self._types if k[:2] == (cap.capkey, prop)}
                if (cap.template_index or "0") not in indexes:
                    raise Refusal(234, f"templateIndex {cap.template_index} does not exist "
                                       f"for {prop}; it has {', '.join(sorted(indexes))}")
                raise Refusal(233, f"templatePageIndex {cap.page_index} does not exist for "
                                   f"{prop}; it has {', '.join(sorted(pages))}")
            return replace(cap, document_type=name)
        name = self._types.get(route)
        if name is None:
            raise Refusal(260, f"no API service for capkey {cap.capkey!r}; this service "
                               f"offers {', '.join(sorted(self._capkeys))}")
        return replace(cap, document_type=name)
