"""Requests real clients send are served as they mean them; every number in a task config is
ASCII digits of bounded length, whatever latin-1 text arrives instead."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from lingyun.errors import ERROR_CODES
from lingyun.service.accounts import Accounts
from lingyun.service.control import Control
from lingyun.service.core import ServiceCore
from lingyun.service.engines import Answer

from ..conftest import APP_KEY, SECRET_DEV_KEY
from .conftest import PNG, signed


class EchoEngine:
    """Serves every document type; answers with the type it was routed."""

    name = "echo"

    def serves(self, capability):
        return True

    def recognize(self, job):
        return Answer(data={"type": job.document_type})


_CONTROL = Control()
_CORE = ServiceCore(accounts=Accounts({APP_KEY: SECRET_DEV_KEY}), engines=[EchoEngine()],
                    control=_CONTROL)
LATIN1 = st.characters(max_codepoint=255)


def ask(task: str) -> tuple[int, str | None]:
    """(error code, document type the service routed to) for ``task``."""
    _CONTROL.reset()
    answer = _CORE.handle("POST", "/ocr", signed(task), PNG)
    assert answer.status == 200
    code = json.loads(answer.body)["error"]
    recorded = _CONTROL.requests
    return code, recorded[-1].document_type if recorded else None


# -- fidelity with public clients -----------------------------------------------------------

def test_vendor_java_sample_english_as_ocr_cloud_lang_english():
    assert ask("capkey=ocr.cloud,lang=english") == (0, "text.english")
    assert ask("capkey=ocr.cloud,lang=English") == (0, "text.english")
    assert ask("capkey=ocr.cloud,lang=chinese_cn") == (0, "text.chinese")
    assert ask("capkey=ocr.cloud.english,lang=english") == (0, "text.english")
    assert ask("capkey=ocr.cloud,lang=french")[0] == 261


def test_template_without_index_keys_means_index_zero():
    assert ask("capkey=ocr.cloud.template,property=idcard") == (0, "idcard.front")
    assert ask("capkey=ocr.cloud.template,property=idcard,templatePageIndex=1") == (
        0, "idcard.back")
    assert ask("capkey=ocr.cloud.template,property=idcard,templateIndex=0") == (
        0, "idcard.front")
    # present but blank is still a malformed call
    assert ask("capkey=ocr.cloud.template,property=idcard,templateIndex=")[0] == 229
    assert ask("capkey=ocr.cloud.template,property=idcard,templatePageIndex= ")[0] == 227


def test_leading_zeros_and_blanks_around_digits_are_the_same_number():
    assert ask("capkey=ocr.cloud.template,property=idcard,templatePageIndex=001") == (
        0, "idcard.back")


# -- digits ----------------------------------------------------------------------------------

def _is_index(text: str) -> bool:
    value = text.strip()
    return value.isascii() and value.isdigit() and len(value) <= 9


@settings(max_examples=300, deadline=None)
@given(page=st.text(LATIN1, max_size=30).filter(lambda t: "," not in t),
       index=st.text(LATIN1, max_size=30).filter(lambda t: "," not in t))
def test_any_latin1_index_gets_an_envelope_with_a_documented_code(page, index):
    task = (f"capkey=ocr.cloud.template,property=idcard,templatePageIndex={page},"
            f"templateIndex={index}")
    code, routed = ask(task)
    assert code in ERROR_CODES
    blank_page, blank_index = not page.strip(), not index.strip()
    if blank_page:
        assert code == 227
    elif not _is_index(page):
        assert code == 233
    elif blank_index:
        assert code == 229
    elif not _is_index(index):
        assert code == 234
    elif int(index) != 0:
        assert code == 234
    else:
        assert (code, routed) == ((0, "idcard.front") if int(page) == 0 else
                                  (0, "idcard.back") if int(page) == 1 else (233, None))


@settings(max_examples=100, deadline=None)
@given(digits=st.integers(min_value=10, max_value=6000))
def test_long_digit_runs_are_refused_by_length_not_converted(digits):
    code, _ = ask("capkey=ocr.cloud.template,property=idcard,templatePageIndex=0,"
                  f"templateIndex={'0' * digits}")
    assert code == 234


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(["x-app-key", "x-request-date", "x-session-key", "x-sdk-version",
                             "x-task-config", "content-length"]),
       value=st.text(LATIN1, max_size=60))
def test_any_latin1_header_value_gets_a_documented_code(name, value):
    headers = {**signed("capkey=ocr.cloud.template,property=idcard"), name: value}
    answer = _CORE.handle("POST", "/ocr", headers, PNG)
    envelope = json.loads(answer.body)
    assert answer.status == 200 and envelope["error"] in ERROR_CODES
    assert isinstance(envelope["text"], str) and envelope["text"]
