"""The rapidocr engine: real text recognition, offline, for ``text.chinese``/``text.english``.

``rapidocr-onnxruntime`` (the ``lingyun[local]`` extra) ships its three ONNX models
(PP-OCRv4 detection and recognition, a direction classifier) inside its wheel, so nothing
is downloaded at run time.  The model loads once, lazily and under a lock, on the first
request.  ``RapidOCR.__call__`` mutates the instance (thresholds), so calls are serialised
on one instance; onnxruntime already spreads one inference over the CPU cores.

The per-character boxes (``return_word_box=True``) are slabs placed by the recogniser's
output columns; :func:`lingyun.geometry.ink.tighten` shrinks them to the ink in the image, so
gaps between words and glyph sizes are real.  Lines are then put in reading order, in blocks,
with word spaces (:func:`lingyun.service.positions.arrange`): the JSON text follows that
order, and with ``withPosition=1`` so does the ``IREAD_NODE`` stream, one REGION per block.
"""

from __future__ import annotations

import importlib.util
import math
import os
import threading
from typing import Any

import numpy as np

from ...digits import BadNumber, parse_uint
from ...errors import ConfigurationError
from ...geometry.ink import ink_mask, snap
from ...hookspecs import hookimpl
from ..positions import Box, Glyph, Line, arrange, encode_page, page_skew, page_text
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


def _angle(points: Any) -> float:
    """Degrees, counter-clockwise positive, of a detected quadrilateral's top edge (its
    points run top-left, top-right, bottom-right, bottom-left; y grows downwards).  A rise of
    one pixel or less is the detector's rounding, not a tilt: 0."""
    (x0, y0), (x1, y1) = points[0][:2], points[1][:2]
    if abs(float(y1) - float(y0)) <= 1:
        return 0.0
    return math.degrees(math.atan2(-(float(y1) - float(y0)), float(x1) - float(x0)))


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
            lines.append(Line(line_box, _glyphs(text, score, *extra, line_box), _angle(points)))
        return width, height, _tightened(array, lines)

    def recognise(self, job: Job) -> Answer:
        width, height, lines = self.read_lines(job.image)
        skew = page_skew(lines)
        blocks = arrange(lines, skew=skew)
        positions = (encode_page(width, height, blocks, skew=skew)
                     if job.capability.with_position else None)
        return Answer(data={"forms": {"form": page_text(blocks)}}, positions=positions)


def _tightened(array: np.ndarray, lines: list[Line]) -> list[Line]:
    """Every non-space glyph box snapped to its ink (:func:`~lingyun.geometry.ink.snap`)."""
    import cv2

    gray = array if array.ndim == 2 else cv2.cvtColor(array, cv2.COLOR_BGR2GRAY)
    inked = [[g for g in line.glyphs if not g.char.isspace()] for line in lines]
    boxes = [g.box for glyphs in inked for g in glyphs]
    if not boxes:
        return lines
    line_of = np.repeat(np.arange(len(lines)), [len(glyphs) for glyphs in inked])
    tight = iter(snap(ink_mask(gray), boxes, line_of).tolist())
    return [Line(line.box, [g if g.char.isspace() else Glyph(g.char, tuple(next(tight)),
                                                              g.confidence)
                            for g in line.glyphs], line.angle) for line in lines]


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
