"""The command line, run in-process against a real HTTP server."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from lingyun import hookimpl
from lingyun.cli import EXIT_INTERNAL, EXIT_NETWORK, EXIT_PARTIAL, EXIT_SERVICE, EXIT_USAGE, main
from lingyun.plugins import get_plugin_manager

from ..conftest import APP_KEY, IMAGE, SECRET_DEV_KEY
from .conftest import envelope


@pytest.fixture
def service_env(monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer) -> HTTPServer:
    monkeypatch.setenv("LINGYUN_APP_KEY", APP_KEY)
    monkeypatch.setenv("LINGYUN_DEV_KEY", SECRET_DEV_KEY)
    monkeypatch.setenv("LINGYUN_ENDPOINT", httpserver.url_for("/ocr"))
    return httpserver


def test_types_lists_every_builtin_with_task_config(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["types", "--format", "json"]) == 0
    entries = {e["name"]: e for e in json.loads(capsys.readouterr().out)}
    assert len([e for e in entries.values() if e["plugin"]["builtin"]]) >= 16
    assert entries["idcard.back"]["task_config"] == (
        "capkey=ocr.cloud.template,property=idcard,templateIndex=0,templatePageIndex=1")
    assert entries["text.english"]["task_config"] == "capkey=ocr.cloud.english,lang=english"
    for entry in entries.values():
        assert {"name", "task_config", "options", "plugin"} <= set(entry)


def test_types_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["types"]) == 0
    out = capsys.readouterr().out
    assert "idcard.front" in out and "身份证" in out and "pid (deprecated)" in out


def test_ocr_text_prints_the_text(
    service_env: HTTPServer, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    image = tmp_path / "page.png"
    image.write_bytes(IMAGE)
    service_env.expect_request(
        "/ocr", headers={"x-task-config": "capkey=ocr.cloud,lang=chinese_cn"}, data=IMAGE
    ).respond_with_data(envelope({"forms": {"form": "北京捷通华声"}}))
    assert main(["ocr", str(image)]) == 0
    assert capsys.readouterr().out.strip() == "北京捷通华声"


def test_ocr_json_prints_to_dict(
    service_env: HTTPServer, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    image = tmp_path / "page.png"
    image.write_bytes(IMAGE)
    service_env.expect_request("/ocr").respond_with_data(envelope({"forms": {"form": "文字"}}))
    assert main(["ocr", str(image), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["text"] == "文字"


@pytest.mark.parametrize(
    ("argv", "expect"),
    [
        (["ocr", "missing.png"], "missing.png"),
        (["ocr", "x.png", "--type", "nope"], "unknown document type 'nope'"),
        (["ocr", "x.png", "--type", "bizcard", "-o", "outimagetype=gif"], "does not allow"),
        (["ocr", "x.png", "-o", "novalue"], "NAME=VALUE"),
    ],
)
def test_usage_errors_are_one_line(
    service_env: HTTPServer, capsys: pytest.CaptureFixture[str], argv: list[str], expect: str,
    tmp_path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.png").write_bytes(IMAGE)
    assert main(argv) == EXIT_USAGE
    err = capsys.readouterr().err
    assert expect in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_service_error_exit_code(
    service_env: HTTPServer, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    (tmp_path / "a.png").write_bytes(IMAGE)
    service_env.expect_request("/ocr").respond_with_data(envelope(error=211, text="签名错误"))
    assert main(["ocr", str(tmp_path / "a.png")]) == EXIT_SERVICE
    assert "CredentialsError: error 211" in capsys.readouterr().err


def test_network_error_exit_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    (tmp_path / "a.png").write_bytes(IMAGE)
    monkeypatch.setenv("LINGYUN_ENDPOINT", "http://127.0.0.1:9/ocr")
    monkeypatch.setenv("LINGYUN_APP_KEY", APP_KEY)
    monkeypatch.setenv("LINGYUN_DEV_KEY", SECRET_DEV_KEY)
    assert main(["ocr", str(tmp_path / "a.png"), "--retries", "0"]) == EXIT_NETWORK
    assert "ConnectError: could not connect to http://127.0.0.1:9/ocr" in capsys.readouterr().err


def test_many_images_one_bad_the_rest_printed(
    service_env: HTTPServer, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    (tmp_path / "a.png").write_bytes(IMAGE)
    service_env.expect_request("/ocr").respond_with_data(envelope({"forms": {"form": "好"}}))
    code = main(["ocr", str(tmp_path / "a.png"), str(tmp_path / "gone.png"), "--format", "json"])
    captured = capsys.readouterr()
    assert code == EXIT_PARTIAL  # several inputs, some failed
    (line,) = captured.out.splitlines()
    assert json.loads(line)["source"].endswith("a.png")
    assert "gone.png" in captured.err


def test_debug_shows_traceback(service_env: HTTPServer, tmp_path) -> None:
    with pytest.raises(Exception, match="unknown document type"):
        main(["--debug", "ocr", str(tmp_path / "x.png"), "--type", "nope"])


def test_an_endpoint_without_credentials_names_what_to_set(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    (tmp_path / "a.png").write_bytes(IMAGE)
    monkeypatch.setenv("LINGYUN_ENDPOINT", "http://127.0.0.1:9/ocr")
    monkeypatch.delenv("LINGYUN_APP_KEY", raising=False)
    monkeypatch.delenv("LINGYUN_DEV_KEY", raising=False)
    assert main(["ocr", str(tmp_path / "a.png")]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "needs credentials: set LINGYUN_APP_KEY and LINGYUN_DEV_KEY" in err
    assert "--app-key" in err


def test_a_bug_in_a_plugin_is_one_line_without_debug(
        service_env: HTTPServer, capsys: pytest.CaptureFixture[str], tmp_path,
        echo_plugin) -> None:
    (tmp_path / "a.png").write_bytes(IMAGE)
    service_env.expect_request("/ocr").respond_with_data(envelope({"forms": 1}))

    class Broken:
        @hookimpl
        def lingyun_process_result(self, result):
            raise RuntimeError("plugin bug")

    pm = get_plugin_manager()
    pm.register(Broken(), name="broken")
    try:
        assert main(["ocr", "--type", "test.echo", str(tmp_path / "a.png")]) == EXIT_INTERNAL
    finally:
        pm.unregister(name="broken")
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "RuntimeError: plugin bug" in err


def test_error_text_is_escaped_once_on_stderr_and_in_jsonl(
    capsys: pytest.CaptureFixture[str], tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LINGYUN_ENDPOINT", "LINGYUN_APP_KEY", "LINGYUN_DEV_KEY"):
        monkeypatch.delenv(name, raising=False)
    text = tmp_path / "note.png"
    text.write_bytes(b"hello, I am text\n")
    assert main(["ocr", str(text)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "'hello, I am text\\n'" in err and "\\\\n" not in err
    out = tmp_path / "run.jsonl"
    assert main(["ocr", str(text), "--out", str(out), "--progress", "never"]) == EXIT_USAGE
    line = out.read_text(encoding="utf-8")
    assert r"text\\n'" in line and r"text\\\\n" not in line  # JSON escapes repr's one \
    assert "'hello, I am text\\n'" in json.loads(line)["error"]["message"]


def test_decode_on_an_image_is_a_usage_error_naming_what_it_is(
    capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    image = tmp_path / "page.png"
    image.write_bytes(IMAGE)
    assert main(["decode", str(image)]) == EXIT_USAGE
    err = capsys.readouterr().err.strip()
    assert err.endswith("is not an IREAD_NODE position stream: it is a PNG image"), err
    garbage = tmp_path / "odd.bin"
    garbage.write_bytes(b"\x07" * 53)
    assert main(["decode", str(garbage)]) == EXIT_USAGE
    assert "not an IREAD_NODE position stream" in capsys.readouterr().err


def test_types_fits_a_100_column_terminal_and_wide_shows_everything(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from lingyun.cli.table import display_width

    monkeypatch.setenv("COLUMNS", "100")
    assert main(["types"]) == 0
    out = capsys.readouterr().out
    assert max(display_width(line) for line in out.splitlines()) <= 100
    names = {line.split()[0] for line in out.splitlines() if line and not line[0].isspace()}
    assert {"idcard.front", "bizcard", "text.english", "hm2"} <= names
    assert "--wide" in out.splitlines()[-1]
    assert main(["types", "--wide"]) == 0
    wide = capsys.readouterr().out
    assert "capkey=ocr.cloud.template,property=idcard,templateIndex=0,templatePageIndex=1" in wide
    assert len(wide.splitlines()) == len(json.loads(_types_json(capsys))) + 1


def _types_json(capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["types", "--format", "json"]) == 0
    return capsys.readouterr().out


@given(st.text(st.sampled_from("ab,| /中文x-"), max_size=60), st.integers(1, 30))
def test_wrapped_cells_fit_their_column_and_keep_every_character(text: str, width: int) -> None:
    from lingyun.cli.table import display_width, wrap_cell

    lines = wrap_cell(text, width)
    assert all(display_width(line) <= max(width, 2) for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def _records_with_positions(tmp_path) -> tuple[str, int]:
    """A run's records: two pages with positions, one failed, one without positions."""
    import base64

    from ..geometry.conftest import page_records, stream, text_line

    page = page_records(400, 100, [[text_line("export me", 10, 40)]])
    positions = base64.b64encode(stream(page)).decode()
    records = [
        {"source": "a.png", "page": None, "ok": True, "result": {"positions": positions}},
        {"source": "b.pdf", "page": 2, "ok": False, "error": {"type": "TransientError"}},
        {"source": "b.pdf", "page": 3, "ok": True, "result": {"positions": positions}},
        {"source": "c.png", "page": None, "ok": True, "result": {"text": "no boxes"}},
    ]
    path = tmp_path / "run.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path), len("exportme")


@pytest.mark.integration
def test_export_writes_every_format_from_records_and_says_what_it_left_out(
    capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    pytest.importorskip("pandas", reason="pandas: pip install 'lingyun[integrations]'")
    pytest.importorskip("pyarrow", reason="pyarrow: pip install 'lingyun[integrations]'")
    records, glyphs = _records_with_positions(tmp_path)
    assert main(["export", records, "--format", "hocr"]) == 0
    captured = capsys.readouterr()
    assert captured.out.count('class="ocr_page"') == 2
    assert captured.out.count('class="ocrx_cinfo"') == 2 * glyphs
    assert "left out 2 record(s): b.pdf#2 (failed), c.png (no positions)" in captured.err
    out = tmp_path / "glyphs.csv"
    assert main(["export", records, "--format", "csv", "--out", str(out)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1 + 2 * glyphs
    assert main(["export", records, "--format", "page", "--out", str(tmp_path / "p.xml")]) == 0
    assert sorted(p.name for p in tmp_path.glob("p-*.xml")) == ["p-0001.xml", "p-0002.xml"]
    assert main(["export", records, "--format", "alto"]) == 0
    assert capsys.readouterr().out.count("<Page ") == 2


def test_export_usage_errors(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    records, _ = _records_with_positions(tmp_path)
    assert main(["export", records, "--format", "parquet"]) == EXIT_USAGE
    assert "add --out FILE.parquet" in capsys.readouterr().err
    assert main(["export", str(tmp_path / "none.jsonl"), "--format", "csv"]) == EXIT_USAGE
    assert "no such records file" in capsys.readouterr().err
    bare = tmp_path / "bare.jsonl"
    bare.write_text('{"source": "x.png", "ok": true, "result": {"text": "t"}}\n',
                    encoding="utf-8")
    assert main(["export", str(bare), "--format", "csv"]) == EXIT_USAGE
    assert "no record has positions" in capsys.readouterr().err


def test_page_prints_rows_lines_and_characters_with_boxes(
    capsys: pytest.CaptureFixture[str]
) -> None:
    from pathlib import Path

    from lingyun.service.engines.rapidocr import rapidocr_available

    if not rapidocr_available():
        pytest.skip("needs the local extra (rapidocr)")
    image = Path(__file__).parents[1] / "recognizers" / "images" / "idcard-front-00.png"
    assert main(["page", "--format", "json", str(image)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["width"], data["height"]) == (688, 452)
    first_row = [line["text"] for line in data["rows"][0]]
    assert first_row == ["姓名", "罗示例"]  # label and value: one row, left to right
    for row in data["rows"]:
        for line in row:
            left, _, right, _ = line["box"]
            for char in line["chars"]:
                c_left, _, c_right, _ = char["box"]
                assert left <= c_left <= c_right <= right and 0 <= char["confidence"] <= 1
    assert main(["page", str(image)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("page 688x452") and out[1] == "row 0"
    assert any(line.startswith("  line [") and line.endswith("罗示例") for line in out)
    assert any(line.strip().startswith("罗  [") for line in out)
