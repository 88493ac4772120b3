"""The plugin host: one test per hook, discovery through real entry points, safety nets."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

import lingyun.plugins as plugins_module
from lingyun import Client, DocumentType, UsageError, hookimpl, hookspecs
from lingyun.documents.template import template_document
from lingyun.plugins import LingyunPluginManager, get_plugin_manager

from ..conftest import IMAGE, PNG_HEADER
from .conftest import envelope

ROOT = Path(__file__).resolve().parents[2]
HOOK_NAMES = sorted(n for n in dir(hookspecs) if n.startswith("lingyun_"))


@pytest.fixture
def register_plugin() -> Iterator:
    pm = get_plugin_manager()
    added: list[object] = []

    def register(plugin: object, name: str | None = None) -> object:
        pm.register(plugin, name=name)
        added.append(plugin)
        return plugin

    try:
        yield register
    finally:
        for plugin in added:
            pm.unregister(plugin)


def test_hook_lingyun_register_document_types() -> None:
    class Plugin:
        @hookimpl
        def lingyun_register_document_types(self, register):
            register(DocumentType("acme.ticket", "Ticket", "车票", {"capkey": "x"}, parse=dict))

    pm = get_plugin_manager()
    pm.register(Plugin(), name="acme-ticket")
    try:
        assert pm.document_type("acme.ticket").title_zh == "车票"
        assert pm.plugin_for("acme.ticket").name == "acme-ticket"
    finally:
        pm.unregister(name="acme-ticket")
    with pytest.raises(UsageError):
        pm.document_type("acme.ticket")


def test_hook_lingyun_prepare_request(
    register_plugin, client: Client, httpserver: HTTPServer
) -> None:
    class Plugin:
        @hookimpl
        def lingyun_prepare_request(self, request):
            request.headers["x-udid"] = "101:42"
            request.task_config["templatePageindex"] = "0"

    register_plugin(Plugin())
    httpserver.expect_request(
        "/ocr",
        headers={
            "x-udid": "101:42",
            "x-task-config": "capkey=ocr.cloud.template,property=echo,templatePageindex=0",
        },
    ).respond_with_data(envelope({}))
    client.recognize(IMAGE, "test.echo")
    httpserver.check_assertions()


def test_hook_lingyun_process_result(
    register_plugin, client: Client, httpserver: HTTPServer
) -> None:
    seen = []

    class Plugin:
        @hookimpl
        def lingyun_process_result(self, result, document_type):
            result.processed = True
            seen.append(document_type.name)

    register_plugin(Plugin())
    httpserver.expect_request("/ocr").respond_with_data(envelope({}))
    assert client.recognize(IMAGE, "test.echo").processed is True
    assert seen == ["test.echo"]


def test_hook_lingyun_read_image(register_plugin, client: Client, httpserver: HTTPServer) -> None:
    class Page:
        png = IMAGE + b"-from-plugin"

    class Plugin:
        @hookimpl
        def lingyun_read_image(self, source):
            return source.png if isinstance(source, Page) else None

    register_plugin(Plugin())
    httpserver.expect_request("/ocr", data=IMAGE + b"-from-plugin").respond_with_data(envelope({}))
    client.recognize(Page(), "test.echo")
    httpserver.check_assertions()


def test_every_hook_has_a_test() -> None:
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("*.py"))
    tested = set(re.findall(r"^def test_hook_(lingyun_\w+)\(", sources, re.M))
    assert tested >= set(HOOK_NAMES), set(HOOK_NAMES) - tested


def test_every_hook_is_documented() -> None:
    doc = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    for name in HOOK_NAMES:
        assert re.search(rf"^#+ `{name}\(", doc, re.M), f"{name} has no section in docs/plugins.md"


def test_misspelled_hook_fails_loudly() -> None:
    class Plugin:
        @hookimpl
        def lingyun_register_document_typez(self, register):
            pass

    pm = LingyunPluginManager()
    with pytest.raises(UsageError, match="unknown hook 'lingyun_register_document_typez'"):
        pm.register(Plugin(), name="typo")
    assert pm.get_plugin("typo") is None


def test_a_misspelled_hook_fails_that_plugin_alone_and_the_manager_stays_usable(
        register_plugin) -> None:
    class Typo:
        @hookimpl
        def lingyun_register_document_typez(self, register):
            pass

    pm = get_plugin_manager()
    before = {d.name for d in pm.document_types()}
    with pytest.raises(UsageError, match="plugin 'typo' was not registered"):
        pm.register(Typo(), name="typo")
    assert pm.get_plugin("typo") is None

    class Good:
        @hookimpl
        def lingyun_register_document_types(self, register):
            register(template_document("test.after-typo", "after", "After", "之后", keys={}))

    register_plugin(Good(), name="good-after-typo")
    assert {d.name for d in pm.document_types()} == before | {"test.after-typo"}


def test_duplicate_names_name_both_plugins(register_plugin) -> None:
    def plugin_registering(name: str):
        class Plugin:
            @hookimpl
            def lingyun_register_document_types(self, register):
                register(DocumentType(name, "T", "T", {"capkey": "x"}, parse=dict))
        return Plugin()

    register_plugin(plugin_registering("dup.type"), name="first")
    register_plugin(plugin_registering("dup.type"), name="second")
    with pytest.raises(UsageError, match="registered twice.*'first'.*'second'|'second'.*'first'"):
        get_plugin_manager().document_types()


# --- third-party discovery through the `lingyun` entry-point group --------------------------

EXAMPLE_PLUGIN = ROOT / "examples" / "lingyun-acme" / "src" / "lingyun_acme"


@pytest.fixture
def installed_distribution(tmp_path: Path) -> Path:
    """The example plugin as a real distribution on a path entry (dist-info + entry point)."""
    shutil.copytree(EXAMPLE_PLUGIN, tmp_path / "lingyun_acme")
    info = tmp_path / "lingyun_acme-1.0.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: lingyun-acme\nVersion: 1.0.0\n")
    (info / "entry_points.txt").write_text("[lingyun]\nacme = lingyun_acme\n")
    return tmp_path


@pytest.fixture
def fresh_manager(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(plugins_module, "_pm", None)
    yield
    sys.modules.pop("lingyun_acme", None)


def test_entry_point_discovery(
    installed_distribution: Path, fresh_manager: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(installed_distribution))
    pm = get_plugin_manager()
    assert pm.document_type("acme.receipt").title_zh == "收据"
    info = pm.plugin_for("acme.receipt")
    assert (info.name, info.distribution, info.version, info.builtin) == (
        "acme", "lingyun-acme", "1.0.0", False)


def test_autoload_can_be_disabled(
    installed_distribution: Path, fresh_manager: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(installed_distribution))
    monkeypatch.setenv("LINGYUN_DISABLE_PLUGIN_AUTOLOAD", "1")
    with pytest.raises(UsageError, match="acme.receipt"):
        get_plugin_manager().document_type("acme.receipt")


def test_autoload_can_be_restricted(
    installed_distribution: Path, fresh_manager: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(installed_distribution))
    monkeypatch.setenv("LINGYUN_PLUGINS", "someone-else")
    assert "acme.receipt" not in {d.name for d in get_plugin_manager().document_types()}


def test_builtins_can_be_blocked(fresh_manager: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINGYUN_BLOCK_PLUGINS", "lingyun.documents.pid")
    names = {d.name for d in get_plugin_manager().document_types()}
    assert "pid" not in names and "idcard.front" in names


def test_entry_point_plugin_appears_in_lingyun_types(installed_distribution: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(installed_distribution), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run(
        [sys.executable, "-m", "lingyun.cli", "types", "--format", "json"],
        capture_output=True, text=True, env=env, check=True,
    ).stdout
    entry = {e["name"]: e for e in json.loads(out)}["acme.receipt"]
    assert entry["plugin"]["distribution"] == "lingyun-acme"
    assert entry["task_config"] == (
        "capkey=ocr.cloud.template,property=receipt,templateIndex=0,templatePageIndex=0")


def test_entry_point_plugin_parses_its_documents(
    installed_distribution: Path, fresh_manager: None, monkeypatch: pytest.MonkeyPatch,
    httpserver: HTTPServer,
) -> None:
    monkeypatch.syspath_prepend(str(installed_distribution))
    receipt = {"error": 0, "text": "请求成功", "data": {"forms": {"form": {
        "id": "0", "name": "收据", "ver": "1", "page": {"id": "0", "name": "收据", "cell": [
            {"id": "0", "name": "金额", "result": {"result": "￥12.50", "confidence": "97"}},
        ]}}}}}
    httpserver.expect_request(
        "/ocr", headers={"x-task-config": "capkey=ocr.cloud.template,property=receipt,"
                                          "templateIndex=0,templatePageIndex=0"},
    ).respond_with_json(receipt)
    client = Client("app", "dev", httpserver.url_for("/ocr"))
    result = client.recognize(IMAGE, "acme.receipt")
    assert result["amount"].value == "￥12.50"
    assert result["amount"].confidence.value == pytest.approx(0.97)


def test_hook_lingyun_register_engines(register_plugin) -> None:
    from lingyun.service.core import ServiceCore
    from lingyun.service.engines import Answer, engine_factories, make_engines

    class UpperEngine:
        name = "upper"

        def serves(self, capability):
            return capability.document_type == "text.english"

        def recognize(self, job):
            return Answer(data={"forms": {"form": job.image[len(PNG_HEADER):].decode().upper()}})

    class Plugin:
        @hookimpl
        def lingyun_register_engines(self, register):
            register("upper", UpperEngine)

    register_plugin(Plugin(), name="upper-engine")
    assert "upper" in engine_factories()
    client = Client.local(core=ServiceCore(engines=make_engines(["upper"])))
    # the client checks the image header first
    result = client.recognize(PNG_HEADER + b"hello engines", "text.english")
    assert result.text == "HELLO ENGINES"
