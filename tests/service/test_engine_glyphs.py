"""How rapidocr's per-character output becomes glyphs: boxes, candidates and read spaces."""

from __future__ import annotations

from lingyun.service.engines.rapidocr import _glyphs


def _quad(left: int, right: int) -> list[list[int]]:
    return [[left, 10], [right, 10], [right, 30], [left, 30]]


def test_spaces_the_recognizer_read_become_space_glyphs_between_the_boxes():
    chars = [("a", 0.9, _quad(0, 10)), ("b", 0.8, _quad(10, 20)), ("c", 0.7, _quad(40, 50))]
    ranked = [[("a", 0.9), ("o", 0.05)], [("b", 0.8), ("h", 0.1), ("b", 0.01)],
              [("c", 0.7)]]
    glyphs = _glyphs("ab  c", 0.8, chars, ranked, (0, 10, 50, 30))
    assert [g.char for g in glyphs] == ["a", "b", " ", "c"]  # a run of spaces is one gap
    assert glyphs[2].box == (20, 10, 40, 30)  # the space spans the gap
    assert glyphs[0].candidates == (("o", 0.05),)
    assert glyphs[1].candidates == (("h", 0.1),)  # the read character is never its rival
    assert [g.confidence for g in glyphs] == [0.9, 0.8, 1.0, 0.7]


def test_without_character_boxes_the_line_is_split_and_mismatched_candidates_dropped():
    glyphs = _glyphs("xy z", 0.5, (), [[("x", 0.5)]], (0, 0, 30, 10))
    assert [g.char for g in glyphs] == ["x", "y", " ", "z"]
    assert [g.box[0] for g in glyphs if g.char != " "] == [0, 10, 20]
    assert all(g.candidates == () for g in glyphs)
