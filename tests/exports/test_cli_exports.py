"""``lingyun ocr --format <export>/--export/--overlay`` on the embedded engine."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image

from lingyun.cli import EXIT_USAGE, main
from lingyun.service.engines.rapidocr import rapidocr_available

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "lingyun" / "samples"
INFO = json.loads((SAMPLES / "samples.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.skipif(not rapidocr_available(),
                                reason="needs the local extra (rapidocr 3 + onnxruntime)")


@pytest.fixture(autouse=True)
def embedded(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LINGYUN_ENDPOINT", "LINGYUN_APP_KEY", "LINGYUN_DEV_KEY"):
        monkeypatch.delenv(name, raising=False)


def test_hocr_to_stdout_has_every_glyph(capsys) -> None:
    assert main(["ocr", "--format", "hocr", str(SAMPLES / "english.png")]) == 0
    out = capsys.readouterr().out
    assert out.count("class=\"ocrx_cinfo\"") == len(INFO["english"]["text"].replace(" ", ""))
    glyphs = re.findall(r'class="ocrx_cinfo"[^>]*>([^<]*)<', out)
    assert "".join(glyphs) == INFO["english"]["text"].replace(" ", "")
    assert "x_bboxes" in out and out.rstrip().endswith("</html>")


def test_one_file_per_page_and_overlays(tmp_path: Path, capsys) -> None:
    out_dir, overlays = tmp_path / "alto", tmp_path / "overlays"
    assert main(["ocr", "--format", "alto", "--export", f"{out_dir}/", "--overlay",
                 str(overlays), str(SAMPLES)]) == 0
    names = sorted(p.name for p in SAMPLES.glob("*.png"))
    assert sorted(p.name for p in out_dir.iterdir()) == [n.replace(".png", ".xml")
                                                         for n in names]
    assert "<Glyph" in (out_dir / "english.xml").read_text(encoding="utf-8")
    for name in names:
        with Image.open(overlays / name) as drawn, Image.open(SAMPLES / name) as original:
            assert drawn.size == original.size
            assert drawn.convert("RGB").tobytes() != original.convert("RGB").tobytes()


@pytest.mark.integration
def test_records_and_a_glyph_table_from_the_same_run(tmp_path: Path) -> None:
    pytest.importorskip("pandas", reason="pandas: pip install 'lingyun[integrations]'")
    records, table = tmp_path / "run.jsonl", tmp_path / "glyphs.csv"
    assert main(["ocr", "--out", str(records), "--format", "csv", "--export", str(table),
                 str(SAMPLES / "chinese.png"), str(SAMPLES / "english.png")]) == 0
    lines = records.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and all(json.loads(line)["ok"] for line in lines)
    rows = table.read_text(encoding="utf-8").splitlines()
    glyphs = len(INFO["chinese"]["text"]) + len(INFO["english"]["text"].replace(" ", ""))
    assert len(rows) == 1 + glyphs
    # The same table again from the records alone, recognizing nothing.
    again = tmp_path / "again.csv"
    assert main(["export", str(records), "--format", "csv", "--out", str(again)]) == 0
    assert again.read_bytes() == table.read_bytes()


@pytest.mark.integration
def test_one_image_to_parquet_with_out(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="pyarrow: pip install 'lingyun[integrations]'")
    import pyarrow.parquet as pq

    chars = tmp_path / "chars.parquet"
    assert main(["ocr", str(SAMPLES / "english.png"), "--format", "parquet",
                 "--out", str(chars)]) == 0
    table = pq.read_table(chars)
    assert table.num_rows == len(INFO["english"]["text"].replace(" ", ""))
    assert "".join(table.column("text").to_pylist()) == INFO["english"]["text"].replace(" ", "")


@pytest.mark.parametrize(("argv", "message"), [
    (["--format", "parquet"], "--format parquet writes a binary file: add --out FILE.parquet"),
    (["--export", "x.xml"], "--export writes a glyph export"),
    (["--format", "hocr", "--out", "r.jsonl"], "add --export PATH for the hocr export"),
])
def test_export_usage_errors(capsys, tmp_path: Path, argv, message) -> None:
    assert main(["ocr", *argv, str(SAMPLES / "english.png")]) == EXIT_USAGE
    assert message in capsys.readouterr().err
