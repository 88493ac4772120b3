"""Decoding is bounded by bytes: wide samples count against the pixel limit, conversion
goes by bands, and the decodes in flight in a process share a byte budget.

The refused files are crafted headers of a few hundred bytes with no pixel data behind
them: a refusal (230) rather than a failed decode (-1) proves nothing was decoded.
"""

from __future__ import annotations

import io
import struct
import threading

import numpy as np
import pytest
from PIL import Image

from lingyun.service import imageio
from lingyun.service.imageio import DecodeBudget, ImageLimits, ImageRefused

from ..conftest import SECRET_DEV_KEY
from .conftest import post, signed


def tiff_claiming(width: int, height: int, bits: int, sample_format: int) -> bytes:
    """A little-endian greyscale TIFF header declaring ``width x height`` samples of
    ``bits`` (SampleFormat 1 = unsigned, 3 = float) and one strip that is not there."""
    tags = [(256, 4, width), (257, 4, height), (258, 3, bits), (259, 3, 1), (262, 3, 1),
            (273, 4, 8 + 2 + 12 * 10 + 4), (277, 3, 1), (278, 4, height),
            (279, 4, width * height * bits // 8), (339, 3, sample_format)]
    ifd = struct.pack("<H", len(tags))
    for tag, kind, value in tags:
        ifd += struct.pack("<HHI", tag, kind, 1) + (struct.pack("<HH", value, 0) if kind == 3
                                                    else struct.pack("<I", value))
    return b"II*\x00" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0)


FLOAT_7000 = tiff_claiming(7000, 7000, 32, 3)  # the 305 KB file of the report, as a header


def test_a_float32_7000_square_tiff_is_refused_from_its_header():
    assert len(FLOAT_7000) < 200
    assert imageio.read_size(FLOAT_7000).mode == "F"
    with pytest.raises(ImageRefused) as info:
        imageio.decode(FLOAT_7000)
    text = str(info.value)
    assert "7000 x 7000" in text and "4 bytes each" in text and "12,500,000 pixels" in text


@pytest.mark.parametrize("pixels, refused", [(25_000_000, False), (25_000_001, True)])
def test_sixteen_bit_samples_get_half_the_pixel_limit(pixels, refused):
    header = tiff_claiming(pixels, 1, 16, 1)
    limits = ImageLimits(max_pixels=50_000_000, max_aspect=10**9)
    if refused:
        with pytest.raises(ImageRefused, match="2 bytes each"):
            imageio.check(header, limits)
    else:
        assert imageio.check(header, limits).mode.startswith("I;16")


def test_the_service_answers_230_for_a_wide_tiff_before_decoding(service):
    answer = post(service.url, signed("capkey=ocr.cloud,lang=chinese_cn"), body=FLOAT_7000)
    assert answer.error == 230 and "8 bits per sample" in answer.envelope["text"]
    assert SECRET_DEV_KEY not in answer.body.decode("utf-8")


def _encoded(array: np.ndarray, mode: str) -> bytes:
    out = io.BytesIO()
    Image.fromarray(array, mode=mode).save(out, format="TIFF")
    return out.getvalue()


def test_float_samples_are_converted_by_bands_to_the_right_grey():
    """More rows than one band; floats in 0..1 scale by 255, NaN is black."""
    rows = imageio._BAND_ROWS * 2 + 7
    values = np.tile(np.linspace(0.0, 1.0, 11, dtype=np.float32), (rows, 1))
    values[-1, 0] = np.nan
    bgr = imageio.decode(_encoded(values, "F"))
    assert bgr.shape == (rows, 11, 3) and bgr.dtype == np.uint8
    expected = np.clip(values * 255, 0, 255)
    expected[-1, 0] = 0
    assert np.array_equal(bgr[:, :, 1], expected.astype(np.uint8))
    assert np.array_equal(bgr[:, :, 0], bgr[:, :, 2])


def test_sixteen_bit_samples_are_scaled_not_clipped():
    values = np.array([[0, 257, 32896, 65535]], dtype=np.uint16)
    image = Image.frombytes("I;16", (4, 1), values.tobytes())
    out = io.BytesIO()
    image.save(out, format="TIFF")
    assert imageio.decode(out.getvalue())[0, :, 0].tolist() == [0, 1, 128, 255]


def test_colour_comes_back_in_bgr_order():
    rgb = np.zeros((3, 5, 3), dtype=np.uint8)
    rgb[..., 0], rgb[..., 1], rgb[..., 2] = 10, 20, 30
    out = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(out, format="PNG")
    assert imageio.decode(out.getvalue())[1, 2].tolist() == [30, 20, 10]


def test_the_decode_budget_holds_a_second_decode_until_the_first_is_done():
    budget = DecodeBudget(100)
    taken = threading.Event()
    with budget.take(80):
        assert not budget.try_take(40)  # no room: a second decode would wait

        def second() -> None:
            with budget.take(40):
                taken.set()

        thread = threading.Thread(target=second)
        thread.start()
        assert not taken.is_set()  # cannot be: 80 + 40 > 100 while this block holds 80
    assert taken.wait(30)  # room once the first ended
    thread.join(30)
    assert budget.used == 0
    assert budget.try_take(500) and budget.used == 500  # larger than all of it: runs alone
