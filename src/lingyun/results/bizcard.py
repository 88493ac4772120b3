"""Business cards: entries by machine key (``item``), and the exported image when asked for.

``data.bizcard.cell = [{id, item, name, result: {text}, confidence: {value}, bound: {...}}]``;
with ``exportImage=yes`` a base64 image arrives as the envelope's top-level ``image``.
A corrupt image does not cost the recognized fields (the vendor document's own example
carries a truncated base64 excerpt): parsing succeeds, ``image_error`` says what was wrong,
and reading :attr:`BizCardResult.image` raises :class:`~lingyun.errors.ProtocolError` with
that message -- the bad base64 is reported where the bytes are wanted, never passed off as
"no image".  The raw text stays in ``raw["image"]``.
Items can repeat (two phone numbers), so :meth:`BizCardResult.all` returns every entry and
``result["tel"]`` the first.  The document type declares fields by item (``tel`` is a
phone, ``email`` an address): each entry carries its ``normalized`` text and ``issues``.
"""

from __future__ import annotations

import base64
import binascii
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..errors import ProtocolError
from ..fields import Field, Issue, Occurrence, codec, evaluate
from ._payload import as_list, member, object_at, optional_box, optional_number, optional_text
from .base import Box, Confidence, Result

if TYPE_CHECKING:
    from ..protocol import Reply

__all__ = ["BizCardEntry", "BizCardResult", "parse_bizcard"]

#: Business-card confidences are percentages.
BIZCARD_CONFIDENCE_SCALE = 100


@dataclass(frozen=True)
class BizCardEntry:
    """One recognized item of a business card."""

    id: str
    item: str
    name: str
    text: str | None
    confidence: Confidence | None
    box: Box | None
    normalized: Any = None
    issues: list[Issue] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "item": self.item,
            "name": self.name,
            "text": self.text,
            "confidence": self.confidence._asdict() if self.confidence else None,
            "box": list(self.box) if self.box else None,
            "normalized": codec.encode(self.normalized),
            "issues": [i.to_dict() for i in self.issues],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BizCardEntry:
        return cls(
            data["id"], data["item"], data["name"], data["text"],
            Confidence(**data["confidence"]) if data["confidence"] else None,
            Box(*data["box"]) if data["box"] else None,
            codec.decode(data.get("normalized")),
            [Issue.from_dict(i) for i in data.get("issues", [])],
        )


class BizCardResult(Result):
    """A recognized business card."""

    kind = "bizcard"

    def __init__(
        self,
        document_type: str,
        *,
        entries: list[BizCardEntry],
        image: bytes | None,
        raw: dict[str, Any],
        reply: Reply | None = None,
        image_error: str | None = None,
    ) -> None:
        self.document_type = document_type
        self.entries = entries
        self._image = image
        self.image_error = image_error
        self.raw = raw
        self.reply = reply

    @property
    def image(self) -> bytes | None:
        """The exported card image; ``None`` if none was sent; ProtocolError if corrupt."""
        if self.image_error is not None:
            raise ProtocolError(self.image_error)
        return self._image

    def __iter__(self) -> Iterator[BizCardEntry]:
        return iter(self.entries)

    def all(self, item: str) -> list[BizCardEntry]:
        return [e for e in self.entries if e.item == item]

    def get(self, item: str, default: BizCardEntry | None = None) -> BizCardEntry | None:
        found = self.all(item)
        return found[0] if found else default

    def __getitem__(self, item: str) -> BizCardEntry:
        found = self.get(item)
        if found is None:
            raise KeyError(f"business card has no item {item!r}; items: "
                           f"{[e.item for e in self.entries]}")
        return found

    @property
    def issues(self) -> list[Issue]:
        return [i for e in self.entries for i in e.issues]

    def rows(self) -> list[tuple[str, str, str]]:
        return [
            (f"{e.item} ({e.name})", e.text or "",
             str(e.confidence) if e.confidence else "")
            for e in self.entries
        ]

    def _payload_dict(self) -> dict[str, Any]:
        return {
            "entries": [e.to_dict() for e in self.entries],
            "image": base64.b64encode(self._image).decode("ascii") if self._image else None,
            "image_error": self.image_error,
        }

    @classmethod
    def _from_payload(cls, data: dict[str, Any]) -> BizCardResult:
        return cls(
            data["document_type"],
            entries=[BizCardEntry.from_dict(e) for e in data["entries"]],
            image=base64.b64decode(data["image"]) if data["image"] else None,
            raw=data["raw"],
            image_error=data["image_error"],
        )

    def __repr__(self) -> str:
        image = f" image={len(self._image)} bytes" if self._image else ""
        if self.image_error is not None:
            image = " image=<corrupt>"
        items = ",".join(e.item for e in self.entries[:4])
        if len(self.entries) > 4:
            items += f",… ({len(self.entries)} items)"
        return f"<BizCardResult {self.document_type} {items}{image}>"


def _entry(cell: Any, path: str) -> BizCardEntry:
    cell = object_at(cell, path)
    text = confidence = box = None
    if cell.get("result") is not None:
        text = optional_text(object_at(cell["result"], f"{path}.result"), "text",
                             f"{path}.result")
    if cell.get("confidence") is not None:
        conf = object_at(cell["confidence"], f"{path}.confidence")
        value = optional_number(conf, "value", f"{path}.confidence")
        if value is not None:
            confidence = Confidence.from_raw(value, BIZCARD_CONFIDENCE_SCALE)
    if cell.get("bound") is not None:
        box = optional_box(object_at(cell["bound"], f"{path}.bound"), f"{path}.bound")
    return BizCardEntry(
        id=optional_text(cell, "id", path) or "",
        item=optional_text(cell, "item", path) or "",
        name=optional_text(cell, "name", path) or "",
        text=text,
        confidence=confidence,
        box=box,
    )


def _image(envelope: dict[str, Any]) -> tuple[bytes | None, str | None]:
    """``(image bytes, None)``, or ``(None, what was wrong)`` for a corrupt image."""
    encoded = envelope.get("image")
    if encoded is None or encoded == "":
        return None, None
    if not isinstance(encoded, str):
        return None, f"image: expected base64 text, found {type(encoded).__name__}"
    try:
        return base64.b64decode("".join(encoded.split()), validate=True), None
    except (binascii.Error, ValueError) as exc:
        return None, f"image: not valid base64 ({exc}; {len(encoded)} characters)"


def check_entries(
    entries: Sequence[BizCardEntry], fields: Sequence[Field]
) -> list[BizCardEntry]:
    """The entries with ``normalized`` and ``issues`` from the fields declared by item; a
    repeated item's path is numbered (``tel[1]``)."""
    counts = Counter(e.item for e in entries)
    seen: Counter[str] = Counter()
    occurrences = []
    for e in entries:
        path = e.item if counts[e.item] == 1 else f"{e.item}[{seen[e.item]}]"
        seen[e.item] += 1
        occurrences.append(Occurrence(e.item or None, path or e.name, e.text))
    checked, _ = evaluate(fields, occurrences)
    return [replace(e, normalized=c.normalized, issues=c.issues)
            for e, c in zip(entries, checked, strict=True)]


def parse_bizcard(
    reply: Reply, document_type: str, fields: Sequence[Field] = ()
) -> BizCardResult:
    data = object_at(reply.data, "data")
    card = object_at(member(data, "bizcard", "data"), "data.bizcard")
    cells = as_list(card.get("cell"), "data.bizcard.cell")
    entries = check_entries(
        [_entry(c, f"data.bizcard.cell[{i}]") for i, c in enumerate(cells)], fields)
    image, image_error = _image(reply.envelope)
    return BizCardResult(
        document_type, entries=entries, image=image, image_error=image_error,
        raw=reply.envelope, reply=reply,
    )
