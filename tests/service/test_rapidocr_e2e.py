"""End to end: HTTP server -> rapidocr on the committed samples recovers the rendered text
(character error rate at most 10 %), and the position stream holds boxes on the glyphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from lingyun.service.engines.rapidocr import RapidOCREngine

from .conftest import SAMPLE_INFO, SAMPLES, needs_rapidocr, post, read_nodes, signed

pytestmark = [needs_rapidocr, pytest.mark.local_engine]

#: Allowed character error rate (edit distance / expected length) per sample.
MAX_CER = 0.10
TASK = {"chinese_cn": "capkey=ocr.cloud,lang=chinese_cn",
        "english": "capkey=ocr.cloud.english,lang=english"}


def edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def cer(got: str, expected: str) -> float:
    return edit_distance(got, expected) / max(1, len(expected))


@pytest.mark.parametrize("name", sorted(SAMPLE_INFO))
def test_text_over_http_matches_the_rendered_text(service, name):
    info = SAMPLE_INFO[name]
    body = (SAMPLES / info["file"]).read_bytes()
    answer = post(service.url, signed(TASK[info["lang"]]), body=body)
    assert answer.error == 0, answer.envelope
    got = answer.envelope["data"]["forms"]["form"]
    assert cer(got, info["text"]) <= MAX_CER, (got, info["text"])
    assert "json-length" not in answer.headers


@pytest.mark.parametrize("name", sorted(SAMPLE_INFO))
def test_positions_over_http_put_boxes_on_the_glyphs(service, name):
    info = SAMPLE_INFO[name]
    body = (SAMPLES / info["file"]).read_bytes()
    answer = post(service.url, signed(TASK[info["lang"]] + ",withPosition=1"), body=body)
    length = int(answer.headers["json-length"])
    assert answer.body[:length].decode("utf-8")  # the JSON is exactly that many bytes
    nodes = read_nodes(answer.body[length:])
    width, height = info["size"]
    assert nodes[0] == ("PAGE", width, height, 0)
    assert nodes[1][0] == "REGION"
    lines = [n for n in nodes if n[0] == "LINE"]
    assert len(lines) == len(info["lines"])
    chars = [n for n in nodes if n[0] == "CHAR"]
    rebuilt = "".join(" " * n[2] + n[1] for n in chars)
    assert cer(rebuilt, "".join(info["lines"])) <= MAX_CER
    drawn = info["line_boxes"]
    for char in chars:
        left, top, right, bottom = char[3]
        assert 0 <= left < right <= width and 0 <= top < bottom <= height
        # the box overlaps a drawn line's glyph box (not somewhere else on the page)
        assert any(left < d[2] and right > d[0] and top < d[3] and bottom > d[1]
                   for d in drawn), char
        assert char[5][0] == ord(char[1]) and char[5][1:] == (0, 0, 0, 0)
        assert char[6][1:] == (255,) * 4 and 0 <= char[6][0] <= 254
        assert char[4] in (0, 1)


def test_positions_decode_with_lingyun_iread(service):
    iread = pytest.importorskip("lingyun.iread")
    info = SAMPLE_INFO["page"]
    body = (SAMPLES / info["file"]).read_bytes()
    answer = post(service.url, signed(TASK["chinese_cn"] + ",withPosition=1"), body=body)
    layout = iread.decode(answer.body[int(answer.headers["json-length"]):])
    assert cer(layout.text, info["text"]) <= MAX_CER, layout.text


def test_engine_loads_its_model_from_the_installed_package():
    """Nothing is fetched at run time: the ONNX models sit inside site-packages."""
    import rapidocr_onnxruntime

    engine = RapidOCREngine()
    ocr = engine._engine()
    package = Path(rapidocr_onnxruntime.__file__).parent
    paths = [Path(str(p)) for p in _model_paths(ocr)]
    assert paths and all(package in p.parents and p.is_file() for p in paths)


def _model_paths(ocr) -> list[str]:
    found = []
    for part in (ocr.text_det, ocr.text_cls, ocr.text_rec):
        for value in vars(part).values():
            session = getattr(value, "session", None) or value
            path = getattr(session, "_model_path", None)
            if path:
                found.append(path)
    return found
