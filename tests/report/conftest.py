"""A small recorded run for the report tests, written as the bulk runner writes records.

The text page reuses the character boxes the local engine found on ``samples/chinese.png``
(so the boxes sit on the ink in screenshots) with made-up second candidates and one unsure
glyph; the template page is an ID-card-like form over ``samples/page.png`` with one field
that failed its check and one required field the reply lacked.  A failed input and a page
whose file name and text are hostile HTML complete the run.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from lingyun.bulk.records import make_record
from lingyun.errors import ImageError, TransientError
from lingyun.fields import Issue
from lingyun.iread import decode, encode
from lingyun.results import Box, Confidence, Field, TemplateResult, TextResult

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "lingyun" / "samples"

#: Boxes of 北京捷通华声科技 on samples/chinese.png (380x120), as the local engine found them.
CHINESE_BOXES = [(32, 44, 69, 81), (72, 43, 108, 81), (111, 43, 149, 81), (151, 44, 189, 80),
                 (192, 43, 228, 81), (231, 43, 267, 81), (271, 43, 309, 81),
                 (312, 43, 344, 81)]
#: Candidates per glyph index beyond the first: (character, distance).
ALTERNATIVES: dict[int, list[tuple[str, int]]] = {2: [("建", 40), ("睫", 120)],
                                                   6: [("料", 90)]}
#: First-candidate distances; 科 (index 6) is unsure: confidence 1 - 80/254 = 0.685.
DISTANCES = [0, 0, 2, 0, 0, 0, 80, 1]
#: Set ``window.__hostile`` if the report ever let them run.
HOSTILE_NAME = '<img src=x onerror="window.__hostile=1">&amp;.png'
HOSTILE_TEXT = "</script><script>window.__hostile=2</script>"


def text_layout_records(text: str, boxes: list[tuple[int, int, int, int]], *,
                        width: int, height: int, distances: list[int] | None = None,
                        alternatives: dict[int, list[tuple[str, int]]] | None = None
                        ) -> list[dict[str, Any]]:
    """Position-stream node records (for :func:`lingyun.iread.encode`): one region, one
    line, one char per box."""
    records: list[dict[str, Any]] = [
        {"type": "page", "width": width, "height": height},
        {"type": "region", "left": 0, "top": 0, "right": width, "bottom": height},
        {"type": "line", "baseline": boxes[0][1], "size": 30, "avg_char_width": 30,
         "avg_char_height": 30},
    ]
    for i, (char, box) in enumerate(zip(text, boxes, strict=True)):
        alts = (alternatives or {}).get(i, [])
        codes = [ord(char)] + [ord(c) for c, _ in alts]
        dists = [(distances or [0] * len(text))[i]] + [d for _, d in alts]
        records.append({"type": "char", "text": char, "space_before": 0,
                        "left": box[0], "top": box[1], "right": box[2], "bottom": box[3],
                        "suspect": int(dists[0] > 50),
                        "candidates": codes + [0] * (5 - len(codes)),
                        "distances": dists + [255] * (5 - len(dists))})
    return records


def text_result(text: str, records: list[dict[str, Any]]) -> TextResult:
    positions = encode(records)
    return TextResult("text.chinese", text, raw={"error": 0}, layout=decode(positions),
                      positions=positions)


def template_result() -> TemplateResult:
    number = Field("4", "公民身份号码", key="id_number", value="11010519491231002X",
                   box=Box(30, 170, 310, 210), confidence=Confidence.from_raw("62", 100),
                   issues=[Issue("id_number", "cn.ric.checksum",
                                 "the check digit is X, the number says 5")])
    name = Field("1", "姓名", key="name", value="张三", box=Box(30, 40, 350, 85),
                 confidence=Confidence.from_raw("97", 100))
    address = Field("3", "住址", key="address", value=HOSTILE_TEXT, box=Box(30, 105, 365, 145),
                    confidence=Confidence.from_raw("88", 100))
    return TemplateResult("idcard.front", form_id="1", form_name="居民身份证", form_version="1",
                          page_id="1", page_name="正面", fields=[name, address, number],
                          raw={"error": 0},
                          form_issues=[Issue("birth_date", "required", "no value: required")])


def timed(record: dict[str, Any], started: float, finished: float) -> dict[str, Any]:
    record["timing"] = {"started": started, "finished": finished}
    return record


@dataclass
class RecordedRun:
    """A records file and the images folder it names."""

    records: Path
    images: Path
    folder: Path


def run_records() -> list[dict[str, Any]]:
    """The records of the test run, in the order the runner would have written them."""
    chinese = text_layout_records("北京捷通华声科技", CHINESE_BOXES, width=380, height=120,
                                  distances=DISTANCES, alternatives=ALTERNATIVES)
    hostile = text_layout_records("<&'>", [(30, 40, 60, 80), (70, 40, 100, 80),
                                           (110, 40, 140, 80), (150, 40, 180, 80)],
                                  width=504, height=120)
    options = {"withPosition": True}
    return [
        timed(make_record("images/chinese.png", None, "a" * 64, "text.chinese", options,
                          result=text_result("北京捷通华声科技", chinese)), 100.0, 102.0),
        timed(make_record("images/page.png", None, "b" * 64, "idcard.front", {},
                          result=template_result()), 101.0, 103.0),
        timed(make_record("images/missing.png", None, None, "text.chinese", options,
                          error=ImageError("cannot read images/missing.png: no such file")),
              103.5, 103.5),
        timed(make_record("images/busy.png", None, "c" * 64, "text.chinese", options,
                          error=TransientError(250, "服务器忙")), 110.0, 111.0),
        make_record(f"images/{HOSTILE_NAME}", None, "d" * 64, "text.chinese", options,
                    result=text_result(HOSTILE_TEXT, hostile)),
    ]


@pytest.fixture
def recorded_run(tmp_path: Path) -> RecordedRun:
    images = tmp_path / "images"
    images.mkdir()
    for name in ("chinese.png", "page.png"):
        shutil.copy(SAMPLES / name, images / name)
    shutil.copy(SAMPLES / "english.png", images / HOSTILE_NAME)
    records = tmp_path / "run.jsonl"
    with open(records, "w", encoding="utf-8") as out:
        for record in run_records():
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return RecordedRun(records, images, tmp_path)
