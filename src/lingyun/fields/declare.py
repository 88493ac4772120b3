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
recognized cell in a result, which carries the value, ``normalized`` and ``issues``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import UsageError
from .kinds import TEXT, Kind
from .validators import Validator

__all__ = ["Field", "check_unique", "fields_from_keys"]


@dataclass(frozen=True, init=False)
class Field:
    """A declared template field.

    ``normalizers`` (``str -> str``) run after the kind's own text preparation and before its
    reader; ``validators`` run after the kind's.  ``required`` fields that are absent or
    empty get a ``required`` issue.  Both sequences may be given as lists or tuples; the
    declaration keeps tuples, so it stays hashable and immutable.  (``normalisers=``, the
    earlier spelling, still works and warns.)
    """

    key: str
    name: str
    kind: Kind
    required: bool
    validators: tuple[Validator, ...]
    normalizers: tuple[Callable[[str], str], ...]
    help: str

    def __init__(
        self,
        key: str,
        name: str,
        kind: Kind = TEXT,
        required: bool = False,
        validators: Sequence[Validator] = (),
        normalizers: Sequence[Callable[[str], str]] = (),
        help: str = "",
        *,
        normalisers: Sequence[Callable[[str], str]] | None = None,
    ) -> None:
        if normalisers is not None:
            warnings.warn("Field(normalisers=...) is deprecated: use normalizers=",
                          DeprecationWarning, stacklevel=2)
            if normalizers:
                raise UsageError(f"field {key!r}: give normalizers= only, not normalisers= too")
            normalizers = normalisers
        for check in validators:
            if not isinstance(check, Validator):
                raise UsageError(
                    f"field {key!r}: validators must be lingyun.fields.Validator "
                    f"(use the @validator decorator), got {type(check).__name__}"
                )
        for step in normalizers:
            if not callable(step):
                raise UsageError(f"field {key!r}: normalizers must be callables str -> str, "
                                 f"got {type(step).__name__}")
        set_ = object.__setattr__
        set_(self, "key", key)
        set_(self, "name", name)
        set_(self, "kind", kind)
        set_(self, "required", required)
        set_(self, "validators", tuple(validators))
        set_(self, "normalizers", tuple(normalizers))
        set_(self, "help", help)

    @property
    def normalisers(self) -> tuple[Callable[[str], str], ...]:
        """Deprecated spelling of :attr:`normalizers`."""
        warnings.warn("Field.normalisers is deprecated: use Field.normalizers",
                      DeprecationWarning, stacklevel=2)
        return self.normalizers

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
            "normalizers": [getattr(n, "__name__", repr(n)) for n in self.normalizers],
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
