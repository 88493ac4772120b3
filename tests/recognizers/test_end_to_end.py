"""End to end: the committed card images, over HTTP, through rapidocr and the recognizers.

A real :class:`ServiceCore` whose only engine is ``local-templates`` (sharing one rapidocr
model) serves a real loopback HTTP server; the client signs, sends and parses.  Every image
must give its key field (ID number, card number, period, name) exactly, and at most one
other field wrong -- ``benchmarks/recognizers.py`` reports the accuracy on a larger set.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from stdnum import luhn
from stdnum.cn import ric

from lingyun.client import Client
from lingyun.errors import UnsupportedError
from lingyun.recognizers.scoring import compare, flatten
from lingyun.service.accounts import Accounts
from lingyun.service.core import ServiceCore
from lingyun.service.engines.rapidocr import RapidOCREngine
from lingyun.service.engines.templates import TemplateEngine, share_reader
from lingyun.service.server import LocalServer

from ..conftest import APP_KEY, SECRET_DEV_KEY
from ..service.conftest import needs_rapidocr
from .conftest import IMAGES, TRUTHS

pytestmark = [needs_rapidocr, pytest.mark.local_engine]

KEY_FIELD = {"idcard.front": "id_number", "idcard.back": "valid_period", "bankcard": "number",
             "bizcard": "name"}


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    engines = [RapidOCREngine(), TemplateEngine()]
    share_reader(engines)
    core = ServiceCore(accounts=Accounts({APP_KEY: SECRET_DEV_KEY}), engines=engines)
    with LocalServer(core) as server, Client(APP_KEY, SECRET_DEV_KEY, server.url,
                                             retries=0) as client:
        yield client


def test_the_images_are_small_and_every_one_has_a_truth():
    pngs = sorted(p.name for p in IMAGES.glob("*.png"))
    assert pngs == sorted(TRUTHS)
    assert sum((IMAGES / name).stat().st_size for name in pngs) < 2 * 1024 * 1024
    kinds = {truth["document_type"] for truth in TRUTHS.values()}
    assert kinds == set(KEY_FIELD)
    assert any(truth["distortion"]["rotation"] for truth in TRUTHS.values())


def test_the_invented_numbers_pass_their_checks():
    for truth in TRUTHS.values():
        fields = truth["fields"]
        if truth["document_type"] == "idcard.front":
            assert ric.is_valid(fields["id_number"])
            assert fields["birth_date"] == fields["id_number"][6:14]
            assert fields["birth_date"] < "19100101"  # nobody alive holds it
        if truth["document_type"] == "bankcard":
            assert luhn.is_valid(fields["number"])


@pytest.mark.parametrize("name", sorted(TRUTHS))
def test_card_image_reads_right_over_http(client, name):
    truth = TRUTHS[name]
    result = client.recognize((IMAGES / name).read_bytes(), truth["document_type"])
    got = flatten(result)
    verdict = compare(truth["fields"], got)
    wrong = {k: (truth["fields"][k], got.get(k)) for k, ok in verdict.items() if not ok}
    assert verdict[KEY_FIELD[truth["document_type"]]], wrong
    assert len(wrong) <= 1, wrong
    if truth["document_type"] == "bankcard":
        width = max(d.box.right for d in result.digits)
        assert [d.char for d in result.digits] == list(truth["fields"]["number"])
        assert all(0 <= d.box.left < d.box.right <= width for d in result.digits)
        lefts = [d.box.left for d in result.digits]
        assert lefts == sorted(lefts)


def test_a_type_without_a_recognizer_is_refused_not_invented(client):
    image = (IMAGES / sorted(TRUTHS)[0]).read_bytes()
    with pytest.raises(UnsupportedError, match="no engine on this service serves vlcard"):
        client.recognize(image, "vlcard")
