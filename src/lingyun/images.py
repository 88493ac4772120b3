"""The built-in image reader: bytes, paths and binary file objects (``lingyun_read_image``).

Registered ``trylast`` so that any plugin accepting other sources (PIL images, numpy arrays,
PDF pages) is asked first.
"""

from __future__ import annotations

import io
import os
from typing import Any

from .errors import ImageError
from .hookspecs import hookimpl

__all__ = ["lingyun_read_image", "read_image"]


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
