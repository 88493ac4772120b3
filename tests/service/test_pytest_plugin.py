"""The pytest plugin: its fixtures work in this suite and in a user's test run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import requests

from .conftest import PNG, signed

ROOT = Path(__file__).resolve().parents[2]


def test_service_fixture_serves_real_http(lingyun_service):
    health = requests.get(lingyun_service.base_url + "/health", timeout=10).json()
    assert health["status"] == "ok" and "replay" in health["engines"]
    assert lingyun_service.dev_key not in repr(lingyun_service)


def test_script_is_reset_between_tests_first(lingyun_service):
    lingyun_service.fail_next(250, times=5)
    lingyun_service.latency = 0.0
    assert lingyun_service.requests == []


def test_script_is_reset_between_tests_second(lingyun_service, lingyun_client):
    assert lingyun_client.recognize(PNG, "idcard.back") is not None  # no 250 left over
    assert [r.document_type for r in lingyun_service.requests] == ["idcard.back"]


def test_queued_envelope_is_sent_verbatim(lingyun_service):
    envelope = {"text": "请求成功", "data": {"forms": {"form": "scripted"}}, "error": 0}
    lingyun_service.queue_reply("text.chinese", envelope=envelope)
    headers = signed("capkey=ocr.cloud,lang=chinese_cn", app_key=lingyun_service.app_key,
                     dev_key=lingyun_service.dev_key)
    answer = requests.post(lingyun_service.url, data=PNG, headers=headers, timeout=30)
    assert answer.json() == envelope


def test_users_example_file_runs_with_the_plugin():
    # Autoload off: whether or not lingyun is installed (entry point ``pytest11``), the
    # plugin is loaded exactly once, by -p, as in a checkout.
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}  # the installed package
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "lingyun.pytest_plugin", "-p", "anyio",
         "-p", "no:cacheprovider", str(ROOT / "docs" / "examples" / "test_with_lingyun.py")],
        cwd=ROOT / "docs" / "examples", env=env, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "6 passed" in run.stdout
