"""Declared template fields: kinds, normalizers, validators, and the issues they leave.

A template declares its fields (:class:`Field`: key, Chinese name, :class:`Kind`, whether
required, validators, normalizers); every recognized field then carries its raw ``value``, a
``normalized`` value of the right Python type (``datetime.date``, ``decimal.Decimal``, ...)
and a list of :class:`Issue` s.  Nothing raises for a bad value: ``result.issues`` gathers
them with each field's path.  Third-party templates use the same pieces, and add their own
checks with :func:`validator`.
"""

import importlib
from typing import Any

from . import codec, kinds, normalizers, validators
from .check import Checked, Occurrence, evaluate
from .declare import Field, fields_from_keys
from .issues import Invalid, Issue
from .kinds import Kind
from .normalizers import Period
from .validators import Validator, validator


def __getattr__(name: str) -> Any:
    # ``lingyun.fields.normalisers``: the deprecated module name, warned about on first use
    if name == "normalisers":
        return importlib.import_module(".normalisers", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Checked",
    "Field",
    "Invalid",
    "Issue",
    "Kind",
    "Occurrence",
    "Period",
    "Validator",
    "codec",
    "evaluate",
    "fields_from_keys",
    "kinds",
    "normalizers",
    "validator",
    "validators",
]
