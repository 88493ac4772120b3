"""``lingyun export RECORDS --format FMT [--out PATH]``: glyph exports from a finished run.

A bulk run (``lingyun ocr ... --positions --out run.jsonl``) keeps every page's position
stream in its records, already in the original image's pixels.  This command reads those
records -- a JSONL file or a Parquet dataset directory -- and writes hOCR, ALTO, PAGE-XML,
CSV or Parquet without recognizing anything again.  Records that failed, or were recognized
without positions, are counted on standard error and left out; nothing else is dropped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..exports import FORMATS as EXPORTS
from ..iread import decode
from ..iread.errors import StreamError

__all__ = ["add_parser", "load_layouts", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export",
        help="glyph exports (hOCR, ALTO, PAGE-XML, CSV, Parquet) from a run's records",
        description="Write a glyph export from the records of a run (`lingyun ocr ... "
        "--positions --out RECORDS.jsonl`, or a Parquet records directory) without "
        "recognizing again. Pages recognized without positions, and failed pages, are "
        "counted and left out.",
    )
    parser.add_argument("records", nargs="+", metavar="RECORDS",
                        help="JSONL records file or Parquet records directory")
    parser.add_argument("--format", "-f", choices=list(EXPORTS), required=True)
    parser.add_argument("--out", "-o", metavar="PATH",
                        help="file to write (PAGE-XML with several pages: PATH-0001.xml, ...);"
                        " default standard output (not for parquet)")
    parser.set_defaults(func=run)


def _records(path: Path) -> Any:
    from ..bulk.records import ParquetSink, read_records

    if path.is_dir():
        return ParquetSink.read(path)
    if not path.exists():
        raise UsageError(f"{path}: no such records file")
    return read_records(path)


def load_layouts(paths: list[str]) -> tuple[list[Any], list[str], list[str]]:
    """``(layouts, labels, skipped)`` of every record with positions, in record order.

    ``labels`` name each page as ``lingyun ocr`` does (``scan.pdf#2``); ``skipped`` says
    which records were left out and why.
    """
    from ..geometry.sources import _positions_of

    layouts: list[Any] = []
    labels: list[str] = []
    skipped: list[str] = []
    for name in paths:
        for number, record in enumerate(_records(Path(name)), 1):
            where = f"{name}:{number}"
            source = record.get("source") if isinstance(record, dict) else None
            page = record.get("page") if isinstance(record, dict) else None
            label = str(source or where) + ("" if page is None else f"#{page}")
            stream = _positions_of(record, where)
            if stream is None:
                failed = isinstance(record, dict) and record.get("ok") is False
                skipped.append(f"{label} ({'failed' if failed else 'no positions'})")
                continue
            try:
                layouts.append(decode(stream))
            except StreamError as exc:
                raise UsageError(f"{where}: the positions of {label} are damaged: {exc}") \
                    from None
            labels.append(label)
    return layouts, labels, skipped


def run(args: argparse.Namespace) -> int:
    from .. import exports

    spec = EXPORTS[args.format]
    if spec.name == "parquet" and not args.out:
        raise UsageError("--format parquet writes a binary file: add --out FILE.parquet")
    layouts, labels, skipped = load_layouts(args.records)
    if skipped:
        shown = ", ".join(skipped[:5]) + (f", ... ({len(skipped) - 5} more)"
                                         if len(skipped) > 5 else "")
        print(f"lingyun: left out {len(skipped)} record(s): {shown}", file=sys.stderr)
    if not layouts:
        raise UsageError("no record has positions to export: recognize with --positions "
                         "(or an export --format) to keep them")
    if args.out:
        written = exports.write(spec.name, layouts, labels, args.out)
        print(f"lingyun: wrote {len(layouts)} page(s) as {spec.name} to "
              f"{', '.join(str(p) for p in written[:3])}"
              + (f" and {len(written) - 3} more files" if len(written) > 3 else ""),
              file=sys.stderr)
        return 0
    for payload in spec.render(layouts, labels):
        sys.stdout.write(payload.decode("utf-8"))
        if not payload.endswith(b"\n"):
            sys.stdout.write("\n")
    return 0
