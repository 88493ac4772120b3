"""Normalized values survive JSON; full-width folding undoes full width and nothing else."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lingyun.fields import Period, codec
from lingyun.fields.normalizers import fold_fullwidth

values = st.one_of(
    st.none(), st.text(), st.integers(), st.booleans(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.builds(Period, st.dates(), st.none() | st.dates()),
)


@settings(deadline=None)  # a shared machine: timing is no property
@given(values)
def test_every_normalized_type_round_trips_through_json(value: object) -> None:
    stored = json.loads(json.dumps(codec.encode(value)))
    back = codec.decode(stored)
    assert back == value and type(back) is type(value)


def test_the_stored_forms() -> None:
    assert codec.encode(Decimal("230000.00")) == {"decimal": "230000.00"}
    assert codec.encode(datetime.date(2014, 11, 1)) == {"date": "2014-11-01"}
    assert codec.encode(Period(datetime.date(2015, 1, 1), None)) == {
        "period": [{"date": "2015-01-01"}, None]}
    with pytest.raises(TypeError):
        codec.encode(object())
    assert not codec.encodable(b"bytes")


@settings(deadline=None)  # a shared machine: timing is no property
@given(st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E)))
def test_full_width_folds_back_to_ascii(ascii_text: str) -> None:
    wide = "".join(chr(ord(c) + 0xFEE0) for c in ascii_text)
    assert fold_fullwidth(wide) == ascii_text


@settings(deadline=None)  # a shared machine: timing is no property
@given(st.text())
def test_folding_touches_only_full_width_ascii(text: str) -> None:
    folded = fold_fullwidth(text)
    assert len(folded) == len(text)
    for before, after in zip(text, folded, strict=True):
        if before != after:
            assert "\uff01" <= before <= "\uff5e" or before == "\u3000"
