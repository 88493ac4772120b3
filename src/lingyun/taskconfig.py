"""The ``x-task-config`` header: ``name=value`` pairs joined by commas, order kept.

The wire format has no escaping, so a name or value containing ``,`` or ``=`` cannot be
sent, and headers must be ASCII (SPEC §2).  :class:`TaskConfig` refuses such pairs when they
are set -- naming the key -- instead of producing a header the service would misread.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, MutableMapping

from .errors import TaskConfigError

__all__ = ["TaskConfig"]

_FORBIDDEN = (",", "=")


def _check(kind: str, text: object, key: str) -> str:
    if not isinstance(text, str):
        raise TaskConfigError(
            f"task-config {kind} for {key!r} must be a string, got {type(text).__name__}",
            key=key,
        )
    if not text.isascii():
        raise TaskConfigError(f"task-config {kind} for {key!r} is not ASCII: {text!r}", key=key)
    for ch in _FORBIDDEN:
        if ch in text:
            raise TaskConfigError(
                f"task-config {kind} for {key!r} contains {ch!r}, which the wire format "
                f"cannot carry: {text!r}",
                key=key,
            )
    if not text.isprintable():
        raise TaskConfigError(
            f"task-config {kind} for {key!r} contains a control character: {text!r}", key=key
        )
    return text


class TaskConfig(MutableMapping[str, str]):
    """An ordered ``name -> value`` mapping that formats to and parses from the header.

    >>> tc = TaskConfig.parse("capkey=ocr.cloud,lang=chinese_cn")
    >>> tc["withPosition"] = "1"
    >>> str(tc)
    'capkey=ocr.cloud,lang=chinese_cn,withPosition=1'

    Names are case-sensitive here (the client sends what it is given); :meth:`get_ci` looks
    a name up case-insensitively, as the service does (SPEC §7).
    """

    __slots__ = ("_items",)

    def __init__(
        self, items: Mapping[str, str] | Iterable[tuple[str, str]] | None = None
    ) -> None:
        self._items: dict[str, str] = {}
        if items is not None:
            pairs = items.items() if isinstance(items, Mapping) else items
            for key, value in pairs:
                self[key] = value

    @classmethod
    def parse(cls, header: str) -> TaskConfig:
        """Parse a header value.  Blanks around pairs are ignored; an empty header is empty.

        A pair without ``=`` or with an empty name raises :class:`TaskConfigError`.
        """
        if not isinstance(header, str):
            raise TaskConfigError(f"task-config must be a string, got {type(header).__name__}")
        config = cls()
        if not header.strip():
            return config
        for position, part in enumerate(header.split(",")):
            pair = part.strip()
            name, sep, value = pair.partition("=")
            name, value = name.strip(), value.strip()
            if not sep or not name:
                raise TaskConfigError(
                    f"task-config pair {position} is not name=value: {pair!r}", key=name or None
                )
            if "=" in value:
                raise TaskConfigError(
                    f"task-config value for {name!r} contains '=': {value!r}", key=name
                )
            config[name] = value
        return config

    def format(self) -> str:
        """The header value: ``name=value`` pairs joined by commas, in insertion order."""
        return ",".join(f"{k}={v}" for k, v in self._items.items())

    __str__ = format

    def get_ci(self, name: str, default: str | None = None) -> str | None:
        """Look ``name`` up ignoring case (the first match in order wins)."""
        lowered = name.lower()
        for key, value in self._items.items():
            if key.lower() == lowered:
                return value
        return default

    def copy(self) -> TaskConfig:
        return TaskConfig(self._items)

    def __setitem__(self, key: str, value: str) -> None:
        if isinstance(key, str) and not key:
            raise TaskConfigError("task-config names cannot be empty", key=key)
        _check("name", key, str(key))
        self._items[key] = _check("value", value, key)

    def __getitem__(self, key: str) -> str:
        return self._items[key]

    def __delitem__(self, key: str) -> None:
        del self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TaskConfig):
            return list(self._items.items()) == list(other._items.items())
        if isinstance(other, Mapping):
            return dict(self._items) == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"TaskConfig({self.format()!r})"
