"""Embedded recognition throughput: one engine (today's default) versus engine pools.

Every configuration reads the same real pages (the package's samples, repeated) with enough
callers to keep it busy, and reports images/s and the ratio to the single default engine
(onnxruntime's own threading, calls serialised on one instance).  Pools: processes x threads
splits that fit this machine.  The best split informs
:func:`lingyun.service.engines.pool.default_split`.

Run: ``python benchmarks/engines.py [--images N]`` (needs the ``local`` extra).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lingyun.service.engines import Job
from lingyun.service.engines.pool import EnginePool
from lingyun.service.engines.rapidocr import RapidOCREngine
from lingyun.service.validation import Capability

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "lingyun" / "samples"
CAPABILITY = Capability("ocr.cloud", lang="chinese_cn", document_type="text.chinese")


def throughput(engine, images: list[bytes], callers: int) -> float:
    jobs = [Job(CAPABILITY, image) for image in images]
    engine.recognize(jobs[0])  # warm: model loaded, caches filled
    started = time.perf_counter()
    with ThreadPoolExecutor(callers) as pool:
        list(pool.map(engine.recognize, jobs))
    return len(jobs) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=24)
    args = parser.parse_args()
    pages = [p.read_bytes() for p in sorted(SAMPLES.glob("*.png"))]
    images = [pages[i % len(pages)] for i in range(args.images)]
    cores = os.cpu_count() or 1
    print(f"{args.images} images ({', '.join(p.name for p in sorted(SAMPLES.glob('*.png')))}"
          f" repeated), {cores} cores")
    base = throughput(RapidOCREngine(), images, callers=4)
    print(f"one engine, onnxruntime default threads: {base:.2f} images/s (1.00x)")
    splits = sorted({(p, t) for p in (1, 2, cores, 2 * cores) for t in (1, 2)
                     if p * t <= 2 * cores})
    best = (0.0, (1, 0))
    for processes, threads in splits:
        pool = EnginePool("rapidocr", processes=processes, threads=threads).start()
        try:
            rate = throughput(pool, images, callers=2 * processes)
        finally:
            pool.close()
        best = max(best, (rate, (processes, threads)))
        print(f"pool {processes} processes x {threads} threads: {rate:.2f} images/s "
              f"({rate / base:.2f}x)")
    rate, (processes, threads) = best
    print(f"best split: {processes} x {threads} at {rate / base:.2f}x the single engine")
    return 0


if __name__ == "__main__":
    sys.exit(main())
