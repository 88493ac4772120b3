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
from ..iread import Layout, decode
from ..iread.dtypes import OUTPUT
from ..iread.errors import StreamError
from ..protocol import split_position_body

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    layout = _decode_file(args.stream, data)
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


#: Signatures of files people mistake for a position stream, and what they are.
_NOT_A_STREAM: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"BM", "a BMP image"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
    (b"RIFF", "a WebP image"), (b"%PDF-", "a PDF document"), (b"{", "JSON text (a whole "
    "reply? give --json-length N)"), (b"PK\x03\x04", "a ZIP archive"),
)


def _decode_file(path: str, data: bytes) -> Layout:
    """The layout of a stream file; a file that is not a stream is the user's error (exit 2).

    The decoder's own message (which node, which byte) follows, so a damaged stream can be
    told from a file of another kind.
    """
    try:
        return decode(data)
    except StreamError as exc:
        kind = next((what for magic, what in _NOT_A_STREAM if data.startswith(magic)), None)
        prefix = f"{path} is not an IREAD_NODE position stream"
        raise UsageError(f"{prefix}: it is {kind}" if kind else f"{prefix}: {exc}") from None


def _cell(value: object) -> object:
    return " ".join(str(v) for v in value.tolist()) if hasattr(value, "tolist") else value
