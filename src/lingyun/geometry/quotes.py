"""Typographic quotes: the marks a page prints, where a recognizer reads ASCII ones.

Recognizers trained on normalised text (PP-OCR among them) read the curly quotes of typeset
text -- ``“ ” ‘ ’`` -- as the ASCII ``"`` and ``'``, although their alphabets hold both.  A
transcription then differs from the page at every quote and apostrophe.  The page itself
says which kind it prints:

* **Shape.**  A curly mark is a comma-like stroke that leans: in a quote's ink box, the ink
  of its top third lies to the right of the ink of its bottom third (``’`` and ``‘`` alike,
  in roman type), by a tenth of the box height or more; an ASCII quote (a typewriter's, a
  monospaced font's, code) stands upright, its thirds one above the other.  The lean of one
  small mark is noisy at scan resolutions, so the page decides as a whole:
  :func:`curly_page` takes the median lean of its ASCII quote marks -- or any curly mark the
  recognizer did read -- as the page's typography.
* **Direction.**  On a page that prints curly quotes, :func:`typographic` gives each ASCII
  quote its direction from its neighbours, as typesetters' "smart quotes" do: after the
  start of a line, a space, an opening bracket, a dash or another opening quote it opens
  (``“``, ``‘``); before the end, a space or closing punctuation it closes (``”``, ``’``);
  a single quote between letters is an apostrophe (``it’s``), and one before a digit after
  a space is the elision of ``’70s``.  A double quote between two other characters (text
  without spaces, as CJK text is written) alternates open, close along the line.

Both work on plain arrays and strings; the embedded engine applies them to its lines and
keeps the ASCII reading as the glyph's next candidate.
"""

from __future__ import annotations

import numpy as np

from .order import as_boxes

__all__ = ["CURLY", "LEAN", "curly_page", "slants", "typographic"]

#: The curly quotation marks (U+2018, U+2019, U+201C, U+201D).
CURLY = frozenset("\u2018\u2019\u201c\u201d")
#: Median lean (top third's ink centre right of the bottom third's, in box heights) from
#: which a page's ASCII quotes are taken for curly ones.
LEAN = 0.1
_MIN_HEIGHT = 3
_OPEN_AFTER = frozenset("([{<\u2014\u2013-/\u2018\u201c\u00ab\u300c\u300e\uff08")
_CLOSE_BEFORE = frozenset(".,;:!?)]}>\u2026\u2014\u2013-\u3002\uff0c\uff1b\uff1a\uff01\uff1f\uff09")


def slants(mask: np.ndarray, boxes: object) -> np.ndarray:
    """Per box, how far the centre of the ink in its top third lies right of the centre of
    the ink in its bottom third, in box heights; NaN for a box under three pixels tall or
    without ink in either third."""
    ink = np.asarray(mask, dtype=bool)
    box = as_boxes(boxes)
    out = np.full(box.shape[0], np.nan)
    height, width = ink.shape
    for i, (left, top, right, bottom) in enumerate(box.tolist()):
        left, right = max(left, 0), min(right, width)
        top, bottom = max(top, 0), min(bottom, height)
        tall = bottom - top
        if tall < _MIN_HEIGHT or right <= left:
            continue
        ys, xs = np.nonzero(ink[top:bottom, left:right])
        upper, lower = ys < tall / 3, ys >= 2 * tall / 3
        if upper.any() and lower.any():
            out[i] = (xs[upper].mean() - xs[lower].mean()) / tall
    return out


def curly_page(leans: object, curly_read: int = 0) -> bool:
    """Whether a page prints curly quotes: the recognizer read ``curly_read`` curly marks on
    it, or the median lean of its ASCII quote marks (:func:`slants`) is at least
    :data:`LEAN`."""
    if curly_read > 0:
        return True
    values = np.asarray(leans, dtype=np.float64)
    values = values[~np.isnan(values)]
    return bool(values.size) and float(np.median(values)) >= LEAN


def _opens(before: str, after: str) -> bool | None:
    if not before or before.isspace() or before in _OPEN_AFTER:
        return True
    if not after or after.isspace() or after in _CLOSE_BEFORE:
        return False
    return None


def typographic(text: str) -> str:
    """``text`` with each ASCII quote turned into the curly mark its neighbours call for
    (see the module docstring); every other character, and the length, unchanged."""
    if '"' not in text and "'" not in text:
        return text
    out = list(text)
    doubles_open = False
    for i, char in enumerate(text):
        if char not in "\"'":
            continue
        before = out[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if char == "'":
            if before.isalnum() and after.isalpha():
                out[i] = "\u2019"  # it’s, don’t
                continue
            if (not before or before.isspace()) and after.isdigit():
                out[i] = "\u2019"  # ’70s
                continue
            opens = _opens(before, after)
            out[i] = "\u2018" if opens else "\u2019"
            continue
        opens = _opens(before, after)
        if opens is None:
            opens = not doubles_open
        doubles_open = opens
        out[i] = "\u201c" if opens else "\u201d"
    return "".join(out)
