"""Worker processes that die with their parent, however the parent dies.

An engine worker holds a model (0.4-0.5 GB).  When its parent ends normally the pool shuts
it down, but a ``kill -9`` (a supervisor, the OOM killer) runs no cleanup: without help the
worker, and the multiprocessing resource tracker it keeps open, would run for ever.  So each
worker calls :func:`die_with_parent` first thing, which sets up two independent lifelines:

* **Linux: a parent-death signal** (``prctl(PR_SET_PDEATHSIG, SIGKILL)`` through ctypes): the
  kernel kills the worker the moment its parent goes, even if the worker is stuck in native
  code.  The kernel ties this signal to the parent *thread* that started the worker, so the
  pool starts its workers from a thread that lives as long as the pool (see
  :class:`~lingyun.service.engines.pool.EnginePool`).
* **Everywhere: a watched pipe.**  A ``spawn`` child holds the read end of a pipe whose write
  end only its parent holds (``multiprocessing.parent_process().sentinel``); the parent's
  death closes it, and a daemon thread waiting on it ends the worker.

The resource tracker needs nothing of its own: it exits when the last process holding its
pipe (the parent and the workers) is gone.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading

__all__ = ["die_with_parent", "set_parent_death_signal"]

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
#: The exit status of a worker that ended because its parent was gone.
ORPHAN_EXIT = 70


def set_parent_death_signal(signum: int = signal.SIGKILL if hasattr(signal, "SIGKILL")
                            else 9) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent thread ends.

    True when set; False on other systems or when the C library has no ``prctl``.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return False
    prctl.restype = ctypes.c_int
    if prctl(_PR_SET_PDEATHSIG, ctypes.c_ulong(signum), ctypes.c_ulong(0),
             ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0:
        return False
    return True


def _exit_when(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])  # readable: end of stream, the parent is gone
    os._exit(ORPHAN_EXIT)  # no cleanup: nobody is left to hand results to


def die_with_parent(parent_pid: int) -> None:
    """Make this (``spawn``-started) process end within moments of its parent's death.

    ``parent_pid`` is the parent's process id as the parent saw it; if the parent is already
    gone (it died before the lifelines were set) the process exits at once.
    """
    set_parent_death_signal()
    parent = multiprocessing.parent_process()
    if os.name == "posix" and os.getppid() != parent_pid:
        os._exit(ORPHAN_EXIT)  # reparented already: the parent died before prctl
    if parent is not None and parent.sentinel is not None:
        threading.Thread(target=_exit_when, args=(parent.sentinel,), daemon=True,
                         name="lingyun-parent-watch").start()
