"""The sans-I/O protocol: reply reading, splitting, image checks, over odd inputs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingyun import ImageError, LingyunError, ProtocolError, RequestError
from lingyun.protocol import (
    RawReply,
    describe_bytes,
    image_format,
    read_reply,
    require_image,
    split_position_body,
)

from ..conftest import PNG_HEADER
from .conftest import envelope

NODES = bytes(range(48)) * 2
LATIN1 = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=255), max_size=40)


def _position_body(text: str) -> bytes:
    return envelope({"forms": {"form": text}}).encode("utf-8") + NODES


def test_json_length_as_utf8_bytes() -> None:
    body = _position_body("北京捷通")
    json_len = len(body) - len(NODES)
    reply = read_reply(RawReply(200, {"json-length": str(json_len)}, body))
    assert reply.positions == NODES
    assert reply.data == {"forms": {"form": "北京捷通"}}


def test_json_length_as_characters() -> None:
    body = _position_body("北京捷通")
    char_len = len(body[: len(body) - len(NODES)].decode("utf-8"))
    json_part, nodes = split_position_body(body, char_len)
    assert nodes == NODES
    assert json.loads(json_part)["data"]["forms"]["form"] == "北京捷通"


@pytest.mark.parametrize("json_length", ["5", "100000", "-3", "abc", "12.5", "²", "٣"])
def test_json_length_that_fits_nothing(json_length: str) -> None:
    with pytest.raises(ProtocolError, match="json-length"):
        read_reply(RawReply(200, {"json-length": json_length}, _position_body("abc")))


def test_error_envelope_with_json_length_still_raises_the_code() -> None:
    body = envelope(error=231, text="lang缺失").encode()
    with pytest.raises(RequestError):
        read_reply(RawReply(200, {"json-length": str(len(body))}, body))


@given(json_length=LATIN1, code=LATIN1)
def test_any_latin1_header_or_code_is_a_reply_or_a_lingyun_error(json_length, code) -> None:
    body = json.dumps({"error": code, "text": "t"}).encode()
    try:
        read_reply(RawReply(200, {"json-length": json_length}, body))
    except LingyunError:
        pass


@given(code=LATIN1)
def test_string_error_codes_parse_only_as_ascii_integers(code) -> None:
    body = json.dumps({"error": code, "text": "t"}).encode()
    stripped = code.strip(" \t")
    plain = stripped.lstrip("-")
    valid = plain.isascii() and plain.isdigit() and stripped.count("-") <= 1 \
        and (stripped == plain or stripped.startswith("-")) and len(plain) <= 9
    try:
        reply = read_reply(RawReply(200, {}, body))
    except ProtocolError:
        assert not valid
    except LingyunError as exc:
        assert valid and exc.code == int(stripped)
    else:
        assert valid and int(stripped) == 0 and reply.envelope["error"] == code


@pytest.mark.parametrize(("status", "location"), [(301, "http://evil.example/ocr"),
                                                  (308, None)])
def test_redirect_statuses_are_refused_by_the_protocol(status, location) -> None:
    headers = {"location": location} if location else {}
    with pytest.raises(ProtocolError, match=f"HTTP {status} redirect") as info:
        read_reply(RawReply(status, headers, b""))
    assert (location or "no Location header") in str(info.value)


@pytest.mark.parametrize(("body", "kind"), [
    (b"\xff\xd8\xff\xe0", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"BM....", "BMP"),
    (b"GIF89a", "GIF"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "WebP"),
])
def test_known_image_signatures(body, kind) -> None:
    assert image_format(body) == kind == require_image(body)


@pytest.mark.parametrize(("body", "looks_like"), [
    (b"", "empty"), (b"%PDF-1.4", "a PDF document"), (b"PK\x03\x04", "a ZIP archive"),
    (b"<!DOCTYPE html><html>", "an HTML page"), (b'{"a": 1}', "JSON text"),
    (b"hello world", "text starting 'hello world'"), (bytes(range(200, 256)), "binary data"),
])
def test_non_images_are_refused_naming_what_they_look_like(body, looks_like) -> None:
    assert looks_like in describe_bytes(body)
    with pytest.raises(ImageError, match="not an image the service reads"):
        require_image(body, "scan.png")


def test_a_client_for_an_http_endpoint_imports_no_numpy_service_or_c_module() -> None:
    code = (
        "import sys, lingyun\n"
        "client = lingyun.Client('app', 'dev', 'http://127.0.0.1:9/ocr')\n"
        f"request = client.prepare({PNG_HEADER!r}, 'text.chinese')\n"
        "loaded = [m for m in ('numpy', 'lingyun.service', 'lingyun._iread', 'lingyun.iread')\n"
        "          if m in sys.modules]\n"
        "print(','.join(loaded) or 'none')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "none"
