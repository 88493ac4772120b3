"""The Parquet sink: records as a directory of ``part-*.parquet`` files (needs pyarrow)."""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .lock import OutputLock
from .record import RecordsError, key_of

__all__ = ["ParquetSink"]


class ParquetSink:
    """Records as a Parquet dataset: a directory of ``part-*.parquet`` files.

    Needs ``pyarrow``.  Records are buffered and written ``flush_every`` at a time as a new
    part file (written under a temporary name, then renamed: a reader never sees half a
    file).  A crash loses at most the unflushed records, which ``resume`` then sends again
    -- a weaker promise than JSONL, traded for a columnar file.  Nested values (``result``,
    ``options``, ``fit``) are stored as JSON text; :func:`pandas.read_parquet` or
    ``dask.dataframe.read_parquet(directory)`` read the dataset.
    """

    def __init__(self, directory: str | os.PathLike[str], *, resume: bool = False,
                 flush_every: int = 1000) -> None:
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise UsageError(f"a Parquet output needs pyarrow (pip install pyarrow): {exc}") \
                from None
        if flush_every < 1:
            raise UsageError(f"flush_every must be >= 1, got {flush_every}")
        self.path = Path(directory)
        self.flush_every = flush_every
        self._buffer: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._done: Counter[str] = Counter()
        if self.path.exists() and not self.path.is_dir():
            raise RecordsError(f"Parquet output {self.path} exists and is not a directory")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._output_lock = OutputLock.acquire(self.path)  # one run per output
        try:
            parts = sorted(self.path.glob("part-*.parquet")) if self.path.is_dir() else []
            if parts and not resume:
                raise RecordsError(f"Parquet output {self.path} already has parts; pass "
                                   "resume=True to continue that run, or choose a new directory")
            for record in self.read(self.path):
                self._done[key_of(record)] += 1
            self.path.mkdir(parents=True, exist_ok=True)
        except BaseException:
            self._output_lock.release()
            raise

    @staticmethod
    def read(directory: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
        """Every record of a dataset written by :class:`ParquetSink`, as record dicts."""
        import pyarrow.parquet as pq

        for part in sorted(Path(directory).glob("part-*.parquet")):
            for row in pq.read_table(part).to_pylist():
                yield _from_row(row)

    def done(self) -> Counter[str]:
        return Counter(self._done)

    def write(self, record: Mapping[str, Any]) -> None:
        with self._lock:
            self._buffer.append(_to_row(record))
            if len(self._buffer) >= self.flush_every:
                self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._buffer:
            return
        table = pa.Table.from_pylist(self._buffer, schema=_parquet_schema())
        name = f"part-{uuid.uuid4().hex}.parquet"
        temporary = self.path / f".{name}.tmp"
        pq.write_table(table, temporary)
        os.replace(temporary, self.path / name)
        self._buffer.clear()

    def close(self) -> None:
        """Write what is buffered, and let the next run have the output."""
        with self._lock:
            try:
                self._flush()
            finally:
                self._output_lock.release()

    def __enter__(self) -> ParquetSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _parquet_schema() -> Any:
    import pyarrow as pa

    return pa.schema([
        ("source", pa.string()), ("page", pa.int32()), ("sha256", pa.string()),
        ("document_type", pa.string()), ("options", pa.string()), ("ok", pa.bool_()),
        ("result", pa.string()), ("error_type", pa.string()), ("error_code", pa.int64()),
        ("error_message", pa.string()), ("fit", pa.string()), ("path_bytes", pa.string()),
    ])


def _dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _to_row(record: Mapping[str, Any]) -> dict[str, Any]:
    error = record.get("error") or {}
    return {
        "source": record.get("source"), "page": record.get("page"),
        "sha256": record.get("sha256"), "document_type": record.get("document_type"),
        "options": _dumps(record.get("options") or {}), "ok": bool(record.get("ok")),
        "result": _dumps(record.get("result")), "error_type": error.get("type"),
        "error_code": error.get("code"), "error_message": error.get("message"),
        "fit": _dumps(record.get("fit")), "path_bytes": record.get("path_bytes"),
    }


def _from_row(row: Mapping[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "source": row["source"], "page": row["page"], "sha256": row["sha256"],
        "document_type": row["document_type"], "options": json.loads(row["options"] or "{}"),
        "ok": row["ok"],
    }
    if row["ok"]:
        record["result"] = json.loads(row["result"]) if row["result"] else None
    else:
        record["error"] = {"type": row["error_type"], "code": row["error_code"],
                           "message": row["error_message"]}
    if row["fit"]:
        record["fit"] = json.loads(row["fit"])
    if row.get("path_bytes"):  # absent from parts written before the column existed
        record["path_bytes"] = row["path_bytes"]
    return record
