"""An engine plugin written with the 0.x method name ``recognise`` still serves, and warns."""

from __future__ import annotations

import pytest

from lingyun.service.engines import Answer, Job, make_engines
from lingyun.service.engines.registry import create
from lingyun.service.validation import Capability


class OldEngine:
    name = "old"

    def serves(self, capability: Capability) -> bool:
        return capability.document_type == "text.english"

    def recognise(self, job: Job) -> Answer:
        return Answer(data={"forms": {"form": f"{len(job.image)} bytes"}})


def test_an_engine_with_recognise_is_adapted_with_a_warning() -> None:
    with pytest.warns(DeprecationWarning, match="rename it recognize"):
        engine = create("old", OldEngine)
    capability = Capability(capkey="ocr.cloud", document_type="text.english")
    assert engine.serves(capability)
    assert engine.recognize(Job(capability, b"abc")).data == {"forms": {"form": "3 bytes"}}
    assert engine.name == "old"


def test_an_engine_with_recognize_is_used_as_it_is() -> None:
    (engine, *_) = make_engines(["replay"])
    assert type(engine).__name__ == "ReplayEngine"
