"""After ``kill -9`` of ``lingyun serve``, its engine workers and resource tracker exit.

No fixed sleeps: the test lists the service's child processes, kills the service, and polls
``/proc`` until every child is gone (a zombie counts as gone: it holds no memory), failing
after a deadline.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from lingyun.service.engines.lifeline import set_parent_death_signal

from ..conftest import APP_KEY, SECRET_DEV_KEY
from .conftest import PNG, needs_rapidocr, post, signed

ROOT = Path(__file__).resolve().parents[2]
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads /proc (the lifelines themselves are portable)")


def _stat(pid: int) -> tuple[str, int] | None:
    """``(state, parent pid)`` of a live process, None when it is gone or a zombie."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2:].split()
    return None if fields[0] in ("Z", "X") else (fields[0], int(fields[1]))


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[1] == pid:
                found.append(int(entry.name))
    return found


@linux_only
@needs_rapidocr
def test_engine_workers_and_the_resource_tracker_exit_after_kill_9_of_serve():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "lingyun", "serve", "--port", "0", "--engine", "rapidocr",
               "--processes", "2", "--account", f"{APP_KEY}:{SECRET_DEV_KEY}"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        url = proc.stdout.readline().split()[4]
        # The first recognition starts the pool: two workers (and the resource tracker).
        assert post(url, signed("capkey=ocr.cloud,lang=chinese_cn"), body=PNG).error == 0
        children = _children(proc.pid)
        assert len(children) >= 3, children  # two workers and the resource tracker
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    deadline = time.monotonic() + 30
    pause = threading.Event()
    while alive := [pid for pid in children if _stat(pid) is not None]:
        assert time.monotonic() < deadline, f"still running 30 s after kill -9: {alive}"
        pause.wait(0.05)


@linux_only
def test_the_parent_death_signal_is_set_through_prctl():
    """The Linux lifeline: in a fresh child, prctl(PR_SET_PDEATHSIG) succeeds and reads back."""
    code = ("import ctypes, signal\n"
            "from lingyun.service.engines.lifeline import set_parent_death_signal\n"
            "assert set_parent_death_signal(signal.SIGKILL)\n"
            "libc = ctypes.CDLL(None); value = ctypes.c_int()\n"
            "assert libc.prctl(2, ctypes.byref(value), 0, 0, 0) == 0\n"  # PR_GET_PDEATHSIG
            "print(value.value)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, timeout=60)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) == signal.SIGKILL
    assert callable(set_parent_death_signal)
