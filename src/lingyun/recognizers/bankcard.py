"""Bank cards (银行卡): the number by its Luhn check digit, with a box per digit.

A card carries many digit runs (dates, phone numbers, the BIN printed small).  The number
is the run of 13 to 19 digits that passes the Luhn check (python-stdnum) -- when the engine
glued a neighbouring group on, the largest Luhn-valid stretch of whole printed groups --
preferring the tallest print.  When no run passes, the tallest 13-19 digit run is answered
as read, so the caller's validation reports the failed check instead of losing the field.

The bank's name is the printed text ending in 银行 (or 信用社); the card type is answered
when the card prints one (借记卡, 信用卡, 准贷记卡, 贷记卡); the holder is the line of
capital Latin words; the expiry is ``MM/YY``.  ``BankID`` and ``CardName`` need the issuer's
BIN table, which the local engine does not have: they are answered empty, never guessed.
"""

from __future__ import annotations

import re
from typing import Any

from stdnum import luhn

from .page import DigitRun, Page, digit_runs
from .vendor import box_members

__all__ = ["read_bankcard"]

NUMBER_LENGTHS = range(13, 20)
_BANK = re.compile(r"[\u4e00-\u9fff]{2,12}?(银行|信用社)")
_CARD_TYPES = ("准贷记卡", "借记卡", "贷记卡", "信用卡")
_VALID = re.compile(r"(?<!\d)(0[1-9]|1[0-2])/(\d{2})(?!\d)")
_HOLDER = re.compile(r"[A-Z]{2,}(?: [A-Z]{1,})+|[A-Z]{4,}")
#: Latin words printed on cards that are not a holder's name.
_NOT_HOLDER = frozenset({"VALID", "THRU", "VALIDTHRU", "UNIONPAY", "VISA", "DEBIT", "CREDIT",
                         "MASTERCARD", "GOOD", "MONTH", "YEAR", "CARD", "BANK", "ATM"})


def _valid(digits: str) -> bool:
    return luhn.is_valid(digits)


def _luhn_stretches(run: DigitRun) -> list[DigitRun]:
    """``run`` itself if it is a valid number, else its valid stretches of whole groups."""
    if len(run.digits) in NUMBER_LENGTHS and _valid(run.digits):
        return [run]
    groups = run.groups()
    found = []
    for start in range(len(groups)):
        joined = groups[start]
        for stop in range(start + 1, len(groups) + 1):
            if stop > start + 1:
                joined = joined.join(groups[stop - 1])
            if len(joined.digits) in NUMBER_LENGTHS and _valid(joined.digits):
                found.append(joined)
    return found


def card_number(page: Page) -> DigitRun | None:
    """The card number: Luhn-valid first, then longest, then tallest; else the tallest
    run of a card number's length as read."""
    runs = digit_runs(page)
    valid = [s for run in runs for s in _luhn_stretches(run)]
    if valid:
        return max(valid, key=lambda r: (len(r.digits), r.char_height))
    plausible = [r for r in runs if len(r.digits) in NUMBER_LENGTHS]
    return max(plausible, key=lambda r: r.char_height) if plausible else None


def _holder(page: Page) -> str:
    for line in page.reading_order():
        text = line.text.strip()
        match = _HOLDER.fullmatch(text)
        if match and not set(text.split()) & _NOT_HOLDER and text not in _NOT_HOLDER:
            return text
    return ""


def read_bankcard(page: Page) -> dict[str, Any]:
    """The card in the vendor's ``data`` shape (SPEC §4, bank card)."""
    number = card_number(page)
    text = "\n".join(line.all.compact for line in page.reading_order())
    bank = _BANK.search(text)
    valid = _VALID.search(text)
    form: dict[str, Any] = {
        "CardNumber": number.digits if number else "",
        "CardNumberPos": {"Number": [
            {"num": digit, **box_members(char.box)}
            for digit, char in zip(number.digits, number.chars, strict=True)
        ] if number else []},
        "BankName": bank.group(0) if bank else "",
        "BankID": "",
        "CardName": "",
        "CardType": next((t for t in _CARD_TYPES if t in text), ""),
        "UserName": _holder(page),
        "ValidDate": valid.group(0) if valid else "",
    }
    return {"forms": {"form": form}}
