"""The decoded page structure: numpy arrays per node kind, and text rebuilt from them."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np

from .dtypes import NODE_TYPES, OUTPUT

__all__ = ["Layout", "LineView", "join_surrogates"]

_REPLACEMENT = 0xFFFD
_UNUSED_DISTANCE = 255


def join_surrogates(chars: np.ndarray) -> np.ndarray:
    """Fix ``chars["text"]`` in place for characters outside the BMP (SPEC §7).

    A high surrogate followed, in the same line, by a low surrogate is one character: the
    high node's ``text`` becomes it and the low node's ``text`` becomes ``""`` (its spaces
    are dropped -- they would split the pair).  Every other surrogate becomes U+FFFD; their
    indices are returned.
    """
    codes = chars["code"].astype(np.uint32)
    text = np.ascontiguousarray(chars["text"]).view(np.uint32)
    high = (codes & 0xFC00) == 0xD800
    low = (codes & 0xFC00) == 0xDC00
    pair = np.zeros(codes.size, dtype=bool)
    if codes.size > 1:
        pair[:-1] = high[:-1] & low[1:] & (chars["line"][:-1] == chars["line"][1:])
    second = np.zeros(codes.size, dtype=bool)
    second[1:] = pair[:-1]
    starts = np.flatnonzero(pair)
    text[starts] = 0x10000 + ((codes[starts] - 0xD800) << 10) + (codes[starts + 1] - 0xDC00)
    text[second] = 0
    replaced = np.flatnonzero((high | low) & ~pair & ~second)
    text[replaced] = _REPLACEMENT
    chars["text"] = text.view("<U1")
    return replaced


class LineView(NamedTuple):
    """One line: its index in ``Layout.lines``, its text, and its characters' records."""

    # ``index`` shadows ``tuple.index`` on purpose: it is the line's number, the view's point
    index: int  # type: ignore[assignment]
    text: str
    chars: np.ndarray


class Layout:
    """Every node of a position stream, as one numpy structured array per kind.

    ``pages``, ``regions``, ``cells``, ``lines`` and ``chars`` use the dtypes of
    :mod:`lingyun.iread.dtypes`; parent fields (``page``, ``region``, ``cell``, ``line``)
    index into the other arrays (-1: none).  ``node_types`` is the ``wType`` of every node
    in stream order.  ``replaced_surrogates`` lists the chars whose lone surrogate became
    U+FFFD.  Candidate slots are kept raw (distance 255 marks an unused slot);
    :meth:`candidates` gives the used ones.

    ``page_document`` (int32, one per page) is the index of the stream each page came from:
    all zeros for :func:`~lingyun.iread.decode`, the stream's position among the inputs for
    :func:`~lingyun.iread.decode_many`.  A char's document is
    ``layout.page_document[layout.chars["page"]]``.
    """

    def __init__(
        self,
        node_types: np.ndarray,
        arrays: dict[str, np.ndarray],
        replaced_surrogates: np.ndarray,
        page_document: np.ndarray | None = None,
    ) -> None:
        self.node_types = node_types
        if page_document is None:
            page_document = np.zeros(len(arrays["page"]), dtype=np.int32)
        self.page_document = page_document
        self.pages = arrays["page"]
        self.regions = arrays["region"]
        self.cells = arrays["cell"]
        self.lines = arrays["line"]
        self.chars = arrays["char"]
        self.replaced_surrogates = replaced_surrogates

    def arrays(self) -> dict[str, np.ndarray]:
        return {"page": self.pages, "region": self.regions, "cell": self.cells,
                "line": self.lines, "char": self.chars}

    # -- text ----------------------------------------------------------------------------
    def chars_of_line(self, index: int) -> np.ndarray:
        line = self.lines[index]
        first, count = int(line["first_char"]), int(line["char_count"])
        return self.chars[first:first + count] if count else self.chars[:0]

    def line_text(self, index: int) -> str:
        """The line's characters, each after its ``space_before`` spaces."""
        chars = self.chars_of_line(index)
        return "".join(
            (" " * int(sb) + t) if t else ""
            for sb, t in zip(chars["space_before"].tolist(), chars["text"].tolist(), strict=True)
        )

    @cached_property
    def text(self) -> str:
        """The whole text: lines joined by ``\\n`` (SPEC §5)."""
        return "\n".join(self.line_text(i) for i in range(self.lines.size))

    def __iter__(self) -> Iterator[LineView]:
        for i in range(self.lines.size):
            yield LineView(i, self.line_text(i), self.chars_of_line(i))

    def __len__(self) -> int:
        return int(self.lines.size)

    def candidates(self, char_index: int) -> list[tuple[str, int]]:
        """``(character, distance)`` for the used candidate slots of one char, best first."""
        record = self.chars[char_index]
        return [
            (chr(int(code)), int(distance))
            for code, distance in zip(record["candidates"], record["distances"], strict=True)
            if int(distance) != _UNUSED_DISTANCE and int(code) != 0
        ]

    # -- records ---------------------------------------------------------------------------
    def to_records(self) -> list[dict[str, Any]]:
        """One dict per node in stream order, ``type`` first, then the array's fields."""
        arrays = self.arrays()
        lists = {kind: arrays[kind].tolist() for kind in NODE_TYPES}
        names = {kind: OUTPUT[kind].names or () for kind in NODE_TYPES}
        cursor = dict.fromkeys(NODE_TYPES, 0)
        records = []
        for value in self.node_types.tolist():
            kind = NODE_TYPES[value]
            row = lists[kind][cursor[kind]]
            cursor[kind] += 1
            record: dict[str, Any] = {"type": kind, "index": cursor[kind] - 1}
            for name, item in zip(names[kind], row, strict=True):
                record[name] = item.tolist() if isinstance(item, np.ndarray) else item
            records.append(record)
        return records

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Layout):
            return NotImplemented
        return (np.array_equal(self.node_types, other.node_types)
                and np.array_equal(self.page_document, other.page_document)) and all(
            a.tobytes() == b.tobytes()
            for a, b in zip(self.arrays().values(), other.arrays().values(), strict=True)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(a)} {k}s" for k, a in self.arrays().items())
        return f"<Layout {counts}>"
