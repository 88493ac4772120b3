"""Decoder fixtures: every test runs on each available backend; golden streams by struct.pack.

The golden helpers below pack the vendor's layout by hand (SPEC §5 offsets), independently
of :mod:`lingyun.iread.encode`, so an encoder bug cannot hide a decoder bug.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable

import pytest

import lingyun.iread as iread

BACKENDS = ("c", "python")


def _available(name: str) -> bool:
    return name in iread.BACKENDS


@pytest.fixture(params=BACKENDS)
def decode(request: pytest.FixtureRequest) -> Callable[[bytes], iread.Layout]:
    """``decode(data)`` on one backend; the C one is skipped only where it was not built."""
    name = request.param
    if not _available(name):
        if os.environ.get("LINGYUN_REQUIRE_C") == "1":
            pytest.fail("LINGYUN_REQUIRE_C=1 but the compiled decoder is not available")
        pytest.skip(f"the {name} decoder is not built in this installation")
    return lambda data: iread.decode_with(name, data)


def node(kind: int, body: bytes) -> bytes:
    """One 48-byte IREAD_NODE: wType, 2 bytes padding, the union member, zero fill."""
    assert len(body) <= 44
    return struct.pack("<H2x", kind) + body + bytes(44 - len(body))


def page(width: int = 800, height: int = 600, skew: int = 0) -> bytes:
    return node(0, struct.pack("<iii", width, height, skew))


def region(box=(0, 0, 800, 600), region_type: int = 1, lang: int = 2) -> bytes:
    return node(1, struct.pack("<iiiiHH", *box, region_type, lang))


def cell(box=(10, 10, 100, 50)) -> bytes:
    return node(2, struct.pack("<iiii", *box))


def line(baseline: int = 10, size: int = 30, avg_w: int = 20, avg_h: int = 28) -> bytes:
    return node(3, struct.pack("<HHHH", baseline, size, avg_w, avg_h))


def char(code: int | str, box=(1, 2, 3, 4), space_before: int = 0, suspect: int = 0,
         candidates=(0, 0, 0, 0, 0), distances=(0, 255, 255, 255, 255), reserved: int = 0,
         attribute=(0, 0)) -> bytes:
    code = ord(code) if isinstance(code, str) else code
    return node(4, struct.pack("<HHiiiiiHH5H5BB", code, space_before, *box, suspect,
                               *attribute, *candidates, *distances, reserved))


@pytest.fixture(params=BACKENDS)
def decode_many(request: pytest.FixtureRequest) -> Callable[[object], iread.Layout]:
    """``decode_many(streams)`` on one backend, skipped like :func:`decode`."""
    name = request.param
    if not _available(name):
        if os.environ.get("LINGYUN_REQUIRE_C") == "1":
            pytest.fail("LINGYUN_REQUIRE_C=1 but the compiled decoder is not available")
        pytest.skip(f"the {name} decoder is not built in this installation")
    return lambda streams: iread.decode_many_with(name, streams)
