"""Character error rate of the embedded engine on the layout test pages, before and after.

"Before" is the engine's text as it was before reading order: lines in detection order,
characters as recognised (no added word spaces).  "After" is what the service answers now
(:func:`lingyun.service.positions.arrange`).  Needs the ``local`` extra.

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
from lingyun.service.positions import arrange, page_text  # noqa: E402


def main() -> int:
    pages_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests/geometry/pages"
    pages = json.loads((pages_dir / "pages.json").read_text(encoding="utf-8"))
    engine = RapidOCREngine()
    print(f"{'page':22} {'chars':>6} {'CER before':>11} {'CER after':>10}")
    for name, info in pages.items():
        _w, _h, lines = engine.read_lines((pages_dir / info["file"]).read_bytes())
        before = "\n".join("".join(g.char for g in line.glyphs) for line in lines)
        after = page_text(arrange(lines))
        print(f"{name:22} {len(info['text']):6d} {cer(before, info['text']):11.3f} "
              f"{cer(after, info['text']):10.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
