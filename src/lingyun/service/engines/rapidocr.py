"""The rapidocr engine: real text recognition, offline, for ``text.chinese``/``text.english``.

``rapidocr-onnxruntime`` (the ``lingyun[local]`` extra) ships its three ONNX models
(PP-OCRv4 detection and recognition, a direction classifier) inside its wheel, so nothing
is downloaded at run time.  The model loads once, lazily and under a lock, on the first
request.  ``RapidOCR.__call__`` mutates the instance (thresholds), so calls are serialised
on one instance; onnxruntime already spreads one inference over the CPU cores.

With ``withPosition=1`` the per-character boxes (``return_word_box=True``) become an
``IREAD_NODE`` stream (:mod:`lingyun.service.positions`).
"""

from __future__ import annotations

import importlib.util
import os
import threading
from typing import Any

import numpy as np

from ...digits import BadNumber, parse_uint
from ...errors import ConfigurationError
from ...hookspecs import hookimpl
from ..positions import Box, Glyph, Line, encode_page
from ..validation import Capability, Refusal
from . import Answer, Job

__all__ = ["INSTALL_HINT", "MissingRapidOCR", "RapidOCREngine", "rapidocr_available"]

INSTALL_HINT = "pip install 'lingyun[local]'"
DOCUMENT_TYPES = frozenset({"text.chinese", "text.english"})


def engine_threads() -> int | None:
    """``LINGYUN_ENGINE_THREADS`` as a positive int, or ``None`` (onnxruntime's default)."""
    raw = os.environ.get("LINGYUN_ENGINE_THREADS", "").strip()
    if not raw:
        return None
    try:
        threads = parse_uint(raw, "LINGYUN_ENGINE_THREADS", max_digits=3)
    except BadNumber as exc:
        raise ConfigurationError(str(exc)) from None
    if threads < 1:
        raise ConfigurationError("LINGYUN_ENGINE_THREADS must be at least 1")
    return threads


def rapidocr_available() -> bool:
    """True when ``rapidocr_onnxruntime`` (and OpenCV, which it brings) can be imported."""
    return all(importlib.util.find_spec(m) is not None for m in ("rapidocr_onnxruntime", "cv2"))


def _box(points: Any) -> Box:
    xs = [round(p[0]) for p in points]
    ys = [round(p[1]) for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _glyphs(text: str, score: float, word_boxes: Any, words: Any, confs: Any,
            line_box: Box) -> list[Glyph]:
    """Per-character glyphs; a multi-character token's box is split evenly among its chars."""
    if not words or not word_boxes or len(words) != len(word_boxes):
        words, word_boxes, confs = [text], [line_box], [score]
    glyphs: list[Glyph] = []
    for token, raw_box, conf in zip(words, word_boxes, confs or [score] * len(words),
                                    strict=False):
        box = raw_box if len(raw_box) == 4 and isinstance(raw_box[0], int) else _box(raw_box)
        left, top, right, bottom = box
        chars = list(token) or [" "]
        step = (right - left) / len(chars)
        for i, ch in enumerate(chars):
            glyphs.append(Glyph(ch, (int(left + i * step), top, int(left + (i + 1) * step),
                                     bottom), float(conf)))
    return glyphs


class RapidOCREngine:
    """Reads text with rapidocr; serves ``text.chinese`` and ``text.english``."""

    name = "rapidocr"

    def __init__(self, threads: int | None = None) -> None:
        if not rapidocr_available():
            raise ConfigurationError(
                f"the rapidocr engine needs rapidocr-onnxruntime: {INSTALL_HINT}"
            )
        #: onnxruntime intra-op threads (``None``: its default, every core); an engine pool
        #: sets it per worker process through ``LINGYUN_ENGINE_THREADS``.
        self.threads = threads if threads is not None else engine_threads()
        self._ocr: Any = None
        self._load_lock = threading.Lock()
        self._call_lock = threading.Lock()

    def serves(self, capability: Capability) -> bool:
        return capability.document_type in DOCUMENT_TYPES

    def _engine(self) -> Any:
        if self._ocr is None:
            with self._load_lock:
                if self._ocr is None:
                    from rapidocr_onnxruntime import RapidOCR

                    settings = {} if self.threads is None else {
                        "intra_op_num_threads": self.threads, "inter_op_num_threads": 1}
                    self._ocr = RapidOCR(**settings)
        return self._ocr

    def warm_up(self) -> None:
        """Load the models now (a pool's worker does it before taking requests)."""
        self._engine()

    def decode(self, image: bytes) -> np.ndarray:
        """BGR pixels via :mod:`lingyun.service.imageio`: size checked from the header first,
        transparency on white, any bit depth or colour space, the first frame."""
        from ..imageio import decode

        return decode(image)

    def read_lines(self, image: bytes) -> tuple[int, int, list[Line]]:
        """``(width, height, lines)`` for an encoded image; :class:`BadImage` if undecodable."""
        array = self.decode(image)
        height, width = array.shape[:2]
        engine = self._engine()
        with self._call_lock:
            result, _elapsed = engine(array, return_word_box=True)
        lines = []
        for item in result or ():
            points, text, score = item[0], str(item[1]), float(item[2])
            extra = list(item[3:6]) + [None] * (3 - len(item[3:6]))
            line_box = _box(points)
            lines.append(Line(line_box, _glyphs(text, score, *extra, line_box)))
        return width, height, lines

    def recognise(self, job: Job) -> Answer:
        width, height, lines = self.read_lines(job.image)
        text = "\n".join("".join(g.char for g in line.glyphs) for line in lines)
        positions = encode_page(width, height, lines) if job.capability.with_position else None
        return Answer(data={"forms": {"form": text}}, positions=positions)


class MissingRapidOCR:
    """Stands in for rapidocr in the default engine set when the extra is not installed.

    Without it the replay engine would answer text requests with the vendor's example
    text, which looks like a result and is not one.  This engine answers 260 instead, with
    the exact command to install.
    """

    name = "rapidocr (not installed)"

    def serves(self, capability: Capability) -> bool:
        return capability.document_type in DOCUMENT_TYPES

    def recognise(self, job: Job) -> Answer:
        raise Refusal(260, f"text recognition runs on the rapidocr engine, which is not "
                           f"installed: {INSTALL_HINT}")


@hookimpl
def lingyun_register_engines(register) -> None:
    register("rapidocr", RapidOCREngine)
