"""The type stub ``lingyun/_iread.pyi`` names exactly what the built C module has."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import lingyun

STUB = Path(lingyun.__file__).with_name("_iread.pyi")


def _stub_names(class_name: str) -> set[str]:
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name]
    return {n.target.id for n in cls.body if isinstance(n, ast.AnnAssign)
            and isinstance(n.target, ast.Name)} | {
        n.name for n in cls.body if isinstance(n, ast.FunctionDef)}


def test_stub_is_installed_beside_the_module() -> None:
    assert STUB.is_file()


def test_stub_matches_the_built_module() -> None:
    native = pytest.importorskip("lingyun._iread", reason="the C decoder is not built here")
    lib_names = {n for n in dir(native.lib) if not n.startswith("_")}
    assert _stub_names("_Lib") == lib_names
    for name in _stub_names("_FFI"):
        assert callable(getattr(native.ffi, name)), name
    assert isinstance(native.lib.LY_ARENA_PER_NODE, int)
