"""The embedded adapter runs the same core in-process: same bytes as over HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from lingyun.client import Client
from lingyun.errors import RoutingError
from lingyun.service import engines as engines_module
from lingyun.service.accounts import DEFAULT_APP_KEY, DEFAULT_DEV_KEY, Accounts
from lingyun.service.core import ServiceCore
from lingyun.service.embedded import EMBEDDED_ENDPOINT, EmbeddedAdapter
from lingyun.service.engines import rapidocr as rapidocr_module
from lingyun.service.engines.replay import ReplayEngine
from lingyun.service.server import LocalServer

from ..conftest import APP_KEY, SECRET_DEV_KEY
from .conftest import IDCARD_BACK, PNG, SAMPLE_INFO, SAMPLES, needs_rapidocr, signed


def _session(core: ServiceCore) -> requests.Session:
    session = requests.Session()
    session.mount("lingyun+local://", EmbeddedAdapter(core))
    return session


@pytest.mark.parametrize("task", [IDCARD_BACK, "capkey=ocr.cloud.bankcard",
                                  "capkey=ocr.cloud,lang=chinese_cn,withPosition=1",
                                  "capkey=ocr.cloud.template,property=x,templateIndex=0,"
                                  "templatePageIndex=0"])
def test_embedded_and_http_give_the_same_bytes(task):
    core = ServiceCore(accounts=Accounts({APP_KEY: SECRET_DEV_KEY}), engines=[ReplayEngine()])
    headers = signed(task, date=str(dt.datetime.now()))
    embedded = _session(core).post(EMBEDDED_ENDPOINT, data=PNG, headers=headers)
    with LocalServer(core) as server:
        over_http = requests.post(server.url, data=PNG, headers=headers, timeout=30)
    assert embedded.status_code == over_http.status_code == 200
    assert embedded.content == over_http.content
    assert embedded.headers.get("json-length") == over_http.headers.get("json-length")


def test_client_on_the_embedded_endpoint_uses_the_default_account():
    with Client(DEFAULT_APP_KEY, DEFAULT_DEV_KEY, EMBEDDED_ENDPOINT) as client:
        result = client.recognize(PNG, "idcard.back")
    assert result is not None


@needs_rapidocr
def test_client_reads_real_text_in_process():
    info = SAMPLE_INFO["english"]
    with Client(DEFAULT_APP_KEY, DEFAULT_DEV_KEY, EMBEDDED_ENDPOINT) as client:
        result = client.recognize((SAMPLES / info["file"]).read_bytes(), "text.english")
    assert str(result).strip() == info["text"]


def test_without_the_local_extra_text_says_what_to_install(monkeypatch):
    monkeypatch.setattr(rapidocr_module, "rapidocr_available", lambda: False)
    core = ServiceCore(engines=engines_module.make_engines(None))
    session = _session(core)
    client = Client(DEFAULT_APP_KEY, DEFAULT_DEV_KEY, EMBEDDED_ENDPOINT, session=session)
    with pytest.raises(RoutingError, match=r"pip install 'lingyun\[local\]'"):
        client.recognize(PNG, "text.chinese")
    assert client.recognize(PNG, "idcard.back") is not None  # the rest still replays
