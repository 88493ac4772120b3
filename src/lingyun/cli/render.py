"""Plain-text rendering of results for ``lingyun ocr`` (JSON output uses ``to_dict()``)."""

from __future__ import annotations

from typing import Any

from .table import print_table

__all__ = ["render_issues", "render_positions", "render_table"]


def render_table(result: Any) -> None:
    """Text results print their text; everything else a LABEL / VALUE / CONFIDENCE table,
    then the issues its field checks found (a FIELD / CHECK / PROBLEM table)."""
    if result.kind == "text":
        print(result.text)
    else:
        print_table(("FIELD", "VALUE", "CONFIDENCE"), result.rows())
    render_issues(result.issues)


def render_issues(issues: Any) -> None:
    """The issues, after a blank line and a count; nothing when there are none."""
    if not issues:
        return
    print(f"\n{len(issues)} issue{'s' if len(issues) != 1 else ''}:")
    print_table(("FIELD", "CHECK", "PROBLEM"), [(i.field, i.check, i.message) for i in issues])


def render_positions(layout: Any) -> None:
    """Each line of a position layout, then its characters with their boxes."""
    for record in layout.to_records():
        kind = record["type"]
        if kind == "line":
            print(f"line {record['index']}: {layout.line_text(record['index'])!r}")
        elif kind == "char":
            box = f"({record['left']}, {record['top']}, {record['right']}, {record['bottom']})"
            flag = "  suspect" if record["suspect"] else ""
            print(f"  {record['text']!r:8} {box}{flag}")
