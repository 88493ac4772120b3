"""``lingyun ocr IMAGE...``: recognise images as one document type and print the results."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..client import DEFAULT_DOCUMENT_TYPE
from . import exit_code_for
from .common import add_client_arguments, client_from_args, parse_pairs
from .render import render_positions, render_table

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ocr",
        help="recognise images (text by default)",
        description="Recognise one or more images as a document type. With no endpoint "
        "configured, the embedded local service answers (no account, no network).",
    )
    parser.add_argument("images", nargs="+", metavar="IMAGE", help="image files (JPEG/PNG/BMP)")
    parser.add_argument(
        "--type", "-t", default=DEFAULT_DOCUMENT_TYPE, dest="document_type",
        help=f"document type (default {DEFAULT_DOCUMENT_TYPE}; `lingyun types` lists them)",
    )
    parser.add_argument(
        "--option", "-o", action="append", metavar="NAME=VALUE",
        help="document option, e.g. -o exportImage=yes (repeatable)",
    )
    parser.add_argument("--format", "-f", choices=("table", "json"), default="table")
    parser.add_argument(
        "--positions", action="store_true",
        help="text: request the position stream and print lines and characters with boxes",
    )
    parser.add_argument("--workers", type=int, default=4, help="concurrent calls (default 4)")
    add_client_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    options: dict[str, Any] = parse_pairs(args.option, "--option")
    if args.positions:
        options["withPosition"] = True
    client = client_from_args(args)
    with client:
        if client.embedded:
            print("lingyun: served by the embedded local engine (no endpoint configured)",
                  file=sys.stderr)
        # Fail fast on a bad type or option, before any image is read.
        client.plugins.document_type(args.document_type).build_task_config(options)
        status = 0
        many = len(args.images) > 1
        for item in client.batch(args.images, args.document_type, options,
                                 workers=args.workers, ordered=True):
            if item.error is not None:
                print(f"lingyun: {item.source}: {item.error.__class__.__name__}: {item.error}",
                      file=sys.stderr)
                status = status or exit_code_for(item.error)
                continue
            if item.result.replayed:
                print(f"lingyun: {item.source}: REPLAYED answer ({item.result.replayed}), "
                      "not recognised from the image", file=sys.stderr)
            _print_result(item.source, item.result, args, many)
        return status


def _print_result(source: str, result: Any, args: argparse.Namespace, many: bool) -> None:
    if args.format == "json":
        data = result.to_dict()
        if args.positions and getattr(result, "layout", None) is not None:
            data["layout"] = result.layout.to_records()  # every node, in stream order
        if many:
            print(json.dumps({"source": source, **data}, ensure_ascii=False))
        else:
            print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if many:
        print(f"==> {source} <==")
    if args.positions and getattr(result, "layout", None) is not None:
        render_positions(result.layout)
    else:
        render_table(result)
