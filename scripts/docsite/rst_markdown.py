"""Turn the reST-flavoured docstrings of lingyun into the Markdown that mkdocstrings renders.

lingyun's docstrings are written to read well in ``help()`` and in a terminal: Sphinx roles
(``:class:`~lingyun.errors.ProtocolError```), ``Example::`` literal blocks and ``>>>`` doctest
lines.  Python-Markdown knows none of these: roles would show as raw text and a doctest line
would become a block quote.  :func:`convert` rewrites them, and nothing else:

* a role becomes an autorefs cross-reference, ``[`ProtocolError`][lingyun.errors.ProtocolError]``,
  whose target is the *canonical* path of the object (where it is defined, which is where the
  API reference renders it).  The caller supplies ``resolve(target) -> path | None``; a target
  it cannot resolve is reported back, so the docs build can fail on a broken reference instead
  of publishing a dead link;
* ``Title::`` followed by an indented block becomes ``Title:`` and a fenced ``python`` block;
* a run of ``>>>``/``...`` lines (with their output) becomes a fenced ``pycon`` block, without
  ``# doctest:`` directives;
* a reST definition list (a term line, its definition indented four spaces below it) becomes
  a Markdown one (``term`` then ``:   definition``, the ``def_list`` extension).

The module has no dependencies so that the tests can exercise it without the docs tools.
"""

from __future__ import annotations

import builtins
import importlib.util
import re
import textwrap
from collections.abc import Callable

__all__ = ["ROLES", "convert"]

#: The Sphinx roles the docstrings use; each becomes a cross-reference.
ROLES = ("class", "func", "meth", "mod", "data", "attr", "exc", "obj", "const")

_ROLE = re.compile(r":(?:py:)?(?P<role>" + "|".join(ROLES) + r"):`(?P<target>[^`]+)`")
_DOCTEST_DIRECTIVE = re.compile(r"\s*#\s*doctest:.*$")
_FENCE = re.compile(r"^\s*(```|~~~)")

Resolver = Callable[[str], "str | None"]


def _display(target: str) -> str:
    """What the reader sees: ``~a.b.C`` shows ``C``, anything else shows as written."""
    if target.startswith("~"):
        return target[1:].rsplit(".", 1)[-1]
    return target


def _is_external(target: str) -> bool:
    """A builtin or a module outside lingyun (``str``, ``ValueError``, ``http.server``).

    A dotted name starting in lower case (``pandas.read_parquet``) is taken for a module path
    even when that library is not installed where the docs are built; ``Result.from_dict``
    (a class, then a member) is not, so a misspelled lingyun class is still reported."""
    head, dot, _ = target.lstrip("~").partition(".")
    if not head or head == "lingyun":
        return False
    if hasattr(builtins, head) or (dot and head[0].islower()):
        return True
    return importlib.util.find_spec(head) is not None


def _roles(line: str, resolve: Resolver, unresolved: list[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        written = match.group("target").strip()
        target = written.lstrip("~").removesuffix("()")
        shown = _display(written).removesuffix("()")
        if match.group("role") in ("func", "meth"):
            shown += "()"
        path = resolve(target)
        if path is not None:
            return f"[`{shown}`][{path}]"
        if not _is_external(target):
            unresolved.append(written)
        return f"`{shown}`"

    return _ROLE.sub(replace, line)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _literal_block(lines: list[str], start: int) -> tuple[list[str], int]:
    """The indented block after a ``::`` line at ``start - 1``: (fenced lines, next index)."""
    base = _indent(lines[start - 1])
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    body: list[str] = []
    while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > base):
        body.append(lines[i])
        i += 1
    while body and not body[-1].strip():
        body.pop()
    if not body:
        return [], start
    pad = " " * base
    code = textwrap.dedent("\n".join(body)).splitlines()
    return ["", f"{pad}```python", *(pad + c if c else "" for c in code), f"{pad}```", ""], i


def _doctest_block(lines: list[str], start: int) -> tuple[list[str], int]:
    """A run of doctest lines and their output from ``start``: (fenced lines, next index)."""
    pad = " " * _indent(lines[start])
    body: list[str] = []
    i = start
    while i < len(lines) and lines[i].strip():
        body.append(_DOCTEST_DIRECTIVE.sub("", lines[i][len(pad):]).rstrip())
        i += 1
    return [f"{pad}```pycon", *(pad + b for b in body), f"{pad}```"], i


_NOT_A_TERM = re.compile(r"^\s*([*+-]\s|\d+[.)]\s|>>>|\.\.\.|#)")


def _definition(lines: list[str], i: int, converted: str,
                follows_definition: bool) -> tuple[list[str], int] | None:
    """A reST definition at ``lines[i]`` as Markdown, or None if this is not one.

    A term starts a paragraph, or directly follows the previous definition."""
    term = lines[i]
    if (not term.strip() or _NOT_A_TERM.match(term) or term.rstrip().endswith(":")
            or (i > 0 and lines[i - 1].strip() and not follows_definition)):
        return None
    base = _indent(term)
    body: list[str] = []
    j = i + 1
    while j < len(lines) and lines[j].strip() and _indent(lines[j]) >= base + 4:
        body.append(lines[j])
        j += 1
    if not body or _indent(body[0]) != base + 4:
        return None
    pad = " " * base
    text = [pad + ":   " + body[0].strip(), *(pad + "    " + b.strip() for b in body[1:])]
    return [converted, *text], j


def convert(text: str, resolve: Resolver) -> tuple[str, list[str]]:
    """``(markdown, unresolved_targets)`` for one docstring (see the module docstring).

    Text inside Markdown fences is left alone, so a docstring already written in Markdown
    passes through unchanged.
    """
    lines = text.split("\n")
    out: list[str] = []
    unresolved: list[str] = []
    in_fence = False
    follows_definition = False
    i = 0
    while i < len(lines):
        line = lines[i]
        just_defined, follows_definition = follows_definition, False
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append(line)
            i += 1
            continue
        if in_fence:
            out.append(line)
            i += 1
            continue
        if line.lstrip().startswith(">>>"):
            block, i = _doctest_block(lines, i)
            out.extend(block)
            continue
        converted = _roles(line, resolve, unresolved)
        definition = _definition(lines, i, converted, just_defined)
        if definition is not None:
            block, i = definition
            out.append(block[0])
            out.extend(_roles(b, resolve, unresolved) for b in block[1:])
            follows_definition = True
            continue
        if converted.rstrip().endswith("::"):
            block, after = _literal_block(lines, i + 1)
            if block:
                head = converted.rstrip()[:-2].rstrip()
                # "Example::" -> "Example:"; a bare "::" line disappears.
                if head:
                    out.append(head + ":")
                out.extend(block)
                i = after
                continue
        out.append(converted)
        i += 1
    return "\n".join(out), unresolved
