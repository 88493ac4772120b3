"""Files a bulk run writes per page (exports, overlays): unique names, never through a symlink.

**Names.** A page's file is named from its source's stem, ``-p<page>`` for a page of a PDF or
TIFF (:func:`output_names`).  When two inputs of the run would get the same name --
``a/x.png`` and ``b/x.png``, or page 1 of ``x.pdf`` and page 1 of ``x.tif`` -- each of them
gets a short digest of its full path as well (``x-3f9c2a1d``), so no page overwrites another.
The names depend only on the run's inputs, so a rerun writes the same files.

**Writing.** :func:`write_atomic` never opens the destination: it writes a new temporary file
beside it (created with ``O_EXCL``, which fails rather than follow a symlink planted under
that name) and renames it over the destination.  A rename replaces a symlink found there
with the file itself -- the file the link pointed to is never touched -- and a reader sees
either the old file or the whole new one, never half.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

__all__ = ["output_names", "write_atomic"]


def _digest(source: str) -> str:
    return hashlib.sha256(os.fsencode(os.path.abspath(source))).hexdigest()[:8]


def output_names(pages: Iterable[tuple[str, int | None]]) -> dict[tuple[str, int | None], str]:
    """A file name stem (no suffix) for every ``(source, page)``, unique within ``pages``."""
    keys = list(dict.fromkeys(pages))
    plain = {key: _plain(*key) for key in keys}
    taken = Counter(name.lower() for name in plain.values())  # case-insensitive file systems
    names: dict[tuple[str, int | None], str] = {}
    for (source, page), name in plain.items():
        if taken[name.lower()] > 1:
            stem = Path(source).stem or "image"
            name = f"{stem}-{_digest(source)}" + ("" if page is None else f"-p{page}")
        names[(source, page)] = name
    return names


def _plain(source: str, page: int | None) -> str:
    stem = Path(source).stem or "image"
    return stem if page is None else f"{stem}-p{page}"


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Put ``data`` at ``path`` by writing a new file beside it and renaming it there.

    Never writes through a symlink at ``path`` (the link itself is replaced).  Raises
    :class:`OSError` when the directory is not writable or ``path`` is a directory.
    """
    target = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                     dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target
