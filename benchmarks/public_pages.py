"""The embedded engine on public OCR test pages with published transcriptions.

The pages are not in this repository (their licence does not allow it): point the script at
a directory with ``img/NAME.png|jpg`` and ``ground_truth/NAME.truth.hocr`` -- the layout of
the Scribe OCR benchmark (github.com/scribeocr/ocr-benchmark), whose multi-column, receipt
and table pages are what reading order is for.

For each page it reports, before (lines in detection order, no added spaces -- the engine
as it was) and after reading order and word gaps (what the service answers now):

* **CER**: character error rate against the transcription in its file order (lines joined by
  newlines, runs of white space folded to one) -- sensitive to reading order;
* **word F1**: the F1 of the two bags of words -- insensitive to order, so it shows how much
  of the CER is order rather than recognition.

Run: ``python benchmarks/public_pages.py DIR [NAME_PREFIX ...]`` (needs the ``local`` extra).
"""

from __future__ import annotations

import collections
import html
import re
import sys
import time
from pathlib import Path

import numpy as np

from lingyun.service.engines.rapidocr import RapidOCREngine
from lingyun.service.positions import arrange, page_skew, page_text

_LINE = re.compile(r"class=['\"]ocr_line['\"].*?(?=class=['\"]ocr_line['\"]|\Z)", re.S)
_WORD = re.compile(r"class=['\"]ocrx_word['\"][^>]*>(.*?)</span>", re.S)
_TAG = re.compile(r"<[^>]+>")


def truth_text(hocr: str) -> str:
    lines = []
    for block in _LINE.findall(hocr):
        words = [html.unescape(_TAG.sub("", w)).strip() for w in _WORD.findall(block)]
        words = [w for w in words if w]
        if words:
            lines.append(" ".join(words))
    return "\n".join(lines)


def fold(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text.strip())


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy pass per character of ``a``."""
    if not a or not b:
        return max(len(a), len(b))
    codes_b = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    ramp = np.arange(len(b) + 1)
    row = ramp.copy()
    for ch in a:
        diagonal = row[:-1] + (codes_b != ord(ch))
        best = np.minimum(diagonal, row[1:] + 1)
        new = np.empty_like(row)
        new[0] = row[0] + 1
        new[1:] = best
        # insertions: new[j] = min(new[j], new[j-1] + 1), as a running minimum
        row = np.minimum.accumulate(new - ramp) + ramp
    return int(row[-1])


def word_f1(got: str, expected: str) -> float:
    a, b = collections.Counter(got.split()), collections.Counter(expected.split())
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def main() -> int:
    root = Path(sys.argv[1])
    prefixes = tuple(sys.argv[2:]) or ("",)
    engine = RapidOCREngine()
    print("| page | chars | CER before | CER after | word F1 before | word F1 after | s |")
    print("|---|---|---|---|---|---|---|")
    totals = collections.defaultdict(float)
    for truth_file in sorted((root / "ground_truth").glob("*.hocr")):
        name = truth_file.name.split(".")[0]
        if not name.startswith(prefixes):
            continue
        images = [p for p in (root / "img").glob(f"{name}.*")]
        if not images:
            continue
        expected = fold(truth_text(truth_file.read_text(encoding="utf-8")))
        started = time.perf_counter()
        _w, _h, lines = engine.read_lines(images[0].read_bytes())
        seconds = time.perf_counter() - started
        before = fold("\n".join("".join(g.char for g in line.glyphs) for line in lines))
        after = fold(page_text(arrange(lines, skew=page_skew(lines))))
        row = (edit_distance(before, expected) / len(expected),
               edit_distance(after, expected) / len(expected),
               word_f1(before, expected), word_f1(after, expected))
        for key, value in zip(("cer_b", "cer_a", "f1_b", "f1_a"), row, strict=True):
            totals[key] += value
        totals["pages"] += 1
        print(f"| {name} | {len(expected)} | {row[0]:.3f} | {row[1]:.3f} | {row[2]:.3f} | "
              f"{row[3]:.3f} | {seconds:.1f} |")
    n = totals["pages"] or 1
    print(f"| **mean of {int(n)}** | | {totals['cer_b'] / n:.3f} | {totals['cer_a'] / n:.3f} "
          f"| {totals['f1_b'] / n:.3f} | {totals['f1_a'] / n:.3f} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
