"""Deprecated spelling of :mod:`lingyun.fields.normalizers` (importing it warns).

The package spells public names the American way (``recognize``, ``normalizers``); this
module name stays importable so that existing plugins keep working, and is the very same
module object as :mod:`lingyun.fields.normalizers`.
"""

import sys
import warnings

from . import normalizers as _normalizers

warnings.warn("lingyun.fields.normalisers is deprecated: import lingyun.fields.normalizers",
              DeprecationWarning, stacklevel=2)
sys.modules[__name__] = _normalizers
