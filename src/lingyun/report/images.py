"""Find each record's page image and put it in the report: embedded, or linked relatively.

A record names its input as the run saw it (``source``, plus ``page`` for a PDF or TIFF
page).  :class:`ImageFinder` looks for that file

* with ``images`` (``--images DIR``): at ``DIR/source`` and ``DIR/<file name>``, and never
  outside ``DIR`` (a record saying ``../../x`` does not reach out of it);
* without: at ``source`` as written (relative to the current directory) and relative to the
  records file's directory.

Only regular files are opened (a FIFO would block, a device never end) and only when their
first bytes say they are an image or a PDF, so a hostile record cannot pull an arbitrary file
into the page.  PDF and TIFF pages are rasterised again (:mod:`lingyun.bulk.pages`) and always
embedded, since a browser shows neither.  With Pillow installed, an embedded image larger
than ``max_side`` pixels is downscaled (the boxes are drawn in the original's coordinates,
so they still fit); without it the image is embedded as it is.
"""

from __future__ import annotations

import base64
import io
import os
import stat
import struct
from dataclasses import dataclass
from pathlib import Path, PurePath
from urllib.parse import quote

__all__ = ["DEFAULT_MAX_SIDE", "ImageFinder", "PageImage", "image_kind"]

#: Embedded images are downscaled to this many pixels on their longer side (with Pillow).
DEFAULT_MAX_SIDE = 2000
#: Larger files are not embedded (a report should open in a browser).
MAX_FILE_BYTES = 64 * 1024 * 1024

_MIME = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "bmp": "image/bmp",
         "webp": "image/webp"}


def image_kind(head: bytes) -> str | None:
    """``png``, ``jpeg``, ``gif``, ``bmp``, ``webp``, ``tiff``, ``pdf`` or ``None``."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"BM"):
        return "bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head.startswith(b"%PDF-"):
        return "pdf"
    return None


@dataclass(frozen=True)
class PageImage:
    """What the report's ``<img src>`` gets, and the image's size when it could be read."""

    src: str
    width: int | None = None
    height: int | None = None


class ImageFinder:
    """Locates and encodes page images (see the module docstring for where it looks)."""

    def __init__(self, *, images: str | os.PathLike[str] | None = None,
                 records_dir: str | os.PathLike[str] | None = None,
                 link_from: str | os.PathLike[str] | None = None,
                 max_side: int = DEFAULT_MAX_SIDE) -> None:
        self.images = Path(images) if images is not None else None
        self.records_dir = Path(records_dir) if records_dir is not None else None
        #: When set, plain images are linked relative to this directory instead of embedded.
        self.link_from = Path(link_from) if link_from is not None else None
        self.max_side = max_side

    def candidates(self, source: str) -> list[Path]:
        """Where the image of ``source`` may be, in the order they are tried."""
        if "\x00" in source or not source or source.startswith("<"):
            return []  # an in-memory input ("<123 bytes>") or a broken name: no file
        written = Path(source)
        if self.images is not None:
            inside = [] if written.is_absolute() else [self.images / written]
            return [*inside, self.images / PurePath(source).name]
        tried = [written]
        if self.records_dir is not None and not written.is_absolute():
            tried.append(self.records_dir / written)
        return tried

    def find(self, source: str, page: int | None) -> tuple[PageImage | None, str | None]:
        """The image for a record, or ``None`` and a note saying why there is none."""
        tried = self.candidates(source)
        for path in tried:
            if not self._allowed(path):
                continue
            try:
                info = os.stat(path)
            except (OSError, ValueError):
                continue
            if not stat.S_ISREG(info.st_mode):
                continue
            if info.st_size > MAX_FILE_BYTES:
                return None, f"{path} is {info.st_size} bytes, too large to embed"
            try:
                return self._encode(path, page), None
            except (OSError, ValueError) as exc:
                return None, f"{path}: {exc}"
            except Exception as exc:  # a decoder's own error (Pillow, PDFium): one note
                return None, f"{path}: {type(exc).__name__}: {exc}"
        if not tried:
            return None, "the input was not a file"
        return None, "image not found (looked at " + ", ".join(str(p) for p in tried) + ")"

    def _allowed(self, path: Path) -> bool:
        if self.images is None:
            return True
        try:
            return path.resolve().is_relative_to(self.images.resolve())
        except (OSError, ValueError):
            return False

    def _encode(self, path: Path, page: int | None) -> PageImage:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        kind = image_kind(data[:16])
        if kind is None:
            raise ValueError("not an image a browser shows (PNG, JPEG, GIF, BMP, WebP), "
                             "nor a PDF or TIFF")
        if kind in ("pdf", "tiff"):
            from ..bulk.pages import PageInput

            data = PageInput(source=str(path), page=page or 1, kind=kind).load()
            kind = "png"
        elif self.link_from is not None:
            width, height = _size(data)
            relative = Path(os.path.relpath(path.resolve(), self.link_from.resolve()))
            return PageImage(quote(relative.as_posix()), width, height)
        data, kind, width, height = _shrink(data, kind, self.max_side)
        encoded = base64.b64encode(data).decode("ascii")
        return PageImage(f"data:{_MIME[kind]};base64,{encoded}", width, height)


def _size(data: bytes) -> tuple[int | None, int | None]:
    """The upright size of an image (as a browser shows it), when it can be read."""
    try:
        from PIL import Image
    except ImportError:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
            width, height = struct.unpack(">II", data[16:24])
            return int(width), int(height)
        return None, None
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            orientation = image.getexif().get(0x0112, 1)
    except Exception:
        return None, None
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _shrink(data: bytes, kind: str, max_side: int) -> tuple[bytes, str, int | None, int | None]:
    """``data`` downscaled (upright) when its longer side is over ``max_side`` (needs Pillow);
    returns the bytes, their kind and the *original* upright size."""
    width, height = _size(data)
    if width is None or height is None or max(width, height) <= max_side:
        return data, kind, width, height
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened)
        image.thumbnail((max_side, max_side))
        buffer = io.BytesIO()
        if kind == "jpeg" or image.mode not in ("1", "L", "LA", "RGB", "RGBA", "P"):
            image.convert("RGB").save(buffer, format="JPEG", quality=85)
            kind = "jpeg"
        else:
            image.save(buffer, format="PNG")
            kind = "png"
    return buffer.getvalue(), kind, width, height
