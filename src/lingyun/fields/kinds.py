"""What sort of value a field holds: a :class:`Kind` reads the text into a Python value.

A kind bundles the text normalizers that run first (full-width folding where the field
expects ASCII, compaction for identifiers), the reader that produces the normalized value,
and the validators every value of the kind must pass (a card number's Luhn check).  A
template field adds its own normalizers and validators on top.

==============  ========================  ==========================================
kind            normalized to             checks
==============  ========================  ==========================================
text            ``str`` (spaces collapsed)
code            ``str`` (compacted, upper)
integer         ``int``
date            ``datetime.date``         every date form of the vendor examples
period          :class:`Period`           end not before start
money           ``decimal.Decimal``       figures, at most two decimals
money_words     ``decimal.Decimal``       Chinese capital numerals
percent         ``decimal.Decimal``       ``17%`` -> ``0.17``
sex             ``"M"`` / ``"F"``
id_number       ``str``                   resident ID (check digit, date, region)
hkid            ``str``                   Hong Kong identity card check digit
card_number     ``str``                   Luhn
uscc            ``str``                   unified social credit code
vin             ``str``                   ISO 3779 check character
phone           ``str`` (digits, +)       phone number shape
email           ``str``                   address shape
mrz             ``str``                   (per document: ICAO check digits)
==============  ========================  ==========================================
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import validators as v
from .issues import Invalid
from .normalizers import (
    collapse_spaces,
    compact,
    fold_fullwidth,
    parse_amount_in_words,
    parse_date,
    parse_money,
    parse_percent,
    parse_period,
    parse_sex,
)

__all__ = [
    "CARD_NUMBER",
    "CODE",
    "DATE",
    "EMAIL",
    "HKID",
    "ID_NUMBER",
    "INTEGER",
    "KINDS",
    "MONEY",
    "MONEY_WORDS",
    "MRZ",
    "PERCENT",
    "PERIOD",
    "PHONE",
    "SEX",
    "TEXT",
    "USCC",
    "VIN",
    "Kind",
]


@dataclass(frozen=True)
class Kind:
    """A sort of field value.

    ``prepare`` are text normalizers run in order; ``read`` turns the prepared text into the
    normalized value (raising :class:`~lingyun.fields.issues.Invalid`); ``validators`` run on
    that value.  ``python_type`` names the normalized type for documentation.
    """

    name: str
    read: Callable[[str], Any]
    python_type: str
    prepare: tuple[Callable[[str], str], ...] = ()
    validators: tuple[v.Validator, ...] = ()
    description: str = ""

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.python_type,
            "validators": [x.name for x in self.validators],
            "description": self.description,
        }


def _text(text: str) -> str:
    return text


def _integer(text: str) -> int:
    if not re.fullmatch(r"[+-]?\d{1,18}", text):
        raise Invalid(f"{text!r} is not a whole number", "integer")
    return int(text)


def _phone(text: str) -> str:
    return re.sub(r"[\s\-()（）]", "", fold_fullwidth(text))


_COLLAPSE = (collapse_spaces,)
_ASCII = (fold_fullwidth, collapse_spaces)
_COMPACT = (compact,)

TEXT = Kind("text", _text, "str", _COLLAPSE, description="free text, spaces collapsed")
CODE = Kind("code", _text, "str", _COMPACT,
            description="an identifier: full-width folded, spaces and hyphens removed, upper case")
INTEGER = Kind("integer", _integer, "int", _ASCII, description="a whole number")
DATE = Kind("date", parse_date, "datetime.date", _ASCII, description="a calendar date")
PERIOD = Kind("period", parse_period, "lingyun.fields.Period", _ASCII,
              description="a validity period, start-end (end None for 长期)")
MONEY = Kind("money", parse_money, "decimal.Decimal", _ASCII,
             description="an amount in figures")
MONEY_WORDS = Kind("money_words", parse_amount_in_words, "decimal.Decimal", _COLLAPSE,
                   description="an amount in Chinese capital numerals (大写)")
PERCENT = Kind("percent", parse_percent, "decimal.Decimal", _ASCII,
               description="a rate, as a fraction (17% -> 0.17)")
SEX = Kind("sex", parse_sex, "str", _ASCII, description="M or F")
ID_NUMBER = Kind("id_number", _text, "str", _COMPACT, (v.resident_id,),
                 description="a resident identity number (居民身份证号码)")
HKID = Kind("hkid", _text, "str", _COMPACT, (v.hk_identity_card,),
            description="a Hong Kong identity card number")
CARD_NUMBER = Kind("card_number", _text, "str", _COMPACT, (v.bank_card_luhn,),
                   description="a bank card number")
USCC = Kind("uscc", _text, "str", _COMPACT, (v.uscc,),
            description="a unified social credit code (统一社会信用代码)")
VIN = Kind("vin", _text, "str", _COMPACT, (v.vin,),
           description="a vehicle identification number")
PHONE = Kind("phone", _phone, "str", (), (v.phone,),
             description="a phone number, separators removed")
EMAIL = Kind("email", _text, "str", (fold_fullwidth, str.strip), (v.email,),
             description="an e-mail address")
MRZ = Kind("mrz", _text, "str", (fold_fullwidth, lambda s: re.sub(r"\s", "", s).upper()),
           description="a machine-readable zone line")

#: Every built-in kind by name.
KINDS: dict[str, Kind] = {k.name: k for k in (
    TEXT, CODE, INTEGER, DATE, PERIOD, MONEY, MONEY_WORDS, PERCENT, SEX, ID_NUMBER, HKID,
    CARD_NUMBER, USCC, VIN, PHONE, EMAIL, MRZ,
)}
