"""The local-templates engine: serves exactly the types with a local recognizer, over HTTP.

These tests give the engine a fixed line reader (the engine's reader interface, no OCR
model), so they check routing, the third-party path and the reply shape quickly; the
end-to-end tests with the real rapidocr engine are in ``test_end_to_end.py``.
"""

from __future__ import annotations

import types

import pytest

from lingyun.client import Client
from lingyun.documents.template import template_document
from lingyun.errors import TransientError, UnsupportedError
from lingyun.hookspecs import hookimpl
from lingyun.plugins import get_plugin_manager
from lingyun.recognizers.page import Page
from lingyun.results import TemplateResult
from lingyun.service.accounts import Accounts
from lingyun.service.core import ServiceCore
from lingyun.service.engines import engine_factories
from lingyun.service.engines import templates as templates_module
from lingyun.service.engines.rapidocr import RapidOCREngine, rapidocr_available
from lingyun.service.engines.templates import ENGINE_NAME, TemplateEngine, share_reader
from lingyun.service.server import LocalServer
from lingyun.service.validation import Capability

from ..conftest import APP_KEY, SECRET_DEV_KEY
from ..service.conftest import PNG
from .conftest import StaticReader

RECEIPT_LINES = [("收据", 200, 20), ("商户 样本小卖部", 40, 80), ("金额 12.50", 40, 130)]


def read_receipt(page: Page) -> dict:
    """A third party's recognizer: two labelled values."""
    cells = []
    for i, (label, name) in enumerate((("商户", "商户名称"), ("金额", "金额"))):
        found = page.first(label)
        value = page.right_of(found) if found else None
        if value is not None:
            left, top, right, bottom = value.box
            cells.append({"id": str(i), "name": name, "result": {
                "result": value.compact, "left": str(left), "top": str(top),
                "right": str(right), "bottom": str(bottom)}})
    return {"forms": {"form": {"id": "0", "name": "收据", "ver": "acme-1",
                               "page": {"id": "0", "name": "收据", "cell": cells}}}}


RECEIPT = template_document("acme.receipt", "receipt", "Receipt", "收据",
                            keys={"商户名称": "merchant", "金额": "amount"},
                            local_recognizer=read_receipt)


def capability(document_type: str) -> Capability:
    return Capability(capkey="ocr.cloud.template", document_type=document_type)


@pytest.mark.parametrize("document_type, served", [
    ("idcard.front", True), ("idcard.back", True), ("bankcard", True), ("bizcard", True),
    ("vlcard", False), ("vat", False), ("text.chinese", False), ("no.such.type", False),
])
def test_serves_exactly_the_types_with_a_local_recognizer(document_type, served):
    engine = TemplateEngine(reader=StaticReader([]))
    assert engine.serves(capability(document_type)) is served


def test_is_registered_through_the_engine_hook(temporary_plugin):
    # a built-in once listed in DEFAULT_PLUGINS; registered here the way it then is
    if not get_plugin_manager().is_registered(templates_module):
        temporary_plugin(templates_module, templates_module.__name__)
    assert engine_factories()[ENGINE_NAME] is TemplateEngine
    assert get_plugin_manager().document_type("bankcard").describe()["local_recognizer"] is True


def test_a_third_party_template_with_a_recognizer_is_served_over_http(temporary_plugin):
    plugin = types.SimpleNamespace(lingyun_register_document_types=hookimpl(
        lambda register: register(RECEIPT)))
    temporary_plugin(plugin, "acme-receipt-test")
    reader = StaticReader(RECEIPT_LINES)
    core = ServiceCore(accounts=Accounts({APP_KEY: SECRET_DEV_KEY}),
                       engines=[TemplateEngine(reader=reader)])
    with LocalServer(core) as server, Client(APP_KEY, SECRET_DEV_KEY, server.url,
                                             retries=0) as client:
        result = client.recognize(PNG, "acme.receipt")
        with pytest.raises(UnsupportedError, match="no engine on this service serves vlcard"):
            client.recognize(PNG, "vlcard")
    assert isinstance(result, TemplateResult)
    assert result.values() == {"merchant": "样本小卖部", "amount": "12.50"}
    assert reader.images == [PNG]  # the image went to the reader, once


@pytest.mark.parametrize("recognizer", [lambda page: 1 / 0, lambda page: ["not", "data"]])
def test_a_broken_recognizer_is_a_logged_server_exception_not_a_traceback(
        temporary_plugin, caplog, recognizer):
    broken = template_document("acme.broken", "broken", "Broken", "坏",
                               keys={}, local_recognizer=recognizer)
    plugin = types.SimpleNamespace(lingyun_register_document_types=hookimpl(
        lambda register: register(broken)))
    temporary_plugin(plugin, "acme-broken-test")
    core = ServiceCore(accounts=Accounts({APP_KEY: SECRET_DEV_KEY}),
                       engines=[TemplateEngine(reader=StaticReader(RECEIPT_LINES))])
    with LocalServer(core) as server, Client(APP_KEY, SECRET_DEV_KEY, server.url,
                                             retries=0) as client:
        with pytest.raises(TransientError) as caught:
            client.recognize(PNG, "acme.broken")
    assert caught.value.code == -1
    assert "Traceback" not in str(caught.value) and "ZeroDivision" not in str(caught.value)
    assert "acme.broken" in caplog.text  # the service's log says which type failed


def test_built_in_answers_parse_with_the_client_parsers_over_http():
    reader = StaticReader([("样本银行", 40, 30), ("6200 0000 0000 0005", 40, 200),
                           ("YAN SHI", 40, 300)])
    core = ServiceCore(accounts=Accounts({APP_KEY: SECRET_DEV_KEY}),
                       engines=[TemplateEngine(reader=reader)])
    with LocalServer(core) as server, Client(APP_KEY, SECRET_DEV_KEY, server.url,
                                             retries=0) as client:
        card = client.recognize(PNG, "bankcard")
    assert (card.number, card.bank_name, card.holder) == ("6200000000000005", "样本银行",
                                                          "YAN SHI")
    assert len(card.digits) == 16


@pytest.mark.skipif(not rapidocr_available(), reason="needs the local extra")
def test_share_reader_gives_the_template_engine_the_services_rapidocr():
    text = RapidOCREngine()  # builds no model until the first request
    templates = TemplateEngine()
    share_reader([text, templates])
    assert templates.reader is text
    injected = TemplateEngine(reader=StaticReader([]))
    share_reader([text, injected])
    assert isinstance(injected.reader, StaticReader)  # an injected reader stays
