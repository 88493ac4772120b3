"""What the second look at small print costs and finds: the embedded engine with it and
without it (:mod:`lingyun.service.engines.small_text`), page by page in one process.

For each image: the median line height the detector saw (the figure the engine compares
with ``SMALL``), the lines read with and without the second look, and the CPU seconds of
each (the two engines take turns on every image, so machine load hits both alike).

Run: ``python benchmarks/small_print.py IMAGE...``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from lingyun.service.engines.rapidocr import RapidOCREngine
from lingyun.service.engines.small_text import SMALL, print_height


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("images", nargs="+", type=Path)
    args = parser.parse_args()

    closer = RapidOCREngine()
    closer.warm_up()
    first = RapidOCREngine()
    first.warm_up()
    detector = first._engine().text_det.detector
    first._engine().text_det = detector  # the first look only
    totals = {"with": 0.0, "without": 0.0}
    print(f"| image | print height (SMALL {SMALL}) | lines with / without | "
          "CPU s with / without |")
    print("|---|---|---|---|")
    for image in args.images:
        data = image.read_bytes()
        pixels = first.decode(data)
        found = detector(pixels)
        limit = int(detector.limit_side_len)
        height = print_height(np.zeros((0, 4, 2)) if found.boxes is None else found.boxes,
                              min(1.0, limit / max(pixels.shape[:2])))
        counts, seconds = {}, {}
        for name, engine in (("without", first), ("with", closer)):
            start = time.process_time()
            _, _, lines = engine.read_lines(data)
            seconds[name] = time.process_time() - start
            counts[name] = len(lines)
            totals[name] += seconds[name]
        shown = "none found" if height is None else f"{height:.1f}"
        print(f"| {image.name} | {shown} | {counts['with']} / {counts['without']} | "
              f"{seconds['with']:.1f} / {seconds['without']:.1f} |", flush=True)
    print(f"\nCPU with / without: {totals['with'] / max(totals['without'], 1e-9):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
