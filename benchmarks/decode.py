"""Decoder throughput, as ratios measured in one run on the same bytes.

    python benchmarks/decode.py

Workloads: one page of 2,000 characters (~100 KB) and a stream of 1,000,000 nodes (~48 MB).
Contenders: the C decoder, the numpy fallback, ``struct.iter_unpack`` over every node (what a
hand-written pure-Python reader does at best), and a plain numpy copy of the buffer (the
memory-bandwidth floor).  Also reports the C decoder's peak memory on the large stream.
"""

from __future__ import annotations

import struct
import time
import tracemalloc

import numpy as np

import lingyun.iread as iread

CHAR_FORMAT = "<H2xHHiiiiiHH5H5BB"  # one CHAR node as the vendor declares it


def build(chars: int, per_line: int = 40) -> bytes:
    records: list[dict] = [{"type": "page", "width": 2480, "height": 3508},
                           {"type": "region", "right": 2400, "bottom": 3400}]
    for i in range(chars):
        if i % per_line == 0:
            records.append({"type": "line", "baseline": i // per_line * 40 % 60000, "size": 32})
        records.append({"type": "char", "code": 0x4E00 + i % 2000, "left": i, "top": 2,
                        "right": i + 30, "bottom": 34, "candidates": [0x4E00, 0, 0, 0, 0],
                        "distances": [12, 255, 255, 255, 255]})
    return iread.encode(records)


def best(fn, data, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - start)
    return min(times)


def struct_reader(data: bytes) -> int:
    return sum(1 for _ in struct.iter_unpack(CHAR_FORMAT, data))


def copy(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.uint8).copy()


def run(name: str, data: bytes, repeat: int) -> None:
    contenders = {"copy": copy, "struct": struct_reader}
    if "c" in iread.BACKENDS:
        contenders["c"] = lambda d: iread.decode_with("c", d)
    contenders["python"] = lambda d: iread.decode_with("python", d)
    t = {k: best(fn, data, repeat) for k, fn in contenders.items()}
    print(f"\n{name}: {len(data) / 1e6:.2f} MB, {len(data) // 48} nodes (best of {repeat})")
    for k, v in t.items():
        print(f"  {k:8} {v * 1e3:9.2f} ms  {len(data) / v / 1e6:9.1f} MB/s  "
              f"{v / t['copy']:6.1f}x copy")
    if "c" in t:
        print(f"  C vs copy:            {t['c'] / t['copy']:.2f}x")
        print(f"  C faster than python: {t['python'] / t['c']:.1f}x")
    print(f"  python faster than struct.iter_unpack: {t['struct'] / t['python']:.1f}x")


def peak_memory(data: bytes) -> None:
    tracemalloc.start()
    iread.decode(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"\npeak memory decoding the large stream ({iread.BACKEND}): {peak / 1e6:.1f} MB "
          f"= {peak / len(data):.2f}x the input (input not counted: it is the caller's)")


def main() -> None:
    print(f"lingyun.iread backends: {sorted(iread.BACKENDS)}, default {iread.BACKEND}")
    run("page (2,000 chars)", build(2000), repeat=50)
    large = build(1_000_000 - 2 - 25_000)
    run("large stream (1,000,000 nodes)", large, repeat=5)
    peak_memory(large)


if __name__ == "__main__":
    main()
