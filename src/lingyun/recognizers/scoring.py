"""Field accuracy: a parsed result against the values a test image was rendered with.

Shared by the tests (``tests/recognizers``) and the benchmark (``benchmarks/recognizers.py``)
so both count a field right by the same rule: exactly equal after the result is parsed by
the client's own parser.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..results import BankCardResult, BizCardResult, Result, TemplateResult

__all__ = ["compare", "flatten"]

_BANKCARD_FIELDS = ("number", "holder", "valid_date", "bank_name", "card_type")


def flatten(result: Result) -> dict[str, Any]:
    """A result's fields as ``{key: value}``: template keys, bank-card attributes, or
    business-card items (each a list, since an item can repeat)."""
    if isinstance(result, TemplateResult):
        return {f.key or f.name: f.value for f in result.walk() if f.value is not None}
    if isinstance(result, BankCardResult):
        return {name: getattr(result, name) or "" for name in _BANKCARD_FIELDS}
    if isinstance(result, BizCardResult):
        items: dict[str, list[str]] = {}
        for entry in result:
            items.setdefault(entry.item, []).append(entry.text or "")
        return items
    raise TypeError(f"no field flattening for {type(result).__name__}")


def compare(expected: Mapping[str, Any], got: Mapping[str, Any]) -> dict[str, bool]:
    """``{field: right?}`` for every expected field.  A list is compared as a list; a single
    expected value against a repeated item is right when it is the item's first value."""
    verdict = {}
    for key, want in expected.items():
        have = got.get(key)
        if isinstance(have, list) and not isinstance(want, list):
            have = have[0] if have else None
        verdict[key] = have == want
    return verdict
