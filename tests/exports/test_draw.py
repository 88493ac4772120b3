"""Pictures: box colours where the boxes are, baselines, CJK labels drawn as real glyphs."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from PIL import Image

from lingyun.exports import ExportError, FontNotFoundError, draw, find_font, render_overlay
from lingyun.exports.draw import (
    BASELINE_COLOR,
    SURE_COLOR,
    SUSPECT_COLOR,
    UNKNOWN_COLOR,
    distance_color,
)

from .conftest import layout_of, line_records, page_records

WHITE = (255, 255, 255)
draw_module = importlib.import_module("lingyun.exports.draw")  # the function shadows it


def blank(width: int = 400, height: int = 300) -> Image.Image:
    return Image.new("RGB", (width, height), WHITE)


def pixel(image: Image.Image, x: int, y: int) -> tuple[int, int, int]:
    return image.getpixel((x, y))


def test_distance_ramp():
    assert distance_color(0) == SURE_COLOR
    assert distance_color(254) == SUSPECT_COLOR
    assert distance_color(255) == UNKNOWN_COLOR
    mid = distance_color(127)
    assert mid[0] > 200 and mid[1] > 150  # yellow


def test_char_boxes_are_coloured_by_distance_where_they_are():
    layout = layout_of(page_records(["ab"], distances=[0, 254]))
    image = draw(layout, blank(), baselines=False)
    # glyph a: box 10..30 x 10..40, glyph b: 30..50; left edges carry each glyph's colour
    assert pixel(image, 10, 25) == SURE_COLOR
    assert pixel(image, 49, 25) == SUSPECT_COLOR
    assert pixel(image, 20, 25) == WHITE  # inside the box: untouched
    assert pixel(image, 200, 200) == WHITE


def test_suspect_colouring_and_line_level():
    records = page_records(["ab"], distances=[0, 0]) + line_records("cd", 10, 50,
                                                                    distances=[0, 200])
    layout = layout_of(records)
    by_suspect = draw(layout, blank(), level="line", color_by="suspect", baselines=False)
    assert pixel(by_suspect, 10, 25) == SURE_COLOR       # line 1: no suspect glyph
    assert pixel(by_suspect, 10, 65) == SUSPECT_COLOR    # line 2: its second glyph is
    assert pixel(by_suspect, 30, 65) == WHITE            # a line box, not glyph boxes


def test_region_level_uses_stream_boxes(table_layout):
    image = draw(table_layout, blank(600, 400), level="region", baselines=False)
    assert pixel(image, 150, 100) == SURE_COLOR   # top edge of the first cell
    assert pixel(image, 299, 250) == SURE_COLOR   # right edge of the first cell


def test_baselines_are_blue_at_the_glyph_bottoms():
    layout = layout_of(page_records(["abc"]))
    image = draw(layout, blank(), baselines=True, width=2)
    assert pixel(image, 40, 40) == BASELINE_COLOR


@pytest.mark.integration
def test_cjk_labels_are_real_glyphs():
    if find_font() is None:
        pytest.skip("no CJK font: pip install 'lingyun[integrations]' (or Debian's "
                    "fonts-noto-cjk, or set LINGYUN_FONT)")
    records = [{"type": "page", "width": 300, "height": 200}, {"type": "region"}]
    records += line_records("北", 10, 60)
    north = np.asarray(draw(layout_of(records), blank(300, 200), labels="text",
                            baselines=False, label_size=32))
    records[-1]["candidates"][0] = ord("京")
    records[-1]["text"] = "京"
    capital = np.asarray(draw(layout_of(records), blank(300, 200), labels="text",
                              baselines=False, label_size=32))
    label_area = (slice(20, 58), slice(8, 48))
    ink = (north[label_area] != 255).any(axis=2)
    assert ink.sum() > 50  # something was written above the box
    # a missing glyph draws the same empty box for both; real glyphs differ
    assert (north[label_area] != capital[label_area]).any(axis=2).sum() > 50


def test_missing_cjk_font_is_a_named_error(monkeypatch):
    monkeypatch.setattr(draw_module, "FONT_PATHS", ())
    monkeypatch.setattr(draw_module, "_fontconfig", lambda: None)
    monkeypatch.setattr(draw_module, "_packaged_font", lambda: None)
    layout = layout_of(page_records(["北"]))
    with pytest.raises(FontNotFoundError, match="pip install cvttf-notosanscjk-regular"):
        draw(layout, blank(), labels="text")
    latin = draw(layout_of(page_records(["ab"])), blank(), labels="text")  # ASCII: built-in
    assert (np.asarray(latin)[42:70] != 255).any()  # written below the box (no room above)


def test_bad_arguments_are_named():
    layout = layout_of(page_records(["a"]))
    with pytest.raises(ExportError, match="level='word'"):
        draw(layout, blank(), level="word")
    with pytest.raises(ExportError, match="page 3 does not exist"):
        draw(layout, blank(), page=3)
    with pytest.raises(ExportError, match="cannot open the image"):
        draw(layout, b"not an image")


def test_render_overlay_and_layout_draw(tmp_path):
    layout = layout_of(page_records(["ab"], distances=[254, 254]))
    buffer = tmp_path / "in.png"
    blank().save(buffer)
    path = render_overlay(layout, buffer.read_bytes(), tmp_path / "overlay.png")
    assert pixel(Image.open(path).convert("RGB"), 10, 25) == SUSPECT_COLOR
    assert pixel(draw(layout, blank(), baselines=False), 10, 25) == SUSPECT_COLOR
