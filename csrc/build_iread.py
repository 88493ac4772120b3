"""cffi build script for ``lingyun._iread`` (out-of-line API mode).

It sits beside the C sources, outside the package, so it is not shipped in the wheel
(the pynacl layout).  The declarations between the ``IREAD_CDEF_BEGIN/END`` markers of
``iread.h`` are the cdef -- one source for the compiler and for cffi, so they cannot drift.

The module is built against the limited API (``py_limited_api``): cffi's generated code uses
only the stable ABI, so one ``abi3`` binary serves every CPython from 3.11 on (setup.py tags
the wheel ``cp311-abi3``).
"""

import os
import sys
from pathlib import Path

from cffi import FFI

#: Compiler flags by distutils ``compiler_type``.  The sources are C11 (``_Static_assert``
#: checks the node layout at compile time): GCC and clang spell that ``-std=c11``; MSVC
#: ignores unknown ``-`` flags, so it gets its own spelling (``/std:c11``, Visual Studio
#: 2019 16.8 and later).  ``setup.py`` picks by the compiler the build really uses.
COMPILE_ARGS: dict[str, list[str]] = {
    "msvc": ["/O2", "/std:c11"],
    "unix": ["-O2", "-std=c11"],
    "mingw32": ["-O2", "-std=c11"],
    "cygwin": ["-O2", "-std=c11"],
}


def compile_args(compiler_type: str) -> list[str]:
    """The flags for a compiler of ``compiler_type`` (``msvc``, ``unix``, ...); a type not
    listed is GCC-like (every other compiler distutils knows takes ``-std=c11``)."""
    return list(COMPILE_ARGS.get(compiler_type, COMPILE_ARGS["unix"]))

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
    # the flags depend on the compiler: setup.py's build_ext adds them (compile_args)
    py_limited_api=True,
)

if __name__ == "__main__":
    # A standalone in-place build (``python csrc/build_iread.py``) with this platform's
    # usual compiler: MSVC on Windows, a GCC-like one elsewhere.
    ffibuilder.set_source(
        "lingyun._iread", '#include "iread.h"', sources=[os.path.relpath(HERE / "iread.c")],
        include_dirs=[str(HERE)], py_limited_api=True,
        extra_compile_args=compile_args("msvc" if sys.platform == "win32" else "unix"))
    ffibuilder.compile(verbose=True)
