"""Speed and memory of the embedded engine: the old engine, the bare rapidocr pipeline and
lingyun's layer, timed in the same pass.

Every variant runs in a worker process of its own (so its peak RSS is its own: models,
arenas, the largest page's buffers) that stays up for the whole pass; the parent asks each
worker in turn to read one image and report the seconds it took.  Image by image, every
worker first reads the image once untimed (warm-up: first-call allocations, caches), then
the parent runs ``--runs`` rounds, each round timing every variant once, so a burst of load
from other processes on the machine hits all variants alike instead of whichever happened
to run at that moment.  The images are the package's samples, an A4 page rendered at 300
dpi with Pillow, and -- when the directory is there -- Scribe OCR benchmark pages.  It
reports the median seconds per image, each variant's median over the images, the ratios
and the peak RSS:

* ``old lingyun``: lingyun as it was at commit f27e482 (rapidocr-onnxruntime 1.4.4,
  PP-OCRv4 and the old layer: its ``RapidOCREngine.recognise`` with ``withPosition=1``),
  run by another Python that has that version installed: ``--old-python``.  Set it up with
  ``git worktree add /work/wt/old f27e482 --detach; python3 -m venv /work/venv-old;
  /work/venv-old/bin/pip install rapidocr-onnxruntime==1.4.4 '/work/wt/old[local]'``;
* ``bare rapidocr 3``: ``RapidOCR()(image bytes)`` with the same models and settings as
  lingyun's engine (:mod:`lingyun.service.engines.rapidocr_models`), no character boxes;
* ``lingyun layer``: :meth:`RapidOCREngine.recognize` with ``withPosition=1`` -- decoding
  the image, the engine with character boxes and candidates, ink snapping, reading order,
  word spaces, the ``IREAD_NODE`` stream and the JSON text: what ``lingyun ocr`` and the
  service run per image.  Its ratio to the bare pipeline is the cost of the layer (goal
  <= 1.2), its ratio to the old lingyun the speed-up (goal <= 0.2).

Then pages/s for the 300-dpi A4 page through an engine pool, for each processes x threads
split that fits the machine (``lingyun serve --processes/--threads``), and the best split;
and the candidates the engine gives on the Chinese samples: the share of characters with two
or more candidates whose distances rise, and the distances per slot (quartiles).

Run: ``python benchmarks/engine_speed.py [--runs 3] [--old-python /work/venv-old/bin/python]
[--scribe DIR] [--scribe-pages 29] [--variants 'bare rapidocr 3,lingyun layer']
[--pool-pages 6] [--no-pool] [--no-a4] [--no-candidates]``.
"""

from __future__ import annotations

import argparse
import io
import math
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
VARIANTS = ("old lingyun", "bare rapidocr 3", "lingyun layer")


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
    """The samples, the A4 page (unless ``ENGINE_SPEED_NO_A4``) and the first ``pages``
    Scribe pages: single- and multi-column pages first, then the others (forms, tables,
    charts, ...), each group in name order."""
    found = [(p.stem, p.read_bytes()) for p in sorted(SAMPLES.glob("*.png"))]
    if not os.environ.get("ENGINE_SPEED_NO_A4"):
        found.append(("a4_300dpi", a4_page()))
    if scribe is not None and (scribe / "img").is_dir():
        every = sorted((scribe / "img").glob("*"))
        text_first = sorted(every, key=lambda p: p.stem.split("_")[0]
                            not in ("singlecol", "multicol"))
        found += [(p.stem, p.read_bytes()) for p in text_first[:pages]]
    return found


def _capability() -> Any:
    from lingyun.service.validation import Capability

    return Capability("ocr.cloud", lang="english", document_type="text.english",
                      with_position=True)


def _reader(variant: str) -> Any:
    """A function reading one encoded image with ``variant`` (in the worker's Python)."""
    if variant == "bare rapidocr 3":
        from rapidocr import RapidOCR

        from lingyun.service.engines.rapidocr_models import model_paths, rapidocr_params

        bare = RapidOCR(params=rapidocr_params(model_paths()))
        return lambda data: bare(data)
    from lingyun.service.engines import Job
    from lingyun.service.engines.rapidocr import RapidOCREngine

    engine = RapidOCREngine()
    capability = _capability()
    # the old lingyun (f27e482) spelled the method recognise()
    read = getattr(engine, "recognize", None) or engine.recognise
    return lambda data: read(Job(capability, data))


def worker(variant: str, scribe: Path | None, pages: int) -> None:
    """In a child process: read image names from stdin; for each, print the seconds one
    read of it took (a name preceded by ``warm `` is read untimed first); on ``end``,
    print the peak RSS in MiB."""
    read = _reader(variant)
    found = dict(images(scribe, pages))
    print("ready", flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "end":
            break
        if command.startswith("warm "):
            read(found[command[5:]])
            print("0", flush=True)
            continue
        start = time.perf_counter()
        read(found[command])
        print(f"{time.perf_counter() - start:.6f}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB (Linux)
    print(f"{peak:.1f}", flush=True)


class Worker:
    """One variant's worker process, driven line by line."""

    def __init__(self, variant: str, python: str, scribe: Path | None, pages: int) -> None:
        command = [python, __file__, "--worker", variant, "--scribe-pages", str(pages)]
        if scribe is not None:
            command += ["--scribe", str(scribe)]
        self.variant = variant
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.failed = ""
        self.ask("")  # wait for "ready": the models are loaded

    def ask(self, command: str) -> float:
        if self.failed:
            return math.nan
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            if command:
                self.process.stdin.write(command + "\n")
                self.process.stdin.flush()
            answer = self.process.stdout.readline().strip()
        except BrokenPipeError:
            answer = ""
        if not answer:
            self.process.kill()
            errors = (self.process.stderr.read() if self.process.stderr else "").strip()
            self.failed = errors.splitlines()[-1] if errors else "the worker exited"
            print(f"{self.variant}: not measured ({self.failed})", flush=True)
            return math.nan
        return 0.0 if answer == "ready" else float(answer)

    def close(self) -> float:
        """Stop the worker; its peak RSS in MiB (NaN if it failed)."""
        peak = self.ask("end")
        self.process.wait()
        return peak


def same_pass(variants: dict[str, str], runs: int, scribe: Path | None,
              pages: int) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Median seconds per image per variant, and peak RSS per variant, all timed in rounds
    (see the module docstring).  ``variants`` maps a variant to the Python that runs it."""
    names = [name for name, _ in images(scribe, pages)]
    workers = [Worker(v, python, scribe, pages) for v, python in variants.items()]
    seconds: dict[str, dict[str, float]] = {w.variant: {} for w in workers}
    for name in names:
        for each in workers:
            each.ask(f"warm {name}")
        taken: dict[str, list[float]] = {w.variant: [] for w in workers}
        for round_ in range(runs):
            # alternate the order too: no variant always runs right after another
            for each in (workers if round_ % 2 == 0 else workers[::-1]):
                taken[each.variant].append(each.ask(name))
        for variant, values in taken.items():
            seconds[variant][name] = statistics.median(values)
        print(f"  {name:<16}" + "".join(f"{seconds[w.variant][name]:>17.3f}s"
                                        for w in workers), flush=True)
    peaks = {w.variant: w.close() for w in workers}
    ok = {w.variant for w in workers if not w.failed}
    return ({v: s for v, s in seconds.items() if v in ok}, {v: peaks[v] for v in ok})


def pool_rates(pages: int) -> None:
    from lingyun.service.engines import Job
    from lingyun.service.engines.pool import EnginePool
    capability = _capability()
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
    parser.add_argument("--runs", type=int, default=3, help="timed rounds per image")
    parser.add_argument("--old-python", default="",
                        help="a Python with lingyun f27e482 and rapidocr-onnxruntime 1.4.4 "
                             "installed: times the 'old lingyun' variant")
    parser.add_argument("--scribe", type=Path, default=Path("/work/data/scribe"))
    parser.add_argument("--pool-pages", type=int, default=6)
    parser.add_argument("--scribe-pages", type=int, default=2,
                        help="how many Scribe pages to add (single/multi-column first)")
    parser.add_argument("--variants", default=",".join(VARIANTS),
                        help="comma list of the variants to run (default: all three)")
    parser.add_argument("--no-pool", action="store_true", help="skip the pool splits")
    parser.add_argument("--no-candidates", action="store_true",
                        help="skip the candidate figures")
    parser.add_argument("--no-a4", action="store_true",
                        help="leave the A4 page out of the per-image timings")
    parser.add_argument("--worker", choices=VARIANTS)
    args = parser.parse_args()
    scribe = args.scribe if args.scribe.is_dir() else None
    if args.worker:
        worker(args.worker, scribe, args.scribe_pages)
        return 0
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"median of {args.runs} rounds per image, each variant in its own process, "
          f"timed in the same rounds")
    if args.no_a4:
        os.environ["ENGINE_SPEED_NO_A4"] = "1"  # the worker processes inherit it
    chosen = [v.strip() for v in args.variants.split(",")]
    unknown = sorted(set(chosen) - set(VARIANTS))
    if unknown:
        parser.error(f"--variants: unknown {unknown}; choose from {list(VARIANTS)}")
    pythons = {v: args.old_python if v == "old lingyun" else sys.executable
               for v in VARIANTS if v in chosen}
    if "old lingyun" in pythons and not args.old_python:
        print("old lingyun: not measured (give --old-python, see the module docstring)")
        del pythons["old lingyun"]
    print(f"  {'image':<16}" + "".join(f"{v:>18}" for v in pythons))
    results, peaks = same_pass(pythons, args.runs, scribe, args.scribe_pages)
    names = list(next(iter(results.values()))) if results else []
    medians = {v: statistics.median(s.values()) for v, s in results.items()}
    for variant, median in medians.items():
        print(f"{variant}: median {median:.3f} s/image, peak RSS {peaks[variant]:.0f} MiB")
    layer = results.get("lingyun layer")
    if layer is not None and "bare rapidocr 3" in results:
        bare = results["bare rapidocr 3"]
        ratios = [layer[n] / bare[n] for n in names]
        print(f"lingyun layer / bare: median per image {statistics.median(ratios):.2f}, "
              f"all images {sum(layer.values()) / sum(bare.values()):.2f} (goal <= 1.2)")
    if layer is not None and "old lingyun" in results:
        old = results["old lingyun"]
        ratios = [layer[n] / old[n] for n in names]
        print(f"lingyun layer / old lingyun: medians {medians['lingyun layer']:.3f} / "
              f"{medians['old lingyun']:.3f} = "
              f"{medians['lingyun layer'] / medians['old lingyun']:.2f}; median per image "
              f"{statistics.median(ratios):.2f}, all images "
              f"{sum(layer.values()) / sum(old.values()):.2f} (goal <= 0.2)")
    if not args.no_candidates:
        print("candidates:")
        candidate_figures()
    if not args.no_pool:
        print("engine pool:")
        pool_rates(args.pool_pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
