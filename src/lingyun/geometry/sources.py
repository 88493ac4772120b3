"""Inputs of an analysis: raw position streams and saved bulk outputs, as one Layout.

Two kinds of file are read:

* a raw ``IREAD_NODE`` stream (the binary tail of a ``withPosition=1`` reply, as
  ``lingyun decode`` reads it): one document;
* JSON Lines written by the bulk command (or any JSONL of ``TextResult.to_dict()``): each
  line a record whose ``result`` holds the positions as base64 (``result.positions``, or
  ``result.data.positions``), or a bare result dict.  Each record with positions is one
  document; records that failed (``"ok": false``) or carry no positions are counted in
  ``skipped``, never guessed.

A file is JSONL when its first non-blank byte is ``{``: a stream starts with a PAGE node,
whose first two bytes are zero.  All streams are decoded by one
:func:`lingyun.iread.decode_many` call, so the pages of every document land in one set of
arrays with ``layout.page_document`` pointing into :attr:`Corpus.documents`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError, excerpt
from ..iread import Layout, StreamError, decode_many

__all__ = ["Corpus", "load"]


@dataclass(frozen=True)
class Corpus:
    """Every page of every input: ``layout`` and the name of each document.

    ``documents[layout.page_document[p]]`` names page ``p``'s source (``file`` for a raw
    stream, ``file:LINE`` or ``file:LINE source#page`` for a JSONL record).
    """

    layout: Layout
    documents: list[str]
    skipped: list[str]


def _positions_of(record: Any, where: str) -> bytes | None:
    if not isinstance(record, dict):
        raise UsageError(f"{where}: expected a JSON object, got {type(record).__name__}")
    result = record.get("result", record)
    if record.get("ok") is False or not isinstance(result, dict):
        return None
    encoded = result.get("positions")
    if encoded is None and isinstance(result.get("data"), dict):
        encoded = result["data"].get("positions")
    if encoded is None:
        return None
    if not isinstance(encoded, str):
        raise UsageError(f"{where}: positions must be a base64 string, "
                         f"got {type(encoded).__name__}")
    try:
        return base64.b64decode(encoded, validate=True)
    except binascii.Error as exc:
        raise UsageError(f"{where}: positions are not valid base64 ({exc})") from None


def _name(record: dict[str, Any], where: str) -> str:
    source = record.get("source")
    if source is None:
        return where
    page = record.get("page")
    return f"{where} {source}" + ("" if page is None else f"#{page}")


def _read_jsonl(path: Path, data: bytes, streams: list[bytes], names: list[str],
                skipped: list[str]) -> None:
    for number, raw in enumerate(data.splitlines(), 1):
        if not raw.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise UsageError(f"{where}: not JSON ({exc}): {excerpt(raw)}") from None
        positions = _positions_of(record, where)
        if positions is None:
            skipped.append(where)
            continue
        streams.append(positions)
        names.append(_name(record, where))


def load(paths: Iterable[str | Path]) -> Corpus:
    """Read every input file and decode all their streams at once into a :class:`Corpus`."""
    streams: list[bytes] = []
    names: list[str] = []
    skipped: list[str] = []
    for item in paths:
        path = Path(item)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror}") from None
        if data.lstrip()[:1] == b"{":
            _read_jsonl(path, data, streams, names, skipped)
        else:
            streams.append(data)
            names.append(str(path))
    try:
        layout = decode_many(streams)
    except StreamError as exc:
        index = getattr(exc, "stream_index", None)
        if index is None:
            raise
        raise UsageError(f"{names[index]}: {exc}") from None
    return Corpus(layout=layout, documents=names, skipped=skipped)
