from __future__ import annotations

import datetime as dt
import hashlib

from lingyun.signing import format_request_date, session_key, sign


def test_known_answer() -> None:
    # Digests computed independently with coreutils: printf '%s' DATE+KEY | md5sum
    assert session_key("2017-01-19 23:19:41.990000", "devkey") == (
        "603211726022bde2fafc606b28363275"
    )
    # The key is hashed as UTF-8 bytes, so non-ASCII keys sign the same way as elsewhere.
    assert session_key("2017-01-01 10:10:11", "密钥") == "1d29cedc833221556e1ae08698fe5be2"


def test_date_matches_vendor_python_example() -> None:
    moment = dt.datetime(2017, 1, 19, 23, 19, 41, 990000)
    assert format_request_date(moment) == "2017-01-19 23:19:41.990000" == str(moment)
    assert format_request_date(dt.datetime(2017, 1, 1, 10, 10, 11)) == "2017-01-01 10:10:11"


def test_sign_uses_injected_clock() -> None:
    headers = sign("k", lambda: dt.datetime(2020, 2, 2, 2, 2, 2, 5))
    assert headers == {
        "x-request-date": "2020-02-02 02:02:02.000005",
        "x-session-key": hashlib.md5(b"2020-02-02 02:02:02.000005k").hexdigest(),
    }


def test_md5_is_declared_not_for_security(monkeypatch) -> None:
    # FIPS builds of OpenSSL refuse md5 unless the caller says it is not for security;
    # this stand-in refuses the same way.
    real_md5 = hashlib.md5

    def fips_md5(data: bytes = b"", *, usedforsecurity: bool = True):
        if usedforsecurity:
            raise ValueError("[digital envelope routines] unsupported (FIPS mode)")
        return real_md5(data, usedforsecurity=False)

    monkeypatch.setattr(hashlib, "md5", fips_md5)
    assert session_key("2017-01-19 23:19:41.990000", "devkey") == (
        "603211726022bde2fafc606b28363275"
    )
