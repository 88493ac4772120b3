"""Strict reading of decimal numbers that arrive as text from a peer.

``str.isdigit()`` accepts ``'²'`` and ``'٣'``, and ``int()`` accepts Unicode digits, ``_``
separators and surrounding blanks; neither bounds the length, so a 5,000-digit header makes
``int()`` raise its own ``ValueError`` (or burn CPU).  Everything the client reads from the
wire or from headers, and everything the local service reads from a request, goes through
:func:`parse_uint` / :func:`parse_int` instead: ASCII ``0-9`` only, an optional leading
``-`` for signed values, at most ``max_digits`` digits.  A refusal is a :class:`BadNumber`
(a ``ValueError``) whose message quotes a bounded excerpt of what came.
"""

from __future__ import annotations

import re

__all__ = ["DEFAULT_MAX_DIGITS", "BadNumber", "is_uint", "parse_int", "parse_uint"]

#: Enough for any 64-bit value; far below anything that costs time to convert.
DEFAULT_MAX_DIGITS = 19

_UINT = re.compile(r"[0-9]+", re.ASCII)
_INT = re.compile(r"-?[0-9]+", re.ASCII)


class BadNumber(ValueError):
    """Text that is not a decimal number of the accepted form and length."""


def _excerpt(text: object, limit: int = 40) -> str:
    shown = repr(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _parse(pattern: re.Pattern[str], text: object, what: str, max_digits: int,
           strip: bool, signed: bool) -> int:
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("latin-1")
    if not isinstance(text, str):
        raise BadNumber(f"{what} is a {type(text).__name__}, not a number: {_excerpt(text)}")
    candidate = text.strip(" \t") if strip else text
    if not pattern.fullmatch(candidate):
        kind = "an integer" if signed else "a non-negative integer"
        raise BadNumber(f"{what} is not {kind} in ASCII digits: {_excerpt(text)}")
    digits = len(candidate) - candidate.startswith("-")
    if digits > max_digits:
        raise BadNumber(f"{what} has {digits} digits, more than the {max_digits} accepted: "
                        f"{_excerpt(text)}")
    return int(candidate, 10)


def parse_uint(text: object, what: str = "value", *, max_digits: int = DEFAULT_MAX_DIGITS,
               strip: bool = True) -> int:
    """``text`` as a non-negative int: ASCII digits only, at most ``max_digits`` of them.

    Spaces and tabs around the digits are allowed (HTTP header values carry them) unless
    ``strip=False``; ``bytes`` are read as latin-1, as HTTP header bytes are.
    """
    return _parse(_UINT, text, what, max_digits, strip, signed=False)


def parse_int(text: object, what: str = "value", *, max_digits: int = DEFAULT_MAX_DIGITS,
              strip: bool = True) -> int:
    """Like :func:`parse_uint`, with an optional leading ``-``."""
    return _parse(_INT, text, what, max_digits, strip, signed=True)


def is_uint(text: object, *, max_digits: int = DEFAULT_MAX_DIGITS) -> bool:
    """True when :func:`parse_uint` would accept ``text`` (without stripping blanks)."""
    return isinstance(text, str) and bool(_UINT.fullmatch(text)) and len(text) <= max_digits
