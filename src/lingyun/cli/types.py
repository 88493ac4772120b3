"""``lingyun types``: every registered document type, what it sends, and who provides it."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..plugins import get_plugin_manager
from .table import print_table, table_width, terminal_width

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "types",
        help="list the document types (built-in and from plugins)",
        description="List every registered document type with its task-config, options and "
        "the plugin (and distribution) that provides it; --format json includes every declared "
        "field (key, Chinese name, kind, required, checks).",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--wide", action="store_true",
                        help="one line per type, however wide (the table otherwise wraps its "
                        "cells to fit the terminal, $COLUMNS when set)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    pm = get_plugin_manager()
    entries = []
    for doc in pm.document_types():
        entry = doc.describe()
        entry["plugin"] = pm.plugin_for(doc.name).to_dict()
        entries.append(entry)
    if args.format == "json":
        print(json.dumps(entries, ensure_ascii=False, indent=2))
        return 0
    header = ("TYPE", "TITLE", "TASK-CONFIG", "OPTIONS", "FIELDS", "PLUGIN")
    rows = [
        (
            e["name"] + (" (deprecated)" if e["deprecated"] else ""),
            f"{e['title']} / {e['title_zh']}",
            e["task_config"],
            ", ".join(_option_text(o) for o in e["options"]) or "-",
            _fields_text(e["fields"]),
            pm.plugin_for(e["name"]).label(),
        )
        for e in entries
    ]
    width = None if args.wide else terminal_width()
    if width is None or table_width(header, rows) <= width:
        print_table(header, rows)
        return 0
    # Too wide for the terminal: leave out the task configs (the longest column), say where
    # they are, and wrap what is left.
    narrow = [(name, title, options, fields, _short_plugin(e["plugin"], plugin))
              for e, (name, title, _, options, fields, plugin) in zip(entries, rows, strict=True)]
    print_table(("TYPE", "TITLE", "OPTIONS", "FIELDS", "PLUGIN"), narrow, width=width)
    print(f"({len(rows)} types; task configs and plugin distributions: "
          "lingyun types --wide, or --format json)")
    return 0


def _short_plugin(plugin: dict[str, Any], label: str) -> str:
    """``built-in`` for the package's own types, the full label for a plugin's."""
    return "built-in" if plugin.get("builtin") else label


def _fields_text(fields: list[dict[str, Any]]) -> str:
    """``10 (4 checked)``: how many fields, how many with a check beyond reading the kind."""
    if not fields:
        return "-"
    checked = sum(1 for f in fields if f["validators"])
    return f"{len(fields)} ({checked} checked)"


def _option_text(option: dict[str, Any]) -> str:
    if option["choices"]:
        return f"{option['name']}={'|'.join(str(c) for c in option['choices'])}"
    return f"{option['name']}:{option['type']}"
