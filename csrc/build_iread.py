"""cffi build script for ``lingyun._iread`` (out-of-line API mode).

It sits beside the C sources, outside the package, so it is not shipped in the wheel
(the pynacl layout).  The declarations between the ``IREAD_CDEF_BEGIN/END`` markers of
``iread.h`` are the cdef -- one source for the compiler and for cffi, so they cannot drift.

The module is built against the limited API (``py_limited_api``): cffi's generated code uses
only the stable ABI, so one ``abi3`` binary serves every CPython from 3.11 on (setup.py tags
the wheel ``cp311-abi3``).
"""

import os
from pathlib import Path

from cffi import FFI

HERE = Path(__file__).resolve().parent
HEADER = (HERE / "iread.h").read_text(encoding="utf-8")
CDEF = HEADER.split("/* IREAD_CDEF_BEGIN */", 1)[1].split("/* IREAD_CDEF_END */", 1)[0]

ffibuilder = FFI()
ffibuilder.cdef(CDEF)
ffibuilder.set_source(
    "lingyun._iread",
    '#include "iread.h"',
    # setuptools wants source paths relative to the project root, where builds run.
    sources=[os.path.relpath(HERE / "iread.c")],
    include_dirs=[str(HERE)],
    extra_compile_args=["-O2", "-std=c11"],
    py_limited_api=True,
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
