"""How big a reply may be, and reading one no bigger than that.

A reply's size follows from what was asked: an envelope (a card's fields, messages) plus
the text on the page, and with positions a 48-byte node per character (SPEC:
``IREAD_NODE``).  Characters are bounded by the image's pixels (no glyph is read from less
than 8 x 8 pixels), so :func:`reply_cap` sizes the limit of each call from what it asked and
its image's header -- a 1-megapixel card photo is answered in at most about 4 MiB, not 256.

A batch is bounded as a whole: :class:`ReplyLimits` shares one budget (default 512 MiB)
among the calls a transport was told to expect (:meth:`~lingyun.transports.Transport.reserve`),
so 16 workers may hold at most that much reply between them, not 16 times the per-call cap.
The client tells the transport the cap of the call under way through a context variable
(:data:`call_cap`), which threads and asyncio tasks each see on their own.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Mapping

from ..errors import ProtocolError
from ..protocol import DEFAULT_MAX_RESPONSE_BYTES, NODE_SIZE, declared_length
from ._text import where

__all__ = ["CHUNK", "DEFAULT_REPLY_BUDGET", "BoundedBody", "ReplyLimits", "call_cap",
           "reply_cap"]

#: Bytes asked for per read of a streamed reply.
CHUNK = 1 << 16
#: The reply bytes all calls of one transport may hold at once.
DEFAULT_REPLY_BUDGET = 512 * 1024 * 1024
#: Room for the envelope of any reply: messages, fields, a card's boxes.
ENVELOPE_ROOM = 4 * 1024 * 1024
#: Fewest pixels a character is read from (8 x 8).
PIXELS_PER_CHARACTER = 64
#: Bytes of JSON per character of text (a ``\\uXXXX`` escape and a separator).
TEXT_BYTES_PER_CHARACTER = 8

#: The reply cap of the call under way (set by the client around ``send``; ``None``: the
#: transport's own limit alone).
call_cap: contextvars.ContextVar[int | None] = contextvars.ContextVar("lingyun_reply_cap",
                                                                        default=None)


def reply_cap(with_positions: bool, pixels: int | None) -> int:
    """The largest reply a call can have, from whether it asked for positions and its
    image's pixel count (``None`` when the header did not say: the per-call default).

    Every answer fits in :data:`ENVELOPE_ROOM` plus its text; the text is bounded by the
    characters the pixels can hold, and positions add one node per character.
    """
    if pixels is None:
        return DEFAULT_MAX_RESPONSE_BYTES
    per_character = TEXT_BYTES_PER_CHARACTER + (NODE_SIZE if with_positions else 0)
    characters = pixels // PIXELS_PER_CHARACTER
    return min(DEFAULT_MAX_RESPONSE_BYTES, ENVELOPE_ROOM + characters * per_character)


class ReplyLimits:
    """The reply limit of a transport: ``per_call`` at most, and ``budget`` shared by the
    calls it expects at once (:meth:`reserve`)."""

    def __init__(self, per_call: int | None = None,
                 budget: int = DEFAULT_REPLY_BUDGET) -> None:
        per_call = DEFAULT_MAX_RESPONSE_BYTES if per_call is None else per_call
        if per_call < 1 or budget < 1:
            raise ValueError(f"reply limits must be >= 1 byte, got {per_call}, {budget}")
        self.per_call = per_call
        self.budget = budget
        self.concurrency = 1
        self._lock = threading.Lock()

    def reserve(self, concurrency: int) -> None:
        """Expect ``concurrency`` calls at once: each then gets ``budget // concurrency``."""
        with self._lock:
            self.concurrency = max(self.concurrency, concurrency)

    def limit(self) -> tuple[int, str]:
        """The limit for the call under way and what set it (for the error message)."""
        shared = self.budget // self.concurrency
        limit, why = self.per_call, "the transport's per-call limit"
        if shared < limit:
            limit, why = shared, (f"a {self.budget}-byte reply budget shared by "
                                  f"{self.concurrency} concurrent calls")
        asked = call_cap.get()
        if asked is not None and asked < limit:
            limit, why = asked, "what this call's document type and image can be answered with"
        return limit, why


class BoundedBody:
    """Collects a reply body, refusing it (:class:`~lingyun.errors.ProtocolError`) as soon as
    its declared length or the bytes received exceed ``limit``."""

    def __init__(self, url: str, headers: Mapping[str, str], limit: int | ReplyLimits) -> None:
        if isinstance(limit, ReplyLimits):
            self.limit, self.why = limit.limit()
        else:
            self.limit, self.why = limit, "the limit"
        declared = declared_length(headers)
        if declared is not None and declared > self.limit:
            raise ProtocolError(f"reply from {where(url)} declares {declared} bytes, over the "
                                f"{self.limit}-byte limit ({self.why})")
        self.url = url
        self.size = 0
        self.chunks: list[bytes] = []

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            raise ProtocolError(f"reply from {where(self.url)} exceeds the {self.limit}-byte "
                                f"limit ({self.why})")
        self.chunks.append(chunk)

    def bytes(self) -> bytes:
        return b"".join(self.chunks)
