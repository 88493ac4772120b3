"""The developer key appears in no repr, log record, exception message or CLI output."""

from __future__ import annotations

import logging
import pickle

import pytest
from pytest_httpserver import HTTPServer

from lingyun import Client, LingyunError
from lingyun.cli import main
from lingyun.client import Secret

from ..conftest import APP_KEY, IMAGE, SECRET_DEV_KEY
from .conftest import envelope


def test_dev_key_never_shown(
    client: Client,
    httpserver: HTTPServer,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path,
) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[str] = [repr(client), str(client), repr(client.__dict__), repr(vars(client))]

    # Every failure path of a call: service errors (retried and not), protocol, transport.
    for body in (envelope(error=211, text="x"), envelope(error=250), "<html>", ""):
        httpserver.clear()
        httpserver.expect_request("/ocr").respond_with_data(body)
        with pytest.raises(LingyunError) as info:
            client.recognize(IMAGE, "test.echo")
        seen += [str(info.value), repr(info.value), repr(info.value.args)]
    request = client.prepare(IMAGE, "test.echo")
    seen += [repr(request), repr(client.signed_headers(request))]

    # The CLI, successful and failing, with the key given on the command line.
    image = tmp_path / "a.png"
    image.write_bytes(IMAGE)
    monkeypatch.setenv("LINGYUN_ENDPOINT", httpserver.url_for("/ocr"))
    monkeypatch.setenv("LINGYUN_APP_KEY", APP_KEY)
    for body in (envelope({"forms": {"form": "好"}}), envelope(error=212), "garbage"):
        httpserver.clear()
        httpserver.expect_request("/ocr").respond_with_data(body)
        main(["ocr", str(image), "--dev-key", SECRET_DEV_KEY, "--retries", "0"])
        main(["ocr", str(image), "--dev-key", SECRET_DEV_KEY, "--format", "json"])
    captured = capsys.readouterr()
    seen += [captured.out, captured.err]
    seen += [r.getMessage() for r in caplog.records] + [caplog.text]

    leaks = [text for text in seen if SECRET_DEV_KEY in text]
    assert leaks == []
    # And the signature really was made with the key (so the scan above is meaningful).
    assert client.signed_headers(request)["x-session-key"]


def test_secret_refuses_pickling() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(Secret(SECRET_DEV_KEY))
    assert SECRET_DEV_KEY not in repr(Secret(SECRET_DEV_KEY))
