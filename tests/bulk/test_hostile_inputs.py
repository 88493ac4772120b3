"""Inputs that attack a bulk run: each becomes one record for that input, and the run goes on.

Odd names (not UTF-8), files that are not regular files (a FIFO, a symlink to ``/dev/zero``),
a sparse file claiming 20 GB -- each is one error record (or, for the odd name, one ordinary
record that names the file exactly), never a crash, a hang or an unbounded read.
"""

from __future__ import annotations

import base64
import os
import sys
from pathlib import Path

import pytest

from lingyun.bulk import expand
from lingyun.bulk.files import from_name_bytes, portable, read_file
from lingyun.bulk.records import key_of, read_records
from lingyun.cli import EXIT_PARTIAL, main
from lingyun.errors import ImageError
from lingyun.pytest_plugin import LingyunService

from .conftest import png

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file kinds")


def _odd_folder(root: Path) -> tuple[bytes, bytes]:
    """A folder with a good PNG under a Latin-1 name, and a FIFO under an invalid name."""
    root.mkdir()
    good = os.fsencode(root) + b"/caf\xe9.png"
    with open(good, "wb") as handle:
        handle.write(png(7))
    fifo = os.fsencode(root) + b"/pipe\xff.png"
    os.mkfifo(fifo)
    return good, fifo


@posix_only
def test_non_utf8_names_are_recorded_exactly_and_resume_skips_them(
    service_env: LingyunService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, fifo = _odd_folder(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    argv = ["ocr", str(tmp_path / "in"), "--out", str(out)]
    assert main(argv) == EXIT_PARTIAL  # the FIFO is an error record; the run finished
    records = {r["ok"]: r for r in read_records(out)}
    assert len(list(read_records(out))) == 2
    ok, failed = records[True], records[False]
    assert base64.b64decode(ok["path_bytes"]) == good  # the exact name, losslessly
    assert ok["source"].endswith("caf\\xe9.png")  # readable, and valid UTF-8
    assert base64.b64decode(failed["path_bytes"]) == fifo
    assert failed["error"]["type"] == "ImageError"
    assert "FIFO" in failed["error"]["message"] and "pipe\\xff.png" in failed["error"]["message"]
    assert len(service_env.requests) == 1
    capsys.readouterr()
    service_env.reset()
    assert main([*argv, "--resume"]) == 0
    assert "2 already in the output" in capsys.readouterr().err
    assert service_env.requests == []  # nothing billed twice
    assert len(list(read_records(out))) == 2


def test_a_record_key_survives_the_trip_through_path_bytes() -> None:
    from lingyun.bulk.records import make_record, record_key

    name = os.fsdecode(b"dir/\xff\xfe.png")
    record = make_record(name, None, None, "text", {}, error=ImageError(f"bad {name}"))
    assert from_name_bytes(record["path_bytes"]) == name
    assert key_of(record) == record_key(None, "text", {}, source=name, page=None)
    assert record["error"]["message"] == "bad dir/\\xff\\xfe.png"
    assert portable(name).encode("utf-8")


@posix_only
def test_a_fifo_a_device_link_and_a_sparse_giant_are_refused_without_reading(
    tmp_path: Path
) -> None:
    fifo = tmp_path / "p.png"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.png"
    zero.symlink_to("/dev/zero")
    sparse = tmp_path / "huge.jpg"
    with open(sparse, "wb") as handle:
        handle.truncate(20 << 30)  # 20 GB of nothing, no disk used
    expected = {fifo: "is a FIFO", zero: "character device (through a symlink)",
                sparse: "is 20.0 GB, over the 256.0 MB"}
    for path, words in expected.items():
        (page,) = expand(str(path))  # listing must not block on the FIFO
        with pytest.raises(ImageError, match=words.replace("(", r"\(").replace(")", r"\)")):
            page.load()
    with pytest.raises(ImageError, match="not found"):
        read_file(str(tmp_path / "gone.png"))
    with pytest.raises(ImageError, match="over the 10 bytes"):
        small = tmp_path / "small.png"
        small.write_bytes(png(1))
        read_file(str(small), limit=10)


@posix_only
def test_a_run_over_hostile_files_gives_one_record_each(
    service_env: LingyunService, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "p.png")
    (folder / "zero.png").symlink_to("/dev/zero")
    with open(folder / "huge.jpg", "wb") as handle:
        handle.truncate(20 << 30)
    (folder / "fine.png").write_bytes(png(3))
    out = tmp_path / "out.jsonl"
    assert main(["ocr", str(folder), "--out", str(out)]) == EXIT_PARTIAL
    records = list(read_records(out))
    assert sorted(Path(r["source"]).name for r in records) == [
        "fine.png", "huge.jpg", "p.png", "zero.png"]
    assert [r["ok"] for r in records].count(True) == 1
    assert {r["error"]["type"] for r in records if not r["ok"]} == {"ImageError"}
    assert len(service_env.requests) == 1
