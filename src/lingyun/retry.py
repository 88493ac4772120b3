"""What is retried, when, and for how long -- the same rules for the sync and async clients.

The rule that matters most is urllib3's: a request that *surely did not arrive* may be sent
again; one that may have arrived may not, because the service bills every image it reads.

* :class:`~lingyun.errors.ConnectError` (refused, unresolvable, connect timeout): nothing was
  sent -- retried.
* :class:`~lingyun.errors.ReadError` (read timeout, connection broken while the reply was
  read): the service may have processed the image -- not retried unless the caller sets
  ``retry_read_errors=True``.
* A :class:`~lingyun.errors.ServiceError` the protocol marks transient (``-1`` server
  exception, ``250`` server network error; SPEC §6) -- retried: the service said it failed.
* :class:`~lingyun.errors.DeadlineExceeded`, every other error -- never retried.

Backoff is exponential with full jitter, capped, and never sleeps past the call's deadline:
when the next attempt could not start before it, the last error is raised at once.

:class:`Attempts` is sans-I/O bookkeeping for one call (it never sleeps); the clients drive it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from .errors import (
    ConfigurationError,
    ConnectError,
    DeadlineExceeded,
    LingyunError,
    ReadError,
    ServiceError,
)

__all__ = ["Attempts", "Limiter", "RetryPolicy", "is_busy"]


@runtime_checkable
class Limiter(Protocol):
    """A client-side rate limit shared by every call of a client (and its workers).

    ``acquire`` is called before every attempt, before signing, so retries count against the
    rate; it blocks until the attempt may start or raises
    :class:`~lingyun.errors.DeadlineExceeded` when ``deadline`` (a :func:`time.monotonic`
    value, or ``None``) would pass first.  ``feedback`` is told after every attempt whether
    the service was busy (a transient code or a failed connection), so an adaptive limiter can
    slow down.  ``lingyun.bulk.ratelimit.RateLimiter`` is the built-in one.
    """

    def acquire(self, deadline: float | None) -> None: ...

    def feedback(self, busy: bool) -> None: ...


def is_busy(error: BaseException | None) -> bool:
    """True for outcomes that say the service (or the way to it) is overloaded."""
    return isinstance(error, ConnectError) or (
        isinstance(error, ServiceError) and error.retryable)


@dataclass(frozen=True)
class RetryPolicy:
    """Which failures are retried and how long to wait between attempts."""

    retries: int = 2
    backoff: float = 0.5
    max_backoff: float = 10.0
    retry_read_errors: bool = False
    jitter: Callable[[], float] = field(default=random.random, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.retries, int) or self.retries < 0:
            raise ConfigurationError(f"retries must be an integer >= 0, got {self.retries!r}")
        if self.backoff < 0 or self.max_backoff < 0:
            raise ConfigurationError("backoff and max_backoff must be >= 0")

    def retryable(self, error: BaseException) -> bool:
        """Whether ``error`` may be retried at all (see the module docstring)."""
        if isinstance(error, DeadlineExceeded):
            return False
        if isinstance(error, ConnectError):
            return True
        if isinstance(error, ReadError):
            return self.retry_read_errors
        if isinstance(error, ServiceError):
            return error.retryable
        return False

    def delay(self, attempt: int) -> float:
        """The wait before retry number ``attempt`` (1-based): capped exponential, jittered."""
        ceiling = min(self.max_backoff, self.backoff * (2 ** (attempt - 1)))
        return float(ceiling * (0.5 + self.jitter() / 2))


class Attempts:
    """The retry state of one call: ask :meth:`after` what to do when an attempt failed."""

    def __init__(self, policy: RetryPolicy, deadline: float | None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy
        self.deadline = deadline
        self.clock = clock
        self.count = 0

    def remaining(self) -> float | None:
        """Seconds left before the deadline (``None``: no deadline)."""
        return None if self.deadline is None else self.deadline - self.clock()

    def check_time(self, what: str) -> None:
        """:class:`DeadlineExceeded` if the deadline has passed."""
        left = self.remaining()
        if left is not None and left <= 0:
            raise DeadlineExceeded(f"the call's deadline passed {what}")

    def after(self, error: LingyunError) -> float:
        """Seconds to wait before the next attempt, or raise ``error`` when it is final.

        Final: not retryable, out of retries, or the next attempt could not start before the
        deadline.
        """
        self.count += 1
        if not self.policy.retryable(error) or self.count > self.policy.retries:
            raise error
        wait = self.policy.delay(self.count)
        left = self.remaining()
        if left is not None and wait >= left:
            raise error
        return wait
