"""Programmable behaviour for tests: queued replies, injected errors, latency, a request log.

The service core consults a :class:`Control` after a request passed validation, so tests
can script what their code sees (a rejected app key is still rejected -- that is the
protocol, and worth testing for real).  The pytest plugin exposes one per service and
resets it between tests.
"""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Control", "Injected", "RecordedRequest"]


@dataclass(frozen=True)
class RecordedRequest:
    """What the service received (the session key is not kept; the body is)."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    task_config: dict[str, str]
    document_type: str | None
    error: int

    @property
    def app_key(self) -> str | None:
        return self.headers.get("x-app-key")


@dataclass
class Injected:
    """A scripted reply: an ``envelope`` (or ``data`` with error 0) and optional positions."""

    envelope: dict[str, Any] | None = None
    data: Any = None
    positions: bytes | None = None
    error: int | None = None
    text: str | None = None


@dataclass
class Control:
    """Thread-safe script of what the service answers next, and what it received."""

    latency: float = 0.0
    _replies: dict[str, deque[Injected]] = field(default_factory=lambda: defaultdict(deque))
    _errors: deque[Injected] = field(default_factory=deque)
    _requests: list[RecordedRequest] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    #: Bumped by :meth:`reset`: a request that began before a reset (say, one a timed-out
    #: test left running) is not recorded into the next test's ``requests``.
    generation: int = 0

    def queue_reply(self, document_type: str, data: Any = None, *,
                    envelope: dict[str, Any] | None = None,
                    positions: bytes | None = None) -> None:
        """The next request for ``document_type`` gets ``data`` (or the whole ``envelope``)."""
        with self._lock:
            self._replies[document_type].append(Injected(envelope, data, positions))

    def fail_next(self, code: int, times: int = 1, text: str | None = None) -> None:
        """The next ``times`` valid requests (any type) get error ``code``."""
        with self._lock:
            self._errors.extend(Injected(error=code, text=text) for _ in range(times))

    def take(self, document_type: str | None) -> Injected | None:
        """The scripted answer for this request, if any (errors first, then replies)."""
        with self._lock:
            if self._errors:
                return self._errors.popleft()
            queue = self._replies.get(document_type or "")
            return queue.popleft() if queue else None

    def record(self, request: RecordedRequest, generation: int | None = None) -> None:
        """Keep ``request``, unless it began (``generation``) before the last reset."""
        with self._lock:
            if generation is None or generation == self.generation:
                self._requests.append(request)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received since the last reset, oldest first."""
        with self._lock:
            return list(self._requests)

    def reset(self) -> None:
        with self._lock:
            self._replies.clear()
            self._errors.clear()
            self._requests.clear()
            self.latency = 0.0
            self.generation += 1
