"""Candidate statistics: how sure the recognizer was, and what it hesitated between.

Each CHAR node carries up to five candidate characters with a distance each (0 = certain,
254 = least certain, 255 = unused slot) and a suspect flag (SPEC §5).  Over all glyphs:

* ``histograms[k, d]``: how many glyphs have distance ``d`` in candidate slot ``k``
  (unused slots not counted);
* ``margin = distance[1] - distance[0]`` for glyphs with a second candidate: a small margin
  means the first choice barely won;
* ``suspect_rate``: the share of glyphs flagged suspect; ``suspect_by_distance[d]``: that
  share among glyphs whose first distance is ``d`` (NaN where there are none) -- how often
  the first candidate is suspect at each confidence;
* ``confusions``: the pairs ``(first, second)`` of candidate characters, counted, most
  frequent first, with the mean margin of each pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["UNUSED", "CandidateStats", "candidate_stats"]

UNUSED = 255
_SLOTS = 5


@dataclass(frozen=True)
class CandidateStats:
    """Candidate statistics of a layout; see the module docstring for each field."""

    glyphs: int
    histograms: np.ndarray
    margin: np.ndarray
    suspect_rate: float
    suspect_by_distance: np.ndarray
    confusions: list[tuple[str, str, int, float]]

    @property
    def with_second(self) -> int:
        """How many glyphs have a second candidate."""
        return int(self.margin.size)


def candidate_stats(layout: Any, *, top: int = 20) -> CandidateStats:
    """Candidate statistics over every glyph of ``layout`` (``top`` confusion pairs)."""
    chars = layout.chars
    distances = chars["distances"].astype(np.int64).reshape(-1, _SLOTS)
    codes = chars["candidates"].astype(np.int64).reshape(-1, _SLOTS)
    used = (distances != UNUSED) & (codes != 0)
    # one bincount over slot * 255 + distance of the used slots
    keys = (np.arange(_SLOTS) * UNUSED + distances)[used]
    histograms = np.bincount(keys, minlength=_SLOTS * UNUSED).reshape(_SLOTS, UNUSED)
    first_used = used[:, 0]
    second = first_used & used[:, 1]
    margin = (distances[second, 1] - distances[second, 0]).astype(np.int64)
    suspect = chars["suspect"] != 0
    first = np.where(first_used, distances[:, 0], UNUSED)
    total = np.bincount(first, minlength=UNUSED + 1)[:UNUSED]
    flagged = np.bincount(first[suspect], minlength=UNUSED + 1)[:UNUSED]
    with np.errstate(invalid="ignore", divide="ignore"):
        by_distance = np.where(total > 0, flagged / np.where(total > 0, total, 1), np.nan)
    confusions: list[tuple[str, str, int, float]] = []
    if second.any():
        pair = codes[second, 0] * 0x10000 + codes[second, 1]
        keys, inverse, counts = np.unique(pair, return_inverse=True, return_counts=True)
        margins = np.bincount(inverse, weights=margin) / counts
        best = np.argsort(-counts, kind="stable")[:top]
        confusions = [(chr(int(keys[i] >> 16)), chr(int(keys[i] & 0xFFFF)), int(counts[i]),
                       float(margins[i])) for i in best]
    return CandidateStats(
        glyphs=int(chars.size),
        histograms=histograms,
        margin=margin,
        suspect_rate=float(suspect.mean()) if chars.size else float("nan"),
        suspect_by_distance=by_distance,
        confusions=confusions,
    )
