"""``lingyun analyze`` and the loader: raw streams and bulk JSONL into one analysis."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from lingyun.cli import main
from lingyun.errors import UsageError
from lingyun.geometry import load

from .conftest import page_records, stream, text_line

PAGE = page_records(800, 300, [[text_line("glyph geometry", 20, 40 + 30 * i, second="q",
                                          distance=10, second_distance=30)
                                for i in range(3)]])


@pytest.fixture
def inputs(tmp_path):
    raw = tmp_path / "page.bin"
    raw.write_bytes(stream(PAGE, PAGE))
    positions = base64.b64encode(stream(PAGE)).decode()
    records = [
        {"source": "a.png", "page": None, "ok": True,
         "result": {"kind": "text", "document_type": "text.english", "text": "",
                    "positions": positions, "raw": {}}},
        {"source": "b.png", "page": 2, "ok": False, "error": {"type": "TransientError"}},
        {"source": "c.tif", "page": 1, "ok": True, "result": {"data": {"positions": positions}}},
    ]
    jsonl = tmp_path / "out.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return raw, jsonl


def test_streams_and_bulk_records_load_as_one_layout(inputs):
    raw, jsonl = inputs
    corpus = load([raw, jsonl])
    assert corpus.documents == [str(raw), f"{jsonl}:1 a.png", f"{jsonl}:3 c.tif#1"]
    assert corpus.skipped == [f"{jsonl}:2"]
    assert corpus.layout.page_document.tolist() == [0, 0, 1, 2]
    assert corpus.layout.lines.size == 12


def test_bad_records_name_their_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"ok": true, "result": {"positions": "not base64!"}}\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"bad\.jsonl:1: positions are not valid base64"):
        load([bad])
    bad.write_text('{"ok": true}\n{broken\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"bad\.jsonl:2: not JSON"):
        load([bad])
    ragged = tmp_path / "ragged.bin"
    ragged.write_bytes(stream(PAGE)[:-5])
    with pytest.raises(UsageError, match=r"ragged\.bin: .*node"):
        load([ragged])


def test_analyze_prints_json_with_the_known_numbers(inputs, capsys):
    raw, jsonl = inputs
    assert main(["analyze", "--format", "json", str(raw), str(jsonl)]) == 0
    printed = capsys.readouterr()
    summary = json.loads(printed.out)
    # the record without positions is named, with what to do about it
    assert "left out 1 record(s) without a position stream" in printed.err
    assert f"{jsonl}:2" in printed.err and "--positions" in printed.err
    assert summary["inputs"] == {"documents": 3, "skipped records": 1, "pages": 4,
                                 "regions": 4, "lines": 12, "glyphs": 12 * 13}
    assert summary["glyphs"]["width px median"] == 12
    assert summary["lines"]["skew deg median"] == 0
    assert summary["lines"]["spacing px median"] == 30
    assert summary["candidates"]["confusion g/q"] == "24 (margin 20.0)"  # 2 g per line
    assert summary["pages"]["columns (pages)"] == "1: 4"
    assert summary["lines"]["spacing px IQR"] == [30, 30]  # numbers, not "30.0 .. 30.0"
    for section in summary.values():
        for name, value in section.items():
            if name.endswith(" IQR"):
                assert isinstance(value, list) and len(value) == 2, (name, value)
                assert all(v is None or isinstance(v, float | int) for v in value)


def test_no_negative_zero_in_the_table_or_the_json(inputs, capsys):
    from lingyun.geometry.summary import _round

    assert str(_round(-0.0)) == "0.0" and str(_round(-1.5)) == "-1.5"
    raw, _ = inputs
    assert main(["analyze", str(raw)]) == 0
    table = capsys.readouterr().out
    assert "-0.0" not in table and "spacing px IQR" in table and "30.0 .. 30.0" in table
    assert main(["analyze", "--format", "json", str(raw)]) == 0
    assert "-0.0" not in capsys.readouterr().out


@pytest.mark.integration
def test_overlay_has_a_legend_and_region_numbers_clear_of_glyph_labels(inputs):
    pytest.importorskip("matplotlib", reason="matplotlib: pip install 'lingyun[integrations]'")
    from lingyun.geometry import plots
    from lingyun.geometry.summary import analyze

    raw, _ = inputs
    font = plots.cjk_font()
    if font is None:
        pytest.skip("no CJK font: glyph labels are not drawn")
    figure = plots.overlay_figure(analyze(load([raw])), 0, font=font)
    try:
        renderer = figure.canvas.get_renderer()
        figure.canvas.draw()
        texts = [t for t in figure.findobj() if hasattr(t, "get_gid") and t.get_gid()]
        numbers = [t.get_window_extent(renderer) for t in texts if t.get_gid() == "region-number"]
        labels = [t.get_window_extent(renderer) for t in texts if t.get_gid() == "glyph-label"]
        assert len(numbers) == 1 and len(labels) == 3 * 13
        assert not any(n.overlaps(label) for n in numbers for label in labels)
        legend_texts = [t.get_text() for t in figure.legends[0].get_texts()]
        assert any("region" in t for t in legend_texts)
        assert any("baseline" in t for t in legend_texts)
        assert any("distance" in t for t in legend_texts)
    finally:
        import matplotlib.pyplot as plt

        plt.close(figure)


@pytest.mark.integration
def test_analyze_writes_png_figures(inputs, tmp_path, capsys):
    pytest.importorskip("matplotlib", reason="matplotlib: pip install 'lingyun[integrations]'")
    raw, _ = inputs
    out = tmp_path / "plots"
    assert main(["analyze", str(raw), "--plots", str(out), "--overlays", "2"]) == 0
    captured = capsys.readouterr()
    assert "width px median" in captured.out
    names = sorted(p.name for p in out.iterdir())
    assert names == ["distances.png", "page-0.png", "page-1.png", "sizes.png", "skew.png"]
    for path in out.iterdir():
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000
    assert "wrote 5 figures" in captured.err


def test_analyze_of_a_missing_file_is_a_usage_error(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "nope.bin")]) == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.integration
def test_without_a_cjk_font_no_labels_are_drawn_and_the_user_is_told(inputs, tmp_path, capsys,
                                                                        monkeypatch):
    pytest.importorskip("matplotlib", reason="matplotlib: pip install 'lingyun[integrations]'")
    from lingyun.geometry import plots

    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    raw, _ = inputs
    assert main(["analyze", str(raw), "--plots", str(tmp_path / "p")]) == 0
    assert "no CJK font found" in capsys.readouterr().err


@pytest.mark.integration
def test_a_cjk_font_is_found_where_one_is_installed(monkeypatch):
    pytest.importorskip("matplotlib", reason="matplotlib: pip install 'lingyun[integrations]'")
    import importlib

    from matplotlib import font_manager

    from lingyun.geometry import plots

    draw = importlib.import_module("lingyun.exports.draw")  # the package exports a draw()

    monkeypatch.setattr(draw, "find_font", lambda: None)  # only matplotlib's own list left

    entry = font_manager.FontEntry(fname="/fonts/NotoSansCJK-Regular.ttc",
                                   name="Noto Sans CJK JP")
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [entry])
    assert plots.cjk_font() == "/fonts/NotoSansCJK-Regular.ttc"
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    assert plots.cjk_font() is None
    monkeypatch.setattr(draw, "find_font", lambda: Path("/fonts/packaged.otf"))
    assert plots.cjk_font() == "/fonts/packaged.otf"
