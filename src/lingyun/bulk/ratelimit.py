"""A client-side rate limit shared by every worker, slowing down while the service is busy.

Cloud OCR services throttle bulk users far more often than they fail them (Baidu's QPS error
18, Azure's 429s, Textract throttling); a client that keeps its own pace never meets the
throttle.  :class:`RateLimiter` is handed to the :class:`~lingyun.client.Client`, which calls

* :meth:`RateLimiter.acquire` before every attempt -- before signing, so retries count
  against the rate like first attempts -- and
* :meth:`RateLimiter.feedback` after every attempt, with ``busy=True`` when the service
  answered a transient/busy code or could not be reached.

The pace is the generic cell rate algorithm (GCRA, the token bucket without a refill
thread): each call reserves the next free slot ``1/qps`` after the previous one, with up to
``burst`` calls allowed back to back after an idle spell.  Reservations are taken under a
lock and the wait happens outside it, so threads queue in the order they asked.

With ``adaptive=True`` each busy answer doubles the interval between calls (up to
``max_slowdown`` times the configured one) and each success brings it back by
``recovery`` (multiplicatively), so a struggling service gets breathing room and a healthy
one quickly gets the full rate back.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ..errors import DeadlineExceeded, UsageError

__all__ = ["RateLimiter"]


class RateLimiter:
    """At most ``qps`` calls per second across every thread that shares this object.

    ``clock`` and ``sleep`` are injectable (monotonic seconds) so tests can drive time.
    """

    def __init__(
        self,
        qps: float,
        *,
        burst: int = 1,
        adaptive: bool = True,
        max_slowdown: float = 32.0,
        recovery: float = 0.8,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not isinstance(qps, int | float) or not qps > 0 or qps == float("inf"):
            raise UsageError(f"qps must be a positive finite number of calls per second, "
                             f"got {qps!r}")
        if not isinstance(burst, int) or burst < 1:
            raise UsageError(f"burst must be an integer >= 1, got {burst!r}")
        if not max_slowdown >= 1.0:
            raise UsageError(f"max_slowdown must be >= 1, got {max_slowdown!r}")
        if not 0.0 < recovery < 1.0:
            raise UsageError(f"recovery must be between 0 and 1 (exclusive), got {recovery!r}")
        self.qps = float(qps)
        self.burst = burst
        self.adaptive = adaptive
        self.max_slowdown = float(max_slowdown)
        self.recovery = recovery
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._slowdown = 1.0
        self._tat: float | None = None  # theoretical arrival time of the next call

    def __repr__(self) -> str:
        return (f"RateLimiter(qps={self.qps:g}, burst={self.burst}, adaptive={self.adaptive}, "
                f"slowdown={self.slowdown:.2f})")

    @property
    def slowdown(self) -> float:
        """How many times slower than ``qps`` the limiter currently paces (1.0 = full rate)."""
        return self._slowdown

    @property
    def interval(self) -> float:
        """Seconds between two calls at the current pace."""
        return self._slowdown / self.qps

    def reserve(self, deadline: float | None = None) -> float:
        """Reserve the next slot and return when it starts (clock time), without waiting.

        Raises :class:`~lingyun.errors.DeadlineExceeded` -- and reserves nothing -- when
        that slot would start after ``deadline``.
        """
        with self._lock:
            now = self._clock()
            interval = self.interval
            tat = now if self._tat is None else max(self._tat, now)
            start = max(now, tat - (self.burst - 1) * interval)
            if deadline is not None and start > deadline:
                raise DeadlineExceeded(
                    f"rate limit ({self.qps:g}/s, slowed {self._slowdown:.1f}x): the next "
                    f"slot starts {start - now:.3f}s from now, after the call's deadline "
                    f"({max(deadline - now, 0.0):.3f}s away)"
                )
            self._tat = tat + interval
            return start

    def acquire(self, deadline: float | None = None) -> None:
        """Block until this call may start; raise ``DeadlineExceeded`` if ``deadline``
        (a ``time.monotonic()`` value) would pass first."""
        start = self.reserve(deadline)
        delay = start - self._clock()
        if delay > 0:
            self._sleep(delay)

    def feedback(self, busy: bool) -> None:
        """Report how the last attempt went: ``busy`` slows down, success recovers."""
        if not self.adaptive:
            return
        with self._lock:
            if busy:
                self._slowdown = min(self._slowdown * 2.0, self.max_slowdown)
            else:
                self._slowdown = max(1.0, self._slowdown * self.recovery)
