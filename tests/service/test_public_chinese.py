"""The embedded engine on real Chinese text lines that no one here made (OmniDocBench).

The lines are not in this repository -- their licence is research-only, and fetched data is
never committed -- so this test runs where the set has been written by
``benchmarks/public_chinese.py`` and ``LINGYUN_PUBLIC_CHINESE`` names its directory (the
one holding ``lines/``), and is skipped elsewhere.

Measured with the engine of this commit: mean CER 0.037 over the 121 lines, every line read
(``benchmarks/accuracy.py DIR/lines --text-pages``); the bounds leave room for a different
onnxruntime build, not for a regression of a third.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lingyun.service.engines.rapidocr import RapidOCREngine
from lingyun.service.positions import arrange, page_skew, page_text

from .conftest import needs_rapidocr
from .test_rapidocr_e2e import cer

pytestmark = [needs_rapidocr, pytest.mark.local_engine]

#: Mean character error rate over the lines (white space removed), measured 0.037.
MAX_MEAN_CER = 0.05
#: No line may be read worse than this (measured worst: 0.56, a 25-character newspaper line).
MAX_LINE_CER = 0.8


def public_lines() -> list[Path]:
    root = os.environ.get("LINGYUN_PUBLIC_CHINESE", "")
    lines = sorted((Path(root) / "lines").glob("*.png")) if root else []
    if not lines:
        pytest.skip("LINGYUN_PUBLIC_CHINESE does not name a set written by "
                    "benchmarks/public_chinese.py")
    return lines


def test_real_chinese_lines_are_read_within_the_measured_error() -> None:
    engine = RapidOCREngine()
    rates, empty = [], []
    for image in public_lines():
        truth = "".join(image.with_suffix(".txt").read_text(encoding="utf-8").split())
        _w, _h, lines = engine.read_lines(image.read_bytes())
        got = "".join(page_text(arrange(lines, skew=page_skew(lines),
                                        engine_spaces=True)).split())
        if not got:
            empty.append(image.name)
        rates.append(cer(got, truth))
        assert rates[-1] <= MAX_LINE_CER, f"{image.name}: read {got!r}, truth {truth!r}"
    assert not empty, f"read as empty: {empty}"
    assert sum(rates) / len(rates) <= MAX_MEAN_CER
