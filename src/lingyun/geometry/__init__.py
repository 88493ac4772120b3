"""Glyph geometry: reading order and blocks, word gaps, metrics and statistics over many pages.

Everything here works on the numpy arrays of a :class:`lingyun.iread.Layout` -- one page or
all pages of :func:`lingyun.iread.decode_many` -- without a Python loop per glyph or per
page, and returns arrays (index permutations, per-glyph/line/page records) so callers keep
their own data.  Formulas are in each module's docstring and in ``docs/geometry.md``.

* :mod:`~lingyun.geometry.order` -- reading order, blocks, rows and columns (XY-cut);
* :mod:`~lingyun.geometry.columns` -- reading order on magazine pages (whitespace column
  separators and line precedence);
* :mod:`~lingyun.geometry.words` -- word boundaries from character gaps;
* :mod:`~lingyun.geometry.metrics` -- per glyph, line and page measurements;
* :mod:`~lingyun.geometry.orientation` -- how far each page is turned, from its lines;
* :mod:`~lingyun.geometry.candidates` -- candidate distances, suspects, confusion pairs;
* :mod:`~lingyun.geometry.sources` -- raw streams and bulk JSONL outputs into one Layout;
* :mod:`~lingyun.geometry.plots` -- PNG figures (the ``plots`` extra, matplotlib).
"""

from __future__ import annotations

from .candidates import CandidateStats, candidate_stats
from .columns import column_order
from .errors import GeometryError
from .metrics import Measures, glyph_metrics, line_boxes, line_metrics, page_metrics
from .order import ReadingOrder, block_boxes, reading_order
from .sources import Corpus, load
from .words import character_gaps, monospaced, word_starts

__all__ = [
    "CandidateStats",
    "Corpus",
    "GeometryError",
    "Measures",
    "ReadingOrder",
    "block_boxes",
    "candidate_stats",
    "character_gaps",
    "column_order",
    "glyph_metrics",
    "line_boxes",
    "line_metrics",
    "load",
    "monospaced",
    "page_metrics",
    "reading_order",
    "word_starts",
]
