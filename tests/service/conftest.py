"""Fixtures for the local-service suite: a real HTTP service on 127.0.0.1 and raw senders.

Requests are sent with :mod:`http.client` (as the vendor's example does, ported to
Python 3), so every header is exactly what the test wrote.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import json
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from lingyun.pytest_plugin import lingyun_client, lingyun_server, lingyun_service
from lingyun.service.accounts import Accounts
from lingyun.service.control import Control
from lingyun.service.core import ServiceCore
from lingyun.service.engines import make_engines
from lingyun.service.engines.rapidocr import rapidocr_available
from lingyun.service.server import LocalServer

from ..conftest import APP_KEY, SECRET_DEV_KEY

__all__ = ["lingyun_client", "lingyun_server", "lingyun_service"]

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "lingyun" / "samples"
SAMPLE_INFO: dict[str, dict[str, Any]] = json.loads(
    (SAMPLES / "samples.json").read_text(encoding="utf-8"))
PNG = (SAMPLES / "chinese.png").read_bytes()
IDCARD_BACK = "capkey=ocr.cloud.template,property=idcard,templateIndex=0,templatePageIndex=1"

needs_rapidocr = pytest.mark.skipif(
    not rapidocr_available(),
    reason="rapidocr 3 / onnxruntime is not importable (pip install 'lingyun[local]')",
)


def signed(task_config: str | None, *, app_key: str = APP_KEY, dev_key: str = SECRET_DEV_KEY,
           date: str | None = None, sdk: str = "5.2") -> dict[str, str]:
    """The five headers of the vendor's example, signed like it: md5(date + devkey)."""
    when = date if date is not None else str(dt.datetime.now())
    headers = {
        "x-app-key": app_key,
        "x-request-date": when,
        "x-session-key": hashlib.md5((when + dev_key).encode()).hexdigest(),
        "x-sdk-version": sdk,
    }
    if task_config is not None:
        headers["x-task-config"] = task_config
    return headers


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def envelope(self) -> dict[str, Any]:
        length = self.headers.get("json-length")
        return json.loads(self.body[: int(length)] if length else self.body)

    @property
    def error(self) -> int:
        return self.envelope["error"]


def post(url: str, headers: Mapping[str, str] | list[tuple[str, str]], body: bytes = PNG,
         path: str | None = None) -> Answer:
    """POST with http.client exactly these headers (plus Host/Content-Length)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.putrequest("POST", path or parts.path)
        items = headers.items() if isinstance(headers, Mapping) else headers
        for name, value in items:
            conn.putheader(name, value)
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()},
                      response.read())
    finally:
        conn.close()


def read_nodes(stream: bytes) -> list[tuple]:
    """An independent reader of SPEC §5 offsets: (kind, fields...) per 48-byte node."""
    assert len(stream) % 48 == 0
    nodes = []
    for off in range(0, len(stream), 48):
        kind = struct.unpack_from("<H", stream, off)[0]
        u = off + 4
        if kind == 0:
            nodes.append(("PAGE", *struct.unpack_from("<iii", stream, u)))
        elif kind == 1:
            nodes.append(("REGION", struct.unpack_from("<iiii", stream, u)))
        elif kind == 3:
            nodes.append(("LINE", *struct.unpack_from("<HHHH", stream, u)))
        elif kind == 4:
            code, spaces = struct.unpack_from("<HH", stream, u)
            box = struct.unpack_from("<iiii", stream, u + 4)
            suspect = struct.unpack_from("<i", stream, u + 20)[0]
            cands = struct.unpack_from("<5H", stream, u + 28)
            dist = struct.unpack_from("<5B", stream, u + 38)
            nodes.append(("CHAR", chr(code), spaces, box, suspect, cands, dist))
        else:
            raise AssertionError(f"unexpected node type {kind}")
    return nodes


@pytest.fixture(scope="session")
def control() -> Control:
    return Control()


@pytest.fixture(scope="session")
def service_server(control: Control) -> Iterator[LocalServer]:
    """A service accepting the suite's secret account, default engines, a control."""
    core = ServiceCore(accounts=Accounts({APP_KEY: SECRET_DEV_KEY}), control=control,
                       engines=make_engines()[:1] + make_engines(["replay"]),
                       max_body=1024 * 1024)
    with LocalServer(core, queue=32) as server:
        yield server


@pytest.fixture
def service(service_server: LocalServer, control: Control) -> Iterator[LocalServer]:
    control.reset()
    yield service_server
    control.reset()


@pytest.fixture(scope="session")
def rapidocr_engine() -> Any:
    """One embedded rapidocr engine (one model load) for every test that reads real images
    with it; such tests are marked ``needs_rapidocr``, so they skip before this runs."""
    from lingyun.service.engines.rapidocr import RapidOCREngine

    return RapidOCREngine()


DEJAVU = "/usr/share/fonts/truetype/dejavu"


def dejavu(name: str, size: int) -> Any:
    """A DejaVu face from the Debian package (the test skips without it)."""
    from PIL import ImageFont

    try:
        return ImageFont.truetype(f"{DEJAVU}/{name}.ttf", size)
    except OSError:
        pytest.skip(f"font {name} not installed (fonts-dejavu-core)")


def png(image: Any) -> bytes:
    """A Pillow image as PNG bytes."""
    import io

    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
