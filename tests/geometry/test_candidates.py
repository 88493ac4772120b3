"""Candidate statistics: distance histograms, margins, suspects and confusion pairs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lingyun.geometry import candidate_stats
from lingyun.iread import decode, encode

from .conftest import page_records, stream, text_line


def test_histograms_margins_and_confusions_are_counted():
    lines = [text_line("己己己", 0, 30, distance=20, second="已", second_distance=25),
             text_line("OO", 0, 60, distance=5, second="0", second_distance=45),
             text_line("x", 0, 90, distance=200)]
    stats = candidate_stats(decode(stream(page_records(100, 100, [lines]))))
    assert stats.glyphs == 6 and stats.with_second == 5
    assert stats.histograms[0, [20, 5, 200]].tolist() == [3, 2, 1]
    assert stats.histograms[1].sum() == 5 and stats.histograms[2:].sum() == 0
    assert sorted(stats.margin.tolist()) == [5, 5, 5, 40, 40]
    assert stats.confusions == [("己", "已", 3, 5.0), ("O", "0", 2, 40.0)]


def test_suspect_rate_overall_and_by_first_distance():
    records = [{"type": "page"}, {"type": "region"}, {"type": "line"}]
    for distance, suspect in ((10, 0), (10, 0), (10, 1), (90, 1)):
        records.append({"type": "char", "code": ord("a"), "suspect": suspect,
                        "candidates": [ord("a"), 0, 0, 0, 0],
                        "distances": [distance, 255, 255, 255, 255]})
    stats = candidate_stats(decode(encode(records)))
    assert stats.suspect_rate == 0.5
    assert stats.suspect_by_distance[10] == 1 / 3 and stats.suspect_by_distance[90] == 1.0
    assert math.isnan(stats.suspect_by_distance[0])
    assert stats.confusions == [] and stats.margin.size == 0
    assert np.all(stats.histograms.sum(axis=1) == [4, 0, 0, 0, 0])


@pytest.fixture(scope="module")
def chinese_layout():
    """samples/chinese.png read by the embedded engine, as the IREAD_NODE stream it answers."""
    from pathlib import Path

    from lingyun.service.engines.rapidocr import RapidOCREngine, rapidocr_available
    from lingyun.service.positions import arrange, encode_page, page_skew

    if not rapidocr_available():
        pytest.skip("needs the local extra (rapidocr 3 + onnxruntime)")
    sample = Path(__file__).resolve().parents[2] / "src" / "lingyun" / "samples" / "chinese.png"
    width, height, lines = RapidOCREngine().read_lines(sample.read_bytes())
    skew = page_skew(lines)
    return decode(encode_page(width, height, arrange(lines, skew=skew), skew=skew))


@pytest.mark.local_engine
def test_the_engine_gives_real_candidates_with_rising_distances(chinese_layout):
    """Goal of issue 14: at least half the characters of a real Chinese page carry two or
    more candidates whose distances rise with rank."""
    chars = chinese_layout.chars
    distances = chars["distances"].astype(np.int64).reshape(-1, 5)
    codes = chars["candidates"].astype(np.int64).reshape(-1, 5)
    used = distances != 255
    rising = [bool(np.all(np.diff(d[u]) > 0)) for d, u in zip(distances, used, strict=True)]
    with_two = used.sum(axis=1) >= 2
    assert chinese_layout.text.replace(" ", "").startswith("北京捷通华声")
    assert (with_two & np.array(rising)).mean() >= 0.5
    assert np.all((codes != 0) == used)  # a used slot names a character, an unused one not
    assert np.all(codes[:, 0] == chars["code"].astype(np.int64))  # the read one is first
    stats = candidate_stats(chinese_layout)
    assert stats.with_second == int(with_two.sum()) and stats.confusions
