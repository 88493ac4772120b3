"""Geometry over many pages: one vectorised pass versus one call per page, in one run.

    python benchmarks/geometry.py [PAGES]

Builds PAGES (default 2,000) two-column pages of 30 lines x 40 glyphs with a little skew,
decodes them with one ``decode_many`` call, then times every metric of
:mod:`lingyun.geometry` (glyphs, lines, pages with their XY-cut columns, candidates) over all
pages at once, and the same functions called page by page on 200 single-page layouts (what a
hand-written per-page loop does).  Prints times and ratios measured in this run.
"""

from __future__ import annotations

import math
import sys
import time

import lingyun.iread as iread
from lingyun.geometry import Measures, candidate_stats


def page(number: int) -> bytes:
    slope = -math.tan(math.radians(0.3 + number % 7 * 0.1))
    records: list[dict] = [{"type": "page", "width": 2480, "height": 3508}]
    for column in range(2):
        x0 = 100 + column * 1200
        records.append({"type": "region", "left": x0, "top": 100, "right": x0 + 1100,
                        "bottom": 100 + 15 * 60})
        for row in range(15):
            records.append({"type": "line"})
            for i in range(40):
                left = x0 + i * 27 + (i // 6) * 9
                bottom = round(130 + row * 60 + slope * (left - x0))
                records.append({"type": "char", "code": 0x61 + i % 26, "left": left,
                                "top": bottom - 24, "right": left + 22, "bottom": bottom,
                                "candidates": [0x61 + i % 26, 0x62, 0, 0, 0],
                                "distances": [10 + i % 50, 60, 255, 255, 255]})
    return iread.encode(records)


def analyse(layout: iread.Layout) -> None:
    measures = Measures(layout)
    measures.glyphs, measures.pages  # noqa: B018 -- computing them is the point
    candidate_stats(layout)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    kinds = [page(k) for k in range(7)]
    streams = [kinds[k % 7] for k in range(count)]
    decode_time = timed(lambda: iread.decode_many(streams))
    layout = iread.decode_many(streams)
    whole = min(timed(lambda: analyse(layout)) for _ in range(3))
    sample = 200
    singles = [iread.decode(s) for s in streams[:sample]]
    per_page = timed(lambda: [analyse(one) for one in singles]) / sample
    glyphs = layout.chars.size
    print(f"{count} pages, {layout.lines.size} lines, {glyphs} glyphs")
    print(f"decode_many            {decode_time * 1e3:9.1f} ms")
    print(f"all metrics, one pass  {whole * 1e3:9.1f} ms  "
          f"({whole / count * 1e6:.1f} us/page, {whole / decode_time:.1f}x the decode)")
    print(f"all metrics, per page  {per_page * count * 1e3:9.1f} ms  (extrapolated from "
          f"{sample} pages: {per_page * 1e6:.1f} us/page)")
    print(f"one pass is {per_page * count / whole:.1f}x faster than a loop over pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
