"""The replay engine: answers every capability from recorded responses.

Recordings are JSON envelopes in directories, named ``<document type>.json`` (the default
answer for that type) or ``<document type>.<sha256 of the image>.json`` (the answer for
one exact image).  The vendor's own examples (``lingyun/service/examples``) are always the
last directory searched, so every document type with an example answers realistically with
no configuration.  A type with no recording is not served: the core then says which
engines exist.  Position requests get the recorded JSON with an empty node stream.

Replay is for tests and demos and is never a default: it answers only where it is chosen
(``lingyun serve --engine replay``, the pytest fixtures, ``Client.local(engines=["replay"])``),
and every answer carries the ``x-lingyun-replay`` header naming the recording.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from ...errors import ConfigurationError
from ...hookspecs import hookimpl
from ..validation import Capability
from .base import Answer, Job

__all__ = ["EXAMPLES", "ReplayEngine"]

#: The vendor examples shipped with the package.
EXAMPLES = Path(str(resources.files("lingyun.service") / "examples"))


class ReplayEngine:
    """Answers from ``directories`` (searched in order), then the shipped examples."""

    name = "replay"

    def __init__(self, directories: Sequence[str | Path] = ()) -> None:
        self.directories = [Path(d) for d in directories] + [EXAMPLES]
        self._cache: dict[Path, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def _find(self, document_type: str, digest: str | None) -> Path | None:
        names = ([f"{document_type}.{digest}.json"] if digest else []) + [f"{document_type}.json"]
        for name in names:
            for directory in self.directories:
                path = directory / name
                if path.is_file():
                    return path
        return None

    def serves(self, capability: Capability) -> bool:
        return bool(capability.document_type) and self._find(capability.document_type or "",
                                                              None) is not None

    def _load(self, path: Path) -> dict[str, Any]:
        with self._lock:
            cached = self._cache.get(path)
            if cached is None:
                try:
                    cached = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    raise ConfigurationError(f"recording {path} is unreadable: {exc}") from None
                if not isinstance(cached, dict):
                    raise ConfigurationError(f"recording {path} is not a JSON object")
                self._cache[path] = cached
        fresh: dict[str, Any] = json.loads(json.dumps(cached))  # a fresh copy per answer
        return fresh

    def recognize(self, job: Job) -> Answer:
        digest = hashlib.sha256(job.image).hexdigest()
        path = self._find(job.document_type, digest)
        if path is None:
            raise ConfigurationError(f"no recording for {job.document_type}")
        envelope = self._load(path)
        return Answer(data=envelope.get("data"), envelope=envelope,
                      positions=b"" if job.capability.with_position else None,
                      replayed=f"{self.name}:{path.name}")


@hookimpl
def lingyun_register_engines(register: Any) -> None:
    register("replay", ReplayEngine)
