"""The header check before sending: real images of every format pass with their size; junk
that merely starts like an image is refused with an ImageError naming what is wrong."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from lingyun import Client, ImageError
from lingyun.images import ImageHeader, inspect_header

from ..conftest import APP_KEY, PNG_HEADER, SECRET_DEV_KEY
from ..hostile import HostileServer, reply

FORMATS = ("PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP")


def encoded(kind: str, size: tuple[int, int] = (37, 21), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "white").save(buffer, format=kind)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize("mode", ["RGB", "L"])
def test_real_images_pass_with_their_size(kind, mode) -> None:
    header = inspect_header(encoded(kind, mode=mode))
    assert header == ImageHeader("WebP" if kind == "WEBP" else kind, 37, 21)
    assert header.pixels == 37 * 21


def test_a_progressive_jpeg_with_exif_passes() -> None:
    buffer = io.BytesIO()
    image = Image.new("RGB", (640, 480), "white")
    exif = image.getexif()
    exif[0x0112] = 6
    image.save(buffer, format="JPEG", progressive=True, exif=exif.tobytes())
    assert inspect_header(buffer.getvalue()).pixels == 640 * 480


@pytest.mark.parametrize(("body", "why"), [
    (b"BM" + b"hello, I am text, not a bitmap at all", "DIB header claims"),
    (b"\xff\xd8\xff", "before its frame header"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", "before its frame"),
    (b"GIF89a", "inside its header"),
    (b"GIF89a\x10\x00\x10\x00\x00\x00\x00", "before its first block"),
    (b"\x89PNG\r\n\x1a\n" + bytes(64), "not a 13-byte IHDR chunk"),
    (PNG_HEADER[:-4] + b"\x00\x00\x00\x00", "CRC does not match"),
    (b"II*\x00\xff\xff\x00\x00" + bytes(16), "first IFD offset"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 " + bytes(16), "VP8"),
])
def test_junk_that_starts_like_an_image_is_refused(body, why) -> None:
    with pytest.raises(ImageError, match=why) as info:
        inspect_header(body, "scan.png")
    assert str(info.value).startswith("scan.png: starts like a")


def test_the_client_refuses_it_before_sending() -> None:
    with HostileServer(lambda sock, number: sock.sendall(reply(b"{}"))) as server:
        client = Client(APP_KEY, SECRET_DEV_KEY, server.url)
        for junk in (b"BM" + b"text" * 20, b"\xff\xd8\xff", b"GIF89a"):
            with pytest.raises(ImageError, match="but is not one"):
                client.recognize(junk, "text.chinese")
        client.close()
    assert server.requests == 0  # nothing sent, nothing billed


SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"BM", b"GIF87a", b"GIF89a", b"II*\x00",
              b"MM\x00*", b"RIFF\x00\x00\x00\x00WEBP")


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(SIGNATURES), st.binary(max_size=200))
def test_any_bytes_after_a_signature_give_a_header_or_an_image_error(magic, junk) -> None:
    try:
        header = inspect_header(magic + junk)
    except ImageError as exc:
        assert "but is not one" in str(exc)
    else:
        assert header.width > 0 and header.height >= 0
