"""Plain-text tables that line up CJK text (wide characters take two columns)."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TextIO

__all__ = ["display_width", "print_table"]


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: East-Asian wide and full-width count as two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def print_table(
    header: Sequence[str], rows: Iterable[Sequence[object]], file: TextIO | None = None
) -> None:
    out = file or sys.stdout
    table = [[str(cell) for cell in header]] + [
        ["" if cell is None else str(cell) for cell in row] for row in rows
    ]
    widths = [max(display_width(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        cells = [cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(row)]
        print("  ".join(cells).rstrip(), file=out)
