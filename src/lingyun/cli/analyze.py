"""``lingyun analyze INPUT...``: glyph geometry over many pages, as a table and figures.

Inputs are raw position streams (as ``lingyun decode`` reads) and JSONL outputs of the bulk
command, in any mix; all their pages are decoded into one set of arrays
(:func:`lingyun.geometry.load`) and measured at once (:mod:`lingyun.geometry.summary`).
``--plots DIR`` also writes PNG figures (the ``plots`` extra).
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from ..geometry import load
from ..geometry.summary import analyze
from .table import print_table

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="glyph geometry statistics over many position streams or bulk outputs",
        description="Measure glyph sizes, gaps, baselines, skew, line spacing, columns and "
        "candidate distances over every page of the inputs (raw IREAD_NODE streams and/or "
        "JSONL outputs of the bulk command).",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT")
    parser.add_argument("--format", "-f", choices=("table", "json"), default="table")
    parser.add_argument("--plots", metavar="DIR",
                        help="also write PNG figures into DIR (needs lingyun[plots])")
    parser.add_argument("--overlays", type=int, default=1, metavar="N",
                        help="page overlays to draw with --plots (default 1)")
    parser.add_argument("--page-image", metavar="IMAGE",
                        help="draw the first page's overlay over this image")
    parser.set_defaults(func=run)


def _json_value(value: object) -> object:
    """NaN as ``null`` (JSON has no NaN); an IQR pair as a ``[low, high]`` list of numbers."""
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    return None if isinstance(value, float) and math.isnan(value) else value


def _table_value(value: object) -> object:
    """An IQR pair as ``low .. high``; everything else as it is."""
    if isinstance(value, tuple):
        return " .. ".join(str(v) for v in value)
    return value


def run(args: argparse.Namespace) -> int:
    corpus = load(args.inputs)
    if corpus.skipped:
        shown = ", ".join(corpus.skipped[:5]) + (
            f", ... ({len(corpus.skipped) - 5} more)" if len(corpus.skipped) > 5 else "")
        print(f"lingyun: left out {len(corpus.skipped)} record(s) without a position stream "
              f"(failed, or run without `lingyun ocr --positions`): {shown}", file=sys.stderr)
    analysis = analyze(corpus)
    rows = analysis.summary()
    if args.format == "json":
        grouped: dict[str, dict[str, object]] = {}
        for section, name, value in rows:
            grouped.setdefault(section, {})[name] = _json_value(value)
        print(json.dumps(grouped, ensure_ascii=False, indent=1))
    else:
        print_table(("SECTION", "QUANTITY", "VALUE"),
                    [(section, name, _table_value(value)) for section, name, value in rows])
    if args.plots:
        from ..geometry.plots import write_figures

        written, notes = write_figures(analysis, args.plots, pages=args.overlays,
                                       image=args.page_image)
        for note in notes:
            print(f"lingyun: note: {note}", file=sys.stderr)
        print(f"lingyun: wrote {len(written)} figures to {args.plots}", file=sys.stderr)
    return 0
