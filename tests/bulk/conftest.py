"""Fixtures for the bulk suite: a replay-only service over real HTTP, and image folders.

The replay engine answers text from the vendor's recorded example without decoding the
image, so thousands of calls cost milliseconds each; the service's :class:`Control`
counts what arrived (per body sha256) and injects busy codes or latency.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from lingyun.pytest_plugin import (
    LingyunService,
    lingyun_client,
    lingyun_server,
    lingyun_service,
    running_service,
)
from lingyun.service.engines.replay import ReplayEngine

__all__ = ["lingyun_client", "lingyun_server", "lingyun_service"]

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "lingyun" / "samples"


def png(seed: int, size: tuple[int, int] = (24, 16)) -> bytes:
    """A small PNG whose bytes differ for every ``seed``."""
    image = Image.new("L", size, color=seed % 251)
    image.putpixel((seed % size[0], (seed // size[0]) % size[1]), 255 - seed % 200)
    image.info["seed"] = str(seed)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=_text_chunk(seed))
    return buffer.getvalue()


def _text_chunk(seed: int):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("seed", str(seed))  # distinct bytes even where pixels coincide
    return info


def write_images(directory: Path, count: int, *, start: int = 0) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for seed in range(start, start + count):
        path = directory / f"img{seed:05d}.png"
        path.write_bytes(png(seed))
        paths.append(path)
    return paths


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def received(service: LingyunService) -> Counter[str]:
    """How many requests the service received, per body sha256."""
    return Counter(sha(r.body) for r in service.requests)


@pytest.fixture(scope="session")
def replay_server() -> Iterator[LingyunService]:
    """A replay-only service (fast, deterministic) on a free loopback port."""
    with running_service([ReplayEngine()], workers=8) as service:
        yield service


@pytest.fixture
def replay(replay_server: LingyunService) -> Iterator[LingyunService]:
    replay_server.reset()
    yield replay_server
    replay_server.reset()


@pytest.fixture
def service_env(replay: LingyunService, monkeypatch: pytest.MonkeyPatch) -> LingyunService:
    """The LINGYUN_* variables point at the replay service (for the CLI)."""
    monkeypatch.setenv("LINGYUN_ENDPOINT", replay.url)
    monkeypatch.setenv("LINGYUN_APP_KEY", replay.app_key)
    monkeypatch.setenv("LINGYUN_DEV_KEY", replay.dev_key)
    return replay


def child_env(service: LingyunService) -> dict[str, str]:
    """Environment for a ``python -m lingyun`` subprocess talking to ``service``."""
    env = dict(os.environ)
    env.update(LINGYUN_ENDPOINT=service.url, LINGYUN_APP_KEY=service.app_key,
               LINGYUN_DEV_KEY=service.dev_key)
    return env
