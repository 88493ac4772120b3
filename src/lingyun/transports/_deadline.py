"""A call's deadline as the HTTP transports see it: the time left, and whether a failure
happened because the deadline ran out.

The rule every transport follows: **a failure is classified by the deadline, not by which
timer fired.**  A call has several timers -- the connect timeout, the per-read socket timeout
(both cut to the time left), the ``_watchdog`` reaper or ``asyncio.timeout`` -- and on a
loaded machine any of them may fire first.  A per-read timeout of "the time left when the
call started" that fires means the deadline has passed, however the socket library words it;
so does a connect timeout that was cut to the time left.  The caller then gets
:class:`~lingyun.errors.DeadlineExceeded` (never retried), not a
:class:`~lingyun.errors.ReadError` ("may have been processed") or a
:class:`~lingyun.errors.ConnectError` (retried).
"""

from __future__ import annotations

import time

from ..errors import DeadlineExceeded
from ._text import where

__all__ = ["deadline_exceeded", "passed", "time_left"]


def time_left(url: str, deadline: float | None) -> float | None:
    """Seconds until ``deadline`` (``None``: no deadline); :class:`DeadlineExceeded` if none
    are left, before anything is sent."""
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded(f"no time left to call {where(url)}")
    return left


def passed(deadline: float | None) -> bool:
    """True when ``deadline`` (a :func:`time.monotonic` value) has passed."""
    return deadline is not None and time.monotonic() >= deadline


def deadline_exceeded(url: str) -> DeadlineExceeded:
    """The error of a call whose deadline ran out while it was under way."""
    return DeadlineExceeded(f"{where(url)} did not answer in full before the call's deadline")
