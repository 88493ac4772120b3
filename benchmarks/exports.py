"""Cost of the glyph table against a plain copy of the same bytes, measured in one run.

    python benchmarks/exports.py [GLYPHS]

Builds one layout of GLYPHS characters (100 per line) with lingyun.iread.encode_arrays,
then times, best of five: a byte copy of ``Layout.chars`` (the memory-speed floor),
``glyph_columns`` (one gather per field), ``to_arrow`` and ``to_pandas``.  Prints each as a
ratio to the copy.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from lingyun.exports import glyph_columns, to_arrow, to_pandas
from lingyun.iread import decode, encode_arrays
from lingyun.iread.dtypes import OUTPUT


def layout(glyphs: int):
    per_line = 100
    lines = glyphs // per_line
    types = np.concatenate([[0, 1], np.tile([3] + [4] * per_line, lines)]).astype(np.uint16)
    arrays = {kind: np.zeros(0, dtype=OUTPUT[kind]) for kind in OUTPUT}
    arrays["page"] = np.zeros(1, dtype=OUTPUT["page"])
    arrays["region"] = np.zeros(1, dtype=OUTPUT["region"])
    arrays["line"] = np.zeros(lines, dtype=OUTPUT["line"])
    chars = np.zeros(lines * per_line, dtype=OUTPUT["char"])
    rng = np.random.default_rng(0)
    chars["code"] = rng.integers(0x4E00, 0x9FA5, chars.size)
    chars["left"] = np.tile(np.arange(per_line) * 20, lines)
    chars["right"] = chars["left"] + 18
    chars["candidates"][:, 0] = chars["code"]
    chars["distances"] = 255
    chars["distances"][:, 0] = rng.integers(0, 254, chars.size)
    arrays["char"] = chars
    return decode(encode_arrays(types, arrays))


def best(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    glyphs = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    page = layout(glyphs)
    raw = page.chars.view(np.uint8)
    copy = best(lambda: raw.copy())
    print(f"{page.chars.size} glyphs, {page.chars.nbytes / 1e6:.1f} MB of char records; "
          f"copy {copy * 1e3:.2f} ms")
    for name, function in (("glyph_columns", lambda: glyph_columns(page)),
                           ("to_arrow", lambda: to_arrow(page)),
                           ("to_pandas", lambda: to_pandas(page))):
        seconds = best(function)
        print(f"{name:14s} {seconds * 1e3:8.2f} ms  {seconds / copy:6.1f}x the copy")


if __name__ == "__main__":
    main()
