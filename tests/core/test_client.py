"""What the client sends, how it retries, and how it is configured."""

from __future__ import annotations

import hashlib

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from lingyun import (
    Client,
    ConfigurationError,
    CredentialsError,
    DocumentTypeError,
    ImageError,
    OptionError,
    TransientError,
    TransportError,
)

from ..conftest import APP_KEY, IMAGE, SECRET_DEV_KEY
from .conftest import envelope

DATE = "2017-01-19 23:19:41.990000"


def test_headers_are_exactly_the_protocol(client: Client, httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/ocr",
        method="POST",
        headers={
            "x-app-key": APP_KEY,
            "x-sdk-version": "5.2",
            "x-request-date": DATE,
            "x-session-key": hashlib.md5((DATE + SECRET_DEV_KEY).encode()).hexdigest(),
            "x-task-config": "capkey=ocr.cloud.template,property=echo,withPosition=1",
        },
        data=IMAGE,
    ).respond_with_data(envelope({}))
    client.recognize(IMAGE, "test.echo", withPosition=True)
    httpserver.check_assertions()


def test_extra_headers_are_sent(httpserver: HTTPServer, echo_plugin: object) -> None:
    httpserver.expect_request("/ocr", headers={"x-udid": "101:1234567890"}).respond_with_data(
        envelope({})
    )
    client = Client(APP_KEY, SECRET_DEV_KEY, httpserver.url_for("/ocr"),
                    headers={"x-udid": "101:1234567890"})
    client.recognize(IMAGE, "test.echo")
    httpserver.check_assertions()


@pytest.mark.parametrize("name", ["x-session-key", "X-App-Key"])
def test_signature_headers_cannot_be_overridden(name: str) -> None:
    with pytest.raises(ConfigurationError, match="computed by the client"):
        Client(APP_KEY, SECRET_DEV_KEY, "http://h/ocr", headers={name: "forged"})


def test_options_are_validated_before_sending(client: Client, httpserver: HTTPServer) -> None:
    with pytest.raises(OptionError, match="'outimagetype' does not allow 'gif'"):
        client.recognize(IMAGE, "test.echo", outimagetype="gif")
    with pytest.raises(OptionError, match="unknown option 'colour'"):
        client.recognize(IMAGE, "test.echo", colour="red")
    with pytest.raises(OptionError, match="takes an integer"):
        client.recognize(IMAGE, "test.echo", count="many")
    assert httpserver.log == []


def test_unknown_document_type_suggests(client: Client) -> None:
    with pytest.raises(DocumentTypeError, match="did you mean test.echo"):
        client.recognize(IMAGE, "test.ecko")


def test_unreadable_image_source(client: Client) -> None:
    with pytest.raises(ImageError, match="cannot read an image from a int"):
        client.recognize(12345, "test.echo")


def test_transient_errors_are_retried_with_backoff(
    client: Client, httpserver: HTTPServer, sleeps: list[float]
) -> None:
    httpserver.expect_ordered_request("/ocr").respond_with_data(envelope(error=250, text="网络"))
    httpserver.expect_ordered_request("/ocr").respond_with_data(envelope(error=-1, text="异常"))
    httpserver.expect_ordered_request("/ocr").respond_with_data(envelope({"forms": 1}))
    assert client.recognize(IMAGE, "test.echo").data == {"forms": 1}
    assert len(sleeps) == 2 and sleeps[1] > sleeps[0] * 0.9


def test_retries_give_up(client: Client, httpserver: HTTPServer, sleeps: list[float]) -> None:
    httpserver.expect_request("/ocr").respond_with_data(envelope(error=250))
    with pytest.raises(TransientError):
        client.recognize(IMAGE, "test.echo")
    assert len(httpserver.log) == client.retry.retries + 1 == 3


def test_credential_errors_are_not_retried(
    client: Client, httpserver: HTTPServer, sleeps: list[float]
) -> None:
    httpserver.expect_request("/ocr").respond_with_data(envelope(error=211, text="签名错误"))
    with pytest.raises(CredentialsError):
        client.recognize(IMAGE, "test.echo")
    assert len(httpserver.log) == 1 and sleeps == []


def test_each_retry_is_signed_afresh(httpserver: HTTPServer, echo_plugin: object) -> None:
    dates = iter(["2020-01-01 00:00:00", "2020-01-01 00:00:01"])
    seen: list[str] = []

    def handler(request: Request) -> Response:
        seen.append(request.headers["x-request-date"])
        return Response(envelope(error=250) if len(seen) == 1 else envelope({}))

    httpserver.expect_request("/ocr").respond_with_handler(handler)
    import datetime as dt

    client = Client(APP_KEY, SECRET_DEV_KEY, httpserver.url_for("/ocr"),
                    clock=lambda: dt.datetime.fromisoformat(next(dates)), sleep=lambda s: None)
    client.recognize(IMAGE, "test.echo")
    assert seen == ["2020-01-01 00:00:00", "2020-01-01 00:00:01"]


def test_connection_errors_are_retried(echo_plugin: object) -> None:
    sleeps: list[float] = []
    client = Client(APP_KEY, SECRET_DEV_KEY, "http://127.0.0.1:9/ocr", sleep=sleeps.append,
                    retries=1)
    with pytest.raises(TransportError):
        client.recognize(IMAGE, "test.echo")
    assert len(sleeps) == 1


def test_from_env_reads_the_documented_variables() -> None:
    client = Client.from_env({
        "LINGYUN_APP_KEY": "app",
        "LINGYUN_DEV_KEY": "dev",
        "LINGYUN_ENDPOINT": "http://api.example:8880/ocr/auto_recognise",
        "LINGYUN_SDK_VERSION": "8.1",
    })
    assert (client.app_key, client.endpoint, client.sdk_version) == (
        "app", "http://api.example:8880/ocr/auto_recognise", "8.1")
    assert not client.embedded


def test_from_env_names_what_is_missing() -> None:
    with pytest.raises(ConfigurationError, match="LINGYUN_DEV_KEY"):
        Client.from_env({"LINGYUN_APP_KEY": "a", "LINGYUN_ENDPOINT": "http://h/ocr"})


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("", "d", "http://h/ocr"), "app key is empty: pass app_key= or set LINGYUN_APP_KEY"),
        (("a", "", "http://h/ocr"), "developer key is empty: pass dev_key= or set LINGYUN_DEV_KEY"),
        (("a", "d", "h:8880/ocr"), "full http\\(s\\) URL"),
        (("应用", "d", "http://h/ocr"), "ASCII"),
    ],
)
def test_bad_configuration(args: tuple[str, str, str], match: str) -> None:
    with pytest.raises(ConfigurationError, match=match):
        Client(*args)
