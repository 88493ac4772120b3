"""Bulk runs on dask.distributed on loopback: a LocalCluster against a real service, and a
real ``dask scheduler`` + ``dask worker --nworkers 2`` (separate processes) running the
embedded engine with no endpoint at all.  Skipped when dask.distributed is not installed."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from distributed import Client as DaskClient  # noqa: E402
from distributed import LocalCluster  # noqa: E402

from lingyun.bulk.dask import run_on_dask, worker_client  # noqa: E402
from lingyun.bulk.records import read_records  # noqa: E402
from lingyun.pytest_plugin import LingyunService  # noqa: E402

from .conftest import SAMPLES, received, sha, write_images  # noqa: E402


@pytest.fixture(scope="module")
def dask_client() -> Iterator[DaskClient]:
    with LocalCluster(n_workers=2, threads_per_worker=2, processes=False,
                      host="127.0.0.1", protocol="tcp://", dashboard_address=None) as cluster, \
            DaskClient(cluster) as client:
        yield client


def _settings(service: LingyunService) -> dict:
    return {"app_key": service.app_key, "dev_key": service.dev_key, "endpoint": service.url,
            "backoff": 0.0}


def test_records_exactly_once_and_resume_sends_nothing(
    dask_client: DaskClient, replay: LingyunService, tmp_path: Path
) -> None:
    paths = write_images(tmp_path / "in", 30)
    out = tmp_path / "out.jsonl"
    state = run_on_dask(dask_client, [str(p) for p in paths], "text.chinese", {}, str(out),
                        client_settings=_settings(replay), chunk_size=7, threads=2)
    assert (state.ok, state.failed, state.total) == (30, 0, 30)
    records = list(read_records(out))
    assert sorted(r["source"] for r in records) == sorted(map(str, paths))
    assert all(r["sha256"] == sha(Path(r["source"]).read_bytes()) for r in records)
    assert sorted(received(replay).values()) == [1] * 30

    more = write_images(tmp_path / "in", 4, start=500)
    replay.reset()
    state = run_on_dask(dask_client, [str(p) for p in [*paths, *more]], "text.chinese", {},
                        str(out), client_settings=_settings(replay), resume=True, chunk_size=7)
    assert (state.ok, state.skipped) == (4, 30)
    assert len(replay.requests) == 4 and len(list(read_records(out))) == 34


def test_a_parquet_dataset_readable_by_dask_dataframe(
    dask_client: DaskClient, replay: LingyunService, tmp_path: Path
) -> None:
    paths = write_images(tmp_path / "in", 12)
    replay.fail_next(262, times=1)
    dataset = tmp_path / "records.parquet"
    state = run_on_dask(dask_client, [str(p) for p in paths], "text.chinese",
                        {"withPosition": True}, str(dataset),
                        client_settings=_settings(replay), chunk_size=5)
    assert (state.ok, state.failed, dict(state.errors)) == (11, 1, {"UnsupportedError": 1})
    dd = pytest.importorskip("dask.dataframe")
    frame = dd.read_parquet(str(dataset)).compute()
    assert len(frame) == 12 and set(frame["source"]) == set(map(str, paths))
    assert frame["ok"].sum() == 11
    assert frame.loc[~frame["ok"], "error_code"].tolist() == [262]


def test_each_worker_keeps_one_client(dask_client: DaskClient, replay: LingyunService) -> None:
    settings = _settings(replay)
    workers = sorted(dask_client.scheduler_info()["workers"])

    def client_id(_attempt: int) -> int:
        return id(worker_client(settings))

    ids = {address: {dask_client.submit(client_id, n, workers=[address], pure=False).result()
                     for n in range(3)}
           for address in workers}
    assert all(len(found) == 1 for found in ids.values())  # built once per worker
    assert len(set.union(*ids.values())) == len(workers) == 2  # and one per worker


def test_worker_qps_gives_each_worker_its_own_limiter(
    dask_client: DaskClient, replay: LingyunService, tmp_path: Path
) -> None:
    settings = _settings(replay)

    def pace() -> float:
        return worker_client(settings, 500.0).limiter.qps

    assert dask_client.submit(pace, pure=False).result() == 500.0
    paths = write_images(tmp_path / "in", 6)
    state = run_on_dask(dask_client, [str(p) for p in paths], "text.chinese", {},
                        str(tmp_path / "out.jsonl"), client_settings=settings,
                        worker_qps=500.0, chunk_size=3)
    assert state.ok == 6


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def real_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``dask scheduler`` and ``dask worker --nworkers 2`` as processes on loopback; yields
    the scheduler address once both workers have registered (the scheduler is polled)."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    logs = tmp_path_factory.mktemp("dask-logs")
    env = {key: value for key, value in os.environ.items() if not key.startswith("LINGYUN_")}
    commands = [
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
         "--port", address.rsplit(":", 1)[1], "--no-dashboard", "--no-show"],
        [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers", "2",
         "--nthreads", "2", "--host", "127.0.0.1", "--no-dashboard",
         "--local-directory", str(logs)],
    ]
    processes = []
    try:
        for number, command in enumerate(commands):
            log = (logs / f"{number}.log").open("wb")
            processes.append(subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                              env=env))
        with DaskClient(address, timeout=120) as probe:  # retries until the scheduler is up
            probe.wait_for_workers(2, timeout=300)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in reversed(processes):
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def embedded_engine() -> None:
    from lingyun.service.engines.rapidocr import rapidocr_available

    if not rapidocr_available():
        pytest.skip("the embedded engine (rapidocr) is not installed")


def test_no_endpoint_runs_the_embedded_engine_on_real_workers(
        real_cluster: str, embedded_engine: None, tmp_path: Path) -> None:
    images = []
    for name in ("english.png", "chinese.png"):
        images.append(tmp_path / name)
        shutil.copy(SAMPLES / name, images[-1])
    out = tmp_path / "api.jsonl"
    with DaskClient(real_cluster, timeout=60) as dask:
        state = run_on_dask(dask, [str(p) for p in images], "text.chinese", None, str(out),
                            chunk_size=1, threads=1)
    assert (state.ok, state.failed, state.total) == (2, 0, 2)
    records = list(read_records(out))
    assert sorted(r["source"] for r in records) == sorted(map(str, images))
    assert all(r["ok"] and r["result"]["text"].strip() for r in records)


def test_the_cli_runs_on_a_cluster_with_dask(
        real_cluster: str, embedded_engine: None, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    from lingyun.cli import EXIT_OK, main

    image = tmp_path / "english.png"
    shutil.copy(SAMPLES / "english.png", image)
    out = tmp_path / "cli.jsonl"
    assert main(["ocr", str(image), "--dask", real_cluster, "--out", str(out)]) == EXIT_OK
    (record,) = read_records(out)
    assert record["ok"] and record["source"] == str(image)
    assert main(["ocr", str(image), "--dask", real_cluster]) == EXIT_OK  # printed
    assert record["result"]["text"].split()[0] in capsys.readouterr().out
