"""Fixtures shared by the whole suite."""

from __future__ import annotations

import datetime as dt

import pytest

#: A developer key that must never appear in any output (tests scan for it).
SECRET_DEV_KEY = "devkey-3f9c1a-DO-NOT-LEAK"
APP_KEY = "ac5d5431"
FIXED_NOW = dt.datetime(2017, 1, 19, 23, 19, 41, 990000)


@pytest.fixture
def dev_key() -> str:
    return SECRET_DEV_KEY


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's own LINGYUN_* settings."""
    for name in (
        "LINGYUN_APP_KEY",
        "LINGYUN_DEV_KEY",
        "LINGYUN_ENDPOINT",
        "LINGYUN_SDK_VERSION",
        "LINGYUN_PLUGINS",
        "LINGYUN_BLOCK_PLUGINS",
    ):
        monkeypatch.delenv(name, raising=False)

#: The smallest body the client accepts as an image: a PNG signature and IHDR chunk (1 x 1
#: pixel; the client checks the header structure) and some bytes.  Tests that only exercise
#: the protocol send it; the service-side tests send real images.
PNG_HEADER = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
              b"\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU")
IMAGE = PNG_HEADER + b"test image"
