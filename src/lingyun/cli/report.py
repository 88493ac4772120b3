"""``lingyun report RECORDS.jsonl --html report.html``: a run's review page, one HTML file.

Reads the records of a bulk run (``lingyun ocr ... --out RECORDS.jsonl``, or a Parquet
dataset directory) and writes a self-contained HTML file: the summary, the failed inputs,
and every page's image with its characters, lines, regions and fields drawn over it (see
:mod:`lingyun.report`).  Nothing is recognized again and nothing is sent anywhere.
"""

from __future__ import annotations

import argparse
import sys

from ..report import DEFAULT_LOW_CONFIDENCE, DEFAULT_MAX_SIDE, write_report

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write a self-contained HTML review page of a bulk run's records",
        description="Write one HTML file (no network, no server) to review a bulk run: "
        "summary, failed inputs, and each page's image with character boxes, lines, regions "
        "and template fields drawn over it; hover a character for its candidates.",
    )
    parser.add_argument("records", metavar="RECORDS",
                        help="the run's records: a .jsonl file or a Parquet dataset directory")
    parser.add_argument("--html", required=True, metavar="FILE",
                        help="the report to write, e.g. report.html")
    parser.add_argument("--images", metavar="DIR",
                        help="folder holding the inputs (default: the paths in the records, "
                        "relative to the current directory or to the records file)")
    parser.add_argument("--link-images", action="store_true",
                        help="reference image files by a path relative to the report instead "
                        "of embedding them (PDF and TIFF pages are always embedded)")
    parser.add_argument("--max-side", type=int, default=DEFAULT_MAX_SIDE, metavar="PX",
                        help="downscale embedded images to this longer side (needs Pillow; "
                        f"default {DEFAULT_MAX_SIDE})")
    parser.add_argument("--low", type=float, default=DEFAULT_LOW_CONFIDENCE, metavar="C",
                        help="confidence below which a character or field is marked "
                        f"(0..1, default {DEFAULT_LOW_CONFIDENCE}); the page can change it")
    parser.add_argument("--only-problems", action="store_true",
                        help="leave out pages with nothing to review (no character or field "
                        "below --low, no failed check); the summary still counts them")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    result = write_report(args.records, args.html, images=args.images,
                          link_images=args.link_images, max_side=args.max_side,
                          low_threshold=args.low, only_problems=args.only_problems)
    summary = result.summary
    print(f"lingyun: wrote {args.html}: {summary.records} record(s), {summary.ok} ok, "
          f"{summary.failed} failed", file=sys.stderr)
    return 0
