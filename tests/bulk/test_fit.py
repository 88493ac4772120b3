"""Fitting oversized images under the limit, and mapping every coordinate back.

The last test is end to end: a large noisy scan of the English sample goes through the real
OCR engine after being shrunk, and the character boxes that come back are checked against
where the glyphs are in the original, large image.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from lingyun.bulk.fit import Fitted, fit, scale_positions
from lingyun.client import Client
from lingyun.errors import ImageError, RequestError
from lingyun.fit import DEFAULT_LIMIT, DEFAULT_PIXEL_LIMIT
from lingyun.iread import decode, encode
from lingyun.pytest_plugin import LingyunService
from lingyun.results import Result
from lingyun.service.engines.rapidocr import rapidocr_available

from .conftest import SAMPLES, png


def _noisy(size: tuple[int, int], seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (size[1], size[0]), dtype=np.uint8))


def _png_bytes(image: Image.Image, **save) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, **{"format": "PNG", **save})
    return buffer.getvalue()


def test_an_image_that_fits_is_sent_as_it_is() -> None:
    data = png(3)
    fitted = fit(data, 4096)
    assert fitted.data is data and not fitted.changed and fitted.info() is None


def test_an_oversized_image_is_shrunk_under_the_limit() -> None:
    data = _png_bytes(_noisy((900, 600)))
    fitted = fit(data, 100_000)
    assert len(data) > 100_000 >= len(fitted.data)
    sent = Image.open(io.BytesIO(fitted.data))
    assert sent.format == "JPEG" and sent.size == tuple(fitted.sent_size)
    assert fitted.scale_x == pytest.approx(900 / sent.size[0])
    assert fitted.scale_y == pytest.approx(600 / sent.size[1])
    assert sent.size[0] / sent.size[1] == pytest.approx(1.5, rel=0.01)  # aspect kept
    assert fitted.info()["original_bytes"] == len(data)


def test_exif_orientation_is_applied_first() -> None:
    image = _noisy((800, 300))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: rotate 90 degrees clockwise to view
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=100, exif=exif.tobytes())
    fitted = fit(buffer.getvalue(), 60_000)
    assert fitted.orientation == 6 and fitted.original_size == (300, 800)  # upright
    sent = Image.open(io.BytesIO(fitted.data))
    assert sent.size[1] > sent.size[0]


def test_undecodable_oversized_bytes_are_an_image_error() -> None:
    with pytest.raises(ImageError, match="over the 2048-byte limit, and cannot be decoded"):
        fit(b"\x89PNG\r\n\x1a\n" + b"\0" * 5000, 2048)


def _stream(boxes: list[tuple[int, int, int, int]]) -> bytes:
    records = [{"type": "page", "width": 1000, "height": 500},
               {"type": "region", "left": 10, "top": 10, "right": 990, "bottom": 490},
               {"type": "line", "baseline": 40, "size": 30, "avg_char_width": 20,
                "avg_char_height": 30}]
    records += [{"type": "char", "text": "字", "left": left, "top": top, "right": right,
                 "bottom": bottom, "distances": [0, 255, 255, 255, 255]}
                for left, top, right, bottom in boxes]
    return encode(records)


@given(st.lists(st.tuples(st.integers(0, 900), st.integers(0, 400), st.integers(1, 90),
                          st.integers(1, 90)), min_size=1, max_size=20),
       st.floats(1.0, 8.0), st.floats(1.0, 8.0))
def test_scaled_positions_are_the_boxes_times_the_scale(raw, sx: float, sy: float) -> None:
    boxes = [(x, y, x + w, y + h) for x, y, w, h in raw]
    layout = decode(scale_positions(_stream(boxes), sx, sy))
    chars = layout.chars
    assert chars["left"].tolist() == [round(b[0] * sx) for b in boxes]
    assert chars["bottom"].tolist() == [round(b[3] * sy) for b in boxes]
    assert (layout.pages["width"][0], layout.pages["height"][0]) == (round(1000 * sx),
                                                                     round(500 * sy))
    assert layout.regions["right"][0] == round(990 * sx)
    assert layout.text == "字" * len(boxes)  # text, tree and candidates untouched


def test_template_boxes_map_back(lingyun_service: LingyunService, lingyun_client) -> None:
    lingyun_service.queue_reply("bankcard", envelope=json.loads(
        (Path(__file__).parents[2] / "src/lingyun/service/examples/bankcard.json").read_text()))
    big = _png_bytes(_noisy((1200, 800), seed=4))
    (item,) = lingyun_client.batch([big], "bankcard", size_limit=150_000)
    assert item.ok, item.error
    plain = Result.from_dict(item.result.to_dict())
    lingyun_service.queue_reply("bankcard", envelope=json.loads(
        (Path(__file__).parents[2] / "src/lingyun/service/examples/bankcard.json").read_text()))
    sent = lingyun_service.requests[-1].body
    assert len(sent) <= 150_000
    (as_sent,) = lingyun_client.batch([sent], "bankcard")
    fitted = fit(big, 150_000)
    assert fitted.data == sent  # deterministic: the same bytes every time
    pairs = [(a.box, b.box) for a, b in zip(plain.digits, as_sent.result.digits, strict=True)
             if b.box]
    assert pairs
    for mapped, original in pairs:
        assert list(mapped) == [round(original[0] * fitted.scale_x),
                                round(original[1] * fitted.scale_y),
                                round(original[2] * fitted.scale_x),
                                round(original[3] * fitted.scale_y)]
    assert plain.raw == as_sent.result.raw  # raw stays what the service said


def test_fitted_without_resizing_returns_the_same_result() -> None:
    from lingyun.results.text import TextResult

    result = TextResult("text.chinese", "x", raw={})
    assert Fitted(b"x", 1).map_result(result) is result


@pytest.mark.skipif(not rapidocr_available(), reason="needs the local extra (rapidocr)")
def test_a_large_scan_gets_boxes_on_its_own_glyphs(lingyun_service: LingyunService,
                                                   lingyun_client) -> None:
    info = json.loads((SAMPLES / "samples.json").read_text(encoding="utf-8"))["english"]
    factor = 6
    sample = Image.open(SAMPLES / info["file"]).convert("L")
    width, height = info["size"]
    big = sample.resize((width * factor, height * factor), Image.Resampling.NEAREST)
    noise = np.random.default_rng(0).integers(-25, 25, (height * factor, width * factor))
    pixels = np.clip(np.asarray(big).astype(np.int16) + noise, 0, 255).astype(np.uint8)
    data = _png_bytes(Image.fromarray(pixels))
    limit = 150_000
    assert len(data) > limit
    (item,) = lingyun_client.batch([data], "text.english", {"withPosition": True},
                                   size_limit=limit)
    assert item.ok, item.error
    assert len(lingyun_service.requests[-1].body) <= limit
    layout = item.result.layout
    assert layout.text.replace(" ", "") == info["text"].replace(" ", "")
    assert (layout.pages["width"][0], layout.pages["height"][0]) == pytest.approx(
        (width * factor, height * factor), abs=2)
    ink_rows, ink_cols = np.nonzero(np.asarray(big) < 128)  # the glyphs, before the noise
    left, top, right, bottom = ink_cols.min(), ink_rows.min(), ink_cols.max(), ink_rows.max()
    chars = layout.chars
    height = bottom - top
    # The union of the boxes hugs the ink: no more than half a line height of padding.
    assert left - height / 2 <= chars["left"].min() <= left + height / 4
    assert right - height / 4 <= chars["right"].max() <= right + height / 2
    assert top - height / 2 <= chars["top"].min() <= top + height / 4
    assert bottom - height / 4 <= chars["bottom"].max() <= bottom + height / 2
    centres_x = (chars["left"] + chars["right"]) / 2
    centres_y = (chars["top"] + chars["bottom"]) / 2
    assert ((centres_x > left) & (centres_x < right)).all()
    assert ((centres_y > top) & (centres_y < bottom)).all()
    # Every character box lies on dark pixels of the *original* image.
    for char in chars:
        patch = pixels[char["top"]:char["bottom"], char["left"]:char["right"]]
        assert patch.size and patch.min() < 100, f"no glyph under {char['text']!r}"


def _bankcard_envelope() -> dict:
    return json.loads(
        (Path(__file__).parents[2] / "src/lingyun/service/examples/bankcard.json").read_text())


def test_client_recognize_fits_a_small_file_with_too_many_pixels(
        lingyun_service: LingyunService, lingyun_client) -> None:
    # A white 9000 x 9000 page: a small file, but 81 megapixels -- over the pixel limit.
    big = _png_bytes(Image.new("L", (9000, 9000), 255), optimize=True)
    assert len(big) < 200_000
    lingyun_service.queue_reply("bankcard", envelope=_bankcard_envelope())
    result = lingyun_client.recognize(big, "bankcard")
    sent = Image.open(io.BytesIO(lingyun_service.requests[-1].body))
    assert sent.width * sent.height <= DEFAULT_PIXEL_LIMIT
    scale = 9000 / sent.width
    # the same answer about the sent image, unmapped, to compare the boxes with
    lingyun_service.queue_reply("bankcard", envelope=_bankcard_envelope())
    as_sent = Client(lingyun_service.app_key, lingyun_service.dev_key, lingyun_service.url,
                     fit=False).recognize(lingyun_service.requests[-1].body, "bankcard")
    pairs = [(a.box, b.box) for a, b in zip(result.digits, as_sent.digits, strict=True) if b.box]
    assert pairs
    for mapped, original in pairs:
        assert list(mapped) == [round(value * scale) for value in original]


def test_client_recognize_fits_a_15_mb_jpeg_as_the_cli_does(
        lingyun_service: LingyunService, lingyun_client) -> None:
    rng = np.random.default_rng(7)
    noise = Image.fromarray(rng.integers(0, 256, (3000, 3200, 3), dtype=np.uint8))
    buffer = io.BytesIO()
    noise.save(buffer, format="JPEG", quality=100)
    big = buffer.getvalue()
    assert len(big) > 15 * 1024 * 1024 > DEFAULT_LIMIT
    lingyun_service.queue_reply("bankcard", envelope=_bankcard_envelope())
    lingyun_client.recognize(big, "bankcard")
    sent = lingyun_service.requests[-1].body
    assert len(sent) <= DEFAULT_LIMIT
    assert sent == fit(big).data  # the very bytes the CLI's bulk run would send


def test_fit_false_sends_the_image_as_it_is(lingyun_service: LingyunService) -> None:
    big = _png_bytes(Image.new("L", (8000, 7000), 255))
    client = Client(lingyun_service.app_key, lingyun_service.dev_key, lingyun_service.url,
                    fit=False, retries=0)
    with pytest.raises(RequestError, match="over the limit of 50,000,000 pixels") as info:
        client.recognize(big, "bankcard")  # the service refuses it: what fitting prevents
    assert info.value.code == 230
    assert lingyun_service.requests[-1].body == big


def test_the_cli_fits_by_pixels_too_and_no_fit_turns_it_off(
        service_env: LingyunService, tmp_path: Path) -> None:
    from lingyun.cli import EXIT_OK, main

    path = tmp_path / "white.png"
    path.write_bytes(_png_bytes(Image.new("L", (8000, 7000), 255)))  # small file, 56 MP
    out = tmp_path / "out.jsonl"
    assert main(["ocr", str(path), "--type", "bankcard", "--out", str(out)]) == EXIT_OK
    sent = Image.open(io.BytesIO(service_env.requests[-1].body))
    assert sent.width * sent.height <= DEFAULT_PIXEL_LIMIT
    assert main(["ocr", str(path), "--type", "bankcard", "--no-fit"]) != EXIT_OK
    assert service_env.requests[-1].body == path.read_bytes()  # sent as it is, refused
