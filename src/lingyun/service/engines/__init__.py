"""Recognition engines: plugins that answer validated requests.

An engine is registered through the ``lingyun_register_engines(register)`` hook (the same
pluggy host as document types): ``register(name, factory)`` where ``factory()`` builds the
engine.  Engines are built only when the service starts with them, so a missing optional
dependency (rapidocr) costs nothing until that engine is asked for.

An engine says which document types it serves (:meth:`Engine.serves`) and turns a
:class:`Job` into an :class:`Answer`.  The service core picks, for each request, the first
engine in its configured order that serves the request's document type.
"""

from __future__ import annotations

from .base import Answer, BadImage, Engine, EngineFactory, Job
from .registry import (
    BUILTIN_ENGINES,
    DEFAULT_ENGINES,
    check_names,
    create,
    engine_factories,
    register_builtin_engines,
    share,
)

__all__ = [
    "BUILTIN_ENGINES",
    "DEFAULT_ENGINES",
    "Answer",
    "BadImage",
    "Engine",
    "EngineFactory",
    "Job",
    "engine_factories",
    "make_engines",
    "register_builtin_engines",
]


#: Engines that recognize on the CPU and gain from running in several processes; pooled,
#: they run together in each worker (one OCR model per process).
POOLABLE = frozenset({"rapidocr", "local-templates"})


def make_engines(names: list[str] | None = None, *, processes: int | None = None,
                 threads: int | None = None) -> list[Engine]:
    """Build engines by name; ``None`` means :data:`DEFAULT_ENGINES` (never replay).

    With ``processes`` > 1, each CPU-bound engine (:data:`POOLABLE`) runs as an
    :class:`~lingyun.service.engines.pool.EnginePool` of that many worker processes with
    ``threads`` threads each.
    """
    factories = engine_factories()
    engines: list[Engine] = []
    if names is None:
        from .rapidocr import MissingRapidOCR, rapidocr_available

        # Only registered engines: a blocked built-in (LINGYUN_BLOCK_PLUGINS) stays out.
        names = [name for name in DEFAULT_ENGINES if name in factories]
        if not rapidocr_available():  # both read with rapidocr: say what to install
            names = [name for name in names if name not in ("rapidocr", "local-templates")]
            engines.append(MissingRapidOCR())
    check_names(names, factories)
    pooled = [name for name in names if name in POOLABLE] \
        if processes is not None and processes > 1 else []
    for name in names:
        if name in pooled:
            if name == pooled[0]:  # one pool for all of them, where the first one stands
                from .pool import EnginePool

                engines.append(EnginePool(pooled, processes=processes, threads=threads))
        else:
            engines.append(create(name, factories[name]))
    share(engines)
    return engines
