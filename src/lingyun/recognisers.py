"""Deprecated spelling of :mod:`lingyun.recognizers` (importing it warns).

The package spells public names the American way (``recognize``, ``recognizers``); this name
stays importable so that existing plugins keep working.  It *is* :mod:`lingyun.recognizers`,
and ``lingyun.recognisers.page`` (or any submodule) is the very same module object as
``lingyun.recognizers.page``, so classes compare equal whichever spelling imported them.
"""

import importlib
import pkgutil
import sys
import warnings

from . import recognizers as _recognizers

warnings.warn("lingyun.recognisers is deprecated: import lingyun.recognizers",
              DeprecationWarning, stacklevel=2)
for _module in pkgutil.iter_modules(_recognizers.__path__):
    sys.modules[f"{__name__}.{_module.name}"] = importlib.import_module(
        f"{_recognizers.__name__}.{_module.name}")
sys.modules[__name__] = _recognizers
