"""Word boundaries from the gaps between characters, relative to the characters' size.

Recognisers trained on Chinese often drop the spaces of English text (``FIRSTCHEQUING``);
the boxes still show them.  Within a line, the gap before character ``i`` is

    gap[i] = left[i] - right[i-1]

and the line's character size is ``size = median(bottom - top)`` over its characters.  A
word starts at ``i`` when ``gap[i] >= word_gap * size`` -- letter spacing is a small fraction
of the type size, a word space about a third of it, so the ratio separates them whatever the
resolution.  Between two wide (CJK, full-width) characters no space is ever inserted: such
scripts are written without spaces, and a wide gap there is layout, not a word boundary.
"""

from __future__ import annotations

import numpy as np

from ._segments import group_median, previous_in_group
from .errors import GeometryError
from .order import as_boxes

__all__ = ["WORD_GAP", "character_gaps", "is_wide", "word_starts"]

#: Default threshold: a gap of at least this many character sizes separates words.
WORD_GAP = 0.35


def is_wide(codes: object) -> np.ndarray:
    """True for characters of scripts written without spaces between words.

    Code points from U+2E80 (CJK radicals) to U+D7FF (Hangul), the CJK compatibility block
    U+F900-U+FAFF, full-width forms U+FF00-U+FF60 and U+FFE0-U+FFE6, and everything beyond
    the BMP from U+20000 (CJK extensions).
    """
    c = np.asarray(codes, dtype=np.int64)
    return (((c >= 0x2E80) & (c <= 0xD7FF)) | ((c >= 0xF900) & (c <= 0xFAFF))
            | ((c >= 0xFF00) & (c <= 0xFF60)) | ((c >= 0xFFE0) & (c <= 0xFFE6))
            | (c >= 0x20000))


def _line_index(line: object, n: int) -> np.ndarray:
    index = np.asarray(line)
    if index.shape != (n,) or (n and not np.issubdtype(index.dtype, np.integer)):
        raise GeometryError(f"line: expected {n} integers, got {index.dtype} {index.shape}")
    if n > 1 and bool(np.any(index[1:] < index[:-1])):
        raise GeometryError("line: characters must be stored line by line (non-decreasing)")
    return index.astype(np.int64)


def character_gaps(boxes: object, line: object) -> np.ndarray:
    """``left[i] - right[i-1]`` within each line; NaN for a line's first character."""
    box = as_boxes(boxes)
    index = _line_index(line, box.shape[0])
    previous = previous_in_group(index)
    gap = np.full(box.shape[0], np.nan)
    has = previous >= 0
    gap[has] = box[has, 0] - box[previous[has], 2]
    return gap


def word_starts(boxes: object, line: object, codes: object = None, *,
                word_gap: float = WORD_GAP) -> np.ndarray:
    """True for each character that begins a new word (never a line's first character).

    ``boxes`` are the characters' ``(n, 4)`` boxes stored line by line, ``line`` their line
    index, ``codes`` (optional) their code points, used to keep CJK text unspaced.
    """
    box = as_boxes(boxes)
    index = _line_index(line, box.shape[0])
    gap = character_gaps(box, index)
    if index.size == 0:
        return np.zeros(0, dtype=bool)
    dense = np.unique(index, return_inverse=True)[1]
    size = group_median(dense, box[:, 3] - box[:, 1], int(dense.max()) + 1)[dense]
    starts = np.nan_to_num(gap, nan=-np.inf) >= word_gap * np.maximum(size, 1.0)
    if codes is not None:
        code = np.asarray(codes, dtype=np.int64)
        if code.shape != (box.shape[0],):
            raise GeometryError(f"codes: expected {box.shape[0]} code points, got {code.shape}")
        wide = is_wide(code)
        previous = previous_in_group(index)
        both = np.zeros(code.size, dtype=bool)
        has = previous >= 0
        both[has] = wide[has] & wide[previous[has]]
        starts &= ~both
    return starts
