"""``lingyun page IMAGE``: what a local recognizer sees of an image.

A document-type plugin's local recognizer (:mod:`lingyun.recognizers`) reads a
:class:`~lingyun.recognizers.Page`: text lines with a box and a box and confidence per
character.  This command builds that page with the embedded engine (the ``local`` extra),
exactly as the ``local-templates`` engine does, and prints it row by row -- each row's
lines with their boxes and character heights, each character with its box, confidence and
a ``^`` where a word break was found -- so an author can measure the blanks between a label
and its value (``right_of(..., gap=...)``) on a real form.  ``--format json`` prints the same
as one object.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from ..recognizers.page import Page, TextLine

__all__ = ["add_parser", "page_dict", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "page",
        help="print the lines, rows and characters (with boxes) a local recognizer reads",
        description="Read IMAGE with the embedded engine (the `local` extra) into the Page a "
        "local recognizer is given, and print it: rows top to bottom, each row's lines left "
        "to right with their boxes, and (unless --lines) every character with its box and "
        "confidence. Boxes are left,top,right,bottom in image pixels.",
    )
    parser.add_argument("image", metavar="IMAGE")
    parser.add_argument("--format", "-f", choices=("table", "json"), default="table")
    parser.add_argument("--lines", action="store_true",
                        help="rows and lines only, not every character")
    parser.set_defaults(func=run)


def _box(box: tuple[int, int, int, int]) -> str:
    return ",".join(str(v) for v in box)


def _line_dict(line: TextLine) -> dict[str, Any]:
    return {
        "text": line.text, "box": list(line.box), "char_height": line.char_height,
        "chars": [{"text": c.text, "box": list(c.box), "confidence": round(c.confidence, 3),
                   "space_before": c.space_before} for c in line.chars],
    }


def page_dict(page: Page) -> dict[str, Any]:
    """The page as JSON-ready data: size, skew in degrees, rows of lines of characters."""
    return {
        "width": page.width, "height": page.height,
        "skew_degrees": round(math.degrees(page.skew), 2) + 0.0,
        "rows": [[_line_dict(line) for line in row] for row in page.rows()],
    }


def run(args: argparse.Namespace) -> int:
    from ..recognizers.reading import read_page  # loads the engine: only when asked

    page = read_page(args.image)
    data = page_dict(page)
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    rows = data["rows"]
    print(f"page {page.width}x{page.height}, skew {data['skew_degrees']} deg, "
          f"{sum(len(r) for r in rows)} lines in {len(rows)} rows")
    for number, row in enumerate(rows):
        print(f"row {number}")
        for line in row:
            print(f"  line [{_box(line['box'])}] h={line['char_height']:g}  {line['text']}")
            if args.lines:
                continue
            for char in line["chars"]:
                mark = "^" if char["space_before"] else " "
                print(f"    {mark}{char['text']}  [{_box(char['box'])}] "
                      f"{char['confidence']:.3f}")
    return 0
