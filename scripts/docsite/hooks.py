"""MkDocs hooks for the lingyun site (``hooks:`` in ``mkdocs.yml``).

``<!-- lingyun-help: COMMAND -->`` on a line of its own is replaced by the ``--help`` text of
``lingyun COMMAND`` (``<!-- lingyun-help -->`` alone: of ``lingyun`` itself), taken from the
argument parser at build time.  The CLI page therefore always shows the options the installed
code really has: an option added, renamed or removed changes the page with no edit, and a
marker naming a command that does not exist fails the build.
"""

from __future__ import annotations

import argparse
import os
import re
from typing import Any

__all__ = ["MARKER", "cli_help", "expand_cli_help", "on_page_markdown"]

#: ``<!-- lingyun-help -->`` or ``<!-- lingyun-help: ocr -->``, alone on its line.
MARKER = re.compile(r"^<!--\s*lingyun-help(?::\s*(?P<command>[\w-]+))?\s*-->\s*$", re.MULTILINE)

#: Width of the help text on the page (argparse reads ``COLUMNS``).
HELP_WIDTH = 92


class UnknownCommand(LookupError):
    """A help marker names a sub-command the ``lingyun`` parser does not have."""


def cli_help(command: str | None) -> str:
    """The ``--help`` text of ``lingyun`` or of ``lingyun COMMAND``, as argparse prints it."""
    from lingyun.cli import build_parser

    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(HELP_WIDTH)
    try:
        parser = build_parser()
        if command is None:
            return parser.format_help()
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                if command in action.choices:
                    return action.choices[command].format_help()
                known = ", ".join(sorted(action.choices))
                raise UnknownCommand(f"lingyun has no command {command!r} (it has: {known})")
        raise UnknownCommand("lingyun's parser has no sub-commands")
    finally:
        if previous is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = previous


def expand_cli_help(markdown: str) -> str:
    """``markdown`` with every help marker replaced by a fenced block of that help text."""

    def replace(match: re.Match[str]) -> str:
        text = cli_help(match.group("command")).rstrip()
        return f"```text\n{text}\n```"

    return MARKER.sub(replace, markdown)


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    """MkDocs event: expand help markers on every page."""
    return expand_cli_help(markdown)
