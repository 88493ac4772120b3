"""The CLI's default deadline leaves room for a dense 300-dpi page on the embedded engine."""

from __future__ import annotations

import pytest

from lingyun.cli import build_parser
from lingyun.cli.common import EMBEDDED_TIMEOUT, client_from_args
from lingyun.client import DEFAULT_TIMEOUT


@pytest.fixture(autouse=True)
def _no_service_environment(monkeypatch):
    for name in ("LINGYUN_ENDPOINT", "LINGYUN_APP_KEY", "LINGYUN_DEV_KEY"):
        monkeypatch.delenv(name, raising=False)


def _timeout(*argv: str) -> float | None:
    args = build_parser().parse_args(["ocr", *argv, "page.png"])
    with client_from_args(args) as client:
        return client.timeout


def test_the_embedded_engine_gets_the_long_default_a_service_the_usual_one(monkeypatch):
    assert EMBEDDED_TIMEOUT >= 600 > DEFAULT_TIMEOUT
    assert _timeout() == EMBEDDED_TIMEOUT
    assert _timeout("--endpoint", "http://127.0.0.1:9/ocr", "--app-key", "a",
                    "--dev-key", "d") == DEFAULT_TIMEOUT
    assert _timeout("--timeout", "30") == 30
    monkeypatch.setenv("LINGYUN_ENDPOINT", "http://127.0.0.1:9/ocr")
    monkeypatch.setenv("LINGYUN_APP_KEY", "a")
    monkeypatch.setenv("LINGYUN_DEV_KEY", "d")
    assert _timeout() == DEFAULT_TIMEOUT
