"""One summary of a corpus: the numbers ``lingyun analyze`` prints, as plain Python values.

Each entry is ``(section, quantity, value)``; values are ints, floats (NaN when there is
nothing to measure -- never a made-up 0, and never ``-0.0``), ``(low, high)`` float pairs for
interquartile ranges, or short strings.  Quartiles are numpy's linear
percentiles.  The same list serves the text table and the JSON output.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from .candidates import CandidateStats, candidate_stats
from .metrics import Measures
from .sources import Corpus

__all__ = ["Analysis", "analyze"]


@dataclass(frozen=True)
class Analysis:
    """Per-glyph, per-line and per-page records and candidate statistics of a corpus."""

    corpus: Corpus
    glyphs: np.ndarray
    lines: np.ndarray
    pages: np.ndarray
    candidates: CandidateStats

    def summary(self) -> list[tuple[str, str, Any]]:
        """``(section, quantity, value)`` rows (see the module docstring)."""
        g, ln, p, c = self.glyphs, self.lines, self.pages, self.candidates
        layout = self.corpus.layout
        rows: list[tuple[str, str, Any]] = [
            ("inputs", "documents", len(self.corpus.documents)),
            ("inputs", "skipped records", len(self.corpus.skipped)),
            ("inputs", "pages", int(layout.pages.size)),
            ("inputs", "regions", int(layout.regions.size)),
            ("inputs", "lines", int(layout.lines.size)),
            ("inputs", "glyphs", int(layout.chars.size)),
        ]
        rows += _spread("glyphs", "width px", g["width"])
        rows += _spread("glyphs", "height px", g["height"])
        rows += _spread("glyphs", "aspect w/h", g["aspect"])
        rows += _spread("glyphs", "gap to previous px", g["gap"])
        rows += _spread("glyphs", "|baseline offset| px", np.abs(g["baseline_offset"]))
        rows += _spread("lines", "skew deg", ln["skew"])
        rows += _spread("lines", "baseline residual px", ln["residual"])
        rows += _spread("lines", "spacing px", ln["spacing"])
        rows += _spread("lines", "font size px", ln["font_size"])
        rows += _spread("pages", "skew deg", p["skew"])
        rows.append(("pages", "columns (pages)", _counts(p["columns"])))
        rows.append(("pages", "size clusters (pages)", _counts(p["size_clusters"])))
        first = c.histograms[0]
        rows += [
            ("candidates", "suspect rate", _round(c.suspect_rate)),
            ("candidates", "first distance median", _hist_median(first)),
            ("candidates", "glyphs with a 2nd candidate", c.with_second),
            ("candidates", "margin d2-d1 median",
             _round(float(np.median(c.margin))) if c.margin.size else float("nan")),
        ]
        rows += [("candidates", f"confusion {a}/{b}", f"{n} (margin {m:.1f})")
                 for a, b, n, m in c.confusions[:5]]
        return rows


def _round(value: float) -> float:
    """Four significant digits; ``+ 0.0`` turns a rounded ``-0.0`` into ``0.0``."""
    return float(f"{value:.4g}") + 0.0 if np.isfinite(value) else float("nan")


def _spread(section: str, name: str, values: np.ndarray) -> list[tuple[str, str, Any]]:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return [(section, f"{name} median", float("nan"))]
    q1, median, q3 = np.percentile(finite, [25, 50, 75])
    return [(section, f"{name} median", _round(median)),
            (section, f"{name} IQR", (_round(q1), _round(q3)))]


def _counts(values: np.ndarray) -> str:
    counted = Counter(values.tolist())
    return ", ".join(f"{k}: {counted[k]}" for k in sorted(counted)) or "-"


def _hist_median(histogram: np.ndarray) -> float:
    total = int(histogram.sum())
    if total == 0:
        return float("nan")
    return float(np.searchsorted(np.cumsum(histogram), (total + 1) / 2))


def analyze(corpus: Corpus) -> Analysis:
    """All metrics of :mod:`lingyun.geometry` over ``corpus`` (one pass each)."""
    measures = Measures(corpus.layout)
    return Analysis(corpus=corpus, glyphs=measures.glyphs, lines=measures.lines,
                    pages=measures.pages, candidates=candidate_stats(corpus.layout))
