"""The README's main job: ``lingyun ocr`` with no endpoint runs the embedded local engine."""

from __future__ import annotations

import json

from lingyun.cli import main

from .conftest import SAMPLE_INFO, SAMPLES, needs_rapidocr


@needs_rapidocr
def test_ocr_sample_prints_text_and_says_embedded(capsys) -> None:
    assert main(["ocr", str(SAMPLES / "chinese.png")]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == SAMPLE_INFO["chinese"]["text"]
    assert "embedded local engine" in captured.err and len(captured.err.splitlines()) == 1


@needs_rapidocr
def test_ocr_positions_lists_lines_and_boxes(capsys) -> None:
    assert main(["ocr", str(SAMPLES / "page.png"), "--positions"]) == 0
    out = capsys.readouterr().out
    lines = [x for x in out.splitlines() if x.startswith("line ")]
    chars = [x for x in out.splitlines() if x.startswith("  ")]
    assert len(lines) == len(SAMPLE_INFO["page"]["lines"])
    assert "灵云图像识别服务" in lines[0]
    assert len(chars) >= 20 and all(x.rstrip().endswith((")", "suspect")) for x in chars)


@needs_rapidocr
def test_ocr_positions_json_has_the_layout(capsys) -> None:
    assert main(["ocr", str(SAMPLES / "english.png"), "--positions", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["text"] == SAMPLE_INFO["english"]["text"]
    records = data["layout"]
    assert records[0]["type"] == "page" and records[0]["width"] == SAMPLE_INFO["english"]["size"][0]
    chars = [r for r in records if r["type"] == "char"]
    assert "".join(" " * r["space_before"] + r["text"] for r in chars) == data["text"]
    assert data["text_mismatch"] is False
