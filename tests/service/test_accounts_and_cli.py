"""Accounts from files, environment and options; ``lingyun serve`` end to end."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from lingyun.errors import ConfigurationError
from lingyun.service.accounts import (
    ACCOUNTS_ENV,
    DEFAULT_APP_KEY,
    DEFAULT_DEV_KEY,
    Accounts,
    parse_account,
)

from ..conftest import SECRET_DEV_KEY
from .conftest import IDCARD_BACK, post, signed

ROOT = Path(__file__).resolve().parents[2]


def test_sources_add_up_and_later_ones_win(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps({"app1": "dev1", "app2": "dev2"}))
    (tmp_path / "b.toml").write_text('[accounts]\napp2 = "dev2b"\napp3 = "dev3"\n')
    accounts = Accounts.configured(file=str(tmp_path / "a.json"), accounts=["app4:dev4"],
                                   environ={ACCOUNTS_ENV: "app1:dev1b"})
    accounts.load_file(tmp_path / "b.toml")
    assert DEFAULT_APP_KEY not in accounts  # configured accounts shut the public one out
    assert [accounts.dev_key(k) for k in ("app1", "app2", "app3", "app4")] == [
        "dev1b", "dev2b", "dev3", "dev4"]
    assert "dev" not in repr(accounts).replace("app_keys", "")


@pytest.mark.parametrize(("content", "suffix", "match"), [
    ("{not json", ".json", "not valid"),
    ('["a"]', ".json", "table of app key"),
    ('{"bad key": "x"}', ".json", "app key"),
    ('{"app": ""}', ".json", "non-empty"),
    ("a = [", ".toml", "not valid"),
])
def test_bad_accounts_files_are_named(tmp_path, content, suffix, match):
    path = tmp_path / f"accounts{suffix}"
    path.write_text(content)
    with pytest.raises(ConfigurationError, match=match) as info:
        Accounts().load_file(path)
    assert str(path) in str(info.value)


def test_development_account_only_when_nothing_is_configured(tmp_path):
    assert Accounts.configured(environ={}).app_keys() == [DEFAULT_APP_KEY]
    assert Accounts.configured(environ={}).dev_key(DEFAULT_APP_KEY) == DEFAULT_DEV_KEY
    assert Accounts.configured(accounts=["app:dev"], environ={}).app_keys() == ["app"]
    assert Accounts.configured(environ={ACCOUNTS_ENV: "env:dev"}).app_keys() == ["env"]
    (tmp_path / "a.json").write_text(json.dumps({"file": "dev"}))
    assert Accounts.configured(file=str(tmp_path / "a.json"), environ={}).app_keys() == [
        "file"]


def test_missing_file_and_bad_option():
    with pytest.raises(ConfigurationError, match="cannot read"):
        Accounts().load_file("/nonexistent/accounts.json")
    with pytest.raises(ConfigurationError, match="APP_KEY:DEV_KEY"):
        parse_account("no-colon-here")


def test_serve_command_answers_and_never_prints_the_dev_key():
    env = dict(os.environ)  # the installed package, as a user runs it
    proc = subprocess.Popen(
        [sys.executable, "-m", "lingyun", "serve", "--port", "0", "--engine", "replay",
         "--account", f"ac5d5431:{SECRET_DEV_KEY}"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = "".join(proc.stdout.readline() for _ in range(3))  # address, engines, keys
        url = first.split()[4]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/ocr")
        assert post(url, signed(IDCARD_BACK)).error == 0
        assert post(url, signed(IDCARD_BACK, app_key="nobody")).error == 192
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0
    printed = first + out + err
    assert "ac5d5431" in printed, printed
    assert "lingyun-local" not in printed, printed  # an account is configured
    assert SECRET_DEV_KEY not in printed and DEFAULT_DEV_KEY not in printed
    assert "POST /ocr" in err and "error=192" in err  # the access log, without secrets


def test_serve_on_a_busy_port_is_a_one_line_error():
    import socket

    env = dict(os.environ)  # the installed package, as a user runs it
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "lingyun", "serve", "--port", str(port),
                              "--engine", "replay"], env=env, capture_output=True, text=True,
                             timeout=60)
    assert run.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in run.stderr
    assert "Traceback" not in run.stderr
