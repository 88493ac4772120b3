"""Where a bulk run's outcomes go: one JSON record per page, appended atomically, resumable.

A record is a flat JSON object::

    {"source": "scans/a.pdf", "page": 3, "sha256": "…", "document_type": "text.chinese",
     "options": {"withPosition": true}, "ok": true, "result": {…to_dict()…}}
    {"source": "b.png", "page": null, "sha256": "…", …, "ok": false,
     "error": {"type": "TransientError", "code": 250, "message": "error 250 (…)"}}

plus ``fit`` when the image was shrunk to fit the size limit (see :mod:`lingyun.bulk.fit`).

**Atomic appends.** :class:`JsonlSink` writes each record as one whole line with a single
``os.write`` on an ``O_APPEND`` descriptor.  The kernel finishes a ``write`` before the
process can be killed, so ``kill -9`` never leaves half a line; only a power loss or a full
disk can, and then only the last line.  :meth:`JsonlSink.open` repairs that: a last line
without its newline (or not valid JSON) is cut off and counted in ``repaired``.

**fsync policy.** ``fsync="close"`` (default) flushes to disk when the sink closes: a
killed process loses nothing it wrote (the data is in the kernel), a power loss may lose the
last seconds, which ``--resume`` then redoes.  ``fsync="always"`` syncs after every record
(survives power loss, costs a disk flush per page); ``fsync="never"`` leaves it to the OS.

**Resume keys.** A record is keyed by ``(sha256 of the bytes sent, document type,
options)`` (:func:`record_key`), so a renamed or moved file is not sent again.  Keys are
counted, not just collected: two inputs with identical bytes each need their own record.
An input whose bytes could not even be read has no sha256 and is keyed by its source and
page instead.

**The journal** (:class:`Journal`, SQLite in WAL mode beside the output) records the key of
every call *before* it starts.  After a crash, started keys without a record are exactly the
calls that were in flight: the only ones ``--resume`` may send a second time.  A resumed
run keeps just those rows (:meth:`Journal.carry_over`), so a call in flight at one stop is
still reported at the next if the run is stopped again before it is sent.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..errors import LingyunError, ServiceError, UsageError

__all__ = [
    "FSYNC_POLICIES",
    "InFlight",
    "Journal",
    "JsonlSink",
    "ParquetSink",
    "RecordsError",
    "Sink",
    "canonical_options",
    "error_info",
    "make_record",
    "read_records",
    "record_key",
]

FSYNC_POLICIES = ("close", "always", "never")


class RecordsError(UsageError):
    """An existing output or journal cannot be used (corrupt line, wrong kind of file)."""


def canonical_options(options: Mapping[str, Any] | None) -> dict[str, Any]:
    """``options`` as plain JSON values with sorted keys (what records store and keys use)."""
    try:
        return json.loads(json.dumps(dict(options or {}), sort_keys=True, default=str))
    except (TypeError, ValueError) as exc:
        raise UsageError(f"options cannot be written to a record: {exc}") from None


def record_key(sha256: str | None, document_type: str, options: Mapping[str, Any] | None,
               *, source: Any = None, page: int | None = None) -> str:
    """The resume key: ``sha256|document type|options`` (source and page when no sha256)."""
    opts = json.dumps(canonical_options(options), sort_keys=True, separators=(",", ":"))
    if sha256:
        return f"{sha256}|{document_type}|{opts}"
    return f"source:{source}#{page}|{document_type}|{opts}"


def key_of(record: Mapping[str, Any]) -> str:
    """The resume key of a written record."""
    return record_key(record.get("sha256"), record.get("document_type") or "",
                      record.get("options"), source=record.get("source"),
                      page=record.get("page"))


def error_info(error: BaseException) -> dict[str, Any]:
    """``{type, code, message}`` for a record: the class name, the service code if any."""
    return {
        "type": type(error).__name__,
        "code": error.code if isinstance(error, ServiceError) else None,
        "message": str(error) if isinstance(error, LingyunError) else
        f"{type(error).__name__}: {error}",
    }


def make_record(source: Any, page: int | None, sha256: str | None, document_type: str,
                options: Mapping[str, Any] | None, *, result: Any = None,
                error: BaseException | None = None,
                fit: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The JSON record for one page: ``result.to_dict()`` on success, else ``error``."""
    record: dict[str, Any] = {
        "source": source if isinstance(source, str) else _describe(source),
        "page": page,
        "sha256": sha256,
        "document_type": document_type,
        "options": canonical_options(options),
        "ok": error is None,
    }
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
        return os.fspath(source)  # type: ignore[return-value]
    name = getattr(source, "name", None)
    return str(name) if isinstance(name, str) else f"<{type(source).__name__}>"


def _line(record: Mapping[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


class Sink(Protocol):
    """Where records go: ``done()`` counts existing keys, ``write`` appends, ``close``."""

    def done(self) -> Counter[str]: ...

    def write(self, record: Mapping[str, Any]) -> None: ...

    def close(self) -> None: ...


def read_records(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Every complete record of a JSONL output (a torn last line is skipped, not fatal)."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.endswith(b"\n"):
                return  # a torn last line: not a record
            try:
                record = json.loads(raw)
            except ValueError as exc:
                raise RecordsError(f"{os.fspath(path)}: line {number} is not JSON ({exc}); "
                                   "it was not written by lingyun") from None
            if not isinstance(record, dict):
                raise RecordsError(f"{os.fspath(path)}: line {number} is not a record object")
            yield record


class JsonlSink:
    """Append-only JSON Lines output (see the module docstring for the guarantees).

    Open with :meth:`open`: a fresh run refuses an output that already has records (so a
    mistyped command never mixes two runs), ``resume=True`` reads them and repairs a torn
    last line.
    """

    def __init__(self, path: str | os.PathLike[str], *, fsync: str = "close") -> None:
        if fsync not in FSYNC_POLICIES:
            raise UsageError(f"fsync must be one of {', '.join(FSYNC_POLICIES)}, got {fsync!r}")
        self.path = Path(path)
        self.fsync = fsync
        self.repaired = 0
        self._done: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._fd: int | None = None

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, resume: bool = False,
             fsync: str = "close") -> JsonlSink:
        sink = cls(path, fsync=fsync)
        if sink.path.is_dir():
            raise RecordsError(f"output {sink.path} is a directory; give a .jsonl file")
        exists = sink.path.exists() and sink.path.stat().st_size > 0
        if exists and not resume:
            raise RecordsError(f"output {sink.path} already has records; pass --resume "
                               "(resume=True) to continue that run, or choose a new file")
        if exists:
            sink.repaired = _repair_tail(sink.path)
            sink._done.update(key_of(r) for r in read_records(sink.path))
        if sink.path.parent and not sink.path.parent.exists():
            raise RecordsError(f"output directory {sink.path.parent} does not exist")
        sink._fd = os.open(sink.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        return sink

    def done(self) -> Counter[str]:
        """How many records the output already holds, per resume key."""
        return Counter(self._done)

    def write(self, record: Mapping[str, Any]) -> None:
        """Append ``record`` as one line, in one ``write`` call."""
        if self._fd is None:
            raise RecordsError(f"output {self.path} is closed")
        data = _line(record)
        with self._lock:
            written = os.write(self._fd, data)
            while written < len(data):  # only on a full disk or a signal: finish the line
                written += os.write(self._fd, data[written:])
            if self.fsync == "always":
                os.fsync(self._fd)

    def close(self) -> None:
        if self._fd is None:
            return
        try:
            if self.fsync != "never":
                os.fsync(self._fd)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> JsonlSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _repair_tail(path: Path) -> int:
    """Cut a torn last line (one without its newline) off ``path``; 1 if one was cut."""
    size = path.stat().st_size
    with open(path, "rb+") as handle:
        start = max(0, size - (1 << 20))
        handle.seek(start)
        tail = handle.read()
        if tail.endswith(b"\n"):
            return 0
        cut = tail.rfind(b"\n")
        if cut < 0 and start > 0:
            raise RecordsError(f"{path}: the last line is over 1 MiB and has no newline")
        handle.truncate(start + cut + 1)
        return 1


class ParquetSink:
    """Records as a Parquet dataset: a directory of ``part-*.parquet`` files.

    Needs ``pyarrow``.  Records are buffered and written ``flush_every`` at a time as a new
    part file (written under a temporary name, then renamed: a reader never sees half a
    file).  A crash loses at most the unflushed records, which ``resume`` then sends again
    -- a weaker promise than JSONL, traded for a columnar file.  Nested values (``result``,
    ``options``, ``fit``) are stored as JSON text; :func:`pandas.read_parquet` or
    ``dask.dataframe.read_parquet(directory)`` read the dataset.
    """

    COLUMNS = ("source", "page", "sha256", "document_type", "options", "ok", "result",
               "error_type", "error_code", "error_message", "fit")

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
        parts = sorted(self.path.glob("part-*.parquet")) if self.path.is_dir() else []
        if self.path.exists() and not self.path.is_dir():
            raise RecordsError(f"Parquet output {self.path} exists and is not a directory")
        if parts and not resume:
            raise RecordsError(f"Parquet output {self.path} already has parts; pass resume=True "
                               "to continue that run, or choose a new directory")
        for record in self.read(self.path):
            self._done[key_of(record)] += 1
        self.path.mkdir(parents=True, exist_ok=True)

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
        with self._lock:
            self._flush()

    def __enter__(self) -> ParquetSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _parquet_schema():
    import pyarrow as pa

    return pa.schema([
        ("source", pa.string()), ("page", pa.int32()), ("sha256", pa.string()),
        ("document_type", pa.string()), ("options", pa.string()), ("ok", pa.bool_()),
        ("result", pa.string()), ("error_type", pa.string()), ("error_code", pa.int64()),
        ("error_message", pa.string()), ("fit", pa.string()),
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
        "fit": _dumps(record.get("fit")),
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
    return record


@dataclass(frozen=True)
class InFlight:
    """A call that had started but left no record when the previous run stopped."""

    key: str
    source: str
    page: int | None


@dataclass
class Journal:
    """SQLite journal of started calls (WAL mode), beside the output.

    ``synchronous=NORMAL`` in WAL mode makes every committed row survive a killed process;
    a power loss may lose the last rows, and then an in-flight call is merely not reported
    as such.  One connection shared by the worker threads, behind a lock.
    """

    path: Path
    _conn: sqlite3.Connection = field(init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        try:
            self._conn = sqlite3.connect(self.path, check_same_thread=False,
                                         isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("CREATE TABLE IF NOT EXISTS started "
                               "(key TEXT NOT NULL, source TEXT, page INTEGER)")
        except sqlite3.DatabaseError as exc:
            raise RecordsError(f"journal {self.path} is not usable: {exc}") from None

    @classmethod
    def beside(cls, output: str | os.PathLike[str]) -> Journal:
        """The journal for ``output``: ``<output>.journal`` (a file, or inside a directory)."""
        out = Path(output)
        return cls(out / "_journal.sqlite" if out.is_dir() else Path(f"{out}.journal"))

    def in_flight(self, done: Counter[str]) -> list[InFlight]:
        """Started calls that ``done`` (the records written) does not account for."""
        with self._lock:
            rows = self._conn.execute("SELECT key, source, page FROM started "
                                      "ORDER BY rowid").fetchall()
        remaining = Counter(done)
        lost = []
        for key, source, page in rows:
            if remaining[key] > 0:
                remaining[key] -= 1
            else:
                lost.append(InFlight(key, source, page))
        return lost

    def clear(self) -> None:
        """Forget every started call."""
        with self._lock:
            self._conn.execute("DELETE FROM started")

    def carry_over(self, done: Counter[str]) -> list[InFlight]:
        """What a resumed run does first: keep only the calls in flight at the stop.

        Returns :meth:`in_flight` and, in one transaction, deletes every other row.  The
        kept rows stand for the calls the resumed run sends again (it journals no second
        row for them), so if that run is killed too before it gets to one, the next resume
        still reports it as in flight.
        """
        lost = self.in_flight(done)
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.execute("DELETE FROM started")
                self._conn.executemany(
                    "INSERT INTO started (key, source, page) VALUES (?, ?, ?)",
                    [(entry.key, entry.source, entry.page) for entry in lost])
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return lost

    def start(self, key: str, source: str, page: int | None) -> None:
        """Record that the call for ``key`` is about to be sent (committed before return)."""
        with self._lock:
            self._conn.execute("INSERT INTO started (key, source, page) VALUES (?, ?, ?)",
                               (key, source, page))

    def close(self) -> None:
        with self._lock:
            self._conn.close()
