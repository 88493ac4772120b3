"""The journal of a bulk run: which calls started, so a resume knows which were in flight.

The journal (:class:`Journal`, SQLite in WAL mode beside the output) records the key of
every call *before* it starts.  After a crash, started keys without a record are exactly the
calls that were in flight: the only ones ``--resume`` may send a second time.  A resumed
run keeps just those rows (:meth:`Journal.carry_over`), so a call in flight at one stop is
still reported at the next if the run is stopped again before it is sent.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .files import portable
from .record import RecordsError

__all__ = ["InFlight", "Journal"]


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
                               (portable(key), portable(source), page))

    def close(self) -> None:
        with self._lock:
            self._conn.close()
