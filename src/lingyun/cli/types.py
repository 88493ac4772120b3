"""``lingyun types``: every registered document type, what it sends, and who provides it."""

from __future__ import annotations

import argparse
import json

from ..plugins import get_plugin_manager
from .table import print_table

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "types",
        help="list the document types (built-in and from plugins)",
        description="List every registered document type with its task-config, options and "
        "the plugin (and distribution) that provides it; --format json includes every declared "
        "field (key, Chinese name, kind, required, checks).",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
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
    print_table(("TYPE", "TITLE", "TASK-CONFIG", "OPTIONS", "FIELDS", "PLUGIN"), rows)
    return 0


def _fields_text(fields: list[dict]) -> str:
    """``10 (4 checked)``: how many fields, how many with a check beyond reading the kind."""
    if not fields:
        return "-"
    checked = sum(1 for f in fields if f["validators"])
    return f"{len(fields)} ({checked} checked)"


def _option_text(option: dict) -> str:
    if option["choices"]:
        return f"{option['name']}={'|'.join(str(c) for c in option['choices'])}"
    return f"{option['name']}:{option['type']}"
