"""Fixtures for document parsing: the vendor's example responses as replies."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest

from lingyun.plugins import get_plugin_manager
from lingyun.protocol import Reply
from lingyun.results import Result

EXAMPLES = resources.files("lingyun") / "service" / "examples"


def example(name: str) -> dict[str, Any]:
    """The vendor document's example response for document type ``name``."""
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def reply_for(envelope: dict[str, Any], positions: bytes | None = None) -> Reply:
    body = json.dumps(envelope, ensure_ascii=False).encode()
    return Reply(200, {}, body, envelope, positions)


@pytest.fixture(scope="session")
def parse() -> Callable[[str, dict[str, Any]], Result]:
    """``parse(type, envelope)``: run the registered parser of a document type."""

    def run(document_type: str, envelope: dict[str, Any]) -> Result:
        return get_plugin_manager().document_type(document_type).parse(reply_for(envelope))

    return run
