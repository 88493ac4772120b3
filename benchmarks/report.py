"""HTML report figures: build time and size per glyph, measured in one run.

    PYTHONPATH=src python benchmarks/report.py [--pages 50] [--glyphs 1000]

Builds records of ``--pages`` text pages with ``--glyphs`` characters each (a third of them
with two extra candidates, distances spread over 0..60), as a bulk run would have written
them, then times :func:`lingyun.report.build_report` (no images: the glyph markup alone)
and prints the HTML size per glyph.  The records are made in memory with the position-stream
encoder, so no engine and no service are involved.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from typing import Any

from lingyun.bulk.records import make_record
from lingyun.iread import decode, encode
from lingyun.report import build_report
from lingyun.results import TextResult

PER_LINE, PITCH_X, PITCH_Y = 50, 20, 40


def page_record(number: int, glyphs: int, rng: random.Random) -> dict[str, Any]:
    width, height = PER_LINE * PITCH_X + 20, (glyphs // PER_LINE + 1) * PITCH_Y + 20
    nodes: list[dict[str, Any]] = [
        {"type": "page", "width": width, "height": height},
        {"type": "region", "left": 0, "top": 0, "right": width, "bottom": height}]
    text = []
    for i in range(glyphs):
        if i % PER_LINE == 0:
            nodes.append({"type": "line", "baseline": 10 + PITCH_Y * (i // PER_LINE),
                          "size": 30, "avg_char_width": 18, "avg_char_height": 30})
        char = chr(0x4E00 + rng.randrange(2000))
        text.append(char)
        codes, dists = [ord(char)], [rng.randrange(60)]
        if i % 3 == 0:
            codes += [ord("一"), ord("二")]
            dists += [90, 150]
        left, top = 10 + PITCH_X * (i % PER_LINE), 10 + PITCH_Y * (i // PER_LINE)
        nodes.append({"type": "char", "text": char, "space_before": 0, "left": left,
                      "top": top, "right": left + 18, "bottom": top + 30, "suspect": 0,
                      "candidates": codes + [0] * (5 - len(codes)),
                      "distances": dists + [255] * (5 - len(dists))})
    positions = encode(nodes)
    result = TextResult("text.chinese", "".join(text), raw={"error": 0},
                        layout=decode(positions), positions=positions)
    record = make_record(f"page-{number}.png", None, f"{number:064x}", "text.chinese",
                         {"withPosition": True}, result=result)
    return json.loads(json.dumps(record))  # exactly what read_records would give back


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--glyphs", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(1)
    records = [page_record(n, args.glyphs, rng) for n in range(args.pages)]
    started = time.perf_counter()
    page, _ = build_report(records)
    seconds = time.perf_counter() - started
    size = len(page.encode("utf-8"))
    glyphs = args.pages * args.glyphs
    print(f"{args.pages} pages x {args.glyphs} glyphs: built in {seconds:.2f} s "
          f"({seconds / glyphs * 1e6:.0f} us/glyph), {size / 1e6:.1f} MB of HTML "
          f"({size / glyphs:.0f} bytes/glyph)")


if __name__ == "__main__":
    main()
