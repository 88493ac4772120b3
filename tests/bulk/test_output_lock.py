"""One run per output: a second run on a locked output exits 2 naming the holder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from lingyun.bulk.lock import OutputLock, OutputLocked
from lingyun.bulk.records import JsonlSink, ParquetSink, read_records
from lingyun.cli import EXIT_OK, EXIT_USAGE, main
from lingyun.pytest_plugin import LingyunService

from .conftest import write_images

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
