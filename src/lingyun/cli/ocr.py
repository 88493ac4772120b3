"""``lingyun ocr PATH...``: recognise images, folders, lists and PDFs; print or record results.

Two modes:

* **print** (no ``--out``): results go to standard output in input order, formatted by
  ``--format`` (a function ``(result, source, out)`` from :data:`FORMATS`; ``source`` is
  ``None`` when there is a single input).  Errors go to standard error, one line each.
* **record** (``--out FILE.jsonl``, or a directory / ``.parquet`` path for Parquet): one
  JSON record per page as it finishes (:mod:`lingyun.bulk.records`), a progress bar when
  standard error is a terminal, and a one-line summary at the end.  ``--resume`` continues
  a run after any crash: every page appears in the output exactly once.

Exit codes: 0 when every page succeeded; with one page, the code of its error (2, 3, 4,
see :mod:`lingyun.cli`); with more, :data:`~lingyun.cli.EXIT_PARTIAL` (5) when any page
failed or was not sent.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable
from typing import Any, TextIO

from ..bulk import expand_all, list_inputs, parse_pages
from ..bulk.fit import DEFAULT_LIMIT
from ..bulk.pages import DEFAULT_DPI
from ..bulk.progress import ProgressBar
from ..bulk.records import FSYNC_POLICIES
from ..bulk.runner import BulkRun, open_sink
from ..client import DEFAULT_DOCUMENT_TYPE
from ..errors import UsageError
from . import EXIT_OK, EXIT_PARTIAL, exit_code_for
from .common import add_client_arguments, client_from_args, parse_pairs
from .render import render_positions, render_table

__all__ = ["FORMATS", "add_parser", "run"]

#: A result format: write ``result`` (from ``source``, ``None`` for a lone input) to ``out``.
Format = Callable[[Any, "str | None", TextIO], None]


def format_json(result: Any, source: str | None, out: TextIO) -> None:
    """``to_dict()`` (plus the decoded layout's nodes when positions came back)."""
    data = result.to_dict()
    if getattr(result, "layout", None) is not None:
        data["layout"] = result.layout.to_records()  # every node, in stream order
    if source is None:
        print(json.dumps(data, ensure_ascii=False, indent=2), file=out)
    else:
        print(json.dumps({"source": source, **data}, ensure_ascii=False), file=out)


def format_table(result: Any, source: str | None, out: TextIO) -> None:
    """Text, or a field table; lines and characters with boxes when positions came back."""
    with contextlib.redirect_stdout(out):
        if source is not None:
            print(f"==> {source} <==")
        if getattr(result, "layout", None) is not None:
            render_positions(result.layout)
        else:
            render_table(result)


#: ``--format`` choices; exporters add theirs here.
FORMATS: dict[str, Format] = {"table": format_table, "json": format_json}


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ocr",
        help="recognise images, folders, lists and PDFs (text by default)",
        description="Recognise images as a document type: files, directories (recursive), "
        "@LIST files (one path per line), '-' (paths on stdin); PDF and multi-page TIFF "
        "pages are sent one by one. With --out, one JSON record per page is appended as it "
        "finishes and --resume continues after any crash. With no endpoint configured, the "
        "embedded local service answers (no account, no network).",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="image, PDF or TIFF file, directory, @LIST file, or - for stdin")
    parser.add_argument(
        "--type", "-t", default=DEFAULT_DOCUMENT_TYPE, dest="document_type",
        help=f"document type (default {DEFAULT_DOCUMENT_TYPE}; `lingyun types` lists them)",
    )
    parser.add_argument(
        "--option", "-o", action="append", metavar="NAME=VALUE",
        help="document option, e.g. -o exportImage=yes (repeatable)",
    )
    parser.add_argument("--format", "-f", choices=sorted(FORMATS), default="table",
                        help="printed format when there is no --out (default table)")
    parser.add_argument(
        "--positions", action="store_true",
        help="text: request the position stream (printed as lines and characters with boxes)",
    )
    parser.add_argument("--workers", type=int, default=4, help="concurrent calls (default 4)")
    inputs = parser.add_argument_group("inputs")
    inputs.add_argument("--glob", metavar="PATTERN",
                        help="in directories, only files whose name matches (e.g. '*.jpg'); "
                        "default: image, TIFF and PDF suffixes")
    inputs.add_argument("--pages", metavar="SPEC",
                        help="PDF/TIFF pages to send, e.g. 1-3,7 or 10- (default all)")
    inputs.add_argument("--dpi", type=int, default=DEFAULT_DPI,
                        help=f"PDF rasterisation resolution (default {DEFAULT_DPI})")
    inputs.add_argument("--max-bytes", type=int, default=DEFAULT_LIMIT, metavar="N",
                        help="shrink larger images to fit (default the service's 10 MiB); "
                        "coordinates are mapped back to the original pixels")
    output = parser.add_argument_group("records")
    output.add_argument("--out", metavar="FILE",
                        help="append one JSON record per page to FILE.jsonl (a directory or "
                        ".parquet path: a Parquet dataset, needs pyarrow)")
    output.add_argument("--resume", action="store_true",
                        help="continue the run recorded in --out: skip recorded pages")
    output.add_argument("--fsync", choices=FSYNC_POLICIES, default="close",
                        help="when records reach the disk: at close (default; survives "
                        "kill -9), after every record (survives power loss), or never")
    output.add_argument("--progress", choices=("auto", "always", "never"), default="auto",
                        help="progress bar on stderr: when it is a terminal (default)")
    pace = parser.add_argument_group("rate limit")
    pace.add_argument("--qps", type=float, metavar="R",
                      help="at most R calls per second over all workers, retries included")
    pace.add_argument("--burst", type=int, default=1,
                      help="calls allowed back to back after an idle spell (default 1)")
    pace.add_argument("--no-adaptive", dest="adaptive", action="store_false",
                      help="keep the --qps pace even while the service answers busy codes")
    add_client_arguments(parser)
    parser.set_defaults(func=run)


def _client(args: argparse.Namespace):
    if args.qps is None:
        return client_from_args(args)
    from ..bulk.ratelimit import RateLimiter

    limiter = RateLimiter(args.qps, burst=args.burst, adaptive=args.adaptive)
    return client_from_args(args, limiter=limiter)


def run(args: argparse.Namespace) -> int:
    options: dict[str, Any] = parse_pairs(args.option, "--option")
    if args.positions:
        options["withPosition"] = True
    if args.resume and not args.out:
        raise UsageError("--resume needs --out (the records of the run to continue)")
    if args.workers < 1:
        raise UsageError(f"--workers must be >= 1, got {args.workers}")
    if args.pages is not None:
        parse_pages(args.pages)  # a malformed --pages fails before anything is read
    client = _client(args)
    with client:
        # Fail fast on a bad type or option, before any input is listed or read.
        client.plugins.document_type(args.document_type).build_task_config(options)
        files = list_inputs(args.paths, glob=args.glob, stdin=sys.stdin)
        if not files:
            raise UsageError(f"no input files found in {' '.join(args.paths)}"
                             + (f" matching --glob {args.glob!r}" if args.glob else ""))
        selection = parse_pages(args.pages) if args.pages is not None else None
        pages = expand_all(files, selection, args.dpi)
        if client.embedded:
            print("lingyun: served by the embedded local engine (no endpoint configured)",
                  file=sys.stderr)
        if args.out:
            return _record(client, args, options, pages)
        return _print(client, args, options, pages)


def _print(client, args: argparse.Namespace, options: dict[str, Any], pages: list) -> int:
    emit = FORMATS[args.format]
    lone = len(pages) == 1
    run = BulkRun(client, args.document_type, options, workers=args.workers, ordered=True,
                  size_limit=args.max_bytes)
    status = EXIT_OK
    for item in run.run(pages):
        label = item.source.label
        if item.error is not None:
            print(f"lingyun: {label}: {item.error.__class__.__name__}: {item.error}",
                  file=sys.stderr)
            status = exit_code_for(item.error) if lone else EXIT_PARTIAL
            continue
        _warn_replayed(label, item.result)
        emit(item.result, None if lone else label, sys.stdout)
    if not lone:
        print(f"lingyun: {run.progress.summary()}", file=sys.stderr)
    return status


def _warn_replayed(label: str, result: Any) -> None:
    if getattr(result, "replayed", None):
        print(f"lingyun: {label}: REPLAYED answer ({result.replayed}), not recognised from "
              "the image", file=sys.stderr)


def _record(client, args: argparse.Namespace, options: dict[str, Any], pages: list) -> int:
    sink, journal = open_sink(args.out, resume=args.resume)
    if hasattr(sink, "fsync"):
        sink.fsync = args.fsync
    show = args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())
    bar = ProgressBar(len(pages), file=sys.stderr) if show else None
    run = BulkRun(client, args.document_type, options, workers=args.workers, sink=sink,
                  journal=journal, progress=bar, size_limit=args.max_bytes)
    first_error: BaseException | None = None
    try:
        for item in run.run(pages):
            first_error = first_error or item.error
    finally:
        if bar is not None:
            bar.close()
        sink.close()
        if journal is not None:
            journal.close()
        if getattr(sink, "repaired", 0):
            print(f"lingyun: {args.out}: cut off a torn last line (an interrupted write); "
                  "its page was sent again", file=sys.stderr)
    print(f"lingyun: {run.progress.summary()}", file=sys.stderr)
    progress = run.progress
    if progress.failed == 0 and progress.not_sent == 0:
        return EXIT_OK
    return exit_code_for(first_error) if len(pages) == 1 and first_error else EXIT_PARTIAL
