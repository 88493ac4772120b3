"""``Client.batch`` with a sink, resume, progress callbacks and a bar."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from lingyun.bulk import Progress, expand_all
from lingyun.bulk.records import Journal, JsonlSink, key_of, read_records
from lingyun.client import Client
from lingyun.errors import UsageError
from lingyun.pytest_plugin import LingyunService

from .conftest import png, received, write_images


@pytest.fixture
def client(replay: LingyunService):
    with Client(replay.app_key, replay.dev_key, replay.url, backoff=0.0) as client:
        yield client


def test_progress_callback_sees_every_page(client: Client, tmp_path: Path) -> None:
    paths = write_images(tmp_path, 9)
    seen: list[tuple[int, int | None]] = []

    def callback(progress: Progress) -> None:
        seen.append((progress.done, progress.total))

    items = list(client.batch(paths, workers=3, progress=callback))
    assert len(items) == 9 and all(item.ok for item in items)
    assert seen == [(n, 9) for n in range(1, 10)]


def test_sink_path_then_resume_skips(client: Client, replay: LingyunService,
                                     tmp_path: Path) -> None:
    paths = write_images(tmp_path / "in", 6)
    out = tmp_path / "out.jsonl"
    first = list(client.batch(paths[:4], sink=out))
    assert all(item.record is not None and item.record["ok"] for item in first)
    with pytest.raises(UsageError, match="already has records"):
        list(client.batch(paths, sink=out))
    items = list(client.batch(paths, sink=out, resume=True, ordered=True))
    assert [item.skipped for item in items] == [True] * 4 + [False] * 2
    assert all(item.result is None for item in items[:4])
    assert len(list(read_records(out))) == 6
    assert sorted(received(replay).values()) == [1] * 6
    assert Path(f"{out}.journal").exists()


def test_a_call_in_flight_at_a_stop_is_sent_again_under_its_own_journal_row(
        client: Client, replay: LingyunService, tmp_path: Path) -> None:
    paths = write_images(tmp_path / "in", 3)
    out = tmp_path / "out.jsonl"
    list(client.batch(paths[:1], sink=out))
    (elsewhere,) = client.batch(paths[1:2], sink=tmp_path / "elsewhere.jsonl")
    lost = key_of(elsewhere.record)
    journal = Journal.beside(out)
    journal.start(lost, str(paths[1]), None)  # a run was killed with this call in flight
    journal.close()
    items = list(client.batch(paths, sink=out, resume=True, ordered=True))
    assert [item.skipped for item in items] == [True, False, False]
    journal = Journal.beside(out)
    assert journal.in_flight(Counter(key_of(r) for r in read_records(out))) == []
    journal.close()


def test_identical_bytes_are_two_inputs_with_two_records(client: Client,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    list(client.batch([png(1)], sink=out))
    items = list(client.batch([png(1), png(1)], sink=out, resume=True, ordered=True))
    assert [item.skipped for item in items] == [True, False]
    assert len(list(read_records(out))) == 2


def test_a_sink_object_is_the_callers(client: Client, tmp_path: Path) -> None:
    sink = JsonlSink.open(tmp_path / "out.jsonl")
    list(client.batch([png(2), png(3)], sink=sink))
    sink.write({"note": "still open"})  # batch did not close what it did not open
    sink.close()
    assert len(list(read_records(tmp_path / "out.jsonl"))) == 3


def test_pages_of_a_pdf_through_batch(client: Client, replay: LingyunService,
                                      tmp_path: Path) -> None:
    from PIL import Image

    pages = [Image.new("L", (120, 80), color=60 * n) for n in range(3)]
    pages[0].save(tmp_path / "doc.pdf", "PDF", save_all=True, append_images=pages[1:])
    items = list(client.batch(expand_all([str(tmp_path / "doc.pdf")]), ordered=True))
    assert [(item.page, item.ok) for item in items] == [(1, True), (2, True), (3, True)]
    assert len(replay.requests) == 3


def test_progress_true_draws_a_bar(client: Client, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    list(client.batch(write_images(tmp_path, 4), progress=True))
    err = capsys.readouterr().err
    assert "4/4" in err and "ok=4" in err


def test_the_clients_limiter_paces_every_attempt_and_slows_when_busy(
    replay: LingyunService, tmp_path: Path
) -> None:
    from lingyun.bulk.ratelimit import RateLimiter

    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = RateLimiter(10, clock=lambda: now[0], sleep=sleep, max_slowdown=4)
    replay.fail_next(250, times=2)  # two busy answers, each retried
    with Client(replay.app_key, replay.dev_key, replay.url, backoff=0.0,
                limiter=limiter) as client:
        items = list(client.batch(write_images(tmp_path, 5), workers=1))
    assert all(item.ok for item in items) and len(replay.requests) == 7
    # 7 attempts; the two busy answers doubled the interval twice before successes
    # brought it back: more than the 0.6 s that 7 calls at 10/s would take.
    assert now[0] > 0.6
    assert limiter.slowdown < 4


def test_cli_qps_builds_the_limiter(service_env: LingyunService, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    from lingyun.cli import EXIT_OK, EXIT_USAGE, main

    write_images(tmp_path / "in", 3)
    argv = ["ocr", str(tmp_path / "in"), "--out", str(tmp_path / "o.jsonl")]
    assert main([*argv, "--qps", "0"]) == EXIT_USAGE
    assert "qps must be a positive" in capsys.readouterr().err
    assert main([*argv, "--qps", "1000", "--burst", "3", "--no-adaptive"]) == EXIT_OK
    assert len(service_env.requests) == 3
