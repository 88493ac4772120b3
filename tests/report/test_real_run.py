"""The report of a real bulk run: ``lingyun ocr --out`` with the embedded local engine, then
``lingyun report`` on its records -- the path a user takes, nothing built by hand."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

from lingyun.bulk.records import read_records
from lingyun.cli import EXIT_PARTIAL, main

from .conftest import SAMPLES

pytestmark = [
    pytest.mark.skipif(not any(importlib.util.find_spec(name) for name in
                               ("rapidocr", "rapidocr_onnxruntime")),
                       reason="no rapidocr engine (pip install 'lingyun[local]')"),
    pytest.mark.local_engine,
]


def test_report_of_a_recorded_run_draws_the_engines_glyphs_and_lists_the_failure(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SAMPLES / "chinese.png", inputs / "chinese.png")
    (inputs / "notes.png").write_text("not an image")
    records = tmp_path / "run.jsonl"
    assert main(["ocr", str(inputs), "--positions", "--out", str(records)]) == EXIT_PARTIAL
    assert all("timing" in record for record in read_records(records))

    report = tmp_path / "report.html"
    assert main(["report", str(records), "--html", str(report)]) == 0
    assert "2 record(s), 1 ok, 1 failed" in capsys.readouterr().err
    page = report.read_text("utf-8")
    assert re.search(r'id="sum-pages-per-s"><div class="num">\d+\.\d\d<', page)
    assert re.search(r'<tr class="failure"><td class="src">[^<]*notes\.png</td>', page)
    glyphs = re.findall(r'<rect class="glyph[^"]*" [^>]*data-text="([^"]*)"', page)
    assert "北京捷通华声" in "".join(glyphs)
    assert page.count('<img src="data:image/png;base64,') == 1
