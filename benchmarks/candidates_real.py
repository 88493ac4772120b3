"""Candidates on real pages: how many characters carry two or more, with rising distances.

The embedded engine fills the five ``IREAD_NODE`` slots of each character from the
recogniser's per-column probabilities (:mod:`lingyun.service.engines.candidates`), the
distance byte being ``round(-20 log10 p)`` made to rise with rank
(:func:`lingyun.service.positions.slots`).  For each image given (real scans: e.g. the
OmniDocBench Chinese pages written by ``benchmarks/public_chinese.py``) this runs the
engine as ``lingyun ocr --position`` does -- read, reading order, ``encode_page`` -- decodes
the stream and reports, over every character and over the CJK ones apart:

* the share with >= 2 used slots whose distances strictly rise (goal of issue 14: >= 1/2);
* how many slots are used (a histogram 1..5);
* the distance distribution per slot (quartiles 25/50/75) and, for slot 1 (the character
  read), the share at distance 0 (p >= 0.97);
* when a transcription ``NAME.txt`` lies beside an image (``public_chinese.py`` writes
  them), the characters read wrong -- substitutions of equal length in a ``difflib``
  alignment of each page's text without white space -- and how many of them have the right
  character among their alternatives (slots 2-5): what a spelling or dictionary pass could
  recover from the candidates.

Run: ``python benchmarks/candidates_real.py IMAGE...`` (needs the ``local`` extra).
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import numpy as np

from lingyun.geometry.words import is_wide
from lingyun.iread import decode
from lingyun.service.engines.rapidocr import RapidOCREngine
from lingyun.service.positions import arrange, encode_page, page_skew


def page_slots(engine: RapidOCREngine,
               image: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``(n, 5)`` distances, the ``(n, 5)`` candidate code points and the ``(n,)`` code
    points of every character read, in reading order."""
    width, height, lines = engine.read_lines(image.read_bytes())
    skew = page_skew(lines)
    blocks = arrange(lines, skew=skew, engine_spaces=True)
    layout = decode(encode_page(width, height, blocks, skew=skew))
    distances = layout.chars["distances"].astype(np.int64).reshape(-1, 5)
    candidates = layout.chars["candidates"].astype(np.int64).reshape(-1, 5)
    return distances, candidates, layout.chars["code"].astype(np.int64)


def recoverable(codes: np.ndarray, candidates: np.ndarray, truth: str) -> tuple[int, int]:
    """``(misread, with the truth among the alternatives)`` against ``truth``."""
    read = "".join(chr(c) for c in codes.tolist())
    kept = [i for i, ch in enumerate(read) if not ch.isspace()]
    got = "".join(read[i] for i in kept)
    wanted = "".join(truth.split())
    misread = found = 0
    matcher = difflib.SequenceMatcher(None, got, wanted, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op != "replace" or a1 - a0 != b1 - b0:
            continue
        for offset in range(a1 - a0):
            misread += 1
            found += ord(wanted[b0 + offset]) in candidates[kept[a0 + offset], 1:].tolist()
    return misread, found


def report(label: str, distances: np.ndarray) -> str:
    if not len(distances):
        return f"{label}: no characters"
    used = distances != 255
    rising = np.array([bool(np.all(np.diff(d[u]) > 0)) for d, u in zip(distances, used,
                                                                        strict=True)])
    share = float(((used.sum(axis=1) >= 2) & rising).mean())
    counts = np.bincount(used.sum(axis=1), minlength=6)[1:]
    quartiles = ["/".join(str(int(v)) for v in np.percentile(distances[used[:, k], k],
                                                              [25, 50, 75]))
                 if used[:, k].any() else "-" for k in range(5)]
    exact = float((distances[:, 0] == 0).mean())
    return (f"{label}: {len(distances)} characters, {share:.1%} with >= 2 candidates of "
            f"rising distance; slots used 1..5: {counts.tolist()}; distance quartiles by "
            f"slot {', '.join(quartiles)}; slot 1 at distance 0: {exact:.0%}")


def main() -> int:
    images = [Path(p) for p in sys.argv[1:]]
    if not images:
        raise SystemExit("usage: python benchmarks/candidates_real.py IMAGE...")
    engine = RapidOCREngine()
    every, every_code = [], []
    misread = recovered = 0
    for image in images:
        distances, candidates, codes = page_slots(engine, image)
        every.append(distances)
        every_code.append(codes)
        if image.with_suffix(".txt").is_file():
            wrong, found = recoverable(codes, candidates,
                                       image.with_suffix(".txt").read_text(encoding="utf-8"))
            misread, recovered = misread + wrong, recovered + found
        if len(images) <= 20:
            print(report(image.stem[:40], distances), flush=True)
    distances, codes = np.concatenate(every), np.concatenate(every_code)
    print(report(f"all {len(images)} images", distances))
    print(report("CJK characters only", distances[is_wide(codes)]))
    if misread:
        print(f"misread characters (against the transcriptions): {misread}; the right one "
              f"among the alternatives: {recovered} ({recovered / misread:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
