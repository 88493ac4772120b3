"""What an engine is: the :class:`Engine` protocol, the :class:`Job` it is given and the
:class:`Answer` it returns (the engines' shared vocabulary, imported by every engine module,
the pool and the service core; it imports no engine).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from ..validation import Capability

__all__ = ["Answer", "BadImage", "Engine", "EngineFactory", "Job"]


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
    the source when the answer was not recognized from the image (a recording, a canned
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

    def recognize(self, job: Job) -> Answer:
        """Answer ``job``; raise :class:`BadImage` for an undecodable body."""


EngineFactory = Callable[[], Engine]
