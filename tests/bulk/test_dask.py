"""Bulk runs on a dask.distributed LocalCluster on loopback, against a real service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dask.dataframe as dd
import pytest
from distributed import Client as DaskClient
from distributed import LocalCluster

from lingyun.bulk.dask import run_on_dask, worker_client
from lingyun.bulk.records import read_records
from lingyun.pytest_plugin import LingyunService

from .conftest import received, sha, write_images


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
