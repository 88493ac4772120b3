"""Batches: every image yields one outcome; an account error stops the rest, losing nothing."""

from __future__ import annotations

import threading

import pytest

from lingyun import AccountError, BatchAborted, TransientError, UsageError
from lingyun.batch import run_batch
from lingyun.errors import error_for_code


def test_every_source_yields_one_outcome() -> None:
    def call(n: int) -> int:
        if n % 3 == 0:
            raise TransientError(250)
        return n * 10

    items = list(run_batch(call, range(20), workers=4))
    assert sorted(i.index for i in items) == list(range(20))
    for item in items:
        if item.index % 3 == 0:
            assert isinstance(item.error, TransientError) and item.result is None
        else:
            assert item.ok and item.result == item.index * 10


def test_ordered_yields_in_input_order() -> None:
    gates = {i: threading.Event() for i in range(6)}

    def call(n: int) -> int:
        # Finish in reverse: each call waits for its successor to be released first.
        if n < 5:
            gates[n + 1].wait(5)
        gates[n].set()
        return n

    items = list(run_batch(call, range(6), workers=6, ordered=True))
    assert [i.index for i in items] == list(range(6))


def test_account_error_stops_without_losing_results() -> None:
    release = threading.Event()
    started = threading.Barrier(2)

    def call(n: int) -> str:
        if n == 0:
            started.wait(5)
            release.wait(5)
            return "finished-while-stopping"
        if n == 1:
            started.wait(5)
            release.set()
            raise error_for_code(240, "余额不足")
        return f"r{n}"

    items = list(run_batch(call, range(10), workers=2))
    by_index = {i.index: i for i in items}
    assert sorted(by_index) == list(range(10))
    assert by_index[0].result == "finished-while-stopping"
    assert isinstance(by_index[1].error, AccountError)
    aborted = [i for i in items if not i.attempted]
    assert aborted and all(isinstance(i.error, BatchAborted) for i in aborted)
    assert all(isinstance(i.error.cause, AccountError) for i in aborted)


def test_unexpected_exceptions_are_captured() -> None:
    def call(n: int) -> int:
        raise RuntimeError(f"plugin bug {n}")

    (item,) = run_batch(call, [1])
    assert isinstance(item.error, RuntimeError) and not item.ok


def test_lazy_consumption_of_an_endless_source() -> None:
    def endless():
        n = 0
        while True:
            yield n
            n += 1

    results = run_batch(lambda n: n, endless(), workers=2, ordered=True)
    first = [next(results).result for _ in range(50)]
    results.close()
    assert first == list(range(50))


def test_workers_must_be_positive() -> None:
    with pytest.raises(UsageError):
        list(run_batch(lambda n: n, [1], workers=0))


def test_ordered_buffers_at_most_twice_the_workers_behind_a_slow_image() -> None:
    workers = 3
    bound = 2 * workers
    state = threading.Condition()
    done_others = 0
    violated = False

    def sources():
        nonlocal violated
        for n in range(1000):
            with state:
                if n >= bound and done_others < 10**9 and not first_done.is_set():
                    violated = True  # pulled past the bound while image 0 is unfinished
                    state.notify_all()
            yield n

    first_done = threading.Event()

    def call(n: int) -> int:
        nonlocal done_others
        if n == 0:
            with state:  # released once every other slot has finished, or on a violation
                state.wait_for(lambda: done_others >= bound - 1 or violated, timeout=30)
            first_done.set()
            return n
        with state:
            done_others += 1
            state.notify_all()
        return n

    items = list(run_batch(call, sources(), workers=workers, ordered=True))
    assert [item.index for item in items] == list(range(1000))
    assert not violated
