"""The old import path of :mod:`lingyun.fit` (fitting oversized images and mapping their
coordinates back), which now lives with the client: :meth:`lingyun.Client.recognize` fits
images too, and the client's layer imports nothing from ``lingyun.bulk``."""

from __future__ import annotations

from ..fit import DEFAULT_LIMIT, DEFAULT_PIXEL_LIMIT, Fitted, fit, needs_fitting, scale_positions

__all__ = ["DEFAULT_LIMIT", "DEFAULT_PIXEL_LIMIT", "Fitted", "fit", "needs_fitting",
           "scale_positions"]
