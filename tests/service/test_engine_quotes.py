"""The embedded engine prints the quotes the page prints: curly on a typeset page, ASCII on
a typewritten one; the ASCII reading stays the glyph's first alternative."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from lingyun.service.engines.quotes import typeset_quotes
from lingyun.service.positions import Glyph, Line, arrange, page_text

from .conftest import dejavu, needs_rapidocr, png


def _line(text: str, font: str) -> bytes:
    image = Image.new("L", (900, 80), 255)
    ImageDraw.Draw(image).text((20, 20), text, font=dejavu(font, 28), fill=0)
    return png(image)


@needs_rapidocr
@pytest.mark.local_engine
def test_curly_quotes_on_a_typeset_line_and_ascii_on_a_typewritten_one(rapidocr_engine):
    curly = "She said \u201cstop\u201d and it\u2019s \u2018done\u2019 now."
    _, _, lines = rapidocr_engine.read_lines(_line(curly, "DejaVuSerif"))
    assert page_text(arrange(lines, engine_spaces=True)) == curly
    straight = "He said \"stop\" and it's 'done' now."
    _, _, lines = rapidocr_engine.read_lines(_line(straight, "DejaVuSansMono"))
    assert page_text(arrange(lines, engine_spaces=True)) == straight


def test_the_ascii_reading_becomes_the_first_alternative():
    import numpy as np

    mask = np.zeros((40, 40), dtype=bool)
    for row in range(12):  # a mark leaning right at the top, at (10..16, 5..17)
        column = 15 - row // 3
        mask[5 + row, column - 1:column + 1] = True
    quote = Glyph('"', (10, 5, 16, 17), 0.9, (("\u201c", 0.05), ("'", 0.01)))
    line = Line((0, 0, 40, 20), [Glyph("a", (0, 5, 8, 17), 1.0), Glyph(" ", (8, 5, 10, 17), 1.0),
                                 quote, Glyph("b", (18, 5, 26, 17), 1.0)])
    [typed] = typeset_quotes(mask, [line])
    assert [g.char for g in typed.glyphs] == ["a", " ", "\u201c", "b"]
    assert typed.glyphs[2].candidates == (('"', 0.9), ("'", 0.01))
    assert typed.glyphs[2].box == quote.box and typed.glyphs[2].confidence == 0.9
    # an upright mark: the page prints ASCII quotes, nothing changes
    upright = np.zeros((40, 40), dtype=bool)
    upright[5:17, 12:14] = True
    assert typeset_quotes(upright, [line]) == [line]
