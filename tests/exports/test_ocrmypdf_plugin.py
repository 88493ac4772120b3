"""The OCRmyPDF plugin: OCRmyPDF itself, run as a user runs it, makes searchable PDFs with
Lingyun's recognition -- on a machine without Tesseract or Ghostscript."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ocrmypdf")
pytest.importorskip("rapidocr")

from ocrmypdf.exceptions import BadArgsError
from pdfminer.high_level import extract_text

from lingyun.ocrmypdf_plugin import (
    TESSERACT_PLUGIN,
    LingyunOcrEngine,
    document_type,
)

pytestmark = pytest.mark.integration

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "lingyun" / "samples"
EXPECTED = json.loads((SAMPLES / "samples.json").read_text(encoding="utf-8"))


def ocrmypdf(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LINGYUN_")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "ocrmypdf", "--plugin",
                           "lingyun.ocrmypdf_plugin", "--output-type", "pdf", *map(str, args)],
                          capture_output=True, text=True, env=environment, timeout=300,
                          check=False)


def words(pdf: Path) -> list[str]:
    return extract_text(str(pdf)).split()


def test_loading_the_plugin_replaces_tesseract():
    """OCRmyPDF's Tesseract plugin checks for ``tesseract`` whichever engine runs: ours
    blocks it and is the engine OCRmyPDF picks."""
    from ocrmypdf._plugin_manager import get_plugin_manager

    manager = get_plugin_manager(["lingyun.ocrmypdf_plugin"])
    manager.initialize(plugin_manager=manager.pluggy_manager)
    assert manager.pluggy_manager.is_blocked(TESSERACT_PLUGIN)
    assert isinstance(manager.get_ocr_engine(options=None), LingyunOcrEngine)


def test_an_image_becomes_a_searchable_pdf_with_the_embedded_engine(tmp_path):
    out = tmp_path / "english.pdf"
    run = ocrmypdf("--image-dpi", "150", SAMPLES / "english.png", out)
    assert run.returncode == 0, run.stderr[-2000:]
    assert words(out) == EXPECTED["english"]["text"].split()


def test_a_chinese_page_is_read_with_chi_sim(tmp_path):
    out = tmp_path / "chinese.pdf"
    run = ocrmypdf("-l", "chi_sim", "--image-dpi", "150", SAMPLES / "chinese.png", out)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "".join(words(out)) == EXPECTED["chinese"]["text"]


def test_an_image_pdf_gets_a_text_layer(tmp_path):
    import img2pdf

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(img2pdf.convert(str(SAMPLES / "english.png"),
                                     layout_fun=img2pdf.get_fixed_dpi_layout_fun((150, 150))))
    assert words(scan) == []
    out = tmp_path / "searchable.pdf"
    run = ocrmypdf(scan, out)
    assert run.returncode == 0, run.stderr[-2000:]
    assert words(out) == EXPECTED["english"]["text"].split()


def turned(name: str, degrees: float, directory: Path) -> Path:
    """A sample turned ``degrees`` counter-clockwise on a white ground, at 150 dpi."""
    from PIL import Image

    with Image.open(SAMPLES / name) as image:
        page = image.convert("RGB").rotate(degrees, expand=True, fillcolor="white",
                                           resample=Image.Resampling.BICUBIC)
    path = directory / f"turned-{degrees:g}-{name}"
    page.save(path, dpi=(150, 150))
    return path


@pytest.fixture
def embedded(monkeypatch):
    """No LINGYUN_* variables: clients made in this process use the embedded engine."""
    for name in [n for n in os.environ if n.startswith("LINGYUN_")]:
        monkeypatch.delenv(name)


@pytest.mark.parametrize("degrees", [3.0, -2.0])
def test_get_deskew_undoes_the_skew_the_service_reports(tmp_path, embedded, degrees):
    from types import SimpleNamespace

    angle = LingyunOcrEngine.get_deskew(turned("page.png", degrees, tmp_path),
                                        SimpleNamespace(languages=["eng"]))
    assert angle == pytest.approx(-degrees, abs=0.3)


def test_deskew_straightens_the_page_in_the_pdf(tmp_path, embedded):
    import pypdfium2

    from lingyun import Client

    out = tmp_path / "deskewed.pdf"
    run = ocrmypdf("--deskew", turned("english.png", 3.0, tmp_path), out)
    assert run.returncode == 0, run.stderr[-2000:]
    assert words(out) == EXPECTED["english"]["text"].split()
    page = pypdfium2.PdfDocument(out)[0].render(scale=150 / 72).to_pil()
    page_png = tmp_path / "page.png"
    page.save(page_png)
    layout = Client.from_env().recognize(page_png, "text.english", withPosition=True).layout
    assert abs(layout.pages["skew"][0]) <= 50  # within half a degree of level


def test_a_language_the_engine_does_not_read_is_refused_before_any_page(tmp_path):
    run = ocrmypdf("-l", "deu", "--image-dpi", "150", SAMPLES / "english.png",
                   tmp_path / "out.pdf")
    assert run.returncode == 3  # OCRmyPDF's "missing dependency": the language
    assert "deu" in run.stderr and not (tmp_path / "out.pdf").exists()


def test_the_sandwich_renderer_is_refused_with_the_fix(tmp_path):
    run = ocrmypdf("--pdf-renderer", "sandwich", "--image-dpi", "150",
                   SAMPLES / "english.png", tmp_path / "out.pdf")
    assert run.returncode == 1
    assert "--pdf-renderer (auto or fpdf2)" in run.stderr


def test_a_failed_page_stops_the_run_with_lingyun_s_message(lingyun_server, tmp_path):
    """A wrong developer key: the service refuses, OCRmyPDF stops with our message (exit 7)
    and writes no PDF; the key itself is not printed."""
    wrong_key = "0123456789abcdef-not-the-key"
    run = ocrmypdf("--image-dpi", "150", SAMPLES / "english.png", tmp_path / "out.pdf",
                   env={"LINGYUN_ENDPOINT": lingyun_server.url,
                        "LINGYUN_APP_KEY": lingyun_server.app_key,
                        "LINGYUN_DEV_KEY": wrong_key})
    assert run.returncode == 7, run.stderr[-2000:]
    assert "lingyun could not read" in run.stderr
    assert wrong_key not in run.stderr + run.stdout
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize(("languages", "expected"), [
    (["eng"], "text.english"), (["chi_sim"], "text.chinese"),
    (["eng", "chi_tra"], "text.chinese"),
])
def test_languages_choose_the_text_type(languages, expected):
    assert document_type(languages) == expected
    assert set(languages) <= LingyunOcrEngine.languages(None)


def test_an_unknown_language_is_a_bad_argument():
    with pytest.raises(BadArgsError, match="fra"):
        document_type(["eng", "fra"])


@pytest.mark.parametrize(("degrees", "angle"), [(0.0, 0), (90.0, 270), (-90.0, 90), (180.0, 180)])
def test_get_orientation_says_how_far_the_page_is_turned_clockwise(tmp_path, embedded, degrees,
                                                                   angle):
    from types import SimpleNamespace

    found = LingyunOcrEngine.get_orientation(turned("english.png", degrees, tmp_path),
                                             SimpleNamespace(languages=["eng"]))
    assert found.angle == angle
    assert found.confidence > 50  # a majority of the page's characters, in percent


def test_rotate_pages_turns_a_page_fed_sideways_upright_in_the_pdf(tmp_path, embedded):
    import pypdfium2

    from lingyun import Client
    from lingyun.geometry.orientation import page_orientation

    out = tmp_path / "rotated.pdf"
    run = ocrmypdf("--rotate-pages", turned("english.png", 90.0, tmp_path), out)
    assert run.returncode == 0, run.stderr[-2000:]
    assert words(out) == EXPECTED["english"]["text"].split()
    page = pypdfium2.PdfDocument(out)[0].render(scale=150 / 72, may_draw_forms=False)
    page_png = tmp_path / "page.png"
    page.to_pil().save(page_png)
    layout = Client.from_env().recognize(page_png, "text.english", withPosition=True).layout
    assert page_orientation(layout)["angle"].tolist() == [0]  # shown upright
