"""The Scribe OCR benchmark's word accuracy, the same rule as its ``run_eval.js``, in Python.

``run_eval.js`` (github.com/scribeocr/ocr-benchmark) calls scribe.js ``compareOCR`` with
``ignorePunct = true`` and the default ``ignoreCap = false``; the rule lives in
``compareOCRPageImp`` (scribe.js ``js/worker/compareOCRModule.js``, mode ``stats``).  Written
out, for a candidate page A and the truth page B, both lists of lines of words with boxes:

* for every line of A (in A's order) and every line of B whose box overlaps it vertically
  (neither is wholly below the other), with a word pointer ``min_b`` reset to 0 per pair:
* each word of A, its box shrunk by 10 % of its height at top and bottom (hOCR words have
  visual coordinates), is compared with the words of B from ``min_b`` on, shrunk the same:
  if A's left is past B's right, ``min_b`` moves on; if B's left is past A's right, skip;
  if they do not overlap vertically, skip; otherwise both words *overlap*, and when their
  texts are equal -- ligatures expanded, and (ignorePunct) every non-word character that
  has a non-digit (or the word's end) on both sides deleted -- the truth word is *correct*;
* words of either side that are punctuation only (nothing left after deleting ``[\\W_]``,
  ASCII classes as in JavaScript) are dropped from every count.

A page's figures: ``total`` truth words, ``correct`` truth words matched by a candidate word,
``incorrect`` truth words overlapped but never matched, ``missed`` truth words nothing
overlapped, ``extra`` candidate words that overlapped no truth word.  The benchmark's
accuracy of a page is ``correct / total`` and its summary is the plain mean of the pages'
accuracies (``util/summarize.js``).  Reading order does not enter: words are matched by
position and text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

__all__ = ["Page", "PageStats", "Word", "compare", "parse_hocr", "punct_only"]

Box = tuple[int, int, int, int]  # left, top, right, bottom

_LIGATURES = {"\u0132": "IJ", "\u0133": "ij", "\u0149": "\u02bcn", "\u01f1": "DZ",
              "\u01f2": "Dz", "\u01f3": "dz", "\u01c4": "D\u017d", "\u01c5": "D\u017e",
              "\u01c6": "d\u017e", "\u01c7": "LJ", "\u01c8": "Lj", "\u01c9": "lj",
              "\u01ca": "NJ", "\u01cb": "Nj", "\u01cc": "nj", "\ufb00": "ff",
              "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "\u017ft", "\ufb06": "st"}
_LIGATURE_RE = re.compile("|".join(map(re.escape, _LIGATURES)))
_PUNCT_ONLY = re.compile(r"[\W_]", re.ASCII)
_PUNCT_IN_WORD = re.compile(r"(^|\D)[\W_]($|\D)", re.ASCII)


@dataclass(frozen=True)
class Word:
    text: str
    box: Box


Page = list[list[Word]]  # lines of words


@dataclass(frozen=True)
class PageStats:
    total: int
    correct: int
    incorrect: int
    missed: int
    extra: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0


def punct_only(text: str) -> bool:
    return not _PUNCT_ONLY.sub("", text)


def _comparable(text: str) -> str:
    text = _LIGATURE_RE.sub(lambda m: _LIGATURES[m.group(0)], text)
    return _PUNCT_IN_WORD.sub(r"\1\2", text)


def _core(box: Box) -> Box:
    height = box[3] - box[1]
    trim = _js_round(height * 0.1)
    return box[0], box[1] + trim, box[2], box[3] - trim


def _js_round(value: float) -> int:
    """JavaScript's ``Math.round`` (halves go up), not Python's banker's rounding."""
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


def _line_box(line: list[Word]) -> Box:
    return (min(w.box[0] for w in line), min(w.box[1] for w in line),
            max(w.box[2] for w in line), max(w.box[3] for w in line))


def compare(candidate: Page, truth: Page) -> PageStats:
    """Scribe's ``compareOCRPageImp`` statistics of ``candidate`` against ``truth``."""
    overlap_a: set[tuple[int, int]] = set()
    overlap_b: set[tuple[int, int]] = set()
    correct_b: set[tuple[int, int]] = set()
    lines_b = [(j, line, _line_box(line)) for j, line in enumerate(truth) if line]
    cores_b = {j: [_core(w.box) for w in line] for j, line, _ in lines_b}
    texts_b = {j: [_comparable(w.text) for w in line] for j, line, _ in lines_b}
    for i, line_a in enumerate(candidate):
        if not line_a:
            continue
        box_a = _line_box(line_a)
        cores_a = [_core(w.box) for w in line_a]
        texts_a = [_comparable(w.text) for w in line_a]
        for j, line_b, box_b in lines_b:
            if box_a[1] > box_b[3] or box_b[1] > box_a[3]:
                continue
            min_b = 0
            for k, core_a in enumerate(cores_a):
                for m in range(min_b, len(line_b)):
                    core_b = cores_b[j][m]
                    if core_a[0] > core_b[2]:
                        min_b += 1
                        continue
                    if core_b[0] > core_a[2]:
                        continue
                    if core_a[1] > core_b[3] or core_b[1] > core_a[3]:
                        continue
                    overlap_a.add((i, k))
                    overlap_b.add((j, m))
                    if texts_a[k] == texts_b[j][m]:
                        correct_b.add((j, m))
    all_a = {(i, k) for i, line in enumerate(candidate) for k, w in enumerate(line)
             if not punct_only(w.text)}
    all_b = {(j, m) for j, line in enumerate(truth) for m, w in enumerate(line)
             if not punct_only(w.text)}
    overlap_a &= all_a
    overlap_b &= all_b
    correct_b &= all_b
    return PageStats(total=len(all_b), correct=len(correct_b),
                     incorrect=len(overlap_b) - len(correct_b),
                     missed=len(all_b) - len(overlap_b), extra=len(all_a) - len(overlap_a))


_ELEMENT = re.compile(r"<(\w+)\b([^>]*)>", re.S)
_CLASS = re.compile(r"class=['\"]([^'\"]+)['\"]")
_BBOX = re.compile(r"bbox\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)")
_TAG = re.compile(r"<[^>]+>")


def parse_hocr(text: str) -> Page:
    """Lines of words (text, bbox) of an hOCR page, in file order.

    A word is an ``ocrx_word`` element (its text is everything up to its closing tag, tags
    removed, entities decoded); a line is any ``ocr_line``-like element (``ocr_line``,
    ``ocr_caption``, ``ocr_header``, ``ocr_textfloat``) holding words.
    """
    lines: Page = []
    position = 0
    for match in _ELEMENT.finditer(text):
        if match.start() < position:
            continue
        classes = _CLASS.search(match.group(2))
        if not classes:
            continue
        kind = classes.group(1).split()
        if {"ocr_line", "ocr_caption", "ocr_header", "ocr_textfloat"} & set(kind):
            lines.append([])
        elif "ocrx_word" in kind:
            box = _BBOX.search(match.group(2))
            close = text.find(f"</{match.group(1)}>", match.end())
            if close < 0:
                raise ValueError(f"hOCR: word at offset {match.start()} is never closed")
            inner = html.unescape(_TAG.sub("", text[match.end():close])).strip()
            position = close
            if box is None or not inner:
                continue
            if not lines:
                lines.append([])
            left, top, right, bottom = (int(v) for v in box.groups())
            lines[-1].append(Word(inner, (left, top, right, bottom)))
    return [line for line in lines if line]
