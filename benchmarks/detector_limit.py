"""Which detector resolution reads best, per page: bare rapidocr at several ``limit_side_len``.

The embedded engine brings a page's long side down to 960 pixels for the text detector
(:data:`lingyun.service.engines.rapidocr_models.DETECTOR`).  This runs the bare rapidocr 3
pipeline with those settings and each limit given, on the same images, and prints per image
and limit the order-free character error rate (characters missing or added, as multisets,
white space removed -- recognition without reading order), the number of lines and the
seconds, then the mean per limit.

Truth: ``NAME.txt`` beside the image (a Chinese set written by ``public_chinese.py``) or the
Scribe benchmark's ``ground_truth/NAME*.hocr`` (images without either are left out).

Run: ``python benchmarks/detector_limit.py 960,1280,1600 IMAGE...``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from engine_settings import hocr_text, order_free_cer

from lingyun.service.engines.rapidocr_models import model_paths, rapidocr_params


def truth_of(image: Path) -> str | None:
    """The image's transcription, or ``None`` when it has none."""
    text = image.with_suffix(".txt")
    if text.is_file():
        return text.read_text(encoding="utf-8")
    hocr = sorted((image.parent.parent / "ground_truth").glob(f"{image.stem}*.hocr"))
    return hocr_text(hocr[0].read_text(encoding="utf-8")) if hocr else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("limits", help="comma-separated limit_side_len values, e.g. 960,1280")
    parser.add_argument("images", nargs="+", type=Path)
    parser.add_argument("--max-side", type=int, default=None,
                        help="rapidocr's Global.max_side_len: the page is first brought "
                             "down to this long side (default: the engine's own setting)")
    args = parser.parse_args()

    import cv2
    from rapidocr import RapidOCR

    limits = [int(value) for value in args.limits.split(",")]
    engines = {}
    for limit in limits:
        params = rapidocr_params(model_paths())
        params["Det.limit_side_len"] = limit
        if args.max_side is not None:
            params["Global.max_side_len"] = args.max_side
        engines[limit] = RapidOCR(params=params)
    errors: dict[int, list[float]] = {limit: [] for limit in limits}
    for image in args.images:
        truth = truth_of(image)
        if truth is None:
            print(f"{image.name}: no transcription, left out", file=sys.stderr)
            continue
        pixels = cv2.imread(str(image))
        cells = []
        for limit in limits:
            start = time.perf_counter()
            found = engines[limit](pixels)
            seconds = time.perf_counter() - start
            texts = list(found.txts or ())
            cer = order_free_cer(" ".join(texts), truth)
            errors[limit].append(cer)
            cells.append(f"{limit}: {cer:.3f} / {len(texts)} lines / {seconds:.1f} s")
        print(f"{image.stem[:40]:40} " + " | ".join(cells), flush=True)
    print("mean order-free CER: " + " | ".join(
        f"{limit}: {np.mean(values):.4f}" for limit, values in errors.items() if values))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
