"""Make an image fit the service's limits, and map the answer back to the original pixels.

The service refuses bodies over its size limit (10 MiB, error 230) and images over its pixel
limit (50 megapixels).  Scans and phone photos are often larger -- and a 122 KB PNG of a
white 9000 x 9000 page is over the second.  :func:`fit` leaves an image that fits both
untouched (not even decoded: its header gives its size); any other one is

1. turned upright by its EXIF orientation (a phone photo is stored sideways and says so),
2. scaled down to the pixel limit if it is over it,
3. re-encoded as JPEG (quality 90, then 80), and if that is still too many bytes
4. downscaled step by step (Lanczos) until it fits.

:meth:`lingyun.Client.recognize` and :meth:`~lingyun.Client.batch` fit every image by default
(``Client(fit=False)`` sends images as they are), and so do ``lingyun ocr`` and bulk runs:
one behaviour, by bytes and by pixels, with coordinates mapped back.

The :class:`Fitted` image remembers the scale between the sent pixels and the original,
and :meth:`Fitted.map_result` puts every coordinate of a result back into **the upright
original's pixels** (the image as any viewer shows it): template field boxes, bank-card
digit boxes, business-card boxes, and the whole position stream (page size, region, cell
and character boxes, line metrics), which is decoded, scaled and re-encoded with
:func:`lingyun.iread.encode_arrays`.  ``raw`` -- the envelope exactly as the service sent it
-- is kept as it came, about the image that was sent.
"""

from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import ImageError, UsageError
from .images import inspect_header

if TYPE_CHECKING:
    import numpy as np

    from .results import Result

__all__ = ["DEFAULT_LIMIT", "DEFAULT_PIXEL_LIMIT", "Fitted", "fit", "needs_fitting",
           "scale_positions"]

#: The service's default body limit (SPEC: error 230 above it).
DEFAULT_LIMIT = 10 * 1024 * 1024
#: The local service's default pixel limit (``lingyun serve --max-pixels``).
DEFAULT_PIXEL_LIMIT = 50_000_000
_QUALITIES = (90, 80)
_SMALLEST_SIDE = 32


@dataclass(frozen=True)
class Fitted:
    """The bytes to send and how their pixels relate to the original's.

    ``scale_x``/``scale_y`` are original pixels per sent pixel (1.0 when nothing was
    resized); ``original_size`` is the upright original's ``(width, height)``.
    """

    data: bytes
    original_bytes: int
    scale_x: float = 1.0
    scale_y: float = 1.0
    original_size: tuple[int, int] | None = None
    sent_size: tuple[int, int] | None = None
    orientation: int = 1

    @property
    def changed(self) -> bool:
        return self.original_size is not None

    def info(self) -> dict[str, Any] | None:
        """What a record says about the fitting (``None`` when the image went as given)."""
        if not self.changed:
            return None
        return {
            "original_bytes": self.original_bytes,
            "sent_bytes": len(self.data),
            "original_size": list(self.original_size or ()),
            "sent_size": list(self.sent_size or ()),
            "scale": [self.scale_x, self.scale_y],
            "exif_orientation": self.orientation,
        }

    def map_result(self, result: Result) -> Result:
        """``result`` with every coordinate in the original's pixels (a new object)."""
        if self.scale_x == 1.0 and self.scale_y == 1.0:
            return result
        from .results import Result as _Result

        data = result.to_dict()
        mapped = {key: (value if key == "raw" else _scale_boxes(value, self.scale_x,
                                                                  self.scale_y))
                  for key, value in data.items()}
        if isinstance(mapped.get("positions"), str):
            stream = base64.b64decode(mapped["positions"])
            mapped["positions"] = base64.b64encode(
                scale_positions(stream, self.scale_x, self.scale_y)).decode("ascii")
        return _Result.from_dict(mapped)


def _scale_box(box: list[int], sx: float, sy: float) -> list[int]:
    left, top, right, bottom = box
    return [round(left * sx), round(top * sy), round(right * sx), round(bottom * sy)]


def _scale_boxes(value: Any, sx: float, sy: float) -> Any:
    """Every ``"box": [l, t, r, b]`` inside ``value`` scaled (dicts and lists walked)."""
    if isinstance(value, dict):
        return {key: (_scale_box(item, sx, sy)
                      if key == "box" and isinstance(item, list) and len(item) == 4
                      else _scale_boxes(item, sx, sy))
                for key, item in value.items()}
    if isinstance(value, list):
        return [_scale_boxes(item, sx, sy) for item in value]
    return value


def _scaled(values: np.ndarray, factor: float, dtype: np.dtype) -> np.ndarray:
    import numpy as np

    info = np.iinfo(dtype)
    return np.clip(np.rint(values.astype(np.float64) * factor), info.min, info.max).astype(dtype)


def scale_positions(stream: bytes, sx: float, sy: float) -> bytes:
    """A position stream with its coordinates multiplied by ``sx`` (x) and ``sy`` (y).

    Page sizes, region/cell/character boxes scale per axis; line metrics (baseline, line
    size, average character size) by the mean factor, since a line may run either way.
    """
    from .iread import decode, encode_arrays

    layout = decode(stream)
    arrays = {kind: array.copy() for kind, array in layout.arrays().items()}
    mean = (sx + sy) / 2
    page = arrays["page"]
    page["width"] = _scaled(page["width"], sx, page.dtype["width"])
    page["height"] = _scaled(page["height"], sy, page.dtype["height"])
    for kind in ("region", "cell", "char"):
        boxes = arrays[kind]
        for name, factor in (("left", sx), ("right", sx), ("top", sy), ("bottom", sy)):
            boxes[name] = _scaled(boxes[name], factor, boxes.dtype[name])
    lines = arrays["line"]
    for name in ("baseline", "size", "avg_char_width", "avg_char_height"):
        lines[name] = _scaled(lines[name], mean, lines.dtype[name])
    return encode_arrays(layout.node_types, arrays)


def needs_fitting(data: bytes, limit: int = DEFAULT_LIMIT,
                  pixel_limit: int | None = DEFAULT_PIXEL_LIMIT) -> bool:
    """True when ``data`` is over ``limit`` bytes or its header declares more than
    ``pixel_limit`` pixels (read from the header only: nothing is decoded)."""
    if len(data) > limit:
        return True
    if pixel_limit is None:
        return False
    try:
        pixels = inspect_header(data).pixels
    except ImageError:  # not an image: the check before sending says so, not this one
        return False
    return pixels is not None and pixels > pixel_limit


def fit(data: bytes, limit: int = DEFAULT_LIMIT,
        pixel_limit: int | None = DEFAULT_PIXEL_LIMIT) -> Fitted:
    """``data`` unchanged if it is at most ``limit`` bytes and ``pixel_limit`` pixels, else
    upright and shrunk to fit both (``pixel_limit=None``: by bytes only)."""
    if limit < 1024:
        raise UsageError(f"the size limit must be at least 1024 bytes, got {limit}")
    if pixel_limit is not None and pixel_limit < _SMALLEST_SIDE ** 2:
        raise UsageError(f"the pixel limit must be at least {_SMALLEST_SIDE ** 2}, got "
                         f"{pixel_limit}")
    if not needs_fitting(data, limit, pixel_limit):
        return Fitted(data, len(data))
    if len(data) > limit:
        what = f"the image is {len(data)} bytes, over the {limit}-byte limit"
    else:
        header = inspect_header(data)
        what = (f"the image is {header.width} x {header.height} pixels, over the "
                f"{pixel_limit}-pixel limit")
    try:
        from PIL import Image, ImageOps, UnidentifiedImageError
    except ImportError as exc:
        raise ImageError(f"{what}, and shrinking it needs Pillow "
                         f"(pip install 'lingyun[images]'): {exc}") from None
    try:
        with Image.open(io.BytesIO(data)) as opened:
            orientation = int(opened.getexif().get(0x0112, 1) or 1)
            stored = opened.size
            if pixel_limit is not None and opened.format == "JPEG" \
                    and stored[0] * stored[1] > pixel_limit:
                # decode at 1/2, 1/4 or 1/8 scale straight away (still at least the size
                # the pixel limit allows): a 100-megapixel photo never sits in memory whole
                shrink = math.sqrt(pixel_limit / (stored[0] * stored[1]))
                opened.draft(opened.mode, (math.ceil(stored[0] * shrink),
                                           math.ceil(stored[1] * shrink)))
            image = ImageOps.exif_transpose(opened)
            image.load()
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError) as exc:
        raise ImageError(f"{what}, and cannot be decoded to shrink it: {exc}") from None
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    # The upright original's size, whatever scale the decoder chose.
    width, height = stored if orientation < 5 else (stored[1], stored[0])
    current = image
    if pixel_limit is not None and current.width * current.height > pixel_limit:
        shrink = math.sqrt(pixel_limit / (width * height))
        size = (max(1, math.floor(width * shrink)), max(1, math.floor(height * shrink)))
        current = image = image.resize(size, Image.Resampling.LANCZOS)
    factor = current.width / width
    while True:
        for quality in _QUALITIES:
            encoded = _jpeg(current, quality)
            if len(encoded) <= limit:
                sent_w, sent_h = current.size
                return Fitted(encoded, len(data), width / sent_w, height / sent_h,
                              (width, height), (sent_w, sent_h), orientation)
        # Bytes scale roughly with pixel count: aim a little under the limit.
        factor *= min(0.9, (limit / len(encoded)) ** 0.5 * 0.95)
        size = (max(1, round(width * factor)), max(1, round(height * factor)))
        if min(size) < _SMALLEST_SIDE:
            raise ImageError(f"the image cannot be made smaller than {limit} bytes without "
                             f"shrinking it below {_SMALLEST_SIDE} pixels a side")
        current = image.resize(size, Image.Resampling.LANCZOS)


def _jpeg(image: Any, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()
