"""Plain-text tables that line up CJK text (wide characters take two columns) and fit the
terminal.

:func:`print_table` lays rows out in columns two spaces apart.  Given a ``width`` (see
:func:`terminal_width`) it narrows the widest columns until the table fits and wraps their
cells over several lines -- at ``,``, ``|``, ``/`` and spaces when it can, inside a word only
when a word alone is wider than its column -- the way ``pip list`` and ``gh`` stay readable in
a 100-column terminal.  Without a width every cell stays on one line (for pipes and ``--wide``).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TextIO

__all__ = ["display_width", "fit_widths", "print_table", "table_width", "terminal_width",
           "wrap_cell"]

#: Narrowest a column is squeezed to (its header may be wider: then the header's width).
MIN_COLUMN = 8
#: A column is not squeezed under its longest unbreakable word, up to this width.
MAX_WORD = 20
_GAP = 2
#: A break is allowed after these (the separator stays at the end of the line).
_BREAKS = re.compile(r"(?<=[,| /])")


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: East-Asian wide and full-width count as two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def terminal_width(stream: TextIO | None = None) -> int | None:
    """The width to fit: ``$COLUMNS`` when set, else the terminal's when ``stream`` (default
    standard output) is one; ``None`` -- do not fit -- when the output goes to a pipe or file."""
    if os.environ.get("COLUMNS", "").strip().isdigit():
        return int(os.environ["COLUMNS"])
    stream = stream or sys.stdout
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return shutil.get_terminal_size().columns


def wrap_cell(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` display columns (at least one line)."""
    lines: list[str] = []
    line = ""
    for token in (t for t in _BREAKS.split(text) if t):
        if display_width(line + token.rstrip()) <= width:
            line += token
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = ""
        while display_width(token.rstrip()) > width:  # one word wider than the column
            cut = 0
            while display_width(token[:cut + 1]) <= width:
                cut += 1
            lines.append(token[:max(cut, 1)])
            token = token[max(cut, 1):]
        line = token.lstrip() if lines else token
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _longest_word(text: str) -> int:
    return max((display_width(t.rstrip()) for t in _BREAKS.split(text)), default=0)


def table_width(header: Sequence[str], rows: Sequence[Sequence[object]]) -> int:
    """The width of the table :func:`print_table` prints unwrapped."""
    table = [list(header), *rows]
    return sum(max(display_width(str(r[i])) for r in table) for i in range(len(header))) \
        + _GAP * (len(header) - 1)


def fit_widths(natural: Sequence[int], minimum: Sequence[int], total: int) -> list[int]:
    """Column widths summing (with the gaps) to at most ``total`` when they can.

    Columns at or under a cap keep their natural width; wider ones are cut to the cap, the
    largest cap that fits, never under their ``minimum`` (so a very narrow terminal gets a
    table wider than itself rather than an unreadable one).
    """
    room = total - _GAP * (len(natural) - 1)
    if sum(natural) <= room:
        return list(natural)

    def widths(cap: int) -> list[int]:
        return [min(n, max(cap, m)) for n, m in zip(natural, minimum, strict=True)]

    cap = max(natural)
    while cap > 1 and sum(widths(cap)) > room:
        cap -= 1
    return widths(cap)


def print_table(
    header: Sequence[str], rows: Iterable[Sequence[object]], file: TextIO | None = None,
    width: int | None = None,
) -> None:
    """Print ``rows`` under ``header``; with ``width``, wrap cells so the table fits it."""
    out = file or sys.stdout
    table = [[str(cell) for cell in header]] + [
        ["" if cell is None else str(cell) for cell in row] for row in rows
    ]
    natural = [max(display_width(row[i]) for row in table) for i in range(len(header))]
    widths = natural
    if width is not None:
        minimum = [max(display_width(table[0][i]), min(MIN_COLUMN, natural[i]),
                       min(MAX_WORD, max(_longest_word(row[i]) for row in table)))
                   for i in range(len(header))]
        widths = fit_widths(natural, minimum, width)
    for row in table:
        cells = [wrap_cell(cell, widths[i]) for i, cell in enumerate(row)]
        for k in range(max(len(c) for c in cells)):
            parts = [c[k] if k < len(c) else "" for c in cells]
            line = "  ".join(p + " " * (widths[i] - display_width(p)) for i, p in enumerate(parts))
            print(line.rstrip(), file=out)
