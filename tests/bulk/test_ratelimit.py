"""The client-side rate limit: pace, burst, deadlines, adaptive slowdown, shared by threads.

Time is a fake clock that :meth:`FakeTime.sleep` advances, so nothing really waits.
"""

from __future__ import annotations

import threading
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingyun.bulk.ratelimit import RateLimiter
from lingyun.errors import DeadlineExceeded, TransportError, UsageError


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds


def limiter(qps: float, **kwargs) -> tuple[RateLimiter, FakeTime]:
    time = FakeTime()
    return RateLimiter(qps, clock=time.clock, sleep=time.sleep, **kwargs), time


@given(qps=st.floats(0.5, 500), gaps=st.lists(st.floats(0, 2), min_size=2, max_size=40))
def test_starts_are_never_closer_than_the_interval(qps: float, gaps: list[float]) -> None:
    rl, time = limiter(qps, adaptive=False)
    starts = []
    for gap in gaps:
        time.now += gap  # the caller arrives after doing other work
        starts.append(rl.reserve())
    assert all(b - a >= 1 / qps - 1e-9 for a, b in pairwise(starts))
    assert all(s >= 100.0 for s in starts)


@given(burst=st.integers(1, 10), qps=st.floats(1, 100))
def test_burst_after_idle_then_the_pace(burst: int, qps: float) -> None:
    rl, time = limiter(qps, burst=burst, adaptive=False)
    rl.reserve()
    time.now += 1000  # a long idle spell refills the bucket
    starts = [rl.reserve() for _ in range(burst + 3)]
    assert starts[:burst] == pytest.approx([time.now] * burst)
    assert starts[burst] >= time.now + 1 / qps - 1e-9


def test_acquire_sleeps_until_the_slot() -> None:
    rl, time = limiter(20, adaptive=False)
    for _ in range(200):
        rl.acquire()
    # 200 calls at 20/s: the first at once, then one every 50 ms.
    assert time.now - 100.0 == pytest.approx(199 / 20)


def test_deadline_raises_without_reserving() -> None:
    rl, time = limiter(1, adaptive=False)
    rl.acquire()
    with pytest.raises(DeadlineExceeded, match="after the call's deadline") as info:
        rl.acquire(deadline=time.now + 0.5)
    assert isinstance(info.value, TransportError)
    assert rl.reserve(deadline=time.now + 1.0) == pytest.approx(time.now + 1.0)


def test_busy_answers_slow_down_and_successes_recover() -> None:
    rl, _ = limiter(10, max_slowdown=8)
    assert rl.interval == pytest.approx(0.1)
    for _ in range(5):
        rl.feedback(busy=True)
    assert rl.slowdown == 8  # capped
    assert rl.interval == pytest.approx(0.8)
    for _ in range(50):
        rl.feedback(busy=False)
    assert rl.slowdown == 1.0


def test_not_adaptive_ignores_feedback() -> None:
    rl, _ = limiter(10, adaptive=False)
    rl.feedback(busy=True)
    assert rl.slowdown == 1.0


def test_shared_by_threads_every_slot_distinct() -> None:
    rl, _ = limiter(50, adaptive=False)
    starts: list[float] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(50):
            start = rl.reserve()
            with lock:
                starts.append(start)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    starts.sort()
    assert len(starts) == 400
    assert all(b - a >= 1 / 50 - 1e-9 for a, b in pairwise(starts))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"qps": 0}, "qps must be a positive"),
        ({"qps": float("nan")}, "qps must be a positive"),
        ({"qps": 5, "burst": 0}, "burst must be"),
        ({"qps": 5, "recovery": 1.0}, "recovery must be"),
        ({"qps": 5, "max_slowdown": 0.5}, "max_slowdown must be"),
    ],
)
def test_bad_settings_are_named(kwargs: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        RateLimiter(**kwargs)


def test_repr_shows_the_pace() -> None:
    assert repr(RateLimiter(20)) == "RateLimiter(qps=20, burst=1, adaptive=True, slowdown=1.00)"
