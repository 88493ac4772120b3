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

The limits in force come from the service core for the request being answered
(:func:`limits_in_effect`), so an engine calls :func:`decode` without knowing the configuration.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .engines import BadImage

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_ASPECT",
    "DEFAULT_MAX_PIXELS",
    "ImageLimits",
    "ImageRefused",
    "ImageSize",
    "check",
    "decode",
    "limits_in_effect",
    "read_size",
]

#: 50 megapixels: an A4 page at 600 dpi (4961 x 7016, 34.8 MP) or an A3 page at 400 dpi
#: (4677 x 6614, 30.9 MP) fits; decoded as RGB that is at most 150 MB per image.
DEFAULT_MAX_PIXELS = 50_000_000
#: Longest side over shortest side.  A till receipt is about 1:20; rapidocr scales the long
#: side down to 2000 px and the short side up to 30 px, which fails beyond about 1:66.
DEFAULT_MAX_ASPECT = 50


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
    """What an image's header says: format, width and height (of the first frame)."""

    format: str
    width: int
    height: int


def _pillow():  # imported lazily: the service runs without images in replay-only setups
    try:
        from PIL import Image, ImageOps
    except ImportError as exc:  # pragma: no cover - pillow comes with the local extra
        raise BadImage("decoding images needs Pillow: pip install 'lingyun[local]'") from exc
    return Image, ImageOps


_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")


def _open(data: bytes):
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
    aspect = max(width, height) / min(width, height)
    if aspect > limits.max_aspect:
        raise ImageRefused(f"the {size.format} image is {width} x {height} pixels, a side "
                           f"ratio of {aspect:.0f}:1, over the limit of "
                           f"{limits.max_aspect:g}:1")


def read_size(data: bytes) -> ImageSize:
    """The header's format and size; :class:`BadImage` if no header can be read."""
    with _open(data) as image:
        return ImageSize(image.format or "image", image.width, image.height)


def check(data: bytes, limits: ImageLimits | None = None) -> ImageSize:
    """Header size against ``limits`` (default: those in effect); nothing is decoded.

    Raises :class:`ImageRefused` over a limit, :class:`BadImage` when no header is readable.
    """
    size = read_size(data)
    _check_size(size, limits or _current.get())
    return size


def _to_rgb(image) -> np.ndarray:
    """Any Pillow mode -> H x W x 3 uint8 RGB, alpha composited on a contrasting ground."""
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
        return np.asarray(Image.alpha_composite(ground, image).convert("RGB"))
    if mode.startswith("I;16") or mode == "I":
        values = np.asarray(image).astype(np.uint32)
        grey = (np.clip(values, 0, 65535) // 257).astype(np.uint8)
        return np.repeat(grey[:, :, None], 3, axis=2)
    if mode == "F":
        values = np.asarray(image, dtype=np.float64)
        scale = 255.0 if values.size and float(np.nanmax(values)) <= 1.0 else 1.0
        grey = np.nan_to_num(np.clip(values * scale, 0, 255)).astype(np.uint8)
        return np.repeat(grey[:, :, None], 3, axis=2)
    return np.asarray(image.convert("RGB"))


def decode(data: bytes, limits: ImageLimits | None = None) -> np.ndarray:
    """The image as an H x W x 3 ``uint8`` **BGR** array (OpenCV's order, what rapidocr reads).

    The header is checked against ``limits`` (default: those in effect) before decoding;
    :class:`ImageRefused` over a limit, :class:`BadImage` for a body that cannot be decoded.
    """
    _, ImageOps = _pillow()
    with _open(data) as image:
        size = ImageSize(image.format or "image", image.width, image.height)
        _check_size(size, limits or _current.get())
        try:
            image.seek(0)  # the first frame of an animation or a multi-page file
            image.load()
            upright = ImageOps.exif_transpose(image)
            rgb = _to_rgb(upright)
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise BadImage(f"the {size.format} image ({size.width} x {size.height}) could not "
                           f"be decoded: {exc}") from None
    return np.ascontiguousarray(rgb[:, :, ::-1])
