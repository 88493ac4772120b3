"""The quotes a page prints, on an engine's lines (:mod:`lingyun.geometry.quotes`).

A recognizer that reads every curly quote as an ASCII one gets each of them wrong on a
typeset page.  :func:`typeset_quotes` measures the lean of the page's quote marks in the
ink and, when the page prints curly quotes, gives every ASCII quote its typographic form
and direction.  The glyph keeps its box and confidence; the ASCII reading becomes its first
alternative, so nothing the recognizer said is lost (the stream's second candidate).
"""

from __future__ import annotations

import numpy as np

from ...geometry.quotes import CURLY, curly_page, slants, typographic
from ..positions import Glyph, Line

__all__ = ["typeset_quotes"]


def typeset_quotes(mask: np.ndarray, lines: list[Line]) -> list[Line]:
    """``lines`` with curly quotes where the page prints them (``mask``: the page's ink,
    :func:`~lingyun.geometry.ink.ink_mask`; glyph boxes already snapped to it)."""
    ascii_quotes = [g.box for line in lines for g in line.glyphs if g.char in "\"'"]
    if not ascii_quotes:
        return lines
    curly_read = sum(g.char in CURLY for line in lines for g in line.glyphs)
    if not curly_page(slants(mask, ascii_quotes), curly_read):
        return lines
    out: list[Line] = []
    for line in lines:
        text = "".join(g.char for g in line.glyphs)
        typed = typographic(text)
        if typed == text or len(typed) != len(line.glyphs):
            out.append(line)
            continue
        glyphs = [glyph if new == glyph.char else Glyph(
            new, glyph.box, glyph.confidence,
            ((glyph.char, glyph.confidence),
             *(c for c in glyph.candidates if c[0] != new and c[0] != glyph.char)))
            for glyph, new in zip(line.glyphs, typed, strict=True)]
        out.append(Line(line.box, glyphs, line.angle))
    return out
