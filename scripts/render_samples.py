"""Render the sample images shipped in ``src/lingyun/samples`` and their expected text.

Run once by a developer (the PNGs and ``samples.json`` are committed; nothing renders at
install or test time).  It needs Pillow and a CJK font -- on Debian/Ubuntu
``apt-get install fonts-noto-cjk`` -- so the Chinese glyphs are real glyphs, not boxes.

    python scripts/render_samples.py [--font /path/to/font.ttc]

Each sample is black text on white with generous margins, drawn line by line; the line
boxes drawn are recorded in ``samples.json`` beside the expected text so that tests can
check that the position stream's boxes land on the glyphs.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parent.parent / "src" / "lingyun" / "samples"
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)

#: name -> (lang, lines).  Kept short so the engine's run time stays small in tests.
SAMPLES: dict[str, tuple[str, list[str]]] = {
    "chinese": ("chinese_cn", ["北京捷通华声科技"]),
    "english": ("english", ["Hello Lingyun OCR 2017"]),
    "page": ("chinese_cn", ["灵云图像识别服务", "Local service 8880", "文本识别带坐标"]),
}
SIZE = 40
MARGIN = 30
LEADING = 24


def find_font(explicit: str | None) -> str:
    for candidate in (explicit, *FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    raise SystemExit("no CJK font found: apt-get install fonts-noto-cjk, or pass --font")


def render(lines: list[str], font: ImageFont.FreeTypeFont) -> tuple[Image.Image, list[list[int]]]:
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    boxes = [probe.textbbox((0, 0), line, font=font) for line in lines]
    width = max(b[2] for b in boxes) + 2 * MARGIN
    height = 2 * MARGIN + len(lines) * SIZE + (len(lines) - 1) * LEADING + SIZE // 2
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    drawn: list[list[int]] = []
    y = MARGIN
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill="black")
        drawn.append(list(draw.textbbox((MARGIN, y), line, font=font)))
        y += SIZE + LEADING
    return image, drawn


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--font", help="a TrueType/OpenType font with CJK glyphs")
    args = parser.parse_args()
    font = ImageFont.truetype(find_font(args.font), SIZE)
    OUT.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, dict] = {}
    for name, (lang, lines) in SAMPLES.items():
        image, boxes = render(lines, font)
        image.save(OUT / f"{name}.png", optimize=True)
        manifest[name] = {
            "file": f"{name}.png",
            "lang": lang,
            "lines": lines,
            "text": "\n".join(lines),
            "line_boxes": boxes,
            "size": list(image.size),
        }
    (OUT / "samples.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(manifest)} samples to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
