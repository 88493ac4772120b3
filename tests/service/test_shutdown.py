"""Stopping the server lets a recognition in flight finish and answer."""

from __future__ import annotations

import threading

from lingyun.service.accounts import Accounts
from lingyun.service.core import ServiceCore
from lingyun.service.engines import Answer
from lingyun.service.server import LocalServer

from ..conftest import APP_KEY, SECRET_DEV_KEY
from .conftest import post, signed


class GatedEngine:
    """Holds each recognition until the test opens the gate."""

    name = "gated"

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.gate = threading.Event()

    def serves(self, capability):
        return capability.document_type == "bankcard"

    def recognize(self, job):
        self.entered.set()
        assert self.gate.wait(30)
        return Answer(data={"forms": {"form": {"CardNumber": "1"}}})


def test_graceful_shutdown_finishes_requests_in_flight():
    engine = GatedEngine()
    server = LocalServer(ServiceCore(accounts=Accounts({APP_KEY: SECRET_DEV_KEY}),
                                     engines=[engine])).start()
    answers = []
    client = threading.Thread(
        target=lambda: answers.append(post(server.url, signed("capkey=ocr.cloud.bankcard"))))
    client.start()
    assert engine.entered.wait(30)
    server.request_stop()  # shutdown has begun while the recognition is held
    engine.gate.set()
    client.join(30)
    server.stop()
    assert [a.error for a in answers] == [0]
