"""Engine plugins by name: registering the built-ins, collecting every factory, building
engines in this process (:func:`build`).  Pooling them in worker processes is
:func:`lingyun.service.engines.make_engines`'s choice; the pool's workers call :func:`build`.
"""

from __future__ import annotations

import warnings
from typing import Any

from ...errors import ConfigurationError
from ..validation import Capability
from .base import Answer, Engine, EngineFactory, Job

__all__ = ["BUILTIN_ENGINES", "DEFAULT_ENGINES", "build", "check_names", "create",
           "engine_factories", "register_builtin_engines"]


#: The service's own engine plugins, registered by the service when it first needs engines
#: (the client's plugin host never imports them), exactly as a third-party engine registers.
BUILTIN_ENGINES: tuple[str, ...] = (
    "lingyun.service.engines.rapidocr",
    "lingyun.service.engines.templates",
    "lingyun.service.engines.replay",
)
#: What a service runs when no engine is named: only engines that really recognize -- text
#: (rapidocr) and the template types whose plugin ships a local recognizer (local-templates).
#: Replay (canned answers) is never a default; it must be chosen (``--engine replay``).
DEFAULT_ENGINES: tuple[str, ...] = ("rapidocr", "local-templates")


def register_builtin_engines(pm: Any = None) -> Any:
    """Register :data:`BUILTIN_ENGINES` on the plugin manager (once; blocked ones stay out)."""
    import importlib

    from ...plugins import get_plugin_manager

    pm = pm if pm is not None else get_plugin_manager()
    for module_name in BUILTIN_ENGINES:
        if not pm.is_blocked(module_name) and not pm.has_plugin(module_name):
            pm.register(importlib.import_module(module_name), name=module_name)
    return pm


def engine_factories() -> dict[str, EngineFactory]:
    """Every registered engine factory by name (built-ins and plugins), in order."""
    found = register_builtin_engines().collect(
        "lingyun_register_engines", lambda _owner, name, _factory: name, "engine"
    )
    return {name: args[1] for name, (_, args) in found.items()}


def check_names(names: list[str], factories: dict[str, EngineFactory]) -> None:
    """Raise :class:`~lingyun.errors.ConfigurationError` for a name no plugin registered."""
    for name in names:
        if name not in factories:
            raise ConfigurationError(
                f"unknown engine {name!r}; registered engines: {', '.join(factories)}"
            )


def build(names: list[str]) -> list[Engine]:
    """The engines ``names`` built in this process, sharing one line reader."""
    factories = engine_factories()
    check_names(names, factories)
    engines = [create(name, factories[name]) for name in names]
    share(engines)
    return engines


def share(engines: list[Engine]) -> None:
    """Let the template recognizers read lines with the text engine already built."""
    from .templates import share_reader

    share_reader(engines)


def create(name: str, factory: EngineFactory) -> Engine:
    """``factory()``, the engine registered as ``name``.

    An engine written for 0.x answers ``recognise(job)`` (the earlier spelling): it still
    works, through an adapter that gives it ``recognize``, and says once that it should
    rename the method.
    """
    engine = factory()
    if not hasattr(engine, "recognize") and hasattr(engine, "recognise"):
        warnings.warn(f"engine {name!r} ({type(engine).__qualname__}) defines recognise(): "
                      "rename it recognize() (the earlier spelling is deprecated)",
                      DeprecationWarning, stacklevel=2)
        return _Recognise(engine)
    return engine


class _Recognise:
    """An engine with the deprecated ``recognise`` method, seen through ``recognize``."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self.name: str = engine.name

    def serves(self, capability: Capability) -> bool:
        return bool(self._engine.serves(capability))

    def recognize(self, job: Job) -> Answer:
        answer: Answer = self._engine.recognise(job)
        return answer

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._engine, attribute)
