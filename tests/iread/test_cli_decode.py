"""``lingyun decode``: saved streams and saved whole replies, every format, bad streams."""

from __future__ import annotations

import csv
import io
import json

import pytest

from lingyun.cli import EXIT_USAGE, main

from .conftest import char, line, page, region

STREAM = page(640, 480) + region() + line() + char("灵") + char("云", space_before=1)


def test_jsonl_one_object_per_node(tmp_path, capsys) -> None:
    path = tmp_path / "s.bin"
    path.write_bytes(STREAM)
    assert main(["decode", str(path)]) == 0
    records = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [r["type"] for r in records] == ["page", "region", "line", "char", "char"]
    assert records[0]["width"] == 640 and records[4]["text"] == "云"
    assert records[4]["space_before"] == 1 and records[4]["line"] == 0


def test_text_of_a_whole_saved_reply(tmp_path, capsys) -> None:
    head = json.dumps({"error": 0, "text": "请求成功", "data": {"forms": {"form": "灵 云"}}},
                      ensure_ascii=False).encode()
    path = tmp_path / "reply.bin"
    path.write_bytes(head + STREAM)
    assert main(["decode", str(path), "--json-length", str(len(head)), "-f", "text"]) == 0
    assert capsys.readouterr().out == "灵 云\n"


def test_csv_tables(tmp_path, capsys) -> None:
    path = tmp_path / "s.bin"
    path.write_bytes(STREAM)
    assert main(["decode", str(path), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    chars = [r for r in rows if r[0] == "char"]
    assert len(chars) == 2 and chars[1][-1] == "云"


@pytest.mark.parametrize(("cut", "index"), [(STREAM[:100], 2), (STREAM[48:], 0)])
def test_bad_stream_names_node_and_offset(tmp_path, capsys, cut: bytes, index: int) -> None:
    path = tmp_path / "bad.bin"
    path.write_bytes(cut)
    # A damaged file is the user's input, not the service's answer: a usage error (exit 2).
    assert main(["decode", str(path)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert f"node {index} (byte {index * 48})" in err and "Traceback" not in err
    assert "is not an IREAD_NODE position stream" in err
