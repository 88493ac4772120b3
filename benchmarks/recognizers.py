"""Field accuracy of the local recognizers, per document type and per distortion level.

Every image goes the whole way a user's does: the client signs and sends it over HTTP to a
local service whose only engine is ``local-templates`` (rapidocr lines + the recognizer),
and the reply is parsed by the client's own parser.  A field counts as right when it equals
the value the image was rendered with (:mod:`lingyun.recognizers.scoring`).

    python benchmarks/recognizers.py                       # the committed test images
    python benchmarks/recognizers.py --render 25 --seed 7  # a fresh set (needs the fonts)
    python benchmarks/recognizers.py --render 6 --strength 2  # rotated and noisier

Prints a table: documents, fields, fields right, documents with every field right, and the
median time per page; then accuracy by distortion (clean, rotated, noisy, blurred).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from lingyun.client import Client
from lingyun.recognizers.scoring import compare, flatten
from lingyun.service.accounts import Accounts
from lingyun.service.core import ServiceCore
from lingyun.service.engines.templates import TemplateEngine
from lingyun.service.server import LocalServer

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "tests" / "recognizers" / "images"
APP_KEY, DEV_KEY = "bench001", "bench-dev-key"


def distortion_label(distortion: dict[str, float]) -> str:
    parts = [name for name in ("rotation", "noise", "blur") if distortion.get(name)]
    return "+".join(parts) or "clean"


def run(images: Path, show_misses: bool) -> int:
    truths = json.loads((images / "truths.json").read_text(encoding="utf-8"))
    core = ServiceCore(accounts=Accounts({APP_KEY: DEV_KEY}), engines=[TemplateEngine()])
    by_type: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
    by_distortion: dict[str, list[tuple[int, int]]] = defaultdict(list)
    with LocalServer(core) as server, Client(APP_KEY, DEV_KEY, server.url, retries=0) as client:
        for name, truth in sorted(truths.items()):
            started = time.perf_counter()
            result = client.recognize((images / name).read_bytes(), truth["document_type"])
            elapsed = time.perf_counter() - started
            verdict = compare(truth["fields"], flatten(result))
            right = sum(verdict.values())
            by_type[truth["document_type"]].append((right, len(verdict), elapsed))
            by_distortion[distortion_label(truth["distortion"])].append((right, len(verdict)))
            if show_misses and right < len(verdict):
                got = flatten(result)
                misses = {k: (truth["fields"][k], got.get(k)) for k, ok in verdict.items()
                          if not ok}
                print(f"  miss {name}: {misses}", file=sys.stderr)
    print(f"{'document type':<14} {'docs':>5} {'fields':>7} {'right':>6} {'field acc':>9} "
          f"{'docs all right':>15} {'s/page':>7}")
    for document_type, rows in by_type.items():
        right = sum(r for r, _, _ in rows)
        total = sum(t for _, t, _ in rows)
        whole = sum(r == t for r, t, _ in rows)
        seconds = statistics.median(s for _, _, s in rows)
        print(f"{document_type:<14} {len(rows):>5} {total:>7} {right:>6} {right / total:>9.1%} "
              f"{whole:>9}/{len(rows):<5} {seconds:>7.2f}")
    print()
    print(f"{'distortion':<22} {'fields':>7} {'field acc':>9}")
    for label, rows in sorted(by_distortion.items()):
        right = sum(r for r, _ in rows)
        total = sum(t for _, t in rows)
        print(f"{label:<22} {total:>7} {right / total:>9.1%}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=Path, default=IMAGES,
                        help="a directory with PNGs and truths.json (default: the test set)")
    parser.add_argument("--render", type=int, metavar="N",
                        help="render a fresh set of N images per type first (needs fonts)")
    parser.add_argument("--seed", type=int, default=2026, help="seed for --render")
    parser.add_argument("--strength", type=float, default=1.0,
                        help="distortion strength for --render (2 = twice the rotation/noise)")
    parser.add_argument("--misses", action="store_true", help="list every wrong field")
    args = parser.parse_args()
    if args.render is None:
        return run(args.images, args.misses)
    with tempfile.TemporaryDirectory() as directory:
        subprocess.run([sys.executable, str(ROOT / "scripts" / "render_documents.py"),
                        "--out", directory, "--per-type", str(args.render),
                        "--seed", str(args.seed), "--strength", str(args.strength)],
                       check=True)
        return run(Path(directory), args.misses)


if __name__ == "__main__":
    raise SystemExit(main())
