"""JSON form of normalized values, so ``to_dict()`` / ``from_dict()`` lose nothing.

Strings, integers, booleans and ``None`` are themselves; the other types a kind produces are
tagged: ``{"date": "2015-12-25"}``, ``{"decimal": "201508.66"}``, ``{"period": [start, end]}``.
A value of any other type (a plugin normalizer returning something exotic) cannot be stored
and is reported as an issue by the evaluator instead.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from .normalizers import Period

__all__ = ["decode", "encodable", "encode"]


def encodable(value: Any) -> bool:
    """Whether :func:`encode` can store ``value``."""
    if isinstance(value, Period):
        return encodable(value.start) and encodable(value.end)
    return value is None or isinstance(value, str | int | bool | Decimal | datetime.date)


def encode(value: Any) -> Any:
    """The JSON-ready form of a normalized value."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, Period):
        return {"period": [encode(value.start), encode(value.end)]}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    raise TypeError(f"cannot store a normalized {type(value).__name__}")


def decode(data: Any) -> Any:
    """The normalized value :func:`encode` stored."""
    if not isinstance(data, dict):
        return data
    if set(data) == {"decimal"}:
        return Decimal(data["decimal"])
    if set(data) == {"date"}:
        return datetime.date.fromisoformat(data["date"])
    if set(data) == {"period"}:
        start, end = data["period"]
        return Period(decode(start), decode(end))
    raise ValueError(f"unknown normalized value {sorted(data)}")
