"""The in-process transport: same bytes as HTTP, an honest default, marked replays, deadlines."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import requests

from lingyun import Client, ConfigurationError, DeadlineExceeded, RoutingError
from lingyun.plugins import get_plugin_manager
from lingyun.results import Result
from lingyun.service import engines as engines_module
from lingyun.service.accounts import Accounts
from lingyun.service.control import Control
from lingyun.service.core import ServiceCore
from lingyun.service.engines import Answer, Job
from lingyun.service.engines import rapidocr as rapidocr_module
from lingyun.service.engines.replay import ReplayEngine
from lingyun.service.server import LocalServer
from lingyun.service.transport import LocalTransport

from ..conftest import APP_KEY, SECRET_DEV_KEY
from .conftest import IDCARD_BACK, PNG, SAMPLE_INFO, SAMPLES, needs_rapidocr, signed

#: Every built-in type but text and the ones with a local recognizer: what the local
#: engine cannot really read.
TEMPLATE_TYPES = [d.name for d in get_plugin_manager().document_types()
                  if not d.name.startswith("text.") and d.local_recognizer is None]


@pytest.mark.parametrize("task", [IDCARD_BACK, "capkey=ocr.cloud.bankcard",
                                  "capkey=ocr.cloud,lang=chinese_cn,withPosition=1",
                                  "capkey=ocr.cloud.template,property=x,templateIndex=0,"
                                  "templatePageIndex=0"])
def test_local_transport_and_http_give_the_same_bytes(task):
    core = ServiceCore(accounts=Accounts({APP_KEY: SECRET_DEV_KEY}), engines=[ReplayEngine()])
    headers = signed(task, date=str(dt.datetime.now()))
    local = LocalTransport(core).send("local://embedded/ocr", headers, PNG, deadline=None)
    with LocalServer(core) as server:
        over_http = requests.post(server.url, data=PNG, headers=headers, timeout=30)
    assert local.status == over_http.status_code == 200
    assert local.body == over_http.content
    assert local.headers.get("json-length") == over_http.headers.get("json-length")
    assert local.headers.get("x-lingyun-replay") == over_http.headers.get("x-lingyun-replay")


@pytest.mark.parametrize("document_type", TEMPLATE_TYPES)
def test_the_default_refuses_every_type_it_cannot_read_before_anything_runs(document_type):
    control = Control()
    core = ServiceCore(accounts=Accounts(), control=control, engines=engines_module.make_engines())
    client = Client.local(core=core)
    # The image is never even read: the path does not exist.
    with pytest.raises(ConfigurationError) as caught:
        client.recognize("/nonexistent/scan.png", document_type)
    message = str(caught.value)
    assert document_type in message
    assert "cannot be read by the local engine" in message
    assert "LINGYUN_ENDPOINT" in message
    assert control.requests == []


def test_from_env_without_endpoint_or_keys_is_the_honest_local_default():
    client = Client.from_env({})
    assert client.embedded
    with pytest.raises(ConfigurationError, match="vat"):
        client.prepare(PNG, "vat")


def test_from_env_with_keys_but_no_endpoint_names_the_missing_variable():
    with pytest.raises(ConfigurationError, match="LINGYUN_APP_KEY and LINGYUN_DEV_KEY set but "
                                                 "no endpoint: set LINGYUN_ENDPOINT"):
        Client.from_env({"LINGYUN_APP_KEY": "ak", "LINGYUN_DEV_KEY": "dk"})


def test_replay_chosen_explicitly_marks_every_result():
    client = Client.local(engines=["replay"])
    result = client.recognize(PNG, "idcard.back")
    assert result.replayed == "replay:idcard.back.json"
    assert result.reply.headers["x-lingyun-replay"] == "replay:idcard.back.json"
    data = result.to_dict()
    assert data["replayed"] == "replay:idcard.back.json"
    assert Result.from_dict(data).replayed == "replay:idcard.back.json"


@needs_rapidocr
def test_real_text_in_process_is_not_marked_replayed():
    info = SAMPLE_INFO["english"]
    with Client.local() as client:
        result = client.recognize((SAMPLES / info["file"]).read_bytes(), "text.english")
    assert str(result).strip() == info["text"]
    assert result.replayed is None
    assert "replayed" not in result.to_dict()


def test_without_the_local_extra_text_says_what_to_install(monkeypatch):
    monkeypatch.setattr(rapidocr_module, "rapidocr_available", lambda: False)
    client = Client.local(core=ServiceCore(engines=engines_module.make_engines(None)))
    with pytest.raises(RoutingError, match=r"pip install 'lingyun\[local\]'"):
        client.recognize(PNG, "text.chinese")
    with pytest.raises(ConfigurationError, match="cannot be read by the local engine"):
        client.recognize(PNG, "idcard.back")


class _GatedEngine:
    """Serves text, but answers only when the test opens the gate."""

    name = "gated"

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.started = threading.Event()

    def serves(self, capability) -> bool:
        return capability.document_type == "text.chinese"

    def recognize(self, job: Job) -> Answer:
        self.started.set()
        self.gate.wait(30)
        return Answer(data={"forms": {"form": "late"}})


def test_a_local_call_ends_by_its_deadline():
    engine = _GatedEngine()
    client = Client.local(core=ServiceCore(engines=[engine]), timeout=0.3)
    try:
        with pytest.raises(DeadlineExceeded, match="deadline"):
            client.recognize(PNG, "text.chinese")
        assert engine.started.is_set()
    finally:
        engine.gate.set()
        client.close()
