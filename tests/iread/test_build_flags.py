"""The C decoder's compiler flags are chosen per compiler (csrc/build_iread.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

BUILD_SCRIPT = Path(__file__).resolve().parents[2] / "csrc" / "build_iread.py"


@pytest.fixture(scope="module")
def build() -> ModuleType:
    pytest.importorskip("cffi")
    spec = importlib.util.spec_from_file_location("build_iread_under_test", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_msvc_gets_its_own_c11_spelling(build: ModuleType) -> None:
    flags = build.compile_args("msvc")
    assert "/std:c11" in flags and not any(f.startswith("-") for f in flags)


@pytest.mark.parametrize("compiler", ["unix", "mingw32", "cygwin", "some-new-compiler"])
def test_gcc_like_compilers_get_std_c11(build: ModuleType, compiler: str) -> None:
    flags = build.compile_args(compiler)
    assert "-std=c11" in flags and not any(f.startswith("/") for f in flags)


def test_the_build_script_sets_no_compiler_specific_flags_itself(build: ModuleType) -> None:
    # setup.py adds the flags once the compiler is known; none may be baked in for all
    kwargs = build.ffibuilder._assigned_source[3]
    assert "extra_compile_args" not in kwargs
    assert build.compile_args("unix") is not build.compile_args("unix")  # callers may extend
