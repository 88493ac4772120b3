"""Records: whole-line appends, torn-tail repair, resume keys counted, the journal, Parquet."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lingyun.bulk.records import (
    Journal,
    JsonlSink,
    ParquetSink,
    RecordsError,
    error_info,
    key_of,
    make_record,
    read_records,
    record_key,
)
from lingyun.errors import ImageError, error_for_code
from lingyun.results.text import TextResult


def _record(n: int, ok: bool = True) -> dict:
    result = TextResult("text.chinese", f"文字{n}", raw={"error": 0})
    error = None if ok else error_for_code(250, "忙")
    return make_record(f"img{n}.png", None, f"{n:064x}", "text.chinese", {"lang": "x"},
                       result=result, error=error)


def test_record_shape_success_and_failure() -> None:
    good, bad = _record(1), _record(2, ok=False)
    assert good["ok"] is True and good["result"]["text"] == "文字1" and "error" not in good
    assert bad["ok"] is False and "result" not in bad
    assert bad["error"] == {"type": "TransientError", "code": 250,
                            "message": "error 250 (server network error): 忙"}
    assert error_info(ImageError("gone"))["code"] is None
    assert error_info(RuntimeError("bug"))["message"] == "RuntimeError: bug"


def test_keys_ignore_option_order_and_fall_back_to_source() -> None:
    assert record_key("ab", "t", {"a": 1, "b": True}) == record_key("ab", "t", {"b": True, "a": 1})
    assert record_key("ab", "t", {}) != record_key("ab", "u", {})
    assert record_key(None, "t", {}, source="x.png", page=2).startswith("source:x.png#2|")


def test_each_record_is_one_line_and_a_fresh_run_refuses_an_old_output(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with JsonlSink.open(out) as sink:
        for n in range(5):
            sink.write(_record(n))
    lines = out.read_bytes().split(b"\n")
    assert lines[-1] == b"" and len(lines) == 6
    assert [json.loads(line)["source"] for line in lines[:-1]] == [f"img{n}.png" for n in range(5)]
    with pytest.raises(RecordsError, match="already has records; pass --resume"):
        JsonlSink.open(out)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(1, 400))
def test_a_torn_last_line_is_cut_and_resume_counts_the_rest(tmp_path: Path, cut: int) -> None:
    out = tmp_path / f"torn{cut}.jsonl"
    with JsonlSink.open(out) as sink:
        for n in range(3):
            sink.write(_record(n))
    whole = out.read_bytes()
    last_start = whole.rstrip(b"\n").rfind(b"\n") + 1
    torn = whole[: min(len(whole) - 1, last_start + cut)]  # the last line lost its tail
    out.write_bytes(torn)
    assert [r["source"] for r in read_records(out)] == ["img0.png", "img1.png"]
    sink = JsonlSink.open(out, resume=True)
    sink.close()
    assert sink.repaired == 1
    assert out.read_bytes() == whole[:last_start]
    assert sink.done() == Counter({key_of(_record(0)): 1, key_of(_record(1)): 1})


def test_a_complete_output_needs_no_repair(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with JsonlSink.open(out) as sink:
        sink.write(_record(0))
    with JsonlSink.open(out, resume=True) as sink:
        assert sink.repaired == 0 and sum(sink.done().values()) == 1


def test_a_foreign_line_is_named_not_skipped(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text('{"ok": true}\nnot json\n{"ok": true}\n')
    with pytest.raises(RecordsError, match="line 2 is not JSON"):
        JsonlSink.open(out, resume=True)


def test_duplicate_keys_are_counted(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with JsonlSink.open(out) as sink:
        sink.write(_record(7))
        sink.write(_record(7))
    with JsonlSink.open(out, resume=True) as sink:
        assert sink.done()[key_of(_record(7))] == 2


def test_fsync_policy_is_checked(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="fsync must be one of close, always, never"):
        JsonlSink.open(tmp_path / "x.jsonl", fsync="sometimes")
    with JsonlSink.open(tmp_path / "y.jsonl", fsync="always") as sink:
        sink.write(_record(1))
    assert len(list(read_records(tmp_path / "y.jsonl"))) == 1


def test_journal_reports_started_calls_without_records(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    journal = Journal.beside(out)
    for n in range(4):
        journal.start(f"k{n}", f"img{n}.png", None)
    journal.start("k1", "copy-of-img1.png", None)  # same bytes, second input
    journal.close()
    reopened = Journal.beside(out)
    lost = reopened.in_flight(Counter({"k0": 1, "k1": 1, "k3": 1}))
    assert [(e.key, e.source) for e in lost] == [("k2", "img2.png"), ("k1", "copy-of-img1.png")]
    reopened.clear()
    assert reopened.in_flight(Counter()) == []
    reopened.close()
    assert Path(f"{out}.journal").exists()


def test_carry_over_keeps_only_the_calls_in_flight(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    journal = Journal.beside(out)
    for n in range(4):
        journal.start(f"k{n}", f"img{n}.png", None)
    journal.start("k1", "copy-of-img1.png", None)
    kept = journal.carry_over(Counter({"k0": 1, "k1": 1, "k3": 1}))
    assert [(e.key, e.source) for e in kept] == [("k2", "img2.png"), ("k1", "copy-of-img1.png")]
    journal.close()
    # Stopped again before either was sent: the next resume still sees both in flight.
    reopened = Journal.beside(out)
    assert reopened.in_flight(Counter()) == kept
    # One of them was sent again and recorded: only the other is left.
    assert [e.key for e in reopened.in_flight(Counter({"k2": 1}))] == ["k1"]
    reopened.close()


def test_a_corrupt_journal_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "out.jsonl.journal"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(RecordsError, match="is not usable"):
        Journal.beside(tmp_path / "out.jsonl").in_flight(Counter())


@pytest.mark.integration
def test_parquet_dataset_round_trip_and_resume(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="pyarrow: pip install 'lingyun[integrations]'")
    directory = tmp_path / "dataset"
    with ParquetSink(directory, flush_every=2) as sink:
        for n in range(5):
            sink.write(_record(n, ok=n != 3))
    parts = sorted(p.name for p in directory.iterdir())
    assert len(parts) == 3 and all(p.startswith("part-") for p in parts)
    back = sorted(ParquetSink.read(directory), key=lambda r: r["source"])
    assert back == sorted((_record(n, ok=n != 3) for n in range(5)), key=lambda r: r["source"])
    with pytest.raises(RecordsError, match="already has parts"):
        ParquetSink(directory)
    assert sum(ParquetSink(directory, resume=True).done().values()) == 5
    assert not any(name.endswith(".tmp") for name in os.listdir(directory))


def test_records_is_split_by_job_and_keeps_its_public_names() -> None:
    import lingyun.bulk.records as records
    from lingyun.bulk import journal, jsonl, parquet, record

    homes = {"JsonlSink": jsonl, "read_records": jsonl, "Sink": jsonl,
             "FSYNC_POLICIES": jsonl, "ParquetSink": parquet, "Journal": journal,
             "InFlight": journal, "make_record": record, "record_key": record,
             "key_of": record, "error_info": record, "canonical_options": record,
             "RecordsError": record}
    assert set(records.__all__) == set(homes)
    for name, module in homes.items():
        assert getattr(records, name) is getattr(module, name), name
        assert name in module.__all__, name


def test_a_non_utf8_name_survives_jsonl_and_parquet(tmp_path: Path) -> None:
    name = os.fsdecode(b"scans/caf\xe9.png")
    record = make_record(name, None, None, "text.chinese", {}, error=ImageError(f"no {name}"))
    with JsonlSink.open(tmp_path / "out.jsonl") as sink:
        sink.write(record)
    (back,) = read_records(tmp_path / "out.jsonl")
    assert back["source"] == "scans/caf\\xe9.png" and key_of(back) == key_of(record)
    pytest.importorskip("pyarrow")
    parquet = ParquetSink(tmp_path / "out.parquet")
    parquet.write(record)
    parquet.close()
    (row,) = ParquetSink.read(tmp_path / "out.parquet")
    assert row["path_bytes"] == record["path_bytes"] and key_of(row) == key_of(record)
