"""``lingyun decode STREAM_FILE``: decode a saved IREAD_NODE position stream.

The file is the binary tail of a ``withPosition=1`` reply, or the whole saved reply with its
JSON in front when ``--json-length N`` (the reply's ``json-length`` header) is given.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys

from ..errors import UsageError
from ..iread import decode
from ..iread.dtypes import OUTPUT
from ..protocol import split_position_body

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "decode",
        help="decode a saved IREAD_NODE position stream",
        description="Decode a saved position stream: jsonl (one object per node, in stream "
        "order), csv (one table per node kind) or the rebuilt text.",
    )
    parser.add_argument("stream", metavar="STREAM_FILE")
    parser.add_argument("--format", "-f", choices=("jsonl", "csv", "text"), default="jsonl")
    parser.add_argument(
        "--json-length", type=int, metavar="N",
        help="the file is a whole reply: N is its json-length header (bytes or characters)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        with open(args.stream, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise UsageError(f"cannot read {args.stream}: {exc.strerror}") from None
    if args.json_length is not None:
        if args.json_length < 0:
            raise UsageError("--json-length must be >= 0")
        data = split_position_body(data, args.json_length)[1]
    layout = decode(data)
    if args.format == "text":
        print(layout.text)
    elif args.format == "jsonl":
        for record in layout.to_records():
            print(json.dumps(record, ensure_ascii=False))
    else:
        writer = csv.writer(sys.stdout)
        for kind, array in layout.arrays().items():
            names = OUTPUT[kind].names or ()
            writer.writerow(["type", "index", *names])
            for index, row in enumerate(array.tolist()):
                writer.writerow([kind, index, *(_cell(v) for v in row)])
    return 0


def _cell(value: object) -> object:
    return " ".join(str(v) for v in value.tolist()) if hasattr(value, "tolist") else value
