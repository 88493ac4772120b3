"""The numpy dtypes match the C declarations byte for byte; the backend policy is honoured."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import lingyun.iread as iread
from lingyun.iread import dtypes

native = pytest.importorskip("lingyun.iread._native", reason="the C decoder is not built")
ffi = native.ffi

OUTPUT_STRUCTS = {"page": "ly_page", "region": "ly_region", "cell": "ly_cell",
                  "line": "ly_line", "char": "ly_char"}
WIRE_STRUCTS = {"page": ("IREAD_PAGENODE", "page"), "region": ("IREAD_REGIONNODE", "region"),
                "cell": ("IREAD_TABLECELLNODE", "tableCell"), "line": ("IREAD_LINENODE", "line"),
                "char": ("IREAD_CHARNODE", "character")}


@pytest.mark.parametrize("kind", sorted(OUTPUT_STRUCTS))
def test_output_dtype_matches_c_record(kind: str) -> None:
    dtype, struct = dtypes.OUTPUT[kind], OUTPUT_STRUCTS[kind]
    assert dtype.itemsize == ffi.sizeof(struct)
    for name in dtype.names:
        assert dtype.fields[name][1] == ffi.offsetof(struct, name), name


def test_vendor_struct_sizes() -> None:
    assert ffi.sizeof("IREAD_NODE") == 48 and ffi.offsetof("IREAD_NODE", "node") == 4
    assert ffi.sizeof("IREAD_CHARNODE") == 44 and ffi.sizeof("IREAD_RECT") == 16


@pytest.mark.parametrize("kind", sorted(WIRE_STRUCTS))
def test_wire_dtype_matches_vendor_struct(kind: str) -> None:
    struct, member = WIRE_STRUCTS[kind]
    dtype = dtypes.WIRE[kind]
    assert dtype.itemsize == ffi.sizeof("IREAD_NODE")
    union = ffi.offsetof("IREAD_NODE", "node")
    rect = {"nLeft": 0, "nTop": 4, "nRight": 8, "nBottom": 12}
    for name in dtype.names:
        if name == "wType":
            assert dtype.fields[name][1] == 0
            continue
        if name in rect:
            field = "rcBlock" if kind == "char" else "rcBound"
            expected = union + ffi.offsetof(struct, field) + rect[name]
        else:
            expected = union + ffi.offsetof(struct, name)
        assert dtype.fields[name][1] == expected, (kind, name, member)


def test_compiled_backend_in_use_when_required() -> None:
    if os.environ.get("LINGYUN_REQUIRE_C") != "1":
        pytest.skip("LINGYUN_REQUIRE_C is not set")
    assert "c" in iread.BACKENDS
    forced_python = os.environ.get("LINGYUN_IREAD_BACKEND", "auto") == "python"
    assert iread.BACKEND == ("python" if forced_python else "c")


def _import_with(policy: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LINGYUN_IREAD_BACKEND": policy}
    return subprocess.run([sys.executable, "-c", "import lingyun.iread as i; print(i.BACKEND)"],
                          env=env, capture_output=True, text=True)


@pytest.mark.parametrize(("policy", "backend"), [("python", "python"), ("c", "c"), ("auto", "c")])
def test_policy_variable(policy: str, backend: str) -> None:
    run = _import_with(policy)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == backend


def test_unknown_policy_fails_loudly() -> None:
    run = _import_with("fast")
    assert run.returncode != 0
    assert "LINGYUN_IREAD_BACKEND='fast' is not one of auto, c, python" in run.stderr


def test_forcing_c_without_the_compiled_module_fails_loudly(tmp_path) -> None:
    import shutil
    from pathlib import Path

    import lingyun

    package = Path(lingyun.__file__).parent
    shutil.copytree(package, tmp_path / "lingyun",
                    ignore=shutil.ignore_patterns("_iread*.so", "_iread*.pyd", "__pycache__"))
    env = {**os.environ, "LINGYUN_IREAD_BACKEND": "c", "PYTHONPATH": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", "import lingyun.iread"], env=env,
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode != 0
    assert "LINGYUN_IREAD_BACKEND=c but the compiled decoder lingyun._iread is not" in run.stderr
    env["LINGYUN_IREAD_BACKEND"] = "auto"
    run = subprocess.run([sys.executable, "-c", "import lingyun.iread as i; print(i.BACKEND)"],
                         env=env, capture_output=True, text=True, cwd=tmp_path)
    assert run.stdout.strip() == "python", run.stderr
