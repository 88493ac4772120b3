"""Render the multi-column, receipt and table test pages of ``tests/geometry/pages``.

Run once by a developer (the PNGs and ``pages.json`` are committed; nothing renders at test
time).  The text is written for this project (no licence question); the fonts are DejaVu
Serif/Sans (Debian ``fonts-dejavu-core``) for Latin text and Noto CJK (``fonts-noto-cjk``)
for Chinese -- a CI that re-renders needs both packages.

    python scripts/render_layout_pages.py

Each page is recorded in ``pages.json`` with its transcription in reading order: columns
top to bottom, left column first; a receipt or table row by row, cells separated by one space
(CJK cells by nothing, as Chinese is written).
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parent.parent / "tests" / "geometry" / "pages"
SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
SERIF_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

ARTICLE = (
    "Glyph geometry tells more than the text alone. Every character the engine reads has a "
    "box, a set of candidates and a distance for each of them. Across thousands of pages these "
    "numbers show how the type was set, where the scanner tilted the sheet and which letters "
    "the model confuses. A reading order that follows the columns keeps sentences whole, so a "
    "search finds the phrase a reader sees on paper. Word spaces matter as much: without them "
    "a bank statement reads as one long word and no index can split it again. The layout also "
    "names its blocks, so a title, a caption and a column can be told apart by any program "
    "that reads the position stream. Small gaps between letters and wide gaps between words "
    "are measured against the size of the type, which keeps the rule the same at any "
    "resolution of the scan."
)
CHINESE = (
    "灵云图像识别服务返回每个字符的位置和候选字。多栏版面按栏阅读，先读完左栏再读右栏，"
    "这样句子不会被拆散。表格和票据按行阅读，每一行的名称和金额保持在一起。字符之间的距离"
    "与字号相比，可以判断英文单词的边界，而中文之间不加空格。几何信息还能估计页面倾斜、行距"
    "和字号，为大批量文档的分析提供依据。"
)
RECEIPT = [("FRESH MARKET", None), ("Whole milk 1L", "2.49"), ("Brown bread", "3.10"),
           ("Green apples", "4.75"), ("Coffee beans", "11.90"), ("Olive oil", "8.30"),
           ("SUBTOTAL", "30.54"), ("TAX", "2.44"), ("TOTAL", "32.98"),
           ("CARD PAYMENT", "32.98")]
TABLE = [("Item", "Qty", "Price"), ("Pencil", "12", "0.40"), ("Notebook", "3", "2.15"),
         ("Eraser", "5", "0.25"), ("Ruler", "2", "1.10")]


def columns_page(name: str, title: str, text: str, font_path: str, *, columns: int,
                 width: int, size: int, chars_per_line: int, cjk: bool) -> dict:
    font = ImageFont.truetype(font_path, size)
    title_font = ImageFont.truetype(SERIF_BOLD if not cjk else font_path, int(size * 1.6))
    margin, gutter, leading = 40, 36, int(size * 1.5)
    column_width = (width - 2 * margin - (columns - 1) * gutter) // columns
    if cjk:
        lines = [text[i:i + chars_per_line] for i in range(0, len(text), chars_per_line)]
    else:
        lines = textwrap.wrap(text, chars_per_line)
    per_column = -(-len(lines) // columns)
    height = margin * 2 + int(size * 1.6) + 30 + per_column * leading
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((margin, margin), title, font=title_font, fill="black")
    top = margin + int(size * 1.6) + 30
    for index, line in enumerate(lines):
        column, row = divmod(index, per_column)
        x = margin + column * (column_width + gutter)
        assert draw.textlength(line, font=font) <= column_width, (name, line)
        draw.text((x, top + row * leading), line, font=font, fill="black")
    image.save(OUT / f"{name}.png", optimize=True)
    return {"file": f"{name}.png", "columns": columns, "lines": [title, *lines]}


def rows_page(name: str, rows: list[tuple], positions: list[int], width: int,
              size: int) -> dict:
    font = ImageFont.truetype(SANS, size)
    margin, leading = 30, int(size * 1.7)
    height = 2 * margin + len(rows) * leading
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    lines = []
    for row_index, row in enumerate(rows):
        y = margin + row_index * leading
        cells = [cell for cell in row if cell is not None]
        for cell, x in zip(cells, positions, strict=False):
            if x < 0:  # right-aligned at -x
                x = -x - int(draw.textlength(cell, font=font))
            draw.text((x, y), cell, font=font, fill="black")
        lines.append(" ".join(cells))
    image.save(OUT / f"{name}.png", optimize=True)
    return {"file": f"{name}.png", "columns": 1, "lines": lines}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    pages = {
        "three_columns": columns_page("three_columns", "Reading Geometry", ARTICLE, SERIF,
                                      columns=3, width=1500, size=20, chars_per_line=36,
                                      cjk=False),
        "two_columns_chinese": columns_page("two_columns_chinese", "版面与阅读顺序", CHINESE, CJK,
                                            columns=2, width=1100, size=24,
                                            chars_per_line=18, cjk=True),
        "receipt": rows_page("receipt", RECEIPT, [30, -470], 500, 22),
        "table": rows_page("table", TABLE, [30, 330, -620], 650, 22),
    }
    for page in pages.values():
        page["text"] = "\n".join(page["lines"])
    (OUT / "pages.json").write_text(json.dumps(pages, ensure_ascii=False, indent=1) + "\n",
                                    encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
