"""The JSON Lines sink: one record per line, appended atomically, repaired on resume.

**Atomic appends.** :class:`JsonlSink` writes each record as one whole line with a single
``os.write`` on an ``O_APPEND`` descriptor.  The kernel finishes a ``write`` before the
process can be killed, so ``kill -9`` never leaves half a line; only a power loss or a full
disk can, and then only the last line.  :meth:`JsonlSink.open` repairs that: a last line
without its newline (or not valid JSON) is cut off and counted in ``repaired``.

**fsync policy.** ``fsync="close"`` (default) flushes to disk when the sink closes: a
killed process loses nothing it wrote (the data is in the kernel), a power loss may lose the
last seconds, which ``--resume`` then redoes.  ``fsync="always"`` syncs after every record
(survives power loss, costs a disk flush per page); ``fsync="never"`` leaves it to the OS.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

from ..errors import UsageError
from .lock import OutputLock
from .record import RecordsError, key_of

__all__ = ["FSYNC_POLICIES", "JsonlSink", "Sink", "read_records"]

FSYNC_POLICIES = ("close", "always", "never")


def _line(record: Mapping[str, Any]) -> bytes:
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate somewhere: JSON's \\uXXXX escapes carry it
        return (json.dumps(record, separators=(",", ":")) + "\n").encode("ascii")


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
    last line.  The open sink holds the output's lock (:mod:`lingyun.bulk.lock`) until
    :meth:`close`: a second run on the same output is refused while this one runs.
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
        self._output_lock: OutputLock | None = None

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, resume: bool = False,
             fsync: str = "close") -> JsonlSink:
        sink = cls(path, fsync=fsync)
        if sink.path.is_dir():
            raise RecordsError(f"output {sink.path} is a directory; give a .jsonl file")
        if sink.path.parent and not sink.path.parent.exists():
            raise RecordsError(f"output directory {sink.path.parent} does not exist")
        sink._output_lock = OutputLock.acquire(sink.path)  # before reading: one run per output
        try:
            exists = sink.path.exists() and sink.path.stat().st_size > 0
            if exists and not resume:
                raise RecordsError(f"output {sink.path} already has records; pass --resume "
                                   "(resume=True) to continue that run, or choose a new file")
            if exists:
                sink.repaired = _repair_tail(sink.path)
                sink._done.update(key_of(r) for r in read_records(sink.path))
            sink._fd = os.open(sink.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except BaseException:
            sink._output_lock.release()
            raise
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
        """Flush (per the fsync policy), close, and let the next run have the output."""
        if self._fd is None:
            return
        try:
            if self.fsync != "never":
                os.fsync(self._fd)
        finally:
            os.close(self._fd)
            self._fd = None
            if self._output_lock is not None:
                self._output_lock.release()

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
