"""The review page of a bulk run: one self-contained HTML file built from its records.

``lingyun report RECORDS.jsonl --html report.html`` (or :func:`write_report`) reads the
records a bulk run wrote (:func:`lingyun.bulk.read_records`; a Parquet dataset directory
works too) and writes one HTML file that needs no network and no server:

* a **summary** -- records, ok, failed by error class, pages/s (from the calls' timing),
  pages with low-confidence characters, fields whose checks failed;
* every **failed input** with its error class, code and message;
* per page, the **image** (embedded as a data URI, or linked relatively) with the character
  boxes, lines, regions and template fields drawn over it as inline SVG; hovering a
  character shows its candidates and their distances, hovering a field its value and
  issues;
* **filters**: pages with a character or field below a confidence threshold, fields with
  issues; switches for each drawn layer.

The pieces: :mod:`~lingyun.report.model` (records to plain page views and numbers),
:mod:`~lingyun.report.images` (finding and encoding page images),
:mod:`~lingyun.report.html` (the HTML, every record string escaped).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .html import render_html
from .images import DEFAULT_MAX_SIDE, ImageFinder, PageImage
from .model import DEFAULT_LOW_CONFIDENCE, Run, Summary, read_run

__all__ = [
    "DEFAULT_LOW_CONFIDENCE",
    "DEFAULT_MAX_SIDE",
    "ImageFinder",
    "ReportError",
    "Run",
    "Summary",
    "build_report",
    "read_records_any",
    "read_run",
    "write_report",
]


class ReportError(UsageError):
    """A report cannot be made from what it was given (no records file, bad threshold...)."""


def read_records_any(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """The records at ``path``: a JSONL file, or a Parquet dataset directory."""
    from ..bulk.records import ParquetSink, read_records

    target = Path(path)
    if target.is_dir():
        if not any(target.glob("part-*.parquet")):
            raise ReportError(f"{target} is a directory without part-*.parquet files; give "
                              "the .jsonl file or Parquet dataset a bulk run wrote")
        return ParquetSink.read(target)
    if not target.exists():
        raise ReportError(f"records file {target} does not exist")
    if not target.is_file():
        raise ReportError(f"{target} is not a regular file; give a .jsonl records file")
    return read_records(target)


def build_report(records: Iterable[Mapping[str, Any]], *, finder: ImageFinder | None = None,
                 title: str = "lingyun report",
                 low_threshold: float = DEFAULT_LOW_CONFIDENCE,
                 only_problems: bool = False) -> tuple[str, Run]:
    """The report's HTML for ``records`` and the :class:`Run` it shows.

    ``finder`` locates the page images; without one, pages are drawn without their image.
    ``only_problems`` leaves out the pages with nothing to review (:meth:`Run.keep_problems`)
    -- for runs too large to page through, where the HTML would otherwise be huge.
    """
    if not 0.0 <= low_threshold <= 1.0:
        raise ReportError(f"the low-confidence threshold must be between 0 and 1, "
                          f"got {low_threshold}")
    run = read_run(records, low_threshold=low_threshold)
    if only_problems:
        run.keep_problems()
    images: dict[int, tuple[PageImage | None, str | None]] = {}
    for view in run.pages:
        images[view.number] = finder.find(view.source, view.page) if finder else (None, None)
    return render_html(run, images, title=title), run


def write_report(records_path: str | os.PathLike[str], html_path: str | os.PathLike[str], *,
                 images: str | os.PathLike[str] | None = None, link_images: bool = False,
                 max_side: int = DEFAULT_MAX_SIDE,
                 low_threshold: float = DEFAULT_LOW_CONFIDENCE,
                 only_problems: bool = False) -> Run:
    """Write the report of the run recorded at ``records_path`` to ``html_path``.

    ``images`` is the folder holding the inputs (default: where the records say, relative
    to the current directory or the records file); ``link_images`` references plain images
    by a path relative to the HTML file instead of embedding them.  The file is written
    under a temporary name and renamed, so a reader never sees half a report.
    """
    source, target = Path(records_path), Path(html_path)
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise ReportError(f"--html {target} is the records file itself; choose another name")
    if target.is_dir():
        raise ReportError(f"--html {target} is a directory; give a file name like report.html")
    if not target.parent.is_dir():
        raise ReportError(f"the directory of --html {target} does not exist")
    if images is not None and not Path(images).is_dir():
        raise ReportError(f"--images {images} is not a directory")
    if max_side < 16:
        raise ReportError(f"the largest embedded image side must be >= 16 px, got {max_side}")
    finder = ImageFinder(images=images, records_dir=source.parent,
                         link_from=target.parent if link_images else None, max_side=max_side)
    page, run = build_report(read_records_any(source), finder=finder,
                             title=f"lingyun report: {source.name}", low_threshold=low_threshold,
                             only_problems=only_problems)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                         dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", errors="replace", newline="\n") as out:
            out.write(page)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return run
