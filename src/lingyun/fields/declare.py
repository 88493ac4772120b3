"""How a template declares a field: :class:`Field` (key, Chinese name, kind, checks).

::

    from lingyun.fields import Field, kinds, validators

    FIELDS = [
        Field("id_number", "身份证号码", kinds.ID_NUMBER, required=True,
              validators=[validators.id_birth_date("birth_date")]),
        Field("birth_date", "出生日期", kinds.DATE),
    ]

``name`` is the service's field name (the Chinese label), ``key`` the stable English key the
result answers to.  This declaration is different from :class:`lingyun.results.Field`, the
recognised cell in a result, which carries the value, ``normalized`` and ``issues``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import UsageError
from .kinds import TEXT, Kind
from .validators import Validator

__all__ = ["Field", "check_unique", "fields_from_keys"]


@dataclass(frozen=True)
class Field:
    """A declared template field.

    ``normalisers`` (``str -> str``) run after the kind's own text preparation and before its
    reader; ``validators`` run after the kind's.  ``required`` fields that are absent or
    empty get a ``required`` issue.
    """

    key: str
    name: str
    kind: Kind = TEXT
    required: bool = False
    validators: tuple[Validator, ...] = ()
    normalisers: tuple[Callable[[str], str], ...] = ()
    help: str = ""

    def __post_init__(self) -> None:
        # Lists are accepted for convenience; the declaration stays hashable and immutable.
        object.__setattr__(self, "validators", tuple(self.validators))
        object.__setattr__(self, "normalisers", tuple(self.normalisers))
        for check in self.validators:
            if not isinstance(check, Validator):
                raise UsageError(
                    f"field {self.key!r}: validators must be lingyun.fields.Validator "
                    f"(use the @validator decorator), got {type(check).__name__}"
                )

    @property
    def all_validators(self) -> tuple[Validator, ...]:
        """The kind's validators, then the field's own."""
        return self.kind.validators + self.validators

    def describe(self) -> dict[str, Any]:
        """A JSON-ready description (``lingyun types --format json``, docs/documents.md)."""
        return {
            "key": self.key,
            "name": self.name,
            "kind": self.kind.name,
            "type": self.kind.python_type,
            "required": self.required,
            "validators": [x.describe() for x in self.all_validators],
            "normalisers": [getattr(n, "__name__", repr(n)) for n in self.normalisers],
            "help": self.help,
        }


def fields_from_keys(keys: Mapping[str, str]) -> tuple[Field, ...]:
    """The ``keys={service name: key}`` shorthand as text fields."""
    return tuple(Field(key, name) for name, key in keys.items())


def check_unique(fields: Iterable[Field], owner: str) -> None:
    """Keys and names must be unique in one template (lookups would be ambiguous)."""
    seen_keys: set[str] = set()
    seen_names: set[str] = set()
    for f in fields:
        if f.key in seen_keys or f.name in seen_names:
            raise UsageError(f"{owner}: field {f.key!r} ({f.name}) is declared twice")
        seen_keys.add(f.key)
        seen_names.add(f.name)
