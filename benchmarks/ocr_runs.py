"""Run the peers of ``benchmarks/accuracy.py`` once per image and keep what they read.

Recognition is the slow part of an accuracy run (seconds per page on this machine); the
reading order, word spacing and scoring are fast.  So each engine runs once per image and its
output is cached as a file under ``CACHE/ENGINE/NAME.*``; a later run (another layout
setting, another metric) reads the cache.  Delete the directory to measure again.

* ``rapidocr3``: bare ``rapidocr`` 3.x with the PP-OCRv6 *small* detection and recognition
  models shipped inside its wheel (``rapidocr/models/``; nothing downloaded) and the embedded
  engine's detector settings (``rapidocr_models.rapidocr_params``: ImageNet mean/std,
  ``limit_type max 960``, box threshold 0.2, unclip ratio 1.4, no dilation, no angle
  classifier), ``return_word_box=True``.  Cached as JSON:
  one entry per detected line, in the engine's order, with its four corner points, text,
  score and the engine's words (text, score, four points).
* ``embedded`` (cached under ``lingyun/``): the embedded engine itself
  (:class:`RapidOCREngine`, the same models and settings), its lines as
  :meth:`~RapidOCREngine.read_lines` gives them to the reading order: the recognizer's
  character boxes snapped to the ink and the spaces it read.  Cached as JSON: per line its
  box, angle and glyphs ``[char, [left, top, right, bottom], score]``.
* ``tesseract``: the ``tesseract`` CLI (``apt-get install tesseract-ocr
  tesseract-ocr-chi-sim``), default page segmentation (its own layout analysis), hOCR out.

Run alone to fill the cache: ``python benchmarks/ocr_runs.py CACHE IMAGE...``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

_engine: Any = None


def _rapidocr() -> Any:
    """Bare rapidocr 3 with exactly the embedded engine's models and detector settings
    (:func:`lingyun.service.engines.rapidocr_models.rapidocr_params`), so a settings change
    there is measured here too."""
    global _engine
    if _engine is None:
        from rapidocr import RapidOCR

        from lingyun.service.engines.rapidocr_models import model_paths, rapidocr_params

        _engine = RapidOCR(params=rapidocr_params(model_paths()))
    return _engine


def _points(points: Any) -> list[list[float]]:
    return [[round(float(x), 1), round(float(y), 1)] for x, y in points]


def rapidocr3(image: Path, cache: Path) -> dict[str, Any]:
    """The bare rapidocr-3 reading of ``image`` (see the module docstring), cached."""
    target = cache / "rapidocr3" / f"{image.stem}.json"
    if target.exists():
        return json.loads(target.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    import cv2

    pixels = cv2.imread(str(image), cv2.IMREAD_COLOR)
    if pixels is None:
        raise SystemExit(f"{image}: not an image OpenCV can read")
    started = time.perf_counter()
    out = _rapidocr()(pixels, return_word_box=True)
    seconds = time.perf_counter() - started
    lines = []
    words_of = out.word_results or ()
    for index, (points, text, score) in enumerate(zip(out.boxes if out.boxes is not None else (),
                                                      out.txts or (), out.scores or (),
                                                      strict=True)):
        words = words_of[index] if index < len(words_of) else ()
        lines.append({"points": _points(points), "text": str(text), "score": float(score),
                      "words": [{"text": str(w[0]), "score": float(w[1]),
                                 "points": _points(w[2])} for w in words]})
    found = {"width": int(pixels.shape[1]), "height": int(pixels.shape[0]),
             "seconds": round(seconds, 3), "lines": lines}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    return found


_lingyun: Any = None


def embedded(image: Path, cache: Path) -> dict[str, Any]:
    """The embedded engine's lines for ``image`` before reading order (see the module
    docstring), cached."""
    global _lingyun
    target = cache / "lingyun" / f"{image.stem}.json"
    if target.exists():
        return json.loads(target.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    if _lingyun is None:
        from lingyun.service.engines.rapidocr import RapidOCREngine

        _lingyun = RapidOCREngine()
    started = time.perf_counter()
    width, height, lines = _lingyun.read_lines(image.read_bytes())
    seconds = time.perf_counter() - started
    found = {"width": width, "height": height, "seconds": round(seconds, 3),
             "lines": [{"box": list(line.box), "angle": line.angle,
                        "glyphs": [[g.char, list(g.box), round(g.confidence, 4)]
                                   for g in line.glyphs]} for line in lines]}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    return found


def tesseract(image: Path, cache: Path, lang: str = "eng") -> str:
    """Tesseract's hOCR for ``image`` (its own page layout), cached."""
    target = cache / f"tesseract-{lang}" / f"{image.stem}.hocr"
    if target.exists():
        return target.read_text(encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        subprocess.run(["tesseract", str(image), str(target.with_suffix("")), "-l", lang,
                        "hocr"], check=True, capture_output=True, env=env, timeout=600)
    except FileNotFoundError:
        raise SystemExit("tesseract is not installed: apt-get install tesseract-ocr "
                         "tesseract-ocr-chi-sim") from None
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"tesseract failed on {image}: {exc.stderr.decode()[-300:]}") from None
    return target.read_text(encoding="utf-8")


def main() -> int:
    cache = Path(sys.argv[1])
    lang = os.environ.get("TESS_LANG", "eng")
    for name in sys.argv[2:]:
        image = Path(name)
        started = time.perf_counter()
        rapidocr3(image, cache)
        embedded(image, cache)
        tesseract(image, cache, lang)
        print(f"{image.name}: {time.perf_counter() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
