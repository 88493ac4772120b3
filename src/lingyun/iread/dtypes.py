"""numpy dtypes: the wire structs (48-byte nodes) and the decoder's output records.

One dtype per struct, in C field order, with explicit little-endian formats and offsets --
``align=True`` is not promised to match a C compiler, an explicit layout is.  Each output
record starts with its node's union member verbatim (:data:`PREFIX` bytes), so decoding is
mostly one block copy per node, followed by the parent indices.  The output
dtypes mirror the ``ly_*`` records of ``csrc/iread.h`` (a test holds every itemsize and
offset against ``ffi.sizeof``/``ffi.offsetof``); the wire dtypes mirror ``IREAD_NODE`` with
each union member at byte 4.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "CELL",
    "CHAR",
    "LINE",
    "NODE_SIZE",
    "NODE_TYPES",
    "PAGE",
    "REGION",
    "WIRE",
]

NODE_SIZE = 48
UNION = 4
#: wType values, in order: PAGE 0, REGION 1, TABLECELL 2, LINE 3, CHAR 4.
NODE_TYPES = ("page", "region", "cell", "line", "char")


def _struct(fields: list[tuple[str, str | tuple[str, tuple[int, ...]], int]],
            size: int) -> np.dtype[np.void]:
    return np.dtype({
        "names": [f[0] for f in fields],
        "formats": [f[1] for f in fields],
        "offsets": [f[2] for f in fields],
        "itemsize": size,
    })


_RECT = [("left", "<i4", 0), ("top", "<i4", 4), ("right", "<i4", 8), ("bottom", "<i4", 12)]

# ---- decoder output records ------------------------------------------------------------
#: Pages: size in pixels, skew in 1/100 degree counter-clockwise.            12 bytes
PAGE = _struct([("width", "<i4", 0), ("height", "<i4", 4), ("skew", "<i4", 8)], 12)
#: Regions: bounding box, type and recognition language, owning page.        24 bytes
REGION = _struct(
    [*_RECT, ("region_type", "<u2", 16), ("lang", "<u2", 18), ("page", "<i4", 20)], 24
)
#: Table cells: bounding box, owning region and page.                          24 bytes
CELL = _struct([*_RECT, ("region", "<i4", 16), ("page", "<i4", 20)], 24)
#: Lines: baseline (top or left edge), size, average char size, parents, chars.  28 bytes
LINE = _struct(
    [
        ("baseline", "<u2", 0), ("size", "<u2", 2),
        ("avg_char_width", "<u2", 4), ("avg_char_height", "<u2", 6),
        ("region", "<i4", 8), ("cell", "<i4", 12), ("page", "<i4", 16),
        ("first_char", "<i4", 20), ("char_count", "<i4", 24),
    ],
    28,
)
#: Characters: UTF-16 code, spaces before, box, suspect flag, the (unused) attribute words,
#: 5 candidates with their distances (255 = slot unused), parents, and ``text`` (the
#: character as a string, surrogate pairs joined on the high half).          64 bytes
CHAR = _struct(
    [
        ("code", "<u2", 0), ("space_before", "<u2", 2),
        ("left", "<i4", 4), ("top", "<i4", 8), ("right", "<i4", 12), ("bottom", "<i4", 16),
        ("suspect", "<i4", 20), ("attributes", ("<u2", (2,)), 24),
        ("candidates", ("<u2", (5,)), 28), ("distances", ("u1", (5,)), 38),
        ("reserved", "u1", 43),
        ("line", "<i4", 44), ("region", "<i4", 48), ("cell", "<i4", 52), ("page", "<i4", 56),
        ("text", "<U1", 60),
    ],
    64,
)
OUTPUT = {"page": PAGE, "region": REGION, "cell": CELL, "line": LINE, "char": CHAR}

# ---- wire structs: one 48-byte IREAD_NODE seen through each union member ---------------
_U = UNION
_WIRE_RECT = [("nLeft", "<i4", _U), ("nTop", "<i4", _U + 4), ("nRight", "<i4", _U + 8),
              ("nBottom", "<i4", _U + 12)]
WIRE = {
    "page": _struct([("wType", "<u2", 0), ("nWidth", "<i4", _U), ("nHeight", "<i4", _U + 4),
                     ("nSkewAngle", "<i4", _U + 8)], NODE_SIZE),
    "region": _struct([("wType", "<u2", 0), *_WIRE_RECT, ("wRegionType", "<u2", _U + 16),
                       ("wRecogLang", "<u2", _U + 18)], NODE_SIZE),
    "cell": _struct([("wType", "<u2", 0), *_WIRE_RECT], NODE_SIZE),
    "line": _struct([("wType", "<u2", 0), ("nBaseLine", "<u2", _U),
                     ("nLineSize", "<u2", _U + 2), ("nAverageCharWidth", "<u2", _U + 4),
                     ("nAverageCharHeight", "<u2", _U + 6)], NODE_SIZE),
    "char": _struct([("wType", "<u2", 0), ("wCode", "<u2", _U), ("nSpaceBefore", "<u2", _U + 2),
                     ("nLeft", "<i4", _U + 4), ("nTop", "<i4", _U + 8),
                     ("nRight", "<i4", _U + 12), ("nBottom", "<i4", _U + 16),
                     ("bSuspect", "<i4", _U + 20), ("wAttribute", ("<u2", (2,)), _U + 24),
                     ("wCandidate", ("<u2", (5,)), _U + 28),
                     ("nDistance", ("u1", (5,)), _U + 38), ("nReserved", "u1", _U + 43)],
                    NODE_SIZE),
}

#: Every output record begins with its node's union member, byte for byte: this many bytes.
PREFIX = {"page": 12, "region": 20, "cell": 16, "line": 8, "char": 44}
#: Output field <- wire field, for every field copied straight from the node.
FROM_WIRE = {
    "page": {"width": "nWidth", "height": "nHeight", "skew": "nSkewAngle"},
    "region": {"left": "nLeft", "top": "nTop", "right": "nRight", "bottom": "nBottom",
               "region_type": "wRegionType", "lang": "wRecogLang"},
    "cell": {"left": "nLeft", "top": "nTop", "right": "nRight", "bottom": "nBottom"},
    "line": {"baseline": "nBaseLine", "size": "nLineSize",
             "avg_char_width": "nAverageCharWidth", "avg_char_height": "nAverageCharHeight"},
    "char": {"code": "wCode", "space_before": "nSpaceBefore", "left": "nLeft", "top": "nTop",
             "right": "nRight", "bottom": "nBottom", "suspect": "bSuspect",
             "attributes": "wAttribute", "candidates": "wCandidate", "distances": "nDistance",
             "reserved": "nReserved"},
}
