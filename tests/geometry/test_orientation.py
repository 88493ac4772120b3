"""How far each page is turned clockwise, from the way its lines run in the stream."""

from __future__ import annotations

import pytest

from lingyun.geometry.orientation import page_orientation
from lingyun.iread import decode, decode_many
from lingyun.service.positions import Glyph, Line, encode_page
from lingyun.service.turned import turn_back

WIDTH, HEIGHT = 600, 400


def _page(text: str = "orientation", rows: int = 4) -> list[list[Line]]:
    """Rows of ``text`` set across a WIDTH x HEIGHT page."""
    lines = []
    for row in range(rows):
        glyphs = [Glyph(ch, (20 + 22 * i, 30 + 60 * row, 40 + 22 * i, 58 + 60 * row), 1.0)
                  for i, ch in enumerate(text)]
        lines.append(Line((20, 30 + 60 * row, 20 + 22 * len(text), 58 + 60 * row), glyphs))
    return [lines]


def _stream(blocks: list[list[Line]], way: str | None) -> bytes:
    if way is None:
        return encode_page(WIDTH, HEIGHT, blocks)
    width, height = (WIDTH, HEIGHT) if way == "over" else (HEIGHT, WIDTH)
    return encode_page(width, height, turn_back(blocks, way, width, height),
                       vertical=way != "over")


@pytest.mark.parametrize(("way", "angle"), [(None, 0), ("down", 90), ("over", 180),
                                            ("up", 270)])
def test_the_way_the_lines_run_gives_the_clockwise_turn(way, angle):
    [found] = page_orientation(decode(_stream(_page(), way))).tolist()
    assert found == (angle, 1.0)


def test_vertical_cjk_writing_is_an_upright_page():
    [found] = page_orientation(decode(_stream(_page("竖排的中文书页"), "down"))).tolist()
    assert found == (0, 1.0)


def test_no_majority_is_upright_with_no_confidence_and_pages_stay_apart():
    across = _page(rows=2)
    mixed = [across[0] + turn_back(_page(rows=2), "up", WIDTH, HEIGHT)[0]]
    mixed_stream = encode_page(WIDTH, WIDTH, mixed)
    layout = decode_many([_stream(_page(), "over"), mixed_stream, encode_page(10, 10, [])])
    assert page_orientation(layout).tolist() == [(180, 1.0), (0, 0.0), (0, 0.0)]
