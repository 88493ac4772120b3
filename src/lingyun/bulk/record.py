"""The record model of a bulk run: one flat JSON object per page, and its resume key.

A record::

    {"source": "scans/a.pdf", "page": 3, "sha256": "…", "document_type": "text.chinese",
     "options": {"withPosition": true}, "ok": true, "result": {…to_dict()…}}
    {"source": "b.png", "page": null, "sha256": "…", …, "ok": false,
     "error": {"type": "TransientError", "code": 250, "message": "error 250 (…)"}}

plus ``fit`` when the image was shrunk to fit the size limit (see :mod:`lingyun.bulk.fit`).

**Resume keys.** A record is keyed by ``(sha256 of the bytes sent, document type,
options)`` (:func:`record_key`), so a renamed or moved file is not sent again.  Keys are
counted, not just collected: two inputs with identical bytes each need their own record.
An input whose bytes could not even be read has no sha256 and is keyed by its source and
page instead.  A file name that is not UTF-8 is shown escaped in ``source`` and carried
exactly in ``path_bytes`` (see :mod:`lingyun.bulk.files`), and keys use the exact name.

Where records go is the job of the sinks (:mod:`~lingyun.bulk.jsonl`,
:mod:`~lingyun.bulk.parquet`); which calls were in flight, of the
:mod:`~lingyun.bulk.journal`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from ..errors import LingyunError, ServiceError, UsageError
from .files import from_name_bytes, name_bytes, portable

__all__ = [
    "RecordsError",
    "canonical_options",
    "error_info",
    "key_of",
    "make_record",
    "record_key",
]


class RecordsError(UsageError):
    """An existing output or journal cannot be used (corrupt line, wrong kind of file)."""


def canonical_options(options: Mapping[str, Any] | None) -> dict[str, Any]:
    """``options`` as plain JSON values with sorted keys (what records store and keys use)."""
    try:
        plain: dict[str, Any] = json.loads(json.dumps(dict(options or {}), sort_keys=True,
                                                      default=str))
        return plain
    except (TypeError, ValueError) as exc:
        raise UsageError(f"options cannot be written to a record: {exc}") from None


def record_key(sha256: str | None, document_type: str, options: Mapping[str, Any] | None,
               *, source: Any = None, page: int | None = None) -> str:
    """The resume key: ``sha256|document type|options`` (source and page when no sha256)."""
    opts = json.dumps(canonical_options(options), sort_keys=True, separators=(",", ":"))
    if sha256:
        return f"{sha256}|{document_type}|{opts}"
    encoded = name_bytes(source) if isinstance(source, str) else None
    name = f"bytes:{encoded}" if encoded is not None else source
    return f"source:{name}#{page}|{document_type}|{opts}"


def key_of(record: Mapping[str, Any]) -> str:
    """The resume key of a written record (a non-UTF-8 name from its ``path_bytes``)."""
    source = record.get("source")
    if isinstance(record.get("path_bytes"), str):
        source = from_name_bytes(record["path_bytes"])
    return record_key(record.get("sha256"), record.get("document_type") or "",
                      record.get("options"), source=source, page=record.get("page"))


def error_info(error: BaseException) -> dict[str, Any]:
    """``{type, code, message}`` for a record: the class name, the service code if any."""
    return {
        "type": type(error).__name__,
        "code": error.code if isinstance(error, ServiceError) else None,
        "message": portable(str(error) if isinstance(error, LingyunError) else
                            f"{type(error).__name__}: {error}"),
    }


def make_record(source: Any, page: int | None, sha256: str | None, document_type: str,
                options: Mapping[str, Any] | None, *, result: Any = None,
                error: BaseException | None = None,
                fit: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The JSON record for one page: ``result.to_dict()`` on success, else ``error``.

    A ``source`` whose name is not UTF-8 is shown with ``\\xNN`` escapes and its exact
    bytes go in ``path_bytes`` (base64), which :func:`key_of` reads back.
    """
    name = source if isinstance(source, str) else _describe(source)
    record: dict[str, Any] = {
        "source": portable(name),
        "page": page,
        "sha256": sha256,
        "document_type": document_type,
        "options": canonical_options(options),
        "ok": error is None,
    }
    encoded = name_bytes(name)
    if encoded is not None:
        record["path_bytes"] = encoded
    if error is None:
        record["result"] = result.to_dict()
    else:
        record["error"] = error_info(error)
    if fit:
        record["fit"] = dict(fit)
    return record


def _describe(source: Any) -> str:
    if isinstance(source, bytes | bytearray | memoryview):
        return f"<{len(source)} bytes>"
    if isinstance(source, os.PathLike):
        path = os.fspath(source)
        return path if isinstance(path, str) else os.fsdecode(path)
    name = getattr(source, "name", None)
    return str(name) if isinstance(name, str) else f"<{type(source).__name__}>"
