"""Request signing (SPEC §2): ``x-session-key = md5(x-request-date + devkey)``.

The developer key is the secret; only the digest travels.  The clock is injectable so that
tests (and the local service) can pin the date exactly.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Callable

__all__ = ["Clock", "format_request_date", "session_key", "sign"]

#: A clock returns the current local time, as the vendor's own example uses it.
Clock = Callable[[], _dt.datetime]


def format_request_date(moment: _dt.datetime) -> str:
    """The date string the vendor's Python example sends: ``str(datetime.now())``.

    ``2017-01-19 23:19:41.990000`` -- microseconds included whenever they are non-zero,
    exactly as :func:`str` of a naive datetime prints it.
    """
    return str(moment.replace(tzinfo=None))


def session_key(request_date: str, dev_key: str) -> str:
    """``md5(request_date + dev_key)`` as lowercase hex, over the UTF-8 bytes.

    The protocol chose MD5; it is not used here for security, and saying so
    (``usedforsecurity=False``) keeps it working on FIPS systems, which refuse it otherwise.
    """
    return hashlib.md5((request_date + dev_key).encode("utf-8"), usedforsecurity=False).hexdigest()


def sign(dev_key: str, clock: Clock = _dt.datetime.now) -> dict[str, str]:
    """The two signature headers for a request made now (by ``clock``)."""
    date = format_request_date(clock())
    return {"x-request-date": date, "x-session-key": session_key(date, dev_key)}
