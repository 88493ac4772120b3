"""The position encoder lays nodes out at SPEC §5 offsets, for any text and boxes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lingyun.service.positions import SUSPECT_BELOW, Glyph, Line, distance, encode_page, slots

from .conftest import read_nodes

boxes = st.tuples(st.integers(0, 2000), st.integers(0, 2000), st.integers(1, 200),
                  st.integers(1, 200)).map(lambda b: (b[0], b[1], b[0] + b[2], b[1] + b[3]))
glyphs = st.builds(Glyph, st.characters(exclude_categories=("Cs", "Zl", "Zp", "Cc")), boxes,
                   st.floats(0, 1))
lines = st.builds(Line, boxes, st.lists(glyphs, max_size=12))


@given(st.lists(lines, max_size=5), st.integers(1, 5000), st.integers(1, 5000))
def test_every_glyph_is_a_char_node_with_its_box_and_text_rebuilds(page_lines, width, height):
    stream = encode_page(width, height, [page_lines])
    nodes = read_nodes(stream)
    assert nodes[0] == ("PAGE", width, height, 0)
    assert [n[0] for n in nodes].count("REGION") == (1 if page_lines else 0)
    assert [n[0] for n in nodes].count("LINE") == len(page_lines)
    chars = [n for n in nodes if n[0] == "CHAR"]
    expected_units = []
    for line in page_lines:
        for g in line.glyphs:
            if not g.char.isspace():
                units = g.char.encode("utf-16-le")
                expected_units += [(units[i:i + 2], g) for i in range(0, len(units), 2)]
    assert len(chars) == len(expected_units)
    for node, (unit, glyph) in zip(chars, expected_units, strict=True):
        assert ord(node[1]) == int.from_bytes(unit, "little")
        assert node[3] == glyph.box
        assert node[4] == (1 if glyph.confidence < SUSPECT_BELOW else 0)
        assert node[6][0] == distance(glyph.confidence)


def test_spaces_become_space_before_and_distance_maps_confidence():
    space = Glyph(" ", (10, 0, 20, 10), 1.0)
    line = Line((0, 0, 30, 10), [Glyph("a", (0, 0, 10, 10), 1.0), space, space,
                                 Glyph("b", (20, 0, 30, 10), 0.5)])
    chars = [n for n in read_nodes(encode_page(30, 10, [[line]])) if n[0] == "CHAR"]
    assert [(c[1], c[2]) for c in chars] == [("a", 0), ("b", 2)]
    assert [c[6][0] for c in chars] == [0, 6]  # p = 0.5 is 6 dB below certainty
    assert distance(0.0) == 254 and distance(-1) == 254 and distance(2) == 0
    assert [distance(p) for p in (1.0, 0.1, 0.01, 1e-6, 1e-13)] == [0, 20, 40, 120, 254]


bmp = st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs", "Zl", "Zp", "Cc", "Zs"))
alternatives = st.lists(st.tuples(bmp, st.floats(0, 1)), max_size=6).map(
    lambda alts: tuple(sorted(alts, key=lambda a: -a[1])))


@given(bmp, st.floats(0, 1), alternatives)
def test_candidate_slots_rise_strictly_and_unused_slots_are_255(char, p, alts):
    codes, distances = slots(Glyph(char, (0, 0, 1, 1), p, alts))
    used = [d for d in distances if d != 255]
    assert codes[0] == ord(char) and distances[0] == distance(p)
    assert used == sorted(set(used)) and all(d <= 254 for d in used)
    assert distances[len(used):] == [255] * (5 - len(used))
    assert codes[len(used):] == [0] * (5 - len(used)) and 0 not in codes[:len(used)]
    assert len(set(codes[:len(used)])) == len(used)  # a character is never its own rival
    expected = [ord(c) for c, _ in alts if c != char]
    kept = codes[1:len(used)]
    assert kept == [c for c in dict.fromkeys(expected)][:len(kept)]


def test_candidates_reach_the_char_node_in_rank_order():
    glyph = Glyph("己", (0, 0, 10, 10), 0.9, (("已", 0.05), ("巳", 0.05), ("乙", 1e-4)))
    line = Line((0, 0, 10, 10), [glyph])
    (char,) = [n for n in read_nodes(encode_page(10, 10, [[line]])) if n[0] == "CHAR"]
    assert char[5] == (ord("己"), ord("已"), ord("巳"), ord("乙"), 0)
    assert char[6] == (1, 26, 27, 80, 255)  # 0.05 twice: the second one step further
