"""Word boundaries from the gaps between characters, relative to the characters' size.

Recognizers trained on Chinese often drop the spaces of English text (``FIRSTCHEQUING``);
the boxes still show them.  Within a line, the gap before character ``i`` is

    gap[i] = left[i] - right[i-1]

and the line's character size ``size`` is the 90th percentile of ``bottom - top`` over its
characters -- the height of letters with ascenders or descenders: with boxes tight to the
ink, the median would be the x-height of lowercase text, some two thirds of it.  A word
starts at ``i`` when ``gap[i] >= word_gap * size`` -- letter spacing is a small fraction
of the type size, a word space about a third of it, so the ratio separates them whatever the
resolution.  Between two wide (CJK, full-width) characters no space is ever inserted: such
scripts are written without spaces, and a wide gap there is layout, not a word boundary.
Nor next to CJK punctuation (``。、，：；“”（）``...): a full-width mark carries its own
white space inside its cell, so the gap beside its ink is no word space (``45.7%。``, not
``45.7% 。``); the same holds between a wide character and any punctuation mark
(``“美术”``).  And a decimal point or comma between two digits never ends a word: its ink
is a dot, the gap after it is wide for its size (``54.3%``, not ``54. 3%``).  Inside a number
(digits, and decimal marks between them), a digit narrower than ``DIGIT_WIDTH`` (0.6) sizes
is taken to fill a cell that wide, and its gaps are counted from the cell's edges: tabular
figures give every digit one width, so a ``1`` stands apart from its neighbours by about a
word-gap ratio (``11.4%``, not ``1 1 .4%``); a column's gap between two numbers is wider
still.

Monospaced type (typewriters, court transcripts, code) breaks the ratio: every character
sits in a cell of one *pitch*, so a narrow ``i`` or ``l`` has gaps as wide as a word space.
Such a line shows itself in its character centres: with ``d[i]`` the distance between the
centres of characters ``i-1`` and ``i`` and ``p`` the line's pitch (the median of the
``d`` under 1.5 times the line's lower quartile of ``d``, then the line's length over
its length in such cells), nearly every
``d[i] / p`` is a whole number (1 between letters, 2 or more across a space).  A line with
at least ``MONOSPACE_PAIRS`` pairs of which a share ``MONOSPACE_SHARE`` (0.85) are within
``PITCH_TOLERANCE`` (0.12) of a whole number is monospaced -- proportional lines score
about 0.4 -- and there a word starts only where a cell is skipped too: ``d[i] >= 1.5 p``.
The pitch needs pairs of letters within words to be at least a quarter of a line's pairs;
a line of one-letter words set at one distance apart (six or more) cannot be told from
typewritten letters in every other cell and is read as one word.
"""

from __future__ import annotations

import numpy as np

from ._segments import group_median, group_quantile, group_sum, previous_in_group
from .errors import GeometryError
from .order import as_boxes

__all__ = ["DIGIT_WIDTH", "MARKED_CLEAR", "MARKED_SHARE", "MARKED_SPACE", "WORD_GAP",
           "character_gaps", "is_punctuation", "is_wide", "missed_word_starts", "monospaced",
           "word_starts"]

#: Default threshold: a gap of at least this many character sizes separates words.
WORD_GAP = 0.35
#: A digit's ink is about this many character sizes wide; a narrower one (a 1 in
#: tabular figures) sits in a cell that wide, and its gaps inside a number count from it.
DIGIT_WIDTH = 0.6
#: On a line where the engine marked some word spaces, a gap of at least this share of its
#: lower-quartile marked gap is a space it left out (:func:`missed_word_starts`).
MARKED_SHARE = 0.8
#: ... when its marked gaps show as gaps: at least this many character sizes (their lower
#: quartile)
MARKED_SPACE = 0.2
#: ... and this many times its upper-quartile letter gap
MARKED_CLEAR = 3.0
#: Monospace detection (see the module docstring).
MONOSPACE_PAIRS = 6
MONOSPACE_SHARE = 0.85
PITCH_TOLERANCE = 0.12


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


#: Punctuation code point ranges (inclusive): ASCII, Latin-1, General Punctuation, CJK
#: Symbols and Punctuation, and the full-width forms' punctuation.
_PUNCTUATION = np.array([
    (0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E), (0xA1, 0xBF), (0x2010, 0x205E),
    (0x3000, 0x303F), (0xFE30, 0xFE4F), (0xFF01, 0xFF0F), (0xFF1A, 0xFF20), (0xFF3B, 0xFF40),
    (0xFF5B, 0xFF65),
], dtype=np.int64)
_DECIMAL_MARKS = (ord("."), ord(","))


def is_punctuation(codes: object) -> np.ndarray:
    """True for punctuation marks, half- and full-width (ASCII and Latin-1 punctuation and
    symbols, U+2010-U+205E, CJK symbols and punctuation U+3000-U+303F, the CJK compatibility
    forms U+FE30-U+FE4F and the full-width forms' punctuation)."""
    c = np.asarray(codes, dtype=np.int64)[..., None]
    found: np.ndarray = np.any((c >= _PUNCTUATION[:, 0]) & (c <= _PUNCTUATION[:, 1]), axis=-1)
    return found


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


def _pitch_ratios(box: np.ndarray, index: np.ndarray, lines: np.ndarray,
                  count: int) -> tuple[np.ndarray, np.ndarray]:
    """Per character, ``d[i] / p`` (NaN for a line's first character), and per line whether
    it is monospaced (enough ratios, and enough of them near a whole number)."""
    centre = (box[:, 0] + box[:, 2]) / 2.0
    previous = previous_in_group(index)
    has = previous >= 0
    distance = np.full(box.shape[0], np.nan)
    distance[has] = centre[has] - centre[previous[has]]
    # the pitch: the median of the distances under 1.5 times the line's lower quartile, so
    # that word spaces (two cells or more) do not pull it up even in a line of short words
    quartile = group_quantile(lines[has], distance[has], count, 0.25, "lower")
    cell = has & (np.nan_to_num(distance, nan=np.inf) < 1.5 * quartile[lines])
    first = group_median(lines[cell], distance[cell], count)
    # refined over the whole line: its length in cells (each distance rounded to whole
    # cells of the first estimate) divides its length, so one pixel of jitter in a few
    # short pairs does not skew the ratios of the long ones
    cells = np.maximum(np.rint(np.nan_to_num(distance / np.maximum(first[lines], 1e-9))), 1)
    pitch = group_sum(lines[has], distance[has], count) \
        / np.maximum(group_sum(lines[has], cells[has], count), 1)
    ratio = distance / np.maximum(pitch[lines], 1e-9)
    whole = has & (np.abs(ratio - np.rint(np.nan_to_num(ratio))) <= PITCH_TOLERANCE) \
        & (np.nan_to_num(ratio) >= 1 - PITCH_TOLERANCE)
    pairs = np.bincount(lines[has], minlength=count)
    share = np.bincount(lines[whole], minlength=count) / np.maximum(pairs, 1)
    return ratio, (pairs >= MONOSPACE_PAIRS) & (share >= MONOSPACE_SHARE)


def monospaced(boxes: object, line: object) -> np.ndarray:
    """Per line (``0..max(line)``), True when its characters sit on a fixed pitch (see the
    module docstring); ``boxes`` and ``line`` as for :func:`word_starts`."""
    box = as_boxes(boxes)
    index = _line_index(line, box.shape[0])
    count = int(index.max()) + 1 if index.size else 0
    mono: np.ndarray = _pitch_ratios(box, index, index, count)[1]
    return mono


def word_starts(boxes: object, line: object, codes: object = None, *,
                word_gap: float = WORD_GAP) -> np.ndarray:
    """True for each character that begins a new word (never a line's first character):
    a gap of ``word_gap`` character sizes, and in a monospaced line a skipped cell.

    ``boxes`` are the characters' ``(n, 4)`` boxes stored line by line, ``line`` their line
    index, ``codes`` (optional) their code points, used to keep CJK text, the punctuation
    beside it and decimal numbers unspaced (see the module docstring).
    """
    box = as_boxes(boxes)
    index = _line_index(line, box.shape[0])
    gap = character_gaps(box, index)
    if index.size == 0:
        return np.zeros(0, dtype=bool)
    dense = np.unique(index, return_inverse=True)[1]
    count = int(dense.max()) + 1
    size = group_quantile(dense, box[:, 3] - box[:, 1], count, 0.9)[dense]
    starts = np.nan_to_num(gap, nan=-np.inf) >= word_gap * np.maximum(size, 1.0)
    ratio, fixed = _pitch_ratios(box, index, dense, count)
    starts &= ~(fixed[dense] & (np.nan_to_num(ratio) < 1.5))
    if codes is not None:
        starts &= ~_held_together(box, index, _codes(codes, box.shape[0]), gap, size,
                                  word_gap * size)
    result: np.ndarray = starts
    return result


def _codes(codes: object, n: int) -> np.ndarray:
    code = np.asarray(codes, dtype=np.int64)
    if code.shape != (n,):
        raise GeometryError(f"codes: expected {n} code points, got {code.shape}")
    return code


def _held_together(box: np.ndarray, index: np.ndarray, code: np.ndarray, gap: np.ndarray,
                   size: np.ndarray, threshold: np.ndarray, *,
                   beside_digits: bool = False) -> np.ndarray:
    """True for each character that no gap separates from the one before: CJK text and the
    punctuation beside it, a decimal mark between digits, and a narrow digit inside a number
    whose gap, counted from its cell, is under ``threshold`` (see the module docstring);
    with ``beside_digits``, a narrow digit's gap to any neighbour counts from its cell
    ("0.1MG", "3.1%")."""
    wide, mark = is_wide(code), is_punctuation(code)
    digit = (code >= ord("0")) & (code <= ord("9"))
    previous = previous_in_group(index)
    has = previous >= 0
    before = previous[has]
    joined = np.zeros(code.size, dtype=bool)
    joined[has] = ((wide[has] & wide[before])
                   | (wide[has] & mark[has]) | (wide[before] & mark[before])
                   | (wide[has] & mark[before]) | (mark[has] & wide[before]))
    # a decimal point or comma between two digits: "54.3", "1,000"
    two_back = np.full(code.size, -1, dtype=np.int64)
    two_back[has] = previous[before]
    decimal = has & digit & np.isin(code[np.maximum(previous, 0)], _DECIMAL_MARKS)
    decimal &= two_back >= 0
    decimal[decimal] &= digit[two_back[decimal]]
    # inside a number, a narrow digit's gaps count from the cell it sits in: tabular
    # figures give every digit one width, so a 1 stands apart ("1 1.4%" for "11.4%")
    numeric = digit | np.isin(code, _DECIMAL_MARKS)
    inside = np.zeros(code.size, dtype=bool)
    inside[has] = (digit[has] | digit[before]) if beside_digits else (
        numeric[has] & numeric[before] & (digit[has] | digit[before]))
    slack = np.where(digit, np.maximum(DIGIT_WIDTH * size - (box[:, 2] - box[:, 0]), 0) / 2,
                     0.0)
    inside[has] &= gap[has] - slack[has] - slack[before] < threshold[has]
    together: np.ndarray = joined | decimal | inside
    return together


def missed_word_starts(boxes: object, line: object, codes: object, marked: object, *,
                       share: float = MARKED_SHARE) -> np.ndarray:
    """True for each character that begins a word the engine did not mark, on lines where
    it marked others (``marked``: a space came before the character).

    Such an engine knows its words, so the gap rule's absolute ratio is not used (a heading
    set with wide letter spacing would split); instead each line's own spaces set the bar: a
    gap of at least ``share`` of the line's lower-quartile marked word gap, and at least
    twice its median letter gap, is a word boundary the engine left out ("reportis" beside
    the line's other spaces).  Only where the marked gaps show in the boxes: at least two,
    their lower quartile at least :data:`MARKED_SPACE` character sizes and
    :data:`MARKED_CLEAR` times the line's upper-quartile letter gap (large type whose boxes
    run into each other shows neither, and gets no more spaces).  A word the engine read
    with more than half of its letter gaps that wide is letter-spaced ("I N D E X" in a
    title) and stays whole.  CJK, decimal numbers, and a narrow digit beside anything, stay
    together as in :func:`word_starts`.
    """
    box = as_boxes(boxes)
    index = _line_index(line, box.shape[0])
    mark = np.asarray(marked, dtype=bool)
    if mark.shape != (box.shape[0],):
        raise GeometryError(f"marked: expected {box.shape[0]} flags, got {mark.shape}")
    if index.size == 0:
        return np.zeros(0, dtype=bool)
    gap = character_gaps(box, index)
    has = ~np.isnan(gap)
    dense = np.unique(index, return_inverse=True)[1]
    count = int(dense.max()) + 1
    words = has & mark
    letters = has & ~mark
    size = group_quantile(dense, box[:, 3] - box[:, 1], count, 0.9)
    word_gap = group_quantile(dense[words], gap[words], count, 0.25)
    letter_gap = np.nan_to_num(group_median(dense[letters], gap[letters], count), nan=0.0)
    wide_letters = np.nan_to_num(group_quantile(dense[letters], gap[letters], count, 0.75),
                                 nan=0.0)
    # the marked gaps must show as gaps: a word space is a fifth of the type size or more,
    # and well clear of the letter gaps (boxes that run into each other show neither)
    shows = ((np.bincount(dense[words], minlength=count) >= 2)
             & (np.nan_to_num(word_gap, nan=0.0) >= MARKED_SPACE * size)
             & (np.nan_to_num(word_gap, nan=0.0) >= MARKED_CLEAR * wide_letters))
    bar = np.fmax(share * word_gap, 2 * letter_gap)
    threshold = np.where(shows, np.maximum(bar, 1.0), np.inf)[dense]
    size = size[dense]
    starts = letters & (np.nan_to_num(gap, nan=-np.inf) >= threshold)
    starts &= ~_held_together(box, index, _codes(codes, box.shape[0]), gap, size, threshold,
                              beside_digits=True)
    # a word the engine read whose letters mostly stand that far apart is letter-spaced
    # (a title set "I N D E X"), not words run together: it keeps its letters
    word = np.cumsum(~has | mark) - 1
    pairs = np.bincount(word[letters], minlength=int(word[-1]) + 1)
    wide = np.bincount(word[starts], minlength=int(word[-1]) + 1)
    starts &= (2 * wide <= pairs)[word]
    result: np.ndarray = starts
    return result
