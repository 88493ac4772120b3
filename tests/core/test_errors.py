from __future__ import annotations

import pickle

import pytest

from lingyun.errors import (
    ERROR_CODES,
    AccountError,
    CredentialsError,
    RequestError,
    RoutingError,
    ServiceError,
    TransientError,
    UnsupportedError,
    error_for_code,
)

# SPEC §6, "Groups that matter to a caller", written out code by code.
EXPECTED_GROUP = {
    -1: TransientError,
    **{c: CredentialsError for c in (190, 191, 192, 193, 200, 201, 202, 210, 211, 212,
                                     213, 214, 215)},
    **{c: RequestError for c in range(220, 235)},
    240: AccountError,
    250: TransientError,
    260: RoutingError,
    261: UnsupportedError,
    262: UnsupportedError,
}


def test_every_spec_code_has_a_group() -> None:
    assert set(EXPECTED_GROUP) == set(ERROR_CODES) - {0}


@pytest.mark.parametrize(("code", "group"), sorted(EXPECTED_GROUP.items()))
def test_code_maps_to_its_group(code: int, group: type[ServiceError]) -> None:
    error = error_for_code(code, "服务端文本")
    assert type(error) is group
    assert error.code == code
    assert error.text == "服务端文本"
    assert str(code) in str(error) and ERROR_CODES[code] in str(error)
    assert error.retryable is (group is TransientError)


def test_unsupported_is_a_request_error() -> None:
    assert isinstance(error_for_code(262), RequestError)


def test_unknown_code_keeps_the_code() -> None:
    error = error_for_code(999, "new")
    assert type(error) is ServiceError
    assert error.code == 999 and error.meaning == "unknown code"
    assert not error.retryable


def test_errors_survive_pickling_for_process_pools() -> None:
    error = pickle.loads(pickle.dumps(error_for_code(250, "网络错误")))
    assert isinstance(error, TransientError) and error.code == 250 and error.text == "网络错误"
