"""The two pluggy markers of the ``lingyun`` hook project, and nothing else.

:data:`hookimpl` marks a plugin's hook implementation, :data:`hookspec` a specification
(:mod:`lingyun.hookspecs` holds them all).  They live apart from the specifications so that
the modules the specifications mention (:mod:`lingyun.doctypes`) can mark their own
implementations without importing the specifications back: the import graph has no circle.
Both are re-exported as ``lingyun.hookimpl`` and ``lingyun.hookspec``.
"""

from __future__ import annotations

import pluggy

__all__ = ["PROJECT", "hookimpl", "hookspec"]

#: The pluggy project name every lingyun hook belongs to.
PROJECT = "lingyun"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
