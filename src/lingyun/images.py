"""Images before they are sent: the built-in reader (bytes, paths and binary file objects,
``lingyun_read_image``) and the header check (:func:`inspect_header`).

The reader is registered ``trylast`` so that any plugin accepting other sources (PIL images,
numpy arrays, PDF pages) is asked first.  The header check parses only the few bytes each
format's header takes (no decoding, no imaging library), so the client refuses junk that
merely starts like an image, and learns the pixel size it uses to fit and to size replies.
"""

from __future__ import annotations

import io
import os
import zlib
from dataclasses import dataclass
from typing import Any, Literal

from .errors import ImageError
from .hookspecs import hookimpl
from .protocol import require_image

__all__ = ["ImageHeader", "inspect_header", "lingyun_read_image", "read_image"]


def read_image(source: Any) -> bytes | None:
    """The bytes of ``source``, ``None`` for a kind of source this reader does not know."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        where = f"{type(source).__name__} given"
    elif isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            raise ImageError(f"image file not found: {path}") from None
        except IsADirectoryError:
            raise ImageError(f"image path is a directory: {path}") from None
        except OSError as exc:
            raise ImageError(f"cannot read image file {path}: {exc.strerror}") from None
        except ValueError as exc:  # e.g. an embedded NUL in the path
            raise ImageError(f"cannot open image path {path!r}: {exc}") from None
        where = f"file {path}"
    elif hasattr(source, "read"):
        if isinstance(source, io.TextIOBase):
            raise ImageError("image file object is open in text mode; open it with 'rb'")
        try:
            data = source.read()
        except (OSError, ValueError) as exc:  # closed file, unreadable stream
            raise ImageError(
                f"cannot read image file object {getattr(source, 'name', '')!r}: {exc}"
            ) from None
        if not isinstance(data, bytes | bytearray):
            raise ImageError(
                f"image file object returned {type(data).__name__}, not bytes; open it with 'rb'"
            )
        data = bytes(data)
        where = f"file object {getattr(source, 'name', '')}".rstrip()
    else:
        return None
    if not data:
        raise ImageError(f"image is empty: {where}")
    return data


@hookimpl(trylast=True)
def lingyun_read_image(source: Any) -> bytes | None:
    return read_image(source)


# -- what the bytes are: the header structure of each format the service reads ------------
@dataclass(frozen=True)
class ImageHeader:
    """What an image's header says: its format and its size in pixels.

    ``height`` is 0 for a JPEG that gives it later (a ``DNL`` marker), so :attr:`pixels`
    may be ``None``.
    """

    format: str
    width: int
    height: int

    @property
    def pixels(self) -> int | None:
        return self.width * self.height if self.width and self.height else None


class _Bad(Exception):
    """A header that breaks its format's structure (the message says where)."""


def _u16(data: bytes, at: int, order: Literal["big", "little"]) -> int:
    if at + 2 > len(data):
        raise _Bad(f"it ends at byte {len(data)}, inside its header")
    return int.from_bytes(data[at:at + 2], order)


def _u32(data: bytes, at: int, order: Literal["big", "little"]) -> int:
    if at + 4 > len(data):
        raise _Bad(f"it ends at byte {len(data)}, inside its header")
    return int.from_bytes(data[at:at + 4], order)


_PNG_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}


def _png(data: bytes) -> ImageHeader:
    # The signature, then the IHDR chunk: length 13, type, width, height, depth, colour
    # type, compression 0, filter 0, interlace 0/1, and its CRC.
    if _u32(data, 8, "big") != 13 or data[12:16] != b"IHDR":
        raise _Bad("its first chunk is not a 13-byte IHDR chunk")
    width, height = _u32(data, 16, "big"), _u32(data, 20, "big")
    if len(data) < 33:
        raise _Bad(f"it ends at byte {len(data)}, inside its IHDR chunk")
    depth, colour, compression, filtering, interlace = data[24:29]
    if not 0 < width < 2**31 or not 0 < height < 2**31:
        raise _Bad(f"its IHDR chunk gives a size of {width} x {height} pixels")
    if depth not in _PNG_DEPTHS.get(colour, ()) or compression or filtering or interlace > 1:
        raise _Bad(f"its IHDR chunk has an impossible bit depth {depth} / colour type "
                   f"{colour} / methods {compression}, {filtering}, {interlace}")
    if zlib.crc32(data[12:29]) != _u32(data, 29, "big"):
        raise _Bad("its IHDR chunk's CRC does not match")
    return ImageHeader("PNG", width, height)


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_STANDALONE = {0x01, *range(0xD0, 0xD8)}


def _jpeg(data: bytes) -> ImageHeader:
    # SOI, then marker segments (FF, a marker, a 2-byte length counting itself) up to the
    # frame header (SOFn: precision, height, width, components).
    at = 2
    while True:
        if at >= len(data):
            raise _Bad(f"it ends at byte {len(data)} before its frame header (SOF)")
        if data[at] != 0xFF:
            raise _Bad(f"byte {at} should start a marker (FF), found {data[at]:02X}")
        while at < len(data) and data[at] == 0xFF:  # fill bytes
            at += 1
        if at >= len(data):
            raise _Bad(f"it ends at byte {len(data)} before its frame header (SOF)")
        marker = data[at]
        at += 1
        if marker in _STANDALONE:
            continue
        if marker in (0x00, 0xD8, 0xD9, 0xDA):
            raise _Bad(f"marker FF{marker:02X} at byte {at - 2} comes before any frame header")
        length = _u16(data, at, "big")
        if length < 2:
            raise _Bad(f"marker FF{marker:02X} at byte {at - 2} has a length of {length}")
        if marker in _SOF:
            if length < 8:
                raise _Bad(f"its frame header at byte {at - 2} is {length} bytes long")
            height, width = _u16(data, at + 3, "big"), _u16(data, at + 5, "big")
            components = data[at + 7] if at + 7 < len(data) else 0
            if not width or components not in (1, 2, 3, 4):
                raise _Bad(f"its frame header gives {width} x {height} pixels and "
                           f"{components} components")
            return ImageHeader("JPEG", width, height)
        at += length


def _gif(data: bytes) -> ImageHeader:
    # The logical screen descriptor: width, height, flags (global colour table?), then a
    # block: image descriptor (2C), extension (21) or trailer (3B).
    width, height = _u16(data, 6, "little"), _u16(data, 8, "little")
    if len(data) < 13:
        raise _Bad(f"it ends at byte {len(data)}, inside its logical screen descriptor")
    if not width or not height:
        raise _Bad(f"its logical screen descriptor gives {width} x {height} pixels")
    flags = data[10]
    at = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    if at >= len(data):
        raise _Bad(f"it ends at byte {len(data)}, before its first block")
    if data[at] not in (0x21, 0x2C):
        raise _Bad(f"byte {at} should start an image or extension block, found "
                   f"{data[at]:02X}")
    return ImageHeader("GIF", width, height)


_BMP_INFO_SIZES = (12, 16, 40, 52, 56, 64, 108, 124)


def _bmp(data: bytes) -> ImageHeader:
    # File header (size, reserved, pixel offset), then the DIB header: its own size, the
    # width and height, one plane, the bits per pixel.
    offset, info = _u32(data, 10, "little"), _u32(data, 14, "little")
    if info not in _BMP_INFO_SIZES:
        raise _Bad(f"its DIB header claims {info} bytes, not one of the BMP header sizes")
    if info == 12:
        width, height = _u16(data, 18, "little"), _u16(data, 20, "little")
        planes, bits = _u16(data, 22, "little"), _u16(data, 24, "little")
    else:
        width = int.from_bytes(data[18:22], "little", signed=True)
        height = abs(int.from_bytes(data[22:26], "little", signed=True))
        planes, bits = _u16(data, 26, "little"), _u16(data, 28, "little")
    if width <= 0 or height <= 0:
        raise _Bad(f"its DIB header gives {width} x {height} pixels")
    if planes != 1 or bits not in (1, 2, 4, 8, 16, 24, 32, 64):
        raise _Bad(f"its DIB header gives {planes} planes of {bits} bits per pixel")
    if not 14 + info <= offset <= len(data):
        raise _Bad(f"its pixel data offset {offset} is outside the {len(data)}-byte file")
    return ImageHeader("BMP", width, height)


def _tiff(data: bytes) -> ImageHeader:
    # The first IFD: its offset, entry count, and the width (256) and length (257) tags.
    order: Literal["big", "little"] = "little" if data[:2] == b"II" else "big"
    at = _u32(data, 4, order)
    if not 8 <= at < len(data):
        raise _Bad(f"its first IFD offset {at} is outside the {len(data)}-byte file")
    count = _u16(data, at, order)
    if not count or at + 2 + 12 * count > len(data):
        raise _Bad(f"its first IFD at byte {at} has {count} entries, not all in the file")
    size: dict[int, int] = {}
    for entry in range(at + 2, at + 2 + 12 * count, 12):
        tag, kind = _u16(data, entry, order), _u16(data, entry + 2, order)
        if tag in (256, 257):
            size[tag] = (_u16(data, entry + 8, order) if kind == 3
                         else _u32(data, entry + 8, order))
    if not size.get(256) or not size.get(257):
        raise _Bad("its first IFD gives no image width and length (tags 256, 257)")
    return ImageHeader("TIFF", size[256], size[257])


def _webp(data: bytes) -> ImageHeader:
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = _u16(data, 26, "little") & 0x3FFF, _u16(data, 28, "little") & 0x3FFF
    elif chunk == b"VP8L" and data[20:21] == b"\x2f":
        bits = _u32(data, 21, "little")
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    elif chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
    else:
        raise _Bad(f"its first chunk {chunk!r} is not a VP8, VP8L or VP8X frame header")
    if not width or not height:
        raise _Bad(f"its frame header gives {width} x {height} pixels")
    return ImageHeader("WebP", width, height)


_READERS = {"PNG": _png, "JPEG": _jpeg, "GIF": _gif, "BMP": _bmp, "TIFF": _tiff,
            "WebP": _webp}


def inspect_header(body: bytes, source: object = None) -> ImageHeader:
    """The format and pixel size ``body``'s header declares, or :class:`ImageError` saying
    what is wrong and where -- before anything is sent (and billed).

    The first bytes only name a format; the structure behind them is checked too: a PNG's
    IHDR chunk (with its CRC), a JPEG's marker segments up to its frame header, a GIF's
    logical screen descriptor and first block, a BMP's header sizes and pixel offset, a
    TIFF's first IFD, a WebP's frame header.  ``BM`` followed by text, a bare
    ``FF D8 FF`` or ``GIF89a`` alone are refused.
    """
    kind = require_image(body, source)
    try:
        return _READERS[kind](body)
    except _Bad as exc:
        where = f"{source}: " if source is not None else ""
        raise ImageError(f"{where}starts like a {kind} file but is not one: {exc} "
                         f"({len(body)} bytes)") from None
