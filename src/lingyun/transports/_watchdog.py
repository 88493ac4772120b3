"""End blocking socket I/O at a deadline: one reaper thread shuts down late calls' sockets.

A socket timeout bounds each ``recv``, not a call: a server that drips one byte per second
keeps every ``recv`` short and the call alive for ever.  So each call registers the sockets
it uses under its deadline (:func:`watching`); when the deadline passes, the reaper calls
``shutdown(SHUT_RDWR)`` on them, which wakes any blocked ``recv``/``send`` at once, and the
transport turns the resulting error into :class:`~lingyun.errors.DeadlineExceeded`.

One thread serves every call (a heap ordered by deadline), so high-volume runs pay no thread
per request.  A connection leaves its watch under the watch's lock (:meth:`Watch.release`)
*before* it goes back to the pool -- the transport's pool does it in ``_put_conn`` -- so the
reaper can never shut down a socket another thread has since taken from the pool; a socket
the deadline did shut down is closed, not pooled.
"""

from __future__ import annotations

import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Watch", "current", "watching"]


class Watch:
    """The sockets of one call and its deadline."""

    __slots__ = ("_lock", "closed", "deadline", "fired", "sockets")

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.sockets: list[socket.socket] = []
        self.fired = False
        self.closed = False
        self._lock = threading.Lock()

    def add(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if self.fired:
                _shutdown(sock)
            elif sock not in self.sockets:
                self.sockets.append(sock)

    def fire(self) -> None:
        with self._lock:
            if self.closed:
                return
            self.fired = True
            for sock in self.sockets:
                _shutdown(sock)

    def release(self, sock: socket.socket | None) -> bool:
        """Stop watching ``sock`` (its connection goes back to the pool): True, unless the
        deadline already fired and shut it down -- then it must not be reused."""
        with self._lock:
            if self.fired:
                return False
            if sock in self.sockets:
                self.sockets.remove(sock)
            return True

    def close(self) -> None:
        with self._lock:
            self.closed = True
            self.sockets.clear()


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed or not connected: nothing left to wake


class _Reaper:
    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Watch]] = []
        self._counter = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def add(self, watch: Watch) -> None:
        with self._cond:
            while self._heap and self._heap[0][2].closed:  # finished calls, oldest first
                heapq.heappop(self._heap)
            earliest = self._heap[0][0] if self._heap else None
            heapq.heappush(self._heap, (watch.deadline, next(self._counter), watch))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="lingyun-deadlines",
                                                daemon=True)
                self._thread.start()
            elif earliest is None or watch.deadline < earliest:
                # Wake the reaper only when it must fire sooner than it planned: calls
                # with the same timeout arrive in deadline order, so this is rare.
                self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._heap and self._heap[0][2].closed:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cond.wait(30.0)
                    if not self._heap:
                        self._thread = None
                        return
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                _, _, watch = heapq.heappop(self._heap)
            watch.fire()


_reaper = _Reaper()
_local = threading.local()


def current() -> Watch | None:
    """The watch of the call running on this thread, if any."""
    return getattr(_local, "watch", None)


@contextmanager
def watching(deadline: float | None) -> Iterator[Watch | None]:
    """Register this thread's sockets under ``deadline`` for the duration of the block."""
    if deadline is None:
        yield None
        return
    watch = Watch(deadline)
    _local.watch = watch
    _reaper.add(watch)
    try:
        yield watch
    finally:
        watch.close()
        _local.watch = None
