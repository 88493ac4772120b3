"""What a failed check leaves behind: an :class:`Issue`, never an exception.

A recognized value that fails a check is still a recognized value -- the caller decides what
to do with a resident ID whose check digit is wrong.  So checks never raise: normalizers raise
:class:`Invalid` internally and the evaluator turns it (and anything a plugin's check raises)
into an :class:`Issue` attached to the field and gathered by ``result.issues``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Invalid", "Issue"]


class Invalid(ValueError):
    """Raised by a normalizer for text it cannot read; becomes an :class:`Issue`.

    ``check`` names the failed check (``"date"``, ``"money"``); by default the kind's name.
    """

    def __init__(self, message: str, check: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.check = check

    def __reduce__(self) -> tuple[type[Invalid], tuple[str, str | None]]:
        # the default (``cls(*args)``) would drop ``check``
        return (type(self), (self.message, self.check))


@dataclass(frozen=True)
class Issue:
    """One failed check on one field.

    ``field`` is the field's path in the result (English keys joined by ``.``, the service's
    name where a field has no key: ``"buyer.buyer_id_number"``); ``check`` names the check
    (``"cn.ric.checksum"``, ``"required"``, ``"acme.receipt_number"``); ``message`` says what
    was wrong in words a person can act on.
    """

    field: str
    check: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message} [{self.check}]"

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "check": self.check, "message": self.message}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Issue:
        return cls(str(data["field"]), str(data["check"]), str(data["message"]))
