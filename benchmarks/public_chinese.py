"""A public Chinese set for ``benchmarks/accuracy.py --text-pages``: OmniDocBench's demo pages.

Source: OmniDocBench (OpenDataLab, "OmniDocBench: Benchmarking Diverse PDF Document Parsing
with Comprehensive Annotations", CVPR 2025), the ``demo_data/omnidocbench_demo`` folder of its
GitHub repository (``opendatalab/OmniDocBench``; a fork such as ``invofox/OmniDocBench``
carries the same folder): 18 real page images (book and magazine pages, a research report,
slides, a textbook answer key, newspapers, handwritten notes) with their human annotation in
``OmniDocBench_demo.json``: every layout block with its category, polygon, reading ``order``
and text, and every text line (``line_with_spans``) with its polygon and text.
Licence: the code is Apache-2.0; the data "is for research purposes only and not for
commercial use" (its README's copyright statement).  So the pages are not copied into this
repository: this script turns a clone of it into the layout ``accuracy.py`` reads.

Two sets are written under ``OUT``, from the pages whose ``language`` attribute is
``simplified_chinese`` or ``en_ch_mixed`` (11 of the 18):

* ``OUT/pages/NAME.png`` + ``NAME.txt`` -- the whole page.  Tables, figures, display
  equations and blocks the annotators marked ``abandon``/``ignore`` are painted white (their
  truth is HTML, LaTeX or nothing, not plain text), so the engines are scored on the text
  the truth has.  The truth is the text blocks in the annotators' reading ``order``; the
  unordered page furniture (headers, footers, page numbers, footnotes) goes before the
  ordered text when it lies in the top third of the page, after it otherwise.
* ``OUT/lines/NAME_NNN.png`` + ``.txt`` -- single text lines cut out at their annotated
  polygon (plus a margin of a quarter of the line height), the lines that hold at least four
  CJK characters, at most ``--lines-per-page`` of them per page, evenly spread over it.

Inline LaTeX in the truth is folded to the characters a reader sees (``$ km^{2} $`` ->
``km2``, ``\\textcircled{1}`` -> ``①``); the annotators' tab marks (``\\t``, ``/t``) go.

Run: ``git clone <OmniDocBench> DIR``; ``python benchmarks/public_chinese.py DIR
/work/data/omnidocbench_zh``; then ``python benchmarks/accuracy.py
/work/data/omnidocbench_zh/pages --text-pages --cache /work/data/cache/odb_pages`` (and the
same for ``lines``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

DEMO = Path("demo_data") / "omnidocbench_demo"
LANGUAGES = ("simplified_chinese", "en_ch_mixed")
#: Blocks whose truth is not plain text: painted white on the page.
BLANKED = frozenset({"figure", "table", "equation_isolated", "abandon"})

_CIRCLED = re.compile(r"\\textcircled\{(\d{1,2})\}")
_COMMAND = re.compile(r"\\[a-zA-Z]+")
_CJK = re.compile(r"[\u3400-\u9fff]")


def plain(text: str) -> str:
    """The annotated text as a reader sees it: inline LaTeX folded, tab marks dropped."""
    text = _CIRCLED.sub(lambda m: chr(0x245F + int(m.group(1))) if 0 < int(m.group(1)) <= 20
                        else m.group(1), text)
    text = text.replace("\\t", " ").replace("/t", " ")
    text = _COMMAND.sub("", text)
    for mark in ("$", "^", "_", "{", "}"):
        text = text.replace(mark, "")
    return text


def _rect(poly: list[float]) -> tuple[int, int, int, int]:
    xs, ys = poly[0::2], poly[1::2]
    return int(min(xs)), int(min(ys)), int(max(xs)) + 1, int(max(ys)) + 1


def page_truth(page: dict[str, Any]) -> str:
    """The page's text blocks in reading order, one per line (see the module docstring)."""
    height = page["page_info"]["height"]
    ordered, before, after = [], [], []
    for block in page["layout_dets"]:
        if block["category_type"] in BLANKED or block.get("ignore") or not block.get("text"):
            continue
        if block.get("order") is not None:
            ordered.append((block["order"], plain(block["text"])))
        else:
            top = _rect(block["poly"])[1]
            (before if top < height / 3 else after).append((top, plain(block["text"])))
    return "\n".join(t for _k, t in sorted(before) + sorted(ordered) + sorted(after))


def convert(clone: Path, out: Path, lines_per_page: int) -> tuple[int, int]:
    """Write the page and line sets; returns how many of each."""
    from PIL import Image, ImageDraw

    demo = clone / DEMO
    try:
        pages = json.loads((demo / "OmniDocBench_demo.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SystemExit(f"{demo}/OmniDocBench_demo.json: not there -- is {clone} a clone of "
                         "OmniDocBench?") from None
    (out / "pages").mkdir(parents=True, exist_ok=True)
    (out / "lines").mkdir(parents=True, exist_ok=True)
    n_pages = n_lines = 0
    for page in pages:
        info = page["page_info"]
        if info["page_attribute"]["language"] not in LANGUAGES:
            continue
        name = Path(info["image_path"]).stem.replace(".", "_")
        image = Image.open(demo / "images" / info["image_path"]).convert("RGB")
        source = image.copy()
        draw = ImageDraw.Draw(image)
        for block in page["layout_dets"]:
            if block["category_type"] in BLANKED or block.get("ignore"):
                draw.rectangle(_rect(block["poly"]), fill=(255, 255, 255))
        image.save(out / "pages" / f"{name}.png")
        (out / "pages" / f"{name}.txt").write_text(page_truth(page) + "\n", encoding="utf-8")
        n_pages += 1

        spans = [span for block in page["layout_dets"]
                 if block["category_type"] not in BLANKED and not block.get("ignore")
                 for span in block.get("line_with_spans", [])
                 if span["category_type"] == "text_span"
                 and len(_CJK.findall(span.get("text", ""))) >= 4]
        step = max(len(spans) / max(lines_per_page, 1), 1.0)
        chosen = [spans[int(i * step)] for i in range(min(lines_per_page, len(spans)))]
        for index, span in enumerate(chosen):
            left, top, right, bottom = _rect(span["poly"])
            margin = max((bottom - top) // 4, 2)
            crop = source.crop((max(left - margin, 0), max(top - margin, 0),
                                min(right + margin, source.width),
                                min(bottom + margin, source.height)))
            stem = f"{name}_{index:03d}"
            crop.save(out / "lines" / f"{stem}.png")
            (out / "lines" / f"{stem}.txt").write_text(plain(span["text"]) + "\n",
                                                       encoding="utf-8")
            n_lines += 1
    return n_pages, n_lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("clone", type=Path, help="a clone of the OmniDocBench repository")
    parser.add_argument("out", type=Path)
    parser.add_argument("--lines-per-page", type=int, default=12)
    args = parser.parse_args()
    n_pages, n_lines = convert(args.clone, args.out, args.lines_per_page)
    print(f"{n_pages} pages in {args.out / 'pages'}, {n_lines} lines in {args.out / 'lines'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
