"""Image decoding for engines: size checked from the header first, then one RGB picture.

Why a module of its own: an image file says how large it is in a few header bytes, and a
691-byte JPEG can claim 30000 x 30000 pixels (2.7 GB once decoded).  So the size is read
from the header (Pillow's ``Image.open`` parses headers only, decoding is lazy) and checked
against :class:`ImageLimits` *before* a single pixel is decoded; a picture over a limit is an
:class:`ImageRefused` that the service answers with error 230 (see docs/service.md, "SPEC
decisions").  Recognition engines want one 8-bit colour picture, whatever the file holds, so
:func:`decode` also normalises what scanners and phones produce:

* transparency (RGBA, LA, palette with a transparent colour) is composited on the ground
  that contrasts with what is visible (:func:`lingyun.geometry.ink.backdrop`): dark text
  on a transparent background goes on white, white text on black -- never on its own colour;
* 16-bit greyscale is scaled to 8 bits (not clipped), CMYK and other colour spaces become RGB;
* an animated GIF/WebP or a multi-page TIFF gives its first frame;
* an EXIF orientation is applied, as OpenCV's ``imdecode`` did before this module.

**Memory is bounded by bytes, not pixels alone.**  A 305 KB TIFF of 7000 x 7000 32-bit floats
is 196 MB once decoded, four times an 8-bit picture of the same size, and converting floats
naively costs several times that again.  So the pixel limit is in *bytes per sample*: an
image with 16-bit samples may have half ``max_pixels``, one with 32-bit integers or floats a
quarter (checked from the header, before decoding); wide samples are then converted to 8 bits
a band of rows at a time, so the conversion needs no full-size float copies.  And at most
:data:`DECODE_BUDGET` bytes of pictures are being decoded at once in a process (a decode
waits for room; one larger than the budget runs alone), so four threads decoding 49-megapixel
images do not hold four of them at once.

The limits in force come from the service core for the request being answered
(:func:`limits_in_effect`), so an engine calls :func:`decode` without knowing the configuration.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import re
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from .engines import BadImage

__all__ = [
    "DECODE_BUDGET",
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_ASPECT",
    "DEFAULT_MAX_PIXELS",
    "DecodeBudget",
    "ImageLimits",
    "ImageRefused",
    "ImageSize",
    "check",
    "decode",
    "limits_in_effect",
    "read_size",
    "sample_bytes",
]

#: 50 megapixels: an A4 page at 600 dpi (4961 x 7016, 34.8 MP) or an A3 page at 400 dpi
#: (4677 x 6614, 30.9 MP) fits; decoded as RGB that is at most 150 MB per image.
DEFAULT_MAX_PIXELS = 50_000_000
#: Longest side over shortest side.  A till receipt is about 1:20; rapidocr scales the long
#: side down to 2000 px and the short side up to 30 px, which fails beyond about 1:66.
DEFAULT_MAX_ASPECT = 50


#: Bytes of decoded pictures in flight at once in one process (see :class:`DecodeBudget`):
#: two of the largest 8-bit RGB pictures the default limit lets through.
DECODE_BUDGET = 2 * 4 * DEFAULT_MAX_PIXELS

#: Bytes per sample of each Pillow mode whose samples are wider than 8 bits.
_WIDE_SAMPLES = {"I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2, "I;16S": 2, "I": 4, "F": 4}
_WIDE_NAMES = {2: "16-bit", 4: "32-bit integer or floating-point"}
#: Bytes Pillow holds per pixel for a mode (three-channel modes are stored in four bytes).
_HELD_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2,
               "I;16S": 2}


def sample_bytes(mode: str) -> int:
    """Bytes per sample of a Pillow ``mode``: 1 for the 8-bit modes, 2 or 4 for wide ones."""
    return _WIDE_SAMPLES.get(mode, 1)


class ImageRefused(Exception):
    """A decodable image the service will not decode: over the pixel or aspect limit.

    ``text`` says what the image is (its size in pixels) and what the limit is; the service
    answers it with error ``code`` (230, not retried by clients).
    """

    code = 230

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass(frozen=True)
class ImageLimits:
    """What the service decodes: at most ``max_pixels`` and a side ratio of ``max_aspect``."""

    max_pixels: int = DEFAULT_MAX_PIXELS
    max_aspect: float = DEFAULT_MAX_ASPECT

    def __post_init__(self) -> None:
        if self.max_pixels < 1 or self.max_aspect < 1:
            raise ValueError(f"image limits must be at least 1: {self}")


DEFAULT_LIMITS = ImageLimits()

_current: contextvars.ContextVar[ImageLimits] = contextvars.ContextVar(
    "lingyun_image_limits", default=DEFAULT_LIMITS)


@contextlib.contextmanager
def limits_in_effect(limits: ImageLimits) -> Iterator[None]:
    """Make ``limits`` the ones :func:`decode` applies in this thread/context."""
    token = _current.set(limits)
    try:
        yield
    finally:
        _current.reset(token)


@dataclass(frozen=True)
class ImageSize:
    """What an image's header says: format, width and height (of the first frame), and the
    Pillow mode its pixels decode to (``""`` when unknown)."""

    format: str
    width: int
    height: int
    mode: str = ""


class DecodeBudget:
    """Bytes of pictures being decoded at once, bounded: :meth:`take` waits for room.

    A picture larger than the whole budget is let through when nothing else is decoding
    (refusing it is the pixel limit's job, not this one's), so a decode never waits for ever.
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"a decode budget must be at least 1 byte, not {capacity}")
        self.capacity = capacity
        self.used = 0
        self._room = threading.Condition()

    def try_take(self, size: int) -> bool:
        """Take ``size`` bytes if there is room now; False (nothing taken) otherwise."""
        with self._room:
            if self.used and self.used + size > self.capacity:
                return False
            self.used += size
            return True

    @contextlib.contextmanager
    def take(self, size: int) -> Iterator[None]:
        """Hold ``size`` bytes of the budget for the ``with`` block, waiting for room."""
        with self._room:
            self._room.wait_for(lambda: not self.used or self.used + size <= self.capacity)
            self.used += size
        try:
            yield
        finally:
            with self._room:
                self.used -= size
                self._room.notify_all()


_budget = DecodeBudget(DECODE_BUDGET)


def _pillow() -> tuple[Any, Any]:
    """Pillow's Image and ImageOps, imported lazily: the service runs without images in
    replay-only setups."""
    try:
        from PIL import Image, ImageOps
    except ImportError as exc:  # pragma: no cover - pillow comes with the local extra
        raise BadImage("decoding images needs Pillow: pip install 'lingyun[local]'") from exc
    return Image, ImageOps


_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")


def _open(data: bytes) -> Any:
    """Pillow's lazy image (header parsed, no pixel decoded) or :class:`BadImage`."""
    Image, _ = _pillow()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        # Pillow's own guard fires inside open() for sizes far above any sane limit.
        found = _BOMB_PIXELS.search(str(exc))
        pixels = f"{int(found.group(1)):,} pixels" if found else "a pixel count"
        raise ImageRefused(f"the image header declares {pixels}, over a limit of "
                           f"{_current.get().max_pixels:,} pixels") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise BadImage(f"the {len(data)}-byte body is not an image that can be read: "
                       f"{exc}") from None


def _check_size(size: ImageSize, limits: ImageLimits) -> None:
    width, height = size.width, size.height
    if width < 1 or height < 1:
        raise BadImage(f"the {size.format} image header declares {width} x {height} pixels")
    pixels = width * height
    if pixels > limits.max_pixels:
        raise ImageRefused(f"the {size.format} image is {width} x {height} = {pixels:,} "
                           f"pixels, over the limit of {limits.max_pixels:,} pixels")
    wide = sample_bytes(size.mode)
    if pixels * wide > limits.max_pixels:
        raise ImageRefused(
            f"the {size.format} image is {width} x {height} = {pixels:,} pixels of "
            f"{_WIDE_NAMES[wide]} samples ({wide} bytes each, mode {size.mode}); an image with "
            f"such samples may have at most {limits.max_pixels // wide:,} pixels (the limit "
            f"of {limits.max_pixels:,} pixels is for 8-bit samples): convert it to 8 bits "
            f"per sample or make it smaller")
    aspect = max(width, height) / min(width, height)
    if aspect > limits.max_aspect:
        raise ImageRefused(f"the {size.format} image is {width} x {height} pixels, a side "
                           f"ratio of {aspect:.0f}:1, over the limit of "
                           f"{limits.max_aspect:g}:1")


def read_size(data: bytes) -> ImageSize:
    """The header's format and size; :class:`BadImage` if no header can be read."""
    with _open(data) as image:
        return ImageSize(image.format or "image", image.width, image.height, image.mode)


def check(data: bytes, limits: ImageLimits | None = None) -> ImageSize:
    """Header size against ``limits`` (default: those in effect); nothing is decoded.

    Raises :class:`ImageRefused` over a limit, :class:`BadImage` when no header is readable.
    """
    size = read_size(data)
    _check_size(size, limits or _current.get())
    return size


#: Rows converted at a time from wide samples: bounds the conversion's temporary arrays.
_BAND_ROWS = 256


def _wide_to_grey(image: Any) -> np.ndarray:
    """A 16-bit, 32-bit integer or float greyscale picture -> H x W ``uint8``, a band of
    rows at a time (no full-size float64 copies).

    16-bit and integer samples are scaled from 0..65535 (not clipped at 255); floats in 0..1
    are scaled by 255, other floats clipped to 0..255; NaN becomes 0.
    """
    values = np.asarray(image)  # the samples as Pillow holds them (2 or 4 bytes each)
    grey = np.empty(values.shape, dtype=np.uint8)
    is_float = values.dtype.kind == "f"
    scale = 1.0
    if is_float and values.size:
        top = np.nanmax(values) if not np.isnan(values).all() else 0.0
        scale = 255.0 if float(top) <= 1.0 else 1.0
    for start in range(0, values.shape[0], _BAND_ROWS):
        band = values[start:start + _BAND_ROWS]
        if is_float:
            out = np.nan_to_num(band.astype(np.float32) * np.float32(scale), nan=0.0)
            np.clip(out, 0, 255, out=out)
        else:
            out = np.clip(band.astype(np.int64), 0, 65535) // 257
        grey[start:start + _BAND_ROWS] = out
    return grey


def _to_bgr(image: Any) -> np.ndarray:
    """Any Pillow mode -> H x W x 3 uint8 **BGR**, alpha composited on a ground that contrasts
    with its ink.

    Greyscale stays one channel until the end (one third of the memory); colour is swapped
    to BGR in place, without a second full-size copy.
    """
    Image, _ = _pillow()
    mode = image.mode
    if mode == "P":
        mode = "RGBA" if "transparency" in image.info else "RGB"
        image = image.convert(mode)
    elif mode in ("PA", "LA", "La", "RGBa"):
        image = image.convert("RGBA")
        mode = "RGBA"
    if mode == "RGBA":
        from ..geometry.ink import backdrop

        level = backdrop(np.asarray(image))
        ground = Image.new("RGBA", image.size, (level, level, level, 255))
        image = Image.alpha_composite(ground, image).convert("RGB")
        mode = "RGB"
    if sample_bytes(mode) > 1:
        grey = _wide_to_grey(image)
    elif mode in ("L", "1"):
        grey = np.asarray(image.convert("L") if mode == "1" else image)
    else:
        rgb = np.array(image if mode == "RGB" else image.convert("RGB"))
        red = rgb[:, :, 0].copy()
        rgb[:, :, 0] = rgb[:, :, 2]
        rgb[:, :, 2] = red
        return rgb
    return np.repeat(grey[:, :, None], 3, axis=2)  # B = G = R


def _held_bytes(size: ImageSize) -> int:
    """What decoding ``size`` holds at its peak: Pillow's pixels plus the BGR result."""
    return size.width * size.height * (_HELD_BYTES.get(size.mode, 4) + 3)


def decode(data: bytes, limits: ImageLimits | None = None) -> np.ndarray:
    """The image as an H x W x 3 ``uint8`` **BGR** array (OpenCV's order, what rapidocr reads).

    The header is checked against ``limits`` (default: those in effect) before decoding;
    :class:`ImageRefused` over a limit, :class:`BadImage` for a body that cannot be decoded.
    The decode waits for room in the process's :class:`DecodeBudget`.
    """
    _, ImageOps = _pillow()
    with _open(data) as image:
        size = ImageSize(image.format or "image", image.width, image.height, image.mode)
        _check_size(size, limits or _current.get())
        with _budget.take(_held_bytes(size)):
            try:
                image.seek(0)  # the first frame of an animation or a multi-page file
                image.load()
                upright = ImageOps.exif_transpose(image)
                bgr = _to_bgr(upright)
            except (OSError, ValueError, SyntaxError, EOFError) as exc:
                raise BadImage(f"the {size.format} image ({size.width} x {size.height}) "
                               f"could not be decoded: {exc}") from None
    return np.ascontiguousarray(bgr)
