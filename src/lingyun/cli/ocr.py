"""``lingyun ocr PATH...``: recognize images, folders, lists and PDFs; print or record results.

Two modes:

* **print** (no ``--out``): results go to standard output in input order, formatted by
  ``--format`` (a function ``(result, source, out)`` from :data:`FORMATS`; ``source`` is
  ``None`` when there is a single input).  Errors go to standard error, one line each.
* **record** (``--out FILE.jsonl``, or a directory / ``.parquet`` path for Parquet): one
  JSON record per page as it finishes (:mod:`lingyun.bulk.records`), a progress bar when
  standard error is a terminal, and a one-line summary at the end.  ``--resume`` continues
  a run after any crash: every page appears in the output exactly once.

Glyph exports (:mod:`lingyun.exports`) work in both modes: ``--format hocr|alto|page|csv|
parquet`` requests positions and writes the format -- to standard output, to one
``--export FILE`` for all pages, or with ``--export DIR/`` to one file per page as each
finishes; ``--overlay DIR`` draws each page's boxes over its image.

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
from pathlib import Path
from typing import Any, TextIO

from ..bulk import expand_all, list_inputs, parse_pages
from ..bulk.fit import DEFAULT_LIMIT
from ..bulk.outputs import output_names, write_atomic
from ..bulk.pages import DEFAULT_DPI, PageInput
from ..bulk.progress import ProgressBar
from ..bulk.records import FSYNC_POLICIES
from ..bulk.runner import BulkRun, open_sink
from ..client import DEFAULT_DOCUMENT_TYPE, Client
from ..errors import LingyunError, UsageError
from ..files import portable
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


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "ocr",
        help="recognize images, folders, lists and PDFs (text by default)",
        description="Recognize images as a document type: files, directories (recursive), "
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
    from ..exports import FORMATS as EXPORTS

    parser.add_argument("--format", "-f", choices=[*FORMATS, *EXPORTS], default="table",
                        help="table or json (printed when there is no --out), or a glyph "
                        f"export ({', '.join(EXPORTS)}; implies --positions)")
    parser.add_argument("--export", metavar="PATH",
                        help="write the --format export to PATH (one file for all pages) or, "
                        "when PATH is a directory or ends with '/', one file per page")
    parser.add_argument("--overlay", metavar="DIR",
                        help="draw each page's glyph boxes (coloured by distance) over its "
                        "image into DIR/<name>.png (implies --positions)")
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
                        help="shrink larger images to fit (default the service's 10 MiB; "
                        "images over 50 megapixels are shrunk too); coordinates are mapped "
                        "back to the original pixels")
    inputs.add_argument("--no-fit", dest="fit", action="store_false",
                        help="send every image as it is, however large (the service may "
                        "refuse it: error 230)")
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
    output.add_argument("--dask", metavar="SCHEDULER",
                        help="run on a dask.distributed cluster (e.g. tcp://host:8786): each "
                        "worker recognizes with the configured endpoint, or with its own "
                        "embedded engine when none is configured; paths must be readable by "
                        "the workers under the same names")
    pace = parser.add_argument_group("rate limit")
    pace.add_argument("--qps", type=float, metavar="R",
                      help="at most R calls per second over all workers, retries included")
    pace.add_argument("--burst", type=int, default=1,
                      help="calls allowed back to back after an idle spell (default 1)")
    pace.add_argument("--no-adaptive", dest="adaptive", action="store_false",
                      help="keep the --qps pace even while the service answers busy codes")
    add_client_arguments(parser)
    parser.set_defaults(func=run)


def _client(args: argparse.Namespace) -> Client:
    if not args.fit:
        args.max_bytes = None  # the bulk run and the client both send images as they are
    if args.qps is None:
        return client_from_args(args, fit=args.fit)
    from ..bulk.ratelimit import RateLimiter

    limiter = RateLimiter(args.qps, burst=args.burst, adaptive=args.adaptive)
    return client_from_args(args, limiter=limiter, fit=args.fit)


def run(args: argparse.Namespace) -> int:
    options: dict[str, Any] = parse_pairs(args.option, "--option")
    exporter = _Exporter.from_args(args)
    if args.positions or exporter is not None:
        options["withPosition"] = True
    if args.resume and not args.out:
        raise UsageError("--resume needs --out (the records of the run to continue)")
    if args.workers < 1:
        raise UsageError(f"--workers must be >= 1, got {args.workers}")
    if args.pages is not None:
        parse_pages(args.pages)  # a malformed --pages fails before anything is read
    if args.dask:
        return _on_dask(args, options)
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
        if exporter is not None:
            exporter.plan(pages)
        if client.embedded:
            print("lingyun: served by the embedded local engine (no endpoint configured)",
                  file=sys.stderr)
        if args.out:
            return _record(client, args, options, pages, exporter)
        return _print(client, args, options, pages, exporter)


def _dask_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The workers' Client keywords: the endpoint and keys as the arguments and environment
    give them (none: each worker runs the embedded engine)."""
    import os

    env = os.environ
    given = {
        "endpoint": args.endpoint or env.get("LINGYUN_ENDPOINT"),
        "app_key": args.app_key or env.get("LINGYUN_APP_KEY"),
        "dev_key": args.dev_key or env.get("LINGYUN_DEV_KEY"),
        "sdk_version": args.sdk_version or env.get("LINGYUN_SDK_VERSION"),
        "retries": args.retries, "timeout": args.timeout, "fit": args.fit or None,
        "headers": parse_pairs(args.header, "--header") or None,
    }
    return {key: value for key, value in given.items() if value not in (None, "")}


def _on_dask(args: argparse.Namespace, options: dict[str, Any]) -> int:
    """``--dask``: the run on a cluster; records to --out, or printed as without --dask."""
    import tempfile

    try:
        from distributed import Client as DaskClient
    except ImportError as exc:
        raise UsageError(f"--dask needs dask.distributed: pip install 'dask[distributed]' "
                         f"({exc})") from None
    from ..bulk.dask import run_on_dask
    from ..bulk.records import read_records

    if not args.fit:
        args.max_bytes = None
    files = list_inputs(args.paths, glob=args.glob, stdin=sys.stdin)
    if not files:
        raise UsageError(f"no input files found in {' '.join(args.paths)}")
    selection = parse_pages(args.pages) if args.pages is not None else None
    with contextlib.ExitStack() as stack:
        out = args.out or str(Path(stack.enter_context(tempfile.TemporaryDirectory()))
                              / "records.jsonl")
        dask = stack.enter_context(
            DaskClient(args.dask, timeout=60))  # type: ignore[no-untyped-call]
        state = run_on_dask(dask, files, args.document_type, options, out,
                            client_settings=_dask_settings(args), resume=args.resume,
                            pages=selection, threads=args.workers,
                            size_limit=args.max_bytes, worker_qps=args.qps)
        if not args.out:
            _print_records(args, list(read_records(out)))
    print(f"lingyun: {state.summary()}", file=sys.stderr)
    return EXIT_OK if state.failed == 0 and state.not_sent == 0 else EXIT_PARTIAL


def _print_records(args: argparse.Namespace, records: list[dict[str, Any]]) -> None:
    from ..results import Result

    emit = FORMATS.get(args.format)
    for record in sorted(records, key=lambda r: (r["source"], r["page"] or 0)):
        label = record["source"] + ("" if record["page"] is None else f" page {record['page']}")
        if not record["ok"]:
            error = record.get("error") or {}
            print(f"lingyun: {label}: {error.get('type')}: {error.get('message')}",
                  file=sys.stderr)
        elif emit is not None:
            emit(Result.from_dict(record["result"]), label, sys.stdout)


def _print(client: Client, args: argparse.Namespace, options: dict[str, Any],
           pages: list[Any], exporter: _Exporter | None) -> int:
    emit = FORMATS.get(args.format)
    lone = len(pages) == 1
    run = BulkRun(client, args.document_type, options, workers=args.workers, ordered=True,
                  size_limit=args.max_bytes)
    status = EXIT_OK
    for item in run.run(pages):
        label = portable(item.source.label)  # a non-UTF-8 name must not stop the printing
        if item.error is not None:
            print(f"lingyun: {label}: {item.error.__class__.__name__}: {item.error}",
                  file=sys.stderr)
            status = exit_code_for(item.error) if lone else EXIT_PARTIAL
            continue
        _warn_replayed(label, item.result)
        if exporter is not None:
            exporter.add(item)
        if emit is not None:
            emit(item.result, None if lone else label, sys.stdout)
    if exporter is not None:
        exporter.finish()
        if exporter.failures:
            status = EXIT_PARTIAL
    if not lone:
        print(f"lingyun: {run.progress.summary()}", file=sys.stderr)
    return status


def _warn_replayed(label: str, result: Any) -> None:
    if getattr(result, "replayed", None):
        print(f"lingyun: {label}: REPLAYED answer ({result.replayed}), not recognized from "
              "the image", file=sys.stderr)


def _record(client: Client, args: argparse.Namespace, options: dict[str, Any],
            pages: list[Any], exporter: _Exporter | None) -> int:
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
            if exporter is not None and item.result is not None:
                exporter.add(item)
        if exporter is not None:
            exporter.finish()
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
    if exporter is not None and exporter.failures:
        return EXIT_PARTIAL
    if progress.failed == 0 and progress.not_sent == 0:
        return EXIT_OK
    return exit_code_for(first_error) if len(pages) == 1 and first_error else EXIT_PARTIAL


class _Exporter:
    """``--format <export>``/``--export``/``--overlay``: glyph exports as pages finish.

    One file per page (``--export DIR/``) and overlays are written as each page finishes, so a
    bulk run holds nothing; a single ``--export FILE`` or standard output collects the pages
    and writes them together at the end.  Files are named uniquely per source and page and
    written by rename, never through a symlink (:mod:`lingyun.bulk.outputs`).
    """

    def __init__(self, fmt: str | None, target: str | None, overlay: str | None) -> None:
        from pathlib import Path

        from .. import exports

        self.exports = exports
        self.spec = exports.FORMATS.get(fmt or "")
        self.per_page = target is not None and (target.endswith(("/", "\\"))
                                               or Path(target).is_dir())
        self.target = Path(target) if target else None
        self.overlay = Path(overlay) if overlay else None
        self.collected: list[tuple[Any, str]] = []
        self.names: dict[tuple[str, int | None], str] = {}
        self.failures = 0  # files that could not be written
        for folder in (self.overlay, self.target if self.per_page else None):
            if folder is not None:
                folder.mkdir(parents=True, exist_ok=True)
        if self.spec is not None and self.target is None and self.spec.name == "parquet":
            raise UsageError("--format parquet writes a binary file: add --out FILE.parquet")

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> _Exporter | None:
        from ..exports import FORMATS as EXPORTS

        if args.export and args.format not in EXPORTS:
            raise UsageError(f"--export writes a glyph export: pick --format "
                             f"{'|'.join(EXPORTS)}")
        if args.format not in EXPORTS and not args.overlay:
            return None
        if args.out and args.format in EXPORTS and not args.export:
            if args.resume or args.out.endswith(".jsonl"):
                raise UsageError("with --out RECORDS.jsonl the records go to the file; add "
                                 f"--export PATH for the {args.format} export")
            # `--format parquet --out chars.parquet`: the export is what was asked for.
            args.export, args.out = args.out, None
        return cls(args.format if args.format in EXPORTS else None, args.export, args.overlay)

    def plan(self, pages: list[Any]) -> None:
        """Name every page's files before the run: unique per source and page."""
        self.names = output_names((page.source, page.page) for page in pages
                                  if isinstance(page, PageInput))

    def _stem(self, item: Any) -> str:
        key: tuple[str, int | None] = (getattr(item.source, "source", ""),
                                       getattr(item.source, "page", None))
        return self.names.get(key) or f"image-{item.index + 1}"

    def add(self, item: Any) -> None:
        """Write ``item``'s overlay and per-page export now, or keep it for :meth:`finish`.

        A file that cannot be written is reported on stderr and counted in ``failures``; the
        run and its records go on.
        """
        label = portable(getattr(item.source, "label", str(item.source)))
        try:
            if self.overlay is not None:
                self._overlay(item)
            if self.spec is None:
                return
            if self.per_page:
                assert self.target is not None
                self._write(self.spec.render([item.result], [label]),
                            self.target / f"{self._stem(item)}{self.spec.suffix}",
                            self.spec.suffix)
            else:
                self.collected.append((item.result, label))
        except (LingyunError, OSError) as exc:
            self.failures += 1
            print(f"lingyun: {label}: export not written: {exc}", file=sys.stderr)

    def _overlay(self, item: Any) -> None:
        import io

        result = item.result
        layout = result if hasattr(result, "chars") else getattr(result, "layout", None)
        if layout is None:
            raise self.exports.ExportError("this result has no position layout: recognize "
                                           "text with withPosition=True to draw an overlay")
        image = item.source.load() if hasattr(item.source, "load") else item.source
        buffer = io.BytesIO()
        self.exports.draw(layout, image).save(buffer, format="PNG")
        assert self.overlay is not None
        write_atomic(self.overlay / f"{self._stem(item)}.png", buffer.getvalue())

    @staticmethod
    def _write(payloads: list[bytes], target: Any, suffix: str) -> None:
        """One payload at ``target``; several beside it as ``<stem>-0001<suffix>``, ...

        (the names :func:`lingyun.exports.write` gives), each by :func:`write_atomic`.
        """
        if len(payloads) == 1:
            write_atomic(target, payloads[0])
            return
        suffix = target.suffix or suffix
        for number, payload in enumerate(payloads, 1):
            write_atomic(target.with_name(f"{target.stem}-{number:04d}{suffix}"), payload)

    def finish(self) -> None:
        """Write the collected pages to ``--export FILE`` (or print them)."""
        if self.spec is None or self.per_page or not self.collected:
            return
        results = [result for result, _ in self.collected]
        sources = [label for _, label in self.collected]
        if self.target is not None:
            try:
                self._write(self.spec.render(results, sources), self.target, self.spec.suffix)
            except (LingyunError, OSError) as exc:  # the records are written: say, exit 5
                self.failures += 1
                print(f"lingyun: {self.target}: export not written: {exc}", file=sys.stderr)
            return
        for payload in self.spec.render(results, sources):
            sys.stdout.write(payload.decode("utf-8"))
            if not payload.endswith(b"\n"):
                sys.stdout.write("\n")
