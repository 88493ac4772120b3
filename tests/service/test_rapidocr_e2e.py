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


@pytest.fixture(scope="module")
def engine() -> RapidOCREngine:
    """One engine (one model load) for the module."""
    return RapidOCREngine()


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
        codes, distances = char[5], char[6]
        used = [d != 255 for d in distances]
        assert codes[0] == ord(char[1]) and used[0]
        assert used == sorted(used, reverse=True)  # used slots first, then unused ones
        assert all((c != 0) == u for c, u in zip(codes, used, strict=True))
        ranked = [d for d in distances if d != 255]
        assert ranked == sorted(set(ranked)) and ranked[-1] <= 254  # strictly rising
        assert len(set(c for c in codes if c)) == len(ranked)  # no candidate twice
        assert char[4] in (0, 1)


def test_positions_decode_with_lingyun_iread(service):
    iread = pytest.importorskip("lingyun.iread")
    info = SAMPLE_INFO["page"]
    body = (SAMPLES / info["file"]).read_bytes()
    answer = post(service.url, signed(TASK["chinese_cn"] + ",withPosition=1"), body=body)
    layout = iread.decode(answer.body[int(answer.headers["json-length"]):])
    assert cer(layout.text, info["text"]) <= MAX_CER, layout.text


def test_engine_loads_the_pp_ocrv6_small_models_from_the_installed_package(engine):
    """Nothing is fetched at run time: both ONNX models sit inside the rapidocr wheel, and
    the sessions the engine runs were built from exactly those files."""
    import rapidocr

    from lingyun.service.engines.rapidocr_models import model_paths

    package = Path(rapidocr.__file__).parent / "models"
    paths = model_paths()
    assert paths.detection == package / "PP-OCRv6_det_small.onnx"
    assert paths.recognition == package / "PP-OCRv6_rec_small.onnx"
    ocr = engine._engine()
    assert ocr.cfg.Det.model_path == str(paths.detection)
    assert ocr.cfg.Rec.model_path == str(paths.recognition)
    assert ocr.text_cls is None  # no angle classifier is ever loaded
    # both sessions are ours, on the providers of --device (the CPU by default)
    for part in (ocr.text_det, ocr.text_rec):
        assert part.session.session.get_providers() == engine.providers == [
            "CPUExecutionProvider"]


def test_missing_model_is_a_configuration_error_naming_it(tmp_path):
    from lingyun.errors import ConfigurationError
    from lingyun.service.engines.rapidocr_models import model_paths

    with pytest.raises(ConfigurationError, match="PP-OCRv6_det_small.onnx is missing"):
        model_paths(tmp_path)


def test_white_text_on_a_transparent_background_is_read(engine):
    """The English sample as white strokes on a fully transparent sheet: composited on
    white it would be white on white (read as empty); the decoder lays it on black."""
    import io

    import numpy as np
    from PIL import Image

    grey = np.asarray(Image.open(SAMPLES / "english.png").convert("L"))
    alpha = 255 - grey  # opaque where the sample is inked
    sheet = np.dstack([np.full_like(grey, 255)] * 3 + [alpha])
    png = io.BytesIO()
    Image.fromarray(sheet, "RGBA").save(png, "PNG")
    _w, _h, lines = engine.read_lines(png.getvalue())
    text = "".join(g.char for line in lines for g in line.glyphs)
    assert text.replace(" ", "") == SAMPLE_INFO["english"]["text"].replace(" ", "")
