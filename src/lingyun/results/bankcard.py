"""Bank cards: the number with a box per digit, the issuing bank, card name and type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ProtocolError
from ._payload import as_list, member, object_at, optional_box, optional_text
from .base import Box, Result

if TYPE_CHECKING:
    from ..protocol import Reply

__all__ = ["BankCardResult", "Digit", "parse_bankcard"]


@dataclass(frozen=True)
class Digit:
    """One recognised digit of the card number and where it is."""

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
    """A recognised bank card.  Empty strings from the service become ``None``."""

    kind = "bankcard"

    def __init__(
        self,
        document_type: str,
        *,
        digits: list[Digit],
        raw: dict[str, Any],
        reply: Reply | None = None,
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

    def rows(self) -> list[tuple[str, str, str]]:
        return [(name, getattr(self, name) or "", "") for name in _SCALARS]

    def _payload_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {name: getattr(self, name) for name in _SCALARS}
        data["digits"] = [
            {"char": d.char, "box": list(d.box) if d.box else None} for d in self.digits
        ]
        return data

    @classmethod
    def _from_payload(cls, data: dict[str, Any]) -> BankCardResult:
        digits = [Digit(d["char"], Box(*d["box"]) if d["box"] else None) for d in data["digits"]]
        return cls(
            data["document_type"],
            digits=digits,
            raw=data["raw"],
            **{name: data[name] for name in _SCALARS},
        )

    def __repr__(self) -> str:
        return (
            f"<BankCardResult {self.document_type} {self.bank_name!r} number={self.number!r}>"
        )


def parse_bankcard(reply: Reply, document_type: str) -> BankCardResult:
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
    return BankCardResult(document_type, digits=digits, raw=reply.envelope, reply=reply, **scalars)
