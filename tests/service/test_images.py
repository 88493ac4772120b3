"""Hostile and unusual images: bombs and extreme shapes are refused from the header with a
clear 230 before any pixel is decoded; transparency, 16-bit, CMYK, palette and animated
images decode to the picture a reader sees."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageFile

from lingyun.client import Client
from lingyun.errors import RequestError
from lingyun.service import imageio
from lingyun.service.accounts import Accounts
from lingyun.service.core import ServiceCore
from lingyun.service.engines import BadImage
from lingyun.service.engines.rapidocr import RapidOCREngine
from lingyun.service.imageio import ImageLimits, ImageRefused
from lingyun.service.server import LocalServer

from ..conftest import APP_KEY, SECRET_DEV_KEY
from .conftest import SAMPLE_INFO, SAMPLES, needs_rapidocr, post, signed

ENGLISH = (SAMPLES / "english.png").read_bytes()
TEXT_ENGLISH = "capkey=ocr.cloud.english,lang=english"


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg_claiming(width: int, height: int) -> bytes:
    """A valid 16 x 16 JPEG whose frame header (SOF0) is patched to claim width x height."""
    data = bytearray(_encode(Image.new("RGB", (16, 16), "white"), "JPEG"))
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def png_claiming(width: int, height: int) -> bytes:
    """A 1 x 1 PNG whose IHDR (with a correct CRC) claims width x height."""
    data = bytearray(_encode(Image.new("L", (1, 1), 255), "PNG"))
    struct.pack_into(">II", data, 16, width, height)
    struct.pack_into(">I", data, 29, zlib.crc32(bytes(data[12:29])))
    return bytes(data)


@pytest.fixture
def no_decoding(monkeypatch):
    """Any pixel decoding fails the test: refusals must come from the header alone."""
    def refuse(self):
        raise AssertionError("pixels were decoded")
    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


# -- refusals from the header --------------------------------------------------------------

def test_a_691_byte_style_jpeg_bomb_is_refused_from_its_header(no_decoding):
    bomb = jpeg_claiming(30000, 30000)
    assert len(bomb) < 1000
    with pytest.raises(ImageRefused) as info:
        imageio.decode(bomb)
    assert "declares 900,000,000 pixels" in info.value.text
    assert "limit of 50,000,000 pixels" in info.value.text
    with pytest.raises(ImageRefused) as info:  # under Pillow's own guard, our limit speaks
        imageio.decode(jpeg_claiming(9000, 9000))
    assert "9000 x 9000 = 81,000,000 pixels" in info.value.text


def test_a_png_beyond_pillows_own_guard_is_refused_with_its_size(no_decoding):
    with pytest.raises(ImageRefused) as info:
        imageio.decode(png_claiming(100000, 100000))
    assert "10,000,000,000 pixels" in info.value.text


def test_extreme_aspect_is_refused_with_the_ratio(no_decoding):
    thin = _encode(Image.new("1", (1, 100000), 1), "PNG")
    with pytest.raises(ImageRefused) as info:
        imageio.check(thin)
    assert "1 x 100000 pixels" in info.value.text and "100000:1" in info.value.text
    assert "50:1" in info.value.text


def test_limits_are_configurable_and_the_default_fits_an_a4_scan_at_600_dpi(no_decoding):
    a4 = jpeg_claiming(4961, 7016)
    assert imageio.check(a4).width == 4961
    with pytest.raises(ImageRefused):
        imageio.check(a4, ImageLimits(max_pixels=10_000_000))
    with pytest.raises(ValueError):
        ImageLimits(max_pixels=0)


@pytest.mark.parametrize(("body", "words"), [
    (jpeg_claiming(30000, 30000), "900,000,000 pixels"),
    (png_claiming(100000, 100000), "10,000,000,000 pixels"),
    (_encode(Image.new("1", (1, 100000), 1), "PNG"), "side ratio"),
])
def test_over_http_a_refused_image_is_230_for_every_engine(service, body, words):
    for task in (TEXT_ENGLISH, "capkey=ocr.cloud.bankcard"):
        answer = post(service.url, signed(task), body=body)
        assert answer.error == 230, answer.envelope
        assert words in answer.envelope["text"]


def test_the_client_does_not_retry_a_refused_image(control):
    core = ServiceCore(accounts=Accounts({APP_KEY: SECRET_DEV_KEY}), control=control)
    control.reset()
    with LocalServer(core) as server, Client(APP_KEY, SECRET_DEV_KEY, server.url,
                                             backoff=0.0, fit=False) as client:
        with pytest.raises(RequestError) as info:  # fit=False: sent as it is, to be refused
            client.recognize(jpeg_claiming(30000, 30000), "bankcard")
    assert info.value.code == 230 and not info.value.retryable
    assert len(control.requests) == 1  # sent once, not retried
    control.reset()


def test_a_body_with_no_readable_image_is_bad_image():
    with pytest.raises(BadImage, match="not an image"):
        imageio.decode(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)


# -- what odd images decode to ----------------------------------------------------------------

def _grey(pixels: np.ndarray) -> np.ndarray:
    return pixels.astype(np.float64).mean(axis=2)


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    """The English sample as grey levels: dark text on white."""
    return _grey(imageio.decode(ENGLISH))


def _ink(reference: np.ndarray) -> np.ndarray:
    """Alpha for 'black ink on a transparent sheet' that looks like the sample on white."""
    return (255 - reference).round().astype(np.uint8)


def _variants(reference: np.ndarray) -> dict[str, bytes]:
    grey = reference.round().astype(np.uint8)
    rgb = Image.fromarray(np.repeat(grey[:, :, None], 3, axis=2))
    ink = _ink(reference)
    transparent = Image.fromarray(np.dstack([np.zeros_like(ink)] * 3 + [ink]), "RGBA")
    la = Image.fromarray(np.dstack([np.zeros_like(ink), ink]), "LA")
    sixteen = Image.fromarray(grey.astype(np.uint16) * 257)  # I;16
    palette = rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    blank = Image.new("RGB", rgb.size, "black")
    return {
        "RGBA transparent": _encode(transparent, "PNG"),
        "LA transparent": _encode(la, "PNG"),
        "16-bit grey": _encode(sixteen, "PNG"),
        "CMYK JPEG": _encode(rgb.convert("CMYK"), "JPEG", quality=95),
        "palette": _encode(palette, "PNG"),
        "palette with a transparent colour": _encode(_transparent_palette(ink), "PNG"),
        "animated GIF (first frame)": _encode(rgb.convert("P"), "GIF", save_all=True,
                                              append_images=[blank.convert("P")]),
        "multi-page TIFF (first page)": _encode(rgb, "TIFF", save_all=True,
                                                append_images=[blank]),
        "WebP": _encode(rgb, "WEBP", lossless=True),
    }


def _transparent_palette(ink: np.ndarray) -> Image.Image:
    """Palette image: index 0 fully transparent (the sheet), 1-255 grey ink levels opaque."""
    levels = 255 - ink  # grey seen on white
    index = np.where(ink < 8, 0, np.clip(levels, 1, 255)).astype(np.uint8)
    image = Image.fromarray(index, "P")
    image.putpalette([0, 0, 0] + [v for i in range(1, 256) for v in (i, i, i)])
    image.info["transparency"] = 0
    return image


@pytest.mark.parametrize("kind", ["RGBA transparent", "LA transparent", "16-bit grey",
                                  "CMYK JPEG", "palette", "palette with a transparent colour",
                                  "animated GIF (first frame)", "multi-page TIFF (first page)",
                                  "WebP"])
def test_odd_images_decode_to_what_a_reader_sees(reference, kind):
    body = _variants(reference)[kind]
    pixels = imageio.decode(body)
    assert pixels.shape == (*reference.shape, 3) and pixels.dtype == np.uint8
    difference = np.abs(_grey(pixels) - reference)
    assert difference.mean() < 6, (kind, difference.mean())  # JPEG and palettes lose a little
    assert (_grey(pixels) < 128).sum() > 0.5 * (reference < 128).sum()  # the ink is there


@needs_rapidocr
def test_dark_text_on_a_transparent_background_is_read(service, reference):
    """Dropping alpha leaves black ink on black: the old decoder read nothing here."""
    body = _variants(reference)["RGBA transparent"]
    engine = RapidOCREngine()
    _w, _h, lines = engine.read_lines(body)
    text = " ".join("".join(g.char for g in line.glyphs) for line in lines)
    assert text.replace(" ", "") == SAMPLE_INFO["english"]["text"].replace(" ", "")
    answer = post(service.url, signed("capkey=ocr.cloud,lang=english"), body=body)
    assert answer.error == 0
    assert answer.envelope["data"]["forms"]["form"].replace(" ", "") == \
        SAMPLE_INFO["english"]["text"].replace(" ", "")
