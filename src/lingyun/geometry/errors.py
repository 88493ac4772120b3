"""The error of the geometry package: input arrays that cannot describe boxes or pages."""

from __future__ import annotations

from ..errors import UsageError

__all__ = ["GeometryError"]


class GeometryError(UsageError):
    """Arrays given to a geometry function have the wrong shape, type or contents.

    The message names the argument and, for a bad box, its index.
    """
