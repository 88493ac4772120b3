"""The client's layer loads nothing above it: the in-process transport lives with the other
transports and reaches the service only when it first needs its core, and a batch runs
without the bulk package."""

from __future__ import annotations

import subprocess
import sys


def _loaded(code: str, modules: tuple[str, ...]) -> list[str]:
    probe = code + (f"\nimport sys\nprint(','.join(m for m in {modules!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.strip()
    return [name for name in out.split(",") if name]


def test_the_local_transport_imports_the_service_only_when_used() -> None:
    code = ("from lingyun.transports.local import LocalTransport\n"
            "transport = LocalTransport(engines=['replay'])\n")
    assert _loaded(code, ("lingyun.service", "lingyun.service.core")) == []
    used = code + "transport.check(__import__('lingyun').Client.local().plugins" \
                  ".document_type('text.chinese'))\n"
    assert _loaded(used, ("lingyun.service.core",)) == ["lingyun.service.core"]


def test_the_old_import_path_still_works() -> None:
    from lingyun.service.transport import DEFAULT_APP_KEY, LocalTransport
    from lingyun.transports import local

    assert LocalTransport is local.LocalTransport
    assert local.development_keys()[0] == DEFAULT_APP_KEY


def test_client_batch_runs_without_the_bulk_package() -> None:
    from ..conftest import IMAGE

    code = ("import lingyun\n"
            "client = lingyun.Client.local(engines=['replay'])\n"
            f"items = list(client.batch([{IMAGE!r}] * 3, 'bankcard', workers=2))\n"
            "assert len(items) == 3 and all(item.ok for item in items), items\n")
    assert _loaded(code, ("lingyun.bulk", "lingyun.bulk.runner")) == []


def test_asking_a_batch_for_a_sink_loads_the_bulk_runner(tmp_path) -> None:
    from ..conftest import IMAGE

    out = tmp_path / "out.jsonl"
    code = ("import lingyun\n"
            "client = lingyun.Client.local(engines=['replay'])\n"
            f"items = list(client.batch([{IMAGE!r}] * 2, 'bankcard', workers=2, "
            f"sink={str(out)!r}))\n"
            "assert len(items) == 2 and all(item.record for item in items), items\n")
    assert _loaded(code, ("lingyun.bulk.runner",)) == ["lingyun.bulk.runner"]
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_a_core_batch_refuses_a_bad_type_or_worker_count_before_reading_anything() -> None:
    code = ("import lingyun\n"
            "client = lingyun.Client('app', 'dev', 'http://127.0.0.1:9/ocr')\n"
            "for bad in ({'document_type': 'no.such.type'}, {'workers': 0}):\n"
            "    try:\n"
            "        client.batch(iter(['/nonexistent.png']), **bad)\n"
            "    except lingyun.LingyunError:\n"
            "        pass\n"
            "    else:\n"
            "        raise SystemExit(f'{bad} was not refused')\n")
    assert _loaded(code, ("lingyun.bulk",)) == []
