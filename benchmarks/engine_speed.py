"""Speed and memory of the embedded engine: the bare rapidocr pipeline versus lingyun's layer.

Every variant runs in a fresh process of its own (so its peak RSS is its own: models,
arenas, the largest page's buffers), reads the same encoded images (the package's samples,
an A4 page rendered at 300 dpi with Pillow, and -- when the directory is there -- Scribe
OCR benchmark pages), first once to warm up, then ``--runs`` times each; it reports the
median seconds per image and its peak RSS:

* ``old engine``: rapidocr-onnxruntime 1.4 (PP-OCRv4, what lingyun used before), when it
  is still importable -- the "before" figure;
* ``bare rapidocr 3``: ``RapidOCR()(image bytes)`` with the same models and settings as
  lingyun's engine (:mod:`lingyun.service.engines.rapidocr_models`), no character boxes;
* ``lingyun layer``: :meth:`RapidOCREngine.recognize` with ``withPosition=1`` -- decoding
  the image, the engine with character boxes and candidates, ink snapping, reading order,
  word spaces, the ``IREAD_NODE`` stream and the JSON text: what ``lingyun ocr`` and the
  service run per image.  Its ratio to the bare pipeline is the cost of the layer (goal
  <= 1.2).

Then pages/s for the 300-dpi A4 page through an engine pool, for each processes x threads
split that fits the machine (``lingyun serve --processes/--threads``), and the best split;
and the candidates the engine gives on the Chinese samples: the share of characters with two
or more candidates whose distances rise, and the distances per slot (quartiles).

Run: ``python benchmarks/engine_speed.py [--runs 3] [--scribe DIR] [--scribe-pages 2]
[--variants 'bare rapidocr 3,lingyun layer'] [--pool-pages 6] [--no-pool]``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "src" / "lingyun" / "samples"
ENGLISH = ("The embedded engine reads scanned pages without a network. Every character "
           "comes with its box and five candidates, lines are put in reading order, and "
           "the answer is the same stream the vendor's service returns. ")
VARIANTS = ("old engine", "bare rapidocr 3", "lingyun layer")


def a4_page() -> bytes:
    """An A4 page at 300 dpi (2480 x 3508): a heading and 60 lines of 10-point-like text."""
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(page)
    body = ImageFont.load_default(size=42)
    draw.text((200, 200), "Lingyun engine test page (A4, 300 dpi)",
              font=ImageFont.load_default(size=80), fill=0)
    words = (ENGLISH * 40).split()
    line, y = "", 400
    for word in words:
        if body.getlength(f"{line} {word}") > 2080:
            draw.text((200, y), line, font=body, fill=0)
            line, y = word, y + 50
            if y > 3300:
                break
        else:
            line = f"{line} {word}".strip()
    out = io.BytesIO()
    page.save(out, "PNG")
    return out.getvalue()


def images(scribe: Path | None, pages: int) -> list[tuple[str, bytes]]:
    found = [(p.stem, p.read_bytes()) for p in sorted(SAMPLES.glob("*.png"))]
    if not os.environ.get("ENGINE_SPEED_NO_A4"):
        found.append(("a4_300dpi", a4_page()))
    if scribe is not None and (scribe / "img").is_dir():
        found += [(p.stem, p.read_bytes()) for p in sorted((scribe / "img").glob("*"))
                  if p.stem.split("_")[0] in ("singlecol", "multicol")][:pages]
    return found


def _reader(variant: str) -> Any:
    if variant == "old engine":
        from rapidocr_onnxruntime import RapidOCR as OldRapidOCR  # type: ignore[import-untyped]

        old = OldRapidOCR()
        return lambda data: old(data)
    if variant == "bare rapidocr 3":
        from rapidocr import RapidOCR

        from lingyun.service.engines.rapidocr_models import model_paths, rapidocr_params

        bare = RapidOCR(params=rapidocr_params(model_paths()))
        return lambda data: bare(data)
    from lingyun.service.engines import Job
    from lingyun.service.engines.rapidocr import RapidOCREngine
    from lingyun.service.validation import Capability

    engine = RapidOCREngine()
    capability = Capability("ocr.cloud", lang="english", document_type="text.english",
                            with_position=True)
    return lambda data: engine.recognize(Job(capability, data))


def worker(variant: str, runs: int, scribe: Path | None, pages: int) -> None:
    """In a child process: time ``variant`` on every image, print one JSON line."""
    read = _reader(variant)
    timings: dict[str, float] = {}
    for name, data in images(scribe, pages):
        read(data)  # warm: first-call allocations, caches
        seconds = []
        for _ in range(runs):
            start = time.perf_counter()
            read(data)
            seconds.append(time.perf_counter() - start)
        timings[name] = statistics.median(seconds)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB (Linux)
    print(json.dumps({"variant": variant, "seconds": timings, "peak_mb": peak}))


def run_variant(variant: str, runs: int, scribe: Path | None,
                pages: int) -> dict[str, Any] | None:
    command = [sys.executable, __file__, "--worker", variant, "--runs", str(runs),
               "--scribe-pages", str(pages)]
    if scribe is not None:
        command += ["--scribe", str(scribe)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"{variant}: not measured ({done.stderr.strip().splitlines()[-1:]})")
        return None
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def pool_rates(pages: int) -> None:
    from lingyun.service.engines import Job
    from lingyun.service.engines.pool import EnginePool
    from lingyun.service.validation import Capability

    capability = Capability("ocr.cloud", lang="english", document_type="text.english",
                            with_position=True)
    page = a4_page()
    cores = os.cpu_count() or 1
    splits = sorted({(p, t) for p in (1, 2, cores) for t in (1, 2, cores) if p * t <= 2 * cores})
    best: tuple[float, tuple[int, int]] = (0.0, (0, 0))
    from concurrent.futures import ThreadPoolExecutor

    for processes, threads in splits:
        pool = EnginePool("rapidocr", processes=processes, threads=threads).start()
        try:
            pool.recognize(Job(capability, page))
            start = time.perf_counter()
            with ThreadPoolExecutor(2 * processes) as callers:
                list(callers.map(pool.recognize, [Job(capability, page)] * pages))
            rate = pages / (time.perf_counter() - start)
        finally:
            pool.close()
        best = max(best, (rate, (processes, threads)))
        print(f"  A4 300 dpi, pool {processes} processes x {threads} threads: "
              f"{rate:.2f} pages/s", flush=True)
    rate, (processes, threads) = best
    print(f"  best split: {processes} x {threads} ({rate:.2f} pages/s, {cores} cores)")


def candidate_figures() -> None:
    import numpy as np

    from lingyun.geometry import candidate_stats
    from lingyun.iread import decode
    from lingyun.service.engines.rapidocr import RapidOCREngine
    from lingyun.service.positions import arrange, encode_page, page_skew

    engine = RapidOCREngine()
    for name in ("chinese", "page"):
        width, height, lines = engine.read_lines((SAMPLES / f"{name}.png").read_bytes())
        skew = page_skew(lines)
        layout = decode(encode_page(width, height, arrange(lines, skew=skew), skew=skew))
        distances = layout.chars["distances"].astype(np.int64).reshape(-1, 5)
        used = distances != 255
        rising = np.array([bool(np.all(np.diff(d[u]) > 0)) for d, u in zip(distances, used,
                                                                            strict=True)])
        share = float(((used.sum(axis=1) >= 2) & rising).mean())
        quartiles = ["/".join(str(int(v)) for v in np.percentile(distances[used[:, k], k],
                                                                  [25, 50, 75]))
                     if used[:, k].any() else "-" for k in range(5)]
        confusions = candidate_stats(layout).confusions[:3]
        print(f"  {name}.png: {len(distances)} characters, {share:.0%} with >= 2 candidates "
              f"of rising distance; distance quartiles by slot {', '.join(quartiles)}; "
              f"top confusions {[(a, b) for a, b, _, _ in confusions]}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scribe", type=Path, default=Path("/work/data/scribe"))
    parser.add_argument("--pool-pages", type=int, default=6)
    parser.add_argument("--scribe-pages", type=int, default=2,
                        help="how many Scribe pages (singlecol_*, multicol_*) to add")
    parser.add_argument("--variants", default=",".join(VARIANTS),
                        help="comma list of the variants to run (default: all three)")
    parser.add_argument("--no-pool", action="store_true", help="skip the pool splits")
    parser.add_argument("--no-a4", action="store_true",
                        help="leave the A4 page out of the per-image timings")
    parser.add_argument("--worker", choices=VARIANTS)
    args = parser.parse_args()
    scribe = args.scribe if args.scribe.is_dir() else None
    if args.worker:
        worker(args.worker, args.runs, scribe, args.scribe_pages)
        return 0
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"median of {args.runs} runs per image, each variant in its own process")
    if args.no_a4:
        os.environ["ENGINE_SPEED_NO_A4"] = "1"  # the worker processes inherit it
    chosen = [v.strip() for v in args.variants.split(",")]
    results = {v: r for v in VARIANTS if v in chosen
               and (r := run_variant(v, args.runs, scribe, args.scribe_pages)) is not None}
    names = list(next(iter(results.values()))["seconds"]) if results else []
    print(f"{'image':<16}" + "".join(f"{v:>18}" for v in results))
    for name in names:
        print(f"{name:<16}" + "".join(f"{r['seconds'][name]:>17.3f}s" for r in results.values()))
    for variant, found in results.items():
        median = statistics.median(found["seconds"].values())
        print(f"{variant}: median {median:.3f} s/image, peak RSS {found['peak_mb']:.0f} MiB")
    if "bare rapidocr 3" in results and "lingyun layer" in results:
        bare, layer = results["bare rapidocr 3"]["seconds"], results["lingyun layer"]["seconds"]
        ratios = [layer[n] / bare[n] for n in names]
        total = sum(layer.values()) / sum(bare.values())
        print(f"lingyun layer / bare: median per image {statistics.median(ratios):.2f}, "
              f"all images {total:.2f} (goal <= 1.2)")
    if "old engine" in results and "lingyun layer" in results:
        old, new = results["old engine"]["seconds"], results["lingyun layer"]["seconds"]
        print(f"lingyun layer / old engine: median {statistics.median(new.values()):.3f} / "
              f"{statistics.median(old.values()):.3f} = "
              f"{statistics.median(new.values()) / statistics.median(old.values()):.2f}")
    print("candidates:")
    candidate_figures()
    if not args.no_pool:
        print("engine pool:")
        pool_rates(args.pool_pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
