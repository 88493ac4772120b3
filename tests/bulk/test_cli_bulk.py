"""``lingyun ocr`` as a bulk command, against a real replay service over HTTP."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from lingyun.bulk.records import read_records
from lingyun.cli import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, main
from lingyun.pytest_plugin import LingyunService

from .conftest import received, sha, write_images

REQUIRED = {"source", "page", "sha256", "document_type", "options", "ok"}


def test_a_directory_gives_one_record_per_image(
    service_env: LingyunService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = write_images(tmp_path / "in" / "nested", 12)
    out = tmp_path / "out.jsonl"
    assert main(["ocr", str(tmp_path / "in"), "--out", str(out), "--positions"]) == EXIT_OK
    captured = capsys.readouterr()
    assert captured.out == ""  # records go to the file, not to stdout
    assert captured.err.strip().splitlines() == [
        captured.err.strip().splitlines()[0]]  # one summary line, no bar off a terminal
    assert "12 page(s)" in captured.err and "12 ok, 0 failed" in captured.err
    records = list(read_records(out))
    assert sorted(r["source"] for r in records) == sorted(map(str, paths))
    for record in records:
        assert REQUIRED <= set(record) and record["ok"] and record["page"] is None
        assert record["options"] == {"withPosition": True}
        assert record["sha256"] == sha(Path(record["source"]).read_bytes())
        assert record["result"]["kind"] == "text" and record["result"]["positions"] == ""
    assert sorted(received(service_env).values()) == [1] * 12


def test_failures_are_recorded_counted_by_class_and_exit_5(
    service_env: LingyunService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_images(tmp_path / "in", 6)
    service_env.fail_next(262, times=2, text="不支持")
    out = tmp_path / "out.jsonl"
    code = main(["ocr", str(tmp_path / "in"), str(tmp_path / "gone.png"), "--out", str(out)])
    assert code == EXIT_PARTIAL
    err = capsys.readouterr().err
    assert "7 page(s)" in err and "4 ok, 3 failed (UnsupportedError 2, ImageError 1)" in err
    errors = [r["error"] for r in read_records(out) if not r["ok"]]
    assert sorted(e["type"] for e in errors) == ["ImageError", "UnsupportedError",
                                                 "UnsupportedError"]
    service_error = next(e for e in errors if e["type"] == "UnsupportedError")
    assert service_error["code"] == 262 and "不支持" in service_error["message"]
    missing = next(r for r in read_records(out)
                   if not r["ok"] and r["error"]["type"] == "ImageError")
    assert missing["sha256"] is None and missing["source"].endswith("gone.png")


def test_resume_sends_only_what_is_missing(
    service_env: LingyunService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_images(tmp_path / "in", 5)
    out = tmp_path / "out.jsonl"
    argv = ["ocr", str(tmp_path / "in"), "--out", str(out)]
    assert main(argv) == EXIT_OK
    assert main(argv) == EXIT_USAGE  # a fresh run never appends to an old output
    assert "already has records; pass --resume" in capsys.readouterr().err
    write_images(tmp_path / "in", 3, start=100)
    service_env.reset()
    assert main([*argv, "--resume"]) == EXIT_OK
    assert "3 ok, 0 failed; 5 already in the output" in capsys.readouterr().err
    assert len(service_env.requests) == 3
    assert len(list(read_records(out))) == 8


def test_a_moved_file_is_not_sent_again(service_env: LingyunService, tmp_path: Path) -> None:
    (path,) = write_images(tmp_path / "in", 1)
    out = tmp_path / "out.jsonl"
    assert main(["ocr", str(path), "--out", str(out)]) == EXIT_OK
    moved = path.rename(tmp_path / "renamed.png")
    assert main(["ocr", str(moved), "--out", str(out), "--resume"]) == EXIT_OK
    assert len(service_env.requests) == 1  # keyed by the bytes, not the name


def test_a_torn_last_line_is_repaired_and_its_page_sent_again(
    service_env: LingyunService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = write_images(tmp_path / "in", 4)
    out = tmp_path / "out.jsonl"
    assert main(["ocr", str(tmp_path / "in"), "--out", str(out), "--workers", "1"]) == EXIT_OK
    whole = out.read_bytes()
    out.write_bytes(whole[:-40])  # as if the power went out in the middle of a write
    service_env.reset()
    assert main(["ocr", str(tmp_path / "in"), "--out", str(out), "--resume"]) == EXIT_OK
    assert "cut off a torn last line" in capsys.readouterr().err
    assert sorted(r["source"] for r in read_records(out)) == sorted(map(str, paths))
    assert len(service_env.requests) == 1


def test_lists_and_stdin(service_env: LingyunService, tmp_path: Path,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    paths = write_images(tmp_path / "in", 4)
    (tmp_path / "list.txt").write_text(f"{paths[0]}\n{paths[1]}\n")
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{paths[2]}\n"))
    out = tmp_path / "out.jsonl"
    assert main(["ocr", f"@{tmp_path / 'list.txt'}", "-", "--out", str(out)]) == EXIT_OK
    assert sorted(r["source"] for r in read_records(out)) == sorted(map(str, paths[:3]))


def test_pdf_pages_are_records_with_page_numbers(service_env: LingyunService,
                                                 tmp_path: Path) -> None:
    pages = [Image.new("L", (200, 100), color=40 * n) for n in range(5)]
    pages[0].save(tmp_path / "doc.pdf", "PDF", save_all=True, append_images=pages[1:])
    out = tmp_path / "out.jsonl"
    argv = ["ocr", str(tmp_path / "doc.pdf"), "--pages", "2-3,5", "--dpi", "72", "--out", str(out)]
    assert main(argv) == EXIT_OK
    records = sorted(read_records(out), key=lambda r: r["page"])
    assert [r["page"] for r in records] == [2, 3, 5]
    assert all(r["source"] == str(tmp_path / "doc.pdf") for r in records)
    bodies = [r.body for r in service_env.requests]
    assert all(body.startswith(b"\x89PNG") for body in bodies)
    assert {sha(body) for body in bodies} == {r["sha256"] for r in records}


def test_progress_bar_when_asked(service_env: LingyunService, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    write_images(tmp_path / "in", 3)
    argv = ["ocr", str(tmp_path / "in"), "--out", str(tmp_path / "o.jsonl"),
            "--progress", "always"]
    assert main(argv) == EXIT_OK
    err = capsys.readouterr().err
    assert "3/3" in err and "ok=3" in err and "failed=0" in err


def test_an_account_error_stops_the_run_and_resume_finishes_it(
    service_env: LingyunService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = write_images(tmp_path / "in", 20)
    out = tmp_path / "out.jsonl"
    service_env.fail_next(240, times=1)
    argv = ["ocr", str(tmp_path / "in"), "--out", str(out), "--workers", "1"]
    assert main(argv) == EXIT_PARTIAL
    err = capsys.readouterr().err
    assert "AccountError 1" in err and "not sent (the batch stopped" in err
    first = list(read_records(out))
    assert len(first) < 20
    assert main([*argv, "--resume"]) == EXIT_OK
    # The failed call is recorded once; everything else is recorded once, ok.
    records = list(read_records(out))
    assert sorted(r["source"] for r in records) == sorted(map(str, paths))
    assert sum(not r["ok"] for r in records) == 1


def test_transient_busy_is_retried_and_recorded_ok(service_env: LingyunService,
                                                   tmp_path: Path) -> None:
    write_images(tmp_path / "in", 2)
    service_env.fail_next(250, times=1)
    out = tmp_path / "out.jsonl"
    assert main(["ocr", str(tmp_path / "in"), "--out", str(out), "--workers", "1"]) == EXIT_OK
    assert len(service_env.requests) == 3
    assert all(r["ok"] for r in read_records(out))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--resume"], "--resume needs --out"),
        (["--workers", "0"], "--workers must be >= 1"),
        (["--pages", "0-2"], "not a range of pages"),
        (["--glob", "*.nothing"], "no input files found"),
    ],
)
def test_usage_errors(service_env: LingyunService, tmp_path: Path,
                      capsys: pytest.CaptureFixture[str], extra: list[str], message: str) -> None:
    write_images(tmp_path / "in", 1)
    assert main(["ocr", str(tmp_path / "in"), *extra]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_print_mode_keeps_json_per_source(service_env: LingyunService, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    paths = write_images(tmp_path / "in", 3)
    assert main(["ocr", *map(str, paths), "-f", "json"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["source"] for line in lines] == list(map(str, paths))
