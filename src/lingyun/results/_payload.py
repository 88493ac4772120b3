"""Path-aware access to the service's JSON, so every shape error says where it happened.

The service sends every leaf as a string (``"left": "367"``); these helpers convert strictly
and raise :class:`~lingyun.errors.ProtocolError` naming the JSON path (``data.forms.form.
page.cell[3].result.left``) and what was found there.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import ProtocolError, excerpt
from .base import Box

__all__ = [
    "as_list",
    "member",
    "object_at",
    "optional_box",
    "optional_int",
    "optional_number",
    "optional_text",
]

_COORDS = ("left", "top", "right", "bottom")
# ASCII digits only: Python's int()/float() would also take "1_000", "nan", "inf" and
# full-width digits, none of which is a number the protocol sends.
# Bounded lengths: no pixel coordinate or confidence needs more, and int() refuses strings
# over 4300 digits with a ValueError of its own.
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}(?:\.0{0,12})?")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,18}(?:\.[0-9]{0,12})?|\.[0-9]{1,12})")


def _seen(value: Any) -> str:
    return f"{type(value).__name__} {excerpt(repr(value), 40)}"


def object_at(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ProtocolError(f"{path}: expected an object, found {_seen(value)}")
    return value


def member(obj: dict[str, Any], name: str, path: str) -> Any:
    if name not in obj:
        raise ProtocolError(f"{path}: missing member {name!r} (members: {sorted(obj)[:8]})")
    return obj[name]


def as_list(value: Any, path: str) -> list[Any]:
    """A JSON array; a single object stands for a one-element array (XML-style converters)."""
    if value is None:
        return []
    if isinstance(value, dict):
        return [value]
    if not isinstance(value, list):
        raise ProtocolError(f"{path}: expected an array, found {_seen(value)}")
    return value


def optional_text(obj: dict[str, Any], name: str, path: str) -> str | None:
    """A string member, ``None`` when absent or null; numbers are taken as their text."""
    value = obj.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ProtocolError(f"{path}.{name}: expected a string, found {_seen(value)}")
    return str(value)


def optional_int(obj: dict[str, Any], name: str, path: str) -> int | None:
    """An integer sent as a string (``"367"``, ``"4.0"``); ``None`` when absent, null or empty.

    Anything but ASCII digits with an optional sign and a zero fraction is a ProtocolError.
    """
    text = optional_text(obj, name, path)
    if text is None or not text.strip():
        return None
    stripped = text.strip()
    if not _INTEGER.fullmatch(stripped):
        raise ProtocolError(f"{path}.{name}: expected an integer, found {excerpt(text, 40)}")
    return int(stripped.split(".", 1)[0])


def optional_number(obj: dict[str, Any], name: str, path: str) -> str | None:
    """A decimal number sent as a string, returned stripped; ``None`` when absent or empty."""
    text = optional_text(obj, name, path)
    if text is None or not text.strip():
        return None
    stripped = text.strip()
    if not _DECIMAL.fullmatch(stripped):
        raise ProtocolError(f"{path}.{name}: expected a number, found {excerpt(text, 40)}")
    return stripped


def optional_box(obj: dict[str, Any], path: str) -> Box | None:
    """``left/top/right/bottom`` as a :class:`Box`; ``None`` unless all four are present."""
    coords = [optional_int(obj, name, path) for name in _COORDS]
    if any(c is None for c in coords):
        return None
    return Box(*coords)  # type: ignore[arg-type]
