"""Each built-in type end to end: real HTTP on 127.0.0.1, the vendor's example as the answer."""

from __future__ import annotations

import json
import warnings

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from lingyun.client import Client
from lingyun.errors import OptionError
from lingyun.results import Result

from ..conftest import PNG_HEADER
from .conftest import example
from .test_registry import SPEC_TABLE
from .test_vendor_examples import ALL_EXAMPLES

PNG = PNG_HEADER  # the client checks the header structure before sending


@pytest.fixture
def client(httpserver: HTTPServer, dev_key: str) -> Client:
    with Client("ac5d5431", dev_key, httpserver.url_for("/ocr"), retries=0) as c:
        yield c


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_vendor_example_over_http(
    name: str, client: Client, httpserver: HTTPServer, parse
) -> None:
    envelope = example(name)
    seen: list[Request] = []

    def answer(request: Request) -> Response:
        seen.append(request)
        body = json.dumps(envelope, ensure_ascii=False).encode()
        return Response(body, content_type="application/json; charset=utf-8")

    httpserver.expect_oneshot_request("/ocr", method="POST").respond_with_handler(answer)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = client.recognize(PNG, name)
    deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert len(deprecations) == (1 if name == "pid" else 0)
    assert seen[0].get_data() == PNG
    assert seen[0].headers["x-task-config"] == SPEC_TABLE[name]
    assert result == parse(name, envelope)
    assert result.reply is not None and result.reply.status == 200
    assert Result.from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_bad_option_is_refused_before_anything_is_sent(
    client: Client, httpserver: HTTPServer
) -> None:
    for options in ({"outimagetype": "gif"}, {"exportImage": "perhaps"}, {"colour": "red"}):
        with pytest.raises(OptionError):
            client.recognize(PNG, "bizcard", options)
    with pytest.raises(OptionError):
        client.recognize(PNG, "text.english", withPosition="sometimes")
    assert httpserver.log == []

