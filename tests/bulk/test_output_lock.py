"""One run per output: a second run on a locked output exits 2 naming the holder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from lingyun.bulk.lock import OutputLock, OutputLocked
from lingyun.bulk.records import JsonlSink, ParquetSink, read_records
from lingyun.cli import EXIT_OK, EXIT_USAGE, main
from lingyun.pytest_plugin import LingyunService
from lingyun.service.accounts import DEFAULT_APP_KEY, DEFAULT_DEV_KEY, Accounts
from lingyun.service.control import Control, RecordedRequest
from lingyun.service.core import ServiceCore
from lingyun.service.engines.replay import ReplayEngine
from lingyun.service.server import LocalServer

from .conftest import child_env, write_images

_HOLDER = """
import sys
from lingyun.bulk.records import JsonlSink
sink = JsonlSink.open(sys.argv[1])
print("held", flush=True)
sys.stdin.read()
"""


def test_a_second_run_on_a_held_output_exits_2_naming_the_holder(
    service_env: LingyunService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_images(tmp_path / "in", 3)
    out = tmp_path / "out.jsonl"
    argv = ["ocr", str(tmp_path / "in"), "--out", str(out)]
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(out)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert main(argv) == EXIT_USAGE
        err = capsys.readouterr().err
        assert f"output {out} is in use by another run (pid {holder.pid} on " in err
        assert service_env.requests == []  # nothing sent, nothing billed
        assert not out.exists() or out.stat().st_size == 0
        holder.send_signal(signal.SIGKILL)  # the kernel lets go of a dead holder's lock
        holder.wait()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    assert main(argv) == EXIT_OK
    assert len(list(read_records(out))) == 3
    assert len(service_env.requests) == 3


def test_two_runs_in_one_process_and_resume_after_close(
    service_env: LingyunService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_images(tmp_path / "in", 2)
    out = tmp_path / "out.jsonl"
    first = JsonlSink.open(out)
    assert main(["ocr", str(tmp_path / "in"), "--out", str(out)]) == EXIT_USAGE
    assert f"(pid {os.getpid()} on" in capsys.readouterr().err
    with pytest.raises(OutputLocked, match="choose another --out"):
        JsonlSink.open(out, resume=True)
    first.close()
    assert main(["ocr", str(tmp_path / "in"), "--out", str(out), "--resume"]) == EXIT_OK


def test_parquet_outputs_are_locked_too(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    target = tmp_path / "records.parquet"
    sink = ParquetSink(target)
    with pytest.raises(OutputLocked, match="in use by another run"):
        ParquetSink(target, resume=True)
    sink.close()
    ParquetSink(target, resume=True).close()


def test_the_lock_is_released_and_reusable(tmp_path: Path) -> None:
    lock = OutputLock.acquire(tmp_path / "x.jsonl")
    assert lock.held and lock.path == tmp_path / "x.jsonl.lock"
    lock.release()
    lock.release()  # idempotent
    with OutputLock.acquire(tmp_path / "x.jsonl") as again:
        assert again.held
    assert not again.held


class _Hold(Control):
    """Fires ``started`` at the first request and holds every answer until ``release``."""

    def __init__(self) -> None:
        super().__init__()
        self.started = threading.Event()
        self.released = threading.Event()

    def record(self, request: RecordedRequest, *args: Any, **kwargs: Any) -> None:
        super().record(request, *args, **kwargs)
        self.started.set()
        self.released.wait(60)


def test_two_real_runs_at_once_one_output_one_bill(tmp_path: Path) -> None:
    """The issue's case: two ``lingyun ocr`` runs on one output.  The second exits 2 with
    the first's pid before sending anything; the first finishes alone: 6 records, 6 calls."""
    write_images(tmp_path / "in", 6)
    out = tmp_path / "out.jsonl"
    control = _Hold()
    core = ServiceCore(accounts=Accounts(), control=control, engines=[ReplayEngine()])
    with LocalServer(core, workers=4) as server:
        service = LingyunService(server, control, DEFAULT_APP_KEY, DEFAULT_DEV_KEY)
        argv = [sys.executable, "-m", "lingyun", "ocr", str(tmp_path / "in"), "--out",
                str(out), "--workers", "2"]
        first = subprocess.Popen(argv, env=child_env(service), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        try:
            assert control.started.wait(60), "the first run never sent a request"
            second = subprocess.run(argv, env=child_env(service), capture_output=True,
                                    text=True, timeout=120)
            assert second.returncode == EXIT_USAGE
            assert f"in use by another run (pid {first.pid} on" in second.stderr
            held = len(service.requests)  # only the first run's calls, held
        finally:
            control.released.set()
            _, err = first.communicate(timeout=120)
        assert first.returncode == EXIT_OK, err
    assert held <= 2  # two workers: nothing came from the second run
    assert len(list(read_records(out))) == 6
    assert len(service.requests) == 6
