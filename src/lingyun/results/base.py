"""What every result shares: the document type, the raw envelope, the reply, JSON round trip,
and ``issues`` -- the checks its declared fields failed (see :mod:`lingyun.fields`)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from ..errors import UsageError
from ..fields import Issue, codec

if TYPE_CHECKING:
    from ..protocol import Reply

__all__ = ["Box", "Confidence", "FieldValue", "Result"]


class Box(NamedTuple):
    """A rectangle in image pixels, as the service reports it."""

    left: int
    top: int
    right: int
    bottom: int


class Confidence(NamedTuple):
    """A confidence normalized to 0..1, with what the service sent and on which scale.

    Template documents use two scales (SPEC §4): 0-65280 (bl, pid, pcn; 65280 = 255*256 is
    the top) and 0-100 (hkidcard, ab, vsi, hm2, business cards).  The scale belongs to the
    document type; a confidence on a type that declares none keeps ``raw`` and has
    ``value`` and ``scale`` ``None`` -- not normalized rather than normalized by a guess.
    """

    value: float | None
    raw: str
    scale: int | None

    @classmethod
    def from_raw(cls, raw: str | int, scale: int | None) -> Confidence:
        """Normalize ``raw`` (already checked to be a number); out-of-scale values clamp."""
        if scale is None:
            return cls(None, str(raw), None)
        number = float(raw)
        return cls(min(max(number / scale, 0.0), 1.0), str(raw), scale)

    def __str__(self) -> str:
        return self.raw if self.value is None else f"{self.value:.2f}"


@dataclass
class FieldValue:
    """A declared scalar of a non-template result (a bank card's number): the text as
    received (``raw``), the ``normalized`` value and the ``issues`` its checks found."""

    key: str
    raw: str | None
    normalized: Any = None
    issues: list[Issue] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Only what the result does not store elsewhere: the raw text is the scalar."""
        return {
            "normalized": codec.encode(self.normalized),
            "issues": [i.to_dict() for i in self.issues],
        }

    @classmethod
    def from_dict(cls, key: str, raw: str | None, data: dict[str, Any]) -> FieldValue:
        return cls(key, raw, codec.decode(data["normalized"]),
                   [Issue.from_dict(i) for i in data["issues"]])


class Result(ABC):
    """Base of every typed result.

    ``raw`` is the envelope exactly as received and ``reply`` the HTTP reply (status,
    headers, body) for debugging; ``to_dict()`` gives a JSON-ready dict with a ``kind``
    discriminator that :meth:`from_dict` turns back into an equal result.
    """

    kind: ClassVar[str] = ""
    _kinds: ClassVar[dict[str, type[Result]]] = {}

    document_type: str
    raw: dict[str, Any]
    reply: Reply | None
    #: Who replayed this answer when it was canned or recorded rather than recognized
    #: (the local service's replay engine or a test script); ``None`` for a real result.
    replayed: str | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.kind:
            Result._kinds[cls.kind] = cls

    @property
    def issues(self) -> list[Issue]:
        """Every check the result's fields failed, each naming its field's path.  A bad value
        is never an exception: look here (results without declared fields have none)."""
        return []

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "document_type": self.document_type}
        if self.replayed:
            data["replayed"] = self.replayed
        data.update(self._payload_dict())
        # Derived from the fields (from_dict ignores it): for readers of the JSON output.
        data["issues"] = [i.to_dict() for i in self.issues]
        data["raw"] = self.raw
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Result:
        """Rebuild a result from :meth:`to_dict` output (the reply is not kept)."""
        if not isinstance(data, dict) or data.get("kind") not in Result._kinds:
            seen = data.get("kind") if isinstance(data, dict) else type(data).__name__
            raise UsageError(f"not a lingyun result dict: kind {seen!r}")
        try:
            result = Result._kinds[data["kind"]]._from_payload(data)
            replayed = data.get("replayed")
            if replayed is not None and not isinstance(replayed, str):
                raise TypeError(f"'replayed' is a {type(replayed).__name__}, not a string")
            result.replayed = replayed
            return result
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise UsageError(
                f"malformed {data['kind']!r} result dict: {exc.__class__.__name__}: {exc}"
            ) from None

    @abstractmethod
    def _payload_dict(self) -> dict[str, Any]:
        """The result's own members for :meth:`to_dict`."""

    @classmethod
    @abstractmethod
    def _from_payload(cls, data: dict[str, Any]) -> Result:
        """Rebuild from :meth:`to_dict` output."""

    @abstractmethod
    def rows(self) -> list[tuple[str, str, str]]:
        """``(label, value, detail)`` rows for a plain-text table (used by the CLI)."""

    #: Attributes that equality ignores: the HTTP reply is how a result arrived, not what it
    #: says (a result rebuilt by :meth:`from_dict` has none and is still equal).
    _not_compared: ClassVar[frozenset[str]] = frozenset({"reply"})

    def _compared(self) -> dict[str, Any]:
        """Every attribute equality looks at: the instance's own, plus ``replayed``."""
        state = {k: v for k, v in vars(self).items() if k not in self._not_compared}
        state["replayed"] = self.replayed
        return state

    def __eq__(self, other: object) -> bool:
        """Equal when of the same class with equal attributes (values, fields, digits, raw
        envelope, ...), compared directly -- not through :meth:`to_dict`, so a member that
        ``to_dict`` forgets still makes two results differ."""
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Result)
        return self._compared() == other._compared()

    __hash__ = None  # type: ignore[assignment]
