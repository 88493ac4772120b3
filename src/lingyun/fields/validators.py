"""Checks on normalized values: a :class:`Validator` names a check and says what failed.

A validator is a function of the field's normalized value that returns ``None`` when the
value passes, or a message (or several) saying why not.  Cross-field checks name the other
fields they need in ``uses``; the evaluator passes those fields' normalized values after the
field's own, and skips the check (no issue) when one of them is missing or unreadable -- that
field carries its own issue already.  Third-party templates write theirs the same way::

    from lingyun.fields import validator

    @validator("acme.receipt_number")
    def receipt_number(value: str) -> str | None:
        \"\"\"Receipt numbers are AC- and eight digits.\"\"\"
        return None if re.fullmatch(r"AC-\\d{8}", value) else "not AC- and eight digits"

Check digits reuse python-stdnum (resident ID, unified social credit code, ISO 7064, Luhn);
VIN (ISO 3779), the Hong Kong identity card and MRZ (ICAO 9303) checks are written here
because stdnum has no module for them.  stdnum is imported by the checks that use it, on
their first call: ``import lingyun`` does not load it.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .normalizers import Period, two_digit_year

__all__ = [
    "Validator",
    "amount_matches_words",
    "bank_card_luhn",
    "email",
    "equals_field",
    "hk_identity_card",
    "id_birth_date",
    "id_card_validity",
    "id_sex",
    "length",
    "mrz_matches",
    "mrz_passport",
    "mrz_permit",
    "not_in_future",
    "one_of",
    "pattern",
    "phone",
    "product_of",
    "registration_number",
    "resident_id",
    "sum_of",
    "tax_id",
    "uscc",
    "validator",
    "vin",
]

#: What a check returns: ``None`` (passes), a message, or several messages.
CheckResult = str | Iterable[str] | None


@dataclass(frozen=True)
class Validator:
    """A named check.  ``check(value, *others)`` gets the field's normalized value, then the
    normalized values of the fields named in ``uses``, and returns :data:`CheckResult`."""

    name: str
    check: Callable[..., CheckResult]
    uses: tuple[str, ...] = ()
    description: str = ""

    def run(self, value: Any, *others: Any) -> list[str]:
        """The failure messages (empty when the value passes)."""
        result = self.check(value, *others)
        if result is None:
            return []
        if isinstance(result, str):
            return [result]
        return [str(message) for message in result]

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "uses": list(self.uses), "description": self.description}


def validator(
    name: str, *, uses: Sequence[str] = (), description: str | None = None
) -> Callable[[Callable[..., CheckResult]], Validator]:
    """Decorator making a function a :class:`Validator`; the docstring's first line is its
    description unless one is given."""

    def wrap(check: Callable[..., CheckResult]) -> Validator:
        doc = (check.__doc__ or "").strip().splitlines()
        return Validator(name, check, tuple(uses), description or (doc[0] if doc else ""))

    return wrap


# --- generic --------------------------------------------------------------------------------

def pattern(name: str, regex: str, what: str) -> Validator:
    """The value matches ``regex`` in full; ``what`` says what was expected."""
    compiled = re.compile(regex)
    return Validator(
        name,
        lambda value: None if compiled.fullmatch(str(value)) else f"{value!r} is not {what}",
        description=f"is {what}",
    )


def length(name: str, *allowed: int) -> Validator:
    """The value has one of the ``allowed`` lengths."""
    shown = " or ".join(str(n) for n in allowed)
    return Validator(
        name,
        lambda value: None if len(value) in allowed
        else f"{value!r} has {len(value)} characters, expected {shown}",
        description=f"has {shown} characters",
    )


def one_of(name: str, *choices: Validator) -> Validator:
    """Passes when any of ``choices`` passes (a buyer is a person or an organization)."""

    def check(value: Any) -> CheckResult:
        failures = []
        for choice in choices:
            messages = choice.run(value)
            if not messages:
                return None
            failures.append(f"{choice.name}: {'; '.join(messages)}")
        return "fails every alternative -- " + " | ".join(failures)

    return Validator(name, check, description=" or ".join(c.description for c in choices))


# --- identity numbers -----------------------------------------------------------------------

@validator("cn.ric")
def resident_id(value: str) -> CheckResult:
    """Resident identity number: 18 characters, check digit (ISO 7064 MOD 11-2), birth date
    and a known region code (python-stdnum ``cn.ric``)."""
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit()
                                                             or value[17] == "X"):
        return f"{value!r} is not 17 digits and a check character"
    from stdnum.cn import ric as _ric
    from stdnum.exceptions import ValidationError

    problems = []
    expected = _ric.calc_check_digit(value)
    if value[17] != expected:
        problems.append(f"check digit is {value[17]}, the other digits give {expected}")
    try:
        _ric.get_birth_date(value)
    except ValidationError:
        problems.append(f"digits 7-14 ({value[6:14]}) are no calendar date")
    if not _known_region(value[:6]):
        problems.append(f"region code {value[:6]} is unknown")
    return problems


@functools.lru_cache(maxsize=4096)
def _known_region(code: str) -> bool:
    """Whether stdnum's table of county codes ever had ``code``.  Not stdnum's stricter
    ``get_birth_place``, which wants the county to exist in the birth year: numbers are
    issued at registration, so a county created later appears on older people's cards."""
    from stdnum import numdb

    found = {k for _, props in numdb.get("cn/loc").info(code) for k in props}
    return "county" in found


@validator("cn.uscc")
def uscc(value: str) -> CheckResult:
    """Unified social credit code (统一社会信用代码): 18 characters with two check characters
    (python-stdnum ``cn.uscc``)."""
    from stdnum.cn import uscc as _uscc
    from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

    try:
        _uscc.validate(value)
    except InvalidLength:
        return f"{value!r} has {len(value)} characters, a credit code has 18"
    except InvalidChecksum:
        return f"{value!r}: the check character is wrong"
    except ValidationError:
        return f"{value!r} is not a unified social credit code"
    return None


@validator("cn.registration_number")
def registration_number(value: str) -> CheckResult:
    """Business licence number: an 18-character credit code or a 15-digit registration
    number (check digit ISO 7064 MOD 11-10)."""
    if len(value) == 18:
        return uscc.run(value)
    if len(value) == 15 and value.isdigit():
        from stdnum.iso7064 import mod_11_10 as _mod_11_10

        return None if _mod_11_10.is_valid(value) else f"{value!r}: the check digit is wrong"
    return f"{value!r} is neither an 18-character credit code nor a 15-digit number"


@validator("cn.tax_id")
def tax_id(value: str) -> CheckResult:
    """Taxpayer number: an 18-character credit code, or the older 15, 17 or 20 characters."""
    if len(value) == 18:
        return uscc.run(value)
    if len(value) in (15, 17, 20) and value.isalnum() and value.isascii():
        return None
    return f"{value!r} is not a taxpayer number (15, 17, 18 or 20 letters and digits)"


@validator("hk.hkid")
def hk_identity_card(value: str) -> CheckResult:
    """Hong Kong identity card: one or two letters, six digits, check digit in brackets."""
    m = re.fullmatch(r"([A-Z]{1,2})(\d{6})\(?([0-9A])\)?", value)
    if not m:
        return f"{value!r} is not one or two letters, six digits and a check digit"
    letters = m[1].rjust(2, " ")
    values = [36 if c == " " else ord(c) - 55 for c in letters] + [int(d) for d in m[2]]
    total = sum(v * w for v, w in zip(values, range(9, 1, -1), strict=True))
    expected = "0123456789A"[(11 - total % 11) % 11]
    return None if m[3] == expected else f"check digit is {m[3]}, expected {expected}"


# --- cards and vehicles ---------------------------------------------------------------------

@validator("luhn")
def bank_card_luhn(value: str) -> CheckResult:
    """Bank card number: 12 to 19 digits passing the Luhn check (python-stdnum ``luhn``)."""
    if not (value.isdigit() and value.isascii() and 12 <= len(value) <= 19):
        return f"{value!r} is not 12 to 19 digits"
    from stdnum import luhn as _luhn

    return None if _luhn.is_valid(value) else f"{value!r} fails the Luhn check"


_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)), "P": 7, "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


@validator("vin")
def vin(value: str) -> CheckResult:
    """Vehicle identification number (ISO 3779): 17 characters without I, O, Q, and the
    check character in position 9, which China (GB 16735) and North America require."""
    if len(value) != 17:
        return f"{value!r} has {len(value)} characters, a VIN has 17"
    bad = sorted({c for c in value if c not in _VIN_VALUES})
    if bad:
        return f"{value!r} contains {''.join(bad)!r}, not allowed in a VIN"
    total = sum(_VIN_VALUES[c] * w for c, w in zip(value, _VIN_WEIGHTS, strict=True))
    expected = "0123456789X"[total % 11]
    return None if value[8] == expected else f"check character is {value[8]}, expected {expected}"


# --- contact details ------------------------------------------------------------------------

@validator("phone")
def phone(value: str) -> CheckResult:
    """Phone number: a mobile (11 digits from 13-19), a landline with area code (0 and 9-11
    more digits), a local 7-8 digit number, or + and 7-15 digits."""
    if re.fullmatch(r"1[3-9]\d{9}|0\d{9,11}|\d{7,8}|\+\d{7,15}", value):
        return None
    return f"{value!r} is not a phone number"


@validator("email")
def email(value: str) -> CheckResult:
    """E-mail address: local part, @, a dotted domain."""
    ok = re.fullmatch(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+", value)
    return None if ok else f"{value!r} is not an e-mail address"


# --- machine-readable zones -----------------------------------------------------------------

def _mrz_digit(text: str) -> str:
    """ICAO 9303 check digit: weights 7, 3, 1; A=10 .. Z=35, '<'=0."""
    def number(c: str) -> int:
        return int(c) if c.isdigit() else 0 if c == "<" else ord(c) - 55
    return str(sum(number(c) * (7, 3, 1)[i % 3] for i, c in enumerate(text)) % 10)


def _mrz_checks(line: str, parts: Iterable[tuple[str, int, int, int]]) -> list[str]:
    problems = []
    for what, start, stop, at in parts:
        got, expected = line[at], _mrz_digit(line[start:stop])
        if got != expected:
            problems.append(f"{what} check digit is {got!r}, expected {expected}")
    return problems


_MRZ_CHARS = re.compile(r"[A-Z0-9<]+")


@validator("mrz.td3")
def mrz_passport(value: str) -> CheckResult:
    """Passport MRZ line 2 (ICAO 9303 TD3, 44 characters): the check digits of the number,
    birth date, expiry date, personal number and the composite."""
    if len(value) != 44 or not _MRZ_CHARS.fullmatch(value):
        return f"{len(value)} characters; a passport's second MRZ line is 44 of A-Z, 0-9, <"
    composite = value[0:10] + value[13:20] + value[21:43]
    return _mrz_checks(value, (
        ("document number", 0, 9, 9), ("birth date", 13, 19, 19), ("expiry date", 21, 27, 27),
        ("personal number", 28, 42, 42),
    )) + (["composite check digit is wrong"] if value[43] != _mrz_digit(composite) else [])


@validator("mrz.cn_permit")
def mrz_permit(value: str) -> CheckResult:
    """Mainland travel permit MRZ (30 characters: type, number, expiry, birth date, each with
    its ICAO check digit, and a composite over the three)."""
    if len(value) != 30 or not _MRZ_CHARS.fullmatch(value):
        return f"{len(value)} characters; a permit's MRZ line is 30 of A-Z, 0-9, <"
    problems = _mrz_checks(value, (
        ("document number", 2, 11, 11), ("expiry date", 13, 19, 19), ("birth date", 21, 27, 27),
    ))
    if value[29] != _mrz_digit(value[2:12] + value[13:20] + value[21:28]):
        problems.append("composite check digit is wrong")
    return problems


def _mrz_date(text: str, *, future: bool) -> datetime.date | None:
    if not text.isdigit():
        return None
    yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:6])
    year = 2000 + yy if future else two_digit_year(yy)
    try:
        return datetime.date(year, mm, dd)
    except ValueError:
        return None


#: Where each element sits in a supported MRZ line, by its length.
_MRZ_LAYOUT = {
    44: {"number": (0, 9), "birth_date": (13, 19), "expiry_date": (21, 27)},
    30: {"number": (2, 11), "expiry_date": (13, 19), "birth_date": (21, 27)},
}


def mrz_matches(element: str, other: str) -> Validator:
    """The MRZ's ``element`` (``number``, ``birth_date``, ``expiry_date``) agrees with the
    field ``other`` (a code, a date or a period whose end is the expiry)."""

    def check(line: str, printed: Any) -> CheckResult:
        where = _MRZ_LAYOUT.get(len(line), {}).get(element)
        if where is None:
            return None  # the layout check reports the length
        text = line[where[0]:where[1]]
        if element == "number":
            got: Any = text.rstrip("<")
        else:
            got = _mrz_date(text, future=element == "expiry_date")
        if isinstance(printed, Period):
            printed = printed.end
        if got is None or printed is None:
            return None
        return None if got == printed else f"MRZ {element} {got} differs from {other} {printed}"

    return Validator(f"mrz.{element}", check, (other,), f"MRZ {element} equals {other}")


@validator("date.not_in_future")
def not_in_future(value: datetime.date) -> CheckResult:
    """A date that has happened (a birth or issue date): not after today."""
    today = datetime.date.today()
    return None if value <= today else f"{value} is in the future (today is {today})"


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


@validator("cn.ric.validity")
def id_card_validity(period: Period) -> CheckResult:
    """A resident ID card is valid for 5, 10 or 20 years from the issue date, or 长期."""
    if period.end is None:
        return None
    if any(period.end == _years_later(period.start, n) for n in (5, 10, 20)):
        return None
    return (f"{period.start} to {period.end} is not the 5, 10 or 20 years "
            "a resident ID card is valid for")


# --- cross-field ----------------------------------------------------------------------------

def id_birth_date(other: str) -> Validator:
    """The resident ID's birth date (digits 7-14) equals the field ``other``."""

    def check(number: str, birth: datetime.date) -> CheckResult:
        from stdnum.cn import ric as _ric
        from stdnum.exceptions import ValidationError

        try:
            encoded = _ric.get_birth_date(number)
        except (ValidationError, ValueError):
            return None  # resident_id reports it
        if encoded != birth:
            return f"the number gives birth date {encoded}, {other} says {birth}"
        return None

    return Validator("cn.ric.birth_date", check, (other,), f"birth date in the number = {other}")


def id_sex(other: str) -> Validator:
    """The resident ID's 17th digit (odd: male, even: female) agrees with the field ``other``."""

    def check(number: str, sex: str) -> CheckResult:
        if len(number) < 17 or not number[16].isdigit():
            return None
        encoded = "M" if int(number[16]) % 2 else "F"
        return None if encoded == sex else f"the number gives sex {encoded}, {other} says {sex}"

    return Validator("cn.ric.sex", check, (other,), f"sex digit of the number agrees with {other}")


def equals_field(name: str, other: str) -> Validator:
    """The value equals the field ``other``'s (e.g. MRZ number and printed number)."""
    return Validator(
        name,
        lambda value, theirs: None if value == theirs else f"{value!r} differs from {other} "
        f"{theirs!r}",
        (other,),
        f"equals {other}",
    )


def amount_matches_words(words: str) -> Validator:
    """The amount in figures equals the amount in Chinese words in the field ``words``."""

    def check(figures: Decimal, in_words: Decimal) -> CheckResult:
        if figures == in_words:
            return None
        return f"figures say {figures}, {words} says {in_words}"

    return Validator("money.words", check, (words,), f"equals the amount in words ({words})")


def sum_of(*parts: str) -> Validator:
    """The value equals the sum of the fields ``parts`` (a total and its amounts)."""

    def check(total: Decimal, *amounts: Decimal) -> CheckResult:
        added = sum(amounts, Decimal(0))
        return None if added == total else f"{total} is not {' + '.join(parts)} = {added}"

    return Validator("money.sum", check, tuple(parts), f"equals {' + '.join(parts)}")


def product_of(amount: str, rate: str) -> Validator:
    """The value (a tax) equals ``amount`` x ``rate`` to the cent."""

    def check(tax: Decimal, base: Decimal, fraction: Decimal) -> CheckResult:
        expected = (base * fraction).quantize(Decimal("0.01"))
        if abs(expected - tax) <= Decimal("0.01"):
            return None
        return f"{tax} is not {amount} x {rate} = {expected}"

    return Validator("money.tax", check, (amount, rate), f"equals {amount} x {rate}")
