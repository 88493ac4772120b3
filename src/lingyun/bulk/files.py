"""Reading a bulk run's input files safely, and naming them in text that can always be written.

A folder given to ``lingyun ocr`` may hold anything: a FIFO called ``p.png`` (reading it
blocks forever), a symlink to ``/dev/zero`` (reading it never ends), a sparse file that claims
20 GB, a file whose name is not UTF-8.  Each must become *one error record* for that input,
never a hang, a run out of memory, or a crash of the run.  So:

* :func:`open_regular` opens without blocking (``O_NONBLOCK``: a FIFO with no writer opens at
  once) and accepts only a *regular file* -- judged by ``fstat`` on the opened descriptor, so
  a symlink is judged by what it points to and nothing is read before the check;
* :func:`read_file` sizes the file first (``st_size``, not by reading) and refuses one over
  ``limit`` bytes; it then reads at most ``size + 1`` bytes, so a file that grows while it
  is read is refused too, and memory stays bounded by the limit;
* :func:`portable` turns a name into text that encodes as UTF-8 (Python keeps undecodable
  bytes of a file name as lone surrogates, which no JSON writer, SQLite or terminal accepts),
  and :func:`name_bytes` gives the exact bytes of such a name (base64), so a record can show
  a readable name *and* carry the real one losslessly.
"""

from __future__ import annotations

import base64
import os
import stat

from ..errors import ImageError

__all__ = [
    "MAX_FILE_BYTES",
    "check_complete",
    "describe",
    "from_name_bytes",
    "name_bytes",
    "open_regular",
    "portable",
    "read_file",
    "read_head",
]

#: The largest input file read whole into memory (an image; PDF and TIFF pages are read by
#: page).  Far above any photo or scan; a file over it is an error record, not a read.
MAX_FILE_BYTES = 256 * 1024 * 1024
#: The largest PDF or TIFF listed (they are read page by page, never whole): a sparse file
#: claiming more is an error record, not minutes of a parser reading zeros.
MAX_DOCUMENT_BYTES = 4 * 1024 * 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def portable(text: str) -> str:
    """``text`` as UTF-8-encodable text: undecodable name bytes shown as ``\\xNN``.

    A name that is valid UTF-8 comes back unchanged.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace") if _is_name(text) \
            else text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _is_name(text: str) -> bool:
    try:
        os.fsencode(text)
    except UnicodeEncodeError:
        return False
    return True


def name_bytes(text: str) -> str | None:
    """The exact bytes of a file name as base64, or ``None`` when it is valid UTF-8 text."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return base64.b64encode(os.fsencode(text)).decode("ascii")
        except UnicodeEncodeError:  # not a file name: a string with lone surrogates
            return None
    return None


def from_name_bytes(encoded: str) -> str:
    """The name :func:`name_bytes` encoded, as Python spells it (``os.fsdecode``)."""
    return os.fsdecode(base64.b64decode(encoded))


def size_text(count: int) -> str:
    """``count`` bytes in words: ``20.0 GB``, ``3.2 MB``, ``512 bytes``."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


def open_regular(path: str) -> tuple[int, int]:
    """``(descriptor, size)`` of the regular file ``path``, opened for reading.

    Raises :class:`~lingyun.errors.ImageError` naming the path when it is missing,
    unreadable, or anything but a regular file (directory, FIFO, device, socket -- also when
    reached through a symlink).  The caller closes the descriptor.
    """
    shown = portable(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) \
        | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ImageError(f"image file not found: {shown}") from None
    except IsADirectoryError:
        raise ImageError(f"{shown} is a directory, not an image file") from None
    except OSError as exc:
        raise ImageError(f"cannot open {shown}: {exc.strerror or exc}") from None
    except ValueError as exc:  # an embedded NUL
        raise ImageError(f"cannot open {shown!r}: {exc}") from None
    try:
        info = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise ImageError(f"cannot examine {shown}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a plain file")
        via = " (through a symlink)" if os.path.islink(path) else ""
        raise ImageError(f"{shown} is {kind}{via}, not a regular file: not read")
    return fd, info.st_size


def read_file(path: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The whole of the regular file ``path``, at most ``limit`` bytes (else ImageError)."""
    shown = portable(path)
    fd, size = open_regular(path)
    try:
        if size > limit:
            raise ImageError(f"{shown} is {size_text(size)}, over the {size_text(limit)} a "
                             "bulk input may be: not read")
        if size == 0:
            raise ImageError(f"image is empty: file {shown}")
        chunks: list[bytes] = []
        got = 0
        while got <= size:
            try:
                chunk = os.read(fd, min(size + 1 - got, 1 << 20))
            except OSError as exc:
                raise ImageError(f"cannot read {shown}: {exc.strerror or exc}") from None
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > size:
            raise ImageError(f"{shown} grew while it was read (from {size} bytes): not read")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_head(path: str, count: int = 8) -> tuple[bytes, int]:
    """The first ``count`` bytes of the regular file ``path`` and its size (ImageError else)."""
    fd, size = open_regular(path)
    try:
        return os.read(fd, count), size
    except OSError as exc:
        raise ImageError(f"cannot read {portable(path)}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def check_complete(data: bytes, name: str) -> None:
    """Raise :class:`~lingyun.errors.ImageError` when a PNG or JPEG in ``data`` is cut short.

    A file cut off by an interrupted copy or download still starts like an image, so the
    service would be asked (and would bill) to read it.  The end tells: a PNG ends with its
    ``IEND`` chunk, a JPEG's last scan (``FF DA``) is followed by the end-of-image marker
    ``FF D9`` (inside the entropy-coded scan a ``FF`` byte is always followed by ``00`` or a
    restart marker, so ``FF D9`` cannot occur there by chance; bytes a camera appends after
    the image are allowed).  Only a file that *begins* as a real PNG (signature, then the
    ``IHDR`` chunk) or JPEG (start of image, then a segment marker) is judged: what is not an
    image at all is the client's header check to refuse.  Other formats pass unchecked.
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"):
        if data.rfind(b"\x00\x00\x00\x00IEND") < 0:
            raise ImageError(f"{portable(name)}: the PNG is truncated ({len(data)} bytes, no "
                             "IEND chunk at its end): an interrupted copy or download? "
                             "not sent")
    elif data[:3] == b"\xff\xd8\xff" and len(data) > 4 and 0xC0 <= data[3] <= 0xFE:
        scan = data.rfind(b"\xff\xda")
        if scan < 0:
            raise ImageError(f"{portable(name)}: the JPEG has no image data (no start of "
                             f"scan in its {len(data)} bytes): truncated? not sent")
        if data.find(b"\xff\xd9", scan) < 0:
            raise ImageError(f"{portable(name)}: the JPEG is truncated ({len(data)} bytes, "
                             "its image data does not reach the end-of-image marker FF D9): "
                             "an interrupted copy or download? not sent")


def describe(error: BaseException) -> str:
    """``"Class: message"`` for a library's own exception (``MemoryError()`` has none)."""
    return f"{type(error).__name__}: {portable(str(error)) or 'no message'}"
