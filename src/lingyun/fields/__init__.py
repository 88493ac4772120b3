"""Declared template fields: kinds, normalisers, validators, and the issues they leave.

A template declares its fields (:class:`Field`: key, Chinese name, :class:`Kind`, whether
required, validators, normalisers); every recognised field then carries its raw ``value``, a
``normalized`` value of the right Python type (``datetime.date``, ``decimal.Decimal``, ...)
and a list of :class:`Issue` s.  Nothing raises for a bad value: ``result.issues`` gathers
them with each field's path.  Third-party templates use the same pieces, and add their own
checks with :func:`validator`.
"""

from . import codec, kinds, normalisers, validators
from .check import Checked, Occurrence, evaluate
from .declare import Field, fields_from_keys
from .issues import Invalid, Issue
from .kinds import Kind
from .normalisers import Period
from .validators import Validator, validator

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
    "normalisers",
    "validator",
    "validators",
]
