"""Text recognition: the text, and with ``withPosition=1`` the decoded position layout.

``data.forms.form`` is the recognized text as one string (SPEC §4).  When the reply carried
an ``IREAD_NODE`` stream, :attr:`TextResult.layout` holds it decoded (:mod:`lingyun.iread`).
If the service's JSON text and the text rebuilt from the layout differ, both are kept and
:attr:`TextResult.text_mismatch` says so -- neither silently wins.

The position stream itself is kept (``positions``) and is what :meth:`TextResult.to_dict`
stores (base64): the layout is rebuilt from it by :func:`lingyun.iread.decode`, so the JSON
form depends on nothing but the wire format.  :mod:`lingyun.iread` is imported only when
positions are present.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

from ..errors import ProtocolError
from ._payload import member, object_at
from .base import Result

if TYPE_CHECKING:
    from ..iread import Layout
    from ..protocol import Reply

__all__ = ["TextResult", "parse_text"]


class TextResult(Result):
    """Recognized text; ``layout`` when positions were requested."""

    kind = "text"

    def __init__(
        self,
        document_type: str,
        text: str,
        *,
        raw: dict[str, Any],
        layout: Layout | None = None,
        positions: bytes | None = None,
        reply: Reply | None = None,
    ) -> None:
        self.document_type = document_type
        self.text = text
        self.layout = layout
        self.positions = positions
        self.raw = raw
        self.reply = reply

    @property
    def layout_text(self) -> str | None:
        """The text rebuilt from the position stream (``None`` without positions)."""
        return None if self.layout is None else self.layout.text

    @property
    def text_mismatch(self) -> bool:
        """True when positions came back and their text differs from the JSON text."""
        return self.layout is not None and _comparable(self.layout.text) != _comparable(self.text)

    def __str__(self) -> str:
        return self.text

    def rows(self) -> list[tuple[str, str, str]]:
        return [("", line, "") for line in self.text.splitlines()]

    def _payload_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text}
        if self.positions is not None:
            data["positions"] = base64.b64encode(self.positions).decode("ascii")
        if self.layout is not None:
            data["layout_text"] = self.layout.text
            data["text_mismatch"] = self.text_mismatch
        return data

    @classmethod
    def _from_payload(cls, data: dict[str, Any]) -> TextResult:
        positions = None
        if data.get("positions") is not None:
            try:
                positions = base64.b64decode(data["positions"], validate=True)
            except binascii.Error as exc:
                raise ValueError(f"positions are not base64: {exc}") from None
        return cls(
            data["document_type"],
            data["text"],
            raw=data["raw"],
            layout=_decode(positions),
            positions=positions,
        )

    def __repr__(self) -> str:
        shown = self.text if len(self.text) <= 30 else self.text[:29] + "…"
        extra = "" if self.positions is None else f" positions=<{len(self.positions)} bytes>"
        if self.text_mismatch:
            extra += " text_mismatch"
        return f"<TextResult {self.document_type} {shown!r}{extra}>"


def _comparable(text: str) -> str:
    # The service's text and the rebuilt one may differ in line-break style only.
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


def parse_text(reply: Reply, document_type: str) -> TextResult:
    data = object_at(reply.data, "data")
    forms = object_at(member(data, "forms", "data"), "data.forms")
    text = member(forms, "form", "data.forms")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise ProtocolError(
            f"data.forms.form: expected the recognized text as a string, found "
            f"{type(text).__name__}"
        )
    return TextResult(
        document_type,
        text,
        raw=reply.envelope,
        layout=_decode(reply.positions),
        positions=reply.positions,
        reply=reply,
    )


def _decode(positions: bytes | None) -> Layout | None:
    if positions is None:
        return None
    from ..iread import decode  # lazily: only position replies need the decoder

    return decode(positions)
