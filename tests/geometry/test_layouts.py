"""Reading order on magazine pages (column separators + line precedence) and the layout seam."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lingyun import hookimpl
from lingyun.errors import ConfigurationError
from lingyun.geometry.columns import column_order, separators
from lingyun.geometry.order import ReadingOrder
from lingyun.plugins import get_plugin_manager
from lingyun.service.layouts import DEFAULT_LAYOUT, layout_engine, layout_engines
from lingyun.service.positions import Glyph, Line, arrange, page_text

H = 20  # line height in the synthetic pages; lines 30 px apart


def column(x: int, width: int, first: int, count: int, label: str) -> list[tuple]:
    """``count`` lines of one column, ``(box, text)``, from ``y = first``."""
    return [((x, first + 30 * r, x + width, first + 30 * r + H), f"{label}{r}")
            for r in range(count)]


def read(lines: list[tuple], **options) -> list[str]:
    found = column_order([box for box, _ in lines], **options)
    return [lines[i][1] for i in found.order.tolist()]


def magazine() -> tuple[list[tuple], list[str]]:
    """A heading over two columns, a picture in the left column that the text wraps
    around (short lines beside it), a gutter that narrows from 40 to 18 px, a caption over
    both columns, then two more columns: the truth is each band's columns in turn."""
    lines = [((40, 20, 760, 50), "heading")]
    lines += column(40, 340, 80, 3, "a")                # left column, full width
    lines += column(40, 150, 170, 4, "b")               # beside a picture at x 200..380
    lines += column(40, 340, 290, 2, "c")
    lines += column(420, 340, 80, 5, "d")               # right column, gutter 40 px
    lines += column(398, 362, 230, 4, "e")              # the gutter narrows to 18 px
    lines += [((40, 360, 760, 380), "caption")]
    lines += column(40, 340, 400, 3, "f")
    lines += column(420, 340, 400, 3, "g")
    truth = ["heading", *[f"a{r}" for r in range(3)], *[f"b{r}" for r in range(4)],
             "c0", "c1", *[f"d{r}" for r in range(5)], *[f"e{r}" for r in range(4)],
             "caption", *[f"f{r}" for r in range(3)], *[f"g{r}" for r in range(3)]]
    return lines, truth


def test_a_magazine_page_is_read_column_by_column_in_each_band():
    lines, truth = magazine()
    shuffled = [lines[i] for i in np.random.default_rng(7).permutation(len(lines))]
    assert read(shuffled) == truth
    found = column_order([box for box, _ in lines])
    assert found.columns.tolist() == [2]


def test_the_separator_ends_where_a_spanning_line_crosses_it():
    lines, _truth = magazine()
    boxes = np.array([box for box, _ in lines], dtype=np.float64)
    found = separators(boxes, float(H))
    assert len(found) >= 2
    # every separator lies in the gutter and inside one band: none crosses the caption
    assert np.all((found.x > 380) & (found.x < 420))
    caption_top, caption_bottom = 360, 380
    assert np.all((found.bottom <= caption_top) | (found.top >= caption_bottom))


def test_a_table_and_a_receipt_are_read_row_by_row():
    table = []
    for r in range(5):  # a label column and three columns of figures, 60 px gutters
        y = 40 + 30 * r
        table += [((20, y, 260, y + H), f"label{r}")]
        table += [((320 + 120 * c, y, 380 + 120 * c, y + H), f"n{r}{c}") for c in range(3)]
    expected = [text for _, text in table]
    assert read(list(reversed(table))) == expected
    found = column_order([box for box, _ in table])
    assert found.columns.tolist() == [1]
    assert found.block.max() == 0  # one block
    assert np.unique(found.row).size == 5  # one row per table row: the cells join


def test_blocks_and_rows_follow_the_order():
    lines, truth = magazine()
    found = column_order([box for box, _ in lines])
    blocks = found.block[found.order]
    assert np.all(np.diff(blocks) >= 0) and blocks[0] == 0
    # a new block at the heading/column, column/column and caption boundaries at least
    assert np.unique(blocks).size >= 7
    assert np.unique(found.row).size == len(truth)  # no two stacked lines share a row


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 900), st.integers(0, 1200), st.integers(1, 400),
                          st.integers(1, 60)), max_size=40),
       st.lists(st.integers(0, 2), max_size=40))
def test_any_boxes_come_out_once_each(raw, pages):
    boxes = [(x, y, x + w, y + h) for x, y, w, h in raw]
    groups = (pages + [0] * len(boxes))[:len(boxes)]
    found = column_order(boxes, groups=np.array(groups, dtype=np.int64))
    assert sorted(found.order.tolist()) == list(range(len(boxes)))
    assert found.block.shape == found.row.shape == (len(boxes),)
    # pages stay apart and in order
    assert np.all(np.diff(np.array(groups, dtype=np.int64)[found.order]) >= 0)


def glyph_line(text: str, box: tuple[int, int, int, int]) -> Line:
    step = (box[2] - box[0]) // max(len(text), 1)
    return Line(box, [Glyph(ch, (box[0] + i * step, box[1], box[0] + (i + 1) * step - 1,
                                 box[3]), 0.99) for i, ch in enumerate(text)])


def test_hook_lingyun_register_layouts(monkeypatch):
    """A third-party layout engine, registered like the built-ins, chosen by name."""
    assert {"columns", "xycut"} <= set(layout_engines()) and DEFAULT_LAYOUT == "columns"

    def bottom_up(boxes, *, skew=0.0):
        order = np.argsort(-np.asarray(boxes)[:, 1], kind="stable")
        n = len(order)
        block = np.zeros(n, dtype=np.int64)
        row = np.empty(n, dtype=np.int64)
        row[order] = np.arange(n)
        return ReadingOrder(order=order, block=block, row=row, columns=np.ones(1, np.int64))

    class Plugin:
        @hookimpl
        def lingyun_register_layouts(self, register):
            register("bottom-up", bottom_up)

    lines = [glyph_line("first", (10, 10, 110, 30)), glyph_line("second", (10, 40, 130, 60))]
    pm = get_plugin_manager()
    plugin = Plugin()
    pm.register(plugin, name="bottom-up-layout")
    try:
        assert layout_engine("bottom-up") is bottom_up
        assert page_text(arrange(lines, layout="bottom-up")) == "second\nfirst"
        monkeypatch.setenv("LINGYUN_LAYOUT", "bottom-up")
        assert page_text(arrange(lines)) == "second\nfirst"
    finally:
        pm.unregister(plugin)
    monkeypatch.delenv("LINGYUN_LAYOUT")
    assert page_text(arrange(lines)) == "first\nsecond"
    with pytest.raises(ConfigurationError, match="unknown layout engine 'bottom-up'.*columns"):
        arrange(lines, layout="bottom-up")


def test_a_layout_name_registered_twice_is_an_error_naming_both_plugins():
    class Plugin:
        @hookimpl
        def lingyun_register_layouts(self, register):
            register("columns", lambda boxes, *, skew=0.0: None)

    pm = get_plugin_manager()
    plugin = Plugin()
    pm.register(plugin, name="second-columns")
    try:
        with pytest.raises(Exception, match="registered twice.*second-columns"):
            layout_engines()
    finally:
        pm.unregister(plugin)


def test_a_table_of_figures_beside_a_text_column_is_read_before_it():
    """Figures on the left, a text column on the right at its own line pitch: the table
    (row by row) comes first, then the column -- but a table whose last column is wide
    text (rows shared with the figures) stays one table, read row by row."""
    table = []
    for r in range(6):
        y = 40 + 30 * r
        table += [((20, y, 200, y + H), f"label{r}"), ((240, y, 290, y + H), f"n{r}a"),
                  ((330, y, 380, y + H), f"n{r}b")]
    text = [((430, 44 + 26 * r, 800, 44 + 26 * r + H), f"text{r}") for r in range(7)]
    lines = table + text
    assert read(lines[::-1]) == [t for _, t in table] + [t for _, t in text]
    wide_last = [*table, *[((430, 40 + 30 * r, 800, 40 + 30 * r + H), f"note{r}")
                           for r in range(6)]]
    by_rows = sorted(wide_last, key=lambda item: (item[0][1], item[0][0]))
    assert read(wide_last) == [t for _, t in by_rows]


def spaced_line(words: list[str], y: int, *, split_at: int = -1,
                tracked: bool = False) -> Line:
    """Words with engine spaces between them; ``split_at`` opens a wide gap inside the
    second word before that letter (two words the engine ran together); ``tracked`` sets
    every letter of the second word apart (a letter-spaced title)."""
    glyphs, x = [], 10
    for w, word in enumerate(words):
        if glyphs:
            glyphs.append(Glyph(" ", (x, y, x + 8, y + 20), 1.0))
            x += 8
        for i, ch in enumerate(word):
            if w == 1 and (i == split_at or (tracked and i > 0)):
                x += 9
            glyphs.append(Glyph(ch, (x, y, x + 10, y + 20), 0.99))
            x += 11
    return Line((10, y, x, y + 20), glyphs)


def test_with_engine_spaces_a_row_keeps_them_and_gets_only_those_it_left_out():
    lines = [spaced_line(["SOURCE", "INDEX", "DATA"], 10, tracked=True),
             spaced_line(["plain", "words", "here"], 40)]
    assert page_text(arrange(lines, engine_spaces=True)) == \
        "SOURCE INDEX DATA\nplain words here"
    # without the promise, the gaps speak too (an engine that drops some spaces)
    assert page_text(arrange(lines)) == "SOURCE I N D E X DATA\nplain words here"
    # one gap as wide as the line's marked spaces inside a tight word: a space the engine
    # left out ("reportis"), taken; every letter that far apart: letter-spacing, kept
    run_together = [spaced_line(["SOURCE", "INDEX", "DATA"], 10, split_at=2)]
    assert page_text(arrange(run_together, engine_spaces=True)) == "SOURCE IN DEX DATA"
    # letters without engine spaces are spaced from their gaps either way
    unmarked = Line(lines[1].box, [g for g in lines[1].glyphs if not g.char.isspace()])
    assert page_text(arrange([unmarked], engine_spaces=True)) == "plain words here"


@pytest.mark.parametrize("answer", [None, "short", "not a permutation"])
def test_a_layout_engine_with_a_bad_answer_is_named(answer):
    def broken(boxes, *, skew=0.0):
        n = len(boxes)
        if answer == "short":
            return ReadingOrder(order=np.arange(n), block=np.zeros(n - 1, np.int64),
                                row=np.zeros(n, np.int64), columns=np.ones(1, np.int64))
        if answer == "not a permutation":
            return ReadingOrder(order=np.zeros(n, np.int64), block=np.zeros(n, np.int64),
                                row=np.zeros(n, np.int64), columns=np.ones(1, np.int64))
        return None

    class Plugin:
        @hookimpl
        def lingyun_register_layouts(self, register):
            register("broken", broken)

    lines = [glyph_line("first", (10, 10, 110, 30)), glyph_line("second", (10, 40, 130, 60))]
    pm = get_plugin_manager()
    plugin = Plugin()
    pm.register(plugin, name="broken-layout")
    try:
        with pytest.raises(ConfigurationError, match="layout engine 'broken'"):
            arrange(lines, layout="broken")
    finally:
        pm.unregister(plugin)
