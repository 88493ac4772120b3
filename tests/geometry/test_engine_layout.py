"""The embedded engine reads multi-column pages, receipts and tables in reading order.

Pages rendered by ``scripts/render_layout_pages.py`` with their transcriptions; over HTTP
(the pytest plugin's local service), with positions.  Before reading order the character
error rates were 0.70 / 0.65 / 0.10 / 0.14 (``python scripts/layout_cer.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lingyun.service.engines.rapidocr import rapidocr_available

from ..service.test_rapidocr_e2e import cer

pytestmark = [pytest.mark.local_engine,
              pytest.mark.skipif(not rapidocr_available(),
                                 reason="rapidocr 3 / onnxruntime is not importable "
                                        "(pip install 'lingyun[local]')")]

PAGES = Path(__file__).resolve().parent / "pages"
INFO = json.loads((PAGES / "pages.json").read_text(encoding="utf-8"))
DOCUMENT_TYPE = {"two_columns_chinese": "text.chinese"}
#: name -> (allowed character error rate, REGION nodes expected)
EXPECTED = {"three_columns": (0.02, 4), "two_columns_chinese": (0.02, 3),
            "receipt": (0.02, 1), "table": (0.02, 1)}


@pytest.mark.parametrize("name", sorted(INFO))
def test_pages_are_read_in_reading_order_with_word_spaces(lingyun_client, name):
    info = INFO[name]
    result = lingyun_client.recognize((PAGES / info["file"]).read_bytes(),
                                      DOCUMENT_TYPE.get(name, "text.english"),
                                      withPosition=True)
    max_cer, regions = EXPECTED[name]
    assert cer(result.text, info["text"]) <= max_cer, (result.text, info["text"])
    assert result.layout.regions.size == regions
    assert result.layout.text == result.text and not result.text_mismatch
    if name == "three_columns":
        assert "Glyph geometry tells more than the" in result.text.splitlines()
