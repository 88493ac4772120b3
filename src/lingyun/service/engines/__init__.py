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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from ...errors import ConfigurationError
from ..validation import Capability

__all__ = [
    "Answer",
    "BadImage",
    "Engine",
    "EngineFactory",
    "Job",
    "engine_factories",
    "make_engines",
    "register_builtin_engines",
]


@dataclass(frozen=True)
class Job:
    """A validated request: what is asked (``capability``) and the image bytes."""

    capability: Capability
    image: bytes

    @property
    def document_type(self) -> str:
        return self.capability.document_type or ""


@dataclass
class Answer:
    """An engine's reply: the envelope's ``data`` and, for positions, the node stream.

    ``envelope`` replaces the whole envelope when an engine replays a recorded one (it may
    carry members beside ``data``, like the business card's ``image``).  ``replayed`` names
    the source when the answer was not recognised from the image (a recording, a canned
    example, a test script): the core then marks the reply with
    :data:`lingyun.protocol.REPLAY_HEADER`, and the client exposes it as ``result.replayed``.
    """

    data: Any = None
    positions: bytes | None = None
    envelope: dict[str, Any] | None = None
    replayed: str | None = None


class BadImage(Exception):
    """The body is not an image the engine can decode (the core answers -1, see docs)."""


@runtime_checkable
class Engine(Protocol):
    """What the service core needs from an engine."""

    name: str

    def serves(self, capability: Capability) -> bool:
        """True when this engine answers requests for ``capability``."""

    def recognise(self, job: Job) -> Answer:
        """Answer ``job``; raise :class:`BadImage` for an undecodable body."""


EngineFactory = Callable[[], Engine]


#: The service's own engine plugins, registered by the service when it first needs engines
#: (the client's plugin host never imports them), exactly as a third-party engine registers.
BUILTIN_ENGINES: tuple[str, ...] = (
    "lingyun.service.engines.rapidocr",
    "lingyun.service.engines.templates",
    "lingyun.service.engines.replay",
)
#: What a service runs when no engine is named: only engines that really recognise -- text
#: (rapidocr) and the template types whose plugin ships a local recogniser (local-templates).
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


#: Engines that recognise on the CPU and gain from running in several processes; pooled,
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
    for name in names:
        if name not in factories:
            raise ConfigurationError(
                f"unknown engine {name!r}; registered engines: {', '.join(factories)}"
            )
    pooled = [name for name in names if name in POOLABLE] \
        if processes is not None and processes > 1 else []
    for name in names:
        if name in pooled:
            if name == pooled[0]:  # one pool for all of them, where the first one stands
                from .pool import EnginePool

                engines.append(EnginePool(pooled, processes=processes, threads=threads))
        else:
            engines.append(factories[name]())
    from .templates import share_reader

    share_reader(engines)
    return engines
