"""Bank cards: the number with a box per digit, the issuing bank, card name and type.

The document type's declared fields check the scalars (the number's Luhn check digit);
:meth:`BankCardResult.field` gives each one's raw text, ``normalized`` value and ``issues``.
The per-digit characters are also compared with the number: when they disagree the number
carries a ``bankcard.digits`` issue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ProtocolError
from ..fields import Field, Issue, Occurrence, evaluate
from ..fields.normalizers import compact
from ._payload import as_list, member, object_at, optional_box, optional_text
from .base import Box, FieldValue, Result

if TYPE_CHECKING:
    from ..protocol import Reply

__all__ = ["BankCardResult", "Digit", "parse_bankcard"]


@dataclass(frozen=True)
class Digit:
    """One recognized digit of the card number and where it is."""

    char: str
    box: Box | None


_SCALARS = {
    "number": "CardNumber",
    "bank_name": "BankName",
    "bank_id": "BankID",
    "card_name": "CardName",
    "card_type": "CardType",
    "holder": "UserName",
    "valid_date": "ValidDate",
}


class BankCardResult(Result):
    """A recognized bank card.  Empty strings from the service become ``None``."""

    kind = "bankcard"

    def __init__(
        self,
        document_type: str,
        *,
        digits: list[Digit],
        raw: dict[str, Any],
        reply: Reply | None = None,
        values: Mapping[str, FieldValue] | None = None,
        **scalars: str | None,
    ) -> None:
        self.document_type = document_type
        self.digits = digits
        self.number: str | None = scalars.get("number")
        self.bank_name: str | None = scalars.get("bank_name")
        self.bank_id: str | None = scalars.get("bank_id")
        self.card_name: str | None = scalars.get("card_name")
        self.card_type: str | None = scalars.get("card_type")
        self.holder: str | None = scalars.get("holder")
        self.valid_date: str | None = scalars.get("valid_date")
        self.raw = raw
        self.reply = reply
        given = dict(values or {})
        #: Every scalar with its normalized value and issues, by attribute name.
        self.values: dict[str, FieldValue] = {
            name: given.get(name) or FieldValue(name, scalars.get(name)) for name in _SCALARS
        }

    def field(self, name: str) -> FieldValue:
        """``number``, ``bank_name``, ... with raw text, normalized value and issues."""
        if name not in self.values:
            raise KeyError(f"bank card has no field {name!r}; fields: {list(self.values)}")
        return self.values[name]

    @property
    def issues(self) -> list[Issue]:
        return [i for value in self.values.values() for i in value.issues]

    def rows(self) -> list[tuple[str, str, str]]:
        return [(name, getattr(self, name) or "", "") for name in _SCALARS]

    def _payload_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {name: getattr(self, name) for name in _SCALARS}
        data["digits"] = [
            {"char": d.char, "box": list(d.box) if d.box else None} for d in self.digits
        ]
        data["checks"] = {name: value.to_dict() for name, value in self.values.items()}
        return data

    @classmethod
    def _from_payload(cls, data: dict[str, Any]) -> BankCardResult:
        digits = [Digit(d["char"], Box(*d["box"]) if d["box"] else None) for d in data["digits"]]
        checks = data.get("checks", {})
        return cls(
            data["document_type"],
            digits=digits,
            raw=data["raw"],
            values={name: FieldValue.from_dict(name, data[name], checks[name])
                    for name in _SCALARS if name in checks},
            **{name: data[name] for name in _SCALARS},
        )

    def __repr__(self) -> str:
        return (
            f"<BankCardResult {self.document_type} {self.bank_name!r} number={self.number!r}>"
        )


def check_scalars(
    scalars: Mapping[str, str | None], digits: Sequence[Digit], fields: Sequence[Field]
) -> dict[str, FieldValue]:
    """Normalize and check the scalars against the declared ``fields`` (keyed by attribute
    name), and the per-digit characters against the number."""
    names = list(_SCALARS)
    checked, _ = evaluate(fields, [Occurrence(n, n, scalars.get(n)) for n in names])
    values = {n: FieldValue(n, scalars.get(n), c.normalized, c.issues)
              for n, c in zip(names, checked, strict=True)}
    number = scalars.get("number")
    if digits and number:
        read = "".join(d.char for d in digits)
        if compact(read) != compact(number):
            values["number"].issues.append(Issue(
                "number", "bankcard.digits",
                f"the per-digit positions read {read!r}, the number is {number!r}"))
    return values


def parse_bankcard(
    reply: Reply, document_type: str, fields: Sequence[Field] = ()
) -> BankCardResult:
    data = object_at(reply.data, "data")
    forms = object_at(member(data, "forms", "data"), "data.forms")
    form = object_at(member(forms, "form", "data.forms"), "data.forms.form")
    path = "data.forms.form"
    scalars = {
        name: (optional_text(form, wire, path) or None) for name, wire in _SCALARS.items()
    }
    digits: list[Digit] = []
    positions = form.get("CardNumberPos")
    if positions is not None:
        positions = object_at(positions, f"{path}.CardNumberPos")
        numbers = as_list(positions.get("Number"), f"{path}.CardNumberPos.Number")
        for i, entry in enumerate(numbers):
            where = f"{path}.CardNumberPos.Number[{i}]"
            entry = object_at(entry, where)
            char = optional_text(entry, "num", where)
            if char is None:
                raise ProtocolError(f"{where}: missing member 'num'")
            digits.append(Digit(char, optional_box(entry, where)))
    return BankCardResult(
        document_type, digits=digits, raw=reply.envelope, reply=reply,
        values=check_scalars(scalars, digits, fields), **scalars,
    )
