"""Typed results, one module per result family.

Every result has ``document_type``, ``raw`` (the envelope as received), ``reply`` (status,
headers and body of the HTTP answer), ``to_dict()`` (JSON-ready, round-trips through
:meth:`Result.from_dict`) and ``rows()`` (for plain-text tables).
"""

from .bankcard import BankCardResult, Digit, parse_bankcard
from .base import Box, Confidence, FieldValue, Result
from .bizcard import BizCardEntry, BizCardResult, parse_bizcard
from .template import Field, TemplateResult, parse_template
from .text import TextResult, parse_text

__all__ = [
    "BankCardResult",
    "BizCardEntry",
    "BizCardResult",
    "Box",
    "Confidence",
    "Digit",
    "Field",
    "FieldValue",
    "Result",
    "TemplateResult",
    "TextResult",
    "parse_bankcard",
    "parse_bizcard",
    "parse_template",
    "parse_text",
]
