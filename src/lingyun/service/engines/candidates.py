"""Real candidates: the recognizer's top classes per character, before CTC collapses them.

The recognizer (a CTC model) gives, for each of its ``T`` output columns, a probability for
every class of its dictionary (``preds``, shape ``batch x T x classes``; class 0 is the CTC
*blank*, the last class is the space).  Decoding keeps the column's most probable class,
drops blanks and repeats -- and with them every other class.  :class:`KeepCandidates`
wraps rapidocr's decoder: it decodes exactly as before, and to each line's word record
(rapidocr's ``WordInfo``) it adds ``candidates``: for every character kept by the decoder,
in text order, the ``(character, probability)`` of the most probable classes of *that same
column* -- the decoded character first, then up to four alternatives (blank and space are
never alternatives: they are not characters).

How the probabilities become the ``IREAD_NODE`` distance byte is
:func:`lingyun.service.positions.distance`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["KeepCandidates", "column_candidates"]

#: Slots in a CHAR node (SPEC §5): the character and four alternatives.
SLOTS = 5


def column_candidates(probabilities: np.ndarray, characters: list[str], *,
                      slots: int = SLOTS) -> list[list[tuple[str, float]]]:
    """For each kept column of one line (``probabilities``: ``columns x classes``), the
    ``slots`` most probable classes as ``(character, probability)``, most probable first,
    blank (class 0) and space left out."""
    columns = np.asarray(probabilities)
    if columns.size == 0:
        return []
    wanted = min(slots + 2, columns.shape[1])  # two spare: blank and space may be among them
    top = _top_classes(columns, wanted)
    order = np.take_along_axis(columns, top, axis=1).argsort(axis=1, kind="stable")[:, ::-1]
    top = np.take_along_axis(top, order, axis=1)
    found: list[list[tuple[str, float]]] = []
    for row, classes in zip(columns, top.tolist(), strict=True):
        ranked = [(characters[c], float(row[c])) for c in classes
                  if 0 < c < len(characters) and not characters[c].isspace()]
        found.append(ranked[:slots])
    return found


def _top_classes(columns: np.ndarray, wanted: int, block: int = 128) -> np.ndarray:
    """Per row of ``columns`` (``rows x classes``), the indices of its ``wanted`` largest
    values, in no particular order.

    A recognizer with a large dictionary (PP-OCRv6: 18,710 classes) makes a full selection
    per row slow (seconds on a page of a few thousand characters).  The classes are cut
    into blocks of ``block``; the ``wanted`` largest values of a row lie in at most
    ``wanted`` blocks, each of whose maximum is at least the ``wanted``-th largest value, so
    they lie in the ``wanted`` blocks with the largest maxima: one pass over the row for the
    block maxima, then a selection among ``wanted x block`` values.
    """
    rows, classes = columns.shape
    if classes <= 2 * wanted * block:
        return np.argpartition(columns, classes - wanted, axis=1)[:, classes - wanted:]
    spare = (-classes) % block
    padded = np.pad(columns, ((0, 0), (0, spare)), constant_values=-np.inf) if spare \
        else columns
    maxima = padded.reshape(rows, -1, block).max(axis=2)
    blocks = np.argpartition(maxima, maxima.shape[1] - wanted, axis=1)[:, -wanted:]
    index = (blocks[:, :, None] * block + np.arange(block)).reshape(rows, -1)
    values = np.take_along_axis(padded, index, axis=1)
    best = np.argpartition(values, values.shape[1] - wanted, axis=1)[:, -wanted:]
    found: np.ndarray = np.take_along_axis(index, best, axis=1)
    return found


class KeepCandidates:
    """Stands in for rapidocr's ``CTCLabelDecode`` (``TextRecognizer.postprocess_op``):
    the same decoding, plus ``candidates`` on each line's ``WordInfo``."""

    def __init__(self, decoder: Any) -> None:
        self.decoder = decoder
        self.character: list[str] = list(decoder.character)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.decoder, name)

    def __call__(self, preds: np.ndarray, return_word_box: bool = False,
                 **kwargs: Any) -> tuple[Any, Any]:
        lines, words = self.decoder(preds, return_word_box, **kwargs)
        if not return_word_box:
            return lines, words
        best = preds.argmax(axis=2)
        for batch, info in enumerate(words):
            index = best[batch]
            keep = np.ones(index.shape[0], dtype=bool)
            keep[1:] = index[1:] != index[:-1]  # the decoder's own rule: repeats collapse,
            keep &= index != 0  # blanks go
            kept = np.flatnonzero(keep)
            # spaces are not CHAR nodes: the characters of the word boxes are the others
            kept = kept[[not self.character[c].isspace() for c in index[kept].tolist()]]
            info.candidates = column_candidates(preds[batch, kept], self.character)
        return lines, words
