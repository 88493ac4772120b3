"""One run per output: an exclusive lock beside the records, naming the run that holds it.

Two runs appending to one output would each send every page the other has not recorded
yet -- twice the calls, twice the bill, two records per page -- and both would exit 0.  So a
sink takes :class:`OutputLock` on ``<output>.lock`` before it reads or writes anything, and
keeps it until it closes.  A second run finds the lock taken and stops with
:class:`OutputLocked` (exit code 2), saying which process holds it::

    lingyun: output scans.jsonl is in use by another run (pid 4242 on host1, since
    2026-12-03 08:00:00 UTC); wait for it to finish, or choose another --out

The lock is the operating system's (``flock`` on POSIX, ``msvcrt.locking`` on Windows), held
by an open descriptor: when the holder exits -- even by ``kill -9`` -- the kernel lets go, so
a stale lock file never blocks a ``--resume``.  The file itself stays (removing it would let
a third run lock a new file while the second still holds the old one); its content is only a
note of the holder for the message.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from pathlib import Path

from ..errors import UsageError

__all__ = ["OutputLock", "OutputLocked", "lock_path"]


class OutputLocked(UsageError):
    """Another run holds the output (its pid, host and start time are in the message)."""


def lock_path(output: str | os.PathLike[str]) -> Path:
    """Where the lock of ``output`` lives: ``<output>.lock`` beside it."""
    return Path(f"{os.fspath(output)}.lock")


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # byte 0; the note is after it
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


class OutputLock:
    """The exclusive lock of one output; :meth:`acquire` it, :meth:`release` when done."""

    def __init__(self, output: str | os.PathLike[str]) -> None:
        self.output = os.fspath(output)
        self.path = lock_path(output)
        self._fd: int | None = None

    @classmethod
    def acquire(cls, output: str | os.PathLike[str]) -> OutputLock:
        """Take the lock of ``output`` or raise :class:`OutputLocked` naming the holder."""
        lock = cls(output)
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) \
            | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(lock.path, flags, 0o644)
        except OSError as exc:
            raise UsageError(f"cannot create the lock {lock.path} of output {lock.output}: "
                             f"{exc.strerror or exc}") from None
        if not _try_lock(fd):
            holder = _holder(fd)
            os.close(fd)
            raise OutputLocked(f"output {lock.output} is in use by another run ({holder}); "
                               "wait for it to finish, or choose another --out")
        note = json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                           "since": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())})
        os.ftruncate(fd, 1)
        os.lseek(fd, 1, os.SEEK_SET)
        os.write(fd, note.encode() + b"\n")
        lock._fd = fd
        return lock

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Let go of the lock (idempotent)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 1)  # no holder to name any more
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> OutputLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _holder(fd: int) -> str:
    """What the lock file says about its holder, as words for the message."""
    try:
        os.lseek(fd, 1, os.SEEK_SET)
        note = json.loads(os.read(fd, 4096) or b"{}")
        return f"pid {int(note['pid'])} on {note['host']}, since {note['since']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "a process that has not written its pid yet"
