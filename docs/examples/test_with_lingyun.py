"""Example: testing your own code against lingyun with the pytest plugin's fixtures.

Run with ``pytest docs/examples/test_with_lingyun.py`` once lingyun is installed (the
plugin is registered through its ``pytest11`` entry point; without installing, add
``-p lingyun.pytest_plugin``).  The async test runs on anyio's pytest plugin (installed
with httpx); ``anyio_backend`` below keeps it on asyncio.
"""

from __future__ import annotations

from importlib.resources import files

import pytest

from lingyun.errors import AccountError, DeadlineExceeded

# A real image: the client checks an image's header before sending it
PNG = (files("lingyun.samples") / "english.png").read_bytes()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_reads_a_scripted_card(lingyun_service, lingyun_client):
    lingyun_service.queue_reply("bankcard", data={"forms": {"form": {
        "CardNumber": "6222020200000000000", "CardNumberPos": {"Number": []},
        "BankName": "工商银行", "BankID": "01020000", "CardName": "牡丹灵通卡",
        "CardType": "借记卡", "UserName": "", "ValidDate": ""}}})
    client_result = lingyun_client.recognize(PNG, "bankcard")
    assert "6222020200000000000" in repr(client_result.to_dict())
    (received,) = lingyun_service.requests
    assert received.task_config["capkey"] == "ocr.cloud.bankcard"
    assert received.body == PNG


def test_transient_errors_are_retried(lingyun_service, lingyun_client):
    lingyun_service.fail_next(250, times=2)  # the client retries twice by default
    assert lingyun_client.recognize(PNG, "idcard.front") is not None
    assert [r.error for r in lingyun_service.requests] == [250, 250, 0]


def test_an_empty_account_stops(lingyun_service, lingyun_client):
    lingyun_service.fail_next(240)
    with pytest.raises(AccountError):
        lingyun_client.recognize(PNG, "vat")


def test_a_slow_service_times_out(lingyun_service):
    from lingyun.client import Client

    lingyun_service.latency = 0.5
    client = Client(lingyun_service.app_key, lingyun_service.dev_key, lingyun_service.url,
                    timeout=0.1)
    with pytest.raises(DeadlineExceeded):
        client.recognize(PNG, "vat")
    # A call that timed out may have been processed (and billed): it is not sent again.
    assert len(lingyun_service.requests) <= 1


def test_every_canned_answer_says_so(lingyun_service, lingyun_client):
    result = lingyun_client.recognize(PNG, "idcard.back")
    assert result.replayed  # the fixtures replay recorded answers, and mark them


@pytest.mark.anyio
async def test_the_async_client_against_the_service(lingyun_service, lingyun_async_client):
    lingyun_service.fail_next(250)
    async with lingyun_async_client as client:
        result = await client.recognize(PNG, "bankcard")
    assert result.replayed and [r.error for r in lingyun_service.requests] == [250, 0]
