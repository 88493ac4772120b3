#!/usr/bin/env bash
# The test suite against an installed lingyun -- a release wheel -- with the C backend asserted.
#
#   bash scripts/test_wheel.sh [PYTHON]     (PYTHON: the interpreter whose environment holds
#                                            the wheel with its [test,local] extras; default python)
#
# One command for .ci/run and for [tool.cibuildwheel] test-command.  The tests read the tree
# (docs, examples, src/lingyun/samples) and some start subprocesses with PYTHONPATH=src, so
# they run in a copy of the tree whose src/lingyun is a link to the installed package: every
# import, in-process or not, is of the wheel's own files (its package data included).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${1:-python}"
tree="$(mktemp -d)"
trap 'rm -rf "$tree"' EXIT
tar -C "$root" --exclude=./.git --exclude=./.venv --exclude=./build --exclude=./dist \
    --exclude=./wheelhouse --exclude='./src/*' --exclude='*/__pycache__' -cf - . \
  | tar -x -C "$tree"
site="$("$python" -c 'import lingyun, os; print(os.path.dirname(lingyun.__file__))')"
mkdir -p "$tree/src" && ln -s "$site" "$tree/src/lingyun"
cd "$tree"
export LINGYUN_REQUIRE_C=1 LINGYUN_IREAD_BACKEND=c
"$python" - <<'PY'
import sys
import lingyun, lingyun._iread as native, lingyun.iread as iread
assert lingyun.__file__.startswith(sys.prefix), lingyun.__file__
assert native.__file__.endswith(".abi3.so"), native.__file__
assert iread.BACKEND == "c", iread.BACKEND
print(f"installed lingyun {lingyun.__file__} | C module {native.__file__.rsplit('/', 1)[-1]}"
      f" | Python {sys.version.split()[0]}")
PY
"$python" -m pytest -q -p no:cacheprovider tests
