"""Layout engines: how the embedded engine's lines are put in reading order, chosen by name.

A layout engine is a callable ``layout(boxes, *, skew) -> ReadingOrder``: ``boxes`` is an
``(n, 4)`` int64 array of line boxes (left, top, right, bottom) in detection order, ``skew``
the page's angle in degrees (counter-clockwise positive; turn the boxes back by it, or
ignore it), and the result a :class:`~lingyun.geometry.order.ReadingOrder` -- ``order`` (a
permutation of the lines), ``block`` and ``row`` per line (lines of one row are joined into
one LINE, each block is one REGION), ``columns`` per page.

Layout engines are plugins: a plugin implements the ``lingyun_register_layouts(register)``
hook and calls ``register(name, layout)``.  The two built-in ones are registered by this
module through that same hook, exactly as a third-party one is:

* ``columns`` (the default): whitespace column separators and line precedence
  (:func:`~lingyun.geometry.columns.column_order`) -- magazines, headings over columns,
  text around pictures;
* ``xycut``: the recursive XY-cut (:func:`~lingyun.geometry.order.reading_order`) -- pages
  whose columns are separated by clean through gaps.

Which one runs: the ``layout`` argument of :func:`~lingyun.service.positions.arrange`,
else the ``LINGYUN_LAYOUT`` environment variable, else :data:`DEFAULT_LAYOUT`.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import Any

import numpy as np

from ..errors import ConfigurationError
from ..geometry.columns import column_order
from ..geometry.order import ReadingOrder, reading_order
from ..hookspecs import hookimpl

__all__ = ["DEFAULT_LAYOUT", "LayoutEngine", "layout_engine", "layout_engines", "run_layout"]

#: What runs when neither the caller nor ``LINGYUN_LAYOUT`` names a layout engine.
DEFAULT_LAYOUT = "columns"

LayoutEngine = Callable[..., ReadingOrder]


def _columns(boxes: np.ndarray, *, skew: float = 0.0) -> ReadingOrder:
    return column_order(boxes, skew=skew if abs(skew) < 45 else None)


def _xycut(boxes: np.ndarray, *, skew: float = 0.0) -> ReadingOrder:
    return reading_order(boxes, skew=skew if abs(skew) < 45 else None)


@hookimpl
def lingyun_register_layouts(register: Callable[[str, LayoutEngine], None]) -> None:
    register("columns", _columns)
    register("xycut", _xycut)


def layout_engines(pm: Any = None) -> dict[str, LayoutEngine]:
    """Every registered layout engine by name (built-ins first, then plugins')."""
    from ..plugins import get_plugin_manager

    pm = pm if pm is not None else get_plugin_manager()
    if not pm.is_blocked(__name__) and not pm.has_plugin(__name__):
        try:
            pm.register(importlib.import_module(__name__), name=__name__)
        except ValueError:  # registered meanwhile by another thread
            pass
    found = pm.collect("lingyun_register_layouts", lambda _owner, name, _layout: name,
                       "layout engine")
    return {name: args[1] for name, (_, args) in found.items()}


def layout_engine(name: str | None = None) -> LayoutEngine:
    """The layout engine called ``name`` (default: ``LINGYUN_LAYOUT``, else
    :data:`DEFAULT_LAYOUT`); :class:`~lingyun.errors.ConfigurationError` naming the
    registered ones when there is none by that name."""
    chosen = name or os.environ.get("LINGYUN_LAYOUT", "").strip() or DEFAULT_LAYOUT
    engines = layout_engines()
    try:
        return engines[chosen]
    except KeyError:
        raise ConfigurationError(
            f"unknown layout engine {chosen!r}; registered layout engines: "
            f"{', '.join(engines) or 'none'}") from None


def run_layout(name: str | None, boxes: np.ndarray, *, skew: float = 0.0) -> ReadingOrder:
    """Run the layout engine called ``name`` (see :func:`layout_engine`) on ``boxes`` and
    check its answer: a :class:`~lingyun.geometry.order.ReadingOrder` whose ``order`` is a
    permutation of the lines and whose ``block`` and ``row`` have one entry per line --
    anything else is a :class:`~lingyun.errors.ConfigurationError` naming the engine (a
    plugin's bug must not turn into an IndexError deep in the position stream)."""
    chosen = name or os.environ.get("LINGYUN_LAYOUT", "").strip() or DEFAULT_LAYOUT
    found = layout_engine(chosen)(boxes, skew=skew)
    n = boxes.shape[0]
    if not isinstance(found, ReadingOrder):
        raise ConfigurationError(f"layout engine {chosen!r} returned {type(found).__name__}, "
                                 f"not a ReadingOrder")
    order, block, row = (np.asarray(a) for a in (found.order, found.block, found.row))
    if order.shape != (n,) or not np.array_equal(np.sort(order), np.arange(n)):
        raise ConfigurationError(f"layout engine {chosen!r}: order is not a permutation of "
                                 f"the {n} lines")
    if block.shape != (n,) or row.shape != (n,):
        raise ConfigurationError(f"layout engine {chosen!r}: block and row need one entry "
                                 f"per line ({n}), got {block.shape} and {row.shape}")
    return found
