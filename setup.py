"""Build hook for the optional C decoder.

Everything that setuptools can read from ``pyproject.toml`` lives there; this file exists
only for ``cffi_modules``, which has no declarative form.  The build script sits beside the
C sources in ``csrc/`` so it is not shipped inside the wheel (the pynacl layout).

A missing compiler must not make the package uninstallable: the pure-Python fallback gives
identical results.  So, like markupsafe, a failed extension build is reported and skipped --
unless ``LINGYUN_REQUIRE_C=1`` (set when building release wheels), where it is an error.

The extension uses only the limited API (see csrc/build_iread.py), so the wheel is tagged
``cp311-abi3``: one wheel per platform for CPython 3.11 and every later version
(docs/release.md says how release wheels are built, repaired and tested).
"""

import importlib.util
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext


def _compile_args(compiler_type: str) -> list[str]:
    """The C flags for this compiler, from csrc/build_iread.py (one table for both builds)."""
    path = Path(__file__).resolve().parent / "csrc" / "build_iread.py"
    spec = importlib.util.spec_from_file_location("_lingyun_build_iread", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.compile_args(compiler_type)


class OptionalBuildExt(build_ext):
    """Build the C extension, but let the install succeed without it unless it is required."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # any compiler failure means "fallback"
            self._skip(exc)

    def build_extension(self, ext) -> None:
        # Flags per compiler: GCC/clang's -std=c11 means nothing to MSVC (it needs /std:c11
        # for _Static_assert), so they are chosen here, where the compiler is known.
        compiler_type = self.compiler.compiler_type
        ext.extra_compile_args = [*_compile_args(compiler_type), *ext.extra_compile_args]
        sys.stderr.write(f"lingyun: building {ext.name} with the {compiler_type} compiler, "
                         f"flags {' '.join(ext.extra_compile_args)}\n")
        try:
            super().build_extension(ext)
        except Exception as exc:
            self._skip(exc)

    @staticmethod
    def _skip(exc: Exception) -> None:
        if os.environ.get("LINGYUN_REQUIRE_C") == "1":
            raise exc
        sys.stderr.write(
            "WARNING: the lingyun C decoder could not be built "
            f"({exc.__class__.__name__}: {exc}); the pure-Python fallback will be used.\n"
        )


setup(
    cffi_modules=["csrc/build_iread.py:ffibuilder"],
    cmdclass={"build_ext": OptionalBuildExt},
    options={"bdist_wheel": {"py_limited_api": "cp311"}},
)
