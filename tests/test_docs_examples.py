"""Every example in README.md and docs/ runs, with its shown output checked (sybil).

Three kinds of fenced block are examples:

* ``python`` -- executed in order, one namespace per page (a later block may use an earlier
  block's names), by sybil's own :class:`~sybil.parsers.markdown.PythonCodeBlockParser`;
* ``console`` -- ``$ command`` lines, each followed by the output it must print (standard
  output and standard error together, as a terminal shows them).  ``...`` in the expected
  text stands for any text, so an example can show the stable part of an answer -- boxes and
  confidences may change with the OCR model, the 北京捷通华声 sample line may not;
* ``bash`` / ``sh`` -- commands shown without output: each must exit 0.

Commands and Python run in a fresh directory that links the repository's ``src``, ``tests``
and ``examples`` (the examples name ``src/lingyun/samples/...`` and write their outputs where
they stand, never into the checkout), with the installed ``lingyun`` on ``PATH`` and no
``LINGYUN_*`` variables, so the embedded local
engine answers -- no account, no network.  A block that needs an account, a network or files
that stand for the reader's own is preceded by sybil's skip directive with its reason,
``<!-- skip: next "needs a Lingyun account" -->``; the reason shows in pytest's skip report.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import unittest
from pathlib import Path

import pytest
from sybil import Example, Sybil
from sybil.parsers.markdown import CodeBlockParser, PythonCodeBlockParser, SkipParser

ROOT = Path(__file__).resolve().parents[1]
#: Pages whose examples use the `integrations` extra (Parquet, plots, tables): they run in
#: the integration step, and skip where those packages are absent.
NEEDS = {"cli.md": ("pyarrow", "pandas", "matplotlib")}


def _page(path: Path) -> object:
    needs = NEEDS.get(path.name, ())
    if not needs:
        return path
    missing = [name for name in needs if importlib.util.find_spec(name) is None]
    return pytest.param(path, marks=[
        pytest.mark.integration,
        pytest.mark.skipif(bool(missing), reason=f"needs {', '.join(missing)}: "
                           "pip install 'lingyun[integrations]'")])


PAGES = [_page(path) for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]]
#: Longest a shown command may take (a cold embedded engine loads its model first).
COMMAND_TIMEOUT = 300


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINGYUN_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["COLUMNS"] = "100"
    return env


#: Commands a test must never run (they change the environment it runs in): an example with
#: one needs a skip directive.
_NEVER = re.compile(r"pip install|-m venv|apt-get|mkdocs serve")


#: Where the examples of the page under test run (set by the test for each page).
_WORKDIR: list[Path] = [ROOT]


def _run(command: str) -> subprocess.CompletedProcess[str]:
    if _NEVER.search(command):
        raise AssertionError(f"not run here, add a skip directive with a reason: {command!r}")
    return subprocess.run(["bash", "-c", command], cwd=_WORKDIR[0], env=_environment(), text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=COMMAND_TIMEOUT, check=False)


def output_pattern(expected: str) -> re.Pattern[str]:
    """``expected`` as a regular expression: text literal, ``...`` any text (lines too),
    trailing blanks of each line ignored."""
    lines = [line.rstrip() for line in expected.strip("\n").splitlines()]
    body = r"[ \t]*\n".join(".*?".join(re.escape(part) for part in line.split("..."))
                            for line in lines)
    return re.compile(rf"\A{body}[ \t]*\n?\Z", re.DOTALL)


def console_sessions(source: str) -> list[tuple[str, str]]:
    """``(command, expected output)`` pairs of a console block; ``\\`` continues a command."""
    sessions: list[tuple[str, list[str]]] = []
    lines = source.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("$ "):
            command = line[2:]
            while command.endswith("\\") and index + 1 < len(lines):
                index += 1
                command = command[:-1] + "\n" + lines[index]
            sessions.append((command, []))
        elif sessions:
            sessions[-1][1].append(line)
        else:
            raise ValueError(f"console block: output {line!r} before any '$ ' command")
        index += 1
    return [(command, "\n".join(out)) for command, out in sessions]


def evaluate_console(example: Example) -> str | None:
    for command, expected in console_sessions(example.parsed):
        done = _run(command)
        if not output_pattern(expected).match(done.stdout):
            return (f"line {example.line}: `{command}` printed\n{done.stdout}\n"
                    f"-- but the page shows --\n{expected}")
    return None


def evaluate_commands(example: Example) -> str | None:
    done = _run("set -e\n" + example.parsed)
    if done.returncode != 0:
        return (f"line {example.line}: the commands exited {done.returncode}:\n"
                f"{example.parsed}\n-- output --\n{done.stdout}")
    return None


SYBIL = Sybil(parsers=[
    SkipParser(),
    PythonCodeBlockParser(),
    CodeBlockParser("console", evaluate_console),
    CodeBlockParser("bash", evaluate_commands),
    CodeBlockParser("sh", evaluate_commands),
])


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_example_on_the_page_runs_as_shown(page: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [k for k in os.environ if k.startswith("LINGYUN_")]:
        monkeypatch.delenv(name)
    for name in ("src", "tests", "examples"):
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    monkeypatch.chdir(tmp_path)  # the examples name files relative to the repository root
    monkeypatch.setattr(sys.modules[__name__], "_WORKDIR", [tmp_path])
    document = SYBIL.parse(page)
    failures: list[str] = []
    ran = 0
    for example in document:
        try:
            problem = example.evaluate()
        except unittest.SkipTest:
            continue
        except Exception as exc:  # one broken example should not hide the others
            problem = f"line {example.line}: {type(exc).__name__}: {exc}"
        ran += 1
        if problem:
            failures.append(str(problem))
    assert not failures, f"{page.name}:\n" + "\n\n".join(failures)


@pytest.mark.parametrize(("expected", "actual", "matches"), [
    ("a\n...\nd", "a\nb\nc\nd\n", True),
    ("line 0: 'x'\n  'H' (...)", "line 0: 'x'\n  'H' (1, 2)\n", True),
    ("exit 2", "exit 0\n", False),
    ("a", "a\nextra\n", False),
])
def test_shown_output_is_matched_literally_except_ellipses(expected: str, actual: str,
                                                           matches: bool) -> None:
    assert bool(output_pattern(expected).match(actual)) is matches


def test_a_console_block_splits_into_commands_and_their_output() -> None:
    block = "$ echo a \\\n  b\na b\n$ true\n"
    assert console_sessions(block) == [("echo a \n  b", "a b"), ("true", "")]
