"""The README's calls type-check under ``mypy --strict`` with the types a user expects.

The Python quick start is taken from README.md as it stands; ``assert_type`` lines pin what
the type checker infers, so a signature that slips back to ``Any`` or to the abstract
``Result`` fails here (``assert_type`` of an ``Any`` is an error too).
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("mypy", reason="mypy comes with the lint extra")

README = Path(__file__).resolve().parents[2] / "README.md"

PRELUDE = """\
from typing import Any, assert_type

import lingyun
from lingyun.results import BankCardResult, BizCardResult, Result, TemplateResult, TextResult
from lingyun.types import IDCARD_FRONT, DocumentName

paths = ["a.jpg", "b.jpg"]


def save(source: Any, data: dict[str, Any]) -> None: ...
def log(source: Any, error: BaseException | None) -> None: ...

"""

CHECKS = """
assert_type(client, lingyun.Client)
assert_type(card, TemplateResult)
assert_type(card["name"].value, str | None)
assert_type(text, TextResult)
assert_type(text.text, str)
assert_type(client.recognize("page.png"), TextResult)
assert_type(client.recognize("card.png", "bankcard"), BankCardResult)
assert_type(client.recognize("card.png", "bizcard").entries[0].text, str | None)
assert_type(client.recognize("id.png", IDCARD_FRONT), TemplateResult)
assert_type(client.recognize("r.png", "acme.receipt"), Result)
RECEIPT = DocumentName("acme.receipt", TemplateResult)
assert_type(client.recognize("r.png", RECEIPT), TemplateResult)
local = lingyun.Client.local(engines=["replay"])
assert_type(local, lingyun.Client)


# The constructors say what they take: a misspelt keyword is a type error (the ignore below
# would be reported as unused, under --strict, if it were not).
lingyun.AsyncClient("app", "key", "http://127.0.0.1:8880/ocr", retires=3)  # type: ignore[call-arg]
lingyun.Client("app", "key", "http://127.0.0.1:8880/ocr", retires=3)  # type: ignore[call-arg]


async def main() -> None:
    async with lingyun.AsyncClient.from_env() as aclient:
        assert_type(await aclient.recognize("id.png", "idcard.front"), TemplateResult)
        assert_type(await aclient.recognize("page.png"), TextResult)
        assert_type(await aclient.recognize("card.png", "bizcard"), BizCardResult)
"""


def _quick_start() -> str:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    block = next(b for b in blocks if 'client.recognize("id-front.jpg", "idcard.front")' in b)
    # ``layout`` is None unless positions were asked for: a type checker wants it said.
    return block.replace("print(text.layout.", "assert text.layout is not None\nprint(text.layout.")


def test_readme_quick_start_type_checks_strict(tmp_path: Path) -> None:
    snippet = tmp_path / "users_snippet.py"
    snippet.write_text(PRELUDE + _quick_start() + textwrap.dedent(CHECKS), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental",
         "--python-executable", sys.executable, str(snippet)],
        capture_output=True, text=True, cwd=tmp_path, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Success" in run.stdout
