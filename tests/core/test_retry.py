"""The retry rules and the call deadline, as sans-I/O bookkeeping (an injected clock)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingyun import (
    AccountError,
    ConnectError,
    CredentialsError,
    DeadlineExceeded,
    ProtocolError,
    ReadError,
    TransientError,
)
from lingyun.retry import Attempts, RetryPolicy, is_busy


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(("error", "retried"), [
    (ConnectError("refused"), True),
    (TransientError(250), True),
    (TransientError(-1), True),
    (ReadError("read timed out"), False),
    (DeadlineExceeded("late"), False),
    (CredentialsError(211), False),
    (AccountError(240), False),
    (ProtocolError("garbage"), False),
])
def test_only_what_surely_did_not_cost_is_retried(error, retried) -> None:
    assert RetryPolicy().retryable(error) is retried


def test_read_errors_are_retried_when_the_caller_opts_in() -> None:
    assert RetryPolicy(retry_read_errors=True).retryable(ReadError("cut"))
    assert not RetryPolicy(retry_read_errors=True).retryable(DeadlineExceeded("late"))


def test_attempts_stop_after_the_retries() -> None:
    attempts = Attempts(RetryPolicy(retries=2, backoff=0.0), deadline=None)
    error = ConnectError("refused")
    assert attempts.after(error) == 0.0
    assert attempts.after(error) == 0.0
    with pytest.raises(ConnectError):
        attempts.after(error)


def test_a_wait_that_would_pass_the_deadline_makes_the_error_final() -> None:
    clock = Clock()
    attempts = Attempts(RetryPolicy(retries=5, backoff=1.0, jitter=lambda: 1.0),
                        deadline=clock.now + 1.5, clock=clock)
    assert attempts.after(TransientError(250)) == 1.0
    clock.now += 1.0
    with pytest.raises(TransientError):
        attempts.after(TransientError(250))  # 2 s more would end past the deadline


def test_check_time_raises_once_the_deadline_passed() -> None:
    clock = Clock()
    attempts = Attempts(RetryPolicy(), deadline=clock.now + 1, clock=clock)
    attempts.check_time("before sending")
    clock.now += 1
    with pytest.raises(DeadlineExceeded, match="before sending"):
        attempts.check_time("before sending")


@given(st.integers(1, 30), st.floats(0, 10), st.floats(0, 60), st.floats(0, 1))
def test_backoff_is_capped_and_jittered_within_half_to_full(attempt, backoff, cap, jitter):
    policy = RetryPolicy(backoff=backoff, max_backoff=cap, jitter=lambda: jitter)
    ceiling = min(cap, backoff * 2 ** (attempt - 1))
    assert ceiling / 2 - 1e-9 <= policy.delay(attempt) <= ceiling + 1e-9


def test_busy_means_transient_codes_and_failed_connections() -> None:
    assert is_busy(TransientError(250)) and is_busy(ConnectError("refused"))
    assert not is_busy(ReadError("cut")) and not is_busy(CredentialsError(211))
    assert not is_busy(None)


def test_a_negative_retry_count_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="retries must be an integer >= 0"):
        RetryPolicy(retries=-1)
