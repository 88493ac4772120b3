"""Multi-page TIFF for bulk runs: frames listed in one pass, each frame decoded once.

**Listing** (:func:`frame_sizes`) walks the chain of image file directories (IFDs) itself:
two bytes of entry count, twelve bytes per entry, four bytes of next offset -- no pixel is
decoded and no frame is opened, so a 378-byte file whose first frame *claims*
30000 × 30000 pixels is listed like any other, and its page is refused (by
:mod:`lingyun.bulk.pages`, from the size read here) before anything is decoded.  Each IFD is
read once: listing 6,000 frames is 6,000 small reads.  A chain that loops back on itself
ends where it loops (as Pillow does); one that points past the end of the file, or whose
directories overlap (so that walking them could read the file many times over), is an error.

**Loading** (:func:`frame_png`) decodes one frame with Pillow.  Pillow finds frame *n* by
walking the chain from the first frame, so opening the file anew per page would cost
*n* steps for page *n* -- quadratic over a document.  Instead the last few TIFFs stay open
(one lock each): Pillow remembers where every frame it has passed
starts, so each frame is reached from where the walk stopped and a whole document costs
one walk.  :func:`release` closes them at the end of a run.
"""

from __future__ import annotations

import os
import struct
import threading
from collections import OrderedDict
from typing import Any

from ..errors import ImageError
from .files import describe, open_regular, portable

__all__ = ["frame_png", "frame_sizes", "release"]

#: TIFF tags holding a frame's width and height.
_WIDTH, _HEIGHT = 256, 257
#: How many TIFFs stay open between pages (each holds one file descriptor).
_KEEP_OPEN = 4


def frame_sizes(path: str) -> list[tuple[int, int]]:
    """``(width, height)`` of every frame of the classic TIFF ``path``, from its IFDs only.

    Raises :class:`~lingyun.errors.ImageError` naming the file and the byte offset when the
    structure is broken (an IFD past the end, a truncated entry table).
    """

    shown = portable(path)
    fd, size = open_regular(path)
    try:
        with os.fdopen(fd, "rb", closefd=False) as handle:
            head = handle.read(8)
            if head[:4] == b"II*\x00":
                order = "<"
            elif head[:4] == b"MM\x00*":
                order = ">"
            else:
                raise ImageError(f"{shown} is not a TIFF file")
            (offset,) = struct.unpack(order + "I", head[4:8])
            sizes: list[tuple[int, int]] = []
            seen: set[int] = set()
            walked = 0  # bytes of directory read: at most the file's size, whatever it claims
            while offset and offset not in seen:
                seen.add(offset)
                if offset < 8 or offset + 2 > size:
                    raise ImageError(f"{shown}: the directory of page {len(sizes) + 1} is at "
                                     f"byte {offset}, outside the {size}-byte file")
                handle.seek(offset)
                (count,) = struct.unpack(order + "H", handle.read(2))
                table = handle.read(12 * count + 4)
                if len(table) < 12 * count + 4:
                    raise ImageError(f"{shown}: the directory of page {len(sizes) + 1} "
                                     f"(byte {offset}) is cut off by the end of the file")
                walked += 2 + len(table)
                if walked > size:  # directories are disjoint in a TIFF: these overlap
                    raise ImageError(f"{shown}: the directory of page {len(sizes) + 1} "
                                     f"(byte {offset}) overlaps another: not a valid TIFF")
                sizes.append(_dimensions(table, count, order))
                (offset,) = struct.unpack(order + "I", table[-4:])
            if not sizes:
                raise ImageError(f"{shown}: a TIFF file with no page")
            return sizes
    finally:
        os.close(fd)


def _dimensions(table: bytes, count: int, order: str) -> tuple[int, int]:
    found = {_WIDTH: 0, _HEIGHT: 0}
    for index in range(count):
        tag, kind = struct.unpack_from(order + "HH", table, 12 * index)
        if tag in found:
            if kind == 3:  # SHORT, left-justified in the value field
                (found[tag],) = struct.unpack_from(order + "H", table, 12 * index + 8)
            elif kind == 4:  # LONG
                (found[tag],) = struct.unpack_from(order + "I", table, 12 * index + 8)
    return found[_WIDTH], found[_HEIGHT]


class _Entry:
    """One open TIFF: Pillow's image, the lock its pages take turns on, closed or not."""

    def __init__(self, image: Any) -> None:
        self.lock = threading.Lock()
        self.image = image
        self.closed = False

    def close(self) -> None:
        with self.lock:  # a page being decoded from it finishes first
            if not self.closed:
                self.closed = True
                self.image.close()


class _OpenTiffs:
    """The last :data:`_KEEP_OPEN` TIFFs opened by Pillow."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: OrderedDict[str, _Entry] = OrderedDict()

    def entry(self, path: str) -> _Entry:
        with self._lock:
            if path in self._open:
                self._open.move_to_end(path)
                return self._open[path]
        entry = _Entry(_open_tiff(path))  # opened outside the lock: other files go on
        evicted: list[_Entry] = []
        with self._lock:
            self._open[path] = entry
            while len(self._open) > _KEEP_OPEN:
                evicted.append(self._open.popitem(last=False)[1])
        for old in evicted:
            old.close()
        return entry

    def forget(self, path: str, entry: _Entry) -> None:
        with self._lock:
            if self._open.get(path) is entry:
                del self._open[path]
        entry.close()

    def close(self) -> None:
        with self._lock:
            entries = list(self._open.values())
            self._open.clear()
        for entry in entries:
            entry.close()


_OPEN = _OpenTiffs()


def _open_tiff(path: str) -> Any:

    from PIL import Image

    fd, _ = open_regular(path)  # a regular file, checked on the descriptor Pillow reads
    handle = os.fdopen(fd, "rb")
    try:
        return Image.open(handle)
    except Exception as exc:  # any failure to open is this file's error
        handle.close()
        raise ImageError(f"cannot open TIFF {portable(path)}: {describe(exc)}") from None


def frame_png(path: str, number: int, encode: Any) -> bytes:
    """Frame ``number`` (1-based) of the TIFF ``path``, given to ``encode`` (image -> bytes)."""
    entry = _OPEN.entry(path)
    problem: ImageError | None = None
    with entry.lock:
        image = entry.image if not entry.closed else _open_tiff(path)  # evicted meanwhile
        try:
            image.seek(number - 1)
            image.load()
            frame = image.copy()  # detached: encoding happens outside the lock
        except EOFError:
            problem = ImageError(f"page {number} of {portable(path)} does not exist")
        except Exception as exc:  # Pillow raises many kinds
            problem = ImageError(f"page {number} of {portable(path)} cannot be decoded: "
                                 f"{describe(exc)}")
        finally:
            if image is not entry.image:
                image.close()
    if problem is not None:
        _OPEN.forget(path, entry)  # a failed decode may leave the file in any state
        raise problem
    return bytes(encode(frame))


def release() -> None:
    """Close every TIFF kept open between pages (the end of a run)."""
    _OPEN.close()
