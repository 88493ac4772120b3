"""Seconds to put one page's lines in reading order, by layout engine and page size.

    python benchmarks/layout_speed.py [LINES ...]

Builds synthetic pages of four columns (default 100, 300 and 1,200 lines: a report page, a
dense magazine page, a newspaper page of small type), shuffles the lines as a detector's
order would, and times :func:`~lingyun.geometry.columns.column_order` (the ``columns``
layout engine, the default) and :func:`~lingyun.geometry.order.reading_order` (``xycut``),
best of three runs each.  Prints the times measured in this run.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import numpy as np

from lingyun.geometry.columns import column_order
from lingyun.geometry.order import reading_order


def page(lines: int) -> np.ndarray:
    """``lines`` line boxes in four columns of 360 px with 40 px gutters, 30 px apart."""
    rows = -(-lines // 4)
    boxes = [(40 + c * 400, 20 + 30 * r, 400 + c * 400, 40 + 30 * r)
             for c in range(4) for r in range(rows)][:lines]
    return np.array(boxes)[np.random.default_rng(0).permutation(lines)]


def best(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    sizes = [int(a) for a in sys.argv[1:]] or [100, 300, 1200]
    print("| lines | columns (s) | xycut (s) |")
    print("|---|---|---|")
    for lines in sizes:
        boxes = page(lines)
        print(f"| {lines} | {best(lambda b=boxes: column_order(b)):.3f} "
              f"| {best(lambda b=boxes: reading_order(b)):.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
