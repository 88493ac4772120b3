"""The README's main job: ``lingyun ocr`` with no endpoint runs the embedded local engine."""

from __future__ import annotations

import json

import pytest

from lingyun.cli import main
from lingyun.plugins import get_plugin_manager
from lingyun.service.accounts import Accounts
from lingyun.service.core import ServiceCore
from lingyun.service.engines.replay import ReplayEngine
from lingyun.service.server import LocalServer

from ..conftest import APP_KEY, SECRET_DEV_KEY
from .conftest import SAMPLE_INFO, SAMPLES, needs_rapidocr


@needs_rapidocr
def test_ocr_sample_prints_text_and_says_embedded(capsys) -> None:
    assert main(["ocr", str(SAMPLES / "chinese.png")]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == SAMPLE_INFO["chinese"]["text"]
    assert "embedded local engine" in captured.err and len(captured.err.splitlines()) == 1


@needs_rapidocr
def test_ocr_positions_lists_lines_and_boxes(capsys) -> None:
    assert main(["ocr", str(SAMPLES / "page.png"), "--positions"]) == 0
    out = capsys.readouterr().out
    lines = [x for x in out.splitlines() if x.startswith("line ")]
    chars = [x for x in out.splitlines() if x.startswith("  ")]
    assert len(lines) == len(SAMPLE_INFO["page"]["lines"])
    assert "灵云图像识别服务" in lines[0]
    assert len(chars) >= 20 and all(x.rstrip().endswith((")", "suspect")) for x in chars)


@needs_rapidocr
def test_ocr_positions_json_has_the_layout(capsys) -> None:
    assert main(["ocr", str(SAMPLES / "english.png"), "--positions", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["text"] == SAMPLE_INFO["english"]["text"]
    records = data["layout"]
    assert records[0]["type"] == "page" and records[0]["width"] == SAMPLE_INFO["english"]["size"][0]
    chars = [r for r in records if r["type"] == "char"]
    assert "".join(" " * r["space_before"] + r["text"] for r in chars) == data["text"]
    assert data["text_mismatch"] is False


#: Every built-in type but text and those with a local recognizer: none of them can be read
#: by the embedded engine.
TEMPLATE_TYPES = [d.name for d in get_plugin_manager().document_types()
                  if not d.name.startswith("text.") and d.local_recognizer is None]


@pytest.fixture
def no_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LINGYUN_ENDPOINT", "LINGYUN_APP_KEY", "LINGYUN_DEV_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("document_type", TEMPLATE_TYPES)
def test_embedded_cli_refuses_every_template_type_with_exit_2(capsys, no_endpoint,
                                                               document_type) -> None:
    assert main(["ocr", "--type", document_type, str(SAMPLES / "english.png")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing that could pass for a result
    assert f"{document_type} (" in captured.err
    assert "cannot be read by the local engine" in captured.err
    assert "LINGYUN_ENDPOINT" in captured.err and "Traceback" not in captured.err


def test_a_replayed_answer_is_marked_on_stderr(capsys, monkeypatch) -> None:
    core = ServiceCore(accounts=Accounts({APP_KEY: SECRET_DEV_KEY}), engines=[ReplayEngine()])
    with LocalServer(core) as server:
        monkeypatch.setenv("LINGYUN_ENDPOINT", server.url)
        monkeypatch.setenv("LINGYUN_APP_KEY", APP_KEY)
        monkeypatch.setenv("LINGYUN_DEV_KEY", SECRET_DEV_KEY)
        assert main(["ocr", "--type", "idcard.back", str(SAMPLES / "english.png")]) == 0
    captured = capsys.readouterr()
    assert "REPLAYED answer (replay:idcard.back.json)" in captured.err
    assert "not recognized from the image" in captured.err
