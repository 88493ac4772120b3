"""What a bulk run reads: files, directories, ``@LIST`` files and ``-`` (paths on stdin).

:func:`list_inputs` turns command-line arguments into the ordered list of files to read:

* a file is taken as given (even when ``--glob`` would not match it: naming it is explicit);
* a directory is walked recursively in sorted order, skipping hidden entries, keeping the
  files whose name matches ``glob`` -- by default every image or PDF suffix the service or
  :mod:`lingyun.bulk.pages` can read;
* ``@LIST`` reads one path per line from the file ``LIST`` (blank lines and lines starting
  with ``#`` are skipped); each line is treated like an argument, so it may name a directory;
* ``-`` reads paths the same way from standard input.

A path that does not exist is kept: it becomes an error record (``ImageError``), so one
missing file never stops a run of thousands; so is a folder that cannot be listed.  An
unreadable ``@LIST`` is a usage error, raised before anything is sent.  Listing first gives
the progress bar its total.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from ..errors import UsageError

__all__ = ["DEFAULT_SUFFIXES", "InputError", "list_inputs"]

#: File suffixes a directory walk keeps when no ``--glob`` is given (case-insensitive).
DEFAULT_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".pdf"}
)


class InputError(UsageError):
    """An input argument that cannot be listed (unreadable ``@LIST``, ``-`` given twice)."""


def _matches(name: str, glob: str | None) -> bool:
    if glob is None:
        return os.path.splitext(name)[1].lower() in DEFAULT_SUFFIXES
    return fnmatch.fnmatch(name, glob)


def _walk(directory: str, glob: str | None) -> Iterator[str]:
    """Files under ``directory``: each folder's own files first (sorted), then its folders.

    Iterative (a stack, not recursion): a tree thousands of folders deep is listed, not a
    ``RecursionError``.  Symlinks to folders are not followed (a link is listed as a file
    when its name matches, and then refused as "a directory" by the reader).  A folder
    that cannot be listed is yielded itself: it becomes that folder's error record.
    """
    stack = [directory]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError:
            yield folder  # its reader names the reason (permission denied, name too long)
            continue
        folders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            if is_folder:
                folders.append(entry.path)
            elif _matches(entry.name, glob):
                yield entry.path
        stack.extend(reversed(folders))


def _lines(handle: Iterable[str]) -> Iterator[str]:
    for line in handle:
        entry = line.rstrip("\r\n")
        if entry.strip() and not entry.lstrip().startswith("#"):
            yield entry


def _list_file(argument: str) -> list[str]:
    name = argument[1:]
    try:
        with open(name, encoding="utf-8") as handle:
            return list(_lines(handle))
    except OSError as exc:
        raise InputError(f"cannot read the list {argument}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"the list {argument} is not UTF-8 text: {exc.reason} at byte "
                         f"{exc.start}") from None


def list_inputs(arguments: Iterable[str], *, glob: str | None = None,
                stdin: TextIO | None = None) -> list[str]:
    """Every file named by ``arguments``, in order (see the module docstring)."""
    found: list[str] = []
    used_stdin = False
    for argument in arguments:
        if argument == "-":
            if used_stdin:
                raise InputError("'-' (paths on standard input) may be given only once")
            used_stdin = True
            entries = list(_lines(stdin if stdin is not None else sys.stdin))
        elif argument.startswith("@") and len(argument) > 1:
            entries = _list_file(argument)
        else:
            entries = [argument]
        for entry in entries:
            if os.path.isdir(entry):
                found.extend(_walk(entry, glob))
            else:
                found.append(entry)
    return found
