"""Strict decimal parsing: ASCII digits only, bounded length, named errors."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingyun.digits import BadNumber, is_uint, parse_int, parse_uint


@pytest.mark.parametrize("text", ["²", "٣", "1_000", "+5", "0x10", "", " ", "1.0", "1e3", "１"])
def test_parse_uint_refuses_what_int_would_take_or_garble(text):
    with pytest.raises(BadNumber, match="ASCII digits"):
        parse_uint(text, "json-length")


def test_parse_uint_bounds_the_number_of_digits():
    with pytest.raises(BadNumber, match="5000 digits"):
        parse_uint("7" * 5000, "templateIndex")
    assert parse_uint("9" * 19) == 10**19 - 1


def test_parse_uint_strips_header_blanks_and_reads_bytes_as_latin1():
    assert parse_uint(" 42\t") == 42
    assert parse_uint(b"17") == 17
    with pytest.raises(BadNumber):
        parse_uint(b"\xb2")
    with pytest.raises(BadNumber):
        parse_uint(" 42", strip=False)


def test_parse_int_takes_one_leading_minus():
    assert parse_int("-1") == -1
    with pytest.raises(BadNumber):
        parse_int("--1")
    with pytest.raises(BadNumber, match="NoneType, not a number"):
        parse_int(None, "error")


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=255), max_size=30))
def test_parse_uint_on_latin1_accepts_exactly_ascii_digit_strings(text):
    stripped = text.strip(" \t")
    expected_ok = (stripped != "" and all("0" <= c <= "9" for c in stripped)
                   and len(stripped) <= 19)
    try:
        value = parse_uint(text)
    except BadNumber:
        assert not expected_ok
    else:
        assert expected_ok and value == int(stripped)
    assert is_uint(text) == (expected_ok and text == stripped)
