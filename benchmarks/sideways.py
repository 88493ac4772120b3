"""Pages fed sideways: in-order CER of the embedded engine on Scribe pages turned with Pillow.

Each page of the public Scribe OCR benchmark named (``DIR/img/NAME.*`` with
``DIR/ground_truth/NAME*.hocr``) is turned by each angle given (degrees, counter-clockwise
positive, as Pillow's ``rotate``), sent through the engine as a PNG, arranged as the engine
arranges it (:func:`lingyun.service.turned.arrange_page`) and scored against the page's
transcription: character error rate in reading order, white space folded to one space.  It
prints, per page and angle, the CER, the way the engine found the text running (``None``:
across), the seconds, and the text's start.

Run: ``python benchmarks/sideways.py DIR NAME [NAME ...] [--angles 0,90,-90,180]``
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from engine_settings import hocr_text
from public_pages import edit_distance

from lingyun.service.positions import page_text
from lingyun.service.turned import arrange_page


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scribe", type=Path)
    parser.add_argument("names", nargs="+")
    parser.add_argument("--angles", default="0,90,-90,180")
    args = parser.parse_args()

    from PIL import Image

    from lingyun.service.engines.rapidocr import RapidOCREngine

    engine = RapidOCREngine()
    for name in args.names:
        image = sorted((args.scribe / "img").glob(f"{name}.*"))[0]
        truth_file = sorted((args.scribe / "ground_truth").glob(f"{name}*.hocr"))[0]
        truth = " ".join(hocr_text(truth_file.read_text(encoding="utf-8")).split())
        for angle in (int(a) for a in args.angles.split(",")):
            turned = io.BytesIO()
            Image.open(image).convert("RGB").rotate(angle, expand=True).save(turned, "PNG")
            started = time.perf_counter()
            width, height, lines = engine.read_lines(turned.getvalue())
            page = arrange_page(lines, width, height, engine_spaces=True)
            seconds = time.perf_counter() - started
            got = " ".join(page_text(page.blocks).split())
            cer = edit_distance(got, truth) / max(len(truth), 1)
            print(f"{name} {angle:4d}: CER {cer:.3f}, runs {page.way}, {seconds:.1f} s, "
                  f"{got[:60]!r}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
