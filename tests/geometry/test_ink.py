"""Glyph boxes tightened and snapped to the ink of an image."""

from __future__ import annotations

import numpy as np
import pytest

from lingyun.geometry import GeometryError
from lingyun.geometry.ink import backdrop, ink_mask, snap, tighten


def test_boxes_shrink_to_their_ink_and_empty_boxes_stay():
    image = np.full((50, 80), 250, np.uint8)
    image[10:20, 5:15] = 0
    image[30:45, 40:41] = 10
    mask = ink_mask(image)
    boxes = [(0, 0, 30, 30), (30, 25, 60, 50), (60, 0, 80, 10), (-5, -5, 100, 100)]
    assert tighten(mask, boxes).tolist() == [[5, 10, 15, 20], [40, 30, 41, 45],
                                             [60, 0, 80, 10], [5, 10, 41, 45]]


def test_light_text_on_a_dark_ground_is_ink_too():
    image = np.full((20, 20), 5, np.uint8)
    image[5:8, 5:9] = 240
    assert tighten(ink_mask(image), [(0, 0, 20, 20)]).tolist() == [[5, 5, 9, 8]]


def test_slabs_snap_to_the_ink_runs_whose_centre_they_hold():
    # three letters as ink columns 2-9, 12-19 and 30-37; slabs cut them off-centre
    image = np.full((30, 60), 255, np.uint8)
    for start in (2, 12, 30):
        image[8:22, start:start + 8] = 0
    slabs = [(0, 0, 10, 30), (10, 0, 25, 30), (25, 0, 45, 30)]
    snapped = snap(ink_mask(image), slabs, [0, 0, 0])
    assert snapped.tolist() == [[2, 8, 10, 22], [12, 8, 20, 22], [30, 8, 38, 22]]
    # the word gap (10 px) is now the blank between the ink, letter gaps 2 px
    assert (snapped[1:, 0] - snapped[:-1, 2]).tolist() == [2, 10]


def test_a_run_between_slabs_goes_to_the_nearest_and_no_box_becomes_a_speck():
    # ink columns 2-9, 20-27 and 40-47; the engine's slabs leave gaps where the second
    # letter's centre (24) lies, and one stray grey pixel sits in the third slab's corner
    image = np.full((30, 60), 255, np.uint8)
    for start in (2, 20, 40):
        image[8:22, start:start + 8] = 0
    slabs = [(0, 0, 12, 30), (14, 0, 23, 30), (38, 0, 50, 30), (52, 0, 58, 30)]
    image[9, 55] = 60  # a speck inside the last slab, which holds no letter's ink run
    snapped = snap(ink_mask(image), slabs, [0, 0, 0, 0])
    assert snapped[:3].tolist() == [[2, 8, 10, 22], [20, 8, 28, 22], [40, 8, 48, 22]]
    # the empty slab is not shrunk to the 1-pixel speck: it keeps the engine's box
    assert snapped[3].tolist() == [52, 0, 58, 30]


def test_touching_letters_are_cut_at_the_edge_between_their_slabs():
    # "10" joined by a stroke: one ink run over columns 10-39 holds both slabs' centres
    image = np.full((30, 60), 255, np.uint8)
    image[5:25, 10:14] = 0  # the 1
    image[5:25, 26:40] = 0  # the 0
    image[20:22, 14:26] = 0  # the stroke joining them
    slabs = [(8, 0, 22, 30), (22, 0, 42, 30)]
    snapped = snap(ink_mask(image), slabs, [0, 0])
    assert snapped.tolist() == [[10, 5, 22, 25], [23, 5, 40, 25]]
    assert snapped[0, 2] <= snapped[1, 0]  # side by side, never overlapping


def _sheet(ink_level: int, alpha: np.ndarray) -> np.ndarray:
    return np.dstack([np.full(alpha.shape, ink_level, np.uint8)] * 3 + [alpha])


def test_transparent_images_go_on_the_ground_that_contrasts_with_their_ink():
    alpha = np.zeros((20, 40), np.uint8)
    alpha[5:15, 5:35] = 255  # the strokes; everything else is see-through
    assert backdrop(_sheet(255, alpha)) == 0  # white text: on black
    assert backdrop(_sheet(0, alpha)) == 255  # black text: on white
    assert backdrop(_sheet(200, alpha // 2)) == 0  # half-opaque light grey is still light
    assert backdrop(_sheet(255, np.zeros_like(alpha))) == 255  # nothing visible: white
    assert backdrop(_sheet(255, np.full_like(alpha, 255))) == 255  # opaque: never matters


def test_bad_images_are_named():
    with pytest.raises(GeometryError, match="2-D uint8"):
        ink_mask(np.zeros((3, 3, 3), np.uint8))
    with pytest.raises(GeometryError, match="H x W x 4 uint8"):
        backdrop(np.zeros((3, 3, 3), np.uint8))
