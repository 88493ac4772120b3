"""Fixtures for the core: a client bound to a real HTTP server on 127.0.0.1, a test plugin."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from lingyun import Client, DocumentType, Option, hookimpl
from lingyun.plugins import get_plugin_manager
from lingyun.protocol import Reply

from ..conftest import APP_KEY, FIXED_NOW, SECRET_DEV_KEY


@dataclass
class EchoResult:
    """What the test document type parses to: the reply's ``data`` member as is."""

    data: Any
    reply: Reply
    processed: bool = False


class EchoPlugin:
    """A document-type plugin living only in tests: ``test.echo``."""

    @hookimpl
    def lingyun_register_document_types(self, register: Callable[[DocumentType], None]) -> None:
        register(
            DocumentType(
                name="test.echo",
                title="Echo",
                title_zh="回声",
                task_config={"capkey": "ocr.cloud.template", "property": "echo"},
                parse=lambda reply: EchoResult(reply.data, reply),
                options=(
                    Option("withPosition", bool, default=False),
                    Option("outimagetype", str, choices=("bmp", "png", "jpg")),
                    Option("count", int),
                ),
            )
        )


@pytest.fixture
def echo_plugin() -> Iterator[EchoPlugin]:
    pm = get_plugin_manager()
    plugin = EchoPlugin()
    pm.register(plugin, name="test-echo")
    try:
        yield plugin
    finally:
        pm.unregister(plugin)


def envelope(data: Any = None, error: int = 0, text: str = "请求成功") -> str:
    body: dict[str, Any] = {"error": error, "text": text}
    if data is not None:
        body["data"] = data
    return json.dumps(body, ensure_ascii=False)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(httpserver: HTTPServer, echo_plugin: EchoPlugin, sleeps: list[float]) -> Client:
    """A client for ``httpserver`` with a fixed clock and a recording (non-)sleep."""
    return Client(
        APP_KEY,
        SECRET_DEV_KEY,
        httpserver.url_for("/ocr"),
        clock=lambda: FIXED_NOW,
        sleep=sleeps.append,
        timeout=(2.0, 2.0),
    )
