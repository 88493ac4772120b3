"""Character error rate of the embedded engine on the layout test pages, before and after.

"Before" is the engine's text as it was before reading order: lines in detection order,
characters as recognized (no added word spaces).  "After" is what the service answers now
(:func:`lingyun.service.positions.arrange`, deskewed by :func:`page_skew`).  Each page is
also read rotated by 3 degrees counter-clockwise (OpenCV), to show the deskew at work.
Needs the ``local`` extra.

    python scripts/layout_cer.py [PAGES_DIR]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.service.test_rapidocr_e2e import cer  # noqa: E402

from lingyun.service.engines.rapidocr import RapidOCREngine  # noqa: E402
from lingyun.service.positions import arrange, page_skew, page_text  # noqa: E402

ROTATION = 3.0


def rotated(png: bytes, degrees: float) -> bytes:
    """The image turned ``degrees`` counter-clockwise on a white margin, as PNG bytes."""
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    image = cv2.copyMakeBorder(image, 80, 80, 40, 40, cv2.BORDER_CONSTANT,
                               value=(255, 255, 255))
    centre = (image.shape[1] / 2, image.shape[0] / 2)
    matrix = cv2.getRotationMatrix2D(centre, degrees, 1.0)
    turned = cv2.warpAffine(image, matrix, (image.shape[1], image.shape[0]),
                            borderValue=(255, 255, 255))
    return cv2.imencode(".png", turned)[1].tobytes()


def main() -> int:
    pages_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests/geometry/pages"
    pages = json.loads((pages_dir / "pages.json").read_text(encoding="utf-8"))
    engine = RapidOCREngine()
    print(f"{'page':34} {'chars':>6} {'CER before':>11} {'CER after':>10} {'skew found':>10}")
    for name, info in pages.items():
        png = (pages_dir / info["file"]).read_bytes()
        for label, image in ((name, png), (f"{name} rotated {ROTATION:g} deg",
                                           rotated(png, ROTATION))):
            _w, _h, lines = engine.read_lines(image)
            before = "\n".join("".join(g.char for g in line.glyphs) for line in lines)
            skew = page_skew(lines)
            after = page_text(arrange(lines, skew=skew))
            print(f"{label:34} {len(info['text']):6d} {cer(before, info['text']):11.3f} "
                  f"{cer(after, info['text']):10.3f} {skew:10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
