"""The rapidocr engine: real text recognition, offline, for ``text.chinese``/``text.english``.

``rapidocr`` 3.x (the ``lingyun[local]`` extra, with ``onnxruntime``) ships the PP-OCRv6
small detection and recognition models inside its wheel; :mod:`.rapidocr_models` names
them, checks they are there (nothing is downloaded at run time) and holds the detector
settings chosen by measurement.  The models load once, lazily and under a lock, on the first
request, in onnxruntime sessions built here with the execution providers of ``--device``
(:mod:`.providers`; the CPU by default).  ``RapidOCR.__call__`` mutates the instance, so
calls are serialised on one instance; an engine pool runs one instance per process.

Each character comes with its box (``return_single_char_box``: one box per character from
the recognizer's output columns) and its top-five candidates from the recognizer's
per-column probabilities (:mod:`.candidates`).  :func:`lingyun.geometry.ink.snap` shrinks
the boxes to the ink in the image, so gaps between words and glyph sizes are real, and
:func:`.quotes.typeset_quotes` gives a page that prints curly quotes its curly quotes (the
recognizer reads them all as ASCII ones).  A box at least three times as tall as wide is
read both ways up (:mod:`.vertical`), a page of small print gets a second, closer look
from the detector (:mod:`.small_text`), and a page the recognizer is unsure of is read again
turned half a turn (:meth:`RapidOCREngine.read_lines`: a page fed upside down).  Lines
are then put in reading order, in blocks, with word spaces
(:func:`lingyun.service.turned.arrange_page`; the lines of a page whose text runs down, up
or upside down in their own order): the JSON text follows that order, and with
``withPosition=1`` so does the ``IREAD_NODE`` stream, one REGION per block.
"""

from __future__ import annotations

import importlib.util
import math
import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from ...digits import BadNumber, parse_uint
from ...errors import ConfigurationError
from ...geometry.ink import ink_mask, snap
from ...hookspecs import hookimpl
from ..positions import Box, Glyph, Line, encode_page, page_text
from ..turned import arrange_page, turn
from ..validation import Capability, Refusal
from .base import Answer, Job
from .providers import device_from_env, resolve_providers
from .quotes import typeset_quotes
from .rapidocr_models import INSTALL_HINT, model_paths, rapidocr_params
from .small_text import CloserLook
from .vertical import choose, is_tall, map_chars, upright_crop, variants

__all__ = ["INSTALL_HINT", "MissingRapidOCR", "RapidOCREngine", "rapidocr_available"]

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
    """True when ``rapidocr`` 3.x, ``onnxruntime`` and OpenCV (which rapidocr brings) can be
    imported."""
    return all(importlib.util.find_spec(m) is not None
               for m in ("rapidocr", "onnxruntime", "cv2"))


def _box(points: Any) -> Box:
    xs = [round(float(p[0])) for p in points]
    ys = [round(float(p[1])) for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _angle(points: Any) -> float:
    """Degrees, counter-clockwise positive, of a detected quadrilateral's top edge (its
    points run top-left, top-right, bottom-right, bottom-left; y grows downwards).  A rise of
    two pixels or less is the detector's rounding (a pixel at either end of the rectangle it
    fits to the text), not a tilt: 0."""
    (x0, y0), (x1, y1) = points[0][:2], points[1][:2]
    if abs(float(y1) - float(y0)) <= 2:
        return 0.0
    return math.degrees(math.atan2(-(float(y1) - float(y0)), float(x1) - float(x0)))


def _glyphs(text: str, score: float, chars: Sequence[Any],
            candidates: Sequence[Sequence[tuple[str, float]]] | None,
            line_box: Box) -> list[Glyph]:
    """Per-character glyphs from rapidocr's single-character boxes ``(char, conf, quad)``;
    ``candidates[i]`` (the recognizer's ranked classes) belongs to the i-th character.
    Without character boxes, the line box is split evenly among the characters.

    The spaces the recognizer read are kept: rapidocr gives no box for them, so each becomes
    a space glyph between its neighbours (the stream's ``nSpaceBefore``).
    """
    if not chars:
        inked = [ch for ch in text if not ch.isspace()] or [" "]
        left, top, right, bottom = line_box
        step = (right - left) / len(inked)
        chars = [(ch, score, [(left + i * step, top), (left + (i + 1) * step, top),
                              (left + (i + 1) * step, bottom), (left + i * step, bottom)])
                 for i, ch in enumerate(inked)]
    ranked = list(candidates or ())
    if len(ranked) != len(chars):
        ranked = []
    inked_glyphs: list[Glyph] = []
    for i, (char, conf, quad) in enumerate(chars):
        alternatives = tuple(c for c in ranked[i][1:] if c[0] != char) if ranked else ()
        for ch in str(char) or " ":
            inked_glyphs.append(Glyph(ch, _box(quad), float(conf), alternatives))
    return _with_read_spaces(text, inked_glyphs)


def _with_read_spaces(text: str, inked: list[Glyph]) -> list[Glyph]:
    """``inked`` with a space glyph wherever ``text`` has white space between two of its
    characters (only when the characters agree, else ``inked`` as it is)."""
    if [ch for ch in text if not ch.isspace()] != [g.char for g in inked]:
        return inked
    glyphs: list[Glyph] = []
    position = 0
    pending = False
    for ch in text:
        if ch.isspace():
            pending = True
            continue
        glyph = inked[position]
        position += 1
        if pending and glyphs:
            last = glyphs[-1]
            glyphs.append(Glyph(" ", (last.box[2], last.box[1], max(last.box[2], glyph.box[0]),
                                      last.box[3]), 1.0))
        pending = False
        glyphs.append(glyph)
    return glyphs


def _session(path: str, providers: list[str], threads: int | None) -> Any:
    """An onnxruntime session on ``providers`` (threads: intra-op, ``None`` = all cores)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    options.enable_cpu_mem_arena = False  # rapidocr's choice too: lower peak memory
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    if threads is not None:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(path, sess_options=options, providers=providers)


def load_rapidocr(threads: int | None = None, providers: list[str] | None = None) -> Any:
    """A rapidocr ``RapidOCR`` on the shipped PP-OCRv6 small models with the measured
    settings, its sessions on ``providers`` (default: the CPU), the recognizer's decoder
    keeping candidates, and the last recognition kept as ``last_rec`` for
    :meth:`RapidOCREngine.read_lines`."""
    from rapidocr import RapidOCR

    from .candidates import KeepCandidates

    class KeepingRapidOCR(RapidOCR):
        last_rec: Any = None

        def recognize_txt(self, img: list[np.ndarray]) -> Any:
            found = super().recognize_txt(img)
            # a copy: rapidocr replaces these members while it builds its output
            self.last_rec = (tuple(found.txts or ()), tuple(found.scores),
                             tuple(found.word_results))
            return found

    paths = model_paths()
    chosen = providers if providers is not None else ["CPUExecutionProvider"]
    ocr: Any = KeepingRapidOCR(params=rapidocr_params(paths))
    for section, path in ((ocr.cfg.Det, paths.detection), (ocr.cfg.Rec, paths.recognition)):
        section._set_flag("allow_objects", True)  # so rapidocr takes our own session
        section.session = _session(str(path), chosen, threads)
    ocr.text_det = CloserLook(ocr._load_det_model())
    recognizer = ocr._load_rec_model()
    recognizer.postprocess_op = KeepCandidates(recognizer.postprocess_op)
    return ocr


class RapidOCREngine:
    """Reads text with rapidocr; serves ``text.chinese`` and ``text.english``."""

    name = "rapidocr"

    def __init__(self, threads: int | None = None, device: str | None = None) -> None:
        if not rapidocr_available():
            raise ConfigurationError(
                f"the rapidocr engine needs rapidocr 3.x and onnxruntime: {INSTALL_HINT}"
            )
        #: onnxruntime intra-op threads (``None``: its default, every core); an engine pool
        #: sets it per worker process through ``LINGYUN_ENGINE_THREADS``.
        self.threads = threads if threads is not None else engine_threads()
        #: onnxruntime execution providers, from ``device`` or ``LINGYUN_DEVICE`` (checked
        #: now: an absent provider is a configuration error at start, not at the first page)
        self.providers = resolve_providers(device if device is not None else device_from_env())
        model_paths()  # the models are checked at start too
        self._ocr: Any = None
        self._load_lock = threading.Lock()
        self._call_lock = threading.Lock()

    def serves(self, capability: Capability) -> bool:
        return capability.document_type in DOCUMENT_TYPES

    def _engine(self) -> Any:
        if self._ocr is None:
            with self._load_lock:
                if self._ocr is None:
                    self._ocr = load_rapidocr(self.threads, self.providers)
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
        """``(width, height, lines)`` for an encoded image; :class:`BadImage` if undecodable.

        A page the recognizer is unsure of (the median of its characters' probabilities
        under :data:`UNSURE`) is read again turned half a turn; when that reading is surer by
        more than :data:`TURN_MARGIN`, it is kept, its boxes turned back into the image's
        pixels, each line's glyphs still in reading order -- a page fed in upside down reads
        as it should (:mod:`lingyun.service.turned` then orders its lines).
        """
        array = self.decode(image)
        height, width = array.shape[:2]
        lines = self._page_lines(array)
        certainty = _median_certainty(lines)
        if certainty < UNSURE:
            over = self._page_lines(np.ascontiguousarray(array[::-1, ::-1]))
            if _median_certainty(over) > certainty + TURN_MARGIN:
                lines = turn(over, "over", width, height)  # boxes back in the page's pixels
        return width, height, lines

    def _page_lines(self, array: np.ndarray) -> list[Line]:
        """The lines of a BGR page, glyphs snapped to the ink, quotes typeset."""
        mask = page_ink(array)
        return typeset_quotes(mask, tightened(array, self.read_array(array), mask))

    def read_array(self, array: np.ndarray) -> list[Line]:
        """The lines rapidocr reads in a BGR array, with character boxes and candidates, in
        detection order (not yet snapped to the ink)."""
        engine = self._engine()
        with self._call_lock:
            engine.last_rec = None
            result = engine(array, return_word_box=True, return_single_char_box=True)
            recognized = engine.last_rec
        boxes, txts = getattr(result, "boxes", None), getattr(result, "txts", None)
        if boxes is None or txts is None or len(txts) == 0:
            return []
        texts = [str(text) for text in txts]
        scores = [float(score) for score in result.scores]
        words = list(result.word_results or ())
        chars: list[Sequence[Any]] = [
            words[i] if len(words) == len(texts) else () for i in range(len(texts))]
        ranked = _kept_candidates(recognized, engine.text_score, len(txts))
        tall = [i for i, points in enumerate(boxes) if is_tall(points)]
        if tall:
            with self._call_lock:
                found = _reread_tall(engine, array, [boxes[i] for i in tall],
                                     [scores[i] for i in tall], [texts[i] for i in tall])
            for i, reading in zip(tall, found, strict=True):
                if reading is not None:
                    texts[i], scores[i], chars[i], ranked[i] = reading
        lines = []
        for i, points in enumerate(boxes):
            line_box = _box(points)
            lines.append(Line(line_box, _glyphs(texts[i], scores[i], chars[i], ranked[i],
                                                line_box), _angle(points)))
        return lines

    def recognize(self, job: Job) -> Answer:
        width, height, lines = self.read_lines(job.image)
        page = arrange_page(lines, width, height, engine_spaces=True)
        positions = (encode_page(width, height, page.blocks, skew=page.skew,
                                 vertical=page.way in ("down", "up"))
                     if job.capability.with_position else None)
        return Answer(data={"forms": {"form": page_text(page.blocks)}}, positions=positions)


Reading = tuple[str, float, list[tuple[str, float, list[list[float]]]],
                list[list[tuple[str, float]]] | None]


def _reread_tall(engine: Any, array: np.ndarray, boxes: Sequence[Any],
                 scores: Sequence[float], texts: Sequence[str]) -> list[Reading | None]:
    """Tall boxes read each way (:mod:`.vertical`): for each, ``None`` when rapidocr's own
    reading stays, else ``(text, score, chars, candidates)`` of the better one, its
    characters' quadrilaterals on the page."""
    from rapidocr.ch_ppocr_rec.typings import TextRecInput

    crops = [upright_crop(array, points) for points in boxes]
    strips = [variants(crop) for crop, _ in crops]
    images = [strip.image for found in strips for strip in found[1:]]
    if not images:
        return [None] * len(boxes)
    read = engine.text_rec(TextRecInput(img=images, return_word_box=True))
    results = iter(zip(read.txts, read.scores, read.word_results, strict=True))
    readings: list[Reading | None] = []
    for (crop, back), found, score, text in zip(crops, strips, scores, texts, strict=True):
        others = [next(results) for _ in found[1:]]
        pick = choose([score, *(float(s) for _, s, _ in others)],
                      [text, *(str(t) for t, _, _ in others)])
        if pick == 0:
            readings.append(None)
            continue
        got, got_score, info = others[pick - 1]
        strip = found[pick]
        letters = [ch for word in info.words for ch in word]
        columns = [col for cols in info.word_cols for col in cols]
        ranked = list(getattr(info, "candidates", None) or ())
        if len(letters) != len(columns) or not letters or info.line_txt_len <= 0:
            readings.append(None)
            continue
        step = strip.image.shape[1] / info.line_txt_len
        quads = map_chars(strip, (crop.shape[1], crop.shape[0]),
                          [(col + 0.5) * step for col in columns], back)
        if len(ranked) != len(letters):
            ranked = []
        confidences = [ranked[k][0][1] if ranked and ranked[k] else float(got_score)
                       for k in range(len(letters))]
        readings.append((str(got), float(got_score),
                         list(zip(letters, confidences, quads, strict=True)),
                         ranked or None))
    return readings


def _kept_candidates(recognized: Any, text_score: float,
                     count: int) -> list[list[list[tuple[str, float]]] | None]:
    """Per output line, the candidates the decoder kept for it.

    rapidocr drops a recognized line whose text is blank, then one scoring under
    ``text_score``, keeping the order; the same rule picks the same lines here.  When the
    count still disagrees, no line gets candidates (the glyphs keep one candidate each).
    """
    if recognized is None:
        return [None] * count
    kept = [info for text, score, info in zip(*recognized, strict=False)
            if str(text).strip() and score >= text_score]
    if len(kept) != count:
        return [None] * count
    return [getattr(info, "candidates", None) for info in kept]


#: the median character probability under which a page is read again upside down: pages
#: read the right way up measured 0.996 or more (the 40 public pages, handwriting
#: included), pages read upside down 0.66 to 0.76
UNSURE = 0.9
#: how much surer (median character probability) the upside-down reading must be to be kept
TURN_MARGIN = 0.1


def _median_certainty(lines: Sequence[Line]) -> float:
    """The median probability of the lines' characters (0 for no characters)."""
    found = [g.confidence for line in lines for g in line.glyphs if not g.char.isspace()]
    return float(np.median(found)) if found else 0.0


def page_ink(array: np.ndarray) -> np.ndarray:
    """The ink of a grey or BGR page (:func:`~lingyun.geometry.ink.ink_mask`)."""
    import cv2

    return ink_mask(array if array.ndim == 2 else cv2.cvtColor(array, cv2.COLOR_BGR2GRAY))


def tightened(array: np.ndarray, lines: list[Line], mask: np.ndarray | None = None) -> list[Line]:
    """Every non-space glyph box snapped to its ink (:func:`~lingyun.geometry.ink.snap`);
    ``mask``: the page's ink when the caller has it (else taken from ``array``)."""
    inked = [[g for g in line.glyphs if not g.char.isspace()] for line in lines]
    boxes = [g.box for glyphs in inked for g in glyphs]
    if not boxes:
        return lines
    line_of = np.repeat(np.arange(len(lines)), [len(glyphs) for glyphs in inked])
    tight = iter(snap(page_ink(array) if mask is None else mask, boxes, line_of).tolist())
    return [Line(line.box, [g if g.char.isspace() else Glyph(g.char, tuple(next(tight)),
                                                              g.confidence, g.candidates)
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

    def recognize(self, job: Job) -> Answer:
        raise Refusal(260, f"text recognition runs on the rapidocr engine, which is not "
                           f"installed: {INSTALL_HINT}")


@hookimpl
def lingyun_register_engines(register: Any) -> None:
    register("rapidocr", RapidOCREngine)
